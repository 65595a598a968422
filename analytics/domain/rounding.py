"""Rates cut to 2 decimals, scores rounded half up to 2 decimals: scalar functions, and ``round2_v``.

The scalar functions are the engine's existing ones (``analytics.rules``); ``round2_v`` repeats
``round2``'s float operations in the same order on an array (NaN for None), for the inner-node sums of
``score_sql``, so both scoring paths agree bit for bit.
"""
from __future__ import annotations

import math

import numpy as np

from analytics.rules import ROUND_EPSILON, change_rate_percent, cut2, rate_percent, round2

__all__ = ["ROUND_EPSILON", "change_rate_percent", "cut2", "rate_percent", "round2", "clamp", "finite",
           "cut_finite", "round2_v"]


def finite(*values) -> bool:
    return all(v is not None and isinstance(v, (int, float)) and math.isfinite(v) for v in values)


def clamp(score: float, weight: float) -> float:
    """Floor at 0, never above the weight, rounded half up."""
    return round2(min(max(score, 0.0), weight))


def cut_finite(percent: float) -> float | None:
    return cut2(percent) if math.isfinite(percent * 100) else None


def round2_v(x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        scaled = x * 100
        return np.where(np.isfinite(scaled), np.floor(x * 100 + 0.5 + ROUND_EPSILON) / 100, x)
