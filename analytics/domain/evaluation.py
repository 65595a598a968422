"""One evaluation's inputs: its figures, per-leaf inputs, reported scores, and brought indicators.

Under an open group each evaluation brings its own leaves (the national table's 三级指标, e.g.
"新建省级中心村数量" with 年度指标值 "≥200", 实际完成值 "230", 分值 10, 得分 10, 偏差原因 …).
``instantiate`` grafts them into the framework, checking that weights now add up everywhere, and
returns a concrete framework that both scoring paths score like any other.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

from analytics.domain.issues import Issue, errors
from analytics.domain.loader import _check_children
from analytics.domain.model import Framework, Node, Rule, freeze
from analytics.domain.rules import KINDS, check_rule
from analytics.domain.rules.base import is_number


@dataclass(frozen=True)
class LeafInput:
    """What a leaf's rule may need beyond the figures; which fields matter depends on its kind."""
    failed: int | None = None           # checklist: failed checks
    given: float | None = None          # judged / qualitative / target: the evaluator's score (default: reported)
    label: str | None = None            # qualitative: 达成 / 部分达成 / 未达成
    choice: str | None = None           # either-or: the option the evaluation names
    target: str | None = None           # target comparison: 年度指标值 as written ("≥200", "11月底前")
    actual: str | float | None = None   # target comparison: 实际完成值
    coefficient: float | None = None    # score coefficient: 得分系数 in %


@dataclass(frozen=True)
class BroughtIndicator:
    group: str                          # the open group's code
    code: str
    zh: str
    weight: float
    kind: str = "target"
    en: str = ""
    params: Mapping = field(default_factory=dict)
    unit: str = ""
    deviation_reason: str = ""          # 偏差原因分析及改进措施


@dataclass(frozen=True)
class EvaluationInputs:
    figures: Mapping[str, float] = field(default_factory=dict)      # figure code → value (year parameters too)
    leaves: Mapping[str, LeafInput] = field(default_factory=dict)   # leaf code → its inputs
    reported: Mapping[str, float] = field(default_factory=dict)     # leaf code → reported score
    brought: tuple[BroughtIndicator, ...] = ()

    def leaf(self, code: str) -> LeafInput:
        return self.leaves.get(code) or LeafInput()


def _brought_node(b: BroughtIndicator) -> Node:
    return Node(code=b.code, zh=b.zh, en=b.en, weight=float(b.weight), rule=Rule(b.kind, freeze(dict(b.params))),
                note=b.deviation_reason)


def _check_brought(fw: Framework, brought, taken: set[str]) -> list[Issue]:
    groups = {g.code: g for g in fw.open_groups()}
    issues = []
    for i, b in enumerate(brought):
        at = f"$.brought[{i}]"
        group = groups.get(b.group)
        if group is None:
            issues.append(Issue("unknown_group", {"group": b.group}, f"{at}.group"))
        elif b.kind not in group.open_kinds:
            issues.append(Issue("kind_not_allowed", {"kind": b.kind, "group": b.group}, f"{at}.kind"))
        if b.code in taken:
            issues.append(Issue("duplicate_code", {"node": b.code}, f"{at}.code"))
        taken.add(b.code)
        if not is_number(b.weight) or b.weight < 0:
            issues.append(Issue("bad_weight", {"node": b.code, "value": str(b.weight)}, f"{at}.weight"))
        if b.kind in KINDS:
            issues += check_rule({"kind": b.kind, "params": dict(b.params)}, f"{at}.rule", fw.known_figures())
    return issues


def instantiate(fw: Framework, brought: tuple[BroughtIndicator, ...]) -> tuple[Framework | None, list[Issue]]:
    """The framework with an evaluation's brought leaves in place; every weight then fixed and adding up."""
    if not fw.open_groups():
        return fw, [Issue("no_open_groups", {}, "$.brought")] if brought else []
    issues = _check_brought(fw, brought, {n.code for n, _, _ in fw.walk()})
    if errors(issues):
        return None, issues

    def graft(node: Node, path: str) -> Node:
        if node.is_leaf:
            return node
        if node.is_open:
            children = tuple(_brought_node(b) for b in brought if b.group == node.code)
        else:
            children = tuple(graft(c, f"{path}.children[{i}]") for i, c in enumerate(node.children))
        weight = node.weight
        if weight is None:
            weight = 0.0
            for child in children:
                weight += child.weight
        out = replace(node, children=children, weight=weight)
        _check_children(out, f"{path}.children", issues)
        return out

    nodes = tuple(graft(n, f"$.nodes[{i}]") for i, n in enumerate(fw.nodes))
    _check_children(Node("total", "", "", fw.total, nodes), "$.nodes", issues)
    return (None if errors(issues) else replace(fw, nodes=nodes)), issues
