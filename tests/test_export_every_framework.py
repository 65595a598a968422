"""Exports hold every framework's evaluations (the national layout's department-written indicators with their
targets, actual values, units and 偏差原因 included), from the command line, as Parquet and on the data page;
an import never deletes what it does not mention."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analytics.domain.synthetic_county import COUNTY_ZH
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_frames, export_parquet, write_workbook
from analytics.ingest.messages import issue_table
from analytics.ingest.template import EVALUATIONS, INDICATORS
from analytics.store import Store

ROOT = Path(__file__).resolve().parent.parent
# The stored inputs of the indicators evaluations brought to open groups, straight from the store.
BROUGHT_SQL = """SELECT d.region, d.name AS department, e.year, n.node AS indicator_code, n.zh AS indicator_name,
                        n.target_text, n.actual_text, n.unit, n.deviation_reason
                 FROM node_inputs n JOIN evaluations e ON e.id = n.evaluation_id
                 JOIN departments d ON d.id = e.department_id WHERE n.zh IS NOT NULL ORDER BY ALL"""


def cli_export(db, out, *args) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "analytics", "export", str(out), *args], capture_output=True,
                            text=True, cwd=ROOT, env={**os.environ, "ANALYTICS_DB": str(db)}, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def test_the_excel_and_parquet_exports_hold_every_framework(demo_db_master, tmp_path):
    store = Store(demo_db_master, read_only=True)
    evaluations = store.scalar("SELECT count(*) FROM evaluations")
    frameworks = set(store.df("SELECT DISTINCT framework_id FROM evaluations")["framework_id"])
    brought = store.df(BROUGHT_SQL)
    parquet = export_parquet(store, tmp_path / "parquet")
    store.close()
    assert len(frameworks) == 2 and len(brought) > 0

    result = cli_export(demo_db_master, tmp_path / "all.xlsx")
    assert result.stdout.splitlines() == [str(tmp_path / "all.xlsx")]      # nothing left out to name
    book = load_workbook(tmp_path / "all.xlsx", read_only=True)
    rows = list(book[EVALUATIONS.name].iter_rows(values_only=True))
    header = rows[0]
    listed = [dict(zip(header, row)) for row in rows[1:]]
    assert len(listed) == evaluations
    assert {r[EVALUATIONS.column("framework_id").header] for r in listed} == frameworks
    assert COUNTY_ZH in {r[EVALUATIONS.column("region").header] for r in listed}

    indicators = pd.read_parquet(next(p for p in parquet if p.stem == "indicator_scores"))
    shown = indicators.dropna(subset=["rule_kind"])[list(brought.columns)].sort_values(list(brought.columns[:4]))
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), brought, check_dtype=False)
    assert set(INDICATORS.columns[i].key for i in range(len(INDICATORS.columns))) == set(indicators.columns)


def test_importing_a_workbook_keeps_the_evaluations_it_does_not_mention(demo_db):
    store = Store(demo_db, read_only=True)
    frames = export_frames(store, 2022)
    query = """SELECT e.*, n.* EXCLUDE (evaluation_id) FROM evaluations e JOIN node_inputs n ON n.evaluation_id = e.id
               WHERE e.year <> 2022 ORDER BY ALL"""
    before = store.df(query)
    store.close()
    first = frames["evaluations"].index[0]
    frames["evaluations"].loc[first, "source_file"] = "edited.xlsx"
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    result = import_files(demo_db, [("edited.xlsx", buffer.getvalue())])
    assert result.accepted and result.version_id is not None, issue_table(result.issues, "en")
    store = Store(demo_db, read_only=True)
    after = store.df(query)
    store.close()
    assert len(before) > 0
    pd.testing.assert_frame_equal(before, after)
