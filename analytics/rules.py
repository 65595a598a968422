"""One small pure function per rule kind of the 评分标准.

Conventions (docs/domain.md): rates are percentages taken to 2 decimals before they are scored,
scores are rounded to 2 decimals, half up.  The seed fixes how rates are taken: 251145.17 / 291435.79
is 86.1751 %, which the report prints as 86.17 % and scores as 0.8617 × 20 = 17.23, so rates are cut
(truncated toward zero) to 2 decimals, not rounded; 13.82 % and 82.62 % agree with that too.
Scores round half up: 4 − 5.78 × 0.4 = 1.688 → 1.69.

``round2`` and ``cut2`` use plain float operations (multiply, add, floor, divide) so that the
set-based SQL path in ``scoring`` repeats exactly the same IEEE arithmetic, bit for bit.
"""
from __future__ import annotations

import math
from typing import Sequence

# Absorbs representation error such as 13.82 - 8.04 = 5.779999999999999 before rounding half up.
ROUND_EPSILON = 1e-9


def round2(x: float) -> float:
    """A score to 2 decimals, half up (a value too large to scale is already whole)."""
    if not math.isfinite(x * 100):
        return x
    return math.floor(x * 100 + 0.5 + ROUND_EPSILON) / 100


def cut2(x: float) -> float:
    """A rate to 2 decimals, truncated toward zero (86.1751 → 86.17, −5.556 → −5.55)."""
    sign = 1 if x >= 0 else -1
    return sign * math.floor(abs(x) * 100 + ROUND_EPSILON) / 100


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def _clamp(score: float, weight: float) -> float:
    return round2(min(max(score, 0.0), weight))


def _cut_finite(percent: float) -> float | None:
    """A rate that overflowed (a denominator near zero) is as undefined as one over zero."""
    return cut2(percent) if math.isfinite(percent * 100) else None


def rate_percent(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator as a percentage cut to 2 decimals; None when undefined."""
    if not _finite(numerator, denominator) or denominator <= 0:
        return None
    return _cut_finite(numerator / denominator * 100)


def change_rate_percent(final: float | None, initial: float | None) -> float | None:
    """(final - initial) / initial as a percentage cut to 2 decimals (部门预决算差异率)."""
    if not _finite(final, initial) or initial <= 0:
        return None
    return _cut_finite((final - initial) / initial * 100)


def over_target_deduction(overshoot_percent: float, weight: float, tiers: Sequence[dict]) -> float:
    """Deduction when a target was set too low: tiers are [{"from": 200, "share": 0.1}, ...]."""
    share = 0.0
    for tier in tiers:
        if overshoot_percent >= tier["from"]:
            share = max(share, tier["share"])
    return weight * share


def score_ratio(target: float | None, actual: float | None, weight: float,
                direction: str = "positive", tiers: Sequence[dict] = ()) -> float | None:
    """Ratio rule: min(B/A, 1) × weight (reverse indicators: A/B), less the over-target deduction.

    A = target, B = actual.  The ratio is taken as a percentage cut to 2 decimals first.
    Returns None when the rule cannot be applied (missing inputs, a zero or negative denominator),
    except a reverse indicator whose actual is 0, which fully meets a positive target.
    """
    if not _finite(target, actual):
        return None
    if direction == "reverse":
        if actual <= 0:
            return _clamp(weight, weight) if target > 0 else None
        rate = rate_percent(target, actual)
        overshoot = rate_percent(target - actual, actual)
    else:
        rate = rate_percent(actual, target)
        overshoot = rate_percent(actual - target, target)
    if rate is None:
        return None
    score = round2(min(rate, 100.0) / 100 * weight)
    if overshoot is not None:
        score -= over_target_deduction(overshoot, weight, tiers)
    return _clamp(score, weight)


def score_checklist(failed_checks: int, weight: float, deduction: float) -> float:
    """Start from the weight, deduct a fixed amount per failed check, floor at 0."""
    return _clamp(weight - max(failed_checks, 0) * deduction, weight)


def score_carryover(rate: float | None, previous_rate: float | None, weight: float,
                    deduction_per_point: float) -> float | None:
    """No deduction when the rate is not above last year's; otherwise per percentage point above.

    None when either rate is unknown (e.g. no previous year): the rule cannot be applied.
    """
    if not _finite(rate, previous_rate):
        return None
    if rate <= previous_rate:
        return _clamp(weight, weight)
    excess = round2(rate - previous_rate)
    return _clamp(weight - excess * deduction_per_point, weight)


def score_diff_rate(rate: float | None, municipal_average: float | None, weight: float,
                    step: float, deduction_per_step: float) -> float | None:
    """Above the municipal average, deduct per full step ("每高出10%（含）"), floor 0."""
    if not _finite(rate, municipal_average):
        return None
    excess = round2(rate - municipal_average)
    if excess <= 0:
        return _clamp(weight, weight)
    steps = math.floor(excess / step + ROUND_EPSILON)
    return _clamp(weight - steps * deduction_per_step, weight)


def score_judged(given: float | None, weight: float) -> float | None:
    """Qualitative indicators: the evaluator's score is an input, kept within [0, weight]."""
    if not _finite(given):
        return None
    return _clamp(given, weight)


def grade_for(total: float | None, bands: Sequence[dict]) -> str | None:
    """Grade of a total; bands carry inclusive lower bounds (优秀 ≥ 90, 良好 ≥ 80, 中 ≥ 60, else 差)."""
    if not _finite(total):
        return None
    for band in sorted(bands, key=lambda b: b["min"], reverse=True):
        if total >= band["min"]:
            return band["grade"]
    return sorted(bands, key=lambda b: b["min"])[0]["grade"]
