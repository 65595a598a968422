"""Reads a report scored on a framework stored in the database, recognised by its indicator names.

The scoring table is read by its header (三级指标 or 指标名称, 分值, 得分): each row whose indicator cell names one
of the framework's leaves gives that leaf's weight and reported score.  A framework is recognised when the
table names at least half of its leaves, and more of them than any other candidate.
"""
from __future__ import annotations

import re

from analytics.domain.evaluation import EvaluationInputs
from analytics.domain.loader import TOTAL, figures_read
from analytics.domain.model import Framework as Model
from analytics.domain.score_one import score_evaluation

NAME_HEADERS = ("三级指标", "指标名称", "末级指标")
INDICATOR_PREFIX = re.compile(r"^(?:指标\s*\d+\s*[:：]|\(\d+\)|\d+[.、])\s*")
WEIGHT_SUFFIX = re.compile(r"\s*\(\s*\d+(?:\.\d+)?\s*分?\s*\)$")


def _squeezed(cell: str) -> str:
    return re.sub(r"\s", "", cell)


def _column(header, names) -> int | None:
    return next((i for i, cell in enumerate(header) if _squeezed(cell) in names), None)


def leaf_names(fw: Model) -> dict[str, str]:
    """Printed name → leaf code, for every leaf of the framework (its aliases too)."""
    return {_squeezed(name): node.code for node in fw.leaves() for name in (node.zh, *node.aliases)}


def leaf_rows(fw: Model, rows: tuple[tuple[str, ...], ...], number) -> dict[str, tuple[float | None, float | None]]:
    """Leaf code → (printed weight, printed score), from the rows under each indicator header."""
    names, found, header = leaf_names(fw), {}, None
    for row in rows:
        squeezed = tuple(map(_squeezed, row))
        if any(name in squeezed for name in NAME_HEADERS) and "分值" in squeezed and "得分" in squeezed:
            header = (_column(row, NAME_HEADERS), _column(row, ("分值",)), _column(row, ("得分",)))
            continue
        if header is None or header[0] >= len(row):
            continue
        name = WEIGHT_SUFFIX.sub("", INDICATOR_PREFIX.sub("", _squeezed(row[header[0]])))
        code = names.get(name)
        if code is not None and code not in found:
            found[code] = (_number_at(row, header[1], number), _number_at(row, header[2], number))
    return found


def _number_at(row: tuple[str, ...], at: int | None, number) -> float | None:
    return number(row[at]) if at is not None and at < len(row) else None


def recognise(candidates: dict[str, Model], rows: tuple[tuple[str, ...], ...], number,
              at_least: int = 0) -> Model | None:
    """The candidate whose leaves the table names most (at least half of them, and more than ``at_least``)."""
    best, best_count = None, at_least
    for fw in candidates.values():
        count = len(leaf_rows(fw, rows, number))
        if count * 2 >= len(list(fw.leaves())) and count > best_count:
            best, best_count = fw, count
    return best


def generic_entries(fw: Model, found: dict, figures: dict) -> tuple[list[dict], float | None]:
    """The indicator rows (reported score, and the rule's where figures recompute it) and the rule total."""
    reported = {code: score for code, (_weight, score) in found.items() if score is not None}
    known = {k: v for k, v in figures.items() if isinstance(v, float)}
    scored = score_evaluation(fw, EvaluationInputs(known, {}, reported))
    computed = figures_read(fw)
    parents = {node.code: parent for node, _depth, parent in fw.walk()}
    names = {node.code: node.zh for node, _depth, _parent in fw.walk()}
    entries = []
    for leaf in fw.leaves():
        level2 = parents.get(leaf.code)
        entries.append({"code": leaf.code, "level1": names.get(parents.get(level2)), "level2": names.get(level2),
                        "level3": leaf.zh, "weight": leaf.weight, "score": reported.get(leaf.code),
                        "rule_score": scored.nodes[leaf.code].rule if computed.get(leaf.code) else None})
    return entries, scored.nodes[TOTAL].value
