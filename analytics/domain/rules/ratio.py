"""Ratio rule (比率): score = min(B / A, 1) × weight; a reverse indicator uses A / B.

B is the ``numerator`` figure (the actual value, e.g. spent_total), A the ``denominator`` figure (the
target or base, e.g. budget_total or initial_budget_total).  The ratio is a percentage cut to 2
decimals first (86.1751 % → 86.17 % → 0.8617 × 20 = 17.23).  Over-target tiers, in any order: with
r = (B − A) / A (reverse: (A − B) / B), the largest ``share`` among tiers whose ``from`` ≤ r is
deducted as a share of the weight (seed: [200 %, 300 %) 10 %, [300 %, 500 %) 20 %, ≥ 500 % 30 %).
A reverse indicator whose actual is 0 fully meets a positive target.
"""
from __future__ import annotations


from analytics.domain.issues import Issue
from analytics.domain.rounding import clamp, finite, rate_percent, round2
from analytics.domain.rules import sql
from analytics.domain.rules.base import FIGURE, LIST, TEXT, Param, RuleResult, is_number

KIND = "ratio"
PARAMS = {"numerator": Param(FIGURE), "denominator": Param(FIGURE),
          "direction": Param(TEXT, False, ("positive", "reverse"), "positive"),
          "tiers": Param(LIST, False, default=())}


def check(params: dict, path: str, known_figures: set[str] = frozenset()) -> list[Issue]:
    issues = []
    for i, tier in enumerate(params.get("tiers") or ()):
        if not (isinstance(tier, dict) and is_number(tier.get("from")) and is_number(tier.get("share"))
                and 0 <= tier["share"] <= 1):
            issues.append(Issue("bad_tier", {"index": i + 1}, f"{path}.tiers[{i}]"))
    return issues


def figures(params: dict) -> list[str]:
    return [params["numerator"], params["denominator"]]


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return {"numerator": figs.get(params["numerator"]), "denominator": figs.get(params["denominator"])}


def _share(over: float, tiers) -> float:
    share = 0.0
    for tier in tiers:
        if over >= tier["from"]:
            share = max(share, tier["share"])
    return share


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    b, a = inp["numerator"], inp["denominator"]
    if not finite(b, a):
        return RuleResult(None, None, "missing_input")
    if params.get("direction") == "reverse":
        if b <= 0:
            return RuleResult(clamp(weight, weight)) if a > 0 else RuleResult(None, None, "zero_denominator")
        rate, over = rate_percent(a, b), rate_percent(a - b, b)
    else:
        rate, over = rate_percent(b, a), rate_percent(b - a, a)
    if rate is None:
        return RuleResult(None, None, "zero_denominator")
    result = round2(min(rate, 100.0) / 100 * weight)
    if over is not None:
        result -= weight * _share(over, params.get("tiers") or ())
    return RuleResult(clamp(result, weight), rate)


def sql_inputs(params: dict, figure, leaf) -> dict:
    return {"numerator": figure(params["numerator"]), "denominator": figure(params["denominator"])}


def score_sql(params: dict, c) -> list[dict]:
    b, a = c("numerator"), c("denominator")
    ok = sql.finite(b, a)
    reverse = params.get("direction") == "reverse"
    rate, over = (sql.rate_percent(a, b), sql.rate_percent(f"({a} - {b})", b)) if reverse else \
        (sql.rate_percent(b, a), sql.rate_percent(f"({b} - {a})", a))
    tiers = params.get("tiers") or ()
    share = "0.0"
    for tier in tiers:   # the scalar's running max, one tier after another
        share = f"(CASE WHEN {c('over')} >= {sql.num(tier['from'])} THEN greatest({share}, {sql.num(tier['share'])}) ELSE {share} END)"
    deducted = f"CASE WHEN {c('over')} IS NOT NULL THEN {c('base')} - weight * {c('share')} ELSE {c('base')} END"
    zero_actual = f"{ok} AND {b} <= 0" if reverse else "false"
    return [{"rate": rate, "over": over},
            {"base": sql.r2(f"least({c('rate')}, 100.0) / 100 * weight"), "share": share},
            {"score": f"CASE WHEN {zero_actual} THEN (CASE WHEN {a} > 0 THEN {sql.clamp('weight')} END) "
                      f"WHEN NOT {ok} OR {c('rate')} IS NULL THEN NULL "
                      f"ELSE {sql.clamp(deducted)} END",
             "rate": f"CASE WHEN {zero_actual} OR NOT {ok} THEN NULL ELSE {c('rate')} END",
             "reason": sql.codes((f"NOT {ok}", "missing_input"),
                                 (f"NOT ({zero_actual}) AND {c('rate')} IS NULL", "zero_denominator"),
                                 (f"{zero_actual} AND NOT {a} > 0", "zero_denominator")),
             "finding": sql.NULL_TEXT}]
