"""Stepped bands (分档计分): the value falls in one band, the band gives the score.

``bands``: [{"low": 0, "high": 0, "low_closed": true, "high_closed": true, "score": 3}, …]; a missing
``low``/``high`` is unbounded, and the first band that holds wins.  The value comes from ``measure``.
Example (预算调整率): 0 → 3; (0, 10 %] → 2; (10 %, 20 %] → 1; (20 %, 30 %] → 0.5; above 30 % → 0.
"""
from __future__ import annotations


from analytics.domain.issues import Issue
from analytics.domain.rounding import clamp
from analytics.domain.rules import measure, sql
from analytics.domain.rules.base import LIST, MEASURE, Param, RuleResult, is_number

KIND = "bands"
PARAMS = {"measure": Param(MEASURE), "bands": Param(LIST)}


def _band_ok(band) -> bool:
    return (isinstance(band, dict) and is_number(band.get("score"))
            and all(band.get(end) is None or is_number(band[end]) for end in ("low", "high")))


def check(params: dict, path: str, known_figures: set[str] = frozenset()) -> list[Issue]:
    issues = measure.check(params.get("measure"), f"{path}.measure", known_figures)
    bands = params.get("bands")
    if isinstance(bands, list) and not bands:
        issues.append(Issue("no_bands", {}, f"{path}.bands"))
    issues += [Issue("bad_band", {"index": i + 1}, f"{path}.bands[{i}]")
               for i, band in enumerate(bands or ()) if not _band_ok(band)]
    return issues


def figures(params: dict) -> list[str]:
    return measure.figures(params["measure"])


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return measure.inputs(params["measure"], figs)


def _holds(band: dict, v):
    low, high = band.get("low"), band.get("high")
    above = True if low is None else ((v >= low) if band.get("low_closed") else (v > low))
    below = True if high is None else ((v <= high) if band.get("high_closed") else (v < high))
    return above & below


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    value, reason = measure.value(params["measure"], inp)
    if value is None:
        return RuleResult(None, None, reason)
    for band in params["bands"]:
        if _holds(band, value):
            return RuleResult(clamp(band["score"], weight), value)
    return RuleResult(None, value, "outside_bands")


def sql_inputs(params: dict, figure, leaf) -> dict:
    return measure.sql_inputs(params["measure"], figure)


def _holds_sql(band: dict, v: str) -> str:
    low, high = band.get("low"), band.get("high")
    above = "true" if low is None else f"{v} {'>=' if band.get('low_closed') else '>'} {sql.num(low)}"
    below = "true" if high is None else f"{v} {'<=' if band.get('high_closed') else '<'} {sql.num(high)}"
    return f"({above} AND {below})"


def score_sql(params: dict, c) -> list[dict]:
    v = c("value")
    hit = " ".join(f"WHEN {_holds_sql(band, v)} THEN {sql.clamp(sql.num(band['score']))}" for band in params["bands"])
    return [measure.value_sql(params["measure"], c),
            {"score": f"CASE WHEN {v} IS NULL THEN NULL {hit} END"},
            {"rate": v,
             "reason": f"CASE WHEN {v} IS NULL THEN {c('value_reason')} WHEN {c('score')} IS NULL THEN 'outside_bands' END",
             "finding": sql.NULL_TEXT}]
