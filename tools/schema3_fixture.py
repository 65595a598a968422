"""Write tests/data/schema3_release.json: a database as the previous release (35bcb54, schema 3) built and
changed it, for the migration test (tests/test_store_migration.py), which must not need that release.

Run it with the previous release's code first on the path, e.g.
    mkdir /tmp/old35 && git archive 35bcb54 | tar -x -C /tmp/old35
    PYTHONPATH=/tmp/old35:/tmp/old35/tests python tools/schema3_fixture.py tests/data/schema3_release.json

What the release did, version by version:
1. init: the seed report (real) and synthetic evaluations of four Beijing departments, 2021–2023, scored
   and settled as its demo builder did (the seed's department among them, linked to the real year);
2. import: a report of a new department, 北京市测试甲局 2022 (created);
3. import: 北京市测试甲局 2022 replaced by a report with other figures and scores, and the year's
   市级平均差异率 changed from 28.3 to 30 (the seed's scores stay 90.73 reported, 92.42 by the rules).
Dumped: every table of ``main`` and ``history`` (columns with their types, rows) of the file after
version 3 (``latest``) and after version 2 (``at_version_2``, what restoring version 2 must give back).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb

from analytics import scoring, synthetic                        # the previous release's modules
from analytics.framework import default_framework
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.records import ensure_framework
from analytics.versions import Change, new_version
from report_variants import variant_figures, variant_report      # the previous release's tests/

SEED = 20221
DEPARTMENTS = ("市发展改革委", "市教委", "市科委", "市商务局")


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def dump(path: Path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    tables = []
    for schema, name in con.execute("""SELECT schema_name, table_name FROM duckdb_tables()
                                       WHERE schema_name IN ('main', 'history') AND table_name <> 'schema_version'
                                       ORDER BY schema_name DESC, estimated_size""").fetchall():
        columns = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? "
                              "AND table_name = ? ORDER BY column_index", [schema, name]).fetchall()
        rows = con.execute(f'SELECT * FROM {schema}."{name}" ORDER BY ALL').fetchall()
        tables.append({"schema": schema, "name": name, "columns": [list(c) for c in columns],
                       "rows": [[_plain(v) for v in row] for row in rows]})
    schema_version = con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
    con.close()
    return {"schema_version": schema_version, "tables": tables}


def _report(folder: Path, name: str, **figures) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(variant_report(variant_figures(department=name, year=2022, **figures)), encoding="utf-8")
    return path


def build(folder: Path) -> dict:
    path = folder / "release.duckdb"
    fw = default_framework()
    seed_file = {"name": SEED_REPORT.name, "sha256": hashlib.sha256(SEED_REPORT.read_bytes()).hexdigest()}
    with new_version(path, Change("init", "", [seed_file]), fresh=True) as draft:
        store = draft.store
        with store.transaction() as cur:
            ensure_framework(cur, fw)
            cur.executemany("INSERT INTO meta VALUES (?, ?)", [["demo_seed", str(SEED)], ["contains_synthetic", "true"]])
        real = import_report(store, SEED_REPORT, source_kind="report", framework=fw, create_departments=True)
        depts = [d for d in synthetic.beijing_departments() if d.short_name in DEPARTMENTS]
        synthetic.generate(store, fw, depts, [2021, 2022, 2023], SEED, skip={(fw.region, real.department, real.year)})
        scoring.rescore_all(store)
        synthetic.settle_reported_scores(store, SEED)
    with new_version(path, Change("import", "report 北京市测试甲局")) as draft:
        import_report(draft.store, _report(folder, "北京市测试甲局", budget_basic=1200.5, budget_project=8800.25,
                                           spent_basic=1150.0, spent_project=7100.75, initial_budget_basic=1000.0,
                                           initial_budget_project=6000.0, carryover_rate_prev=15.5,
                                           municipal_avg_diff_rate=28.3), create_departments=True)
    at_version_2 = dump(path)
    with new_version(path, Change("import", "report 北京市测试甲局, replaced")) as draft:
        import_report(draft.store, _report(folder, "北京市测试甲局", budget_basic=1200.5, budget_project=9800.25,
                                           spent_basic=1190.0, spent_project=9500.0, initial_budget_basic=1100.0,
                                           initial_budget_project=4000.0, carryover_rate_prev=1.5,
                                           municipal_avg_diff_rate=30.0),
                      replace=True, replace_parameters=True)
    return {"about": __doc__.strip().split("\n\n")[0], "release": "35bcb54", "latest": dump(path),
            "at_version_2": at_version_2}


if __name__ == "__main__":
    folder = Path(tempfile.mkdtemp(prefix="schema3-"))
    try:
        Path(sys.argv[1]).write_text(json.dumps(build(folder), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(folder)
