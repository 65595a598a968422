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
    ``disputed`` marks a deduction whose rule score differs from the reported one, ``rule_value`` the
    deduction by the rule there (None elsewhere).
    """
    leaves = _leaves(tree)
    lost = _lost(leaves["reported"], leaves["weight"])
    full = full_marks(tree)
    disputed = leaves["disagrees"].astype(bool)
    steps = pd.DataFrame({"kind": "deduction", "code": leaves["code"], "label": localized(leaves, None, lang),
                          "value": -lost, "disputed": disputed,
                          "rule_value": (-_lost(leaves["rule"], leaves["weight"])).where(disputed)})[lost > 0]
    total = round(float(summary["reported_total"]), 2)
    rest = round(total - full - float(steps["value"].sum()), 2)
    ends = [_step("start", full), steps, _step("rest", rest) if abs(rest) > TOLERANCE else None, _step("total", total)]
    return pd.concat([part for part in ends if part is not None], ignore_index=True)


def _step(kind: str, value: float, code: str = "", label: str = "") -> pd.DataFrame:
    return pd.DataFrame([{"kind": kind, "code": code, "label": label, "value": value, "disputed": False,
                          "rule_value": None}])


def rule_steps(tree: pd.DataFrame, summary: dict, lang: str) -> pd.DataFrame:
    """The walk on from the reported total to the total by the rules: one step per indicator whose rule
    score differs from the reported one (rule minus reported), a "rule_rest" step where the totals of
    evaluation_scores differ by more than those steps (printed group scores), and the "rule_total".
    Empty when both totals agree and no indicator is disputed, or when there is no total by the rules."""
    rule_total = summary.get("rule_total")
    disputed = score_comparison(tree, lang)
    disputed = disputed[disputed["disagrees"]]
    if rule_total is None or pd.isna(rule_total) or (
            disputed.empty and abs(float(rule_total) - float(summary["reported_total"])) <= TOLERANCE):
        return pd.DataFrame(columns=["kind", "code", "label", "value", "disputed", "rule_value"])
    steps = pd.DataFrame({"kind": "rule", "code": disputed["code"], "label": disputed["indicator"],
                          "value": disputed["difference"], "disputed": True, "rule_value": None})
    rest = round(float(rule_total) - float(summary["reported_total"]) - float(steps["value"].sum()), 2)
    parts = [steps, _step("rule_rest", rest) if abs(rest) > TOLERANCE else None,
             _step("rule_total", round(float(rule_total), 2))]
    return pd.concat([part for part in parts if part is not None], ignore_index=True)


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
        "code": leaves["code"], "indicator": localized(leaves, None, lang), "name_zh": leaves["zh"], "weight": leaves["weight"],
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
    """The rates (%) of one department beside the mean and median of its year's departments
    (stats.standing; the rates its framework has), and the published municipal average difference rate,
    a rule parameter."""
    rows = stats.standing(year_frame, department, stats.rates_held(year_frame))
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
    evaluations of the same framework; the total and grade by the rules (evaluation_scores) and
    ``rule_rank``, the rank the total by the rules would take among the others' reported totals.

    history is stats.year_on_year(stats.evaluations(...)) over the region's years.
    """
    row = history.loc[history["evaluation_id"] == evaluation_id].iloc[0]
    year = history[(history["year"] == row["year"]) & (history["framework_id"] == row["framework_id"])]
    others = year.loc[year["evaluation_id"] != evaluation_id, "total"]
    rule_total = row["rule_total"]
    return {"total": row["total"], "grade": row["grade"], "rank": int(row["rank"]), "count": len(year),
            "gap_to_mean": round(row["total"] - year["total"].mean(), 2),
            "total_change": row["total_change"], "rank_change": row["rank_change"],
            "rule_total": rule_total, "rule_grade": row["rule_grade"],
            "rule_rank": None if pd.isna(rule_total) else int((others > rule_total).sum()) + 1}


def year_totals(history: pd.DataFrame, evaluation_id: int) -> pd.DataFrame:
    """The year's evaluations of the evaluation's framework, best first: department, short_name, total,
    rank, source_kind, and ``this`` (the evaluation shown) and ``real`` (not synthetic)."""
    row = history.loc[history["evaluation_id"] == evaluation_id].iloc[0]
    year = history[(history["year"] == row["year"]) & (history["framework_id"] == row["framework_id"])]
    frame = year[["evaluation_id", "department", "short_name", "total", "rank", "source_kind"]].copy()
    frame["this"] = frame["evaluation_id"] == evaluation_id
    frame["real"] = frame["source_kind"] != "synthetic"
    return frame.sort_values(["rank", "department"]).reset_index(drop=True)


def real_evaluations(frame: pd.DataFrame) -> pd.DataFrame:
    """The evaluations of ``frame`` (stats.evaluations) that are not synthetic: department and year."""
    return frame.loc[frame["source_kind"] != "synthetic", ["department", "year"]].sort_values(
        ["year", "department"]).reset_index(drop=True)


def amount(value, unit: str = "") -> str:
    """A number with thousands separators and at most two decimals, trailing zeros dropped, then its unit."""
    text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return f"{text}{unit or ''}"


def written(text, value, unit, comparator: str = "") -> str:
    """What the department wrote (``text``); re-spaced with thousands separators when it is exactly the
    comparator, the number and the unit, so nothing written is ever rephrased."""
    if not isinstance(text, str) or not text:
        return f"{comparator}{amount(value, unit)}" if pd.notna(value) else ""
    plain = f"{comparator}{float(value):g}{unit or ''}" if pd.notna(value) else None
    return f"{comparator}{amount(value, unit)}" if text == plain else text


def brought_indicators(tree: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The indicators the evaluation brought to the framework's open groups (the national layout's own
    level-3 indicators), in tree order: group, indicator, target (comparator, number and unit as written),
    actual, weight, reported and rule score, difference, deviation reason, disagrees and lost points."""
    names = dict(zip(tree["code"], localized(tree, None, lang)))
    own = _leaves(tree)
    own = own[own["brought"].astype(bool)]
    comparators = own["comparator"].fillna("")
    return pd.DataFrame({
        "code": own["code"], "group": own["parent"].map(names), "indicator": localized(own, None, lang),
        "target": [written(text, value, unit, comp) for text, value, unit, comp
                   in zip(own["target_text"], own["target"], own["unit"], comparators)],
        "actual": [written(text, value, unit) for text, value, unit in zip(own["actual_text"], own["actual"],
                                                                           own["unit"])],
        "weight": own["weight"], "reported": own["reported"], "rule": own["rule"], "difference": own["difference"],
        "deviation_reason": own["deviation_reason"].fillna(""), "disagrees": own["disagrees"].astype(bool),
        "lost": _lost(own["reported"], own["weight"])}).reset_index(drop=True)
