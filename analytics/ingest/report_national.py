"""Reads a report on the national layout (部门整体支出绩效自评表) by its table's headers, not positions.

The budget block's columns are found by their headers (年初预算数, 全年预算数, 全年执行数, 执行率, 得分), its
rows by their labels (年度资金总额, 基本支出, 项目支出, 其他); the indicator block's by 一级指标 … 偏差原因.  Each
level-3 indicator is the department's own: its level-2 cell (数量指标, 社会效益 …) names the framework's open
group it belongs to.  The domain engine scores the indicators from their 年度指标值 and 实际完成值 (a target
or actual that is not a number is judged: no rule score); the execution score from the amounts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from analytics.domain.evaluation import BroughtIndicator, EvaluationInputs, LeafInput
from analytics.domain.loader import TOTAL, shipped_frameworks
from analytics.domain.model import Framework as Model
from analytics.domain.score_one import score_evaluation
from analytics.domain.targets import parse_actual, parse_target

CODE = "national-self-evaluation"
TARGET_HEADER, ACTUAL_HEADER = "年度指标值", "实际完成值"
MONEY_COLUMNS = {"年初预算数": "initial_budget", "全年预算数": "budget", "全年执行数": "spent"}
MONEY_ROWS = {"年度资金总额": "total", "基本支出": "basic", "项目支出": "project", "其他支出": "other", "其他": "other"}
TOTAL_ROWS = ("总分", "合计", "总计")
GRADE_ROWS = ("自评等级", "评价等级", "等级")
INDICATOR_PREFIX = re.compile(r"^(?:指标\s*\d+\s*[:：]|\(\d+\)|\d+[.、])\s*")
ROW_LABEL_PREFIX = re.compile(r"^其中\s*[:：]?\s*")
EXECUTION = "execution_rate"


def model() -> Model:
    return shipped_frameworks()[CODE][0]


def is_national(rows: tuple[tuple[str, ...], ...]) -> bool:
    """Its table has the national indicator header (年度指标值 and 实际完成值 side by side)."""
    return any(TARGET_HEADER in row and ACTUAL_HEADER in row for row in rows)


def _squeezed(cell: str) -> str:
    return re.sub(r"\s", "", cell)


def _column(header: tuple[str, ...], *names: str) -> int | None:
    return next((i for i, cell in enumerate(header) if any(_squeezed(cell).startswith(n) for n in names)), None)


def _cell(row: tuple[str, ...], at: int | None) -> str:
    return row[at] if at is not None and at < len(row) else ""


@dataclass
class NationalRow:
    level1: str
    level2: str
    group: str | None
    name: str
    target: str
    actual: str
    weight: float | None
    score: float | None
    reason: str


def group_of(fw: Model, level2: str) -> str | None:
    """The open group a printed level-2 name belongs to: 数量指标 or 数量 → output_quantity."""
    name = _squeezed(level2).removesuffix("指标")
    for node, _depth, _parent in fw.walk():
        if node.open_kinds is not None and name and node.zh.removesuffix("指标") in (name, name + "指标"):
            return node.code
    return None


def money_figures(rows: tuple[tuple[str, ...], ...], number) -> dict:
    """Amounts of the budget block by column header and row label; rate and score of 年度资金总额."""
    figures: dict = {}
    header = None
    for row in rows:
        if "全年预算数" in map(_squeezed, row) and "全年执行数" in map(_squeezed, row):
            header = row
            continue
        if header is None:
            continue
        label = ROW_LABEL_PREFIX.sub("", _squeezed(_cell(row, 0)))
        part = MONEY_ROWS.get(label)
        if part is None:
            if figures:
                break
            continue
        for title, prefix in MONEY_COLUMNS.items():
            value = number(_cell(row, _column(header, title)))
            if value is not None:
                figures.setdefault(f"{prefix}_{part}", value)
        if part == "total":
            figures["execution_rate_printed"] = _cell(row, _column(header, "执行率"))
            figures["execution_score_printed"] = _cell(row, _column(header, "得分"))
    return figures


def indicator_rows(fw: Model, rows: tuple[tuple[str, ...], ...], number) -> list[NationalRow]:
    """The level-3 indicators under every indicator header (a header repeated on a new page restarts it)."""
    found, header, level1, level2 = [], None, "", ""
    for row in rows:
        squeezed = tuple(map(_squeezed, row))
        if TARGET_HEADER in squeezed and ACTUAL_HEADER in squeezed:
            header = row
            continue
        if header is None:
            continue
        if squeezed and (squeezed[0] in TOTAL_ROWS + GRADE_ROWS):
            header = None
            continue
        columns = {key: _column(header, title) for key, title in (
            ("l1", "一级指标"), ("l2", "二级指标"), ("l3", "三级指标"), ("target", TARGET_HEADER),
            ("actual", ACTUAL_HEADER), ("weight", "分值"), ("score", "得分"), ("reason", "偏差原因"))}
        level1 = _cell(row, columns["l1"]) or level1
        level2 = _cell(row, columns["l2"]) or level2
        name = INDICATOR_PREFIX.sub("", _cell(row, columns["l3"]))
        if not name:
            continue
        found.append(NationalRow(level1, level2, group_of(fw, level2), name, _cell(row, columns["target"]),
                                 _cell(row, columns["actual"]), number(_cell(row, columns["weight"])),
                                 number(_cell(row, columns["score"])), _cell(row, columns["reason"])))
    return found


def closing_rows(rows: tuple[tuple[str, ...], ...], number) -> tuple[float | None, str | None]:
    """(the 总分 row's score, the 自评等级 row's grade word) as printed."""
    total, grade = None, None
    for row in rows:
        squeezed = tuple(map(_squeezed, row))
        if not squeezed:
            continue
        if squeezed[0] in TOTAL_ROWS:
            scores = [n for n in map(number, row[1:]) if n is not None]
            total = scores[-1] if scores else total
        elif squeezed[0] in GRADE_ROWS:
            grade = next((cell for cell in squeezed[1:] if cell), grade)
    return total, grade


def normalise_grade(fw: Model, word: str | None) -> str | None:
    if word is None:
        return None
    word = _squeezed(word).strip("“”\"'「」")
    return next((band.label for band in fw.grade_bands if word in (band.label, band.en, *band.synonyms)), None)


def scored(fw: Model, figures: dict, found: list[NationalRow], execution_score: float | None):
    """The engine's scores of the report's indicators, each leaf given its printed score."""
    brought = tuple(BroughtIndicator(row.group, f"l3_{i}", row.name, row.weight, "target", deviation_reason=row.reason)
                    for i, row in enumerate(found, 1) if row.group and row.weight is not None)
    leaves = {f"l3_{i}": LeafInput(target=row.target.replace(",", ""), actual=row.actual.replace(",", ""),
                                   given=row.score) for i, row in enumerate(found, 1)}
    reported = {f"l3_{i}": row.score for i, row in enumerate(found, 1) if row.score is not None}
    if execution_score is not None:
        reported[EXECUTION] = execution_score
    known = {k: v for k, v in figures.items() if k in ("budget_total", "spent_total") and v is not None}
    return score_evaluation(fw, EvaluationInputs(known, leaves, reported, brought))


def judged(row: NationalRow) -> bool:
    """A target or actual that is not a number: the evaluator's score stands, no rule recomputes it."""
    target = parse_target(row.target.replace(",", ""))
    return target is None or parse_actual(row.actual.replace(",", ""), target.unit) is None


def national_entries(fw: Model, found: list[NationalRow], score) -> list[dict]:
    level1_names = {node.code: node.zh for node, depth, _ in fw.walk() if depth == 1}
    parents = {node.code: parent for node, _, parent in fw.walk()}
    entries = []
    for i, row in enumerate(found, 1):
        node = score.nodes.get(f"l3_{i}")
        rule = None if node is None or judged(row) else node.rule
        entries.append({"code": f"l3_{i}", "group": row.group,
                        "level1": level1_names.get(parents.get(row.group), row.level1) if row.group else row.level1,
                        "level2": row.level2, "level3": row.name, "weight": row.weight, "score": row.score,
                        "rule_score": rule, "target": row.target, "actual": row.actual,
                        "deviation_reason": row.reason})
    return entries


def total_node(score) -> float | None:
    return score.nodes[TOTAL].value


def grade_of(fw: Model, total: float) -> str | None:
    return next((band.label for band in sorted(fw.grade_bands, key=lambda b: -b.min) if total >= band.min), None)
