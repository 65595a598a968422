"""Rule-change scenarios for a whole year: change any parameter or weight of the framework for every
department and compare.

Changeable, read from the framework's own data (nothing is a fixed list): every numeric parameter of
every leaf's rule (``numeric_params``: a deduction's ``per`` and ``step``, a checklist's ``deduction``,
a ratio's tiers, a band's score …), every fixed weight of the tree, the grade bands, and the year's
市级平均差异率 (the figure ``municipal_avg_diff_rate``) where a rule reads it.  Weights must add up by the
tree before anything runs: the children whose weights are changed must sum to their parent's weight, the
level-1 weights to the framework's total (groups whose weights each evaluation sets take the rest, and are
rescaled in proportion); a parent changed alone rescales its children in proportion.  Weight changes
rescale scores in proportion (a level-1 score by its new weight over its old one).

The changed framework is a domain Framework; the leaves whose rule or figures change are rescored
set-based (``score_sql.score_all``) on a private in-memory copy of the year's inputs, so nothing stored
is touched.  As in what-if, rescored indicators take their new rule score (their old score where the rule
gives none); all others keep their reported scores, and level-1 scores are the stored ones plus the
moves of their indicators.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from analytics import scores
from analytics.domain import long_tables, score_sql
from analytics.domain.loader import weights_add_up
from analytics.domain.long_tables import LEAF_COLUMNS, Tables, placeholders
from analytics.domain.model import Framework, GradeBand, Node, Rule, freeze, thaw
from analytics.domain.rounding import round2, round2_v
from analytics.domain.rules import check_rule
from analytics.domain.rules.base import is_number
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import figures_read
from analytics.store import Store

# RuleChange field -> the concept of the deduction leaf whose ``per`` it sets (a shorthand of ``params``).
DEDUCTIONS = {"carryover_deduction_per_point": "carryover_rate", "diff_deduction_per_step": "final_account_diff_rate"}


class RuleChangeError(ValueError):
    """A rule change that cannot be applied: ``code`` and ``params`` say which parameter and why (put into
    words at the edge, ``rc_err_<code>``); the message is the same in English."""

    def __init__(self, code: str, message: str, **params):
        self.code, self.params = code, params
        super().__init__(message)


@dataclass
class RuleChange:
    municipal_avg_diff_rate: float | None = None
    grade_bands: dict[str, float] = field(default_factory=dict)       # grade -> lower bound
    weights: dict[str, float] = field(default_factory=dict)           # node code -> weight (fixed weights)
    params: dict[str, dict[str, float]] = field(default_factory=dict)  # leaf code -> {parameter path: value}
    carryover_deduction_per_point: float | None = None
    diff_deduction_per_step: float | None = None

    def leaf_params(self, fw: Framework) -> dict[str, dict[str, float]]:
        """``params`` with the named deductions put on their leaves' ``per``."""
        out = {code: dict(values) for code, values in self.params.items()}
        for name, concept in DEDUCTIONS.items():
            value = getattr(self, name)
            if value is not None and (leaf := deduction_leaf(fw, concept)) is not None:
                out.setdefault(leaf.code, {})["per"] = value
        return out

    def validate(self, fw: Framework) -> None:
        if self.municipal_avg_diff_rate is not None and not 0 <= self.municipal_avg_diff_rate <= 1000:
            raise RuleChangeError("avg", "市级平均差异率 must be between 0 and 1000 %")
        for name in DEDUCTIONS:
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                raise RuleChangeError("deductions", f"{name} must be between 0 and 100")
        changed_rules(fw, self.leaf_params(fw))
        new_weights(fw, self.weights)
        if self.grade_bands:
            mins = [b.min for b in self.bands(fw)]
            if any(not 0 <= m <= fw.total for m in mins) or mins != sorted(mins, reverse=True) \
                    or len(set(mins)) != len(mins):
                raise RuleChangeError("bands", f"grade bands must fall from the best grade to the worst, "
                                      f"within 0–{fw.total:g}", total=f"{fw.total:g}")

    def bands(self, fw: Framework) -> list[GradeBand]:
        """The framework's grade bands, best first, with the changed lower bounds."""
        return [replace(b, min=float(self.grade_bands.get(b.label, b.min)))
                for b in sorted(fw.grade_bands, key=lambda b: -b.min)]

    def figures(self) -> dict[str, float]:
        """Figures every evaluation of the year gets."""
        return {} if self.municipal_avg_diff_rate is None else {MUNICIPAL_AVG_DIFF_RATE: self.municipal_avg_diff_rate}


# -- what a rule change may set, from the framework's data ---------------------------------------------

def numeric_params(rule: Rule) -> dict[str, float]:
    """Every number in a rule's parameters by its path ("per", "step", "tiers.0.share", "bands.1.score")."""
    found = {}

    def visit(value, path: str) -> None:
        if is_number(value):
            found[path] = float(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                visit(item, f"{path}.{i}")
    visit(thaw(rule.params), "")
    return found


def _set(params, path: str, value: float):
    """The parameters with the number at ``path`` replaced (a thawed copy)."""
    head, _, rest = path.partition(".")
    if isinstance(params, list):
        index = int(head)
        return [(_set(item, rest, value) if rest else value) if i == index else item for i, item in enumerate(params)]
    return {key: ((_set(item, rest, value) if rest else value) if key == head else item) for key, item in params.items()}


def changed_rules(fw: Framework, params: dict[str, dict[str, float]]) -> dict[str, Rule]:
    """Leaf code -> its rule with the changed parameters, each checked as the framework loader checks it."""
    leaves = {leaf.code: leaf for leaf in fw.leaves()}
    known = {code for leaf in fw.leaves() for code in figures_read(leaf)}
    rules = {}
    for code, values in params.items():
        leaf = leaves.get(code)
        if leaf is None:
            raise RuleChangeError("unknown_leaf", f"{code} is not an indicator of {fw.code}", leaf=code)
        current = numeric_params(leaf.rule)
        raw = thaw(leaf.rule.params)
        for path, value in values.items():
            if path not in current:
                raise RuleChangeError("unknown_param", f"{code} has no numeric parameter {path}", leaf=code, param=path)
            if not is_number(value) or not math.isfinite(value) or (value < 0 <= current[path]):
                raise RuleChangeError("param_value", f"{code}.{path} must be a number not below 0", leaf=code,
                                      param=path)
            raw = _set(raw, path, value)
        issues = check_rule({"kind": leaf.rule.kind, "params": raw}, code, known)
        if issues:
            raise RuleChangeError("param_rule", f"{code}: {issues[0].code} at {issues[0].path}", leaf=code,
                                  issue=issues[0].code)
        rules[code] = Rule(leaf.rule.kind, freeze(raw))
    return rules


def editable_weights(fw: Framework) -> dict[str, float]:
    """Every weight the framework fixes whose ancestors are all fixed too: node code -> weight, tree order.
    (Groups whose weights each evaluation sets, and what lies under them, are not the framework's to set.)"""
    out = {}

    def visit(nodes) -> None:
        for node in nodes:
            if node.weight is not None:
                out[node.code] = float(node.weight)
                visit(node.children)
    visit(fw.nodes)
    return out


def open_share(fw: Framework) -> float:
    """The points the groups weighted by each evaluation share: the total less the fixed level-1 weights."""
    return fw.total - sum(node.weight for node in fw.nodes if node.weight is not None)


def new_weights(fw: Framework, weights: dict[str, float]) -> tuple[dict[str, float], float]:
    """Every editable node's new weight, and the factor of the groups each evaluation weights; raises where
    the weights do not add up by the tree."""
    editable = editable_weights(fw)
    for code, value in weights.items():
        if code not in editable:
            raise RuleChangeError("unknown_weight", f"{code} has no weight of {fw.code} to set", node=code)
        if not is_number(value) or not math.isfinite(value) or value <= 0:
            raise RuleChangeError("weight_positive", f"the weight of {code} must be above 0", node=code)
    new = {node.code: float(weights.get(node.code, node.weight)) for node in fw.nodes if node.weight is not None}
    share = open_share(fw)
    if share <= 1e-9:
        if not weights_add_up(list(new.values()), fw.total):
            raise RuleChangeError("weights_total", f"level-1 weights must be positive and sum to {fw.total:g}, "
                                  f"not {round2(sum(new.values())):g}", total=f"{fw.total:g}",
                                  sum=f"{round2(sum(new.values())):g}")
        factor = 1.0
    else:
        rest = fw.total - sum(new.values())
        if rest <= 1e-9:
            raise RuleChangeError("weights_open", f"the fixed level-1 weights ({round2(sum(new.values())):g}) "
                                  f"leave nothing of {fw.total:g} to the groups each evaluation weights",
                                  total=f"{fw.total:g}", sum=f"{round2(sum(new.values())):g}")
        factor = rest / share

    def visit(node: Node) -> None:
        if not node.children or any(child.weight is None for child in node.children):
            return
        if any(child.code in weights for child in node.children):
            parts = [float(weights.get(child.code, child.weight)) for child in node.children]
            if not weights_add_up(parts, new[node.code]):
                raise RuleChangeError("weights_children", f"the weights under {node.code} must sum to "
                                      f"{new[node.code]:g}, not {round2(sum(parts)):g}", node=node.code,
                                      total=f"{new[node.code]:g}", sum=f"{round2(sum(parts)):g}")
            new.update({child.code: part for child, part in zip(node.children, parts)})
        else:
            new.update({child.code: child.weight * new[node.code] / node.weight for child in node.children})
        for child in node.children:
            visit(child)
    for node in fw.nodes:
        if node.weight is not None:
            visit(node)
    return new, factor


def weight_factors(fw: Framework, weights: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(level-1 code -> factor, fixed leaf code -> factor): each node's new weight over its old one; the
    groups each evaluation weights share one factor."""
    new, open_factor = new_weights(fw, weights)
    old = editable_weights(fw)
    level1 = {node.code: new[node.code] / node.weight if node.weight is not None else open_factor for node in fw.nodes}
    leaves = {leaf.code: new[leaf.code] / old[leaf.code] for leaf in fw.leaves() if leaf.code in new}
    return level1, leaves


def reads_figure(fw: Framework, figure: str) -> bool:
    """Whether any rule of the framework reads the figure (a rule change of it moves something)."""
    return any(figure in figures_read(leaf) for leaf in fw.leaves())


def deduction_leaf(fw: Framework, concept: str) -> Node | None:
    """The deduction leaf of a concept (whose ``per`` a rule change may set), if the framework has one."""
    return next((leaf for leaf in fw.leaves() if leaf.concept == concept and leaf.rule.kind == "deduction"), None)


def changed_framework(fw: Framework, change: RuleChange) -> Framework:
    """The framework with the changed rule parameters and grade bands (weights rescale scores instead)."""
    rules = changed_rules(fw, change.leaf_params(fw))

    def changed(node: Node) -> Node:
        if node.code in rules:
            return replace(node, rule=rules[node.code])
        return replace(node, children=tuple(changed(child) for child in node.children))
    return replace(fw, nodes=tuple(changed(node) for node in fw.nodes), grade_bands=tuple(change.bands(fw)))


def rescored_leaves(fw: Framework, new: Framework, change: RuleChange) -> dict[str, Node]:
    """The leaves (of the new framework) whose rule or the figures it reads change."""
    moved_figures = set(change.figures())
    old = {leaf.code: leaf for leaf in fw.leaves()}
    return {leaf.code: leaf for leaf in new.leaves()
            if leaf.rule != old[leaf.code].rule or moved_figures & set(figures_read(leaf))}


def level1_owner(fw: Framework) -> dict[str, str]:
    """Every node code (open groups too) -> its level-1 code."""
    owner = {}
    for node, depth, parent in fw.walk():
        owner[node.code] = node.code if depth == 1 else owner[parent]
    return owner


def _copy(cur, scratch, table: str, query: str, params: list) -> None:
    incoming = cur.sql(query, params=params).to_arrow_table()
    scratch.register("incoming", incoming)
    scratch.execute(f"INSERT INTO {table} SELECT * FROM incoming")
    scratch.unregister("incoming")


def _rule_scores(cur, ids: list[int], key: str, leaves: dict[str, Node], change: RuleChange,
                 new: Framework) -> pd.DataFrame:
    """evaluation_id, code, rule: the changed leaves of the evaluations ``ids`` scored by the changed rules,
    set-based, on an in-memory copy of their inputs."""
    t = Tables()
    scratch = duckdb.connect()
    try:
        long_tables.create(scratch, t)
        _copy(cur, scratch, t.evaluations, "SELECT evaluation_id, framework FROM score_evaluations "
                                           "WHERE evaluation_id IN (SELECT unnest(?))", [ids])
        _copy(cur, scratch, t.figures, "SELECT evaluation_id, figure, value FROM evaluation_figures "
                                       "WHERE evaluation_id IN (SELECT unnest(?)) AND figure NOT IN (SELECT unnest(?))",
              [ids, list(change.figures()) or [""]])
        for figure, value in change.figures().items():
            scratch.execute(f"INSERT INTO {t.figures} SELECT evaluation_id, ?, ? FROM {t.evaluations}", [figure, value])
        _copy(cur, scratch, t.rules, "SELECT rule_id, kind, params FROM rules", [])
        _copy(cur, scratch, t.leaves, f"SELECT {', '.join(LEAF_COLUMNS)} FROM node_inputs "
                                      f"WHERE evaluation_id IN (SELECT unnest(?)) AND node IN ({placeholders(leaves)})",
              [ids, *leaves])
        for code, leaf in leaves.items():
            rid = long_tables.rule_id(scratch, leaf.rule.kind, leaf.rule.params, t)
            scratch.execute(f"UPDATE {t.leaves} SET rule_id = ? WHERE node = ?", [rid, code])
        score_sql.score_all(scratch, {key: new}, t)
        return scratch.execute(f"SELECT evaluation_id, code, rule FROM {t.node_scores} "
                               f"WHERE code IN (SELECT unnest(?))", [list(leaves)]).df()
    finally:
        scratch.close()


def year_framework(cur, year: int, region: str | None, framework: str | None) -> str:
    """The framework a year's rule change works on: the one given, else the year's only one."""
    held = [r[0] for r in cur.execute("""SELECT DISTINCT e.framework_id FROM evaluations e
                                         JOIN departments d ON d.id = e.department_id
                                         WHERE e.year = ? AND (? IS NULL OR d.region = ?) ORDER BY 1""",
                                      [year, region, region]).fetchall()]
    if not held:
        raise RuleChangeError("no_evaluations", f"no evaluations in {year}" + (f" for {region}" if region else ""),
                              year=year)
    if framework is None and len(held) > 1:
        raise RuleChangeError("several_frameworks", f"{year} holds evaluations of several frameworks "
                              f"({', '.join(held)}): choose one", year=year, frameworks=", ".join(held))
    if framework is not None and framework not in held:
        raise RuleChangeError("framework_not_in_year", f"no evaluations of {framework} in {year}; the year holds "
                              f"{', '.join(held)}", year=year, framework=framework, frameworks=", ".join(held))
    return framework or held[0]


def framework_for(store: Store, year: int, region: str | None = None, framework: str | None = None) -> Framework:
    """The stored framework a year's rule change works on (see ``year_framework``)."""
    cur = store.cursor()
    try:
        return scores.stored_frameworks(cur)[year_framework(cur, year, region, framework)]
    finally:
        cur.close()


def _base(cur, year: int, region: str | None, key: str, level1: list[str]) -> pd.DataFrame:
    """The year's evaluations of the framework with their stored totals, grades and level-1 scores."""
    base = cur.execute("""
        SELECT e.id AS evaluation_id, d.region, d.name AS department, d.short_name, d.category, e.source_kind,
               e.budget_project, s.reported_total AS old_total, s.reported_grade AS old_grade
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id
        WHERE e.year = ? AND (? IS NULL OR d.region = ?) AND e.framework_id = ?""", [year, region, region, key]).df()
    nodes = cur.execute(f"""SELECT n.evaluation_id, n.code, n.reported FROM node_results n
                            WHERE n.depth = 1 AND n.evaluation_id IN (SELECT unnest(?))
                                  AND n.code IN ({placeholders(level1)})""",
                        [base["evaluation_id"].tolist(), *level1]).df()
    wide = nodes.pivot(index="evaluation_id", columns="code", values="reported").reindex(columns=level1)
    return base.set_index("evaluation_id").join(wide)


def _leaf_starts(cur, ids: list[int], codes: list[str]) -> pd.DataFrame:
    """evaluation_id, code, parent, start: the score a scenario starts each leaf from (reported, else rule)."""
    return cur.execute(f"""SELECT evaluation_id, code, parent, coalesce(reported, rule) AS start FROM node_results
                           WHERE evaluation_id IN (SELECT unnest(?)) AND code IN ({placeholders(codes)})""",
                       [ids, *codes]).df()



def run(store: Store, year: int, change: RuleChange, region: str | None = None,
        budget_cuts: dict[str, float] | None = None, framework: str | None = None) -> pd.DataFrame:
    """Old and new total, grade and rank of every department of the year (of one region, if given) under one
    framework (the year's only one unless named)."""
    cur = store.cursor()
    try:
        key = year_framework(cur, year, region, framework)
        fw = scores.stored_frameworks(cur)[key]
        change.validate(fw)
        new = changed_framework(fw, change)
        level1 = [node.code for node in fw.nodes]
        frame = _base(cur, year, region, key, level1)
        ids = frame.index.tolist()
        leaves = rescored_leaves(fw, new, change)
        factors, leaf_factors = weight_factors(fw, change.weights)
        owner = level1_owner(fw)
        # leaves whose weight moves apart from their level-1 node's (weights redistributed under it)
        spread = {code: f for code, f in leaf_factors.items() if abs(f - factors[owner[code]]) > 1e-12}
        delta = pd.DataFrame(0.0, index=frame.index, columns=level1)
        if leaves or spread:
            moved = _leaf_starts(cur, ids, sorted(set(leaves) | set(spread)))
            if leaves:
                moved = moved.merge(_rule_scores(cur, ids, key, leaves, change, new), on=["evaluation_id", "code"],
                                    how="left")
                moved["rule"] = moved["rule"].where(moved["code"].isin(list(leaves)))
            else:
                moved["rule"] = float("nan")
            moved["now"] = moved["rule"].fillna(moved["start"]).fillna(0.0)
            moved["level1"] = moved["code"].map(owner).fillna(moved["parent"].map(owner))
            own = moved["level1"].map(factors)
            # f_L1 × (the rule's move) + (f_leaf − f_L1) × the leaf's score, summed per level-1 node below
            moved["delta"] = own * (moved["now"] - moved["start"].fillna(0.0)) \
                + (moved["code"].map(spread).fillna(own) - own) * moved["now"]
            delta = delta.add(moved.pivot_table(index="evaluation_id", columns="level1", values="delta", aggfunc="sum"),
                              fill_value=0.0).reindex(index=frame.index, columns=level1).fillna(0.0)
    finally:
        cur.close()
    for code in level1:       # round2_v repeats round2's float operations on the whole column
        frame[f"new_{code}"] = round2_v(frame[code].fillna(0.0).to_numpy(dtype=float) * factors[code]
                                        + delta[code].to_numpy(dtype=float))
    frame["new_total"] = round2_v(frame[[f"new_{c}" for c in level1]].sum(axis=1).to_numpy(dtype=float))
    frame["new_grade"] = frame["new_total"].map({total: new.grade(total) for total in frame["new_total"].unique()})
    frame["old_rank"] = frame.groupby("region")["old_total"].rank(method="min", ascending=False).astype(int)
    frame["new_rank"] = frame.groupby("region")["new_total"].rank(method="min", ascending=False).astype(int)
    frame["total_change"] = (frame["new_total"] - frame["old_total"]).round(2)
    frame["rank_shift"] = frame["old_rank"] - frame["new_rank"]
    frame["grade_changed"] = frame["new_grade"] != frame["old_grade"]
    cuts = budget_cuts or {}
    frame["budget_change_pct"] = frame["new_grade"].map(lambda g: cuts.get(g, 0.0)).astype(float)
    frame["budget_change_amount"] = (frame["budget_project"] * frame["budget_change_pct"] / 100).round(2)
    frame["framework_id"] = key
    return frame.reset_index().sort_values(["region", "new_rank", "department"]).reset_index(drop=True)
