"""Migration 5 (departments.name_en) on a schema-4 database with data versions: nothing of the versions is
lost, a version recorded before the column existed still restores, and a later write records the column."""
import pytest

from analytics import versions
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.store import Store, open_store
from older_release import release_before


def _import(path, folder, name: str) -> int:
    report = folder / f"{name}.txt"
    report.write_text(SEED_REPORT.read_text(encoding="utf-8").replace("北京市商务局", name), encoding="utf-8")
    with versions.new_version(path, versions.Change("import", name)) as draft:
        import_report(draft.store, report, create_departments=True, allow_similar_names=True)
    return draft.version_id


def _add_department(path, name: str) -> int:
    """A version adding one department, written as the release before migration 5 wrote departments."""
    with versions.new_version(path, versions.Change("import", name)) as draft:
        with draft.store.transaction() as cur:
            cur.execute("INSERT INTO departments (id, region, name, short_name, category, is_synthetic) "
                        "SELECT coalesce(max(id), 0) + 1, '北京市', ?, NULL, '综合管理', false FROM departments",
                        [name])
    return draft.version_id


@pytest.fixture
def schema4(tmp_path, monkeypatch):
    """A database written by the release before migration 5: two versions, each adding a department."""
    path = tmp_path / "schema4.duckdb"
    with release_before(monkeypatch, 5):
        first = _add_department(path, "北京市测试甲局")
        second = _add_department(path, "北京市测试乙局")
    probe = Store(path, read_only=True)
    assert probe.schema_version() == 4
    assert "name_en" not in {c for (c,) in probe.rows(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'departments'")}
    probe.close()
    return path, first, second


def _departments(path) -> list[tuple]:
    store = Store(path, read_only=True)
    try:
        return store.rows("SELECT name, name_en FROM departments ORDER BY name")
    finally:
        store.close()


def test_a_version_from_before_the_column_restores(schema4):
    path, first, second = schema4
    open_store(path, read_only=True).close()                 # the app's first open upgrades the file
    assert _departments(path) == [("北京市测试乙局", None), ("北京市测试甲局", None)]
    assert versions.restore(path, first) is not None
    assert _departments(path) == [("北京市测试甲局", None)]
    store = Store(path, read_only=True)
    assert store.scalar("SELECT count(*) FROM data_versions WHERE unrestorable IS NOT NULL") == 0
    store.close()


def test_an_english_name_set_after_the_migration_is_a_change_that_restores(schema4):
    path, first, second = schema4
    open_store(path, read_only=True).close()
    with versions.new_version(path, versions.Change("import", "English names")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("UPDATE departments SET name_en = 'Test Bureau B' WHERE name = '北京市测试乙局'")
    assert draft.version_id is not None and not draft.unchanged
    assert ("北京市测试乙局", "Test Bureau B") in _departments(path)
    versions.restore(path, second)
    assert _departments(path) == [("北京市测试乙局", None), ("北京市测试甲局", None)]


def test_the_first_write_on_a_file_not_yet_upgraded_records_every_change(schema4, tmp_path):
    """A command-line import straight onto the older file: the department it adds is part of its version (so
    restoring the version before removes it), and the English name it sets is kept."""
    path, first, second = schema4
    third = _import(path, tmp_path, "北京市测试丙局")
    with versions.new_version(path, versions.Change("import", "English names")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("UPDATE departments SET name_en = 'Test Bureau C' WHERE name = '北京市测试丙局'")
    assert ("北京市测试丙局", "Test Bureau C") in _departments(path)
    versions.restore(path, second)
    assert _departments(path) == [("北京市测试乙局", None), ("北京市测试甲局", None)]
    assert third > second
