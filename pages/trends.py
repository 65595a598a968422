"""趋势 / Trends: chosen departments year by year against the municipal mean and interquartile band."""
import pandas as pd
import streamlit as st

from analytics import compare, stats
from analytics.escape import Markdown
from analytics.charts.trends import (mark_framework_changes, measure_label, measure_labels, score_multiples,
                                     trend_chart)
from analytics.framework_changes import framework_changes, shared_rates
from pages import context
from pages.common import (department_name, department_name_format, download_buttons, fitted_header, grade_name,
                          language, load, page_start, searchable_table, shared_widths, shown_departments, source_label,
                          synthetic_notice, tr, url_multiselect, url_selectbox)

YOY_RATES_WIDTH = 330     # pixels the year-on-year table's rate columns share (the grid: ~904 at 1366)



def _departments_picked() -> None:
    """The context's department follows the chosen lines unless it is one of them."""
    chosen = st.session_state["departments"]
    if chosen and context.get("department") not in chosen:
        context.put("department", chosen[0])


def framework_names(held) -> dict[str, str]:
    return {code: context.framework_label(code, zh, en) for code, zh, en, _ in held}


def explain_across(chosen: pd.DataFrame, names: dict[str, str], rates: list[str]) -> pd.DataFrame:
    """Says in words where the chosen departments changed framework and what does and does not compare."""
    changes = framework_changes(chosen)
    said = "; ".join(tr("tr_change_fact", department=department_name(r.department), year=r.year, before=names[r.before],
                        after=names[r.after]) for r in changes.itertuples())
    shared = "、".join(measure_label(c, lang) for c in rates) if lang == "zh" else ", ".join(
        measure_label(c, lang) for c in rates)
    st.info(tr("tr_across_note", changes=Markdown(said) if said else tr("tr_no_change"), shared=shared or "—"))
    return changes


def other_framework_years(chosen_all: pd.DataFrame, framework: str, names: dict[str, str]) -> None:
    """Says which years of the chosen departments this one-framework view leaves out, and how to see them."""
    others = chosen_all[chosen_all["framework_id"] != framework]
    for (department, code), rows in others.groupby(["department", "framework_id"]):
        st.caption(tr("tr_other_framework_years", department=department_name(department), years=", ".join(map(str, rows["year"])),
                      framework=names[code]))


page_start("page_trends")
lang = language()
region = context.region()
everything = load(stats.evaluations, region)
held = load(compare.year_frameworks, None, region)
# years of one framework only: means, quartiles and ranks never mix frameworks; across frameworks, only the
# totals out of 100, grades and the concepts the frameworks share
framework = context.framework(held)
across = len(held) > 1 and st.toggle(tr("tr_across"), key="tr_across", help=tr("tr_across_help"))
frame = everything if across else everything[everything["framework_id"] == framework]
rates = shared_rates(frame, stats.rates_held(frame))
level1 = load(compare.level1_nodes, framework)
labels = measure_labels(level1.iloc[0:0] if across else level1, lang, rates)     # no level-1 scores across
names = sorted(frame["department"].unique())
departments = url_multiselect(tr("tr_departments"), names, key="departments", on_change=_departments_picked,
                              format_func=department_name_format(),
                              default=[context.get("department") or context.default_department()])
measure = url_selectbox(tr("tr_metric"), list(labels), key="metric", format_func=labels.get)
if not departments:
    st.info(tr("tr_pick_department"))
    st.stop()

synthetic_notice(int((frame["source_kind"] == "synthetic").sum()))
history = stats.year_on_year(frame)
chosen = history[history["department"].isin(departments)].sort_values(["department", "year"])
changes = explain_across(chosen, framework_names(held), rates) if across else None
if len(held) > 1 and not across:
    other_framework_years(everything[everything["department"].isin(departments)], framework, framework_names(held))
for department, rows in chosen.groupby("department"):
    if len(rows) < 2:
        facts = Markdown("; ".join(tr("tr_fact", year=r.year, total=f"{r.total:.2f}", grade=grade_name(r.grade),
                                      rank=r.rank, source=source_label(r.source_kind)) for r in rows.itertuples()))
        st.info(tr("tr_no_history", department=department_name(department), years=", ".join(map(str, rows["year"])), facts=facts))

# across frameworks there is no municipal mean or band: each framework's is its own
summary = stats.municipal_summary(frame if not across else frame.iloc[0:0], list(labels))
if chosen.groupby("department")["year"].nunique().max() > 1:
    figure = trend_chart(shown_departments(chosen), summary, measure, lang, labels[measure],
                         "tr_chart_title_across" if across else "tr_chart_title")
    if across:
        mark_framework_changes(figure, shown_departments(changes), lang)
    st.plotly_chart(figure, width="stretch", key="trend_chart")
    st.caption(tr("tr_across_caption" if across else "tr_caption"))
    if not across:
        scores = {column: label for column, label in labels.items() if column not in rates}
        st.plotly_chart(score_multiples(shown_departments(chosen), summary, scores, lang), width="stretch", key="score_multiples")

st.subheader(tr("tr_yoy_title"))
st.caption(tr("tr_yoy_caption"))
columns = ["year", "department", *(["framework_id"] if across else []), "total", "total_change", "rank",
           "rank_change", "grade", *rates, "source_kind"]
table = shown_departments(chosen.sort_values(["year", "rank"], ascending=[False, True])[columns])
table["grade"] = table["grade"].map(grade_name)
if across:
    table["framework_id"] = table["framework_id"].map(framework_names(held))
headers = {c: tr(c) for c in ("year", "department", "total", "rank", "grade")} | {"framework_id": tr("framework")}
headers |= {"total_change": tr("tr_total_change"), "rank_change": tr("tr_rank_change"),
            "source_kind": tr("source_kind")} | {c: labels[c] for c in rates}
# changes as signed text: the grid would print a missing change (no previous year) as "None"
view = table.assign(source_kind=table["source_kind"].map(source_label),
                    total_change=table["total_change"].map(lambda v: "—" if pd.isna(v) else f"{v:+.2f}"),
                    rank_change=table["rank_change"].map(lambda v: "—" if pd.isna(v) else f"{v:+.0f}"))
number = {headers["total"]: st.column_config.NumberColumn(format="%.2f")}
# the rates share a fixed room (their long names cut, in full as help): the table stays in view at 1366 px
rate_widths = {c: min(w, 120) for c, w in shared_widths({c: labels[c] for c in rates}, YOY_RATES_WIDTH, 80).items()}
number |= {headers[c]: st.column_config.NumberColumn(fitted_header(labels[c], width), format="%.2f%%", width=width,
                                                     help=labels[c]) for c, width in rate_widths.items()}
number |= {headers["framework_id"]: st.column_config.TextColumn(width=160)} if across else {}
searchable_table(view.rename(columns=headers), "yoy_table", height="content", column_config=number)
download_buttons(table.drop(columns="source_kind").rename(columns=headers), "trends_year_on_year", "yoy",
                 source_kinds=table["source_kind"])

if across:
    st.stop()       # municipal statistics are each framework's own: the one-framework view shows them

st.subheader(tr("tr_summary_title"))
stats_view = summary[summary["measure"] == measure].drop(columns="measure").round(2)
stats_headers = {"year": tr("year"), "mean": tr("mean"), "median": tr("median"), "q1": tr("tr_q1"),
                 "q3": tr("tr_q3"), "count": tr("tr_count")}
stats_view = stats_view.rename(columns=stats_headers)
fmt = "%.2f%%" if measure in stats.RATE_COLUMNS else "%.2f"
searchable_table(stats_view, "summary_table",
                 column_config={h: st.column_config.NumberColumn(format=fmt) for h in list(stats_headers.values())[1:5]}
             | {tr("year"): st.column_config.NumberColumn(format="%d")})
year_kinds = frame.groupby("year")["source_kind"].agg(stats.aggregate_source_kind)
download_buttons(stats_view, "trends_municipal_statistics", "municipal_stats",
                 source_kinds=stats_view[tr("year")].map(year_kinds))
