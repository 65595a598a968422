"""Build the demo database: the real seed report plus seeded synthetic evaluations."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from analytics import scoring, synthetic
from analytics.framework import default_framework
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.records import ensure_framework
from analytics.store import Store

DEMO_SEED = 20221
DEMO_YEARS = list(range(2018, 2024))


def build_demo(path: Path, seed: int = DEMO_SEED, years: list[int] | None = None) -> dict:
    """Write the demo database to a temporary file and swap it in, so a half-built file never shows."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    fw = default_framework()
    store = Store(tmp)
    try:
        with store.transaction() as cur:
            ensure_framework(cur, fw)
            cur.executemany("INSERT INTO meta VALUES (?, ?)", [
                ["demo_seed", str(seed)], ["contains_synthetic", "true"],
                ["built_at", datetime.now(timezone.utc).isoformat(timespec="seconds")]])
        real = import_report(store, SEED_REPORT, source_kind="report", framework=fw)
        count = synthetic.generate(store, fw, synthetic.beijing_departments(), years or DEMO_YEARS, seed,
                                   skip={(fw.region, real.department, real.year)})
        scoring.rescore_all(store)
        synthetic.settle_reported_scores(store, seed)
        summary = {"database": str(path), "real_evaluations": 1, "synthetic_evaluations": count,
                   "departments": store.scalar("SELECT count(*) FROM departments"),
                   "years": store.scalar("SELECT list(DISTINCT year ORDER BY year) FROM evaluations")}
    finally:
        store.close()
    os.replace(tmp, path)
    return summary
