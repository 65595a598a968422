"""The store owns the schema, versions it, and only writes inside transactions."""
import duckdb
import pytest

from analytics.paths import DEFAULT_DB, database_path
from analytics.store import MIGRATIONS, Store, StoreError, open_store


def test_migrations_create_the_schema_once(tmp_path):
    path = tmp_path / "a.duckdb"
    store = Store(path)
    assert store.schema_version() == MIGRATIONS[-1][0]
    tables = {r[0] for r in store.rows("SELECT table_name FROM information_schema.tables")}
    assert {"departments", "frameworks", "year_params", "evaluations", "rules", "node_inputs", "node_reported",
            "evaluation_figures", "node_results", "evaluation_scores"} <= tables
    assert not {"indicators", "indicator_checks", "grade_bands", "indicator_results", "level1_scores"} & tables
    store.close()
    again = Store(path)       # reopening applies nothing twice
    assert again.scalar("SELECT count(*) FROM schema_version") == len(MIGRATIONS)
    again.close()


def test_a_failed_transaction_leaves_the_database_unchanged(empty_store):
    with empty_store.transaction() as cur:
        cur.execute("INSERT INTO meta VALUES ('kept', '1')")
    with pytest.raises(duckdb.Error):
        with empty_store.transaction() as cur:
            cur.execute("INSERT INTO meta VALUES ('lost', '1')")
            cur.execute("INSERT INTO meta VALUES ('kept', 'duplicate key')")
    assert empty_store.rows("SELECT key FROM meta ORDER BY key") == [("kept",)]


def test_source_kind_is_constrained(empty_store):
    with pytest.raises(duckdb.Error):
        with empty_store.transaction() as cur:
            cur.execute("INSERT INTO frameworks VALUES ('f', 'f', 'f', 'r', 's', 'x', '[]', '{}')")
            cur.execute("INSERT INTO departments (id, region, name) VALUES (1, 'r', 'd')")
            cur.execute("INSERT INTO evaluations (id, department_id, year, framework_id, source_kind) "
                        "VALUES (1, 1, 2022, 'f', 'guess')")


def test_read_only_store_refuses_writes_and_missing_files(tmp_path):
    path = tmp_path / "b.duckdb"
    Store(path).close()
    ro = open_store(path, read_only=True)
    with pytest.raises(StoreError):
        with ro.transaction():
            pass
    ro.close()
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing.duckdb", read_only=True)


def test_database_path_defaults_and_env_override(monkeypatch, tmp_path):
    monkeypatch.delenv("ANALYTICS_DB", raising=False)
    assert database_path() == DEFAULT_DB
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "x.duckdb"))
    assert database_path() == tmp_path / "x.duckdb"


def test_a_database_from_an_older_release_is_upgraded_on_a_read_only_open(tmp_path):
    from analytics.store import LATEST_SCHEMA
    path = tmp_path / "old.duckdb"
    Store(path, migrations=MIGRATIONS[:1]).close()          # as the first release left it
    store = open_store(path, read_only=True)
    assert store.schema_version() == LATEST_SCHEMA
    assert store.scalar("SELECT count(*) FROM data_versions") == 0
    store.close()
