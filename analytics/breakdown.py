"""One evaluation taken apart: score tree, deductions, reported-versus-rule scores, rates and position.

Pure pandas over frames from compare and stats; the department page and the exports read these.
Rows carry a ``label`` in the chosen language; figures and sentences are translated by the caller.
"""
from __future__ import annotations

import pandas as pd

from analytics import stats

ROOT_ID = "total"
MONEY_FIELDS = ("budget_total", "spent_total", "carryover_amount", "initial_budget_total", "final_account_total")
DIFF_RATE_PARAM = "municipal_avg_diff_rate"


def localized(frame: pd.DataFrame, base: str, lang: str) -> pd.Series:
    """The English name where asked for and known, else the Chinese one."""
    chinese = frame[f"{base}_zh"]
    return frame[f"{base}_en"].fillna(chinese) if lang == "en" else chinese


def _lost(score: pd.Series, weight: pd.Series) -> pd.Series:
    return (weight - score.fillna(0)).clip(lower=0).round(2)


def score_tree(tree: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Nodes from the total down to level-3 indicators: id, parent, label, weight, score, lost, rate.

    Scores are the reported ones, so the root equals the reported total.
    """
    leaves = tree.assign(label=localized(tree, "name", lang), score=tree["reported_score"])
    leaves = leaves.assign(id="i:" + leaves["code"], parent="l2:" + leaves["level2"])
    level2 = leaves.groupby("level2", sort=False).agg(
        level1=("level1", "first"), level2_zh=("level2_zh", "first"), level2_en=("level2_en", "first"),
        weight=("level2_weight", "first"), score=("score", "sum")).reset_index()
    level1 = leaves.groupby("level1", sort=False).agg(
        level1_zh=("level1_zh", "first"), level1_en=("level1_en", "first"),
        weight=("level1_weight", "first"), score=("score", "sum")).reset_index()
    level2 = level2.assign(id="l2:" + level2["level2"], parent="l1:" + level2["level1"],
                           label=localized(level2, "level2", lang))
    level1 = level1.assign(id="l1:" + level1["level1"], parent=ROOT_ID, label=localized(level1, "level1", lang))
    root = pd.DataFrame([{"id": ROOT_ID, "parent": "", "label": "", "weight": level1["weight"].sum(),
                          "score": level1["score"].sum()}])
    columns = ["id", "parent", "label", "weight", "score"]
    nodes = pd.concat([root[columns], level1[columns], level2[columns], leaves[columns]], ignore_index=True)
    nodes["score"] = nodes["score"].round(2)
    nodes["lost"] = _lost(nodes["score"], nodes["weight"])
    nodes["rate"] = nodes["score"] / nodes["weight"]
    return nodes


def waterfall_steps(tree: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Full marks, one step per indicator that lost points (negative), and the reported total.

    kind is "start", "deduction" or "total"; the deductions add up to total − full marks.
    """
    lost = _lost(tree["reported_score"], tree["weight"])
    full = round(float(tree["weight"].sum()), 2)
    steps = pd.DataFrame({"kind": "deduction", "code": tree["code"], "label": localized(tree, "name", lang),
                          "value": -lost})[lost > 0]
    total = round(full + float(steps["value"].sum()), 2)
    ends = [pd.DataFrame([{"kind": "start", "code": "", "label": "", "value": full}]), steps,
            pd.DataFrame([{"kind": "total", "code": "", "label": "", "value": total}])]
    return pd.concat(ends, ignore_index=True)


def score_comparison(tree: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every indicator with its weight, reported and rule score, difference, and flags."""
    return pd.DataFrame({
        "level1": localized(tree, "level1", lang), "level2": localized(tree, "level2", lang),
        "indicator": localized(tree, "name", lang), "name_zh": tree["name_zh"], "weight": tree["weight"],
        "reported": tree["reported_score"], "rule": tree["rule_score"], "difference": tree["difference"],
        "disagrees": tree["disagrees"], "inferred": tree["score_inferred"].astype(bool)})


def disagreements(tree: pd.DataFrame, reported_total: float, lang: str) -> pd.DataFrame:
    """Indicators whose rule score differs from the reported one, with the total if the rule were used."""
    rows = score_comparison(tree, lang)
    rows = rows[rows["disagrees"]].copy()
    rows["total_if_rule"] = (reported_total + rows["difference"]).round(2)
    return rows


def rule_total(tree: pd.DataFrame, reported_total: float) -> float:
    """The total with every computable indicator scored by its rule."""
    return round(reported_total + float(tree["difference"].fillna(0).sum()), 2)


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


def level2_comparison(indicators: pd.DataFrame, evaluation_id: int, lang: str) -> pd.DataFrame:
    """Each level-2 indicator's scoring rate for one evaluation beside the mean rate of its year.

    indicators is stats.indicator_scores(...) for (at least) the evaluation's year.
    """
    # level2_scores groups by category, and a group key of None would drop departments without one
    level2 = stats.level2_scores(indicators)
    own = level2[level2["evaluation_id"] == evaluation_id]
    means = level2[level2["year"] == own["year"].iloc[0]].groupby("level2")["scoring_rate"].mean()
    return pd.DataFrame({"level2": own["level2"].to_numpy(), "label": localized(own, "level2", lang).to_numpy(),
                         "weight": own["level2_weight"].to_numpy(), "rate": own["scoring_rate"].to_numpy(),
                         "mean_rate": own["level2"].map(means).to_numpy()})


def position(history: pd.DataFrame, evaluation_id: int) -> dict:
    """Rank of N, gap to the year's mean total and change against the previous year.

    history is stats.year_on_year(stats.evaluations(...)) over the region's years.
    """
    row = history.loc[history["evaluation_id"] == evaluation_id].iloc[0]
    year = history[history["year"] == row["year"]]
    return {"total": row["total"], "grade": row["grade"], "rank": int(row["rank"]), "count": len(year),
            "gap_to_mean": round(row["total"] - year["total"].mean(), 2),
            "total_change": row["total_change"], "rank_change": row["rank_change"]}
