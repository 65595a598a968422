"""Target comparison (self-evaluation table): 年度指标值 vs 实际完成值, as in the national guidance.

Met (≥, >, ≤, <, = against the target): full marks.  Not met: 实际完成值 / 年度指标值 × weight, or for
≤ and < targets 年度指标值 / 实际完成值 × weight; for "=" whichever ratio is below 1.  The ratio is a
percentage cut to 2 decimals like every rate.  Time targets ("11月底前") compare month numbers.
A target or an actual that is not a number ("显著", "优秀", "按时完成") is judged: the evaluator's
score is kept (within [0, weight]) with the finding ``judged_target``.
"""
from __future__ import annotations


from analytics.domain.rounding import clamp, finite, rate_percent, round2
from analytics.domain.rules.base import RuleResult
from analytics.domain.rules import sql
from analytics.domain.rules.judged import given_score, given_sql
from analytics.domain.targets import parse_actual, parse_target

KIND = "target"
PARAMS: dict = {}
_BELOW_IS_BETTER = ("≤", "<")


def figures(params: dict) -> list[str]:
    return []


def parsed(leaf) -> dict:
    """The target and actual as read from their texts: the typed columns a stored evaluation keeps."""
    target = parse_target(leaf.target)
    actual = parse_actual(leaf.actual, target.unit) if target else None
    return {"comparator": target.comparator if target and actual is not None else None,
            "target": target.value if target else None, "actual": actual}


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return {**parsed(leaf), "given": given_score(leaf, reported)}


def _met(comparator: str, actual, target):
    return {"≥": actual >= target, ">": actual > target, "≤": actual <= target, "<": actual < target,
            "=": actual == target}[comparator]


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    comparator, target, actual = inp["comparator"], inp["target"], inp["actual"]
    if comparator is None or not finite(target, actual):
        given = inp["given"]
        if not finite(given):
            return RuleResult(None, None, "no_evaluator_score", "judged_target")
        return RuleResult(clamp(given, weight), None, None, "judged_target")
    below = comparator in _BELOW_IS_BETTER or (comparator == "=" and actual > target)
    rate = rate_percent(target, actual) if below else rate_percent(actual, target)
    if _met(comparator, actual, target):
        return RuleResult(clamp(weight, weight), rate)
    if rate is None:
        return RuleResult(None, None, "zero_denominator")
    return RuleResult(clamp(round2(min(rate, 100.0) / 100 * weight), weight), rate)


def sql_inputs(params: dict, figure, leaf) -> dict:
    """The typed columns hold ``parsed`` (the texts read when the evaluation was stored)."""
    return {"comparator": leaf("comparator"), "target": leaf("target"), "actual": leaf("actual"),
            "given": given_sql(leaf)}


def score_sql(params: dict, c) -> list[dict]:
    comparator, target, actual, given = c("comparator"), c("target"), c("actual"), c("given")
    numeric = f"({comparator} IS NOT NULL AND {sql.finite(target, actual)})"
    below = f"({comparator} IN ('≤', '<') OR ({comparator} = '=' AND {actual} > {target}))"
    met = " ".join(f"WHEN {sql.text(s)} THEN {actual} {op} {target}"
                   for s, op in (("≥", ">="), (">", ">"), ("≤", "<="), ("<", "<"), ("=", "=")))
    proportional = sql.clamp(sql.r2(f"least({c('rate')}, 100.0) / 100 * weight"))
    has_given = sql.finite(given)
    return [{"numeric": numeric,
             "rate": f"CASE WHEN {numeric} THEN (CASE WHEN {below} THEN {sql.rate_percent(target, actual)} "
                     f"ELSE {sql.rate_percent(actual, target)} END) END",
             "met": f"CASE WHEN {numeric} THEN (CASE {comparator} {met} END) ELSE false END"},
            {"score": f"CASE WHEN NOT {c('numeric')} THEN (CASE WHEN {has_given} THEN {sql.clamp(given)} END) "
                      f"WHEN {c('met')} THEN {sql.clamp('weight')} WHEN {c('rate')} IS NULL THEN NULL "
                      f"ELSE {proportional} END",
             "rate": c("rate"),
             "reason": sql.codes((f"NOT {c('numeric')} AND NOT {has_given}", "no_evaluator_score"),
                                 (f"{c('numeric')} AND NOT {c('met')} AND {c('rate')} IS NULL", "zero_denominator")),
             "finding": sql.codes((f"NOT {c('numeric')}", "judged_target"))}]
