"""规则调整模拟 / Rule-change scenarios: change a rule parameter for every department of a year and see
the new ranking beside the old, rank shifts, grade changes, who gains and who loses, and an optional
budget consequence per grade that is clearly a user-set assumption.  Nothing is written."""
import pandas as pd
import streamlit as st

from analytics import compare, rule_change
from analytics.charts import scenario as charts
from analytics.charts.style import GAIN, LOSS, grade_colour
from analytics.domain.model import Framework
from analytics.i18n import TEXT, parameter_source
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.rule_change import RuleChange, RuleChangeError
from analytics.scenario_text import indicator_name
from pages import context
from pages.common import (download_buttons, language, load, page_start, searchable_table, shown_departments,
                          synthetic_notice, tr)

TABLE_COLUMNS = {"new_rank": "rc_new_rank", "department": "department", "old_total": "rc_old_total",
                 "old_grade": "rc_old_grade", "old_rank": "rc_old_rank", "new_total": "rc_new_total",
                 "new_grade": "rc_new_grade", "total_change": "rc_change", "rank_shift": "rc_rank_shift"}
PARAM_COLUMNS = 3


def bands(fw: Framework) -> list:
    return sorted(fw.grade_bands, key=lambda b: -b.min)


def grade_name(grade: str | None) -> str:
    """A grade in the words of the framework the page works on."""
    return framework.grade_label(grade, language())


def refusal(error: RuleChangeError) -> str:
    """A refused rule change in the user's words, naming the framework's nodes."""
    names = {k: indicator_name(v, language(), framework) for k, v in error.params.items() if k in ("node", "leaf")}
    return tr(f"rc_err_{error.code}", **(error.params | names))


def number(label: str, key: str, default: float, **kwargs) -> float:
    """A number input that starts at the framework's (or the year's) value and keeps what was typed while
    it is not drawn (invalid weights stop the page above the budget inputs). The value the results use is
    passed as the input's own value: a browser that draws the input afresh shows that value, not the
    input's minimum."""
    held = float(st.session_state.get(key, default))
    return st.number_input(label, value=held, key=key, persist_state="page", **kwargs)


def changed_only(values: dict, defaults: dict) -> dict:
    """Only changed parameters go into the rule change: an unchanged one would rescore for nothing."""
    return {k: v for k, v in values.items() if v is not None and v != defaults[k]}


def checked(fw: Framework, fields: dict) -> tuple[dict, bool]:
    """Validate one group of parameters and say what is wrong right under its inputs."""
    try:
        RuleChange(**fields).validate(fw)
    except RuleChangeError as error:
        st.error(refusal(error), icon=":material/error:")
        return fields, False
    return fields, True


def param_label(leaf_code: str, path: str) -> str:
    """"<indicator> · <parameter>", e.g. "预算执行率 · 档 2 · 比例" for ``tiers.1.share``."""
    words = [f"#{int(part) + 1}" if part.isdigit() else tr(f"rc_param_{part}") if f"rc_param_{part}" in TEXT
             else part for part in path.split(".")]
    return f"{indicator_name(leaf_code, language(), framework)} · {' '.join(words)}"


def year_figure_inputs(fw: Framework, region: str, year: int) -> tuple[dict, bool]:
    stored = load(compare.year_param, region, year, MUNICIPAL_AVG_DIFF_RATE)
    stored_avg = stored["value"] if stored else None
    if not rule_change.reads_figure(fw, MUNICIPAL_AVG_DIFF_RATE):
        st.caption(tr("rc_avg_na"))
        return {}, True
    avg = number(tr("rc_avg", year=year), f"rc_avg_{year}", stored_avg or 0.0, step=1.0, format="%.2f")
    if stored:
        st.caption(tr("rc_avg_source", value=stored["value"],
                      source=parameter_source(stored["source"], stored["is_synthetic"], language())))
    key = MUNICIPAL_AVG_DIFF_RATE
    return checked(fw, changed_only({key: avg}, {key: stored_avg}))


def band_inputs(fw: Framework) -> tuple[dict, bool]:
    st.markdown(f"**{tr('rc_bands')}**")
    lows = {b.label: float(b.min) for b in bands(fw)[:-1]}          # the lowest band always starts at 0
    mins = {}
    for column, (grade, low) in zip(st.columns(len(lows)), lows.items()):
        with column:
            mins[grade] = number(tr("rc_band", grade=grade_name(grade)), f"rc_band_{grade}", low, step=1.0,
                                 format="%.1f")
    return checked(fw, {"grade_bands": changed_only(mins, lows)})


def weight_inputs(fw: Framework) -> tuple[dict, bool]:
    """Every fixed weight of the tree: level 1 in a row, the ones below in an expander, one column per
    level-1 node, indented by depth."""
    current = rule_change.editable_weights(fw)
    share = rule_change.open_share(fw)
    st.markdown(f"**{tr('rc_weights', total=f'{fw.total:g}')}**")
    st.caption(tr("rc_weights_note", total=fw.total) if share <= 0 else
               tr("rc_weights_open", total=fw.total, share=share))
    tops = [node for node in fw.nodes if node.weight is not None]
    given = {}
    for column, top in zip(st.columns(max(len(tops), 3)), tops):
        with column:
            given[top.code] = weight_input(fw, top.code, current[top.code])
    owner = rule_change.level1_owner(fw)
    below = [(node, depth) for node, depth, _ in fw.walk() if depth > 1 and node.code in current]
    if below:
        with st.expander(tr("rc_weights_below"), icon=":material/account_tree:"):
            for column, top in zip(st.columns(max(len(tops), 3)), tops):
                with column:
                    for node, depth in below:
                        if owner[node.code] == top.code:
                            given[node.code] = weight_input(fw, node.code, current[node.code], depth)
    return checked(fw, {"weights": changed_only(given, current)})


def weight_input(fw: Framework, code: str, weight: float, depth: int = 1) -> float:
    label = "\u3000" * (depth - 2) + indicator_name(code, language(), fw)
    return number(label, f"rc_weight_{code}", weight, min_value=0.0, step=1.0, format="%.1f")


def param_inputs(fw: Framework) -> tuple[dict, bool]:
    """Every numeric parameter of every rule of the framework, by indicator."""
    found = [(leaf.code, path, value) for leaf in fw.leaves()
             for path, value in rule_change.numeric_params(leaf.rule).items()]
    if not found:
        st.caption(tr("rc_params_na"))
        return {}, True
    given: dict[str, dict[str, float]] = {}
    columns = st.columns(PARAM_COLUMNS)
    for i, (code, path, value) in enumerate(found):
        with columns[i % PARAM_COLUMNS]:
            typed = number(param_label(code, path), f"rc_param_{code}:{path}", value, step=0.1, format="%.2f")
        if typed != value:
            given.setdefault(code, {})[path] = typed
    return checked(fw, {"params": given})


def parameters(fw: Framework, region: str, year: int) -> tuple[RuleChange, bool]:
    """The inputs, built from the framework's data: the year's figure, the grade bands, every fixed weight
    and every numeric rule parameter; returns the change (changed values only) and whether all are valid."""
    figure_column, band_column = st.columns([1, 2], gap="medium")
    with figure_column:
        groups = [year_figure_inputs(fw, region, year)]
    with band_column:
        groups.append(band_inputs(fw))
    groups.append(weight_inputs(fw))
    with st.expander(tr("rc_rule_params"), icon=":material/tune:"):
        groups.append(param_inputs(fw))
    return RuleChange(**{k: v for fields, _ in groups for k, v in fields.items()}), all(ok for _, ok in groups)


def budget_cuts(fw: Framework) -> dict[str, float]:
    """The assumed budget change per grade, read before its inputs are drawn (they sit at the bottom)."""
    return {b.label: float(st.session_state.get(f"rc_cut_{b.label}", 0.0)) for b in bands(fw)}


def _signed_colour(value) -> str:
    return "" if pd.isna(value) or value == 0 else f"color: {GAIN if value > 0 else LOSS}"


def ranking_table(frame: pd.DataFrame, year: int) -> None:
    st.subheader(tr("rc_table_title"))
    view = frame[list(TABLE_COLUMNS)].copy()
    grades = view[["old_grade", "new_grade"]].copy()
    view["old_grade"], view["new_grade"] = grades["old_grade"].map(grade_name), grades["new_grade"].map(grade_name)
    view = view.rename(columns={c: tr(k) for c, k in TABLE_COLUMNS.items()})
    headers = {c: tr(k) for c, k in TABLE_COLUMNS.items()}

    def styled(rows: pd.DataFrame):
        styler = rows.style.format({headers[c]: "{:.2f}" for c in ("old_total", "new_total")})
        styler = styler.format({headers["total_change"]: lambda v: f"{v:+.2f}" if v else "0.00",
                                headers["rank_shift"]: lambda v: f"{v:+d}" if v else "0"})
        styler = styler.map(_signed_colour, subset=[headers["total_change"], headers["rank_shift"]])
        for column in ("old_grade", "new_grade"):
            colours = [f"color: {grade_colour(g)}; font-weight: 600" for g in grades.loc[rows.index, column]]
            styler = styler.apply(lambda _, colours=colours: colours, subset=[headers[column]])
        return styler

    searchable_table(view, "rule_change_ranking", styler=styled, height=420,
                     column_config={headers[c]: st.column_config.NumberColumn(format="%.2f")
                                    for c in ("old_total", "new_total")}
                     # a fixed width: sized to the longest English name, the grid would scroll sideways at 1366 px
                     | {headers["department"]: st.column_config.TextColumn(width=260)})
    download_buttons(view, f"rule_change_{year}", key="rule_change", source_kinds=frame["source_kind"])


def movements(frame: pd.DataFrame) -> None:
    """Rank shifts as a chart; beside it, grade changes and the biggest gains and losses."""
    shifts, changes = st.columns([3, 2], gap="large")
    shifts.subheader(tr("rc_shift_title"))
    if (frame["rank_shift"] != 0).any():
        shifts.plotly_chart(charts.rank_shift(frame, language()), width="stretch", key="rc_shift_chart")
    else:
        shifts.info(tr("rc_no_shift"))
    with changes:
        st.subheader(tr("rc_grade_changes"))
        moved = frame[frame["grade_changed"]]
        if moved.empty:
            st.info(tr("rc_no_grade_change"))
        else:
            st.dataframe(pd.DataFrame({tr("department"): moved["short_name"],
                                       tr("rc_old_grade"): moved["old_grade"].map(grade_name),
                                       tr("rc_new_grade"): moved["new_grade"].map(grade_name),
                                       tr("rc_new_total"): moved["new_total"]}),
                         hide_index=True, width="stretch")
        gainers, losers = compare.movers(frame)
        for key, rows in (("rc_gainers", gainers), ("rc_losers", losers)):
            st.markdown(f"**{tr(key)}**")
            if rows.empty:
                st.caption(tr("rc_none"))
            else:
                st.dataframe(pd.DataFrame({tr("department"): rows["short_name"], tr("rc_change"): rows["total_change"],
                                           tr("rc_rank_shift"): rows["rank_shift"]}),
                             hide_index=True, width="stretch",
                             column_config={tr("rc_change"): st.column_config.NumberColumn(format="%+.2f")})


def budget_section(fw: Framework, frame: pd.DataFrame, year: int) -> None:
    """Per-grade percentages of the project budget, as amounts: a user-set assumption, never policy."""
    with st.expander(tr("rc_budget_title"), icon=":material/savings:"):
        st.warning(tr("rc_budget_assumption"))
        for column, band in zip(st.columns(len(bands(fw))), bands(fw)):
            with column:
                number(tr("rc_budget_pct", grade=grade_name(band.label)), f"rc_cut_{band.label}", 0.0,
                       min_value=-100.0, max_value=100.0, step=1.0, format="%.1f")
        if not frame["budget_change_pct"].any():
            st.info(tr("rc_budget_none"))
            return
        by_grade = frame.groupby("new_grade", sort=False).agg(
            count=("department", "size"), base=("budget_project", "sum"), pct=("budget_change_pct", "first"),
            amount=("budget_change_amount", "sum")).reindex([b.label for b in bands(fw)]).dropna(subset=["count"])
        summary = pd.DataFrame({tr("grade"): by_grade.index.map(grade_name),
                                tr("rc_departments"): by_grade["count"].astype(int),
                                tr("rc_budget_base"): by_grade["base"],
                                tr("rc_budget_pct_col"): by_grade["pct"], tr("rc_budget_amount"): by_grade["amount"]})
        money = {tr(c): st.column_config.NumberColumn(format="%.2f") for c in ("rc_budget_base", "rc_budget_amount")}
        st.dataframe(summary, hide_index=True, width="stretch", column_config=money)
        hit = frame[frame["budget_change_amount"] != 0]
        rows = pd.DataFrame({tr("department"): hit["department"], tr("rc_new_grade"): hit["new_grade"].map(grade_name),
                             tr("rc_budget_base"): hit["budget_project"],
                             tr("rc_budget_pct_col"): hit["budget_change_pct"],
                             tr("rc_budget_amount"): hit["budget_change_amount"]})
        st.markdown(f"**{tr('rc_budget_rows')}**")
        st.dataframe(rows, hide_index=True, width="stretch", column_config=money)
        download_buttons(rows, f"rule_change_budget_{year}", key="rule_change_budget", source_kinds=hit["source_kind"])


db = page_start("page_rule_change")
region = context.region()
with st.columns([1, 3])[0]:
    year = int(context.selectbox("year", tr("year"), load(compare.years, region)[::-1]))
st.caption(tr("rc_intro"))
try:
    framework = rule_change.framework_for(db, year, region)
except RuleChangeError as error:
    st.error(refusal(error))
    st.stop()
with st.container(border=True):
    st.markdown(f"**{tr('rc_params')}**")
    change, valid = parameters(framework, region, year)
if not valid:
    st.warning(tr("rc_fix_first"))
    st.stop()
try:
    frame = shown_departments(rule_change.run(db, year, change, region, budget_cuts(framework)))     # display only
except RuleChangeError as error:
    st.error(refusal(error))
    st.stop()
synthetic_notice(int((frame["source_kind"] == "synthetic").sum()))
if change == RuleChange():
    st.info(tr("rc_no_change"))
for column, key, count in zip(st.columns(3), ("rc_changed_total", "rc_changed_rank", "rc_changed_grade"),
                              ((frame["total_change"] != 0).sum(), (frame["rank_shift"] != 0).sum(),
                               frame["grade_changed"].sum())):
    column.metric(tr(key), f"{int(count)} / {len(frame)}")
ranking_table(frame, year)
movements(frame)
budget_section(framework, frame, year)
