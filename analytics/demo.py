"""Build the demo database: the real seed report plus seeded synthetic evaluations."""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

from analytics import synthetic
from analytics.framework import default_framework
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.records import ensure_framework
from analytics.versions import Change, new_version

DEMO_SEED = 20221
DEMO_YEARS = list(range(2018, 2024))


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
        summary = {"database": str(path), "real_evaluations": 1, "synthetic_evaluations": count,
                   "departments": store.scalar("SELECT count(*) FROM departments"),
                   "years": store.scalar("SELECT list(DISTINCT year ORDER BY year) FROM evaluations")}
    return summary
