"""两地区逐年对比 / Two regions over the years: a section of the cross-framework page (not a page itself).

The region chosen in the sidebar against a second one, for every year either holds: per region and framework
(a region-year on two frameworks gives two lines, never one mixed figure) the mean and median total out of
100, the grade shares in the framework's own bands and the shared concepts; the years a region's framework
changed are marked, and the words say what compares and what does not."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import compare, cross_framework, stats
from analytics.breakdown import localized
from analytics.charts.cross_framework import group_labels, two_regions_concepts, two_regions_grades, two_regions_totals
from analytics.charts.trends import measure_label
from analytics.framework_changes import held_changes
from pages import context
from pages.common import (computed, download_buttons, figure, language, load, region_name, region_name_format, tr,
                          url_selectbox)


def framework_names(frame: pd.DataFrame) -> dict[str, str]:
    """Each framework's name (with its version) in the chosen language."""
    held = frame.drop_duplicates("framework_id")
    return {code: context.framework_label(code, zh, en) for code, zh, en in
            zip(held["framework_id"], held["name_zh"], held["name_en"])}


def in_words(frame: pd.DataFrame, changes: pd.DataFrame, shared: list[str], partial: list[str], lang: str) -> list[str]:
    """What compares over the years and what does not, the framework changes included."""
    names, listed = framework_names(frame), tr("xf_list_separator")
    concepts = listed.join(measure_label(c, lang) for c in shared) or tr("xr_no_concepts")
    sentences = [tr("xr_compares", concepts=concepts)]
    if len(names) > 1:
        counts = load(cross_framework.level1_counts, tuple(names))
        trees = [tr("xf_tree", name=names[fid], count=counts[fid]) for fid in names]
        trees += [tr("xf_open", name=names[fid]) for fid in load(cross_framework.open_frameworks, tuple(names))]
        sentences.append(tr("xf_trees", trees=tr("xf_separator").join(trees)))
    else:
        sentences.append(tr("xr_one_tree", name=next(iter(names.values()))))
    if partial:
        sentences.append(tr("xf_concepts_partial", concepts=listed.join(measure_label(c, lang) for c in partial)))
    said = [tr("xr_change", region=region_name(row.region), year=row.year,
               before=listed.join(names[code] for code in row.before), after=listed.join(names[code] for code in row.after))
            for row in changes.itertuples()]
    sentences.append(tr("xr_changes", changes=tr("xf_separator").join(said)) if said else tr("xr_no_change"))
    return sentences


def yearly_table(totals: pd.DataFrame, summary: pd.DataFrame, labels: dict, shared: list[str], lang: str) -> pd.DataFrame:
    """Per group and year (``totals``: cross_framework.distribution by year): evaluations, mean and median
    total, and the mean of each shared concept (its line; ``summary``: cross_framework.concept_summary by year)."""
    table = pd.DataFrame({tr("year"): totals["year"].to_numpy(),
                          tr("xf_group"): [labels[key] for key in zip(totals["framework_id"], totals["region"])],
                          tr("xf_count"): totals["count"].to_numpy(), tr("xf_mean"): totals["mean"].to_numpy(),
                          tr("xf_median"): totals["median"].to_numpy()})
    keys = list(zip(totals["framework_id"], totals["region"], totals["year"]))
    for concept in shared:
        rows = summary[summary["concept"] == concept].set_index(["framework_id", "region", "year"])
        label = measure_label(concept, lang)
        table[tr("xr_concept_mean", concept=label)] = rows["mean"].reindex(keys).to_numpy()
    return table


def section() -> None:
    st.subheader(tr("xr_heading"))
    regions = load(compare.regions)
    if len(regions) < 2:
        st.info(tr("xr_single_region"))
        return
    lang = language()
    first = context.region()
    second = url_selectbox(tr("xr_second_region"), [r for r in regions if r != first], key="region2",
                           format_func=region_name_format())
    frame = load(cross_framework.region_evaluations, (first, second))
    groups = computed(cross_framework.groups, frame)
    labels = dict(zip(zip(groups["framework_id"], groups["region"]), group_labels(groups, lang)))
    shared, partial = computed(cross_framework.concepts, frame)
    changes = held_changes(frame, "region")
    places = {region: region_name(region) for region in (first, second)}
    st.caption(tr("xr_intro", first=places[first], second=places[second]))
    st.markdown("\n".join(f"- {sentence}" for sentence in in_words(frame, changes, shared, partial, lang)))

    yearly = computed(cross_framework.distribution, frame, "total", ("year",))
    st.plotly_chart(figure(two_regions_totals, yearly, groups, changes, places, lang), width="stretch", key="xr_totals")
    shares = load(cross_framework.grade_shares, frame, ("year",))
    st.plotly_chart(figure(two_regions_grades, shares, groups, changes, places, lang), width="stretch", key="xr_grades")
    summary = computed(cross_framework.concept_summary, frame, shared, ("year",))
    if shared:
        concept_labels = {c: measure_label(c, lang) for c in shared}
        st.plotly_chart(figure(two_regions_concepts, summary, groups, changes, concept_labels, places, lang), width="stretch",
                        key="xr_concepts")

    table = yearly_table(yearly, summary, labels, shared, lang)
    st.dataframe(table.style.format("{:.2f}", subset=list(table.columns[3:]), na_rep="—"), hide_index=True,
                 width="stretch", key="xr_table")
    download_buttons(table, "two_regions_years", "xr_yearly",
                     computed(cross_framework.row_source_kinds, frame, yearly, ("year",)))
    grades = pd.DataFrame({
        tr("year"): shares["year"].to_numpy(),
        tr("xf_group"): [labels[key] for key in zip(shares["framework_id"], shares["region"])],
        tr("grade"): localized(shares.rename(columns={"grade": "grade_zh"}), "grade", lang).to_numpy(),
        tr("xf_min_score"): shares["min_score"].to_numpy(), tr("xf_count"): shares["count"].to_numpy(),
        tr("xf_share"): shares["share"].to_numpy()})
    st.dataframe(grades.style.format("{:.1f}", subset=[tr("xf_share")]).format("{:g}", subset=[tr("xf_min_score")]),
                 hide_index=True, width="stretch", key="xr_grades_table")
    download_buttons(grades, "two_regions_grades", "xr_grades",
                     computed(cross_framework.row_source_kinds, frame, shares, ("year",)))
