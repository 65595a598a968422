"""One evaluation taken apart: score tree, deductions, reported-versus-rule scores, rates and position.

Pure pandas over frames from compare and stats; the department page and the exports read these.
Every score above the leaves is the one compare.indicator_tree took from node_results, and the totals
those of compare.evaluation_summary (evaluation_scores): nothing here adds scores up.  Rows carry a ``label`` in the chosen language;
figures and sentences are translated by the caller.
"""
from __future__ import annotations

import pandas as pd

from analytics import stats
from analytics.evaluation_tree import ROOT as ROOT_ID     # score_tree's root: the parent of level-1 nodes
MONEY_FIELDS = ("budget_total", "spent_total", "carryover_amount", "initial_budget_total", "final_account_total")
DIFF_RATE_PARAM = "municipal_avg_diff_rate"
TOLERANCE = 0.005


def localized(frame: pd.DataFrame, base: str | None, lang: str) -> pd.Series:
    """The English name where asked for and known, else the Chinese one; ``base`` None reads the columns
    zh/en (compare.indicator_tree), else <base>_zh/<base>_en."""
    zh, en = (f"{base}_zh", f"{base}_en") if base else ("zh", "en")
    return frame[en].fillna(frame[zh]) if lang == "en" else frame[zh]


def _lost(score: pd.Series, weight: pd.Series) -> pd.Series:
    return (weight - score.fillna(0)).clip(lower=0).round(2)


def _leaves(tree: pd.DataFrame) -> pd.DataFrame:
    return tree[tree["leaf"].astype(bool)]


def full_marks(tree: pd.DataFrame) -> float:
    """The weight of the whole tree: its level-1 weights together."""
    return round(float(tree.loc[tree["depth"] == 1, "weight"].sum()), 2)


def score_tree(tree: pd.DataFrame, summary: dict, lang: str) -> pd.DataFrame:
    """Every node from the total down to the leaves: id (the node code; the root ROOT_ID), parent, label,
    leaf, weight, reported score, lost points and scoring rate.  Scores are the reported ones: the root is
    the reported total (summary: compare.evaluation_summary)."""
    root = pd.DataFrame([{"id": ROOT_ID, "parent": "", "label": "", "leaf": False, "weight": full_marks(tree),
                          "score": summary["reported_total"]}])
    nodes = pd.DataFrame({"id": tree["code"], "parent": tree["parent"], "label": localized(tree, None, lang),
                          "leaf": tree["leaf"].astype(bool), "weight": tree["weight"], "score": tree["reported"]})
    nodes = pd.concat([root, nodes], ignore_index=True)
    nodes["score"] = nodes["score"].astype(float).round(2)
    nodes["lost"] = _lost(nodes["score"], nodes["weight"])
    nodes["rate"] = nodes["score"] / nodes["weight"]
    return nodes


def waterfall_steps(tree: pd.DataFrame, summary: dict, lang: str) -> pd.DataFrame:
    """Full marks, one step per leaf indicator that lost points (negative), and the reported total.

    kind is "start", "deduction", "rest" or "total"; "rest" is there only when the printed scores above
    the leaves do not add up to full marks minus the leaves' losses, so the steps still reach the total.
    """
    leaves = _leaves(tree)
    lost = _lost(leaves["reported"], leaves["weight"])
    full = full_marks(tree)
    steps = pd.DataFrame({"kind": "deduction", "code": leaves["code"], "label": localized(leaves, None, lang),
                          "value": -lost})[lost > 0]
    total = round(float(summary["reported_total"]), 2)
    rest = round(total - full - float(steps["value"].sum()), 2)
    ends = [pd.DataFrame([{"kind": "start", "code": "", "label": "", "value": full}]), steps,
            pd.DataFrame([{"kind": "rest", "code": "", "label": "", "value": rest}]) if abs(rest) > TOLERANCE else None,
            pd.DataFrame([{"kind": "total", "code": "", "label": "", "value": total}])]
    return pd.concat([part for part in ends if part is not None], ignore_index=True)


def _ancestor_labels(tree: pd.DataFrame, leaves: pd.DataFrame, level: str, lang: str) -> pd.Series:
    names = dict(zip(tree["code"], localized(tree, None, lang)))
    return leaves[level].map(lambda code: names.get(code, ""))


def score_comparison(tree: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every leaf indicator with its level-1 and level-2 nodes, weight, reported and rule score,
    difference, and flags."""
    leaves = _leaves(tree)
    level2 = _ancestor_labels(tree, leaves, "level2", lang).where(leaves["level2"] != leaves["code"], "")
    return pd.DataFrame({
        "level1": _ancestor_labels(tree, leaves, "level1", lang), "level2": level2,
        "indicator": localized(leaves, None, lang), "name_zh": leaves["zh"], "weight": leaves["weight"],
        "reported": leaves["reported"], "rule": leaves["rule"], "difference": leaves["difference"],
        "disagrees": leaves["disagrees"].astype(bool), "inferred": leaves["inferred"].astype(bool)}).reset_index(drop=True)


def disagreements(tree: pd.DataFrame, reported_total: float, lang: str) -> pd.DataFrame:
    """Indicators whose rule score differs from the reported one, with the total if that rule score alone
    were used."""
    rows = score_comparison(tree, lang)
    rows = rows[rows["disagrees"]].copy()
    rows["total_if_rule"] = (reported_total + rows["difference"]).round(2)
    return rows


def money_figures(summary: dict) -> pd.DataFrame:
    """The evaluation's money figures (万元) as rows: key, department (the amount)."""
    return pd.DataFrame({"key": MONEY_FIELDS, "department": [summary.get(field) for field in MONEY_FIELDS]})


def rate_comparison(year_frame: pd.DataFrame, department: str, diff_param: dict | None) -> pd.DataFrame:
    """The three rates (%) of one department beside the mean and median of its year's departments
    (stats.standing), and the published municipal average difference rate, a rule parameter."""
    rows = stats.standing(year_frame, department, stats.RATE_COLUMNS)
    rows = rows.rename(columns={"measure": "key", "value": "department"})
    rows["higher_is_better"] = ~rows["key"].isin(stats.LOWER_IS_BETTER)
    rows["published"] = [diff_param["value"] if diff_param and key == "diff_rate" else None for key in rows["key"]]
    return rows


def level2_comparison(level2: pd.DataFrame, evaluation_id: int, lang: str) -> pd.DataFrame:
    """Each level-2 node's scoring rate for one evaluation beside the mean rate of its year's evaluations
    of the same framework.  level2 is stats.level2_scores(...) for (at least) the evaluation's year."""
    own = level2[level2["evaluation_id"] == evaluation_id].sort_values("order")
    peers = level2[(level2["year"] == own["year"].iloc[0]) & (level2["framework_id"] == own["framework_id"].iloc[0])]
    means = peers.groupby("code")["scoring_rate"].mean()
    return pd.DataFrame({"level2": own["code"].to_numpy(), "label": localized(own, "name", lang).to_numpy(),
                         "weight": own["weight"].to_numpy(), "rate": own["scoring_rate"].to_numpy(),
                         "mean_rate": own["code"].map(means).to_numpy()})


def position(history: pd.DataFrame, evaluation_id: int) -> dict:
    """Rank of N, gap to the mean total and change against the previous year, within the year's
    evaluations of the same framework.

    history is stats.year_on_year(stats.evaluations(...)) over the region's years.
    """
    row = history.loc[history["evaluation_id"] == evaluation_id].iloc[0]
    year = history[(history["year"] == row["year"]) & (history["framework_id"] == row["framework_id"])]
    return {"total": row["total"], "grade": row["grade"], "rank": int(row["rank"]), "count": len(year),
            "gap_to_mean": round(row["total"] - year["total"].mean(), 2),
            "total_change": row["total_change"], "rank_change": row["rank_change"]}
