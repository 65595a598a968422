"""Rankings, municipal averages and one evaluation's indicator tree, read from the store."""
from __future__ import annotations

import pandas as pd

from analytics import stats
from analytics.names import normalise_name
from analytics.store import Store

AGREEMENT_TOLERANCE = 0.005


class NotFoundError(LookupError):
    """A department, year or region the database does not hold; the message says which."""


def years(store: Store, region: str | None = None) -> list[int]:
    sql = "SELECT DISTINCT e.year FROM evaluations e JOIN departments d ON d.id = e.department_id"
    params = []
    if region:
        sql += " WHERE d.region = ?"
        params.append(region)
    return [r[0] for r in store.rows(sql + " ORDER BY 1", params)]


def regions(store: Store) -> list[str]:
    return [r[0] for r in store.rows("SELECT DISTINCT region FROM departments ORDER BY 1")]


def default_region(store: Store) -> str:
    """The region with the most evaluations (北京市 in the demo)."""
    region = store.scalar("""SELECT d.region FROM evaluations e JOIN departments d ON d.id = e.department_id
                             GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""")
    if region is None:
        raise NotFoundError("the database holds no evaluations yet")
    return region


def ranking(store: Store, year: int, region: str | None = None) -> pd.DataFrame:
    """A year's departments ranked by reported total, with rule totals and the gap to the mean."""
    region = region or default_region(store)
    frame = store.df("""
        WITH chosen AS (
            SELECT e.*, d.name AS department, d.short_name, d.category, d.is_synthetic
            FROM evaluations e JOIN departments d ON d.id = e.department_id
            WHERE d.region = ? AND e.year = ?),
        rule_totals AS (
            SELECT l.evaluation_id, round(sum(l.rule), 2) AS rule_total
            FROM level1_scores l WHERE l.evaluation_id IN (SELECT id FROM chosen) GROUP BY 1)
        SELECT rank() OVER (ORDER BY c.reported_score_total DESC) AS rank,
               c.department, c.short_name, c.category,
               c.reported_score_total AS total, c.reported_grade AS grade,
               c.reported_score_budget_execution AS budget_execution,
               c.reported_score_performance_targets AS performance_targets,
               c.reported_score_budget_management AS budget_management,
               round(c.reported_score_total - avg(c.reported_score_total) OVER (), 2) AS gap_to_mean,
               r.rule_total,
               (SELECT arg_max(b.grade, b.min_score) FROM grade_bands b
                 WHERE b.framework_id = c.framework_id AND r.rule_total >= b.min_score) AS rule_grade,
               c.source_kind, c.id AS evaluation_id, c.department_id
        FROM chosen c LEFT JOIN rule_totals r ON r.evaluation_id = c.id
        ORDER BY rank, c.department""", [region, year])
    if frame.empty:
        available = years(store, region)
        raise NotFoundError(f"no evaluations for {region} in {year}; years with data: "
                            f"{', '.join(map(str, available)) or 'none'}")
    return frame


def find_evaluation(store: Store, department: str, year: int, region: str | None = None) -> int:
    """The evaluation id of a department-year, matching the full or the short name (normalised, so a
    name typed or pasted with invisible or full-width characters finds its department)."""
    region = normalise_name(region) or default_region(store)
    department = normalise_name(department) or department
    rows = store.rows("""
        SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
        WHERE d.region = ? AND (d.name = ? OR d.short_name = ?) AND e.year = ?""", [region, department, department, year])
    if rows:
        return rows[0][0]
    known = store.rows("SELECT list(DISTINCT e.year ORDER BY e.year) FROM evaluations e JOIN departments d "
                       "ON d.id = e.department_id WHERE d.region = ? AND (d.name = ? OR d.short_name = ?)",
                       [region, department, department])[0][0]
    if not known:
        raise NotFoundError(f"no department named '{department}' in {region}")
    raise NotFoundError(f"{department} has no evaluation for {year}; years with data: {', '.join(map(str, known))}")


def evaluation_summary(store: Store, evaluation_id: int) -> dict:
    frame = store.df("""
        SELECT e.*, d.name AS department, d.short_name, d.category, d.region, d.is_synthetic AS department_synthetic
        FROM evaluations e JOIN departments d ON d.id = e.department_id WHERE e.id = ?""", [evaluation_id])
    return frame.iloc[0].to_dict()


def indicator_tree(store: Store, evaluation_id: int) -> pd.DataFrame:
    """Every indicator of one evaluation: names, weight, reported and rule score, inputs, disagreement."""
    frame = store.df("""
        SELECT i.level1, i.level1_zh, i.level1_en, i.level1_weight, i.level2, i.level2_zh, i.level2_en,
               i.level2_weight, i.code, i.name_zh, i.name_en, i.weight, i.rule_kind,
               r.reported_score, r.score_inferred, r.rule_score, r.rule_rate,
               r.target, r.actual, r.base, r.failed_count, r.given_score
        FROM indicator_results r
        JOIN evaluations e ON e.id = r.evaluation_id
        JOIN indicators i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
        WHERE r.evaluation_id = ? ORDER BY i.sort_order""", [evaluation_id])
    frame["difference"] = (frame["rule_score"] - frame["reported_score"]).round(2)
    frame["disagrees"] = frame["difference"].abs() > AGREEMENT_TOLERANCE
    return frame


# -- added for the rankings and department pages -----------------------------------------------------

def grade_bands(store: Store, framework_id: str) -> pd.DataFrame:
    """A framework's grade thresholds, best grade first: grade, grade_en, min_score."""
    return store.df("SELECT grade, grade_en, min_score FROM grade_bands WHERE framework_id = ? "
                    "ORDER BY min_score DESC", [framework_id])


def year_param(store: Store, region: str, year: int, key: str) -> dict | None:
    """A published per-year parameter (e.g. municipal_avg_diff_rate) with its source, or None."""
    frame = store.df("SELECT value, source, is_synthetic FROM year_params WHERE region = ? AND year = ? AND key = ?",
                     [region, year, key])
    return frame.iloc[0].to_dict() if len(frame) else None


def ranking_with_changes(store: Store, year: int, region: str | None = None) -> pd.DataFrame:
    """ranking() plus framework and the change against the previous year in total and rank (+ = moved up)."""
    region = region or default_region(store)
    frame = ranking(store, year, region)
    history = stats.year_on_year(stats.evaluations(store, region, [year - 1, year]))
    changes = history.loc[history["year"] == year, ["evaluation_id", "framework_id", "total_change", "rank_change"]]
    return frame.merge(changes, on="evaluation_id", how="left")


def movers(frame: pd.DataFrame, count: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The biggest risers and fallers by total change (rows without a previous year are left out)."""
    known = frame.dropna(subset=["total_change"])
    risers = known[known["total_change"] > 0].nlargest(count, "total_change")
    fallers = known[known["total_change"] < 0].nsmallest(count, "total_change")
    return risers, fallers
