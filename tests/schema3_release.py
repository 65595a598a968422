"""A database as the previous release (schema 3) left it: built from tests/data/schema3_release.json, a dump
of every table (``main`` and ``history``) of files that release's own code built and changed (how: see
tools/schema3_fixture.py).  The tables of ``main`` come from the released migrations 1–3, as that release
created them; the dumped rows go back in exactly, and the history tables with their dumped columns."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics.store import MIGRATIONS, Store

FIXTURE = Path(__file__).parent / "data" / "schema3_release.json"
REFERENCED = ("frameworks", "departments")          # before the tables whose rows refer to them


def plain(value):
    """A stored value as the dump writes it (timestamps in ISO form)."""
    return value.isoformat() if isinstance(value, datetime) else value


def dumped(state: str = "latest") -> dict:
    """The dump of one state ('latest': after version 3; 'at_version_2'): {(schema, table): frame}."""
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))[state]
    return {(t["schema"], t["name"]): pd.DataFrame(t["rows"], columns=[c for c, _ in t["columns"]], dtype=object)
            for t in data["tables"]}


def build(path: Path, state: str = "latest") -> Path:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))[state]
    Store(path, migrations=[m for m in MIGRATIONS if m[0] <= data["schema_version"]]).close()
    tables = sorted(data["tables"], key=lambda t: (t["schema"] != "main", t["name"] not in REFERENCED,
                                                   REFERENCED.index(t["name"]) if t["name"] in REFERENCED else 0))
    con = duckdb.connect(str(path))
    try:
        for table in tables:
            target = f'{table["schema"]}."{table["name"]}"'
            if table["schema"] != "main":
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {table['schema']}")
                con.execute(f"CREATE TABLE {target} ({', '.join(f'{c} {t}' for c, t in table['columns'])})")
            columns = ", ".join(f'"{c}"' for c, _ in table["columns"])
            if table["rows"]:
                rows = pd.DataFrame(table["rows"], columns=[c for c, _ in table["columns"]], dtype=object)
                casts = ", ".join(f'CAST(rows."{c}" AS {t})' for c, t in table["columns"])
                con.execute(f"INSERT INTO {target} ({columns}) SELECT {casts} FROM rows")
    finally:
        con.close()
    return path


def without_schema3(path: Path) -> Path:
    """The file as the release before (schema 2, a whole-file snapshot per version) kept it: migration 3 only
    added the ``history`` schema and ``data_versions.unrestorable``, so taking those away gives schema 2."""
    con = duckdb.connect(str(path))
    try:
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'history'").fetchall():
            con.execute(f'DROP TABLE history."{table}"')
        con.execute("DROP SCHEMA history")
        con.execute("ALTER TABLE data_versions DROP COLUMN unrestorable")
        con.execute("DELETE FROM schema_version WHERE version > 2")
    finally:
        con.close()
    return path
