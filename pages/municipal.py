"""地区内对比 / Within-region comparison: one year's departments of a region (a city, a county) side by side,
and one department against them."""
import pandas as pd
import streamlit as st

from analytics import compare, stats
from analytics.breakdown import localized
from analytics.i18n import category_name
from analytics.charts.municipal import (distribution_chart, heatmap_order, indicator_distribution, indicator_heatmap,
                                        indicator_name, peer_chart)
from analytics.charts.trends import measure_labels
from pages import context
from pages.common import (department_name, download_buttons, figure, fitted_header, grade_name, language, load,
                          page_start, region_name, searchable_table, shared_widths, shown_departments,
                          synthetic_notice, tr, url_selectbox)


# The peer table at 1366 px with the sidebar open: the grid is ~904 px wide.
PEER_TABLE_WIDTH = 880
MIN_SHARED_WIDTH = 60
PEER_WIDTHS_ZH = {"peer_rank": 74, "rank": 88, "department": 200, "total": 60, "grade": 50}
PEER_WIDTHS_EN = {"peer_rank": 90, "rank": 106, "department": 150, "total": 56, "grade": 72}


def standing_table(standing: pd.DataFrame, labels: dict, rates=(), **renamed):
    """The standing rows with translated headers, numbers to 2 decimals and a % sign on rate rows.

    Returns the plain table (for downloads) and its styler (rows shown -> Styler); ``renamed`` overrides
    headers.
    """
    headers = {"measure": tr("mu_measure"), "weight": tr("mu_weight"), "value": tr("mu_value"), "mean": tr("mu_mean"),
               "median": tr("mu_median"), "gap_to_mean": tr("mu_gap_to_mean"), "percentile": tr("mu_percentile"),
               "rank": tr("rank")} | renamed     # the department count is in the heading
    table = standing.assign(measure=standing["measure"].map(labels))
    table = table[[c for c in headers if c in table.columns]].rename(columns=headers)
    numbers = [headers[c] for c in ("value", "weight", "mean", "median", "gap_to_mean") if c in standing]
    rate_rows = table.index[standing["measure"].isin(rates)]

    def styler(rows: pd.DataFrame):
        styled = rows.style.format("{:.2f}", subset=numbers, na_rep="—")
        styled = styled.format("{:.2f}%", subset=(rows.index.intersection(rate_rows), numbers), na_rep="—")
        if "percentile" in standing:
            styled = styled.format("{:.1f}", subset=[headers["percentile"]], na_rep="—")
        return styled
    return table, styler


def peer_config(headers: dict, scores: list[str], rates: list[str]) -> dict:
    """Column settings that keep the peer table in view at 1366 px (sidebar open): fixed widths for ranks,
    names and grades; the level-1 scores and rates share the rest, a header cut to fit carrying its full
    text as help."""
    fixed = PEER_WIDTHS_EN if language() == "en" else PEER_WIDTHS_ZH
    shared = shared_widths({c: headers[c] for c in (*scores, *rates)}, PEER_TABLE_WIDTH - sum(fixed.values()),
                           MIN_SHARED_WIDTH)
    formats = {"total": "%.2f"} | {c: "%.2f" for c in scores} | {c: "%.2f%%" for c in rates}
    config = {}
    for column, width in (fixed | shared).items():
        label = fitted_header(headers[column], width)
        kind = st.column_config.NumberColumn if column in formats or column.endswith("rank") else st.column_config.TextColumn
        extra = {"format": formats[column]} if column in formats else {}
        config[headers[column]] = kind(label, width=width, help=headers[column] if label != headers[column] else None,
                                       **extra)
    return config


def drill_down(rows: list[str], codes: list[str]) -> None:
    """A heatmap cell clicked: its department becomes the one compared, its column the distribution shown."""
    points = st.session_state["heatmap"].selection["points"]
    if points:
        context.put("department", rows[int(points[0]["y"])])
        st.session_state["measure"] = codes[int(points[0]["x"])]


page_start("page_municipal")
lang = language()
region = context.region()
year = context.selectbox("year", tr("year"), load(compare.years, region)[::-1])
# one framework's evaluations: ranks, means and percentiles never mix frameworks
framework = context.framework(load(compare.year_frameworks, year, region))
everything = load(stats.evaluations, region, [year])
frame = everything[everything["framework_id"] == framework].reset_index(drop=True)
if frame.empty:
    st.info(tr("mu_no_department", year=year))
    st.stop()
level1 = load(compare.level1_nodes, framework)
rates = stats.rates_held(frame)
measures = measure_labels(level1, lang, rates)
level1_columns = list(level1["code"])
indicators = load(compare.column_scores, region, year, framework)     # the framework's own columns
synthetic_notice(int((frame["source_kind"] == "synthetic").sum()))
kinds = frame.set_index("department")["source_kind"]
year_kind = stats.aggregate_source_kind(frame["source_kind"])   # every comparison leans on the whole year
codes = indicators.drop_duplicates("code").sort_values("sort_order")
code_labels = dict(zip(codes["code"], indicator_name(codes, lang)))

# -- every department × every level-3 indicator ----------------------------------------------------
st.subheader(tr("mu_heatmap_title", year=year))
open_groups = codes[codes["open"]]
st.caption(tr("mu_heatmap_caption") + ("" if open_groups.empty else " " + tr(
    "mu_heatmap_open", groups=tr("xf_list_separator").join(indicator_name(open_groups, lang)))))
shown_frame, shown_cells = shown_departments(frame), shown_departments(indicators)
stored = dict(zip(shown_frame["department"], frame["department"]))       # a clicked row's stored name
rows, columns = heatmap_order(shown_frame, shown_cells)
rows = [stored[name] for name in rows]
st.plotly_chart(figure(indicator_heatmap, shown_cells, shown_frame, lang), width="stretch", key="heatmap", selection_mode="points",
                on_select=lambda: drill_down(rows, columns))
matrix = stats.indicator_matrix(indicators).set_index("department").reindex(frame["department"]).reset_index()
download_buttons(matrix.rename(columns={"department": tr("department")} | code_labels),
                 f"municipal_indicator_scores_{year}", "matrix", source_kinds=matrix["department"].map(kinds))

# -- one department against the municipality -------------------------------------------------------
ordered = frame.sort_values(["total", "department"], ascending=[False, True])["department"].tolist()
department = context.selectbox("department", tr("mu_department"), ordered)
st.subheader(tr("mu_standing_title", department=department_name(department), region=region_name(region), year=year, count=len(frame)))
st.caption(tr("mu_standing_caption"))
st.markdown(f"**{tr('mu_measures_heading')}**")
table, styler = standing_table(stats.standing(frame, department, list(measures)), measures,
                               stats.RATE_COLUMNS)
searchable_table(table, "standing", styler=styler)
download_buttons(table, f"municipal_standing_{year}", "standing", source_kinds=pd.Series([year_kind] * len(table)))

st.markdown(f"**{tr('mu_indicators_heading')}**")
wide = stats.indicator_matrix(indicators)
by_indicator = stats.standing(wide, department, list(codes["code"]), lower_is_better=())
own_weights = indicators[indicators["department"] == department].set_index("code")["weight"]
by_indicator.insert(1, "weight", own_weights.reindex(codes["code"]).to_numpy())     # open groups: its own
table, styler = standing_table(by_indicator, code_labels)
searchable_table(table, "indicator_standing", styler=styler, height="content")
download_buttons(table, f"municipal_indicator_standing_{year}", "indicator_standing",
                 source_kinds=pd.Series([year_kind] * len(table)))

# -- distributions ---------------------------------------------------------------------------------
st.subheader(tr("mu_distribution_heading"))
labels = measures | code_labels
shown = url_selectbox(tr("mu_distribution_measure"), list(labels), key="measure", format_func=labels.get)
# an open group's weight differs by department: its scores compare as scoring rates (%)
by_rate = shown in set(open_groups["code"])
source = frame if shown in measures else stats.indicator_matrix(
    indicators.assign(rate=indicators["scoring_rate"] * 100), "rate") if by_rate else wide
label = tr("mu_rate_of", name=labels[shown]) if by_rate else labels[shown]
st.plotly_chart(figure(distribution_chart, shown_departments(source), shown, department_name(department), label, lang, rate=by_rate or shown in stats.RATE_COLUMNS),
                width="stretch", key="distribution")
st.plotly_chart(figure(indicator_distribution, shown_cells, department_name(department), lang), width="stretch", key="indicator_distribution")

# -- the category's peers --------------------------------------------------------------------------
peers = stats.peer_group(frame, department)
if peers.empty:
    st.info(tr("mu_no_category", department=department_name(department)))
    st.stop()
category = peers["category"].iloc[0]
st.subheader(tr("mu_peer_heading", category=category_name(category, lang), count=len(peers)))
st.plotly_chart(figure(peer_chart, shown_departments(peers), department_name(department), frame["total"].mean(), lang), width="stretch", key="peers")
peer_columns = ["peer_rank", "rank", "department", "total", "grade", *level1_columns, *rates]
peer_table = shown_departments(peers[peer_columns]).assign(grade=peers["grade"].map(grade_name))
peer_headers = {c: tr(c) for c in ("department", "total", "grade")}
peer_headers |= dict(zip(level1_columns, localized(level1, "name", lang)))
peer_headers |= {"peer_rank": tr("mu_peer_rank"), "rank": tr("mu_municipal_rank")}
peer_headers |= {c: measures[c] for c in rates}
peer_table = peer_table.rename(columns=peer_headers)
searchable_table(peer_table, "peer_table", column_config=peer_config(peer_headers, level1_columns, rates))
download_buttons(peer_table, f"municipal_peers_{year}", "peers", source_kinds=peers["source_kind"])

means = stats.group_means(frame, peers, list(measures)).rename(columns={"group_mean": "value", "difference": "gap_to_mean"})
table, styler = standing_table(means, measures, stats.RATE_COLUMNS, value=tr("mu_peer_mean"),
                               gap_to_mean=tr("mu_peer_difference"))
searchable_table(table, "peer_means", styler=styler)
download_buttons(table, f"municipal_peer_means_{year}", "peer_means",
                 source_kinds=pd.Series([stats.aggregate_source_kind(peers["source_kind"])] * len(table)))
