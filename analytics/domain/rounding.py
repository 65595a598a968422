"""Rates cut to 2 decimals, scores rounded half up to 2 decimals: scalar functions and numpy twins.

The scalar functions are the engine's existing ones (``analytics.rules``); each ``*_v`` twin repeats
their float operations in the same order on arrays, so both scoring paths agree bit for bit.
NaN in an array plays the part of None in the scalar functions.
"""
from __future__ import annotations

import math

import numpy as np

from analytics.rules import ROUND_EPSILON, change_rate_percent, cut2, rate_percent, round2

__all__ = ["ROUND_EPSILON", "change_rate_percent", "cut2", "rate_percent", "round2", "clamp", "finite",
           "cut_finite", "round2_v", "cut2_v", "clamp_v", "rate_percent_v", "change_rate_percent_v",
           "cut_finite_v", "finite_v"]


def finite(*values) -> bool:
    return all(v is not None and isinstance(v, (int, float)) and math.isfinite(v) for v in values)


def clamp(score: float, weight: float) -> float:
    """Floor at 0, never above the weight, rounded half up."""
    return round2(min(max(score, 0.0), weight))


def cut_finite(percent: float) -> float | None:
    return cut2(percent) if math.isfinite(percent * 100) else None


def finite_v(*arrays: np.ndarray) -> np.ndarray:
    ok = np.isfinite(arrays[0])
    for a in arrays[1:]:
        ok = ok & np.isfinite(a)
    return ok


def round2_v(x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        scaled = x * 100
        return np.where(np.isfinite(scaled), np.floor(x * 100 + 0.5 + ROUND_EPSILON) / 100, x)


def cut2_v(x: np.ndarray) -> np.ndarray:
    sign = np.where(x >= 0, 1.0, -1.0)
    with np.errstate(all="ignore"):
        whole = np.floor(np.abs(x) * 100 + ROUND_EPSILON)
        # the scalar multiplies whole numbers as ints, so a cut to zero is +0.0, never -0.0
        return np.where(whole == 0, 0.0, sign * whole / 100)


def cut_finite_v(percent: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        ok = np.isfinite(percent * 100)
    return np.where(ok, cut2_v(np.where(ok, percent, 0.0)), np.nan)


def clamp_v(score: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return round2_v(np.minimum(np.maximum(score, 0.0), weight))


def rate_percent_v(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    ok = finite_v(numerator, denominator) & (denominator > 0)
    with np.errstate(all="ignore"):
        percent = np.where(ok, numerator / np.where(ok, denominator, 1.0) * 100, np.nan)
    return cut_finite_v(percent)


def change_rate_percent_v(final: np.ndarray, initial: np.ndarray) -> np.ndarray:
    ok = finite_v(final, initial) & (initial > 0)
    with np.errstate(all="ignore"):
        percent = np.where(ok, (final - initial) / np.where(ok, initial, 1.0) * 100, np.nan)
    return cut_finite_v(percent)
