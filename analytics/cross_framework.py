"""Comparing places or frameworks in one year on what compares: totals out of 100, grades, shared concepts.

Indicator trees differ between frameworks (Beijing's three level-1 nodes, the national layout's four, each
department's own level-3 indicators), so nothing below level 1 compares, and no rank or mean is taken
over two frameworks' evaluations together.  A *group* is the evaluations of one framework in one region;
each figure here is per group.  Totals and grades come from ``evaluation_scores``, the rates from the
leaves carrying the shared concepts (stats.concept_rates).
"""
from __future__ import annotations

import pandas as pd

from analytics import compare, stats
from analytics.evaluation_tree import frameworks
from analytics.store import Store

GROUP = ["framework_id", "region"]
STATISTICS = ("count", "mean", "median", "q1", "q3", "min", "max")


def years(store: Store) -> list[int]:
    """Years holding at least two groups (a framework in a region), latest first; every year with
    evaluations when none does."""
    rows = store.rows("""SELECT e.year, count(DISTINCT (e.framework_id, d.region)) FROM evaluations e
                         JOIN departments d ON d.id = e.department_id GROUP BY 1 ORDER BY 1 DESC""")
    several = [year for year, groups in rows if groups > 1]
    return several or [year for year, _ in rows]


def evaluations(store: Store, year: int) -> pd.DataFrame:
    """Every evaluation of the year in every region: department, region, framework (id and names), the
    reported total and grade, the grade's place in its framework's bands (0 = the best) and the concept
    rates (stats.RATE_COLUMNS)."""
    frame = store.df("""
        SELECT e.id AS evaluation_id, d.name AS department, d.region, e.framework_id, f.name_zh, f.name_en,
               e.source_kind, s.reported_total AS total, s.reported_grade AS grade
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
        WHERE e.year = ? ORDER BY e.framework_id, d.region, d.name""", [year])
    ids = [int(i) for i in frame["evaluation_id"]]
    frame = frame.join(stats.concept_rates(store, frameworks(store), ids), on="evaluation_id")
    places = {fid: {band: k for k, band in enumerate(compare.grade_bands(store, fid)["grade"])}
              for fid in frame["framework_id"].unique()}
    frame["band"] = [places[fid].get(grade) for fid, grade in zip(frame["framework_id"], frame["grade"])]
    return frame.astype({"band": "Int64"})


def groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The groups of ``evaluations`` in order (most evaluations first): framework id, names, region and
    how many evaluations."""
    counted = frame.groupby([*GROUP, "name_zh", "name_en"], dropna=False).size().rename("count").reset_index()
    return counted.sort_values(["count", *GROUP], ascending=[False, True, True]).reset_index(drop=True)


def distribution(frame: pd.DataFrame, column: str = "total") -> pd.DataFrame:
    """Per group: count, mean, median, quartiles, min and max of one column (values held only), in the
    order of ``groups``."""
    grouped = frame.groupby(GROUP)[column]
    table = pd.DataFrame({"count": grouped.count(), "mean": grouped.mean(), "median": grouped.median(),
                          "q1": grouped.quantile(0.25), "q3": grouped.quantile(0.75),
                          "min": grouped.min(), "max": grouped.max()})
    order = groups(frame).set_index(GROUP).index
    return table.reindex(order).reset_index()


def grade_shares(store: Store, frame: pd.DataFrame) -> pd.DataFrame:
    """Per group and grade band of its framework (best first, empty bands included): the band's labels
    (zh, en), its lower bound, how many evaluations hold it and their share (%) of the group."""
    rows = []
    for group in groups(frame).itertuples():
        members = frame[(frame["framework_id"] == group.framework_id) & (frame["region"] == group.region)]
        bands = compare.grade_bands(store, group.framework_id)
        for band, row in enumerate(bands.itertuples()):
            held = int((members["grade"] == row.grade).sum())
            rows.append({"framework_id": group.framework_id, "region": group.region, "band": band,
                         "grade": row.grade, "grade_en": row.grade_en, "min_score": row.min_score,
                         "count": held, "share": 100 * held / len(members)})
    return pd.DataFrame(rows, columns=[*GROUP, "band", "grade", "grade_en", "min_score", "count", "share"])


def concepts(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The rate columns (shared concepts) held by every group, which compare, and those some group lacks."""
    held = frame.groupby(GROUP)[list(stats.RATE_COLUMNS)].count() > 0
    shared = [c for c in stats.RATE_COLUMNS if held[c].all()]
    partial = [c for c in stats.RATE_COLUMNS if held[c].any() and not held[c].all()]
    return shared, partial


def concept_summary(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Per group and concept column: the distribution's statistics (long form: concept first)."""
    parts = [distribution(frame, column).assign(concept=column) for column in columns]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*GROUP, *STATISTICS, "concept"])


def level1_counts(store: Store, framework_ids) -> dict[str, int]:
    """How many level-1 nodes each framework's tree has (the trees differ, so level-1 scores do not compare)."""
    fws = frameworks(store)
    return {fid: len(fws[fid].nodes) for fid in framework_ids}


def open_frameworks(store: Store, framework_ids) -> list[str]:
    """Those of the frameworks whose departments write (some of) their own level-3 indicators."""
    fws = frameworks(store)
    return [fid for fid in framework_ids if fws[fid].open_groups()]
