"""The export workbook holds the frameworks the import template lays out (Beijing's so far) and says
which evaluations it left out (framework, count, regions; the Parquet export holds them) in the command
line, the workbook's notes and on the data page, zh and en; an import never deletes what it does not mention."""
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analytics.domain.synthetic_county import COUNTY_ZH
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_parquet, workbook_export, write_workbook
from analytics.ingest.messages import issue_table
from analytics.ingest.template import EVALUATIONS, template_frameworks
from analytics.store import Store
from apptest import open_app

ROOT = Path(__file__).resolve().parent.parent
# The evaluations of frameworks the template has no layout for, per framework, straight from the store.
FOREIGN_SQL = """SELECT e.framework_id, f.name_zh, f.name_en, count(*) AS n, list(DISTINCT d.region) AS regions
                 FROM evaluations e JOIN frameworks f ON f.id = e.framework_id
                 JOIN departments d ON d.id = e.department_id
                 WHERE NOT list_contains(?, e.framework_id) GROUP BY ALL ORDER BY 1"""


def foreign(db) -> pd.DataFrame:
    store = Store(db, read_only=True)
    try:
        return store.df(FOREIGN_SQL, [sorted(template_frameworks())])
    finally:
        store.close()


def cli_export(db, out, *args) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "analytics", "export", str(out), *args], capture_output=True,
                            text=True, cwd=ROOT, env={**os.environ, "ANALYTICS_DB": str(db)}, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def test_an_export_of_a_database_holding_the_county_names_what_it_left_out(demo_db_master, tmp_path):
    left = foreign(demo_db_master)
    assert len(left) == 1 and left["n"].iloc[0] > 0 and COUNTY_ZH in left["regions"].iloc[0], left
    framework, name_zh, name_en, count = left.iloc[0][["framework_id", "name_zh", "name_en", "n"]]

    store = Store(demo_db_master, read_only=True)
    export = workbook_export(store)
    held_count = store.scalar("SELECT count(*) FROM evaluations") - count
    parquet = export_parquet(store, tmp_path / "parquet")
    store.close()
    assert [(i.framework_id, i.evaluations, i.regions) for i in export.left_out] == \
        [(framework, count, tuple(left["regions"].iloc[0]))]
    assert len(export.frames["evaluations"]) == held_count and set(export.frames["evaluations"]["framework_id"]) \
        <= set(template_frameworks())
    # what the message promises: the Parquet export holds them, with their indicator scores
    evaluations = pd.read_parquet(next(p for p in parquet if p.stem == "evaluations"))
    assert (evaluations["framework_id"] == framework).sum() == count

    zh = cli_export(demo_db_master, tmp_path / "zh.xlsx")
    en = cli_export(demo_db_master, tmp_path / "en.xlsx", "--lang", "en")
    # the framework by its name (zh), and by name and code (en: a code is no English word to hide)
    for result, names, words in ((zh, [name_zh], f"{count} 条评价"),
                                 (en, [name_en, framework], f"leaves out {count} evaluations")):
        lines = result.stdout.splitlines()
        assert len(lines) == 2 and lines[0].endswith(".xlsx"), result.stdout
        assert all(n in lines[1] for n in names) and words in lines[1] and "Parquet" in lines[1], lines[1]
    book = load_workbook(tmp_path / "zh.xlsx")
    assert any(name_zh in str(c.value) and str(count) in str(c.value) for c in book["说明"]["A"])
    regions = {c.value for c in book[EVALUATIONS.name]["A"][1:]}
    assert not regions & set(left["regions"].iloc[0]), regions
    assert any(name_en in str(c.value) for c in load_workbook(tmp_path / "en.xlsx")["Notes"]["A"])

    # a scope holding none of them says nothing
    beijing = cli_export(demo_db_master, tmp_path / "beijing.xlsx", "--region", "北京市")
    assert beijing.stdout.splitlines() == [str(tmp_path / "beijing.xlsx")]


def test_the_workbook_writer_refuses_evaluations_it_has_no_layout_for(demo_db_master):
    from analytics.ingest.export import NotInTemplate, export_frames
    store = Store(demo_db_master, read_only=True)
    frames = export_frames(store, 2022)
    store.close()
    try:
        write_workbook(frames, io.BytesIO())
    except NotInTemplate as error:
        assert error.frameworks == list(foreign(demo_db_master)["framework_id"])
    else:
        raise AssertionError("a national-framework evaluation was written into Beijing's layout")


def test_importing_a_workbook_keeps_the_evaluations_it_does_not_mention(demo_db):
    store = Store(demo_db, read_only=True)
    frames = workbook_export(store, 2022).frames
    query = """SELECT e.*, n.* EXCLUDE (evaluation_id) FROM evaluations e JOIN node_inputs n ON n.evaluation_id = e.id
               WHERE e.year <> 2022 OR NOT list_contains(?, e.framework_id) ORDER BY ALL"""
    held = [sorted(template_frameworks())]
    before = store.df(query, held)
    store.close()
    first = frames["evaluations"].index[0]
    frames["evaluations"].loc[first, "source_file"] = "edited.xlsx"
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    result = import_files(demo_db, [("edited.xlsx", buffer.getvalue())])
    assert result.accepted and result.version_id is not None, issue_table(result.issues, "en")
    store = Store(demo_db, read_only=True)
    after = store.df(query, held)
    store.close()
    assert len(before) > 0
    pd.testing.assert_frame_equal(before, after)


def test_the_data_page_says_what_the_excel_export_leaves_out(demo_db, monkeypatch):
    left = foreign(demo_db).iloc[0]
    monkeypatch.delenv("ANALYTICS_ADMIN_PASSWORD", raising=False)
    at = open_app(monkeypatch, demo_db, "data")
    warnings = [w.value for w in at.warning if left["name_zh"] in w.value]
    assert len(warnings) == 1 and f"{left['n']} 条评价" in warnings[0] and "Parquet" in warnings[0], warnings
    at.button(key="prepare_export_xlsx").click().run()
    assert not at.exception
    prepared = at.session_state["prepared_export_xlsx"][1]
    notes = load_workbook(io.BytesIO(prepared))["说明"]["A"]
    assert any(left["name_zh"] in str(c.value) for c in notes)
    years = sorted(at.selectbox(key="export_year").options)
    without = next(y for y in years if y != "全部年度" and not foreign_in_year(demo_db, int(y)))
    at.selectbox(key="export_year").set_value(int(without)).run()
    assert not [w for w in at.warning if left["name_zh"] in w.value]

    at = open_app(monkeypatch, demo_db, "data", lang="en")
    assert [w.value for w in at.warning if left["name_en"] in w.value and f"leaves out {left['n']}" in w.value]


def foreign_in_year(db, year: int) -> int:
    store = Store(db, read_only=True)
    try:
        return store.scalar("SELECT count(*) FROM evaluations WHERE year = ? AND NOT list_contains(?, framework_id)",
                            [year, sorted(template_frameworks())])
    finally:
        store.close()
