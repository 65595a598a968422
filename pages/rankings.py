"""排名总览 / Rankings: a year's departments ranked, filtered, charted, with the year-on-year movers."""
import pandas as pd
import streamlit as st

from analytics import compare
from analytics.breakdown import localized
from analytics.i18n import category_name
from analytics.charts import ranking as charts
from analytics.charts.style import GAIN, HIGHLIGHT, LOSS, grade_colour
from pages import context
from pages.common import (department_name_format, download_buttons, figure, fitted_header, grade_name, language, load,
                          page_start, region_name, searchable_table, shared_widths, shown_departments, source_label,
                          synthetic_notice, tr, url_multiselect)

HEADERS = {c: c for c in ("rank", "department", "category", "total", "grade", "rule_total", "source_kind")} | {
    "total_change": "rk_total_change", "rank_change": "rk_rank_change",
    "short_name": "rk_short_name"}      # the screen's department column (labelled 部门 / Department)
TABLE_KEY = "ranking_table"
CHART_KEY = "totals_chart"
REAL_ROW = "#FFF3E0"     # the real department's row in the table (its chart label is HIGHLIGHT too)
OPTIONAL = ("total_change", "rank_change", "rule_total")
# Pixel widths of the table's columns at 1366 px with the sidebar open (the grid is ~904 px wide, its
# row-selection column ~33 px); the level-1 columns share the rest.
TABLE_WIDTH = 866
MIN_LEVEL1_WIDTH = 64
WIDTHS_ZH = {"rank": 48, "department": 145, "total": 60, "grade": 50, "total_change": 66, "rank_change": 66,
             "rule_total": 70}
WIDTHS_EN = {"rank": 48, "department": 190, "total": 55, "grade": 72, "total_change": 62, "rank_change": 56,
             "rule_total": 66}


def open_department(name: str, year: int) -> None:
    context.put("department", name)
    context.put("year", year)
    st.switch_page("pages/department.py", query_params={"department": name, "year": str(year), "lang": language()})


def _chosen_row(names: list[str]) -> None:
    """The table's selection callback: remember the clicked department; the page body follows it."""
    rows = st.session_state[TABLE_KEY].selection.rows
    if rows:
        st.session_state["rankings_open"] = (names[rows[0]], st.session_state["year"])


def _clicked_dot(names: dict) -> None:
    """The chart's selection callback: a click on a department's dot (customdata: its evaluation id, a key
    of ``names``) opens that department."""
    points = st.session_state[CHART_KEY].selection.points
    clicked = [names[point["customdata"]] for point in points if point.get("customdata") in names]
    if clicked:
        st.session_state["rankings_open"] = (clicked[0], st.session_state["year"])


def level1_headers(nodes: pd.DataFrame) -> dict[str, str]:
    """The framework's level-1 score columns (named by node code) and their names (compare.level1_nodes)."""
    return dict(zip(nodes["code"], localized(nodes, "name", language())))


def header(column: str) -> str:
    return tr(HEADERS[column]) if column in HEADERS else level1[column]


def score_columns() -> list[str]:
    return ["total", *level1, "total_change", "rule_total"]


def table_view(frame: pd.DataFrame) -> pd.DataFrame:
    """The ranking with translated headers and values (the table downloaded); the rule total only where it
    differs."""
    columns = ["rank", "department", "category", "total", "grade", *level1, "total_change", "rank_change",
               "rule_total", "source_kind"]
    view = shown_departments(frame[columns]).copy()
    view["rule_total"] = view["rule_total"].where((view["rule_total"] - view["total"]).abs() > 0.005)
    view["grade"] = view["grade"].map(grade_name)
    view["category"] = view["category"].map(lambda c: category_name(c, language()))
    view["source_kind"] = view["source_kind"].map(source_label)
    return view.rename(columns=header)


def screen_view(view: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The table on screen: the departments' short names (★ marking a real report, as on the chart) in a
    column of their own; the full names and the source stay in the frame, searched but not shown."""
    short = shown_departments(frame[["department", "short_name"]])["short_name"]
    short = short.where(short.notna() & (short != ""), view[header("department")])
    return view.assign(**{header("short_name"): [f"★ {name}" if kind == "report" else name
                                       for name, kind in zip(short, frame["source_kind"])]})


def _signed_colour(value) -> str:
    return "" if pd.isna(value) or value == 0 else f"color: {GAIN if value > 0 else LOSS}"


def styled_table(view: pd.DataFrame, rows: pd.DataFrame):
    """Grades in their colours, the real (non-synthetic) department highlighted, gains green and losses
    red, scores with 2 decimals.  ``rows``: the ranking rows behind ``view``."""
    changes = [header("total_change"), header("rank_change")]
    styler = view.style.format({header(c): "{:.2f}" for c in score_columns()}, na_rep="")
    styler = styler.format({changes[0]: "{:+.2f}", changes[1]: "{:+d}"}, na_rep="")
    colours = [f"color: {grade_colour(g)}; font-weight: 600" for g in rows["grade"]]
    styler = styler.apply(lambda _: colours, subset=[header("grade")])
    real = [f"background-color: {REAL_ROW}; color: {HIGHLIGHT}; font-weight: 700" if kind == "report" else ""
            for kind in rows["source_kind"]]
    styler = styler.apply(lambda _: real, subset=[header("short_name"), header("department"), header("source_kind")])
    return styler.map(_signed_colour, subset=changes)


def on_screen(view: pd.DataFrame) -> list[str]:
    """The columns shown: the category is a filter above the table (and in the download, and searched); a
    rule total or a change only when some row has one (the first year has no change, most years no rule
    total that differs)."""
    shown = ["rank", "total", "grade", *level1, "total_change", "rank_change", "rule_total"]
    shown = [header(c) for c in shown if c not in OPTIONAL or view[header(c)].notna().any()]
    return shown[:1] + [header("short_name")] + shown[1:]


def column_config(shown: list[str]) -> dict:
    """Widths that keep every column shown in view at 1366 px with the sidebar open: short headers with
    the full name in ``help``; the level-1 columns share what the others leave."""
    widths = WIDTHS_EN if language() == "en" else WIDTHS_ZH
    fixed = {header(c): w for c, w in widths.items()} | {header("short_name"): widths["department"]}
    room = TABLE_WIDTH - sum(w for c, w in fixed.items() if c in shown)
    shares = shared_widths({c: level1[c] for c in level1 if header(c) in shown}, room, MIN_LEVEL1_WIDTH)
    config = {header(c): st.column_config.NumberColumn(fitted_header(level1[c], w), format="%.2f", width=w,
                                                       help=level1_help[c]) for c, w in shares.items()}
    return config | {
        header("rank"): st.column_config.NumberColumn(width=widths["rank"]),
        header("short_name"): st.column_config.TextColumn(tr("department"), width=widths["department"],
                                                help=tr("rk_department_help")),
        header("total"): st.column_config.NumberColumn(format="%.2f", width=widths["total"]),
        header("grade"): st.column_config.TextColumn(width=widths["grade"]),
        header("total_change"): st.column_config.NumberColumn(tr("rk_total_change_short"), format="%+.2f",
                                                               width=widths["total_change"], help=tr("rk_total_change")),
        header("rank_change"): st.column_config.NumberColumn(tr("rk_rank_change_short"), width=widths["rank_change"],
                                                             help=tr("rk_rank_change_help")),
        header("rule_total"): st.column_config.NumberColumn(tr("rk_rule_total_short"), format="%.2f",
                                                            width=widths["rule_total"], help=tr("rk_rule_total_help"))}


db = page_start("page_rankings")
if "rankings_open" in st.session_state:
    open_department(*st.session_state.pop("rankings_open"))
lang = language()
region = context.region()
available = load(compare.years, region)
left, middle, right = st.columns([1, 2, 2])
with left:
    year = context.selectbox("year", tr("year"), available[::-1])
framework = context.framework(load(compare.year_frameworks, year, region))
full = load(compare.ranking_with_changes, year, region, framework)
bands = load(compare.grade_bands, framework)
level1_nodes = load(compare.level1_nodes, framework)
level1 = level1_headers(level1_nodes)
level1_help = {code: name + (tr("rk_level1_axis", weight=f"{weight:g}") if pd.notna(weight) else "")
               for (code, name), weight in zip(level1.items(), level1_nodes["weight"])}
with middle:
    categories = url_multiselect(tr("category"), sorted(full["category"].dropna().unique()), key="category",
                                 placeholder=tr("rk_all"), format_func=lambda c: category_name(c, lang))
with right:
    grades = url_multiselect(tr("grade"), [g for g in bands["grade"] if g in set(full["grade"])], key="grade",
                             format_func=grade_name, placeholder=tr("rk_all"))
keep = pd.Series(True, index=full.index)
if categories:
    keep &= full["category"].isin(categories)
if grades:
    keep &= full["grade"].isin(grades)
frame = full[keep].reset_index(drop=True)
synthetic_notice(int((frame["source_kind"] == "synthetic").sum()))
st.caption(tr("ranking_caption", region=region_name(region), year=year) + " · " + tr("rk_shown", shown=len(frame), count=len(full)))
if frame.empty:
    st.info(tr("rk_no_rows", year=year))
    st.stop()

view = table_view(frame)
screen = screen_view(view, frame)
columns = on_screen(view)
shown_names: list[str] = []     # filled below, read by the selection callback on the next run
shown = searchable_table(screen, TABLE_KEY, styler=lambda rows: styled_table(rows, frame.loc[rows.index]),
                         placeholder="", column_config=column_config(columns), column_order=columns,
                         on_select=lambda: _chosen_row(shown_names), selection_mode="single-row")
shown_names.extend(frame.loc[shown.index, "department"])
st.caption(tr("rk_table_hint"))
pick, go_button, _ = st.columns([3, 1, 3], vertical_alignment="bottom")
chosen = pick.selectbox(tr("rk_open_department"), frame["department"], key="rankings_pick",
                        format_func=department_name_format())
if go_button.button(tr("rk_open"), key="rankings_open_button", width="stretch"):
    open_department(chosen, year)
download_buttons(view, f"ranking_{year}", key="ranking", source_kinds=frame["source_kind"])

st.subheader(tr("rk_chart_title", year=year))
st.caption(tr("rk_chart_hint"))
st.plotly_chart(figure(charts.ranking_dots, shown_departments(frame), bands, level1_nodes, full["total"].mean(), full["total"].median(), lang),
                width="stretch", key=CHART_KEY, selection_mode="points",
                on_select=lambda: _clicked_dot(dict(zip(frame["evaluation_id"], frame["department"]))))
dist, moves = st.columns([2, 3])
dist.plotly_chart(figure(charts.grade_distribution, frame, bands, lang, tr("rk_distribution_title")), width="stretch",
                  key="grades_chart")
risers, fallers = compare.movers(frame)
if risers.empty and fallers.empty:
    moves.info(tr("rk_no_previous", year=year))
else:
    moves.plotly_chart(figure(charts.movers_chart, shown_departments(risers), shown_departments(fallers), lang, tr("rk_movers_title")), width="stretch",
                       key="movers_chart")
