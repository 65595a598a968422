"""Rankings, municipal averages and one evaluation's indicator tree, read from the store.

Totals, grades and node scores come from the views of analytics.scores; names and the tree's shape from
the evaluation's framework.  A ranking is within one framework and one year.
"""
from __future__ import annotations

import json

import pandas as pd

from analytics import evaluation_tree, stats
from analytics.evaluation_tree import frameworks
from analytics.names import normalise_name
from analytics.store import Store

AGREEMENT_TOLERANCE = 0.005
RANKING_COLUMNS = ("rank", "department", "short_name", "category", "total", "grade")
RANKING_TAIL = ("gap_to_mean", "rule_total", "rule_grade", "source_kind", "evaluation_id", "department_id",
                "framework_id")


class NotFoundError(LookupError):
    """A department, year or region the database does not hold; the message says which."""


class MixedFrameworksError(NotFoundError):
    """A ranking asked for without a framework where the year holds several: ranks and means across
    frameworks would mix trees.  ``frameworks``: [(framework id, name_zh, name_en, evaluations)] the year
    (and region) holds."""
    code = "mixed_frameworks"

    def __init__(self, year: int, region: str | None, frameworks: list[tuple]):
        self.year, self.region, self.frameworks = year, region, frameworks
        super().__init__(f"{region or 'the database'} holds evaluations of several frameworks in {year}: "
                         f"{', '.join(f[0] for f in frameworks)}; choose one")


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


def year_frameworks(store: Store, year: int | None, region: str | None = None) -> list[tuple]:
    """(framework id, name_zh, name_en, evaluations) of a year's evaluations (every year's when None; in the
    region, if given), most evaluations first."""
    return store.rows("""
        SELECT e.framework_id, f.name_zh, f.name_en, count(*) FROM evaluations e
        JOIN departments d ON d.id = e.department_id JOIN frameworks f ON f.id = e.framework_id
        WHERE (e.year = ? OR ? IS NULL) AND (d.region = ? OR ? IS NULL)
        GROUP BY ALL ORDER BY 4 DESC, 1""", [year, year, region, region])


def framework_region(store: Store, framework: str, year: int) -> str | None:
    """The region holding the most evaluations of a framework in a year."""
    return store.scalar("""SELECT d.region FROM evaluations e JOIN departments d ON d.id = e.department_id
                           WHERE e.framework_id = ? AND e.year = ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1""",
                        [framework, year])


def level1_nodes(store: Store, framework_id: str) -> pd.DataFrame:
    """A framework's level-1 nodes in order: code, name_zh, name_en, weight (None where the evaluation
    sets it)."""
    fw = frameworks(store)[framework_id]
    return pd.DataFrame([{"code": n.code, "name_zh": n.zh, "name_en": n.en or None, "weight": n.weight}
                         for n in fw.nodes], columns=["code", "name_zh", "name_en", "weight"])


def ranking(store: Store, year: int, region: str | None = None, framework: str | None = None) -> pd.DataFrame:
    """A year's departments of one framework ranked by reported total, with the level-1 scores (columns
    named by node code), rule totals and grades (analytics.scores) and the gap to the framework's mean.

    Without ``framework``, the year's only one; MixedFrameworksError when it holds several."""
    region = region or (framework and framework_region(store, framework, year)) or default_region(store)
    frame = stats.evaluations(store, region, [year])
    held = [f[0] for f in year_frameworks(store, year, region)]
    if frame.empty or (framework is not None and framework not in held):
        available = years(store, region)
        wanted = f" under framework {framework} (the year holds {', '.join(held) or 'none'})" if held else ""
        raise NotFoundError(f"no evaluations for {region} in {year}{wanted}; years with data: "
                            f"{', '.join(map(str, available)) or 'none'}")
    if framework is None and len(held) > 1:
        raise MixedFrameworksError(year, region, year_frameworks(store, year, region))
    framework = framework or held[0]
    frame = frame[frame["framework_id"] == framework].copy()
    frame["gap_to_mean"] = (frame["total"] - frame["total"].mean()).round(2)
    level1 = list(level1_nodes(store, framework)["code"])
    frame = frame.reindex(columns=[*RANKING_COLUMNS, *level1, *RANKING_TAIL])
    return frame.sort_values(["rank", "department"]).reset_index(drop=True)


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
    """The evaluation's row and its department; its totals and grades, reported and by the rules, from
    evaluation_scores (reported_total, reported_grade, rule_total, rule_grade, complete)."""
    frame = store.df("""
        SELECT e.* EXCLUDE (reported_score_total, reported_grade), s.reported_total, s.reported_grade,
               s.rule_total, s.rule_grade, s.complete,
               d.name AS department, d.name_en AS department_en, d.short_name, d.category, d.region, d.is_synthetic AS department_synthetic
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id WHERE e.id = ?""", [evaluation_id])
    return frame.iloc[0].to_dict()


def indicator_tree(store: Store, evaluation_id: int) -> pd.DataFrame:
    """Every node of one evaluation's tree in pre-order (each level-1 node followed by its children, any
    depth): names (the framework's, or a brought indicator's own), weight, concept, rule kind, the
    reported score (printed, else the reported leaves' sum), printed, rule score, rate and value (score by
    the rules) from node_results, the leaves' inputs (target, actual, unit, deviation reason …), its
    level-1 and level-2 ancestors, and each leaf's rule-minus-reported difference.  The total is not a
    node: evaluation_summary has it."""
    return with_differences(evaluation_tree.nodes(store, [evaluation_id]))


def with_differences(tree: pd.DataFrame) -> pd.DataFrame:
    """evaluation_tree.nodes rows with each leaf's rule-minus-reported ``difference`` and whether it
    ``disagrees`` (beyond the agreement tolerance)."""
    tree["difference"] = (tree["rule"] - tree["reported"]).round(2).where(tree["leaf"])
    tree["disagrees"] = tree["difference"].abs() > AGREEMENT_TOLERANCE
    return tree


# -- added for the rankings and department pages -----------------------------------------------------

def grade_bands(store: Store, framework_id: str) -> pd.DataFrame:
    """A framework's grade thresholds, best grade first: grade, grade_en, min_score."""
    bands = json.loads(store.scalar("SELECT grade_bands FROM frameworks WHERE id = ?", [framework_id]) or "[]")
    frame = pd.DataFrame([{"grade": b["grade"], "grade_en": b.get("en"), "min_score": b["min"]} for b in bands],
                         columns=["grade", "grade_en", "min_score"])
    return frame.sort_values("min_score", ascending=False).reset_index(drop=True)


def year_param(store: Store, region: str, year: int, key: str) -> dict | None:
    """A published per-year parameter (e.g. municipal_avg_diff_rate) with its source, or None."""
    frame = store.df("SELECT value, source, is_synthetic FROM year_params WHERE region = ? AND year = ? AND key = ?",
                     [region, year, key])
    return frame.iloc[0].to_dict() if len(frame) else None


def ranking_with_changes(store: Store, year: int, region: str | None = None,
                         framework: str | None = None) -> pd.DataFrame:
    """ranking() plus the change against the previous year in total and rank (+ = moved up)."""
    region = region or default_region(store)
    frame = ranking(store, year, region, framework)
    history = stats.year_on_year(stats.evaluations(store, region, [year - 1, year]))
    changes = history.loc[history["year"] == year, ["evaluation_id", "total_change", "rank_change"]]
    return frame.merge(changes, on="evaluation_id", how="left")


def movers(frame: pd.DataFrame, count: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The biggest risers and fallers by total change (rows without a previous year are left out)."""
    known = frame.dropna(subset=["total_change"])
    risers = known[known["total_change"] > 0].nlargest(count, "total_change")
    fallers = known[known["total_change"] < 0].nsmallest(count, "total_change")
    return risers, fallers


# -- added for the municipal comparison: the columns a framework's evaluations compare on -------------

def comparison_columns(store: Store, framework_id: str) -> pd.DataFrame:
    """The nodes every evaluation of a framework has, column by column in tree order: its own leaves and
    its open groups (where each department writes its own level-3 indicators, so only the group's score
    compares).  code, name_zh, name_en, level1 with level1_zh/level1_en, open, sort_order."""
    fw = frameworks(store)[framework_id]
    level1 = {node.code: node for node in fw.nodes}
    rows = evaluation_tree.framework_nodes(framework_id, fw)
    wanted = {node.code: node.is_open for node, _, _ in fw.walk() if node.is_leaf or node.is_open}
    rows = rows[rows["code"].isin(list(wanted))]
    return pd.DataFrame({"code": rows["code"], "name_zh": rows["zh"], "name_en": rows["en"],
                         "level1": rows["level1"], "level1_zh": rows["level1"].map(lambda c: level1[c].zh),
                         "level1_en": rows["level1"].map(lambda c: level1[c].en or None),
                         "open": rows["code"].map(wanted), "sort_order": rows["order"]}).reset_index(drop=True)


def column_scores(store: Store, region: str, year: int, framework_id: str) -> pd.DataFrame:
    """One row per evaluation of the framework (region, year) and comparison column: department, the
    column's names and level-1 ancestor, the evaluation's weight for it, score (reported, else the rule's;
    an open group's from node_results) and scoring rate (score / weight; none where the weight is 0).
    Columns no evaluation gives a weight are left out."""
    chosen = store.df("""SELECT e.id AS evaluation_id, d.name AS department, d.category
                         FROM evaluations e JOIN departments d ON d.id = e.department_id
                         WHERE d.region = ? AND e.year = ? AND e.framework_id = ?""", [region, year, framework_id])
    columns = comparison_columns(store, framework_id)
    found = store.df("""SELECT evaluation_id, code, weight, coalesce(reported, rule) AS score FROM node_results
                        WHERE evaluation_id IN (SELECT unnest(?)) AND code IN (SELECT unnest(?))""",
                     [[int(i) for i in chosen["evaluation_id"]], list(columns["code"])])
    cells = found.merge(chosen, on="evaluation_id").merge(columns, on="code")
    cells["scoring_rate"] = cells["score"] / cells["weight"].where(cells["weight"] > 0)
    weighted = cells.groupby("code")["weight"].transform("max") > 0
    return cells[weighted].sort_values(["sort_order", "department"]).reset_index(drop=True)
