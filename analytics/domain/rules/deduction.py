"""Deduction per point or per step beyond a limit (每高出1个百分点扣…, 每高出10%（含）扣…), floor 0.

- ``measure``: the value judged (see ``measure``), e.g. 结转结余率 = carryover_amount / budget_total;
- ``limit``: a figure (last year's rate, the year's municipal average) or a number (a fixed target);
- ``side``: "above" deducts for a value above the limit, "below" for one below it;
- ``reading``: "points" (percentage points: 13.82 − 8.04 = 5.78) or "relative" (relative change in
  per cent: (13.82 − 8.04) / 8.04 = 71.89 %), the two readings of "每高出1个百分点" against last year;
- ``mode``: "per_point" deducts ``per`` × excess; "full_steps" deducts ``per`` for each full ``step``
  (floor(excess / step), a step reached exactly counts: "（含）").
No deduction when the excess is not above 0.  Seed: points 4 − 5.78 × 0.4 = 1.688 → 1.69; relative
4 − 71.89 × 0.4 < 0 → 0.00; 差异率 82.62 − 28.3 = 54.32 → 5 full steps of 10 → 4 − 2.0 = 2.00.
"""
from __future__ import annotations

import math


from analytics.domain.issues import Issue
from analytics.domain.rounding import ROUND_EPSILON, clamp, cut_finite, finite, round2
from analytics.domain.rules import measure, sql
from analytics.domain.rules.base import LIMIT, MEASURE, NUMBER, TEXT, Param, RuleResult

KIND = "deduction"
PARAMS = {"measure": Param(MEASURE), "limit": Param(LIMIT), "per": Param(NUMBER),
          "side": Param(TEXT, False, ("above", "below"), "above"),
          "reading": Param(TEXT, False, ("points", "relative"), "points"),
          "mode": Param(TEXT, False, ("per_point", "full_steps"), "per_point"),
          "step": Param(NUMBER, False, default=1)}


def check(params: dict, path: str, known_figures: set[str] = frozenset()) -> list[Issue]:
    issues = measure.check(params.get("measure"), f"{path}.measure", known_figures)
    step = params.get("step", 1)
    if isinstance(step, (int, float)) and step <= 0:
        issues.append(Issue("step_not_positive", {"step": step}, f"{path}.step"))
    return issues


def figures(params: dict) -> list[str]:
    limit = params["limit"]
    return measure.figures(params["measure"]) + ([limit] if isinstance(limit, str) else [])


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    limit = params["limit"]
    return {**measure.inputs(params["measure"], figs), "limit": figs.get(limit) if isinstance(limit, str) else limit}


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    value, reason = measure.value(params["measure"], inp)
    if value is None:
        return RuleResult(None, None, reason)
    limit = inp["limit"]
    if not finite(limit):
        return RuleResult(None, value, "missing_limit")
    diff = value - limit if params.get("side", "above") == "above" else limit - value
    if params.get("reading", "points") == "relative":
        if limit <= 0:
            return RuleResult(None, value, "zero_reference")
        excess = cut_finite(diff / limit * 100)
        if excess is None:
            return RuleResult(None, value, "zero_reference")
    else:
        excess = round2(diff)
    if excess <= 0:
        return RuleResult(clamp(weight, weight), value)
    per = params["per"]
    if params.get("mode", "per_point") == "per_point":
        return RuleResult(clamp(weight - excess * per, weight), value)
    steps = math.floor(excess / params.get("step", 1) + ROUND_EPSILON)
    return RuleResult(clamp(weight - steps * per, weight), value)


def sql_inputs(params: dict, figure, leaf) -> dict:
    limit = params["limit"]
    return {**measure.sql_inputs(params["measure"], figure),
            "limit": figure(limit) if isinstance(limit, str) else sql.num(limit)}


def score_sql(params: dict, c) -> list[dict]:
    v, limit = c("value"), c("limit")
    diff = f"({v} - {limit})" if params.get("side", "above") == "above" else f"({limit} - {v})"
    relative = params.get("reading", "points") == "relative"
    excess = f"CASE WHEN {limit} > 0 THEN {sql.cut_finite(f'({diff} / {limit} * 100)')} END" if relative else sql.r2(diff)
    per = sql.num(params["per"])
    if params.get("mode", "per_point") == "per_point":
        deducted = f"weight - {c('excess')} * {per}"
    else:
        deducted = f"weight - floor({c('excess')} / {sql.num(params.get('step', 1))} + {sql.EPS}) * {per}"
    applies = f"{v} IS NOT NULL AND {sql.finite(limit)}"
    return [measure.value_sql(params["measure"], c),
            {"excess": f"CASE WHEN {applies} THEN {excess} END"},
            {"score": f"CASE WHEN NOT ({applies}) OR {c('excess')} IS NULL THEN NULL "
                      f"WHEN {c('excess')} <= 0 THEN {sql.clamp('weight')} ELSE {sql.clamp(deducted)} END",
             "rate": v,
             "reason": f"CASE WHEN {v} IS NULL THEN {c('value_reason')} WHEN NOT {sql.finite(limit)} THEN 'missing_limit' "
                       f"WHEN {c('excess')} IS NULL THEN 'zero_reference' END",
             "finding": sql.NULL_TEXT}]
