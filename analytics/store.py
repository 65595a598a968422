"""The one place that opens DuckDB, owns the schema and its migrations, and runs queries.

Reads go through a cursor per query on one cached connection; every write goes through
``Store.transaction()`` so that a failure leaves the database as it was.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from analytics.paths import database_path

SOURCE_KINDS = ("report", "import", "synthetic")

# Ids are assigned by the single writer as max(id) + 1 (see records.next_id), so bulk loads can
# assign whole ranges at once.
# Each migration is (version, statements).  Never edit a released migration: append a new one.
MIGRATIONS: list[tuple[int, list]] = [
    (1, [
        """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
        """CREATE TABLE departments (
            id INTEGER PRIMARY KEY,
            region VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            short_name VARCHAR,
            category VARCHAR,
            is_synthetic BOOLEAN NOT NULL DEFAULT false,
            UNIQUE (region, name))""",
        """CREATE TABLE frameworks (
            id VARCHAR PRIMARY KEY,
            name_zh VARCHAR NOT NULL,
            name_en VARCHAR,
            region VARCHAR,
            source VARCHAR,
            sha256 VARCHAR NOT NULL,
            grade_bands JSON NOT NULL,
            definition JSON NOT NULL)""",
        """CREATE TABLE indicators (
            framework_id VARCHAR NOT NULL REFERENCES frameworks(id),
            code VARCHAR NOT NULL,
            sort_order INTEGER NOT NULL,
            level1 VARCHAR NOT NULL, level1_zh VARCHAR NOT NULL, level1_en VARCHAR, level1_weight DOUBLE NOT NULL,
            level2 VARCHAR NOT NULL, level2_zh VARCHAR NOT NULL, level2_en VARCHAR, level2_weight DOUBLE NOT NULL,
            name_zh VARCHAR NOT NULL, name_en VARCHAR,
            weight DOUBLE NOT NULL,
            rule_kind VARCHAR NOT NULL,
            rule_params JSON NOT NULL,
            -- flattened rule parameters, so the set-based scorer needs no JSON parsing
            direction VARCHAR,
            deduction DOUBLE,
            step DOUBLE,
            penalty_from_1 DOUBLE, penalty_share_1 DOUBLE,
            penalty_from_2 DOUBLE, penalty_share_2 DOUBLE,
            penalty_from_3 DOUBLE, penalty_share_3 DOUBLE,
            PRIMARY KEY (framework_id, code))""",
        """CREATE TABLE grade_bands (
            framework_id VARCHAR NOT NULL,
            grade VARCHAR NOT NULL,
            grade_en VARCHAR,
            min_score DOUBLE NOT NULL,
            PRIMARY KEY (framework_id, grade))""",
        """CREATE TABLE indicator_checks (
            framework_id VARCHAR NOT NULL,
            indicator_code VARCHAR NOT NULL,
            check_no INTEGER NOT NULL,
            text_zh VARCHAR NOT NULL,
            text_en VARCHAR,
            PRIMARY KEY (framework_id, indicator_code, check_no))""",
        """CREATE TABLE year_params (
            region VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            key VARCHAR NOT NULL,
            value DOUBLE NOT NULL,
            source VARCHAR NOT NULL,
            is_synthetic BOOLEAN NOT NULL DEFAULT false,
            PRIMARY KEY (region, year, key))""",
        """CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            department_id INTEGER NOT NULL REFERENCES departments(id),
            year INTEGER NOT NULL,
            framework_id VARCHAR NOT NULL REFERENCES frameworks(id),
            source_kind VARCHAR NOT NULL CHECK (source_kind IN ('report', 'import', 'synthetic')),
            source_file VARCHAR,
            source_sha256 VARCHAR,
            loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            -- money figures in 万元, as reported
            budget_basic DOUBLE, budget_project DOUBLE, budget_other DOUBLE, budget_total DOUBLE,
            spent_basic DOUBLE, spent_project DOUBLE, spent_other DOUBLE, spent_total DOUBLE,
            carryover_amount DOUBLE,
            carryover_rate_prev DOUBLE,
            initial_budget_basic DOUBLE, initial_budget_project DOUBLE, initial_budget_total DOUBLE,
            final_account_total DOUBLE,
            -- rates and scores as printed in the source, never overwritten by computed ones
            reported_execution_rate DOUBLE,
            reported_carryover_rate DOUBLE,
            reported_diff_rate DOUBLE,
            reported_municipal_avg_diff_rate DOUBLE,
            reported_score_budget_execution DOUBLE,
            reported_score_performance_targets DOUBLE,
            reported_score_budget_management DOUBLE,
            reported_score_total DOUBLE,
            reported_grade VARCHAR,
            UNIQUE (department_id, year))""",
        """CREATE TABLE indicator_results (
            evaluation_id INTEGER NOT NULL,
            indicator_code VARCHAR NOT NULL,
            reported_score DOUBLE,
            score_inferred BOOLEAN NOT NULL DEFAULT false,
            -- rule inputs: ratio A/B; carry-over previous rate / amount / budget;
            -- difference rate municipal average / final account / initial budget
            target DOUBLE,
            actual DOUBLE,
            base DOUBLE,
            failed_count INTEGER,
            failed_checks INTEGER[],
            given_score DOUBLE,
            -- computed beside the reported score
            rule_rate DOUBLE,
            rule_score DOUBLE,
            PRIMARY KEY (evaluation_id, indicator_code))""",
        # Level-1 and total scores, reported and by rule, side by side.  The rule column uses the
        # rule score where a rule could be applied and the reported score otherwise.
        """CREATE VIEW level1_scores AS
            SELECT r.evaluation_id, i.level1,
                   round(sum(r.reported_score), 2) AS reported,
                   round(sum(coalesce(r.rule_score, r.reported_score)), 2) AS rule
            FROM indicator_results r
            JOIN evaluations e ON e.id = r.evaluation_id
            JOIN indicators i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
            GROUP BY ALL""",
    ]),
    (2, [
        # Every change of the data is a version; the log is append-only and survives restores.
        """CREATE TABLE data_versions (
            id INTEGER PRIMARY KEY,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            kind VARCHAR NOT NULL,
            note VARCHAR,
            files JSON NOT NULL,
            rows_added INTEGER NOT NULL,
            rows_changed INTEGER NOT NULL,
            rows_removed INTEGER NOT NULL,
            changes JSON NOT NULL)""",
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            action VARCHAR NOT NULL,
            version_id INTEGER,
            detail VARCHAR)""",
    ]),
    (3, [
        # Versions keep their row changes in the `history` schema (analytics.row_changes) instead of
        # whole-file snapshots; a version that cannot be restored says why.  Versions recorded before
        # this migration are converted from their snapshots by analytics.versions on the next write.
        """CREATE SCHEMA IF NOT EXISTS history""",
        """ALTER TABLE data_versions ADD COLUMN unrestorable VARCHAR""",
        """UPDATE data_versions SET unrestorable = 'legacy snapshot'""",
    ]),
    # Scores per indicator node, the framework as data (analytics.node_store_migration, analytics.scores).
    (4, [lambda cur: _migrate_to_node_store(cur)]),
    # English department names, as data (shown when the interface speaks English); the history of the
    # departments gets the column too, so versions recorded before stay restorable.
    (5, [lambda cur: _add_column(cur, "departments", "name_en VARCHAR")]),
    # English region names, as data (analytics.region_names); the regions the product ships data for get theirs.
    (6, ["""CREATE TABLE regions (name VARCHAR PRIMARY KEY, name_en VARCHAR)""",
         lambda cur: _name_known_regions(cur)]),
]


def _migrate_to_node_store(cur: duckdb.DuckDBPyConnection) -> None:
    from analytics.node_store_migration import migrate   # the framework engine, loaded only when needed
    migrate(cur)


def _name_known_regions(cur: duckdb.DuckDBPyConnection) -> None:
    from analytics.region_names import name_known_regions   # imports the demo county's names
    name_known_regions(cur)


def _add_column(cur: duckdb.DuckDBPyConnection, table: str, column: str) -> None:
    """Add ``column`` to ``table`` and, where versions recorded its changes, to its history table, whose
    columns must stay the table's own (analytics.row_changes)."""
    cur.execute(f"ALTER TABLE main.{table} ADD COLUMN {column}")
    if cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                   "AND schema_name = 'history' AND table_name = ?", [table]).fetchall()[0][0]:
        cur.execute(f"ALTER TABLE history.{table} ADD COLUMN {column}")


def _apply(cur: duckdb.DuckDBPyConnection, step) -> None:
    """A migration step: SQL, or a function converting data the way SQL alone cannot."""
    if callable(step):
        step(cur)
    else:
        cur.execute(step)


class StoreError(RuntimeError):
    """A database problem worth telling the user about in plain words."""


class Store:
    def __init__(self, path: Path, read_only: bool = False, migrations: list[tuple[int, list[str]]] | None = None):
        self.path = Path(path)
        self.read_only = read_only
        self.migrations = MIGRATIONS if migrations is None else migrations
        if read_only and not self.path.exists():
            raise StoreError(f"database {self.path} does not exist; build it with "
                             "`python -m analytics init-db --demo`")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = self._connect_read_only() if read_only else duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        self._write_lock = threading.Lock()
        if not read_only:
            self.migrate()

    def _connect_read_only(self) -> duckdb.DuckDBPyConnection:
        # duckdb.connect(path) would hand back an instance cached by path, still showing a file that
        # has since been swapped by os.replace(); attaching into a fresh in-memory instance does not.
        con = duckdb.connect()
        quoted = str(self.path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS db (READ_ONLY)")
        con.execute("USE db")
        return con

    # -- reading -------------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._con.cursor()
        if self.read_only:
            cur.execute("USE db")
        return cur

    def df(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: list | dict | None = None) -> list[tuple]:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def scalar(self, sql: str, params: list | dict | None = None):
        result = self.rows(sql, params)
        return result[0][0] if result else None

    # -- writing -------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The only way to write: all statements commit together or none does."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                cur.close()

    def schema_version(self) -> int:
        exists = self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
        if not exists:
            return 0
        return self.scalar("SELECT coalesce(max(version), 0) FROM schema_version") or 0

    def migrate(self) -> None:
        current = self.schema_version()
        pending = [(v, stmts) for v, stmts in self.migrations if v > current]
        if not pending:
            return
        with self.transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        "applied_at TIMESTAMP DEFAULT current_timestamp)")
            for version, statements in pending:
                for statement in statements:
                    _apply(cur, statement)
                cur.execute("INSERT INTO schema_version (version) VALUES (?)", [version])

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file, so the file alone holds every committed write."""
        self._con.execute("CHECKPOINT")

    def close(self) -> None:
        self._con.close()


LATEST_SCHEMA = MIGRATIONS[-1][0]


def open_store(path: Path | str | None = None, read_only: bool = False) -> Store:
    """Open the database; a read-only open of a file from an older release upgrades it first (as a
    swapped copy, so readers elsewhere are undisturbed) instead of failing on a missing table."""
    path = Path(path) if path else database_path()
    store = Store(path, read_only=read_only)
    if read_only and store.schema_version() < LATEST_SCHEMA:
        store.close()
        from analytics.versions import upgrade
        upgrade(path)
        store = Store(path, read_only=True)
    return store
