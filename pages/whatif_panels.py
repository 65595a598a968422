"""Streamlit pieces of the what-if page: the inputs (held in session state), the results panel, goal
seek and sensitivity.  Not a page: pages/whatif.py draws them and the saved scenarios.

Every input lives under a session key ``wi_in_<override key>`` and starts at its actual value; the
scenario's overrides are exactly the inputs whose value differs from the actual one.
"""
from __future__ import annotations

import math
import re

import pandas as pd
import streamlit as st

from analytics import goal_seek, rules, scenario, scenario_text
from analytics.charts import scenario as charts
from analytics.escape import markdown
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import FAILED_PREFIX, SCORE_PREFIX, Baseline, ScenarioInputError, ScenarioResult
from pages.common import download_buttons, grade_name, language, tr

PREFIX = "wi_in_"
MODE_KEY = "wi_spent_mode"
LOADED_KEY = "wi_loaded"
PENDING_KEY = "wi_pending"          # overrides to load into the inputs on the next run (reopen a scenario)
SPENDING = {"amount": "spent_total", "rate": "execution_rate"}
AMOUNT_STEP, RATE_STEP = 100.0, 1.0
# Rows of the input grid: (left, right) override keys, and the choice of spending by amount or rate.
GRID = (("budget_total", MODE_KEY), ("spent_total", "execution_rate"), ("carryover_amount", "carryover_rate_prev"),
        ("initial_budget_total", "final_account_total"), (MUNICIPAL_AVG_DIFF_RATE, None))
# The engine's validation messages, as translatable texts (anything else is shown as it comes).
MESSAGES = (
    (r"empty or not a number", "wi_err_empty"),
    (r"must not be negative", "wi_err_negative"),
    (r"rate above 100%", "wi_err_rate_over"),
    (r"rate out of range", "wi_err_rate_range"),
    (r"full-year budget must be above 0", "wi_err_budget_zero"),
    (r"spending (?P<spent>[\d.]+) is above the full-year budget (?P<budget>[\d.]+)", "wi_err_spent_over"),
    (r"carry-over is above the full-year budget (?P<budget>[\d.]+)", "wi_err_carry_over"),
    (r"initial budget must be above 0", "wi_err_initial_zero"),
    (r"score must be between 0 and (?P<weight>[\d.]+)", "wi_err_score_range"),
    (r"needs a name", "wi_err_name_needed"),
    (r"named '(?P<name>.*)' already exists", "wi_err_name_taken"),
)


def localized(message: str) -> str:
    for pattern, key in MESSAGES:
        found = re.search(pattern, message)
        if found:
            return tr(key, **found.groupdict())
    return markdown(message)


def describe_overrides(overrides: dict) -> str:
    return scenario_text.describe_overrides(overrides, language())


# -- inputs in session state -------------------------------------------------------------------------

def _of_kind(baseline: Baseline, kind: str) -> list:
    return [ind for ind in baseline.framework.indicators if ind.kind == kind]


def _stored_failed(baseline: Baseline, code: str) -> int:
    return baseline.inputs[code].failed_count or 0


def actual_values(baseline: Baseline) -> dict:
    """Every input's actual value, by override key."""
    figures = baseline.figures
    values = {key: figures.get(key) for key in scenario.FIGURE_KEYS if key in figures}
    values["execution_rate"] = rules.rate_percent(figures.get("spent_total"), figures.get("budget_total"))
    values[MUNICIPAL_AVG_DIFF_RATE] = baseline.params.get(MUNICIPAL_AVG_DIFF_RATE)
    values |= {f"{FAILED_PREFIX}{i.code}": _stored_failed(baseline, i.code) for i in _of_kind(baseline, "checklist")}
    values |= {f"{SCORE_PREFIX}{ind.code}": baseline.score(ind.code) for ind in _of_kind(baseline, "judged")}
    return values


def _check_key(code: str, n: int) -> str:
    return f"{PREFIX}{FAILED_PREFIX}{code}:{n}"


def load_into_state(baseline: Baseline, overrides: dict) -> None:
    """Set every input to its actual value, then to the given overrides (reset, reopen, apply)."""
    state = st.session_state
    for key, value in (actual_values(baseline) | overrides).items():
        if key.startswith(FAILED_PREFIX):
            code = key[len(FAILED_PREFIX):]
            for n in range(len(baseline.framework.indicator(code).checks)):
                state[_check_key(code, n)] = n < int(value)
        else:
            state[PREFIX + key] = value
    state[MODE_KEY] = "rate" if "execution_rate" in overrides else "amount"
    state[LOADED_KEY] = (baseline.evaluation_id, baseline.data_version)


def set_input(baseline: Baseline, key: str, value: float) -> None:
    """Callback of the "apply this answer" buttons: one input to a value, the others as they are."""
    overrides = current_overrides(baseline)
    if key == "spent_total":
        overrides.pop("execution_rate", None)       # an amount answer: enter spending by amount
    load_into_state(baseline, overrides | {key: value})


def prepare(baseline: Baseline) -> None:
    """Inputs at their actual values for a newly chosen evaluation, or a reopened scenario's values."""
    state = st.session_state
    if PENDING_KEY in state or state.get(LOADED_KEY) != (baseline.evaluation_id, baseline.data_version) \
            or any(PREFIX + key not in state for key in scenario.FIGURE_KEYS):
        load_into_state(baseline, state.pop(PENDING_KEY, {}))


def current_overrides(baseline: Baseline) -> dict:
    """The inputs whose value differs from the actual one (the amount or the rate of spending, as chosen)."""
    state = st.session_state
    inactive = SPENDING["amount" if state.get(MODE_KEY) == "rate" else "rate"]
    overrides = {}
    for key, actual in actual_values(baseline).items():
        if key == inactive:
            continue
        if key.startswith(FAILED_PREFIX):
            code = key[len(FAILED_PREFIX):]
            checks = baseline.framework.indicator(code).checks
            value = sum(bool(state.get(_check_key(code, n))) for n in range(len(checks)))
        else:
            value = state.get(PREFIX + key)
        if value != actual:
            overrides[key] = value
    return overrides


def _shown_figures(baseline: Baseline, overrides: dict, errors: dict) -> dict:
    """The figures the rates beside the inputs are computed from: the valid overrides applied, and
    None for a figure that is itself in error."""
    figures = scenario.scenario_figures(baseline, {k: v for k, v in overrides.items() if k not in errors})
    if {"spent_total", "execution_rate"} & set(errors):
        figures["spent_total"] = None
    return {k: None if k in errors else v for k, v in figures.items()}


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _number(key: str, label: str, errors: dict, error_keys=(), disabled: bool = False) -> None:
    rate = key in scenario.RATE_KEYS
    st.number_input(label, key=PREFIX + key, value=None, step=RATE_STEP if rate else AMOUNT_STEP, format="%.2f",
                    disabled=disabled)
    for error_key in (key, *error_keys):
        if error_key in errors:
            st.error(localized(errors[error_key]), icon=":material/error:")


def _spending_mode(figures: dict) -> None:
    """Spending by amount or by rate; the other of the two is shown derived from the first."""
    labels = {m: tr(f"wi_mode_{m}") for m in SPENDING}     # looked up now: AppTest formats outside a run
    mode = st.radio(tr("wi_spent_mode"), list(labels), key=MODE_KEY, horizontal=True, format_func=labels.get)
    derived = {"amount": ("execution_rate", rules.rate_percent(figures["spent_total"], figures["budget_total"])),
               "rate": ("spent_total", figures["spent_total"])}
    key, value = derived[mode]
    st.session_state[PREFIX + key] = value


def _input(baseline: Baseline, key: str, figures: dict, errors: dict) -> None:
    """One cell of the grid: the input, the rate derived from it, and its errors."""
    if key == MODE_KEY:
        _spending_mode(figures)
    elif key in SPENDING.values():
        active = SPENDING[st.session_state[MODE_KEY]]
        _number(key, tr(f"wi_{key}"), errors if key == active else {},
                tuple(k for k in SPENDING.values() if k != key), disabled=key != active)
    elif key == MUNICIPAL_AVG_DIFF_RATE:
        _number(key, tr("wi_municipal_avg_diff_rate", year=baseline.year), errors)
    else:
        _number(key, tr(f"wi_{key}"), errors)
    if key == "carryover_amount":
        st.caption(tr("wi_derived_carryover", rate=_percent(
            rules.rate_percent(figures["carryover_amount"], figures["budget_total"]))))
    elif key == "final_account_total":
        st.caption(tr("wi_derived_diff", rate=_percent(
            rules.change_rate_percent(figures["final_account_total"], figures["initial_budget_total"]))))


def figure_inputs(baseline: Baseline, overrides: dict, errors: dict) -> None:
    figures = _shown_figures(baseline, overrides, errors)
    for row in GRID:
        for column, key in zip(st.columns(2), row):
            if key is not None:
                with column:
                    _input(baseline, key, figures, errors)


def checklist_inputs(baseline: Baseline, errors: dict) -> None:
    lang = language()
    with st.expander(tr("wi_checks_title")):
        st.caption(tr("wi_checks_note"))
        for ind in _of_kind(baseline, "checklist"):
            st.markdown(tr("wi_check_header", name=scenario_text.indicator_name(ind.code, lang), weight=ind.weight,
                           deduction=ind.rule["deduction"], failed=_stored_failed(baseline, ind.code)))
            for n, check in enumerate(ind.checks):
                st.checkbox(check["zh"] if lang == "zh" else check.get("en", check["zh"]), key=_check_key(ind.code, n))
            if f"{FAILED_PREFIX}{ind.code}" in errors:
                st.error(localized(errors[f"{FAILED_PREFIX}{ind.code}"]))


def judged_inputs(baseline: Baseline, errors: dict) -> None:
    lang = language()
    with st.expander(tr("wi_judged_title")):
        judged = _of_kind(baseline, "judged")
        for pair in [judged[i:i + 2] for i in range(0, len(judged), 2)]:
            for column, ind in zip(st.columns(2), pair):
                key = f"{SCORE_PREFIX}{ind.code}"
                column.number_input(tr("wi_judged_label", name=scenario_text.indicator_name(ind.code, lang),
                                       weight=ind.weight), key=PREFIX + key, min_value=0.0,
                                    max_value=float(ind.weight), value=None, step=0.5, format="%.2f")
                if key in errors:
                    column.error(localized(errors[key]))


# -- results -----------------------------------------------------------------------------------------

def _metrics(baseline: Baseline, result: ScenarioResult) -> None:
    deltas, lang = result.deltas, language()
    actual_grade = baseline.level1.get("grade")
    total, grade, rank = st.columns(3)
    total.metric(tr("total"), f"{result.total:.2f}", f"{deltas['total']:+.2f}" if deltas["total"] else None,
                 delta_description=tr("wi_vs_actual") if deltas["total"] else None)
    moved = result.grade != actual_grade
    grade.metric(tr("grade"), grade_name(result.grade),
                 tr("wi_grade_move", old=grade_name(actual_grade), new=grade_name(result.grade)) if moved else None,
                 delta_color="off", delta_arrow=("up" if deltas["total"] > 0 else "down") if moved else "auto")
    rank.metric(tr("rank"), tr("wi_rank_value", rank=result.rank, count=result.rank_of),
                tr("wi_places", places=deltas["rank"]) if deltas["rank"] else None)
    for column, l1 in zip(st.columns(len(baseline.framework.level1)), baseline.framework.level1):
        change = deltas[l1["code"]]
        column.metric(l1["zh"] if lang == "zh" else l1["en"], f"{result.level1[l1['code']]:.2f}",
                      f"{change:+.2f}" if change else None)


def _discrepancies(baseline: Baseline) -> None:
    """Indicators whose reported score disagrees with their rule: touching them rescores by the rule."""
    for ind in baseline.framework.indicators:
        reported, rule = baseline.reported.get(ind.code), baseline.rule.get(ind.code)
        if reported is not None and rule is not None and abs(rule - reported) > 0.005:
            st.caption(tr("wi_discrepancy", name=scenario_text.indicator_name(ind.code, language()),
                          reported=reported, rule=rule, difference=rule - reported))


def _scores_table(baseline: Baseline, result: ScenarioResult) -> None:
    lang = language()
    table = pd.DataFrame({
        tr("wi_col_indicator"): [scenario_text.indicator_name(i.code, lang) for i in baseline.framework.indicators],
        tr("wi_col_weight"): [i.weight for i in baseline.framework.indicators],
        tr("wi_col_actual"): [baseline.score(i.code) for i in baseline.framework.indicators],
        tr("wi_col_scenario"): [result.scores[i.code] for i in baseline.framework.indicators]})
    table[tr("wi_col_change")] = (table[tr("wi_col_scenario")] - table[tr("wi_col_actual")]).round(2)
    with st.expander(tr("wi_scores_title")):
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={c: st.column_config.NumberColumn(format="%.2f") for c in table.columns[1:]})
        download_buttons(table, f"whatif_{baseline.year}", key="whatif_scores",
                         source_kinds=pd.Series(baseline.source_kind, index=table.index))


def results_panel(baseline: Baseline, overrides: dict, result: ScenarioResult | None) -> None:
    st.subheader(tr("wi_results"))
    if result is None:
        st.error(tr("wi_cannot_score"), icon=":material/block:")
        return
    _metrics(baseline, result)
    if not overrides:
        st.info(tr("wi_no_change"))
    elif not result.changed:
        st.info(tr("wi_no_move"))
    else:
        st.plotly_chart(charts.moved_waterfall(result.changed, baseline.level1["total"], result.total, language(),
                                               tr("wi_waterfall_title")), width="stretch", key="wi_waterfall")
    st.caption(tr("wi_semantics"))
    _discrepancies(baseline)
    _scores_table(baseline, result)


# -- goal seek and sensitivity -----------------------------------------------------------------------

def _goal(baseline: Baseline, result: ScenarioResult, kind: str) -> tuple[float, str] | None:
    """The target total and its wording, or None when there is nothing above (top grade, first place)."""
    lang = language()
    if kind == "grade":
        found = goal_seek.next_grade_target(baseline, result.total)
        return found and (found[1], scenario_text.goal_label("grade", found[1], lang, grade=found[0]))
    if kind == "rank":
        above = goal_seek.rank_above_target(baseline, result.total)
        return above and (above, scenario_text.goal_label("rank", above, lang))
    st.session_state.setdefault("wi_goal_score", float(min(100, math.floor(result.total) + 2)))
    value = st.number_input(tr("wi_goal_value"), min_value=0.0, max_value=100.0, step=0.5, format="%.2f",
                            key="wi_goal_score")
    return value, scenario_text.goal_label("score", value, lang)


def _apply_button(baseline: Baseline, key: str, value: float, button_key: str) -> None:
    st.button(tr("wi_apply"), key=button_key, on_click=set_input, args=(baseline, key, value),
              icon=":material/input:")


def goal_seek_panel(baseline: Baseline, overrides: dict, result: ScenarioResult | None) -> None:
    st.subheader(tr("wi_goal_title"))
    if result is None:
        st.info(tr("wi_goal_unavailable"))
        return
    lang = language()
    kind_column, vary_column = st.columns(2)
    kinds = {kind: tr(f"wi_goal_{name}") for kind, name in (("grade", "next_grade"), ("score", "score"),
                                                              ("rank", "rank"))}
    kind = kind_column.radio(tr("wi_goal_kind"), list(kinds), key="wi_goal_kind", format_func=kinds.get)
    inputs = {vary: tr(f"input_{vary}") for vary in goal_seek.SEEKABLE}
    vary = vary_column.selectbox(tr("wi_vary"), list(inputs), key="wi_vary", format_func=inputs.get)
    goal = _goal(baseline, result, kind)
    if goal is None:
        st.success(tr("top_grade" if kind == "grade" else "top_rank"))
    else:
        answer = goal_seek.seek(baseline, goal[0], vary, overrides)
        sentence = scenario_text.describe_seek(answer, goal[1], lang)
        (st.success if answer.reachable else st.warning)(sentence)
        # an answer that keeps the input at its actual value offers a button only where the scenario moved it
        if answer.reachable and not answer.already \
                and answer.value != scenario.scenario_figures(baseline, overrides).get(vary):
            _apply_button(baseline, vary, answer.value, "wi_apply_seek")
    st.caption(tr("wi_goal_note"))
    st.markdown(f"**{tr('wi_limits')}**")
    carry = goal_seek.max_carryover_for_full_marks(baseline, overrides)
    st.info(scenario_text.describe_max_carryover(carry, lang))
    if carry.get("applicable") and carry["current_amount"] > carry["max_amount"]:
        _apply_button(baseline, "carryover_amount", carry["max_amount"], "wi_apply_carryover")
    diff = goal_seek.diff_rate_without_loss(baseline, overrides)
    st.info(scenario_text.describe_diff_no_loss(diff, lang))
    final = scenario.scenario_figures(baseline, overrides).get("final_account_total")
    if diff.get("applicable") and final is not None and final > diff["max_final_account"]:
        _apply_button(baseline, "final_account_total", diff["max_final_account"], "wi_apply_diff")


def sensitivity_panel(baseline: Baseline, overrides: dict, result: ScenarioResult | None) -> None:
    st.subheader(tr("wi_sens_title"))
    if result is None:
        st.info(tr("wi_goal_unavailable"))
        return
    rows = goal_seek.sensitivity(baseline, overrides)
    st.plotly_chart(charts.tornado(rows, baseline.framework, language()), width="stretch", key="wi_tornado")
    st.caption(tr("wi_sens_caption"))


# -- the studio: inputs beside results, rerun alone as inputs change -----------------------------------

def score(baseline: Baseline, overrides: dict) -> tuple[ScenarioResult | None, dict]:
    try:
        return scenario.apply(baseline, overrides), {}
    except ScenarioInputError as error:
        return None, error.errors


def keep_choices_across_languages() -> None:
    """Radios and selectboxes hold the *label* of their choice, so after a language switch they would
    show none; setting each choice again (read with the old labels) shows it under the new ones."""
    state = st.session_state
    if state.get("wi_labels_lang") != language():
        for key in (MODE_KEY, "wi_goal_kind", "wi_vary"):
            if key in state:
                state[key] = state[key]
        state["wi_labels_lang"] = language()


@st.fragment
def studio(baseline: Baseline) -> None:
    keep_choices_across_languages()
    prepare(baseline)
    overrides = current_overrides(baseline)
    result, errors = score(baseline, overrides)
    inputs, results = st.columns([4, 5], gap="large")
    with inputs:
        st.subheader(tr("wi_inputs"))
        figure_inputs(baseline, overrides, errors)
        checklist_inputs(baseline, errors)
        judged_inputs(baseline, errors)
        st.button(tr("wi_reset"), key="wi_reset", on_click=load_into_state, args=(baseline, {}),
                  icon=":material/restart_alt:")
    with results:
        results_panel(baseline, overrides, result)
    seek_column, sensitivity_column = st.columns([4, 5], gap="large")
    with seek_column:
        goal_seek_panel(baseline, overrides, result)
    with sensitivity_column:
        sensitivity_panel(baseline, overrides, result)
