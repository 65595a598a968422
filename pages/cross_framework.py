"""跨框架对比 / Cross-framework: one year's frameworks (and regions) side by side on what compares —
totals out of 100, grades in each framework's own bands, shared concepts — and in words what does not."""
from typing import Callable

import pandas as pd
import streamlit as st

from analytics import cross_framework
from analytics.breakdown import localized
from analytics.charts.cross_framework import concepts_chart, grade_chart, group_labels, totals_chart
from analytics.charts.trends import measure_label
from pages import context, two_regions
from pages.common import (computed, download_buttons, figure, language, load, page_start, searchable_table,
                          shown_departments, synthetic_notice, tr)

STATISTIC_HEADERS = {"count": "xf_count", "mean": "xf_mean", "median": "xf_median", "q1": "xf_q1", "q3": "xf_q3",
                     "min": "xf_min", "max": "xf_max"}


def statistics_table(table: pd.DataFrame, labels: pd.Series, first: dict) -> tuple[pd.DataFrame, Callable]:
    """A distribution table (cross_framework.distribution rows) with the group's label and translated
    headers; ``first``: leading columns {header: values}.  Returns the table and its styler (rows -> Styler)."""
    headers = {column: tr(key) for column, key in STATISTIC_HEADERS.items()}
    shown = pd.DataFrame(first | {tr("xf_group"): labels.to_numpy()}).join(
        table[list(headers)].rename(columns=headers).reset_index(drop=True))
    numbers = [headers[c] for c in STATISTIC_HEADERS if c != "count"]
    return shown, lambda rows: rows.style.format("{:.2f}", subset=numbers, na_rep="—")


def in_words(held: pd.DataFrame, shares: pd.DataFrame, shared: list[str], partial: list[str], lang: str) -> list[str]:
    """What is and is not comparable, sentence by sentence (``held``: the year's groups)."""
    names = dict(zip(held["framework_id"], localized(held, "name", lang)))
    counts = load(cross_framework.level1_counts, tuple(names))
    trees = [tr("xf_tree", name=names[fid], count=counts[fid]) for fid in names]
    trees += [tr("xf_open", name=names[fid]) for fid in load(cross_framework.open_frameworks, tuple(names))]
    separator, listed = tr("xf_separator"), tr("xf_list_separator")
    bands = []
    for fid, rows in shares.drop_duplicates(["framework_id", "band"]).groupby("framework_id", sort=False):
        grades = localized(rows.rename(columns={"grade": "grade_zh"}), "grade", lang)
        bands.append(tr("xf_bands", name=names[fid], bands=listed.join(
            tr("xf_band", grade=g, min=f"{m:g}") for g, m in zip(grades, rows["min_score"]))))
    sentences = [tr("xf_trees", trees=separator.join(trees)), tr("xf_totals_comparable"),
                 tr("xf_grades_comparable", bands=separator.join(bands))]
    labels = [measure_label(c, lang) for c in shared]
    sentences.append(tr("xf_concepts_shared", concepts=listed.join(labels)) if shared else tr("xf_concepts_none"))
    if partial:
        sentences.append(tr("xf_concepts_partial", concepts=listed.join(measure_label(c, lang) for c in partial)))
    return sentences


page_start("page_cross_framework")
lang = language()
year = context.selectbox("year", tr("year"), load(cross_framework.years))
frame = shown_departments(load(cross_framework.evaluations, year))      # names for display: nothing looks up
synthetic_notice(int((frame["source_kind"] == "synthetic").sum()))
groups = computed(cross_framework.groups, frame)
if len(groups) > cross_framework.MAX_GROUPS:      # too many to show side by side: a group per framework
    st.caption(tr("xf_folded_note", groups=len(groups), limit=cross_framework.MAX_GROUPS))
    frame = computed(cross_framework.folded, frame)
    groups = computed(cross_framework.groups, frame)
if len(groups) < 2:
    st.info(tr("xf_single_group", year=year))
    two_regions.section()      # the years of two regions compare even when this year has one group
    st.stop()
st.caption(tr("xf_intro", year=year))
labels = group_labels(groups, lang)
shares = load(cross_framework.grade_shares, frame)
shared, partial = computed(cross_framework.concepts, frame)

st.subheader(tr("xf_comparable_heading"))
st.markdown("\n".join(f"- {sentence}" for sentence in in_words(groups, shares, shared, partial, lang)))

st.subheader(tr("xf_totals_heading"))
st.caption(tr("xf_totals_caption"))
st.plotly_chart(figure(totals_chart, frame, groups, lang), width="stretch", key="xf_totals")
totals = computed(cross_framework.distribution, frame)
table, styler = statistics_table(totals, labels, {})
# one row per framework and region: too few to search
st.dataframe(styler(table), hide_index=True, width="stretch", key="xf_totals_table")
download_buttons(table, f"cross_framework_totals_{year}", "xf_totals",
                 computed(cross_framework.row_source_kinds, frame, totals))

st.subheader(tr("xf_grades_heading"))
st.plotly_chart(figure(grade_chart, shares, groups, lang), width="stretch", key="xf_grades")
group_of = dict(zip(zip(groups["framework_id"], groups["region"]), labels))
grade_table = pd.DataFrame({
    tr("xf_group"): [group_of[key] for key in zip(shares["framework_id"], shares["region"])],
    tr("grade"): localized(shares.rename(columns={"grade": "grade_zh"}), "grade", lang),
    tr("xf_min_score"): shares["min_score"], tr("xf_count"): shares["count"], tr("xf_share"): shares["share"]})
searchable_table(grade_table, "xf_grades_table", styler=lambda rows: rows.style.format(
    "{:.1f}", subset=[tr("xf_share")]).format("{:g}", subset=[tr("xf_min_score")]))
download_buttons(grade_table, f"cross_framework_grades_{year}", "xf_grades",
                 computed(cross_framework.row_source_kinds, frame, shares))

st.subheader(tr("xf_concepts_heading"))
if not shared:
    st.info(tr("xf_concepts_none"))
    two_regions.section()
    st.stop()
concept_labels = {c: measure_label(c, lang) for c in shared}
st.plotly_chart(figure(concepts_chart, frame, groups, shared, concept_labels, lang), width="stretch", key="xf_concepts")
summary = computed(cross_framework.concept_summary, frame, shared)
table, styler = statistics_table(summary, pd.Series(list(labels) * len(shared)),
                                 {tr("xf_concept"): summary["concept"].map(concept_labels)})
searchable_table(table, "xf_concepts_table", styler=styler)
download_buttons(table, f"cross_framework_concepts_{year}", "xf_concepts",
                 computed(cross_framework.row_source_kinds, frame, summary))

# -- two regions over the years: a section of its own (pages/two_regions.py) --------------------------
two_regions.section()
