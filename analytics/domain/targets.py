"""Reading the 年度指标值 and 实际完成值 of a self-evaluation table.

    "≥200" → ("≥", 200.0, "")          "≤4天" → ("≤", 4.0, "天")      "≥95%" → ("≥", 95.0, "%")
    "11月底前", "9月前" → ("≤", 11.0 / 9.0, "月"): time targets compare as month numbers
    "100%" (no comparator) → ("=", 100.0, "%")     "95%以上" → ("≥", 95.0, "%")
    "显著", "优秀", "有效提升" → None: not numeric, the indicator is judged (evaluator's score kept)
An actual value reads the same way without a comparator ("230个" → 230.0; "10月底" → 10.0).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_COMPARATORS = (("≥", "≥"), (">=", "≥"), ("＞＝", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("至少", "≥"),
                ("≤", "≤"), ("<=", "≤"), ("＜＝", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"),
                (">", ">"), ("＞", ">"), ("大于", ">"), ("<", "<"), ("＜", "<"), ("小于", "<"),
                ("=", "="), ("＝", "="))
_SUFFIXES = (("以上", "≥"), ("及以上", "≥"), ("以内", "≤"), ("以下", "≤"), ("及以下", "≤"))
_NUMBER = re.compile(r"^\s*(-?\d[\d,，]*(?:\.\d+)?)\s*(.*?)\s*$")
_MONTH = re.compile(r"^(?:\d{4}\s*年\s*)?(\d{1,2})\s*月(?:份)?(底|末|中旬|上旬|下旬|\d{1,2}\s*日)?\s*(前|之前|以前)?$")


@dataclass(frozen=True)
class Target:
    comparator: str     # ≥ ≤ = > <
    value: float
    unit: str


def _number(text: str) -> tuple[float, str] | None:
    match = _NUMBER.match(text)
    if not match:
        return None
    try:
        return float(match.group(1).replace(",", "").replace("，", "")), match.group(2)
    except ValueError:
        return None


def _month(text: str) -> tuple[float, bool] | None:
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(1)) <= 12:
        return None
    return float(match.group(1)), bool(match.group(3))


def _clean(text) -> str:
    return str(text).strip().replace("％", "%").replace(" ", "") if text is not None else ""


def parse_target(text) -> Target | None:
    """A numeric or time target, or None for a target that can only be judged."""
    text = _clean(text)
    month = _month(text)
    if month is not None:
        return Target("≤", month[0], "月")
    comparator = "="
    for word, symbol in _COMPARATORS:
        if text.startswith(word):
            comparator, text = symbol, text[len(word):]
            break
    else:
        for word, symbol in _SUFFIXES:
            if text.endswith(word):
                comparator, text = symbol, text[:-len(word)]
                break
    number = _number(text)
    if number is None:
        return None
    return Target(comparator, number[0], number[1])


def parse_actual(text, unit: str = "") -> float | None:
    """An actual value as a number (a month number for time targets), None when not numeric."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    text = _clean(text)
    if unit == "月":
        month = _month(text)
        return month[0] if month else None
    number = _number(text)
    return number[0] if number else None
