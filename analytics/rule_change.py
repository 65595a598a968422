"""Rule-change scenarios for a whole year: change a rule parameter for every department and compare.

Changeable: the year's 市级平均差异率 (the figure ``municipal_avg_diff_rate``), the grade bands, the
level-1 weights (each level-1 score is rescaled in proportion, so the total stays out of 100), and the
deductions of the carry-over and difference-rate rules (the leaves with the concepts
``carryover_rate`` and ``final_account_diff_rate``).  The changed framework is a domain Framework;
the leaves whose rule or figures change are rescored set-based (``score_sql.score_all``) on a private
in-memory copy of the year's inputs, so nothing stored is touched.  As in what-if, rescored indicators
take their new rule score (their old score where the rule gives none); all others keep their reported
scores, and level-1 scores are the stored ones plus the moves of their indicators.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd

from analytics import scores
from analytics.domain import long_tables, score_sql
from analytics.domain.long_tables import LEAF_COLUMNS, Tables
from analytics.domain.model import Framework, GradeBand, Node, Rule, freeze, thaw
from analytics.domain.rounding import round2
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import figures_read
from analytics.store import Store

# RuleChange field -> the concept of the deduction leaf whose ``per`` it sets.
DEDUCTIONS = {"carryover_deduction_per_point": "carryover_rate", "diff_deduction_per_step": "final_account_diff_rate"}


class RuleChangeError(ValueError):
    """A rule change that cannot be applied; the message says which parameter and why."""


@dataclass
class RuleChange:
    municipal_avg_diff_rate: float | None = None
    grade_bands: dict[str, float] = field(default_factory=dict)       # grade -> lower bound
    level1_weights: dict[str, float] = field(default_factory=dict)    # level-1 code -> weight
    carryover_deduction_per_point: float | None = None
    diff_deduction_per_step: float | None = None

    def validate(self, fw: Framework) -> None:
        if self.municipal_avg_diff_rate is not None and not 0 <= self.municipal_avg_diff_rate <= 1000:
            raise RuleChangeError("市级平均差异率 must be between 0 and 1000 %")
        for name in DEDUCTIONS:
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                raise RuleChangeError(f"{name} must be between 0 and 100")
        if self.level1_weights:
            unknown = set(self.level1_weights) - {node.code for node in fw.nodes}
            if unknown:
                raise RuleChangeError(f"{', '.join(sorted(unknown))} is not a level-1 node of {fw.code}")
            if not level1_weights(fw):
                raise RuleChangeError(f"the level-1 weights of {fw.code} are set by each evaluation")
            weights = level1_weights(fw) | self.level1_weights
            if any(w <= 0 for w in weights.values()) or abs(sum(weights.values()) - fw.total) > 1e-6:
                raise RuleChangeError(f"level-1 weights must be positive and sum to {fw.total:g}, "
                                      f"not {sum(weights.values()):g}")
        if self.grade_bands:
            mins = [b.min for b in self.bands(fw)]
            if any(not 0 <= m <= fw.total for m in mins) or mins != sorted(mins, reverse=True) \
                    or len(set(mins)) != len(mins):
                raise RuleChangeError(f"grade bands must fall from the best grade to the worst, within 0–{fw.total:g}")

    def bands(self, fw: Framework) -> list[GradeBand]:
        """The framework's grade bands, best first, with the changed lower bounds."""
        return [replace(b, min=float(self.grade_bands.get(b.label, b.min)))
                for b in sorted(fw.grade_bands, key=lambda b: -b.min)]

    def figures(self) -> dict[str, float]:
        """Figures every evaluation of the year gets."""
        return {} if self.municipal_avg_diff_rate is None else {MUNICIPAL_AVG_DIFF_RATE: self.municipal_avg_diff_rate}


def level1_weights(fw: Framework) -> dict[str, float]:
    """The level-1 weights, where the framework fixes them all ({} where evaluations set some)."""
    if any(node.weight is None for node in fw.nodes):
        return {}
    return {node.code: float(node.weight) for node in fw.nodes}


def reads_figure(fw: Framework, figure: str) -> bool:
    """Whether any rule of the framework reads the figure (a rule change of it moves something)."""
    return any(figure in figures_read(leaf) for leaf in fw.leaves())


def deduction_leaf(fw: Framework, concept: str) -> Node | None:
    """The deduction leaf of a concept (whose ``per`` a rule change may set), if the framework has one."""
    return next((leaf for leaf in fw.leaves() if leaf.concept == concept and leaf.rule.kind == "deduction"), None)


def changed_framework(fw: Framework, change: RuleChange) -> Framework:
    """The framework with the changed deductions and grade bands (level-1 weights rescale scores instead)."""
    pers = {leaf.code: getattr(change, name) for name, concept in DEDUCTIONS.items()
            if getattr(change, name) is not None and (leaf := deduction_leaf(fw, concept)) is not None}

    def changed(node: Node) -> Node:
        if node.code in pers:
            return replace(node, rule=Rule(node.rule.kind, freeze({**thaw(node.rule.params), "per": pers[node.code]})))
        return replace(node, children=tuple(changed(child) for child in node.children))
    return replace(fw, nodes=tuple(changed(node) for node in fw.nodes), grade_bands=tuple(change.bands(fw)))


def rescored_leaves(fw: Framework, new: Framework, change: RuleChange) -> dict[str, Node]:
    """The leaves (of the new framework) whose rule or the figures it reads change."""
    moved_figures = set(change.figures())
    old = {leaf.code: leaf for leaf in fw.leaves()}
    return {leaf.code: leaf for leaf in new.leaves()
            if leaf.rule != old[leaf.code].rule or moved_figures & set(figures_read(leaf))}


def _level1_of(fw: Framework) -> dict[str, str]:
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
                                      f"WHERE evaluation_id IN (SELECT unnest(?)) AND node IN (SELECT unnest(?))",
              [ids, list(leaves)])
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
        raise RuleChangeError(f"no evaluations in {year}" + (f" for {region}" if region else ""))
    if framework is None and len(held) > 1:
        raise RuleChangeError(f"{year} holds evaluations of several frameworks ({', '.join(held)}): choose one")
    if framework is not None and framework not in held:
        raise RuleChangeError(f"no evaluations of {framework} in {year}; the year holds {', '.join(held)}")
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
    nodes = cur.execute("""SELECT n.evaluation_id, n.code, n.reported FROM node_results n
                           WHERE n.depth = 1 AND n.evaluation_id IN (SELECT unnest(?))""",
                        [base["evaluation_id"].tolist()]).df()
    wide = nodes.pivot(index="evaluation_id", columns="code", values="reported").reindex(columns=level1)
    return base.set_index("evaluation_id").join(wide)


def _leaf_starts(cur, ids: list[int], codes: list[str]) -> pd.DataFrame:
    """evaluation_id, code, parent, start: the score a scenario starts each leaf from (reported, else rule)."""
    return cur.execute("""SELECT evaluation_id, code, parent, coalesce(reported, rule) AS start FROM node_results
                          WHERE evaluation_id IN (SELECT unnest(?)) AND code IN (SELECT unnest(?))""",
                       [ids, codes]).df()


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
        delta = pd.DataFrame(0.0, index=frame.index, columns=level1)
        if leaves:
            moved = _leaf_starts(cur, ids, list(leaves)).merge(_rule_scores(cur, ids, key, leaves, change, new),
                                                                 on=["evaluation_id", "code"], how="left")
            moved["delta"] = moved["rule"].fillna(moved["start"]).fillna(0.0) - moved["start"].fillna(0.0)
            owner = _level1_of(fw)
            moved["level1"] = moved["code"].map(owner).fillna(moved["parent"].map(owner))
            delta = delta.add(moved.pivot_table(index="evaluation_id", columns="level1", values="delta", aggfunc="sum"),
                              fill_value=0.0).reindex(index=frame.index, columns=level1).fillna(0.0)
    finally:
        cur.close()
    scale = {code: weight / level1_weights(fw)[code] for code, weight in change.level1_weights.items()}
    for code in level1:
        frame[f"new_{code}"] = [round2((score + moved) * scale.get(code, 1.0))
                                for score, moved in zip(frame[code].fillna(0.0), delta[code])]
    frame["new_total"] = frame[[f"new_{c}" for c in level1]].sum(axis=1).map(round2)
    frame["new_grade"] = frame["new_total"].map(new.grade)
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
