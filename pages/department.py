"""部门详情 / Department: one evaluation taken apart and set against the municipality."""
import pandas as pd
import streamlit as st

from analytics import breakdown, compare, evaluation_tree, stats
from analytics.charts import department as charts
from analytics.charts.style import HIGHLIGHT
from analytics.i18n import parameter_source
from pages import context
from pages.common import (department_name, download_buttons, figure, language, load, page_start, recorded,
                          region_name, search_box, searchable_table, shown_departments, source_label, tr)

SCORE_COLUMNS = ["weight", "reported", "rule", "difference"]
SCORE_HEADERS = ["dp_level1", "dp_level2", "dp_indicator", "dp_weight", "dp_reported", "dp_rule", "dp_difference",
                 "dp_note"]
BROUGHT_HEADERS = ["dp_group", "dp_indicator", "dp_target", "dp_actual", "dp_weight", "dp_reported", "dp_rule",
                   "dp_deviation_reason"]
FIGURE_COLUMNS = ["department", "mean", "median", "published"]
FIGURE_HEADERS = ["dp_item", "dp_this_department", "mean", "median", "dp_published", "dp_direction"]


def choose_department(history: pd.DataFrame, notices) -> str:
    """Department selector on the shared context; says so when the asked-for department is unknown."""
    names = sorted(history["department"].unique())
    asked = context.requested("department")
    if asked is not None and asked not in names:
        shown = context.default_department()
        notices.warning(tr("dp_unknown_department", name=asked,
                                   shown=department_name(shown if shown in names else names[0])))
    return context.selectbox("department", tr("department"), names, explained=True)


def choose_year(history: pd.DataFrame, department: str, notices) -> int:
    """Year selector over the years the department has; says so when the asked-for year is missing."""
    own = sorted(history.loc[history["department"] == department, "year"], reverse=True)
    asked = context.requested("year")
    if asked is not None and str(asked) not in map(str, own):
        notices.info(tr("dp_no_year", department=department_name(department), year=asked, years="、".join(map(str, sorted(own))),
                   shown=own[0]))
    return context.selectbox("year", tr("year"), own, explained=True)


def header(pos: dict, fw) -> None:
    """The answer: reported total, total by the rules, the rank each gives, the grade, the change."""
    lang = language()
    total, rule_total, rank, rule_rank, grade, change = st.columns([1, 1, 1, 1.1, 1, 1])
    total.metric(tr("dp_reported_total"), f"{pos['total']:.2f}")
    known = pd.notna(pos["rule_total"])
    rule_total.metric(tr("dp_rule_total"), f"{pos['rule_total']:.2f}" if known else tr("dp_not_scored"),
                      delta=f"{pos['rule_total'] - pos['total']:+.2f}" if known and abs(
                          pos["rule_total"] - pos["total"]) > breakdown.TOLERANCE else None)
    moved = pos["rank_change"]
    rank.metric(tr("dp_rank_of"), tr("dp_rank_value", rank=pos["rank"], count=pos["count"]),
                delta=tr("dp_places", places=int(moved)) if pd.notna(moved) else None)
    rule_rank.metric(tr("dp_rule_rank"), tr("dp_rank_value", rank=pos["rule_rank"], count=pos["count"]) if known
                     else tr("dp_not_scored"), help=tr("dp_rule_rank_help"),
                     delta=tr("dp_places", places=pos["rank"] - pos["rule_rank"])
                     if known and pos["rule_rank"] != pos["rank"] else None)
    differs = pos["rule_grade"] != pos["grade"] and isinstance(pos["rule_grade"], str)
    grade.metric(tr("grade"), fw.grade_label(pos["grade"], lang),
                 delta=tr("dp_rule_grade", grade=fw.grade_label(pos["rule_grade"], lang)) if differs else None,
                 delta_color="off")
    previous = pos["total_change"]
    change.metric(tr("dp_change"), f"{previous:+.2f}" if pd.notna(previous) else tr("dp_no_previous"))


def source_note(summary: dict, peers: pd.DataFrame, real: pd.DataFrame, region: str) -> None:
    """The one notice of the page: what is real and what synthetic, this evaluation and those it is
    compared with."""
    others = peers[peers["evaluation_id"] != summary["id"]]
    synthetic = int((others["source_kind"] == "synthetic").sum())
    if summary["source_kind"] != "synthetic":
        key = "dp_notice_real" if synthetic else "dp_notice_real_alone"
        st.info(tr(key, year=summary["year"], source=source_label(summary["source_kind"]), file=summary["source_file"],
                   sha256=recorded(summary["source_sha256"]), count=synthetic), icon=":material/verified:")
    elif real.empty:
        st.warning(tr("dp_notice_all_synthetic", region=region_name(region), count=len(peers)), icon=":material/science:")
    else:
        items = "、".join(tr("dp_real_item", department=department_name(r.department), year=r.year) for r in real.itertuples())
        st.warning(tr("dp_notice_synthetic", count=len(others), synthetic=synthetic, real=items),
                   icon=":material/science:")


def disputes(tree: pd.DataFrame, summary: dict) -> None:
    """Every disagreement between a reported and a rule score, in a sentence."""
    found = breakdown.disagreements(tree, summary["reported_total"], language())
    for row in found.itertuples():
        st.warning(tr("dp_disagreement", name=row.name_zh, name_en=row.indicator, reported=row.reported,
                      rule=row.rule, difference=row.difference, total=row.total_if_rule), icon=":material/rule:")
    if len(found) > 1:
        st.info(tr("dp_all_rules_total", total=summary["rule_total"]))
    if found.empty:
        st.success(tr("dp_all_agree"))


def marked_table(shown: pd.DataFrame, numbers: list[str], flags: pd.Series):
    """The rows shown with 2 decimals in ``numbers``, those flagged (``flags``, on the full table's index)
    highlighted."""
    marked = [f"background-color: {HIGHLIGHT}22; font-weight: 600" if flag else "" for flag in flags[shown.index]]
    return shown.style.format({c: "{:.2f}" for c in numbers}, na_rep="").apply(lambda _: marked, axis=0)


def scores_section(tree: pd.DataFrame, summary: dict) -> None:
    """Reported and rule scores side by side; every disagreement highlighted."""
    st.subheader(tr("dp_compare_title"))
    rows = breakdown.score_comparison(tree, language())
    notes = [" · ".join(n for n, on in ((tr("dp_note_disagrees"), d), (tr("dp_note_inferred"), i)) if on)
             for d, i in zip(rows["disagrees"], rows["inferred"])]
    table = rows[["level1", "level2", "indicator", *SCORE_COLUMNS]].assign(note=notes)
    table.columns = [tr(h) for h in SCORE_HEADERS]
    numbers = [tr(h) for h in SCORE_HEADERS[3:7]]
    # Level 1 is in the download (and searched); on screen the score tree shows it and the names need the room.
    widths = dict(zip(table.columns[1:], [170, 250, 70, 80, 80, 70, 140]))
    searchable_table(table, "dept_scores_table", styler=lambda shown: marked_table(shown, numbers, rows["disagrees"]),
                     height="content", placeholder="", column_order=list(widths), column_config={
                     c: st.column_config.NumberColumn(format="%.2f", width=w) if c in numbers
                     else st.column_config.TextColumn(width=w) for c, w in widths.items()})
    st.caption(tr("dp_never_overwritten"))
    if rows["inferred"].any():
        st.caption(tr("dp_inferred_footnote"))
    download_buttons(table, "department_scores", key="dept_scores",
                     source_kinds=pd.Series(summary["source_kind"], index=table.index))


def brought_section(tree: pd.DataFrame, summary: dict) -> None:
    """The indicators the department brought (target, actual, scores, reason for a shortfall), if any."""
    rows = breakdown.brought_indicators(tree, language())
    if rows.empty:
        return
    st.subheader(tr("dp_brought_title"))
    reasons = rows["deviation_reason"].mask((rows["deviation_reason"] == "") & (rows["lost"] > 0),
                                            tr("dp_reason_missing"))
    table = rows[["group", "indicator", "target", "actual", "weight", "reported", "rule"]].assign(reason=reasons)
    table.columns = [tr(h) for h in BROUGHT_HEADERS]
    numbers = [tr(h) for h in BROUGHT_HEADERS[4:7]]
    # a static table: the reasons are sentences, wrapped instead of cut off at any width
    shown = search_box(table, "dept_brought_table")
    st.table(marked_table(shown, numbers, rows["lost"] > 0).hide(axis="index"))
    st.caption(tr("dp_brought_caption"))
    download_buttons(table, "department_indicators", key="dept_brought",
                     source_kinds=pd.Series(summary["source_kind"], index=table.index))


def figures_section(summary: dict, year_frame: pd.DataFrame, region: str, year: int, kind: str) -> None:
    """Money figures and the three rates against the municipal values, as a table and a chart."""
    st.subheader(tr("dp_money_title"))
    param = load(compare.year_param, region, year, breakdown.DIFF_RATE_PARAM)
    rates = breakdown.rate_comparison(year_frame, summary["department"], param)
    money = breakdown.money_figures(summary)
    items = [tr(f"money_{k}") for k in money["key"]] + [tr("dp_percent_item", item=tr(f"rate_{k}"))
                                                        for k in rates["key"]]
    direction = [""] * len(money) + [tr("dp_higher" if h else "dp_lower") for h in rates["higher_is_better"]]
    table = pd.concat([money, rates], ignore_index=True)[FIGURE_COLUMNS].assign(direction=direction)
    table.insert(0, "item", items)
    table.columns = [tr(h) for h in FIGURE_HEADERS]
    numbers = [tr(h) for h in FIGURE_HEADERS[1:5]]
    st.dataframe(table.style.format({c: "{:,.2f}" for c in numbers}, na_rep=""), hide_index=True, width="stretch",
                 height="content", placeholder="")
    if param:
        st.caption(tr("dp_param_source", year=year, value=param["value"],
                      source=parameter_source(param["source"], param["is_synthetic"], language())))
    else:
        st.caption(tr("dp_no_param", year=year))
    download_buttons(table, "department_figures", key="dept_figures", source_kinds=pd.Series(kind, index=table.index))
    st.plotly_chart(figure(charts.rates, rates, language(), tr("dp_rates_title")), width="stretch", key="rates_chart")


db = page_start("page_department", show_title=False)
st.subheader(tr("page_department"))
lang = language()
region = context.region()
evaluations = load(stats.evaluations, region)
history = stats.year_on_year(evaluations)
pick_department, pick_year = st.columns([3, 1])
notices = st.container()   # below the selectors, full width
with pick_department:
    department = choose_department(history, notices)
with pick_year:
    year = choose_year(history, department, notices)
row = history[(history["department"] == department) & (history["year"] == year)].iloc[0]
evaluation_id = int(row["evaluation_id"])
summary = load(compare.evaluation_summary, evaluation_id)
tree = load(compare.indicator_tree, evaluation_id)
fw = evaluation_tree.frameworks(db)[row["framework_id"]]   # a domain object: not cached as data
# the department is compared with the year's evaluations of its own framework
peers = evaluations[(evaluations["year"] == year) & (evaluations["framework_id"] == row["framework_id"])]

source_note(summary, peers, breakdown.real_evaluations(evaluations), region)
pos = breakdown.position(history, evaluation_id)
header(pos, fw)
steps_column, position_column = st.columns([3, 2])
steps = breakdown.waterfall_steps(tree, summary, lang)
to_rules = breakdown.rule_steps(tree, summary, lang)
steps_column.plotly_chart(figure(charts.waterfall, steps, lang, tr("dp_waterfall_title"), rule=to_rules), width="stretch",
                          key="waterfall_chart")
if steps["disputed"].any() or len(to_rules):
    steps_column.caption(tr("dp_waterfall_disputed"))
with position_column:
    year_totals = shown_departments(breakdown.year_totals(history, evaluation_id))
    st.plotly_chart(figure(charts.year_position, year_totals, pos, lang, tr("dp_position_title", year=year, count=pos["count"])),
                    width="stretch", key="position_chart")
    disputes(tree, summary)
st.plotly_chart(figure(charts.score_tree, breakdown.score_tree(tree, summary, lang), lang, tr("dp_tree_title")), width="stretch",
                key="tree_chart")
brought_section(tree, summary)
level2 = breakdown.level2_comparison(load(stats.level2_scores, region, [year]), evaluation_id, lang)
st.plotly_chart(figure(charts.level2_rates, level2, lang, tr("dp_level2_title")), width="stretch", key="level2_chart")
scores_section(tree, summary)
figures_section(summary, peers, region, year, summary["source_kind"])
