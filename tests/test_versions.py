"""Data versions: copy-write-swap, snapshots, restore, the append-only log, and killed writers."""
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import compare, versions
from analytics.ingest.report_import import import_report
from analytics.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def variant(tmp_path, seed_report, name):
    path = tmp_path / f"{name}.txt"
    path.write_text(seed_report.read_text(encoding="utf-8").replace("北京市商务局", name), encoding="utf-8")
    return path


def import_as_version(db, path):
    with versions.new_version(db, versions.Change("import", f"report {path.name}")) as draft:
        import_report(draft.store, path, create_departments=True)
    return draft.version_id


def test_each_write_is_a_version_with_what_it_changed(demo_db, seed_report, tmp_path):
    version = import_as_version(demo_db, variant(tmp_path, seed_report, "北京市甲局"))
    store = Store(demo_db, read_only=True)
    listed = versions.list_versions(store)
    assert listed["id"].tolist()[:2] == [version, version - 1]
    assert listed.iloc[0]["rows_added"] == 1 and listed.iloc[0]["kind"] == "import"
    changes = versions.version_changes(store, version)
    assert changes.to_dict("records") == [{"region": "北京市", "department": "北京市甲局", "year": 2022,
                                           "change": "added", "detail": []}]
    assert versions.audit_log(store)["action"].tolist()[:1] == ["import"]
    store.close()


def test_a_write_that_changes_nothing_records_no_version(demo_db, seed_report):
    before = digest(demo_db)
    assert import_as_version(demo_db, seed_report) is None       # the seed is already there
    assert digest(demo_db) == before


def test_a_failing_write_leaves_the_live_file_untouched(demo_db, seed_report, tmp_path):
    before = digest(demo_db)
    with pytest.raises(RuntimeError):
        with versions.new_version(demo_db, versions.Change("import")) as draft:
            import_report(draft.store, variant(tmp_path, seed_report, "北京市乙局"), create_departments=True)
            raise RuntimeError("interrupted")
    assert digest(demo_db) == before
    assert not list(demo_db.parent.glob("*.tmp*"))


def test_restore_an_earlier_version_keeps_the_log(demo_db, seed_report, tmp_path):
    first = import_as_version(demo_db, variant(tmp_path, seed_report, "北京市丙局"))
    second = import_as_version(demo_db, variant(tmp_path, seed_report, "北京市丁试点中心"))
    restored = versions.restore(demo_db, first, "back to the first import")
    store = Store(demo_db, read_only=True)
    names = {r[0] for r in store.rows("SELECT name FROM departments d JOIN evaluations e ON e.department_id = d.id")}
    assert "北京市丙局" in names and "北京市丁试点中心" not in names
    listed = versions.list_versions(store)
    assert listed["id"].tolist()[:3] == [restored, second, first]
    assert listed.iloc[0]["kind"] == "restore" and listed.iloc[0]["rows_removed"] == 1
    log = versions.audit_log(store)["action"].tolist()
    assert log[:3] == ["restore", "import", "import"]
    store.close()
    with pytest.raises(StoreError, match="no data version 999"):
        versions.restore(demo_db, 999)


KILLED_WRITER = """
import sys, time
from pathlib import Path
from analytics import versions
from analytics.ingest.report_import import import_report
db, report = Path(sys.argv[1]), Path(sys.argv[2])
with versions.new_version(db, versions.Change("import")) as draft:
    import_report(draft.store, report, create_departments=True)
    print("written", flush=True)
    time.sleep(60)          # killed here, before the swap
"""


def test_a_writer_killed_half_way_leaves_the_database_as_it_was(demo_db, seed_report, tmp_path):
    before = digest(demo_db)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(demo_db),
                             str(variant(tmp_path, seed_report, "北京市戊局"))],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "written"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert digest(demo_db) == before
    # the next writer takes the lock the dead one held, clears its copy and works normally
    assert import_as_version(demo_db, variant(tmp_path, seed_report, "北京市己局")) is not None
    assert not list(demo_db.parent.glob("*.tmp*"))


def test_readers_keep_working_while_a_writer_swaps_the_file(demo_db, seed_report, tmp_path):
    reader = Store(demo_db, read_only=True)          # as the dashboard holds it
    count = reader.scalar("SELECT count(*) FROM evaluations")
    import_as_version(demo_db, variant(tmp_path, seed_report, "北京市庚局"))
    assert reader.scalar("SELECT count(*) FROM evaluations") == count      # the old file, still readable
    fresh = Store(demo_db, read_only=True)
    assert fresh.scalar("SELECT count(*) FROM evaluations") == count + 1
    assert compare.find_evaluation(fresh, "北京市庚局", 2022)
    reader.close()
    fresh.close()
