"""The value a banded or deduction rule judges: a figure, a ratio of two figures, or a change rate.

    {"of": "figure", "figure": "payment_progress_rate"}
    {"of": "ratio", "numerator": "carryover_amount", "denominator": "budget_total"}    → cut2(n / d × 100)
    {"of": "change", "final": "final_account_total", "initial": "initial_budget_total"} → cut2((f − i) / i × 100)
"""
from __future__ import annotations


from analytics.domain.issues import Issue
from analytics.domain.rounding import change_rate_percent, finite, rate_percent
from analytics.domain.rules import sql

SHAPES = {"figure": ("figure",), "ratio": ("numerator", "denominator"), "change": ("final", "initial")}


def check(measure, path: str, known_figures: set[str]) -> list[Issue]:
    if not isinstance(measure, dict):
        return []
    of = measure.get("of")
    if of not in SHAPES:
        return [Issue("parameter_choice", {"name": "of", "value": str(of), "choices": "|".join(SHAPES)}, f"{path}.of")]
    issues = []
    for name in SHAPES[of]:
        if name not in measure:
            issues.append(Issue("missing_parameter", {"kind": f"measure:{of}", "name": name}, f"{path}.{name}"))
        elif measure[name] not in known_figures:
            issues.append(Issue("unknown_figure", {"figure": str(measure[name])}, f"{path}.{name}"))
    return issues


def figures(measure: dict) -> list[str]:
    return [measure[name] for name in SHAPES[measure["of"]]]


def inputs(measure: dict, figs) -> dict:
    return {name: figs.get(measure[name]) for name in SHAPES[measure["of"]]}


def value(measure: dict, inp: dict) -> tuple[float | None, str | None]:
    """(value, None) or (None, reason)."""
    raw = [inp.get(name) for name in SHAPES[measure["of"]]]
    if not finite(*raw):
        return None, "missing_input"
    if measure["of"] == "figure":
        return float(raw[0]), None
    v = rate_percent(*raw) if measure["of"] == "ratio" else change_rate_percent(*raw)
    return (v, None) if v is not None else (None, "zero_denominator")


def sql_inputs(measure: dict, figure) -> dict:
    return {name: figure(measure[name]) for name in SHAPES[measure["of"]]}


def value_sql(measure: dict, c) -> dict:
    """One stage: ``value`` and ``value_reason`` (missing_input / zero_denominator), as ``value``."""
    raw = [c(name) for name in SHAPES[measure["of"]]]
    ok = sql.finite(*raw)
    if measure["of"] == "figure":
        v = f"CASE WHEN {ok} THEN {raw[0]} END"
    elif measure["of"] == "ratio":
        v = sql.rate_percent(*raw)
    else:
        v = sql.change_rate_percent(*raw)
    return {"value": v, "value_reason": sql.codes((f"NOT {ok}", "missing_input"), ("true", "zero_denominator"))}
