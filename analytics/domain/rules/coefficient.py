"""Score coefficient (得分系数): score = coefficient % × weight, within [0, weight] (Chongqing's tables)."""
from __future__ import annotations


from analytics.domain.rounding import clamp, finite
from analytics.domain.rules import sql
from analytics.domain.rules.base import RuleResult

KIND = "coefficient"
PARAMS: dict = {}


def figures(params: dict) -> list[str]:
    return []


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return {"coefficient": leaf.coefficient}


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    c = inp["coefficient"]
    if not finite(c):
        return RuleResult(None, None, "missing_input")
    return RuleResult(clamp(c / 100 * weight, weight), float(c))


def sql_inputs(params: dict, figure, leaf) -> dict:
    return {"coefficient": leaf("coefficient")}


def score_sql(params: dict, c) -> list[dict]:
    ok, k = sql.finite(c("coefficient")), c("coefficient")
    return [{"score": f"CASE WHEN {ok} THEN {sql.clamp(f'{k} / 100 * weight')} END",
             "rate": f"CASE WHEN {ok} THEN {k} END",
             "reason": sql.codes((f"NOT {ok}", "missing_input")), "finding": sql.NULL_TEXT}]
