"""A database of the previous release (schema 3, with its data versions) opened by this one: nothing lost,
the seed's numbers unchanged, and an older data version still restores to what it held."""
import hashlib
import json
import shutil

import duckdb
import pandas as pd
import pytest

from analytics import versions
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.node_store_migration import LEVEL1_COLUMNS
from analytics.store import LATEST_SCHEMA, open_store
from schema3_release import build, dumped, plain, without_schema3       # tests/ is on sys.path

DATA_TABLES = ("departments", "frameworks", "rules", "year_params", "evaluations", "node_inputs", "node_reported",
               "meta")


def _rows(path, sql: str, params=None) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


@pytest.fixture
def release(tmp_path):
    return build(tmp_path / "release.duckdb")


@pytest.fixture
def upgraded(release):
    store = open_store(release, read_only=True)         # upgrades an older file first, as the app does
    assert store.schema_version() == LATEST_SCHEMA
    store.close()
    return release


def test_the_fixture_is_the_release_database_row_for_row(release):
    con = duckdb.connect(str(release), read_only=True)
    for (schema, table), frame in dumped().items():
        stored = con.execute(f'SELECT * FROM {schema}."{table}" ORDER BY ALL').fetchall()
        assert [[plain(v) for v in row] for row in stored] == frame.values.tolist(), table
    con.close()


def test_every_evaluation_and_year_parameter_is_kept(upgraded):
    old = dumped()[("main", "evaluations")].drop(columns=list(LEVEL1_COLUMNS) + ["loaded_at"])
    new = _rows(upgraded, f"SELECT {', '.join(old.columns)} FROM evaluations ORDER BY id")
    assert new.astype(object).where(new.notna(), None).values.tolist() == old.sort_values("id").values.tolist()
    for table in ("year_params", "departments", "data_versions"):
        assert len(_rows(upgraded, f"SELECT * FROM {table}")) == len(dumped()[("main", table)]), table
    params = _rows(upgraded, "SELECT region, year, key, value, source, is_synthetic FROM year_params ORDER BY ALL")
    assert params.values.tolist() == dumped()[("main", "year_params")].sort_values(
        ["region", "year", "key"]).values.tolist()
    assert _rows(upgraded, "SELECT count(*) AS n FROM data_versions WHERE unrestorable IS NOT NULL")["n"][0] == 0


def test_every_leaf_keeps_its_reported_score_and_inputs_and_scores_as_before(upgraded):
    old = dumped()[("main", "indicator_results")]
    new = _rows(upgraded, """SELECT i.evaluation_id, i.node, i.reported, i.failed, i.given, i.inferred, n.rule, n.rate
                             FROM node_inputs i JOIN node_results n
                               ON n.evaluation_id = i.evaluation_id AND n.code = i.node""")
    assert len(new) == len(old)
    merged = old.merge(new, left_on=["evaluation_id", "indicator_code"], right_on=["evaluation_id", "node"])
    assert len(merged) == len(old)
    for column, before in (("reported", "reported_score"), ("failed", "failed_count"), ("given", "given_score"),
                           ("inferred", "score_inferred"), ("rule", "rule_score"), ("rate", "rule_rate")):
        pairs = [(a, b) for a, b in zip(merged[column], merged[before]) if not (pd.isna(a) and pd.isna(b))]
        assert all(a == b for a, b in pairs), (column, [p for p in pairs if p[0] != p[1]][:5])
    # which checks failed was never recorded by the release (only how many): nothing to carry over
    assert old["failed_checks"].isna().all()


def test_printed_level1_scores_move_to_node_reported(upgraded):
    old = dumped()[("main", "evaluations")]
    expected = sorted((row["id"], node, row[column]) for _, row in old.iterrows()
                      for column, node in LEVEL1_COLUMNS.items() if row[column] is not None)
    stored = _rows(upgraded, "SELECT evaluation_id, node, reported FROM node_reported ORDER BY ALL")
    assert [tuple(r) for r in stored.values.tolist()] == expected and len(expected) == 3 * len(old)
    totals = _rows(upgraded, "SELECT evaluation_id, reported_total FROM evaluation_scores ORDER BY 1")
    assert totals["reported_total"].tolist() == old.sort_values("id")["reported_score_total"].tolist()


def test_the_seed_keeps_90_73_and_92_42(upgraded):
    seed = _rows(upgraded, """SELECT s.* FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id
                              WHERE e.source_kind = 'report'""").iloc[0]
    assert (seed["reported_total"], seed["reported_grade"], seed["rule_total"], seed["rule_grade"]) == (
        90.73, "优秀", 92.42, "优秀")
    level1 = dict(_rows(upgraded, "SELECT code, reported FROM node_results WHERE evaluation_id = ? AND depth = 1",
                        [int(seed["evaluation_id"])]).values.tolist())
    assert level1 == {"budget_execution": 17.23, "performance_targets": 59.5, "budget_management": 14.0}


def _import_as_version(path, folder, name: str) -> int:
    report = folder / f"{name}.txt"
    report.write_text(SEED_REPORT.read_text(encoding="utf-8").replace("北京市商务局", name), encoding="utf-8")
    with versions.new_version(path, versions.Change("import", name)) as draft:
        import_report(draft.store, report, create_departments=True)
    return draft.version_id


def test_the_first_write_after_the_migration_changes_only_what_it_writes(upgraded, tmp_path):
    """The converted framework is stored as this release stores it: a later write does not see it change."""
    stored = _rows(upgraded, "SELECT sha256, definition FROM frameworks")
    assert stored["sha256"].tolist() == [hashlib.sha256(d.encode()).hexdigest() for d in stored["definition"]]
    version = _import_as_version(upgraded, tmp_path, "北京市人民政府外事办公室")
    changes = json.loads(_rows(upgraded, "SELECT changes FROM data_versions WHERE id = ?", [version])["changes"][0])
    assert {"region": "北京市", "department": "北京市人民政府外事办公室", "year": 2022, "change": "added",
            "detail": []} in changes
    assert not [c for c in changes if "frameworks" in c["detail"]]
    history = _rows(upgraded, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'history'")["table_name"]
    assert "frameworks" not in set(history)            # no version, before or after, changed a framework


def _content(path) -> dict:
    return {t: _rows(path, f"SELECT * FROM {t} ORDER BY ALL") for t in DATA_TABLES}


def test_an_older_version_restores_after_the_migration(upgraded, tmp_path):
    """Restoring version 2 after the migration gives what migrating the release's file at version 2 gives."""
    _import_as_version(upgraded, tmp_path, "北京市人民政府外事办公室")     # a version recorded by this release
    assert versions.restore(upgraded, 2) == 5
    expected = build(tmp_path / "at_version_2.duckdb", "at_version_2")
    open_store(expected, read_only=True).close()
    restored, wanted = _content(upgraded), _content(expected)
    for table in DATA_TABLES:
        pd.testing.assert_frame_equal(restored[table], wanted[table], obj=table)
    scores = "SELECT * FROM evaluation_scores ORDER BY evaluation_id"
    pd.testing.assert_frame_equal(_rows(upgraded, scores), _rows(expected, scores))
    # and the version before it too: the department version 2 added is gone again
    versions.restore(upgraded, 1)
    assert _rows(upgraded, "SELECT count(*) AS n FROM departments WHERE name = '北京市测试甲局'")["n"][0] == 0
    assert _rows(upgraded, "SELECT count(*) AS n FROM node_inputs WHERE evaluation_id = 13")["n"][0] == 0
    assert _rows(upgraded, "SELECT count(*) AS n FROM node_reported WHERE evaluation_id = 13")["n"][0] == 0


def test_snapshots_of_the_release_before_are_converted_before_the_node_store_migration(tmp_path):
    """A schema-2 file with a snapshot per version: its snapshots are diffed in the schema they were taken in,
    and the history that gives is migrated with the rest, so version 2 restores to what it held."""
    live = without_schema3(build(tmp_path / "live.duckdb"))
    snapshots = versions.snapshot_dir(live)
    snapshots.mkdir()
    shutil.copyfile(without_schema3(build(tmp_path / "v2.duckdb", "at_version_2")), snapshots / "2.duckdb")
    open_store(live, read_only=True).close()
    unrestorable = dict(_rows(live, "SELECT id, unrestorable FROM data_versions").values.tolist())
    assert unrestorable[1] == "its snapshot is missing" and pd.isna(unrestorable[2]) and pd.isna(unrestorable[3])
    versions.restore(live, 2)
    expected = build(tmp_path / "at_version_2.duckdb", "at_version_2")
    open_store(expected, read_only=True).close()
    restored, wanted = _content(live), _content(expected)
    for table in DATA_TABLES:
        pd.testing.assert_frame_equal(restored[table], wanted[table], obj=table)
