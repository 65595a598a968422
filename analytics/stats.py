"""Frames for comparison: per-evaluation scores and rates, municipal statistics, percentiles, history.

Totals, grades and level-1/level-2 scores come from the views ``evaluation_scores`` and ``node_results``
(analytics.scores); nothing here adds scores up.  "The score" is the reported one (printed, else the
sum of the reported leaves, as the view gives it); the reported-versus-rule difference is the department
page's business (compare.indicator_tree).  Ranks, means and percentiles are meant within one framework
and one year: ``evaluations`` ranks within (year, framework), and callers pass frames of one framework.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import evaluation_tree
from analytics.store import Store

# Shared concepts of the three rates (analytics.domain.vocabulary) → the column each is read into.
RATE_CONCEPTS = {"execution_rate": "execution_rate", "carryover_rate": "carryover_rate",
                 "final_account_diff_rate": "diff_rate"}
RATE_COLUMNS = tuple(RATE_CONCEPTS.values())
# Rates where a lower value is the better one (the rules deduct for being high).
LOWER_IS_BETTER = ("carryover_rate", "diff_rate")


def _evaluation_ids(frame: pd.DataFrame) -> list[int]:
    return [int(i) for i in frame["evaluation_id"]]


def evaluations(store: Store, region: str, years: list[int] | None = None) -> pd.DataFrame:
    """One row per evaluation: department (and its English name, ``department_en``, where stored), category,
    year, framework, total and grade (reported and by the rules), one column per level-1 node (its reported
    score, named by node code), the three rates (picked by concept) and the money figures; rank within the
    year's evaluations of its framework."""
    year_filter = "AND e.year IN (SELECT unnest(?))" if years else ""
    params = [region, *([list(map(int, years))] if years else [])]
    frame = store.df(f"""
        SELECT e.id AS evaluation_id, e.year, d.id AS department_id, d.name AS department,
               d.name_en AS department_en, d.short_name,
               d.category, e.source_kind, e.framework_id,
               s.reported_total AS total, s.reported_grade AS grade, s.rule_total, s.rule_grade,
               e.budget_total, e.spent_total, e.carryover_amount, e.initial_budget_total, e.final_account_total
        FROM evaluations e
        JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id
        WHERE d.region = ? {year_filter}
        ORDER BY e.year, total DESC, d.name""", params)
    ids = _evaluation_ids(frame)
    frameworks = evaluation_tree.frameworks(store)
    level1 = store.df("""SELECT evaluation_id, code, reported FROM node_results
                         WHERE depth = 1 AND evaluation_id IN (SELECT unnest(?))""", [ids])
    codes = [node.code for fid in frame["framework_id"].unique() for node in frameworks[fid].nodes]
    wide = level1.pivot(index="evaluation_id", columns="code", values="reported").reindex(
        columns=list(dict.fromkeys(codes)))
    taken = set(frame.columns) | set(RATE_COLUMNS)
    clash = sorted(set(wide.columns) & taken)
    if clash:
        raise ValueError(f"level-1 node codes {clash} clash with evaluation columns")
    frame = frame.join(wide.rename_axis(columns=None), on="evaluation_id")
    frame = frame.join(concept_rates(store, frameworks, ids), on="evaluation_id")
    frame["rank"] = frame.groupby(["year", "framework_id"])["total"].rank(method="min", ascending=False).astype("Int64")
    return frame


def concept_rates(store: Store, frameworks: dict, evaluation_ids: list[int]) -> pd.DataFrame:
    """The rate (%) each evaluation's rules computed for the leaves carrying the rate concepts, one
    column per concept (RATE_CONCEPTS), indexed by evaluation id."""
    codes = evaluation_tree.concept_codes(frameworks, RATE_CONCEPTS)
    codes["column"] = codes["concept"].map(RATE_CONCEPTS)
    rates = store.df("""SELECT r.evaluation_id, e.framework_id, r.code, r.rate FROM node_results r
                        JOIN evaluations e ON e.id = r.evaluation_id
                        WHERE r.evaluation_id IN (SELECT unnest(?)) AND r.code IN (SELECT unnest(?))""",
                     [evaluation_ids, sorted(set(codes["code"]))])
    rates = rates.merge(codes, on=["framework_id", "code"])
    wide = rates.pivot_table(index="evaluation_id", columns="column", values="rate", aggfunc="first")
    return wide.reindex(columns=list(RATE_COLUMNS)).rename_axis(columns=None)


def rates_held(frame: pd.DataFrame) -> list[str]:
    """The rate columns with a value in ``frame``: a framework without a carry-over indicator has no
    carry-over rate to compare."""
    return [column for column in RATE_COLUMNS if frame[column].notna().any()]


def level2_scores(store: Store, region: str, years: list[int]) -> pd.DataFrame:
    """One row per evaluation and level-2 node: names, weight, reported score (from node_results) and
    scoring rate."""
    chosen = store.df("""SELECT e.id AS evaluation_id, e.year FROM evaluations e
                         JOIN departments d ON d.id = e.department_id
                         WHERE d.region = ? AND e.year IN (SELECT unnest(?))""", [region, list(map(int, years))])
    level2 = evaluation_tree.nodes(store, _evaluation_ids(chosen), depths=(2,)).merge(chosen, on="evaluation_id")
    level2 = level2.rename(columns={"zh": "name_zh", "en": "name_en"})
    level2["scoring_rate"] = level2["reported"] / level2["weight"]
    return level2[["evaluation_id", "year", "framework_id", "code", "name_zh", "name_en", "weight", "order",
                   "reported", "scoring_rate"]].rename(columns={"reported": "score"})


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


def year_on_year(frame: pd.DataFrame, columns=("total",)) -> pd.DataFrame:
    """Each department-year with its change against the previous year held, for scores and rank; only
    against a previous year of the same framework (another framework's ranks and nodes do not compare)."""
    ordered = frame.sort_values(["department_id", "year"]).copy()
    previous = ordered.groupby("department_id")[["year", "framework_id", *columns, "rank"]].shift(1)
    comparable = (previous["year"] == ordered["year"] - 1) & (previous["framework_id"] == ordered["framework_id"])
    for column in (*columns, "rank"):
        ordered[f"{column}_change"] = (ordered[column] - previous[column]).where(comparable)
    ordered["rank_change"] = -ordered["rank_change"]   # moving from 5th to 3rd is +2 places
    for column in columns:
        ordered[f"{column}_change"] = ordered[f"{column}_change"].round(2)
    return ordered


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
