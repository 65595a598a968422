"""Frames for comparison: per-evaluation scores and rates, municipal statistics, percentiles, history.

"The score" of an indicator here is the reported one where the source gives it, else the rule's; the
reported-versus-rule difference is the department page's business (compare.indicator_tree).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.store import Store

RATE_CODES = {"execution_rate": "execution_rate", "carryover_rate": "carryover_rate",
              "final_account_diff_rate": "diff_rate"}
LEVEL1_COLUMNS = ("budget_execution", "performance_targets", "budget_management")
SCORE_COLUMNS = ("total", *LEVEL1_COLUMNS)
RATE_COLUMNS = tuple(RATE_CODES.values())


def evaluations(store: Store, region: str, years: list[int] | None = None) -> pd.DataFrame:
    """One row per evaluation: department, category, year, total, grade, level-1 scores, three rates."""
    year_filter = "AND e.year IN (SELECT unnest(?))" if years else ""
    params = [region, *([list(map(int, years))] if years else [])]
    frame = store.df(f"""
        SELECT e.id AS evaluation_id, e.year, d.id AS department_id, d.name AS department, d.short_name,
               d.category, e.source_kind, e.framework_id,
               e.reported_score_total AS total, e.reported_grade AS grade,
               e.reported_score_budget_execution AS budget_execution,
               e.reported_score_performance_targets AS performance_targets,
               e.reported_score_budget_management AS budget_management,
               max(r.rule_rate) FILTER (WHERE r.indicator_code = 'execution_rate') AS execution_rate,
               max(r.rule_rate) FILTER (WHERE r.indicator_code = 'carryover_rate') AS carryover_rate,
               max(r.rule_rate) FILTER (WHERE r.indicator_code = 'final_account_diff_rate') AS diff_rate,
               e.budget_total, e.spent_total, e.carryover_amount, e.initial_budget_total, e.final_account_total
        FROM evaluations e
        JOIN departments d ON d.id = e.department_id
        LEFT JOIN indicator_results r ON r.evaluation_id = e.id
             AND r.indicator_code IN ('execution_rate', 'carryover_rate', 'final_account_diff_rate')
        WHERE d.region = ? {year_filter}
        GROUP BY ALL ORDER BY e.year, total DESC""", params)
    frame["rank"] = frame.groupby("year")["total"].rank(method="min", ascending=False).astype("Int64")
    return frame


def indicator_scores(store: Store, region: str, years: list[int]) -> pd.DataFrame:
    """One row per evaluation and indicator: score, weight and scoring rate (score / weight)."""
    return store.df("""
        SELECT e.id AS evaluation_id, e.year, d.name AS department, d.category,
               i.level1, i.level1_zh, i.level1_en, i.level2, i.level2_zh, i.level2_en, i.level2_weight,
               i.code, i.name_zh, i.name_en, i.weight, i.sort_order,
               coalesce(r.reported_score, r.rule_score) AS score,
               coalesce(r.reported_score, r.rule_score) / i.weight AS scoring_rate
        FROM indicator_results r
        JOIN evaluations e ON e.id = r.evaluation_id
        JOIN departments d ON d.id = e.department_id
        JOIN indicators i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
        WHERE d.region = ? AND e.year IN (SELECT unnest(?))
        ORDER BY e.year, d.name, i.sort_order""", [region, list(map(int, years))])


def level2_scores(indicators: pd.DataFrame) -> pd.DataFrame:
    """Level-2 scores and scoring rates from indicator rows."""
    keys = ["evaluation_id", "year", "department", "category", "level1", "level2", "level2_zh", "level2_en",
            "level2_weight"]
    frame = indicators.groupby(keys, as_index=False, sort=False)["score"].sum(min_count=1)
    frame["score"] = frame["score"].round(2)
    frame["scoring_rate"] = frame["score"] / frame["level2_weight"]
    return frame


def municipal_summary(frame: pd.DataFrame, columns, by: str | list[str] = "year") -> pd.DataFrame:
    """Mean, median and quartiles of each column per group (long form: group, column, statistic)."""
    grouped = frame.groupby(by)[list(columns)]
    parts = {"mean": grouped.mean(), "median": grouped.median(),
             "q1": grouped.quantile(0.25), "q3": grouped.quantile(0.75), "count": grouped.count()}
    long = pd.concat({name: part.stack() for name, part in parts.items()}, axis=1)
    long.index.names = [*([by] if isinstance(by, str) else by), "measure"]
    return long.reset_index()


def percentile(values: pd.Series, value: float, higher_is_better: bool = True) -> float | None:
    """Share of departments (0–100) this value beats or equals; None without data."""
    clean = values.dropna().to_numpy()
    if not len(clean) or value is None or np.isnan(value):
        return None
    share = (clean <= value).mean() if higher_is_better else (clean >= value).mean()
    return round(float(share) * 100, 1)


def year_on_year(frame: pd.DataFrame, columns=SCORE_COLUMNS) -> pd.DataFrame:
    """Each department-year with its change against the previous year held, for scores and rank."""
    ordered = frame.sort_values(["department_id", "year"]).copy()
    previous = ordered.groupby("department_id")[["year", *columns, "rank"]].shift(1)
    consecutive = previous["year"] == ordered["year"] - 1
    for column in (*columns, "rank"):
        ordered[f"{column}_change"] = (ordered[column] - previous[column]).where(consecutive)
    ordered["rank_change"] = -ordered["rank_change"]   # moving from 5th to 3rd is +2 places
    for column in columns:
        ordered[f"{column}_change"] = ordered[f"{column}_change"].round(2)
    return ordered
