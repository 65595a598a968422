"""Target comparison (self-evaluation table): 年度指标值 vs 实际完成值, as in the national guidance.

Met (≥, >, ≤, <, = against the target): full marks.  Not met: 实际完成值 / 年度指标值 × weight, or for
≤ and < targets 年度指标值 / 实际完成值 × weight; for "=" whichever ratio is below 1.  The ratio is a
percentage cut to 2 decimals like every rate.  Time targets ("11月底前") compare month numbers.
A target or an actual that is not a number ("显著", "优秀", "按时完成") is judged: the evaluator's
score is kept (within [0, weight]) with the finding ``judged_target``.
"""
from __future__ import annotations

import numpy as np

from analytics.domain.rounding import clamp, clamp_v, finite, finite_v, rate_percent, rate_percent_v, round2, round2_v
from analytics.domain.rules.base import RuleResult, SetResult, codes
from analytics.domain.rules.judged import given_score
from analytics.domain.targets import parse_actual, parse_target

KIND = "target"
PARAMS: dict = {}
COLUMNS = ("comparator", "target", "actual", "given")
_BELOW_IS_BETTER = ("≤", "<")


def figures(params: dict) -> list[str]:
    return []


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    target = parse_target(leaf.target)
    actual = parse_actual(leaf.actual, target.unit) if target else None
    return {"comparator": target.comparator if target and actual is not None else None,
            "target": target.value if target else None, "actual": actual, "given": given_score(leaf, reported)}


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


def score_set(params: dict, weight: np.ndarray, cols: dict) -> SetResult:
    comparator, target, actual, given = cols["comparator"], cols["target"], cols["actual"], cols["given"]
    n = len(target)
    numeric = np.array([c is not None for c in comparator], dtype=bool) & finite_v(target, actual)
    below = np.array([c in _BELOW_IS_BETTER for c in comparator], dtype=bool) | ((comparator == "=") & (actual > target))
    rate = np.where(below, rate_percent_v(target, actual), rate_percent_v(actual, target))
    met = np.zeros(n, dtype=bool)
    for symbol in ("≥", ">", "≤", "<", "="):
        met |= (comparator == symbol) & _met(symbol, actual, target)
    with np.errstate(all="ignore"):
        proportional = clamp_v(round2_v(np.minimum(rate, 100.0) / 100 * weight), weight)
    scored = np.where(met, clamp_v(weight, weight), np.where(np.isnan(rate), np.nan, proportional))
    has_given = finite_v(given)
    out = np.where(numeric, scored, np.where(has_given, clamp_v(given, weight), np.nan))
    rate = np.where(numeric, rate, np.nan)
    reason = codes(n, (~numeric & ~has_given, "no_evaluator_score"), (numeric & np.isnan(out), "zero_denominator"))
    return SetResult(out, rate, reason, codes(n, (~numeric, "judged_target")))
