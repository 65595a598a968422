"""The one-evaluation path: every node's rule score, level sums, total and grade, reported beside rule.

Per leaf: the reported score (as given), the rule score (None with a reason where the rule cannot be
applied), the rate the rule computed, a finding, and ``value`` = the rule score, falling back to the
reported score where there is no rule score.  An inner node's reported and value scores are the
sums of its children's (a missing score counts 0), added in tree order and rounded half up to 2
decimals; the total is the root's sum and each total is graded by the framework's bands.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from analytics.domain.evaluation import EvaluationInputs, instantiate
from analytics.domain.issues import FrameworkInvalid
from analytics.domain.loader import TOTAL
from analytics.domain.model import Framework, Node
from analytics.domain.rounding import round2
from analytics.domain.rules import KINDS
from analytics.domain.rules.base import RuleResult


@dataclass(frozen=True)
class NodeScore:
    code: str
    depth: int
    weight: float | None
    reported: float | None
    rule: float | None = None
    rate: float | None = None
    reason: str | None = None
    finding: str | None = None
    value: float | None = None       # rule, else reported (inner nodes: the sum of their children's values)


@dataclass(frozen=True)
class EvaluationScore:
    nodes: dict                      # code → NodeScore, in tree order, the total under TOTAL
    grade_reported: str | None
    grade_rule: str | None

    @property
    def total_reported(self) -> float:
        return self.nodes[TOTAL].reported

    @property
    def total_rule(self) -> float:
        return self.nodes[TOTAL].value


def leaf_inputs(node: Node, ev: EvaluationInputs) -> dict:
    """The flat named inputs of one leaf (shared by both scoring paths)."""
    params = node.rule.params
    return KINDS[node.rule.kind].inputs(params, node.weight, ev.figures, ev.leaf(node.code), ev.reported.get(node.code))


def score_leaf(node: Node, ev: EvaluationInputs) -> RuleResult:
    return KINDS[node.rule.kind].score(node.rule.params, node.weight, leaf_inputs(node, ev))


def concrete(fw: Framework, ev: EvaluationInputs) -> Framework:
    """The framework with the evaluation's brought indicators in place (raises FrameworkInvalid)."""
    if not fw.open_groups():
        return fw
    tree, issues = instantiate(fw, ev.brought)
    if tree is None:
        raise FrameworkInvalid(issues)
    return tree


def score_evaluation(fw: Framework, ev: EvaluationInputs) -> EvaluationScore:
    tree = concrete(fw, ev)
    out: dict[str, NodeScore] = {}

    def visit(node: Node, depth: int) -> NodeScore:
        if node.is_leaf:
            result = score_leaf(node, ev)
            reported = ev.reported.get(node.code)
            value = result.score if result.score is not None else reported
            score = NodeScore(node.code, depth, node.weight, reported, result.score, result.rate, result.reason,
                              result.finding, value)
        else:
            children = [visit(child, depth + 1) for child in node.children]
            reported, value = _sums(children)
            score = NodeScore(node.code, depth, node.weight, reported, value=value)
        out[node.code] = score
        return score

    reported, value = _sums([visit(node, 1) for node in tree.nodes])
    out[TOTAL] = NodeScore(TOTAL, 0, tree.total, reported, value=value)
    ordered = {code: out[code] for code in [TOTAL] + [n.code for n, _, _ in tree.walk()]}
    return EvaluationScore(ordered, tree.grade(reported), tree.grade(value))


def _sums(children: list[NodeScore]) -> tuple[float, float]:
    reported, value = 0.0, 0.0
    for child in children:
        reported += child.reported if child.reported is not None else 0.0
        value += child.value if child.value is not None else 0.0
    return round2(reported), round2(value)


def what_if(fw: Framework, ev: EvaluationInputs, changed: EvaluationInputs,
            rescore: frozenset = frozenset()) -> EvaluationScore:
    """A scenario from the reported scores: leaves whose inputs change (and the leaves ``rescore`` names)
    are rescored by their rule; every other leaf keeps its reported score (its rule score where none was
    reported)."""
    before, after = score_evaluation(fw, ev), score_evaluation(fw, changed)
    tree = concrete(fw, changed)
    reported = dict(changed.reported)
    for leaf in tree.leaves():
        moved = leaf.code in rescore or leaf_inputs(leaf, ev) != leaf_inputs(leaf, changed)
        keep = before.nodes.get(leaf.code)
        if moved and after.nodes[leaf.code].rule is not None:
            reported[leaf.code] = after.nodes[leaf.code].rule
        elif reported.get(leaf.code) is None and keep is not None:
            reported[leaf.code] = keep.value
    return score_evaluation(fw, replace(changed, reported=reported))
