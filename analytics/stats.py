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
    frame = indicators.groupby(keys, as_index=False, sort=False, dropna=False)["score"].sum(min_count=1)
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


# Rates where a lower value is the better one (the rules deduct for being high).
LOWER_IS_BETTER = ("carryover_rate", "diff_rate")


def standing(frame: pd.DataFrame, department: str, columns, lower_is_better=LOWER_IS_BETTER) -> pd.DataFrame:
    """One department's value of each column beside everyone's mean, median, percentile and rank.

    ``frame`` holds one row per department (one year); rank 1 is the best, ties share a rank.
    """
    chosen = frame.loc[frame["department"] == department]
    rows = []
    for column in columns:
        values = frame[column].astype(float)
        value = float(chosen[column].iloc[0]) if len(chosen) and pd.notna(chosen[column].iloc[0]) else np.nan
        higher = column not in lower_is_better
        better = values > value if higher else values < value
        rows.append({"measure": column, "value": value, "mean": round(values.mean(), 2),
                     "median": round(values.median(), 2), "gap_to_mean": round(value - values.mean(), 2),
                     "percentile": percentile(values, value, higher),
                     "rank": pd.NA if np.isnan(value) else int(better.sum()) + 1, "count": int(values.count())})
    return pd.DataFrame(rows).astype({"rank": "Int64"})


def indicator_matrix(indicators: pd.DataFrame, value: str = "score") -> pd.DataFrame:
    """Indicator rows of one year turned wide: one row per department, one column per indicator code."""
    return indicators.pivot(index="department", columns="code", values=value).reset_index().rename_axis(columns=None)


def peer_group(frame: pd.DataFrame, department: str) -> pd.DataFrame:
    """The department's category peers (itself included) in one year, ranked by total within the category.

    Empty when the department has no category recorded.
    """
    category = frame.loc[frame["department"] == department, "category"]
    if category.empty or pd.isna(category.iloc[0]):
        return frame.iloc[0:0].assign(peer_rank=pd.Series(dtype="Int64"))
    peers = frame[frame["category"] == category.iloc[0]].copy()
    peers["peer_rank"] = peers["total"].rank(method="min", ascending=False).astype("Int64")
    return peers.sort_values(["peer_rank", "department"])


def group_means(frame: pd.DataFrame, group: pd.DataFrame, columns) -> pd.DataFrame:
    """Mean of each column within a group (e.g. category peers) beside the mean over the whole frame."""
    result = pd.DataFrame({"measure": list(columns),
                           "group_mean": [group[c].mean() for c in columns],
                           "mean": [frame[c].mean() for c in columns]})
    result["difference"] = result["group_mean"] - result["mean"]
    return result.round({"group_mean": 2, "mean": 2, "difference": 2})


def aggregate_source_kind(kinds: pd.Series) -> str:
    """The source kind to mark an aggregate with: 'synthetic' as soon as one of its input rows is."""
    return "synthetic" if (kinds == "synthetic").any() else kinds.iloc[0]
