"""Evaluations on the national self-evaluation layout (each department bringing its own level-3 indicators),
written into a test database through the real write path (records.insert_evaluation in a new data version)."""
from __future__ import annotations

from pathlib import Path

from analytics import records
from analytics.domain import synthetic_county
from analytics.domain.loader import shipped_frameworks
from analytics.versions import Change, new_version

NATIONAL = "national-self-evaluation"


def county_records(years=(2022,), departments: int = 3, seed: int = 7, region: str = synthetic_county.COUNTY_ZH):
    """(framework, [EvaluationRecord]) for the first ``departments`` county departments in ``years``."""
    fw = shipped_frameworks()[NATIONAL][0]
    county = synthetic_county.generate(seed, years=years, departments=synthetic_county.DEPARTMENTS[:departments])
    names = {d.code: d.zh for d in county.departments}
    recs = [records.EvaluationRecord(
        region=region, department=names[ev.department], year=ev.year, source_kind="synthetic",
        figures=dict(ev.inputs.figures), reported={}, indicator_scores=dict(ev.inputs.reported),
        brought=ev.inputs.brought, leaf_inputs=dict(ev.inputs.leaves)) for ev in county.evaluations]
    return fw, recs


def add_county(db: Path, **options) -> list:
    """Store county evaluations as one new data version; returns their records."""
    fw, recs = county_records(**options)
    with new_version(db, Change("import", "county evaluations for a test")) as draft:
        with draft.store.transaction() as cur:
            for rec in recs:
                records.insert_evaluation(cur, fw, rec)
    return recs
