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
from analytics.i18n import t
from analytics.store import Store

GROUP = ["framework_id", "region"]
STATISTICS = ("count", "mean", "median", "q1", "q3", "min", "max")
MAX_GROUPS = 8      # more (framework, region) groups than this in a year: each framework's regions fold into one


def years(store: Store) -> list[int]:
    """Years holding at least two groups (a framework in a region), latest first; every year with
    evaluations when none does."""
    rows = store.rows("""SELECT e.year, count(DISTINCT (e.framework_id, d.region)) FROM evaluations e
                         JOIN departments d ON d.id = e.department_id GROUP BY 1 ORDER BY 1 DESC""")
    several = [year for year, groups in rows if groups > 1]
    return several or [year for year, _ in rows]


def evaluations(store: Store, year: int) -> pd.DataFrame:
    """Every evaluation of the year in every region (see _evaluations)."""
    return _evaluations(store, "e.year = ?", [year])


def region_evaluations(store: Store, regions: tuple[str, ...]) -> pd.DataFrame:
    """Every evaluation of every year in the regions (see _evaluations)."""
    return _evaluations(store, "d.region IN (SELECT unnest(?))", [list(regions)])


def _evaluations(store: Store, condition: str, params: list) -> pd.DataFrame:
    """The evaluations meeting ``condition``: year, department (id, name), region (and its English name,
    analytics.region_names), framework (id and names), the reported total and grade, the grade's place in its
    framework's bands (0 = the best) and the concept rates (stats.RATE_COLUMNS)."""
    frame = store.df(f"""
        SELECT e.id AS evaluation_id, e.year, d.id AS department_id, d.name AS department, d.region,
               r.name_en AS region_en, e.framework_id, f.name_zh, f.name_en,
               e.source_kind, s.reported_total AS total, s.reported_grade AS grade
        FROM evaluations e JOIN departments d ON d.id = e.department_id LEFT JOIN regions r ON r.name = d.region
        JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
        WHERE {condition} ORDER BY e.framework_id, d.region, e.year, d.name""", params)
    frame = frame.astype({"region_en": frame["region"].dtype})        # text even where no region has one
    ids = [int(i) for i in frame["evaluation_id"]]
    frame = frame.join(stats.concept_rates(store, frameworks(store), ids), on="evaluation_id")
    places = {fid: {band: k for k, band in enumerate(compare.grade_bands(store, fid)["grade"])}
              for fid in frame["framework_id"].unique()}
    frame["band"] = [places[fid].get(grade) for fid, grade in zip(frame["framework_id"], frame["grade"])]
    return frame.astype({"band": "Int64"})


def groups(frame: pd.DataFrame) -> pd.DataFrame:
    """The groups of ``evaluations`` in order (most evaluations first): framework id, names, region (and its
    English name) and how many evaluations."""
    counted = (frame.groupby([*GROUP, "name_zh", "name_en", "region_en"], dropna=False).size().rename("count")
               .reset_index())
    return counted.sort_values(["count", *GROUP], ascending=[False, True, True]).reset_index(drop=True)


def folded(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each framework's regions folded into one group: its region (and English region) become
    "N 个地区" / "N regions", N the regions the framework holds.  For a year of more groups than a view can
    show side by side; every figure is then the framework's own over all its regions."""
    counts = frame.groupby("framework_id")["region"].transform("nunique")
    return frame.assign(region=[t("xf_regions_folded", "zh", count=n) for n in counts],
                        region_en=[t("xf_regions_folded", "en", count=n) for n in counts])


def distribution(frame: pd.DataFrame, column: str = "total", by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per group (and per ``by``, e.g. year): count, mean, median, quartiles, min and max of one column
    (values held only), in the order of ``groups``."""
    grouped = frame.groupby([*GROUP, *by])[column]
    table = pd.DataFrame({"count": grouped.count(), "mean": grouped.mean(), "median": grouped.median(),
                          "q1": grouped.quantile(0.25), "q3": grouped.quantile(0.75),
                          "min": grouped.min(), "max": grouped.max()})
    return in_group_order(table.reset_index(), frame, by)


def in_group_order(table: pd.DataFrame, frame: pd.DataFrame, by=()) -> pd.DataFrame:
    """Rows of ``table`` (keyed by GROUP and ``by``) in the order of ``frame``'s groups, then by ``by``."""
    order = {key: k for k, key in enumerate(zip(*(groups(frame)[c] for c in GROUP)))}
    place = [order[key] for key in zip(*(table[c] for c in GROUP))]
    return (table.assign(_place=place).sort_values(["_place", *by], kind="stable").drop(columns="_place")
            .reset_index(drop=True))


def grade_shares(store: Store, frame: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per group (and per ``by``, e.g. year) and grade band of its framework (best first, empty bands
    included): the band's labels (zh, en), its lower bound, how many evaluations hold it and their share (%)
    of the group."""
    bands = {fid: compare.grade_bands(store, fid) for fid in frame["framework_id"].unique()}
    rows = []
    for key, members in frame.groupby([*GROUP, *by]):
        fid, region, *rest = key
        for band, row in enumerate(bands[fid].itertuples()):
            held = int((members["grade"] == row.grade).sum())
            rows.append({"framework_id": fid, "region": region, **dict(zip(by, rest)), "band": band,
                         "grade": row.grade, "grade_en": row.grade_en, "min_score": row.min_score,
                         "count": held, "share": 100 * held / len(members)})
    columns = [*GROUP, *by, "band", "grade", "grade_en", "min_score", "count", "share"]
    return in_group_order(pd.DataFrame(rows, columns=columns), frame, (*by, "band"))


def concepts(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The rate columns (shared concepts) held by every group, which compare, and those some group lacks."""
    held = frame.groupby(GROUP)[list(stats.RATE_COLUMNS)].count() > 0
    shared = [c for c in stats.RATE_COLUMNS if held[c].all()]
    partial = [c for c in stats.RATE_COLUMNS if held[c].any() and not held[c].all()]
    return shared, partial


def concept_summary(frame: pd.DataFrame, columns, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per group (and ``by``) and concept column: the distribution's statistics (long form: concept first)."""
    parts = [distribution(frame, column, by).assign(concept=column) for column in columns]
    return (pd.concat(parts, ignore_index=True) if parts
            else pd.DataFrame(columns=[*GROUP, *by, *STATISTICS, "concept"]))


def row_source_kinds(frame: pd.DataFrame, rows: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.Series:
    """Per row of ``rows`` (keyed by framework, region and ``by``), what its figures come from: synthetic as
    soon as one of the evaluations of ``frame`` behind it is (stats.aggregate_source_kind)."""
    keys = [*GROUP, *by]
    kinds = frame.groupby(keys)["source_kind"].agg(stats.aggregate_source_kind)
    return pd.Series([kinds[key] for key in zip(*(rows[column] for column in keys))])


def level1_counts(store: Store, framework_ids) -> dict[str, int]:
    """How many level-1 nodes each framework's tree has (the trees differ, so level-1 scores do not compare)."""
    fws = frameworks(store)
    return {fid: len(fws[fid].nodes) for fid in framework_ids}


def open_frameworks(store: Store, framework_ids) -> list[str]:
    """Those of the frameworks whose departments write (some of) their own level-3 indicators."""
    fws = frameworks(store)
    return [fid for fid in framework_ids if fws[fid].open_groups()]
