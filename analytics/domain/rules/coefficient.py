"""Score coefficient (得分系数): score = coefficient % × weight, within [0, weight] (Chongqing's tables)."""
from __future__ import annotations

import numpy as np

from analytics.domain.rounding import clamp, clamp_v, finite, finite_v
from analytics.domain.rules import sql
from analytics.domain.rules.base import RuleResult, SetResult, codes, empty_codes

KIND = "coefficient"
PARAMS: dict = {}
COLUMNS = ("coefficient",)


def figures(params: dict) -> list[str]:
    return []


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return {"coefficient": leaf.coefficient}


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    c = inp["coefficient"]
    if not finite(c):
        return RuleResult(None, None, "missing_input")
    return RuleResult(clamp(c / 100 * weight, weight), float(c))


def score_set(params: dict, weight: np.ndarray, cols: dict) -> SetResult:
    c = cols["coefficient"]
    ok = finite_v(c)
    n = len(c)
    return SetResult(np.where(ok, clamp_v(c / 100 * weight, weight), np.nan), np.where(ok, c, np.nan),
                     codes(n, (~ok, "missing_input")), empty_codes(n))


def sql_inputs(params: dict, figure, leaf) -> dict:
    return {"coefficient": leaf("coefficient")}


def score_sql(params: dict, c) -> list[dict]:
    ok, k = sql.finite(c("coefficient")), c("coefficient")
    return [{"score": f"CASE WHEN {ok} THEN {sql.clamp(f'{k} / 100 * weight')} END",
             "rate": f"CASE WHEN {ok} THEN {k} END",
             "reason": sql.codes((f"NOT {ok}", "missing_input")), "finding": sql.NULL_TEXT}]
