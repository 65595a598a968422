"""Saved what-if scenarios, kept in their own DuckDB file beside the evaluation database.

The dashboard opens the evaluation database read-only, so scenarios — which users save while the
app runs — live in a separate file that the app process owns read-write: saving a scenario can
never change or lock the evaluation data.  The file is ``<database>.scenarios.duckdb`` unless
ANALYTICS_SCENARIO_DB names another.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from analytics.paths import database_path
from analytics.scenario import Baseline, ScenarioResult
from analytics.store import Store

MAX_COMPARED = 4
SCENARIO_MIGRATIONS = [(1, [
    """CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL,
        region VARCHAR NOT NULL,
        department VARCHAR NOT NULL,
        year INTEGER NOT NULL,
        evaluation_id INTEGER NOT NULL,
        overrides JSON NOT NULL,
        framework_id VARCHAR NOT NULL,
        framework_sha256 VARCHAR NOT NULL,
        data_version VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
        total DOUBLE, grade VARCHAR, rank INTEGER,
        UNIQUE (region, department, year, name))""",
]), (2, [
    # the session that saved a scenario may delete or overwrite it; NULL (saved before): only the admin
    "ALTER TABLE scenarios ADD COLUMN owner VARCHAR",
])]


class ScenarioStoreError(ValueError):
    """A scenario name that is empty or taken, or a scenario that does not exist."""


class ScenarioNotYours(ScenarioStoreError):
    """Deleting or overwriting a scenario another session saved, without the admin's rights."""

    def __init__(self, name: str):
        super().__init__(f"scenario '{name}' was saved by another session")
        self.name = name


def _may_change(row: dict, owner: str | None, admin: bool) -> None:
    if not admin and (row["owner"] is None or row["owner"] != owner):
        raise ScenarioNotYours(row["name"])


def scenario_db_path() -> Path:
    override = os.environ.get("ANALYTICS_SCENARIO_DB")
    if override:
        return Path(override)
    db = database_path()
    return db.with_name(db.stem + ".scenarios.duckdb")


class ScenarioStore:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else scenario_db_path()
        self._store = Store(self.path, migrations=SCENARIO_MIGRATIONS)

    def save(self, name: str, baseline: Baseline, overrides: dict, result: ScenarioResult, owner: str | None = None,
             overwrite: bool = False, admin: bool = False) -> int:
        """Save under ``name`` for ``owner`` (a session's token); a taken name is replaced only when asked and
        allowed (the same owner, or the admin)."""
        name = (name or "").strip()
        if not name:
            raise ScenarioStoreError("a scenario needs a name")
        with self._store.transaction() as cur:
            taken = cur.execute("SELECT id, name, owner FROM scenarios WHERE region = ? AND department = ? "
                                "AND year = ? AND name = ?",
                                [baseline.region, baseline.department, baseline.year, name]).fetchall()
            if taken and not overwrite:
                raise ScenarioStoreError(f"a scenario named '{name}' already exists for {baseline.department} "
                                         f"{baseline.year}")
            if taken:
                _may_change(dict(zip(("id", "name", "owner"), taken[0])), owner, admin)
                cur.execute("DELETE FROM scenarios WHERE id = ?", [taken[0][0]])
            scenario_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM scenarios").fetchall()[0][0]
            cur.execute("""INSERT INTO scenarios (id, name, region, department, year, evaluation_id, overrides,
                           framework_id, framework_sha256, data_version, total, grade, rank, owner)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        [scenario_id, name, baseline.region, baseline.department, baseline.year,
                         baseline.evaluation_id, json.dumps(overrides), baseline.framework_id,
                         baseline.framework_sha256, baseline.data_version, result.total, result.grade, result.rank, owner])
        return scenario_id

    def list(self, department: str | None = None, year: int | None = None) -> pd.DataFrame:
        return self._store.df("""SELECT id, name, department, year, total, grade, rank, created_at, data_version,
                                        framework_id, overrides, owner FROM scenarios
                                 WHERE (? IS NULL OR department = ?) AND (? IS NULL OR year = ?)
                                 ORDER BY created_at DESC, id DESC""", [department, department, year, year])

    def get(self, scenario_id: int) -> dict:
        frame = self._store.df("SELECT * FROM scenarios WHERE id = ?", [scenario_id])
        if frame.empty:
            raise ScenarioStoreError(f"no saved scenario {scenario_id}")
        row = frame.iloc[0].to_dict()
        row["overrides"] = json.loads(row["overrides"])
        return row

    def delete(self, scenario_id: int, owner: str | None = None, admin: bool = False) -> None:
        """Delete a scenario: allowed to the session that saved it, or the admin."""
        _may_change(self.get(scenario_id), owner, admin)
        with self._store.transaction() as cur:
            cur.execute("DELETE FROM scenarios WHERE id = ?", [scenario_id])

    def close(self) -> None:
        self._store.close()
