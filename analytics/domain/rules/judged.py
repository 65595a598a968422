"""Judged score (评价人打分): the evaluator's score is the input, kept within [0, weight]."""
from __future__ import annotations


from analytics.domain.rounding import clamp, finite
from analytics.domain.rules import sql
from analytics.domain.rules.base import RuleResult

KIND = "judged"
PARAMS: dict = {}


def figures(params: dict) -> list[str]:
    return []


def given_score(leaf, reported):
    """The evaluator's score: given explicitly, else the reported score."""
    return leaf.given if leaf.given is not None else reported


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return {"given": given_score(leaf, reported)}


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    if not finite(inp["given"]):
        return RuleResult(None, None, "no_evaluator_score")
    return RuleResult(clamp(inp["given"], weight))


def given_sql(leaf) -> str:
    return f"coalesce({leaf('given')}, {leaf('reported')})"


def sql_inputs(params: dict, figure, leaf) -> dict:
    return {"given": given_sql(leaf)}


def score_sql(params: dict, c) -> list[dict]:
    ok = sql.finite(c("given"))
    return [{"score": f"CASE WHEN {ok} THEN {sql.clamp(c('given'))} END", "rate": sql.NULL_NUM,
             "reason": sql.codes((f"NOT {ok}", "no_evaluator_score")), "finding": sql.NULL_TEXT}]
