"""Rule-change scenarios for a whole year: change a rule parameter for every department and compare.

Changeable: the year's 市级平均差异率, the grade bands, the level-1 weights (each level-1 score is
rescaled in proportion, so the total stays out of 100), and the deductions of the carry-over and
difference-rate rules.  As in what-if, indicators whose rule parameters change are rescored by their
rule; all others keep their reported scores.  Nothing is written: the modified parameters live in
relations registered on a cursor for the length of the query.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics import rules
from analytics.framework import default_framework
from analytics.scoring import rescore_sql
from analytics.stats import LEVEL1_COLUMNS
from analytics.store import Store


class RuleChangeError(ValueError):
    """A rule change that cannot be applied; the message says which parameter and why."""


@dataclass
class RuleChange:
    municipal_avg_diff_rate: float | None = None
    grade_bands: dict[str, float] = field(default_factory=dict)       # grade -> lower bound
    level1_weights: dict[str, float] = field(default_factory=dict)    # level-1 code -> weight
    carryover_deduction_per_point: float | None = None
    diff_deduction_per_step: float | None = None

    def validate(self) -> None:
        fw = default_framework()
        if self.municipal_avg_diff_rate is not None and not 0 <= self.municipal_avg_diff_rate <= 1000:
            raise RuleChangeError("市级平均差异率 must be between 0 and 1000 %")
        for name in ("carryover_deduction_per_point", "diff_deduction_per_step"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                raise RuleChangeError(f"{name} must be between 0 and 100")
        if self.level1_weights:
            weights = {l1["code"]: float(l1["weight"]) for l1 in fw.level1} | self.level1_weights
            if any(w <= 0 for w in weights.values()) or abs(sum(weights.values()) - 100) > 1e-6:
                raise RuleChangeError(f"level-1 weights must be positive and sum to 100, not {sum(weights.values()):g}")
        if self.grade_bands:
            bands = self.bands()
            mins = [b["min"] for b in bands]
            if any(not 0 <= m <= 100 for m in mins) or mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
                raise RuleChangeError("grade bands must fall from the best grade to the worst, within 0–100")

    def bands(self) -> list[dict]:
        return [{**b, "min": float(self.grade_bands.get(b["grade"], b["min"]))}
                for b in sorted(default_framework().grade_bands, key=lambda b: -b["min"])]


def _results_relation(change: RuleChange) -> tuple[str, list]:
    target = "r.target"
    params: list = []
    if change.municipal_avg_diff_rate is not None:
        target = "CASE WHEN i.rule_kind = 'diff_rate' THEN ?::DOUBLE ELSE r.target END"
        params.append(change.municipal_avg_diff_rate)
    return f"""(SELECT r.* REPLACE ({target} AS target) FROM indicator_results r
                JOIN evaluations e ON e.id = r.evaluation_id
                JOIN departments d ON d.id = e.department_id
                JOIN indicators i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
                WHERE e.year = ? AND (? IS NULL OR d.region = ?) AND i.rule_kind IN ('carryover', 'diff_rate'))""", params


def run(store: Store, year: int, change: RuleChange, region: str | None = None,
        budget_cuts: dict[str, float] | None = None) -> pd.DataFrame:
    """Old and new total, grade and rank of every department of the year (of one region, if given)."""
    change.validate()
    fw = default_framework()
    indicators = store.df("SELECT * FROM indicators")
    if change.carryover_deduction_per_point is not None:
        indicators.loc[indicators["rule_kind"] == "carryover", "deduction"] = change.carryover_deduction_per_point
    if change.diff_deduction_per_step is not None:
        indicators.loc[indicators["rule_kind"] == "diff_rate", "deduction"] = change.diff_deduction_per_step
    changed_kinds = [kind for kind, on in (
        ("carryover", change.carryover_deduction_per_point is not None),
        ("diff_rate", change.diff_deduction_per_step is not None or change.municipal_avg_diff_rate is not None)) if on]
    relation, params = _results_relation(change)
    cur = store.cursor()
    try:
        cur.register("scenario_indicators", indicators)
        rescored = cur.execute(f"""
            SELECT s.evaluation_id, s.indicator_code, s.score AS new_score, i.level1, i.rule_kind,
                   coalesce(r.reported_score, r.rule_score, 0) AS old_score
            FROM ({rescore_sql(relation, 'scenario_indicators')}) s
            JOIN indicator_results r USING (evaluation_id, indicator_code)
            JOIN evaluations e ON e.id = s.evaluation_id
            JOIN scenario_indicators i ON i.framework_id = e.framework_id AND i.code = s.indicator_code
            """, [*params, year, region, region]).df()
        base = cur.execute("""
            SELECT e.id AS evaluation_id, d.region, d.name AS department, d.category, e.source_kind,
                   e.budget_project, e.reported_score_total AS old_total, e.reported_grade AS old_grade,
                   e.reported_score_budget_execution AS budget_execution,
                   e.reported_score_performance_targets AS performance_targets,
                   e.reported_score_budget_management AS budget_management
            FROM evaluations e JOIN departments d ON d.id = e.department_id
            WHERE e.year = ? AND (? IS NULL OR d.region = ?)""", [year, region, region]).df()
    finally:
        cur.close()
    if base.empty:
        raise RuleChangeError(f"no evaluations in {year}" + (f" for {region}" if region else ""))
    rescored = rescored[rescored["rule_kind"].isin(changed_kinds) & rescored["new_score"].notna()]
    delta = (rescored["new_score"] - rescored["old_score"]).groupby(
        [rescored["evaluation_id"], rescored["level1"]]).sum().unstack(fill_value=0.0)
    frame = base.set_index("evaluation_id")
    weights = {l1["code"]: float(l1["weight"]) for l1 in fw.level1}
    new_weights = weights | change.level1_weights
    for code in LEVEL1_COLUMNS:
        moved = frame[code] + (delta[code].reindex(frame.index).fillna(0.0) if code in delta else 0.0)
        frame[f"new_{code}"] = (moved * new_weights[code] / weights[code]).map(rules.round2)
    frame["new_total"] = frame[[f"new_{c}" for c in LEVEL1_COLUMNS]].sum(axis=1).map(rules.round2)
    bands = change.bands()
    frame["new_grade"] = frame["new_total"].map(lambda total: rules.grade_for(total, bands))
    frame["old_rank"] = frame.groupby("region")["old_total"].rank(method="min", ascending=False).astype(int)
    frame["new_rank"] = frame.groupby("region")["new_total"].rank(method="min", ascending=False).astype(int)
    frame["total_change"] = (frame["new_total"] - frame["old_total"]).round(2)
    frame["rank_shift"] = frame["old_rank"] - frame["new_rank"]
    frame["grade_changed"] = frame["new_grade"] != frame["old_grade"]
    cuts = budget_cuts or {}
    frame["budget_change_pct"] = frame["new_grade"].map(lambda g: cuts.get(g, 0.0)).astype(float)
    frame["budget_change_amount"] = (frame["budget_project"] * frame["budget_change_pct"] / 100).round(2)
    return frame.reset_index().sort_values(["region", "new_rank", "department"]).reset_index(drop=True)
