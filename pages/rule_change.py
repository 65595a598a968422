"""规则调整模拟 / Rule-change scenarios: change a rule parameter for every department of a year and see
the new ranking beside the old, rank shifts, grade changes, who gains and who loses, and an optional
budget consequence per grade that is clearly a user-set assumption.  Nothing is written."""
import pandas as pd
import streamlit as st

from analytics import compare, rule_change
from analytics.charts import scenario as charts
from analytics.charts.style import GAIN, LOSS, grade_colour
from analytics.domain.model import Framework
from analytics.i18n import parameter_source
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.rule_change import DEDUCTIONS, RuleChange, RuleChangeError
from analytics.scenario_text import indicator_name
from pages import context
from pages.common import download_buttons, language, load, page_start, synthetic_notice, tr

TABLE_COLUMNS = {"new_rank": "rc_new_rank", "department": "department", "old_total": "rc_old_total",
                 "old_grade": "rc_old_grade", "old_rank": "rc_old_rank", "new_total": "rc_new_total",
                 "new_grade": "rc_new_grade", "total_change": "rc_change", "rank_shift": "rc_rank_shift"}
# RuleChange field -> (session key, translation key of its input)
DEDUCTION_INPUTS = {"carryover_deduction_per_point": ("rc_carry", "rc_carry_deduction"),
                    "diff_deduction_per_step": ("rc_diff", "rc_diff_deduction")}


def bands(fw: Framework) -> list:
    return sorted(fw.grade_bands, key=lambda b: -b.min)


def grade_name(grade: str | None) -> str:
    """A grade in the words of the framework the page works on."""
    return framework.grade_label(grade, language())


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


def checked(fw: Framework, name: str, fields: dict, **values) -> tuple[dict, bool]:
    """Validate one group of parameters and say what is wrong right under its inputs."""
    try:
        RuleChange(**fields).validate(fw)
    except RuleChangeError:
        st.error(tr(f"rc_err_{name}", **values), icon=":material/error:")
        return fields, False
    return fields, True


def deduction_inputs(fw: Framework) -> dict:
    """The framework's deductions a rule change may set: RuleChange field -> (leaf, its current ``per``)."""
    found = {name: rule_change.deduction_leaf(fw, concept) for name, concept in DEDUCTIONS.items()}
    return {name: (leaf, leaf.rule.params["per"]) for name, leaf in found.items() if leaf is not None}


def parameters(fw: Framework, region: str, year: int) -> tuple[RuleChange, bool]:
    """The inputs, four groups side by side; returns the change (changed parameters only) and whether
    every group is valid."""
    stored = load(compare.year_param, region, year, MUNICIPAL_AVG_DIFF_RATE)
    stored_avg = stored["value"] if stored else None
    average, deductions, band_column, weights = st.columns(4, gap="medium")
    groups = []
    with average:
        if rule_change.reads_figure(fw, MUNICIPAL_AVG_DIFF_RATE):
            avg = number(tr("rc_avg", year=year), f"rc_avg_{year}", stored_avg or 0.0, step=1.0, format="%.2f")
            if stored:
                st.caption(tr("rc_avg_source", value=stored["value"],
                              source=parameter_source(stored["source"], stored["is_synthetic"], language())))
            key = MUNICIPAL_AVG_DIFF_RATE
            groups.append(checked(fw, "avg", changed_only({key: avg}, {key: stored_avg})))
        else:
            st.caption(tr("rc_avg_na"))
    with deductions:
        current = deduction_inputs(fw)
        if not current:
            st.caption(tr("rc_deductions_na"))
        given = {name: number(tr(DEDUCTION_INPUTS[name][1], step=leaf.rule.params.get("step", 1)),
                              DEDUCTION_INPUTS[name][0], per, step=0.1, format="%.2f")
                 for name, (leaf, per) in current.items()}
        groups.append(checked(fw, "deductions", changed_only(given, {n: per for n, (_, per) in current.items()})))
    with band_column:
        st.markdown(f"**{tr('rc_bands')}**")
        lows = {b.label: float(b.min) for b in bands(fw)[:-1]}          # the lowest band always starts at 0
        mins = {grade: number(tr("rc_band", grade=grade_name(grade)), f"rc_band_{grade}", low, step=1.0, format="%.1f")
                for grade, low in lows.items()}
        groups.append(checked(fw, "bands", {"grade_bands": changed_only(mins, lows)}))
    with weights:
        st.markdown(f"**{tr('rc_weights')}**")
        current = rule_change.level1_weights(fw)
        if not current:
            st.caption(tr("rc_weights_na"))
        given = {code: number(indicator_name(code, language(), fw), f"rc_weight_{code}", weight, step=1.0,
                              format="%.1f") for code, weight in current.items()}
        groups.append(checked(fw, "weights", {"level1_weights": changed_only(given, current)}, sum=sum(given.values())))
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
    styler = view.style.format({headers[c]: "{:.2f}" for c in ("old_total", "new_total")})
    styler = styler.format({headers["total_change"]: lambda v: f"{v:+.2f}" if v else "0.00",
                            headers["rank_shift"]: lambda v: f"{v:+d}" if v else "0"})
    styler = styler.map(_signed_colour, subset=[headers["total_change"], headers["rank_shift"]])
    for column in ("old_grade", "new_grade"):
        colours = [f"color: {grade_colour(g)}; font-weight: 600" for g in grades[column]]
        styler = styler.apply(lambda _, colours=colours: colours, subset=[headers[column]])
    st.dataframe(styler, hide_index=True, width="stretch", height=420,
                 column_config={headers[c]: st.column_config.NumberColumn(format="%.2f")
                                for c in ("old_total", "new_total")})
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
    st.error(str(error))
    st.stop()
with st.container(border=True):
    st.markdown(f"**{tr('rc_params')}**")
    change, valid = parameters(framework, region, year)
if not valid:
    st.warning(tr("rc_fix_first"))
    st.stop()
try:
    frame = rule_change.run(db, year, change, region, budget_cuts(framework))
except RuleChangeError as error:
    st.error(str(error))
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
