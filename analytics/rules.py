"""How rates are taken and scores rounded, shared by every rule kind (analytics.domain.rules, whose
SQL twins repeat the same float operations) and the report readers.

Conventions (docs/domain.md): rates are percentages taken to 2 decimals before they are scored,
scores are rounded to 2 decimals, half up.  The seed fixes how rates are taken: 251145.17 / 291435.79
is 86.1751 %, which the report prints as 86.17 % and scores as 0.8617 × 20 = 17.23, so rates are cut
(truncated toward zero) to 2 decimals, not rounded; 13.82 % and 82.62 % agree with that too.
Scores round half up: 4 − 5.78 × 0.4 = 1.688 → 1.69.

``round2`` and ``cut2`` use plain float operations (multiply, add, floor, divide) so that the
set-based SQL path (analytics.domain.score_sql) repeats exactly the same IEEE arithmetic, bit for bit.
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


def grade_for(total: float | None, bands: Sequence[dict]) -> str | None:
    """Grade of a total; bands carry inclusive lower bounds (优秀 ≥ 90, 良好 ≥ 80, 中 ≥ 60, else 差)."""
    if not _finite(total):
        return None
    for band in sorted(bands, key=lambda b: b["min"], reverse=True):
        if total >= band["min"]:
            return band["grade"]
    return sorted(bands, key=lambda b: b["min"])[0]["grade"]
