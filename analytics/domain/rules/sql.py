"""SQL twins of the rounding functions, and the pieces every rule kind's SQL form is built from.

A rule kind's SQL form (``score_sql``) is a list of *stages*: each stage maps column names to
expressions over the leaf row, the rule's inputs and the columns of the earlier stages, so that no
expression is repeated inside another (``c(name)`` quotes a column of the rule's own namespace).
The last stage defines ``score``, ``rate``, ``reason`` and ``finding``.  Every expression repeats the
float operations of the scalar rule in the same order, so the generated SQL is bit-identical to it;
NULL plays the part of None.  Numbers from framework data enter as ``CAST('repr' AS DOUBLE)`` (the
shortest repr round-trips exactly) and text as escaped literals: framework data is user text.
"""
from __future__ import annotations

from typing import Callable

from analytics.domain.rounding import ROUND_EPSILON

Col = Callable[[str], str]
EPS = f"CAST('{ROUND_EPSILON!r}' AS DOUBLE)"
# str.strip() strips exactly these code points (str.isspace); SQL trim gets them spelled out.
PY_WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def num(x) -> str:
    return f"CAST('{float(x)!r}' AS DOUBLE)"


def text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def strip(expr: str) -> str:
    return f"trim({expr}, {text(PY_WHITESPACE)})"


def finite(*exprs: str) -> str:
    return "(" + " AND ".join(f"coalesce(isfinite({e}), false)" for e in exprs) + ")"


def r2(x: str) -> str:
    """round2: floor(x × 100 + 0.5 + ε) / 100, a value too large to scale kept as it is."""
    return f"(CASE WHEN isfinite({x} * 100) THEN floor({x} * 100 + 0.5 + {EPS}) / 100 ELSE {x} END)"


def clamp(x: str, weight: str = "weight") -> str:
    return r2(f"least(greatest({x}, 0.0), {weight})")


def cut_finite(x: str) -> str:
    """cut_finite: cut2 where x × 100 is finite, else NULL; a cut to zero is +0.0 as in the scalar."""
    whole = f"floor(abs({x}) * 100 + {EPS})"
    return (f"(CASE WHEN NOT isfinite({x} * 100) THEN NULL WHEN {whole} = 0 THEN 0.0 "
            f"WHEN {x} >= 0 THEN {whole} / 100 ELSE -{whole} / 100 END)")


def rate_percent(numerator: str, denominator: str) -> str:
    return (f"(CASE WHEN {finite(numerator, denominator)} AND {denominator} > 0 "
            f"THEN {cut_finite(f'({numerator} / {denominator} * 100)')} END)")


def change_rate_percent(final: str, initial: str) -> str:
    return (f"(CASE WHEN {finite(final, initial)} AND {initial} > 0 "
            f"THEN {cut_finite(f'(({final} - {initial}) / {initial} * 100)')} END)")


def codes(*pairs: tuple[str, str]) -> str:
    """The code of the first condition that holds, else NULL (``base.codes``)."""
    if not pairs:
        return "CAST(NULL AS VARCHAR)"
    return "(CASE " + " ".join(f"WHEN {cond} THEN {text(code)}" for cond, code in pairs) + " END)"


NULL_NUM = "CAST(NULL AS DOUBLE)"
NULL_TEXT = "CAST(NULL AS VARCHAR)"
