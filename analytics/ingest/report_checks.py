"""Cross-checks of a parsed report's figures against each other: each contradiction is a finding with both
values; nothing is corrected.  A check whose figures the report does not give is not made.

Findings are ``{"code": …, **params}``: ``parts_not_total`` (基本 + 项目 + 其他 ≠ the total), ``rate_not_amounts``
(a printed rate ≠ the rate its amounts give), ``scores_not_total`` (indicator or level-1 scores do not add up
to the reported level-1 score or total), ``grade_not_total`` (the stated grade is not the total's band),
``score_not_rule`` (a reported score ≠ its rule's), ``figures_differ`` (the table and the narrative state
one figure differently).
"""
from __future__ import annotations

from analytics.rules import rate_percent, round2

AMOUNT_TOLERANCE = 0.005      # 万元, half a cent of the printed 2 decimals
SCORE_TOLERANCE = 0.005
RATE_TOLERANCE = 0.01         # percent: a rate printed to 2 decimals, rounded or cut


def _differ(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) > tolerance


def parts_findings(result: dict) -> list[dict]:
    findings = []
    for prefix in ("budget", "spent", "initial_budget"):
        total = result.get(f"{prefix}_total")
        parts = [result.get(f"{prefix}_{part}") for part in ("basic", "project")]
        if total is None or None in parts:
            continue
        other = result.get(f"{prefix}_other") or 0.0
        added = round(sum(parts) + other, 2)
        if _differ(added, total, AMOUNT_TOLERANCE):
            findings.append({"code": "parts_not_total", "figure": f"{prefix}_total", "reported": total,
                             "sum_of_parts": added})
    return findings


# a printed rate and the amounts it is computed from: (rate, numerator, denominator, change rate?)
RATES = (("execution_rate", "spent_total", "budget_total", False),
         ("carryover_rate", "carryover_amount", "budget_total", False),
         ("final_account_diff_rate", "final_account_total", "initial_budget_total", True))


def rate_findings(result: dict) -> list[dict]:
    """Each printed rate against the rate its amounts give (cut or rounded to 2 decimals)."""
    findings = []
    for rate, numerator, denominator, change in RATES:
        printed, top, bottom = (result.get(k) for k in (rate, numerator, denominator))
        if None in (printed, top, bottom) or bottom <= 0:
            continue
        top = top - bottom if change else top
        computed = rate_percent(top, bottom) if top >= 0 else -rate_percent(-top, bottom)
        if _differ(printed, computed, RATE_TOLERANCE) and _differ(printed, round2(top / bottom * 100), RATE_TOLERANCE):
            findings.append({"code": "rate_not_amounts", "figure": rate, "reported": printed, "from_amounts": computed})
    return findings


def sum_findings(parts: dict[str, list[float | None]], reported: dict[str, float | None]) -> list[dict]:
    """``parts[key]`` are the scores that add up to ``reported[key]`` (a level-1 score, the total)."""
    findings = []
    for key, scores in parts.items():
        whole = reported.get(key)
        if whole is None or not scores or None in scores:
            continue
        added = round(sum(scores), 2)
        if _differ(added, whole, SCORE_TOLERANCE):
            findings.append({"code": "scores_not_total", "figure": key, "reported": whole, "sum_of_parts": added})
    return findings


def grade_findings(grade: str | None, total: float | None, grade_of) -> list[dict]:
    if grade is None or total is None:
        return []
    expected = grade_of(total)
    return [] if expected == grade else [{"code": "grade_not_total", "reported": grade, "score_total": total,
                                          "grade_of_total": expected}]


def rule_findings(checks: list[dict]) -> list[dict]:
    return [{"code": "score_not_rule", "indicator": c["indicator"], "reported": c["reported"], "rule": c["rule"]}
            for c in checks if c["agrees"] is False]


def differing(figure: str, table: float | None, narrative: float | None) -> list[dict]:
    if table is None or narrative is None or not _differ(table, narrative, AMOUNT_TOLERANCE):
        return []
    return [{"code": "figures_differ", "figure": figure, "table": table, "narrative": narrative}]
