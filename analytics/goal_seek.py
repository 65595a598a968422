"""Goal seek and sensitivity on top of what-if scenarios.

Every answer is found by applying the real scenario (bisection over the input's amount, to the
cent; the total is monotone in each seekable input), so a reported answer is one that, applied,
reaches the target, and one cent less helpful does not.  The indicator an input moves is the leaf
whose rule reads it; the limits and sensitivities find their indicators by concept (``execution_rate``,
``carryover_rate``, ``final_account_diff_rate``), so a framework without one simply has no such line.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

from analytics.domain import goal_seek as domain
from analytics.domain.goal_seek import InputRef, NumericInput
from analytics.domain.model import Node
from analytics.domain.rounding import round2
from analytics.domain.score_one import leaf_inputs
from analytics.scenario import (FAILED_PREFIX, LEAF_KEYS, SCORE_PREFIX, Baseline, ScenarioInputError, apply,
                                execution_leaf, field_errors, figure_keys, figures_read, is_leaf_input, leaf_rate,
                                rule_gain, scenario_figures, scenario_inputs, spending_as_amount)

# The limits the page shows where the framework has their indicator: (concept, measure shape).
CARRYOVER_LIMIT, DIFF_LIMIT = ("carryover_rate", "ratio"), ("final_account_diff_rate", "change")
# For each input that can be sought: whether more of it helps the score.
SEEKABLE = {
    "spent_total": "more",
    "carryover_amount": "less",
    "final_account_total": "less",
}


def seekable(baseline: Baseline) -> list[str]:
    """The money inputs the evaluation's rules read that ``seek`` answers with its own wording."""
    return [vary for vary in SEEKABLE if vary in figure_keys(baseline)]


# -- any numeric input (analytics.domain.goal_seek) --------------------------------------------------

FIELD_PREFIX = {name: prefix for prefix, (name, _) in LEAF_KEYS.items()}


def override_key(ref: InputRef) -> str:
    """The what-if override key of a domain input: a figure's code, or ``<prefix><leaf code>``."""
    return ref.code if ref.field is None else f"{FIELD_PREFIX[ref.field]}{ref.code}"


def numeric_inputs(baseline: Baseline, overrides: dict | None = None) -> dict[str, NumericInput]:
    """Every numeric input of the evaluation a scenario may set, by override key, at its scenario value:
    each figure a rule reads and each leaf's own numeric field (failed checks, a score, a coefficient,
    a target's actual value), whatever the framework and rule kind."""
    moved = scenario_inputs(baseline, spending_as_amount(baseline, overrides or {}))
    known = set(figure_keys(baseline))
    found = {}
    for item in domain.numeric_inputs(baseline.framework, moved):
        key = override_key(item.ref) if item.ref.field in FIELD_PREFIX or item.ref.field is None else None
        if key is not None and item.current is not None and (key in known or is_leaf_input(baseline, key)):
            found[key] = item
    return found


@dataclass
class AnyAnswer:
    """A goal-seek answer on any input: the domain answer with its totals as the scenario's."""
    key: str
    item: NumericInput
    answer: domain.SeekAnswer


def seek_input(baseline: Baseline, target_total: float, key: str, overrides: dict | None = None) -> AnyAnswer:
    """The value of one numeric input (any key of ``numeric_inputs``), on its natural step and nearest
    its value in the scenario, that brings the scenario total to ``target_total``, the other overrides held.
    The search runs on the scenario as an evaluation of its own (``domain.goal_seek.settle_to``); its
    totals are shifted to the scenario's (which start from the stored, printed total)."""
    given = spending_as_amount(baseline, overrides or {})
    item = numeric_inputs(baseline, given).get(key)
    if item is None:
        raise ScenarioInputError({key: field_errors(baseline, {key: 0.0}).get(key) or "not a numeric input"})
    settled = domain.settle_to(baseline.framework, baseline.inputs, scenario_inputs(baseline, given))
    offset = round2(apply(baseline, given).total - domain.base_total(baseline.framework, settled))
    answer = domain.seek(baseline.framework, settled, item.ref, round2(target_total - offset))

    def shifted(total):
        return None if total is None else round2(total + offset)
    total = shifted(answer.total)
    answer = replace(answer, target_total=target_total, base_total=shifted(answer.base_total), total=total,
                     best_total=shifted(answer.best_total),
                     grade=None if total is None else baseline.framework.grade(total))
    return AnyAnswer(key, item, answer)


@dataclass
class SeekAnswer:
    reachable: bool
    vary: str
    target_total: float
    value: float | None = None          # the input value (万元) that reaches the target
    rate: float | None = None           # the same as the rate the rule sees (percent)
    total: float | None = None          # the total reached with that value
    already: bool = False               # the target is met without change
    best_total: float | None = None     # the best total this input alone can give
    shortfall: float | None = None      # points still missing at best
    other_room: dict | None = None      # indicator code -> points still available elsewhere
    input_unchanged: bool = False       # reached with the input at its actual value: nothing to change
    rule_gain: dict | None = None       # points that come from scoring the input's indicator by its rule

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def _upper_cents(vary: str, figures: dict) -> int:
    """The largest amount, in cents, the search may try: the budget, or a 1000 % difference."""
    if vary == "final_account_total":
        return math.floor(figures["initial_budget_total"] * 11 * 100)
    return math.floor(figures["budget_total"] * 100)


def varied_indicator(baseline: Baseline, vary: str) -> Node:
    """The leaf whose rule reads the input."""
    found = next((leaf for leaf in baseline.tree.leaves() if vary in figures_read(leaf)), None)
    if found is None:
        raise ValueError(f"no indicator of {baseline.framework_id} reads '{vary}'")
    return found


def seek(baseline: Baseline, target_total: float, vary: str = "spent_total", overrides: dict | None = None) -> SeekAnswer:
    """The amount of one input, to the cent, closest to helping least that brings the total to at
    least ``target_total``: the least spending, or the largest carry-over or final account.

    Never an amount worse than the actual one: changing the input rescores its indicator by its rule,
    and where the report disagrees with the rule (the seed's 结转结余率) that alone may reach the target.
    The answer then keeps the input at its actual value and says the gain is the rule's
    (``input_unchanged``, ``rule_gain``); otherwise it is strictly better than the actual value, and
    ``rule_gain`` names the part of the gain that is not the input's."""
    if vary not in SEEKABLE:
        raise ValueError(f"cannot goal-seek on '{vary}'; use one of {', '.join(SEEKABLE)}")
    code = varied_indicator(baseline, vary).code
    given = spending_as_amount(baseline, overrides or {})
    current = apply(baseline, given).total       # "already" is judged on the scenario as given
    if current >= target_total:
        return SeekAnswer(True, vary, target_total, value=scenario_figures(baseline, given).get(vary), total=current,
                          already=True)
    others = {k: v for k, v in given.items() if k != vary}
    figures = scenario_figures(baseline, others)
    gain = rule_gain(baseline, others, code)
    actual = figures.get(vary)
    at_actual = apply(baseline, others, force_rescore={code}).total
    if actual is not None and at_actual >= target_total:
        return SeekAnswer(True, vary, target_total, value=actual, rate=leaf_rate(baseline, code, others),
                          total=at_actual, input_unchanged=True, rule_gain=gain)
    more_helps = SEEKABLE[vary] == "more"

    def total_at(cents: int) -> float:
        return apply(baseline, {**others, vary: cents / 100}, force_rescore={code}).total

    top = _upper_cents(vary, figures)
    best = total_at(top if more_helps else 0)
    if best < target_total:
        return SeekAnswer(False, vary, target_total, best_total=best, shortfall=round2(target_total - best),
                          other_room=_room_elsewhere(baseline, others, code), rule_gain=gain)
    # the total is monotone in the amount and falls short at the actual amount: bisect between an
    # amount that reaches the target and one, no better than the actual amount, that does not
    if more_helps:
        good, bad = top, -1 if actual is None else math.floor(actual * 100)
    else:
        good, bad = 0, top + 1 if actual is None else min(math.ceil(actual * 100), top + 1)
    while abs(good - bad) > 1:
        mid = (good + bad) // 2
        if total_at(mid) >= target_total:
            good = mid
        else:
            bad = mid
    amount = good / 100
    return SeekAnswer(True, vary, target_total, value=amount, rate=leaf_rate(baseline, code, {**others, vary: amount}),
                      total=total_at(good), rule_gain=gain)


def _room_elsewhere(baseline: Baseline, overrides: dict, varied: str) -> dict:
    """Points each other indicator could still add (weight − scenario score), largest first."""
    result = apply(baseline, overrides)
    room = {leaf.code: round2(leaf.weight - result.scores[leaf.code]) for leaf in baseline.tree.leaves()
            if leaf.code != varied and leaf.weight - result.scores[leaf.code] > 0.005}
    return dict(sorted(room.items(), key=lambda item: -item[1]))


def next_grade_target(baseline: Baseline, total: float) -> tuple[str, float] | None:
    """The next better grade and its lower bound, or None at the top grade."""
    for band in sorted(baseline.framework.grade_bands, key=lambda b: b.min):
        if band.min > total:
            return band.label, float(band.min)
    return None


def grade_target(baseline: Baseline, grade: str) -> float:
    label = baseline.framework.normalise_grade(grade)
    for band in baseline.framework.grade_bands:
        if band.label == label:
            return float(band.min)
    raise ValueError(f"unknown grade '{grade}'")


def rank_above_target(baseline: Baseline, total: float) -> float | None:
    """The total of the department ranked just above: reaching it shares that rank."""
    above = [other for other in baseline.others if other > total]
    return min(above) if above else None


def limited_leaf(baseline: Baseline, concept: str, of: str) -> Node | None:
    """The deduction leaf of a concept judging a measure of shape ``of`` against a limit figure (None where
    the framework has none: it has no such limit to show)."""
    leaf = baseline.by_concept(concept)
    if leaf is None or leaf.rule.kind != "deduction":
        return None
    params = leaf.rule.params
    return leaf if params["measure"]["of"] == of and isinstance(params["limit"], str) else None


def max_carryover_for_full_marks(baseline: Baseline, overrides: dict | None = None) -> dict:
    """The largest 结转结余 (万元) that keeps full marks on 结转结余率: a rate not above last year's,
    plus the sliver whose deduction (under 0.005 points) rounds away."""
    overrides = overrides or {}
    leaf = limited_leaf(baseline, *CARRYOVER_LIMIT)
    if leaf is None:
        return {"applicable": False}
    measure, figures = leaf.rule.params["measure"], scenario_figures(baseline, overrides)
    amount_key = measure["numerator"]
    previous, budget = figures.get(leaf.rule.params["limit"]), figures.get(measure["denominator"])
    if previous is None or not budget:
        return {"applicable": False}

    def full(cents: int) -> bool:
        return apply(baseline, {**overrides, amount_key: cents / 100}).scores[leaf.code] >= leaf.weight

    # full marks hold from 0 up to some amount (a deduction under 0.005 rounds away): find its end
    if not full(0):
        return {"applicable": False}
    good, bad = 0, math.floor(budget * 100) + 1
    while bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if full(mid) else (good, mid)
    amount = good / 100
    return {"applicable": True, "max_amount": amount, "previous_rate": previous,
            "current_amount": figures.get(amount_key),
            "rate": leaf_rate(baseline, leaf.code, {**overrides, amount_key: amount})}


def diff_rate_without_loss(baseline: Baseline, overrides: dict | None = None) -> dict:
    """The highest 预决算差异率 that loses no points, and the 决算数 it allows."""
    overrides = overrides or {}
    leaf = limited_leaf(baseline, *DIFF_LIMIT)
    if leaf is None or leaf.rule.params.get("mode") != "full_steps":
        return {"applicable": False}
    params, figures = leaf.rule.params, scenario_figures(baseline, overrides)
    average, initial = figures.get(params["limit"]), figures.get(params["measure"]["initial"])
    if average is None or not initial:
        return {"applicable": False}
    limit = round2(average + params.get("step", 1) - 0.01)      # below one full step above the average
    return {"applicable": True, "max_rate": limit, "average": average,
            "max_final_account": math.floor(initial * (1 + limit / 100) * 100) / 100}


# -- sensitivity -----------------------------------------------------------------------------------

def _moves(baseline: Baseline, figures: dict) -> list[tuple[str, str, dict, dict]]:
    """(input, indicator, one unit better, one unit worse) for the figure inputs of the framework:
    1 percentage point of 执行率, 结转结余率 and 预决算差异率 (moved through their amounts), 1 point of
    the limits they are judged against (last year's rate, the municipal average)."""
    moves = []
    spending = execution_leaf(baseline)
    if spending is not None:
        spent, budget = spending.rule.params["numerator"], spending.rule.params["denominator"]
        point = figures[budget] / 100
        moves.append(("execution_rate", spending.code, {spent: min(figures[spent] + point, figures[budget])},
                      {spent: max(figures[spent] - point, 0)}))
    carry = limited_leaf(baseline, *CARRYOVER_LIMIT)
    if carry is not None:
        amount, budget = carry.rule.params["measure"]["numerator"], carry.rule.params["measure"]["denominator"]
        point = figures[budget] / 100
        moves.append(("carryover_rate", carry.code, {amount: max(figures[amount] - point, 0)},
                      {amount: min(figures[amount] + point, figures[budget])}))
    diff = limited_leaf(baseline, *DIFF_LIMIT)
    if diff is not None:
        final, initial = diff.rule.params["measure"]["final"], diff.rule.params["measure"]["initial"]
        if figures.get(initial) and figures.get(final) is not None:
            point = figures[initial] / 100
            moves.append(("final_account_diff_rate", diff.code, {final: max(figures[final] - point, 0)},
                          {final: figures[final] + point}))
    for leaf in (carry, diff):
        limit = leaf and leaf.rule.params["limit"]
        if leaf is not None and figures.get(limit) is not None:
            moves.append((limit, leaf.code, {limit: figures[limit] + 1}, {limit: max(figures[limit] - 1, 0)}))
    return moves


def sensitivity(baseline: Baseline, overrides: dict | None = None) -> list[dict]:
    """Total-score change for one unit of each input in each direction (a tornado chart's bars).

    Units: see ``_moves``; one checklist item, one point of each judged score.  Each bar is measured
    from the indicator's rule score at the current inputs, so a reported score that disagrees with
    its rule (the seed's 结转结余率) does not pose as an effect.
    """
    overrides = spending_as_amount(baseline, overrides or {})
    rows = []

    def effect(key: str, code: str, up: dict, down: dict) -> None:
        base = apply(baseline, overrides, force_rescore={code}).total
        gain, loss = (round2(apply(baseline, {**overrides, **change}, force_rescore={code}).total - base)
                      for change in (up, down))
        rows.append({"input": key, "indicator": code, "gain": gain, "loss": loss})

    for move in _moves(baseline, scenario_figures(baseline, overrides)):
        effect(*move)
    current, inputs = apply(baseline, overrides), scenario_inputs(baseline, overrides)
    for leaf in baseline.leaves("checklist", "judged"):
        if leaf.rule.kind == "checklist" and (failed := leaf_inputs(leaf, inputs)["failed"]) is not None:
            key, checks = f"{FAILED_PREFIX}{leaf.code}", len(leaf.rule.params["checks"])
            effect(leaf.code, leaf.code, {key: max(failed - 1, 0)}, {key: min(failed + 1, checks)})
        elif leaf.rule.kind == "judged":
            key, score = f"{SCORE_PREFIX}{leaf.code}", current.scores[leaf.code]
            effect(leaf.code, leaf.code, {key: min(score + 1, leaf.weight)}, {key: max(score - 1, 0)})
    rows += _other_sensitivities(baseline, overrides, {row["indicator"] for row in rows})
    return sorted(rows, key=lambda r: -max(abs(r["gain"]), abs(r["loss"])))


def _other_sensitivities(baseline: Baseline, overrides: dict, covered: set) -> list[dict]:
    """The inputs of every other rule kind (a target's actual value, a coefficient, a qualitative score,
    a figure only such rules read): one unit each way (``domain.goal_seek.unit_change``), the helpful
    direction as "gain"; where the direction is not known, the better of the two moves."""
    refs = [item.ref for item in numeric_inputs(baseline, overrides).values() if not set(item.leaves) & covered]
    if not refs:
        return []
    settled = domain.settle_to(baseline.framework, baseline.inputs, scenario_inputs(baseline, overrides))
    rows = []
    for row in domain.sensitivity(baseline.framework, settled, refs):
        up, down = row["up"], row["down"]
        gain, loss = {domain.MORE: (up, down), domain.LESS: (down, up)}.get(row["direction"], (max(up, down),
                                                                                                 min(up, down)))
        rows.append({"input": override_key(InputRef.parse(row["input"])), "indicator": row["leaves"][0],
                     "gain": gain, "loss": loss, "delta": row["delta"], "unit": row["unit"]})
    return rows
