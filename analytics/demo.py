"""Build the demo database: the real seed report plus seeded synthetic evaluations in two frameworks.

- Beijing 2022: the real seed report and the municipal departments made by ``analytics.synthetic``;
- the national self-evaluation layout: the synthetic county of ``analytics.domain.synthetic_county``
  (示例县（合成）, each department with its own level-3 indicators), stored through ``records`` as an
  import would store it: figures, each indicator's target and actual, reported leaf scores and the
  level-1 scores, total and grade the county's self-evaluations print.
Everything synthetic is marked so: departments.is_synthetic, source kind 'synthetic', and ``meta``.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from analytics import region_names, synthetic
from analytics.domain import synthetic_county
from analytics.domain.loader import shipped_frameworks
from analytics.framework import default_framework
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.records import NODE_SCORE_PREFIX, EvaluationRecord, ensure_framework, insert_evaluations
from analytics.versions import Change, new_version

DEMO_SEED = 20221
DEMO_YEARS = list(range(2018, 2024))
# The county's department types as the demo's categories (translated in analytics/texts/common.py).
COUNTY_CATEGORIES = {"education": "社会事业", "health": "社会事业", "social": "社会事业",
                     "agriculture": "经济发展", "transport": "城市建设与管理", "environment": "资源环境",
                     "administration": "综合管理"}


def build_demo(path: Path, seed: int = DEMO_SEED, years: list[int] | None = None) -> dict:
    """Build the demo database as version 1 of a fresh file, swapped in only when complete."""
    fw = default_framework()
    # no note: the page says what an init version is in the reader's language (the seed is in meta)
    seed_file = {"name": SEED_REPORT.name, "sha256": hashlib.sha256(SEED_REPORT.read_bytes()).hexdigest()}
    with new_version(Path(path), Change("init", "", [seed_file]), fresh=True) as draft:
        store = draft.store
        with store.transaction() as cur:
            ensure_framework(cur, fw)
            cur.executemany("INSERT INTO meta VALUES (?, ?)", [
                ["demo_seed", str(seed)], ["contains_synthetic", "true"],
                ["built_at", datetime.now(timezone.utc).isoformat(timespec="seconds")]])
        real = import_report(store, SEED_REPORT, source_kind="report", framework=fw, create_departments=True)
        count = synthetic.generate(store, fw, synthetic.beijing_departments(), years or DEMO_YEARS, seed,
                                   skip={(fw.region, real.department, real.year)})
        synthetic.settle_reported_scores(store, seed)
        county = store_county(store, synthetic_county.generate(seed))
        with store.transaction() as cur:
            region_names.name_known_regions(cur)      # "Beijing", "Example County (synthetic)"
        summary = {"database": str(path), "real_evaluations": 1, "synthetic_evaluations": count + county,
                   "departments": store.scalar("SELECT count(*) FROM departments"),
                   "frameworks": store.scalar("SELECT list(id ORDER BY id) FROM frameworks"),
                   "years": store.scalar("SELECT list(DISTINCT year ORDER BY year) FROM evaluations")}
    return summary


def county_records(county: synthetic_county.County) -> list[EvaluationRecord]:
    """The county's self-evaluations as records: what each one's table says, reported as printed."""
    departments = {d.code: d for d in county.departments}
    records = []
    for ev in county.evaluations:
        dept = departments[ev.department]
        printed = {f"{NODE_SCORE_PREFIX}{code}": node.reported for code, node in ev.score.nodes.items()
                   if node.depth == 1}
        records.append(EvaluationRecord(
            region=county.zh, department=dept.zh, year=ev.year, source_kind="synthetic",
            figures=dict(ev.inputs.figures),
            reported={**printed, "reported_score_total": ev.score.total_reported,
                      "reported_grade": ev.score.grade_reported},
            indicator_scores=dict(ev.inputs.reported), leaf_inputs=dict(ev.inputs.leaves),
            short_name=dept.zh.removeprefix("县"), category=COUNTY_CATEGORIES[dept.type], department_en=dept.en,
            source_file=county.source, brought=ev.inputs.brought))
    return records


def store_county(store, county: synthetic_county.County) -> int:
    """Store the synthetic county on its framework; returns how many evaluations were written."""
    fw = shipped_frameworks()[county.framework][0]
    records = county_records(county)
    with store.transaction() as cur:
        insert_evaluations(cur, fw, records)
        cur.executemany("INSERT INTO meta VALUES (?, ?)", [
            ["synthetic_county", county.zh], ["synthetic_county_seed", str(county.seed)],
            ["synthetic_county_source", county.source]])
    return len(records)
