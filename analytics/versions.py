"""Data versions: every change is written to a copy that is swapped in whole, with its row changes.

Why a copy: the dashboard keeps read-only connections open, and DuckDB lets no process write a file
that another has open.  So a writer (an import, a restore, a deletion — from the command line or
the app) copies the database (a plain file copy: a fraction of a second even at national scale),
writes the copy, checkpoints it and swaps it in with os.replace.  Readers keep the old file until
their next interaction, when the changed inode makes them reopen; a failed write leaves the live
file untouched; writers queue on a lock file.

What a version changed is found row by row over every data table (analytics.row_changes) and stored
inside the database, in the same transaction as the version's record: a version exists exactly when
its changes do, so every listed version can be restored, and storage grows with what changed, not
with the size of the database.  A restore undoes the changes of the later versions, as a new
version.  The ``audit_log`` table is append-only and is never part of a version's data.

Databases from before (whole-file snapshots under ``<database>.versions/``) are converted on their
first write or upgrade: consecutive snapshots are diffed into the history; a version whose snapshot
is missing or damaged is kept in the list with the reason it cannot be restored.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from analytics import row_changes, scores
from analytics.change_summary import COLUMNS as CHANGE_COLUMNS, describe
from analytics.row_changes import q
from analytics.store import MIGRATIONS, Store, StoreError

LOCK_TIMEOUT_S = 120


def snapshot_dir(path: Path) -> Path:
    """Where earlier releases kept a whole-file snapshot per version (converted on the next write)."""
    return path.with_name(path.name + ".versions")


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextmanager
def _exclusive(path: Path, timeout: float = LOCK_TIMEOUT_S):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(_lock_path(path), "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                _remove_stale_copies(path)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"another change of {path.name} is still running; try again later") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_copies(path: Path) -> None:
    """Copies left by a writer that was killed: with the lock held, no live writer owns one."""
    for leftover in path.parent.glob(f"{path.name}.*.tmp*"):
        leftover.unlink(missing_ok=True)


@dataclass
class Change:
    """What a write did, for its version record."""
    kind: str
    note: str = ""
    files: list[dict] = field(default_factory=list)     # [{"name", "sha256"}]


def record_version(cur: duckdb.DuckDBPyConnection, change: Change, lines: list[dict],
                   table_changes: list[row_changes.TableChange] = ()) -> int:
    """Record a version with its summary ``lines`` and its row changes, in the caller's transaction."""
    counts = {kind: sum(1 for c in lines if c["change"] == kind) for kind in ("added", "changed", "removed")}
    version_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM data_versions").fetchall()[0][0]
    cur.execute("""INSERT INTO data_versions (id, kind, note, files, rows_added, rows_changed, rows_removed, changes)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [version_id, change.kind, change.note, json.dumps(change.files, ensure_ascii=False),
                 counts["added"], counts["changed"], counts["removed"], json.dumps(lines, ensure_ascii=False)])
    row_changes.record(cur, version_id, list(table_changes))
    log(cur, change.kind, version_id, change.note)
    return version_id


def log(cur: duckdb.DuckDBPyConnection, action: str, version_id: int | None, detail: str = "") -> None:
    entry_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM audit_log").fetchall()[0][0]
    cur.execute("INSERT INTO audit_log (id, action, version_id, detail) VALUES (?, ?, ?, ?)",
                [entry_id, action, version_id, detail])


@contextmanager
def _swap(path: Path, source: Path | None) -> Iterator[Store]:
    """A writable copy of ``source`` (None: an empty database) that replaces ``path`` when the block
    succeeds, and vanishes if not; opened at ``SNAPSHOT_SCHEMA`` at the most (the caller calls ``_upgrade``)."""
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    store = None
    try:
        if source is not None and source.exists():
            shutil.copyfile(source, tmp)
        store = Store(tmp, migrations=[m for m in MIGRATIONS if m[0] <= SNAPSHOT_SCHEMA])
        yield store
        store.checkpoint()
        store.close()
        os.replace(tmp, path)
    finally:
        if store is not None:
            store.close()
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)


@contextmanager
def _attached(cur: duckdb.DuckDBPyConnection, path: Path, name: str) -> Iterator[str]:
    quoted = str(path).replace("'", "''")
    cur.execute(f"ATTACH '{quoted}' AS {q(name)} (READ_ONLY)")
    try:
        yield name
    finally:
        cur.execute(f"DETACH {q(name)}")


def _database(cur: duckdb.DuckDBPyConnection) -> str:
    return cur.execute("SELECT current_database()").fetchall()[0][0]


@dataclass
class Draft:
    """The writable copy a new version is prepared in; ``version_id`` is set once it is recorded,
    ``unchanged`` once the writes turned out to change nothing (no version, the file as it was)."""
    store: Store
    version_id: int | None = None
    unchanged: bool = False


class _NothingChanged(Exception):
    """Raised inside a swap to drop a copy that differs in nothing from the live file."""


@contextmanager
def new_version(path: Path, change: Change, fresh: bool = False) -> Iterator[Draft]:
    """Write a new version of the database at ``path`` (``fresh``: start from an empty database).

    The caller writes through ``draft.store`` (in its own transactions); when the block ends without
    error the changes are found row by row against the live file, recorded with the version, and the
    file is swapped in.  A write that changed nothing records no version, sets ``draft.unchanged``
    and leaves the file as it was.  On any error the live file is untouched.
    """
    path = Path(path)
    fresh = fresh or not path.exists()
    draft = None
    with _exclusive(path):
        try:
            with _swap(path, None if fresh else path) as store:
                converted = _upgrade(store, path)
                draft = Draft(store)
                yield draft
                draft.version_id = _record(store, path, change, fresh)
        except _NothingChanged:
            draft.unchanged = True
            return
        if converted or fresh:        # a fresh file has no use for snapshots an earlier file left
            shutil.rmtree(snapshot_dir(path), ignore_errors=True)


@contextmanager
def _migrated(path: Path) -> Iterator[Path]:
    """The live file to compare a draft with: itself, or, when its schema is behind the draft's, a migrated
    copy of it (a table whose columns a migration changed has no row changes to compare with the older
    file, so the write's own changes to it would go unrecorded)."""
    store = Store(path, read_only=True)
    try:
        behind = store.schema_version() < MIGRATIONS[-1][0]
    finally:
        store.close()
    if not behind:
        yield path
        return
    copy = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        shutil.copyfile(path, copy)
        Store(copy, migrations=MIGRATIONS).close()
        yield copy
    finally:
        for leftover in (copy, Path(f"{copy}.wal")):
            leftover.unlink(missing_ok=True)


def _record(store: Store, path: Path, change: Change, fresh: bool) -> int:
    cur = store.cursor()
    try:
        if fresh:
            with store.transaction() as tx:
                scores.refresh(tx)
                return record_version(tx, change, _everything_added(tx))
        with _migrated(path) as compared, _attached(cur, compared, f"_live_{uuid.uuid4().hex}") as live:
            cur.execute("BEGIN TRANSACTION")
            try:
                found = row_changes.diff(cur, live, _database(cur), stamps=True)
                if not found:
                    raise _NothingChanged
                scores.refresh(cur, _rescored(cur, found))
                version_id = record_version(cur, change, describe(cur, found, live, _database(cur)), found)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            return version_id
    finally:
        cur.close()


def _rescored(cur: duckdb.DuckDBPyConnection, found: list[row_changes.TableChange]) -> list[int] | None:
    """The evaluations whose scores a write's row changes can move (None: every evaluation's can)."""
    parts = []
    for change in found:
        sides = [change.removed, change.added]
        if change.table == "frameworks":
            return None
        if change.table == "evaluations":
            parts += [f"SELECT id FROM {side}" for side in sides]
        elif change.table in ("node_inputs", "node_reported"):
            parts += [f"SELECT evaluation_id FROM {side}" for side in sides]
        elif change.table == "year_params":
            parts += [f"""SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
                          JOIN {side} p ON p.region = d.region AND p.year = e.year""" for side in sides]
        elif change.table == "departments":      # a department's region decides which parameters it reads
            parts += [f"SELECT e.id FROM evaluations e JOIN {side} d ON d.id = e.department_id" for side in sides]
    if not parts:
        return []
    return [i for (i,) in cur.execute(" UNION ".join(parts)).fetchall()]


def _everything_added(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    rows = cur.execute("""SELECT d.region, d.name, e.year FROM evaluations e JOIN departments d ON d.id = e.department_id
                          ORDER BY ALL""").fetchall()
    return [{"region": r, "department": n, "year": y, "change": "added", "detail": []} for r, n, y in rows]


def upgrade(path: Path) -> None:
    """Apply pending schema migrations to the database at ``path`` (Store applies them on opening)
    and convert whole-file snapshots of earlier releases into row changes."""
    path = Path(path)
    with _exclusive(path):
        with _swap(path, path) as store:
            converted = _upgrade(store, path)
        if converted:
            shutil.rmtree(snapshot_dir(path), ignore_errors=True)


# -- databases of earlier releases: whole-file snapshots -------------------------------------------

LEGACY = "legacy snapshot"          # set by migration 3 on every version recorded before it
# The schema the snapshots are converted in: the later migrations convert the history they give with the
# rest (schema 4 changed the data tables, so a snapshot diffed against a schema-4 file would lose rows).
SNAPSHOT_SCHEMA = 3


def _upgrade(store: Store, path: Path) -> bool:
    """Convert the snapshots of a file opened at ``SNAPSHOT_SCHEMA`` (see ``_swap``), then apply the later
    migrations; True when there were snapshots."""
    converted = _convert_legacy(store, path)
    store.migrations = MIGRATIONS
    store.migrate()
    return converted


def _convert_legacy(store: Store, path: Path) -> bool:
    """Diff consecutive readable snapshots into the history; versions whose snapshot is missing or
    damaged get the reason they cannot be restored.  The live file is the newest version's state."""
    ids = [i for (i,) in store.rows("SELECT id FROM data_versions WHERE unrestorable = ? ORDER BY id", [LEGACY])]
    if not ids:
        return False
    newest = store.scalar("SELECT max(id) FROM data_versions")
    cur = store.cursor()        # autocommit: this is a private draft, swapped in only when all is done
    try:
        own, previous = _database(cur), None
        for version_id in ids:
            name, reason = _open_snapshot(cur, path, version_id) if version_id != newest else (own, None)
            if reason is None and previous is not None:
                try:
                    found = row_changes.diff(cur, previous, name)
                except duckdb.Error as error:
                    name, reason = _forget(cur, name), _damaged(error)
                else:
                    row_changes.record(cur, version_id, found)
            cur.execute("UPDATE data_versions SET unrestorable = ? WHERE id = ?", [reason, version_id])
            if reason is None:
                if previous not in (None, own):
                    _forget(cur, previous)
                previous = name
        if previous not in (None, own):
            _forget(cur, previous)
    finally:
        cur.close()
    return True


def _open_snapshot(cur: duckdb.DuckDBPyConnection, path: Path, version_id: int) -> tuple[str | None, str | None]:
    snapshot = snapshot_dir(path) / f"{version_id}.duckdb"
    if not snapshot.exists():
        return None, "its snapshot is missing"
    name = f"_snapshot_{version_id}_{uuid.uuid4().hex}"
    quoted = str(snapshot).replace("'", "''")
    try:
        cur.execute(f"ATTACH '{quoted}' AS {q(name)} (READ_ONLY)")
        for table in row_changes.data_tables(cur, name):
            columns = ", ".join(q(c) for c, _ in row_changes.layout(cur, name, "main", table))
            cur.execute(f"SELECT sum(hash({columns})::HUGEINT) FROM {q(name)}.main.{q(table)}").fetchall()
    except duckdb.Error as error:
        _forget(cur, name)
        return None, _damaged(error)
    return name, None


def _forget(cur: duckdb.DuckDBPyConnection, name: str | None) -> None:
    if name is not None:
        cur.execute(f"DETACH DATABASE IF EXISTS {q(name)}")
    return None


def _damaged(error: Exception) -> str:
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"its snapshot is damaged ({first[:160]})"


# -- reading and restoring -------------------------------------------------------------------------

def list_versions(store: Store) -> pd.DataFrame:
    return store.df("""SELECT id, created_at, kind, note, files, rows_added, rows_changed, rows_removed, unrestorable
                       FROM data_versions ORDER BY id DESC""")


def version_changes(store: Store, version_id: int) -> pd.DataFrame:
    raw = store.scalar("SELECT changes FROM data_versions WHERE id = ?", [version_id])
    if raw is None:
        raise StoreError(f"no data version {version_id}")
    frame = pd.DataFrame(json.loads(raw), columns=CHANGE_COLUMNS)
    frame["detail"] = [d if isinstance(d, list) else [] for d in frame["detail"]]
    frame["year"] = pd.Series([None if pd.isna(y) else int(y) for y in frame["year"]], dtype=object)
    return frame


def audit_log(store: Store) -> pd.DataFrame:
    return store.df("SELECT id, logged_at, action, version_id, detail FROM audit_log ORDER BY id DESC")


def restore(path: Path, version_id: int, note: str = "") -> int | None:
    """Make version ``version_id`` the current data again, as a new version; the log is kept whole.
    Returns None when the current data already equal that version's."""
    version_id = int(version_id)
    with new_version(Path(path), Change("restore", note or f"restore of version {version_id}")) as draft:
        cur = draft.store.cursor()
        try:
            _check_restorable(cur, version_id)
            row_changes.undo_after(cur, version_id)
        finally:
            cur.close()
    return draft.version_id


def _check_restorable(cur: duckdb.DuckDBPyConnection, version_id: int) -> None:
    found = cur.execute("SELECT unrestorable FROM data_versions WHERE id = ?", [version_id]).fetchall()
    if not found:
        raise StoreError(f"no data version {version_id}")
    if found[0][0] is not None:
        raise StoreError(f"version {version_id} cannot be restored: {found[0][0]}")
    if version_id == cur.execute("SELECT max(id) FROM data_versions").fetchall()[0][0]:
        raise StoreError(f"version {version_id} is already the current data")
