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

from analytics import goal_seek, scenario, scenario_text, seek_text
from analytics.charts import scenario as charts
from analytics.escape import markdown
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import (EXECUTION_RATE, FAILED_PREFIX, SCORE_PREFIX, Baseline, FieldError, ScenarioInputError,
                                ScenarioResult)
from pages.common import download_buttons, language, searchable_table, tr

PREFIX = "wi_in_"
MODE_KEY = "wi_spent_mode"
LOADED_KEY = "wi_loaded"
PENDING_KEY = "wi_pending"          # overrides to load into the inputs on the next run (reopen a scenario)
# Figures shown together (an amount beside the figure it is judged against), in this order, before the rest.
PAIRED = (("carryover_amount", "carryover_rate_prev"), ("initial_budget_total", "final_account_total"))
# The saved-scenario store's messages, as translatable texts (anything else is shown as it comes).
MESSAGES = (
    (r"needs a name", "wi_err_name_needed"),
    (r"named '(?P<name>.*)' already exists", "wi_err_name_taken"),
)


def localized(message: str) -> str:
    """An input's error (``scenario.FieldError``: its code in the user's words) or a store message."""
    if isinstance(message, FieldError):
        return tr(f"wi_err_{message.code}", **message.params)
    for pattern, key in MESSAGES:
        found = re.search(pattern, message)
        if found:
            return tr(key, **found.groupdict())
    return markdown(message)


def grade_name(baseline: Baseline, grade: str | None) -> str:
    return baseline.framework.grade_label(grade, language())


def describe_overrides(overrides: dict, baseline: Baseline) -> str:
    return scenario_text.describe_overrides(overrides, language(), baseline.tree)


def spending(baseline: Baseline) -> dict:
    """Spending by "amount" or by "rate": the execution rate's numerator figure, or the rate ({} without one)."""
    leaf = scenario.execution_leaf(baseline)
    return {} if leaf is None else {"amount": leaf.rule.params["numerator"], "rate": EXECUTION_RATE}


def grid(baseline: Baseline) -> list[tuple]:
    """Rows of the input grid, (left, right) override keys: the budget beside the choice of spending by amount
    or rate and the two spending inputs, the paired figures, then every other figure the rules read."""
    keys = [k for k in scenario.figure_keys(baseline) if k != EXECUTION_RATE]
    rows = []
    ways = spending(baseline)
    if ways:
        budget = scenario.execution_leaf(baseline).rule.params["denominator"]
        rows += [(budget, MODE_KEY), (ways["amount"], ways["rate"])]
    rows += [pair for pair in PAIRED if set(pair) <= set(keys)]
    rest = [k for k in keys if all(k not in row for row in rows)]
    return rows + [tuple(rest[i:i + 2]) + (None,) * (2 - len(rest[i:i + 2])) for i in range(0, len(rest), 2)]


# -- inputs in session state -------------------------------------------------------------------------

def _checks(baseline: Baseline, code: str) -> tuple:
    return baseline.tree.node(code).rule.params["checks"]


def actual_values(baseline: Baseline) -> dict:
    """Every input's actual value, by override key."""
    figures = baseline.figures
    values = {key: figures.get(key) for key in scenario.figure_keys(baseline) if key != EXECUTION_RATE}
    if (leaf := scenario.execution_leaf(baseline)) is not None:
        values[EXECUTION_RATE] = scenario.leaf_rate(baseline, leaf.code, {})
    return values | scenario.leaf_input_values(baseline)


def _check_key(code: str, n: int) -> str:
    return f"{PREFIX}{FAILED_PREFIX}{code}:{n}"


def typed(baseline: Baseline, key: str) -> bool:
    """Whether an input is typed as text (figures, actual values, coefficients, qualitative scores), so that
    what cannot be read as a number ("12万") is refused with a message instead of guessed at; checklists
    are ticked and judged scores are bounded number inputs."""
    if key.startswith(FAILED_PREFIX):
        return False
    return not (key.startswith(SCORE_PREFIX) and baseline.tree.node(key[len(SCORE_PREFIX):]).rule.kind == "judged")


def shown(value) -> str:
    """A typed input's text: the number with thousands separators and two decimals, blank if unknown."""
    return "" if value is None else f"{value:,.2f}"


def load_into_state(baseline: Baseline, overrides: dict) -> None:
    """Set every input to its actual value, then to the given overrides (reset, reopen, apply)."""
    state = st.session_state
    for key, value in (actual_values(baseline) | overrides).items():
        if key.startswith(FAILED_PREFIX):
            code = key[len(FAILED_PREFIX):]
            for n in range(len(_checks(baseline, code))):
                state[_check_key(code, n)] = n < int(value)
        else:
            state[PREFIX + key] = shown(value) if typed(baseline, key) else value
    state[MODE_KEY] = "rate" if EXECUTION_RATE in overrides else "amount"
    state[LOADED_KEY] = (baseline.evaluation_id, baseline.data_version)


def set_input(baseline: Baseline, key: str, value: float) -> None:
    """Callback of the "apply this answer" buttons: one input to a value, the others as they are."""
    overrides = current_overrides(baseline)
    if key == spending(baseline).get("amount"):
        overrides.pop(EXECUTION_RATE, None)         # an amount answer: enter spending by amount
    load_into_state(baseline, overrides | {key: value})


def prepare(baseline: Baseline) -> None:
    """Inputs at their actual values for a newly chosen evaluation, or a reopened scenario's values."""
    state = st.session_state
    if PENDING_KEY in state or state.get(LOADED_KEY) != (baseline.evaluation_id, baseline.data_version) \
            or any(PREFIX + key not in state for key in scenario.figure_keys(baseline)):
        load_into_state(baseline, state.pop(PENDING_KEY, {}))


def read_inputs(baseline: Baseline) -> tuple[dict, dict]:
    """The inputs whose value differs from the actual one (the amount or the rate of spending, as chosen),
    and the typed inputs that cannot be read as a number (input key -> ``FieldError``)."""
    state = st.session_state
    inactive = spending(baseline).get("amount" if state.get(MODE_KEY) == "rate" else "rate")
    overrides, unreadable = {}, {}
    for key, actual in actual_values(baseline).items():
        if key == inactive:
            continue
        if key.startswith(FAILED_PREFIX):
            code = key[len(FAILED_PREFIX):]
            value = sum(bool(state.get(_check_key(code, n))) for n in range(len(_checks(baseline, code))))
        elif typed(baseline, key):
            text = state.get(PREFIX + key)
            if (text or "").strip() == shown(actual):
                continue
            try:
                value = scenario.parse_number(text)
            except scenario.NotANumber as refused:
                unreadable[key] = refused.error
                continue
        else:
            value = state.get(PREFIX + key)
        if value != actual:
            overrides[key] = value
    return overrides, unreadable


def current_overrides(baseline: Baseline) -> dict:
    """The inputs that differ from the actual ones and can be read as numbers."""
    return read_inputs(baseline)[0]


def _shown_figures(baseline: Baseline, overrides: dict, errors: dict) -> dict:
    """The figures the rates beside the inputs are computed from: the valid overrides applied, and
    None for a figure that is itself in error."""
    valid = {k: v for k, v in overrides.items() if k not in errors}
    figures = scenario.scenario_figures(baseline, valid)
    if set(spending(baseline).values()) & set(errors):
        figures[spending(baseline)["amount"]] = None
    shown = {k: None if k in errors else v for k, v in figures.items()}
    return shown | {f"rate:{leaf.code}": _rate(baseline, leaf.code, valid, errors) for leaf in baseline.leaves()}


def _rate(baseline: Baseline, code: str, valid: dict, errors: dict) -> float | None:
    """The rate a leaf's rule computes at the valid inputs; None when an input it reads is in error."""
    leaf = baseline.tree.node(code)
    if set(errors) & set(scenario.figures_read(leaf)):
        return None
    return scenario.leaf_rate(baseline, code, valid)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}%"


def _number(baseline: Baseline, key: str, label: str, errors: dict, error_keys=(), disabled: bool = False) -> None:
    """A typed number: a bad value is marked right under it, the other inputs and panels carry on."""
    st.text_input(label, key=PREFIX + key, disabled=disabled)
    for error_key in (key, *error_keys):
        if error_key in errors:
            st.error(localized(errors[error_key]), icon=":material/error:")


def _spending_mode(baseline: Baseline, figures: dict) -> None:
    """Spending by amount or by rate; the other of the two is shown derived from the first."""
    ways = spending(baseline)
    labels = {m: tr(f"wi_mode_{m}") for m in ways}     # looked up now: AppTest formats outside a run
    mode = st.radio(tr("wi_spent_mode"), list(labels), key=MODE_KEY, horizontal=True, format_func=labels.get)
    derived = {"amount": (ways["rate"], figures[f"rate:{scenario.execution_leaf(baseline).code}"]),
               "rate": (ways["amount"], figures[ways["amount"]])}
    key, value = derived[mode]
    st.session_state[PREFIX + key] = shown(value)


def _input(baseline: Baseline, key: str, figures: dict, errors: dict) -> None:
    """One cell of the grid: the input, the rates its indicators compute from it, and its errors."""
    ways = spending(baseline)
    lang = language()
    if key == MODE_KEY:
        _spending_mode(baseline, figures)
    elif key in ways.values():
        active = ways[st.session_state[MODE_KEY]]
        _number(baseline, key, scenario_text.input_label(key, lang, baseline.tree), errors if key == active else {},
                tuple(k for k in ways.values() if k != key), disabled=key != active)
    elif key == MUNICIPAL_AVG_DIFF_RATE:
        _number(baseline, key, tr("wi_municipal_avg_diff_rate", year=baseline.year), errors)
    else:
        _number(baseline, key, scenario_text.input_label(key, lang, baseline.tree), errors)
    execution = scenario.execution_leaf(baseline)
    for leaf in baseline.leaves():
        if leaf is not execution and scenario.figures_read(leaf)[:1] == [key] and key != MODE_KEY:
            st.caption(tr("wi_derived_rate", name=scenario_text.indicator_name(leaf.code, lang, baseline.tree),
                          rate=_percent(figures[f"rate:{leaf.code}"])))


def figure_inputs(baseline: Baseline, overrides: dict, errors: dict) -> None:
    figures = _shown_figures(baseline, overrides, errors)
    for row in grid(baseline):
        for column, key in zip(st.columns(2), row):
            if key is not None:
                with column:
                    _input(baseline, key, figures, errors)


def checklist_inputs(baseline: Baseline, errors: dict) -> None:
    lang = language()
    with st.expander(tr("wi_checks_title")):
        st.caption(tr("wi_checks_note"))
        for leaf in baseline.leaves("checklist"):
            st.markdown(tr("wi_check_header", name=scenario_text.indicator_name(leaf.code, lang, baseline.tree),
                           weight=leaf.weight, deduction=leaf.rule.params["deduction"],
                           failed=scenario.failed_checks(baseline, leaf.code)))
            for n, check in enumerate(_checks(baseline, leaf.code)):
                st.checkbox(check["zh"] if lang == "zh" else check.get("en", check["zh"]), key=_check_key(leaf.code, n))
            if f"{FAILED_PREFIX}{leaf.code}" in errors:
                st.error(localized(errors[f"{FAILED_PREFIX}{leaf.code}"]))


def judged_inputs(baseline: Baseline, errors: dict) -> None:
    lang = language()
    with st.expander(tr("wi_judged_title")):
        judged = baseline.leaves("judged")
        for pair in [judged[i:i + 2] for i in range(0, len(judged), 2)]:
            for column, leaf in zip(st.columns(2), pair):
                key = f"{SCORE_PREFIX}{leaf.code}"
                column.number_input(tr("wi_judged_label", name=scenario_text.indicator_name(leaf.code, lang,
                                                                                          baseline.tree),
                                       weight=leaf.weight), key=PREFIX + key, min_value=0.0,
                                    max_value=float(leaf.weight), value=None, step=0.5, format="%.2f")
                if key in errors:
                    column.error(localized(errors[key]))


def own_inputs(baseline: Baseline, errors: dict) -> None:
    """The indicators judged one by one beyond checklists and judged scores (those an evaluation brings to the
    national layout, say): a numeric target's actual value, a qualitative score, a score coefficient."""
    lang = language()
    keys = [key for key in scenario.leaf_input_values(baseline)
            if key.startswith((scenario.ACTUAL_PREFIX, scenario.COEFFICIENT_PREFIX))
            or (key.startswith(SCORE_PREFIX) and baseline.tree.node(key[len(SCORE_PREFIX):]).rule.kind != "judged")]
    if not keys:
        return
    with st.expander(tr("wi_own_title")):
        for pair in [keys[i:i + 2] for i in range(0, len(keys), 2)]:
            for column, key in zip(st.columns(2), pair):
                prefix, code = key.split(":", 1)
                leaf = baseline.tree.node(code)
                name = scenario_text.indicator_name(code, lang, baseline.tree)
                label = tr(f"wi_own_{prefix}", name=name, weight=leaf.weight,
                           target=baseline.inputs.leaf(code).target or "")
                with column:
                    _number(baseline, key, label, errors)


# -- results -----------------------------------------------------------------------------------------

def _metrics(baseline: Baseline, result: ScenarioResult) -> None:
    deltas, lang = result.deltas, language()
    actual_grade = baseline.level1.get("grade")
    total, grade, rank = st.columns(3)
    total.metric(tr("total"), f"{result.total:.2f}", f"{deltas['total']:+.2f}" if deltas["total"] else None,
                 delta_description=tr("wi_vs_actual") if deltas["total"] else None)
    moved = result.grade != actual_grade
    grade.metric(tr("grade"), grade_name(baseline, result.grade),
                 tr("wi_grade_move", old=grade_name(baseline, actual_grade), new=grade_name(baseline, result.grade))
                 if moved else None,
                 delta_color="off", delta_arrow=("up" if deltas["total"] > 0 else "down") if moved else "auto")
    rank.metric(tr("rank"), tr("wi_rank_value", rank=result.rank, count=result.rank_of),
                tr("wi_places", places=deltas["rank"]) if deltas["rank"] else None)
    for column, node in zip(st.columns(len(baseline.tree.nodes)), baseline.tree.nodes):
        change = deltas[node.code]
        column.metric(scenario_text.indicator_name(node.code, lang, baseline.tree), f"{result.level1[node.code]:.2f}",
                      f"{change:+.2f}" if change else None)


def _discrepancies(baseline: Baseline) -> None:
    """Indicators whose reported score disagrees with their rule: touching them rescores by the rule."""
    for leaf in baseline.leaves():
        reported, rule = baseline.reported.get(leaf.code), baseline.rule.get(leaf.code)
        if reported is not None and rule is not None and abs(rule - reported) > 0.005:
            st.caption(tr("wi_discrepancy", name=scenario_text.indicator_name(leaf.code, language(), baseline.tree),
                          reported=reported, rule=rule, difference=rule - reported))


def _scores_table(baseline: Baseline, result: ScenarioResult) -> None:
    lang, leaves = language(), baseline.leaves()
    table = pd.DataFrame({
        tr("wi_col_indicator"): [scenario_text.indicator_name(leaf.code, lang, baseline.tree) for leaf in leaves],
        tr("wi_col_weight"): [leaf.weight for leaf in leaves],
        tr("wi_col_actual"): [baseline.score(leaf.code) for leaf in leaves],
        tr("wi_col_scenario"): [result.scores[leaf.code] for leaf in leaves]})
    table[tr("wi_col_change")] = (table[tr("wi_col_scenario")] - table[tr("wi_col_actual")]).round(2)
    with st.expander(tr("wi_scores_title")):
        searchable_table(table, "whatif_scores_table",
                         column_config={c: st.column_config.NumberColumn(format="%.2f") for c in table.columns[1:]})
        download_buttons(table, f"whatif_{baseline.year}", key="whatif_scores",
                         source_kinds=pd.Series(baseline.source_kind, index=table.index))


def _input_name(baseline: Baseline, key: str) -> str:
    """An input's name for a message: its label where it is typed."""
    if key.startswith((FAILED_PREFIX, SCORE_PREFIX, scenario.ACTUAL_PREFIX, scenario.COEFFICIENT_PREFIX)):
        return scenario_text.indicator_name(key.split(":", 1)[1], language(), baseline.tree)
    return scenario_text.input_label(key, language(), baseline.tree) if key != MUNICIPAL_AVG_DIFF_RATE \
        else tr("wi_municipal_avg_diff_rate", year=baseline.year)


def results_panel(baseline: Baseline, overrides: dict, result: ScenarioResult | None, errors: dict) -> None:
    st.subheader(tr("wi_results"))
    if result is None:
        st.error(tr("wi_cannot_score"), icon=":material/block:")
        return
    if errors:
        separator = "、" if language() == "zh" else ", "
        st.warning(tr("wi_partial", inputs=separator.join(_input_name(baseline, key) for key in errors)),
                   icon=":material/error:")
    _metrics(baseline, result)
    if not overrides:
        st.info(tr("wi_no_change"))
    elif not result.changed:
        st.info(tr("wi_no_move"))
    else:
        st.plotly_chart(charts.moved_waterfall(baseline.tree, result.changed, baseline.level1["total"], result.total, language(),
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
        return found and (found[1], scenario_text.goal_label("grade", found[1], lang, grade=found[0],
                                                             fw=baseline.framework))
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
    money = {vary: tr(f"input_{vary}") for vary in goal_seek.seekable(baseline)}
    others = {key: seek_text.input_name(baseline.tree, item, lang)
              for key, item in goal_seek.numeric_inputs(baseline, overrides).items() if key not in money}
    inputs = money | others
    if not inputs:
        st.info(tr("wi_goal_no_input"))
        return
    if st.session_state.get("wi_vary") not in inputs:
        st.session_state.pop("wi_vary", None)
    vary = vary_column.selectbox(tr("wi_vary"), list(inputs), key="wi_vary", format_func=inputs.get)
    goal = _goal(baseline, result, kind)
    if goal is None:
        st.success(tr("top_grade" if kind == "grade" else "top_rank"))
    elif vary in money:
        answer = goal_seek.seek(baseline, goal[0], vary, overrides)
        sentence = scenario_text.describe_seek(answer, goal[1], lang, baseline.tree)
        (st.success if answer.reachable else st.warning)(sentence)
        # an answer that keeps the input at its actual value offers a button only where the scenario moved it
        if answer.reachable and not answer.already \
                and answer.value != scenario.scenario_figures(baseline, overrides).get(vary):
            _apply_button(baseline, vary, answer.value, "wi_apply_seek")
    else:
        found = goal_seek.seek_input(baseline, goal[0], vary, overrides)
        answer = found.answer
        (st.success if answer.reachable else st.warning)(
            seek_text.describe(baseline.tree, found.item, answer, goal[1], lang))
        if answer.reachable and not answer.already and answer.value is not None:
            _apply_button(baseline, vary, answer.value, "wi_apply_seek")
    st.caption(tr("wi_goal_note"))
    limits_panel(baseline, overrides)


def limits_panel(baseline: Baseline, overrides: dict) -> None:
    """The limits that lose no points, for the indicators the framework has (none on the national layout)."""
    has_carry, has_diff = (goal_seek.limited_leaf(baseline, *limit) is not None
                           for limit in (goal_seek.CARRYOVER_LIMIT, goal_seek.DIFF_LIMIT))
    if not (has_carry or has_diff):
        return
    lang = language()
    st.markdown(f"**{tr('wi_limits')}**")
    if has_carry:
        carry = goal_seek.max_carryover_for_full_marks(baseline, overrides)
        st.info(scenario_text.describe_max_carryover(carry, lang))
        if carry.get("applicable") and carry["current_amount"] > carry["max_amount"]:
            _apply_button(baseline, "carryover_amount", carry["max_amount"], "wi_apply_carryover")
    if has_diff:
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
    st.plotly_chart(charts.tornado(rows, baseline.tree, language()), width="stretch", key="wi_tornado")
    st.caption(tr("wi_sens_caption"))


# -- the studio: inputs beside results, rerun alone as inputs change -----------------------------------

def score(baseline: Baseline, overrides: dict, unreadable: dict) -> tuple[ScenarioResult | None, dict, dict]:
    """The scenario of the valid inputs, the valid overrides, and every input in error: a bad input is
    marked where it is typed while the rest of the page follows the others."""
    valid, errors = scenario.valid_part(baseline, overrides)
    errors = unreadable | errors
    try:
        return scenario.apply(baseline, valid), valid, errors
    except ScenarioInputError as error:
        return None, valid, errors | error.errors


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
    typed_overrides, unreadable = read_inputs(baseline)
    result, overrides, errors = score(baseline, typed_overrides, unreadable)
    inputs, results = st.columns([4, 5], gap="large")
    with inputs:
        st.subheader(tr("wi_inputs"))
        st.caption(tr("wi_typed_help"))
        figure_inputs(baseline, overrides, errors)
        checklist_inputs(baseline, errors)
        judged_inputs(baseline, errors)
        own_inputs(baseline, errors)
        st.button(tr("wi_reset"), key="wi_reset", on_click=load_into_state, args=(baseline, {}),
                  icon=":material/restart_alt:")
    with results:
        results_panel(baseline, overrides, result, errors)
    seek_column, sensitivity_column = st.columns([4, 5], gap="large")
    with seek_column:
        goal_seek_panel(baseline, overrides, result)
    with sensitivity_column:
        sensitivity_panel(baseline, overrides, result)
