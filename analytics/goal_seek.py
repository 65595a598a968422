"""Goal seek and sensitivity on top of what-if scenarios.

Every answer is found by applying the real scenario (bisection over the input's amount, to the
cent; the total is monotone in each seekable input), so a reported answer is one that, applied,
reaches the target, and one cent less helpful does not.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from analytics import rules
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import (FAILED_PREFIX, SCORE_PREFIX, Baseline, apply, rule_gain, scenario_figures,
                                spending_as_amount)

# For each input that can be sought: which figure it sets, and whether more of it helps the score.
SEEKABLE = {
    "spent_total": "more",
    "carryover_amount": "less",
    "final_account_total": "less",
}
VARIED_KIND = {"spent_total": "ratio", "carryover_amount": "carryover", "final_account_total": "diff_rate"}


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


def _varied_indicator(baseline: Baseline, vary: str) -> str:
    return next(ind.code for ind in baseline.framework.indicators if ind.kind == VARIED_KIND[vary])


def _rate(vary: str, amount: float, figures: dict) -> float | None:
    """The amount as the rate its rule sees (percent)."""
    if vary == "final_account_total":
        return rules.change_rate_percent(amount, figures["initial_budget_total"])
    return rules.rate_percent(amount, figures["budget_total"])


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
    given = spending_as_amount(baseline, overrides or {})
    current = apply(baseline, given).total       # "already" is judged on the scenario as given
    if current >= target_total:
        return SeekAnswer(True, vary, target_total, value=scenario_figures(baseline, given).get(vary), total=current,
                          already=True)
    others = {k: v for k, v in given.items() if k != vary}
    figures = scenario_figures(baseline, others)
    code = _varied_indicator(baseline, vary)
    gain = rule_gain(baseline, others, code)
    actual = figures.get(vary)
    at_actual = apply(baseline, others, force_rescore={code}).total
    if actual is not None and at_actual >= target_total:
        return SeekAnswer(True, vary, target_total, value=actual, rate=_rate(vary, actual, figures), total=at_actual,
                          input_unchanged=True, rule_gain=gain)
    more_helps = SEEKABLE[vary] == "more"

    def total_at(cents: int) -> float:
        return apply(baseline, {**others, vary: cents / 100}, force_rescore={code}).total

    top = _upper_cents(vary, figures)
    best = total_at(top if more_helps else 0)
    if best < target_total:
        return SeekAnswer(False, vary, target_total, best_total=best, shortfall=rules.round2(target_total - best),
                          other_room=_room_elsewhere(baseline, others, vary), rule_gain=gain)
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
    return SeekAnswer(True, vary, target_total, value=amount, rate=_rate(vary, amount, figures), total=total_at(good),
                      rule_gain=gain)


def _room_elsewhere(baseline: Baseline, overrides: dict, vary: str) -> dict:
    """Points each other indicator could still add (weight − scenario score), largest first."""
    result = apply(baseline, overrides)
    room = {ind.code: rules.round2(ind.weight - result.scores[ind.code]) for ind in baseline.framework.indicators
            if ind.kind != VARIED_KIND[vary] and ind.weight - result.scores[ind.code] > 0.005}
    return dict(sorted(room.items(), key=lambda item: -item[1]))


def next_grade_target(baseline: Baseline, total: float) -> tuple[str, float] | None:
    """The next better grade and its lower bound, or None at the top grade."""
    bands = sorted(baseline.framework.grade_bands, key=lambda b: b["min"])
    for band in bands:
        if band["min"] > total:
            return band["grade"], float(band["min"])
    return None


def grade_target(baseline: Baseline, grade: str) -> float:
    grade = baseline.framework.normalise_grade(grade)
    for band in baseline.framework.grade_bands:
        if band["grade"] == grade:
            return float(band["min"])
    raise ValueError(f"unknown grade '{grade}'")


def rank_above_target(baseline: Baseline, total: float) -> float | None:
    """The total of the department ranked just above: reaching it shares that rank."""
    above = [other for other in baseline.others if other > total]
    return min(above) if above else None


def max_carryover_for_full_marks(baseline: Baseline, overrides: dict | None = None) -> dict:
    """The largest 结转结余 (万元) that keeps full marks on 结转结余率: a rate not above last year's,
    plus the sliver whose deduction (under 0.005 points) rounds away."""
    overrides = overrides or {}
    figures = scenario_figures(baseline, overrides)
    previous, budget = figures.get("carryover_rate_prev"), figures.get("budget_total")
    if previous is None or not budget:
        return {"applicable": False}
    code = next(i.code for i in baseline.framework.indicators if i.kind == "carryover")
    weight = baseline.framework.indicator(code).weight

    def full(cents: int) -> bool:
        return apply(baseline, {**overrides, "carryover_amount": cents / 100}).scores[code] >= weight

    # full marks hold from 0 up to some amount (a deduction under 0.005 rounds away): find its end
    if not full(0):
        return {"applicable": False}
    good, bad = 0, math.floor(budget * 100) + 1
    while bad - good > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if full(mid) else (good, mid)
    amount = good / 100
    return {"applicable": True, "max_amount": amount, "previous_rate": previous,
            "current_amount": figures.get("carryover_amount"), "rate": rules.rate_percent(amount, budget)}


def diff_rate_without_loss(baseline: Baseline, overrides: dict | None = None) -> dict:
    """The highest 预决算差异率 that loses no points, and the 决算数 it allows."""
    overrides = overrides or {}
    figures = scenario_figures(baseline, overrides)
    average = overrides.get(MUNICIPAL_AVG_DIFF_RATE, baseline.params.get(MUNICIPAL_AVG_DIFF_RATE))
    ind = next(i for i in baseline.framework.indicators if i.kind == "diff_rate")
    initial = figures.get("initial_budget_total")
    if average is None or not initial:
        return {"applicable": False}
    limit = rules.round2(average + ind.rule["step"] - 0.01)      # below one full step above the average
    return {"applicable": True, "max_rate": limit, "average": average,
            "max_final_account": math.floor(initial * (1 + limit / 100) * 100) / 100}


# -- sensitivity -----------------------------------------------------------------------------------

def sensitivity(baseline: Baseline, overrides: dict | None = None) -> list[dict]:
    """Total-score change for one unit of each input in each direction (a tornado chart's bars).

    Units: 1 percentage point of 执行率, 结转结余率 and 预决算差异率 (moved through their amounts),
    1 point of last year's rate and of the municipal average, one checklist item, one point of each
    qualitative score.  Each bar is measured from the indicator's rule score at the current inputs,
    so a reported score that disagrees with its rule (the seed's 结转结余率) does not pose as an effect.
    """
    overrides = spending_as_amount(baseline, overrides or {})
    figures = scenario_figures(baseline, overrides)
    codes = {ind.kind: ind.code for ind in baseline.framework.indicators}
    rows = []

    def effect(key: str, code: str, up: dict, down: dict) -> None:
        base = apply(baseline, overrides, force_rescore={code}).total
        gain, loss = (rules.round2(apply(baseline, {**overrides, **change}, force_rescore={code}).total - base)
                      for change in (up, down))
        rows.append({"input": key, "indicator": code, "gain": gain, "loss": loss})

    budget, initial = figures["budget_total"], figures.get("initial_budget_total")
    point = budget / 100
    effect("execution_rate", codes["ratio"], {"spent_total": min(figures["spent_total"] + point, budget)},
           {"spent_total": max(figures["spent_total"] - point, 0)})
    effect("carryover_rate", codes["carryover"], {"carryover_amount": max(figures["carryover_amount"] - point, 0)},
           {"carryover_amount": min(figures["carryover_amount"] + point, budget)})
    if initial and figures.get("final_account_total") is not None:
        effect("final_account_diff_rate", codes["diff_rate"],
               {"final_account_total": max(figures["final_account_total"] - initial / 100, 0)},
               {"final_account_total": figures["final_account_total"] + initial / 100})
    if figures.get("carryover_rate_prev") is not None:
        previous = figures["carryover_rate_prev"]
        effect("carryover_rate_prev", codes["carryover"], {"carryover_rate_prev": previous + 1},
               {"carryover_rate_prev": max(previous - 1, 0)})
    average = overrides.get(MUNICIPAL_AVG_DIFF_RATE, baseline.params.get(MUNICIPAL_AVG_DIFF_RATE))
    if average is not None:
        effect(MUNICIPAL_AVG_DIFF_RATE, codes["diff_rate"], {MUNICIPAL_AVG_DIFF_RATE: average + 1},
               {MUNICIPAL_AVG_DIFF_RATE: max(average - 1, 0)})
    current = apply(baseline, overrides)
    for ind in baseline.framework.indicators:
        if ind.kind == "checklist" and (failed := _failed(baseline, overrides, ind.code)) is not None:
            key = f"{FAILED_PREFIX}{ind.code}"
            effect(ind.code, ind.code, {key: max(failed - 1, 0)}, {key: min(failed + 1, len(ind.checks))})
        elif ind.kind == "judged":
            key, score = f"{SCORE_PREFIX}{ind.code}", current.scores[ind.code]
            effect(ind.code, ind.code, {key: min(score + 1, ind.weight)}, {key: max(score - 1, 0)})
    return sorted(rows, key=lambda r: -max(abs(r["gain"]), abs(r["loss"])))


def _failed(baseline: Baseline, overrides: dict, code: str) -> int | None:
    key = f"{FAILED_PREFIX}{code}"
    return int(overrides[key]) if key in overrides else baseline.inputs[code].failed_count
