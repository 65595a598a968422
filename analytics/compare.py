"""Rankings, municipal averages and one evaluation's indicator tree, read from the store."""
from __future__ import annotations

import pandas as pd

from analytics import scores, stats
from analytics.names import normalise_name
from analytics.store import Store

AGREEMENT_TOLERANCE = 0.005
ROOT = "total"          # the parent code of level-1 nodes in node_results


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


class MixedFrameworksError(NotFoundError):
    """A ranking asked for without a framework where the year holds several: rankings are made within one
    framework.  ``frameworks``: [(framework id, name_zh, name_en, evaluations)] the year (and region) holds."""

    def __init__(self, year: int, region: str | None, frameworks: list[tuple]):
        self.year, self.region, self.frameworks = year, region, frameworks
        super().__init__(f"{region or 'the database'} holds evaluations of several frameworks in {year}: "
                         f"{', '.join(f[0] for f in frameworks)}; choose one")


def frameworks(store: Store) -> dict:
    """Every stored framework (domain Framework) by id."""
    cur = store.cursor()
    try:
        return scores.stored_frameworks(cur)
    finally:
        cur.close()


def year_frameworks(store: Store, year: int, region: str | None = None) -> list[tuple]:
    """(framework id, name_zh, name_en, evaluations) of the year's evaluations (in the region, if given)."""
    return store.rows("""
        SELECT e.framework_id, f.name_zh, f.name_en, count(*) FROM evaluations e
        JOIN departments d ON d.id = e.department_id JOIN frameworks f ON f.id = e.framework_id
        WHERE e.year = ? AND (d.region = ? OR ? IS NULL) GROUP BY ALL ORDER BY 4 DESC, 1""", [year, region, region])


def framework_region(store: Store, framework: str, year: int) -> str | None:
    """The region holding the most evaluations of a framework in a year."""
    return store.scalar("""SELECT d.region FROM evaluations e JOIN departments d ON d.id = e.department_id
                           WHERE e.framework_id = ? AND e.year = ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""",
                        [framework, year])


def level1_codes(fw) -> list[str]:
    return [node.code for node in fw.nodes]


def ranking(store: Store, year: int, region: str | None = None, framework: str | None = None) -> pd.DataFrame:
    """A year's departments of one framework ranked by reported total, with the level-1 scores (one column per
    level-1 code of the framework), rule totals and grades (all from ``evaluation_scores``/``node_results``)
    and the gap to the mean.  Without ``framework`` the year must hold one framework only."""
    region = region or (framework and framework_region(store, framework, year)) or default_region(store)
    held = year_frameworks(store, year, region)
    if framework is None and len(held) > 1:
        raise MixedFrameworksError(year, region, held)
    framework = framework or (held[0][0] if held else None)
    frame = store.df("""
        SELECT rank() OVER (ORDER BY s.reported_total DESC) AS rank,
               d.name AS department, d.short_name, d.category,
               s.reported_total AS total, s.reported_grade AS grade,
               round(s.reported_total - avg(s.reported_total) OVER (), 2) AS gap_to_mean,
               s.rule_total, s.rule_grade, e.source_kind, e.id AS evaluation_id, e.department_id, e.framework_id
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id
        WHERE d.region = ? AND e.year = ? AND e.framework_id = ?
        ORDER BY rank, department""", [region, year, framework])
    if frame.empty:
        available = years(store, region)
        raise NotFoundError(f"no evaluations for {region} in {year}"
                            + (f" under {framework}" if held else "")
                            + f"; years with data: {', '.join(map(str, available)) or 'none'}")
    codes = level1_codes(frameworks(store)[framework])
    level1 = store.df("""SELECT evaluation_id, code, reported FROM node_results
                         WHERE depth = 1 AND evaluation_id IN (SELECT unnest(?))""",
                      [frame["evaluation_id"].tolist()])
    wide = level1.pivot(index="evaluation_id", columns="code", values="reported").reindex(columns=codes)
    frame = frame.join(wide, on="evaluation_id")
    return frame[["rank", "department", "short_name", "category", "total", "grade", *codes, "gap_to_mean",
                  "rule_total", "rule_grade", "source_kind", "evaluation_id", "department_id", "framework_id"]]


def find_evaluation(store: Store, department: str, year: int, region: str | None = None) -> int:
    """The evaluation id of a department-year, matching the full or the short name (normalised, so a
    name typed or pasted with invisible or full-width characters finds its department)."""
    department = normalise_name(department) or department
    region = normalise_name(region) or department_region(store, department) or default_region(store)
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


def department_region(store: Store, department: str) -> str | None:
    """The region of the department of that (full or short) name, when exactly one region has one."""
    found = store.rows("SELECT DISTINCT region FROM departments WHERE name = ? OR short_name = ?",
                       [department, department])
    return found[0][0] if len(found) == 1 else None


def evaluation_summary(store: Store, evaluation_id: int) -> dict:
    """The evaluation's row, its department, and its totals and grades (``evaluation_scores``)."""
    frame = store.df("""
        SELECT e.*, d.name AS department, d.short_name, d.category, d.region, d.is_synthetic AS department_synthetic,
               s.reported_total, s.reported_grade AS reported_grade_scored, s.rule_total, s.rule_grade, s.complete
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id WHERE e.id = ?""", [evaluation_id])
    summary = frame.iloc[0].to_dict()
    summary["reported_grade"] = summary.pop("reported_grade_scored")
    return summary


TREE_COLUMNS = ["code", "parent", "depth", "position", "leaf", "zh", "en", "weight", "concept", "rule_kind",
                "reported", "printed", "inferred", "rule", "rate", "value", "reason", "finding", "target_text",
                "actual_text", "unit", "deviation_reason", "failed", "given", "brought", "difference", "disagrees"]


def indicator_tree(store: Store, evaluation_id: int) -> pd.DataFrame:
    """Every node of one evaluation's tree in pre-order (level 1 first, each followed by its children):
    names (the framework's, or the brought indicator's own), weight, concept, rule kind, the reported
    (printed) score, the rule score, rate and value (``node_results``), the leaf inputs as written
    (target, actual, unit, deviation reason) and whether the rule disagrees with the reported score."""
    frame = store.df("""
        SELECT r.code, r.parent, r.depth, r.position, i.node IS NOT NULL AS leaf, i.zh, i.en, r.weight,
               k.kind AS rule_kind, r.reported, r.printed, coalesce(i.inferred, false) AS inferred, r.rule, r.rate,
               r.value, r.reason, r.finding, i.target_text, i.actual_text, i.unit, i.deviation_reason, i.failed,
               i.given, e.framework_id
        FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
        LEFT JOIN node_inputs i ON i.evaluation_id = r.evaluation_id AND i.node = r.code
        LEFT JOIN rules k ON k.rule_id = i.rule_id
        WHERE r.evaluation_id = ?""", [evaluation_id])
    if frame.empty:
        return pd.DataFrame(columns=TREE_COLUMNS)
    fw = frameworks(store)[frame["framework_id"].iloc[0]]
    known = {node.code: node for node, _, _ in fw.walk()}
    frame["brought"] = ~frame["code"].isin(list(known))
    frame["zh"] = [known[c].zh if c in known else zh for c, zh in zip(frame["code"], frame["zh"])]
    frame["en"] = [known[c].en if c in known else en for c, en in zip(frame["code"], frame["en"])]
    frame["concept"] = [known[c].concept if c in known else None for c in frame["code"]]
    frame["difference"] = (frame["rule"] - frame["reported"]).round(2)
    frame["disagrees"] = frame["difference"].abs() > AGREEMENT_TOLERANCE
    children = {parent: group.sort_values("position").index.tolist() for parent, group in frame.groupby("parent")}
    order = []

    def visit(parent):
        for index in children.get(parent, []):
            order.append(index)
            visit(frame.at[index, "code"])
    visit(ROOT)
    return frame.loc[order, TREE_COLUMNS].reset_index(drop=True)


# -- added for the rankings and department pages -----------------------------------------------------

def grade_bands(store: Store, framework_id: str) -> pd.DataFrame:
    """A framework's grade thresholds, best grade first: grade, grade_en, min_score."""
    bands = sorted(frameworks(store)[framework_id].grade_bands, key=lambda b: b.min, reverse=True)
    return pd.DataFrame({"grade": [b.label for b in bands], "grade_en": [b.en for b in bands],
                         "min_score": [b.min for b in bands]})


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
