"""Versions as row changes: any stored field is a change, restores are exact, databases with the
whole-file snapshots of earlier releases are converted, damaged snapshots are named, and the app
keeps no superseded file open."""
import gc
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analytics import versions
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_frames, write_workbook
from analytics.ingest.report_import import import_report
from analytics.ingest.report_parser import parse_report
from analytics.records import FIGURE_FIELDS, delete_evaluation, next_id
from analytics.store import MIGRATIONS, Store, StoreError, open_store
from test_versions import variant

ROOT = Path(__file__).resolve().parent.parent
DATA_TABLES = ("departments", "evaluations", "node_inputs", "node_reported", "rules", "year_params", "frameworks",
               "meta")
DEPARTMENT = "北京市中医管理局"


def contents(path: Path) -> dict:
    """Every data table's rows, in a fixed order, with their exact values."""
    store = Store(path, read_only=True)
    try:
        return {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in DATA_TABLES}
    finally:
        store.close()


def frames_2022(db: Path) -> dict:
    """The 2022 evaluations of every framework, as the export workbook holds them."""
    store = Store(db, read_only=True)
    try:
        return export_frames(store, 2022)
    finally:
        store.close()


def import_frames(db: Path, frames: dict):
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    result = import_files(db, [("edited.xlsx", buffer.getvalue())])
    assert result.accepted, result.issues
    return result


def import_report_version(db, path):
    with versions.new_version(db, versions.Change("import", f"report {path.name}")) as draft:
        import_report(draft.store, path, create_departments=True, allow_similar_names=True)
    return draft.version_id


def changes_of(db: Path, version_id: int) -> list[dict]:
    store = Store(db, read_only=True)
    try:
        return versions.version_changes(store, version_id).to_dict("records")
    finally:
        store.close()


def _short_name(f):
    f["departments"].loc[f["departments"]["department"] == DEPARTMENT, "short_name"] = "中医局（改）"


def _category(f):
    other = f["departments"].loc[f["departments"]["department"] != DEPARTMENT, "category"].iloc[0]
    f["departments"].loc[f["departments"]["department"] == DEPARTMENT, "category"] = other


def _budget_part(f):
    rows = f["evaluations"]["department"] == DEPARTMENT
    f["evaluations"].loc[rows, "budget_basic"] += 10
    f["evaluations"].loc[rows, "budget_project"] -= 10


def _reported_rate(f):
    rows = f["evaluations"]["department"] == DEPARTMENT
    e = f["evaluations"].loc[rows].iloc[0]
    f["evaluations"].loc[rows, "execution_rate"] = int(e["spent_total"] / e["budget_total"] * 10000) / 100


def _source_file(f):
    f["evaluations"].loc[f["evaluations"]["department"] == DEPARTMENT, "source_file"] = "edited-by-hand.xlsx"


@pytest.mark.parametrize("edit, year, detail", [
    (_short_name, None, ["short_name"]),
    (_category, None, ["category"]),
    (_budget_part, 2022, ["budget_basic", "budget_project"]),
    (_reported_rate, 2022, ["reported_execution_rate"]),
    (_source_file, 2022, ["source_file"]),
], ids=["short_name", "category", "budget_part", "reported_rate", "source_file"])
def test_a_template_import_changing_any_stored_field_is_a_new_version(demo_db, edit, year, detail):
    frames = frames_2022(demo_db)
    edit(frames)
    result = import_frames(demo_db, frames)
    assert result.version_id is not None
    lines = changes_of(demo_db, result.version_id)
    assert [(l["department"], l["year"], l["change"], l["detail"]) for l in lines] == [
        (DEPARTMENT, year, "changed", detail)]


def test_an_import_that_changes_nothing_says_why_and_records_no_version(demo_db):
    frames = frames_2022(demo_db)
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    result = import_frames(demo_db, frames)
    assert result.version_id is None
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before
    workbook = demo_db.parent / "same.xlsx"
    write_workbook(frames, workbook)
    cli = subprocess.run([sys.executable, "-m", "analytics", "import", str(workbook)], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "ANALYTICS_DB": str(demo_db)}, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert "version None" not in cli.stdout
    assert f"nothing changed: the {len(frames['evaluations'])} evaluations" in cli.stdout


@pytest.mark.parametrize("name", ["live.duckdb", "history.duckdb", "snapshot_1.duckdb"])
def test_any_file_name_works(demo_db, seed_report, tmp_path, name):
    db = tmp_path / name
    demo_db.rename(db)
    assert import_report_version(db, variant(tmp_path, seed_report, "北京市甲局")) is not None


def test_restore_is_exact_after_several_writes(demo_db, seed_report, tmp_path):
    first = int(versions.list_versions(Store(demo_db, read_only=True))["id"].max())
    at_first = contents(demo_db)
    second = import_report_version(demo_db, variant(tmp_path, seed_report, "北京市甲局"))
    at_second = contents(demo_db)
    import_report_version(demo_db, variant(tmp_path, seed_report, "北京市乙局"))
    frames = frames_2022(demo_db)
    _short_name(frames)
    _budget_part(frames)
    frames["parameters"]["value"] += 1.5
    import_frames(demo_db, frames)
    with versions.new_version(demo_db, versions.Change("delete", "two evaluations")) as draft:
        with draft.store.transaction() as cur:
            delete_evaluation(cur, "北京市", "北京市商务局", 2022)
            delete_evaluation(cur, "北京市", "北京市甲局", 2022)
    assert contents(demo_db) != at_second

    restored = versions.restore(demo_db, second)
    assert contents(demo_db) == at_second
    versions.restore(demo_db, first)
    assert contents(demo_db) == at_first
    versions.restore(demo_db, restored)            # a restore is a version like any other
    assert contents(demo_db) == at_second
    with pytest.raises(StoreError, match="already the current data"):
        versions.restore(demo_db, versions.list_versions(Store(demo_db, read_only=True))["id"].max())


def test_version_storage_grows_with_what_changed_not_with_the_file(demo_db, seed_report, tmp_path):
    def storage():
        folder = versions.snapshot_dir(demo_db)
        return demo_db.stat().st_size + sum(f.stat().st_size for f in folder.glob("*")) if folder.exists() else \
            demo_db.stat().st_size
    import_report_version(demo_db, variant(tmp_path, seed_report, "北京市甲局"))
    before = storage()
    names = ("北京市乙局", "北京市丙局", "北京市丁局", "北京市戊局", "北京市己局", "北京市庚局")
    for name in names:
        import_report_version(demo_db, variant(tmp_path, seed_report, name))
    assert storage() - before < before / 5          # a whole copy per version would be 6 × the file
    store = Store(demo_db, read_only=True)
    added = store.scalar("SELECT count(*) FROM history.node_inputs WHERE op = 'added'")
    printed = store.scalar("SELECT count(*) FROM history.node_reported WHERE op = 'added'")
    store.close()
    assert (added, printed) == ((1 + len(names)) * 16, (1 + len(names)) * 3)   # 16 indicators, 3 level-1 scores


# -- databases written by earlier releases: a whole-file snapshot per version ------------------------

def _legacy_version(db: Path, version_id: int, kind: str, write, snapshot: bool = True) -> dict:
    """One write as earlier releases made it: schema 2, a data_versions row, then a file snapshot.
    Returns the data this state holds once migrated to the current schema (read from a migrated copy)."""
    store = Store(db, migrations=MIGRATIONS[:2])
    write(store)
    with store.transaction() as cur:
        cur.execute("INSERT INTO data_versions (id, kind, note, files, rows_added, rows_changed, rows_removed, "
                    "changes) VALUES (?, ?, '', '[]', 1, 0, 0, '[]')", [version_id, kind])
        cur.execute("INSERT INTO audit_log (id, action, version_id) VALUES (?, ?, ?)", [version_id, kind, version_id])
    store.checkpoint()
    store.close()
    if snapshot:
        folder = versions.snapshot_dir(db)
        folder.mkdir(exist_ok=True)
        shutil.copyfile(db, folder / f"{version_id}.duckdb")
    migrated = db.parent / "migrated" / f"{version_id}.duckdb"
    migrated.parent.mkdir(exist_ok=True)
    shutil.copyfile(db, migrated)
    open_store(migrated, read_only=True).close()
    return contents(migrated)


def _schema2_report(store: Store, path: Path) -> None:
    """Store a report as releases of schema 2 did: level-1 scores as columns of evaluations, one
    indicator_results row per indicator, the framework in its first format."""
    from analytics.framework import default_framework
    fw = default_framework()
    parsed = parse_report(path, fw)
    with store.transaction() as cur:
        cur.execute("INSERT OR IGNORE INTO frameworks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [fw.id, fw.name["zh"], fw.name.get("en"), fw.region, fw.source, fw.sha256,
                     json.dumps(fw.grade_bands, ensure_ascii=False), json.dumps(fw.raw, ensure_ascii=False)])
        department = next_id(cur, "departments")     # as that release stored a department (no English name)
        cur.execute("INSERT INTO departments (id, region, name, is_synthetic) VALUES (?, ?, ?, false)",
                    [department, fw.region, parsed["department"]])
        values = {"id": next_id(cur, "evaluations"), "department_id": department,
                  "year": parsed["year"], "framework_id": fw.id, "source_kind": "import",
                  "source_file": parsed["source_file"], "source_sha256": parsed["source_sha256"],
                  **{f: parsed.get(f) for f in FIGURE_FIELDS}, "reported_score_total": parsed["score_total"],
                  "reported_grade": parsed["grade"],
                  **{f"reported_score_{l1['code']}": parsed[f"score_{l1['code']}"] for l1 in fw.level1}}
        cur.execute(f"INSERT INTO evaluations ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    list(values.values()))
        cur.executemany("INSERT INTO indicator_results (evaluation_id, indicator_code, reported_score, score_inferred) "
                        "VALUES (?, ?, ?, ?)", [(values["id"], row["code"], row["score"], bool(row.get("inferred")))
                                                for row in parsed["indicators"]])


@pytest.fixture
def legacy_db(tmp_path, seed_report):
    """Versions 1-4 of an earlier release: 3's snapshot truncated, 4 killed before its snapshot."""
    db = tmp_path / "legacy.duckdb"
    reports = [variant(tmp_path, seed_report, n) for n in ("北京市甲局", "北京市乙局", "北京市丙局")]

    def delete(store):
        with store.transaction() as cur:
            [(gone,)] = cur.execute("SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id "
                                    "WHERE d.name = '北京市甲局'").fetchall()
            cur.execute("DELETE FROM indicator_results WHERE evaluation_id = ?", [gone])
            cur.execute("DELETE FROM evaluations WHERE id = ?", [gone])
    states = {1: _legacy_version(db, 1, "init", lambda store: _schema2_report(store, reports[0])),
              2: _legacy_version(db, 2, "import", lambda store: _schema2_report(store, reports[1])),
              3: _legacy_version(db, 3, "import", lambda store: _schema2_report(store, reports[2])),
              4: _legacy_version(db, 4, "delete", delete, snapshot=False)}
    damaged = versions.snapshot_dir(db) / "3.duckdb"
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 3])
    return db, states


def test_a_database_with_snapshots_is_converted_and_only_restorable_versions_say_so(legacy_db):
    db, states = legacy_db
    store = open_store(db, read_only=True)          # the app's first open upgrades it
    listed = versions.list_versions(store).set_index("id")["unrestorable"].to_dict()
    store.close()
    assert pd.isna(listed[4]) and pd.isna(listed[2]) and pd.isna(listed[1])      # 4 is the live file, killed before its snapshot
    assert listed[3].startswith("its snapshot is damaged")
    assert contents(db) == states[4]
    assert not versions.snapshot_dir(db).exists()
    versions.restore(db, 2)
    assert contents(db) == states[2]
    versions.restore(db, 1)
    assert contents(db) == states[1]


def test_restore_of_a_damaged_snapshot_says_so_in_one_line(legacy_db):
    db, _ = legacy_db
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    cli = subprocess.run([sys.executable, "-m", "analytics", "restore", "3"], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "ANALYTICS_DB": str(db)}, timeout=120)
    assert cli.returncode == 2
    assert cli.stderr.strip().startswith("error: version 3 cannot be restored: its snapshot is damaged")
    assert len(cli.stderr.strip().splitlines()) == 1 and "Traceback" not in cli.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_version_and_its_changes_are_committed_together(demo_db, seed_report, tmp_path, monkeypatch):
    """A writer that dies right after recording the version leaves no version without its changes."""
    from analytics import row_changes

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed while storing the changes")
    monkeypatch.setattr(row_changes, "record", crash)
    listed_before = versions.list_versions(Store(demo_db, read_only=True))["id"].tolist()
    with pytest.raises(KeyboardInterrupt):
        import_report_version(demo_db, variant(tmp_path, seed_report, "北京市丁局"))
    monkeypatch.undo()
    assert versions.list_versions(Store(demo_db, read_only=True))["id"].tolist() == listed_before


# -- the app's read-only connection ----------------------------------------------------------------

def _open_deleted(path: Path) -> list[str]:
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(path)) and target.endswith("(deleted)"):
            found.append(target)
    return found


def test_the_app_closes_connections_to_superseded_files(demo_db, seed_report, tmp_path, monkeypatch):
    from pages import common
    monkeypatch.setenv("ANALYTICS_DB", str(demo_db))
    common._store.clear()
    for name in ("北京市甲局", "北京市乙局", "北京市丙局"):
        assert common.store().scalar("SELECT count(*) FROM evaluations")
        import_report_version(demo_db, variant(tmp_path, seed_report, name))
    assert common.store().scalar("SELECT count(*) FROM departments WHERE name = '北京市丙局'") == 1
    gc.collect()
    assert _open_deleted(demo_db) == []
    common._store.clear()


def test_what_a_version_changed_is_put_into_the_readers_language():
    from analytics.ingest.messages import change_detail_text
    codes = ["short_name", "budget_basic", "reported_score_total", "node_inputs", "municipal_avg_diff_rate"]
    assert change_detail_text(codes, "zh") == ["简称", "全年预算数-基本支出", "总分", "指标得分及计分输入", "市级平均差异率"]
    assert change_detail_text(codes, "en")[2:] == ["total score", "indicator scores and inputs",
                                                   "the municipal average difference rate"]
    # versions recorded before schema 4 name the tables and columns of their time
    old = ["indicator_results", "reported_score_budget_execution"]
    assert change_detail_text(old, "zh") == ["指标得分", "当年预算执行情况得分"]
