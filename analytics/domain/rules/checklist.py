"""Checklist deduction (逐项扣分): start from the weight, deduct ``deduction`` per failed check, floor 0.

The checks are data (``checks``: [{"zh", "en"}]) so a user can tick them.  Where an evaluation gives
no count, the fewest failed checks that explain its reported score are used, if a whole number does.
"""
from __future__ import annotations


from analytics.domain.issues import Issue
from analytics.domain.rounding import clamp, finite
from analytics.domain.rules import sql
from analytics.domain.rules.base import LIST, NUMBER, Param, RuleResult

KIND = "checklist"
PARAMS = {"deduction": Param(NUMBER), "checks": Param(LIST)}


def check(params: dict, path: str, known_figures: set[str] = frozenset()) -> list[Issue]:
    checks = params.get("checks")
    if isinstance(checks, list) and not checks:
        return [Issue("no_checks", {}, f"{path}.checks")]
    return [Issue("bad_check", {"index": i + 1}, f"{path}.checks[{i}]") for i, c in enumerate(checks or ())
            if not (isinstance(c, dict) and isinstance(c.get("zh"), str) and c["zh"].strip())]


def figures(params: dict) -> list[str]:
    return []


def failed_from_score(params: dict, weight: float, reported: float | None) -> int | None:
    if not finite(reported):
        return None
    lost = (weight - reported) / params["deduction"]
    count = round(lost)
    if abs(lost - count) > 1e-6 or not 0 <= count <= len(params["checks"]):
        return None
    return count


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    failed = leaf.failed if leaf.failed is not None else failed_from_score(params, weight, reported)
    return {"failed": failed}


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    failed = inp["failed"]
    if not finite(failed):
        return RuleResult(None, None, "missing_input")
    return RuleResult(clamp(weight - max(failed, 0) * params["deduction"], weight))


def sql_inputs(params: dict, figure, leaf) -> dict:
    """``failed`` as given, else the fewest failed checks explaining the reported score (``failed_from_score``)."""
    reported = leaf("reported")
    lost = f"((weight - {reported}) / {sql.num(params['deduction'])})"
    count = f"round({lost})"
    from_score = (f"CASE WHEN {sql.finite(reported)} AND abs({lost} - {count}) <= {sql.num(1e-6)} "
                  f"AND {count} BETWEEN 0 AND {len(params['checks'])} THEN {count} END")
    return {"failed": f"coalesce({leaf('failed')}, {from_score})"}


def score_sql(params: dict, c) -> list[dict]:
    ok = sql.finite(c("failed"))
    deducted = f"weight - greatest({c('failed')}, 0.0) * {sql.num(params['deduction'])}"
    return [{"score": f"CASE WHEN {ok} THEN {sql.clamp(deducted)} END", "rate": sql.NULL_NUM,
             "reason": sql.codes((f"NOT {ok}", "missing_input")), "finding": sql.NULL_TEXT}]
