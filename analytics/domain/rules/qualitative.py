"""Qualitative grades (定性指标): 达成 / 部分达成 / 未达成, each with a score range as % of the weight.

National guidance: 达成年度指标 [80 %, 100 %]; 部分达成并具有一定效果 [60 %, 80 %); 未达成且效果较差
[0 %, 60 %).  The evaluator picks the score within the range: the rule keeps the evaluator's score
(within [0, weight]) and checks it against the range of the level named, giving the finding
``score_outside_band`` when it falls outside (and ``unknown_level`` for a level it cannot read).
"""
from __future__ import annotations


from analytics.domain.issues import Issue
from analytics.domain.rounding import clamp, finite
from analytics.domain.rules.base import LIST, Param, RuleResult, is_number
from analytics.domain.rules import sql
from analytics.domain.rules.judged import given_score, given_sql

KIND = "qualitative"
NATIONAL_LEVELS = [
    {"label": "达成", "synonyms": ["达成年度指标", "已达成", "完成"], "min": 80, "max": 100, "max_closed": True},
    {"label": "部分达成", "synonyms": ["部分达成并具有一定效果", "基本达成", "部分完成"], "min": 60, "max": 80},
    {"label": "未达成", "synonyms": ["未达成且效果较差", "未完成"], "min": 0, "max": 60},
]
PARAMS = {"levels": Param(LIST, False, default=NATIONAL_LEVELS)}


def check(params: dict, path: str, known_figures: set[str] = frozenset()) -> list[Issue]:
    return [Issue("bad_level", {"index": i + 1}, f"{path}.levels[{i}]")
            for i, level in enumerate(params.get("levels") or ())
            if not (isinstance(level, dict) and isinstance(level.get("label"), str)
                    and is_number(level.get("min")) and is_number(level.get("max")))]


def figures(params: dict) -> list[str]:
    return []


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    return {"label": leaf.label, "given": given_score(leaf, reported)}


def level_index(levels, label) -> int:
    text = (label or "").strip()
    for i, level in enumerate(levels):
        if text and (text == level["label"] or text in level.get("synonyms", ())):
            return i
    return -1


def _inside(level: dict, weight, given):
    low, high = weight * level["min"] / 100, weight * level["max"] / 100
    return (given >= low) & ((given <= high) if level.get("max_closed") else (given < high))


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    given = inp["given"]
    if not finite(given):
        return RuleResult(None, None, "no_evaluator_score")
    levels = params.get("levels", NATIONAL_LEVELS)
    i = level_index(levels, inp["label"])
    finding = None
    if inp["label"] is not None and i < 0:
        finding = "unknown_level"
    elif i >= 0 and not _inside(levels[i], weight, given):
        finding = "score_outside_band"
    return RuleResult(clamp(given, weight), None, None, finding)


def sql_inputs(params: dict, figure, leaf) -> dict:
    return {"label": leaf("label"), "given": given_sql(leaf)}


def score_sql(params: dict, c) -> list[dict]:
    levels = params.get("levels", NATIONAL_LEVELS)
    label = sql.strip(c("label"))
    index = " ".join(f"WHEN {label} IN ({', '.join(sql.text(t) for t in (level['label'], *level.get('synonyms', ())))}) "
                     f"THEN {i}" for i, level in enumerate(levels))
    given = c("given")

    def inside(level):
        low, high = f"(weight * {sql.num(level['min'])} / 100)", f"(weight * {sql.num(level['max'])} / 100)"
        return f"({given} >= {low} AND {given} {'<=' if level.get('max_closed') else '<'} {high})"
    outside = " ".join(f"WHEN {c('index')} = {i} THEN NOT {inside(level)}" for i, level in enumerate(levels))
    ok = sql.finite(given)
    return [{"index": f"CASE WHEN {label} = '' THEN -1 {index} ELSE -1 END" if levels else "-1"},
            {"score": f"CASE WHEN {ok} THEN {sql.clamp(given)} END", "rate": sql.NULL_NUM,
             "reason": sql.codes((f"NOT {ok}", "no_evaluator_score")),
             "finding": sql.codes((f"{ok} AND {c('label')} IS NOT NULL AND {c('index')} < 0", "unknown_level"),
                                  (f"{ok} AND coalesce(CASE {outside} ELSE false END, false)" if levels else "false",
                                   "score_outside_band"))}]
