"""Data versions: every change is written to a copy that is swapped in whole, and snapshotted.

Why a copy: the dashboard keeps read-only connections open, and DuckDB lets no process write a file
that another has open.  So a writer (an import, a restore, a deletion — from the command line or
the app) copies the database, writes the copy in one transaction, checkpoints it and swaps it in
with os.replace.  Readers keep the old file until their next interaction, when the changed inode
makes them reopen; a failed write leaves the live file untouched; writers queue on a lock file.
Each new state is also copied into ``<database>.versions/<id>.duckdb`` so that any earlier
version can be restored.  The ``audit_log`` table is append-only and is carried into every new state,
restores included.
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

from analytics.store import Store, StoreError

LOCK_TIMEOUT_S = 120


def snapshot_dir(path: Path) -> Path:
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


def fingerprints(cur: duckdb.DuckDBPyConnection) -> dict[tuple, str]:
    """(region, department, year) -> a hash of everything stored for that evaluation."""
    rows = cur.execute("""
        WITH results AS (
            SELECT evaluation_id,
                   list_sort(list(concat_ws(':', indicator_code, reported_score, target, actual, base,
                                            failed_count, given_score, rule_score)))::VARCHAR AS rows
            FROM indicator_results GROUP BY evaluation_id)
        SELECT d.region, d.name, e.year,
               md5(concat_ws('|', e.source_kind, e.source_sha256, r.rows, e.budget_total, e.spent_total,
                   e.carryover_amount, e.carryover_rate_prev, e.initial_budget_total, e.final_account_total,
                   e.reported_score_total, e.reported_grade))
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        LEFT JOIN results r ON r.evaluation_id = e.id""").fetchall()
    return {(region, name, year): digest for region, name, year, digest in rows}


def _diff(before: dict, after: dict) -> list[dict]:
    changes = []
    for key in sorted(set(before) | set(after), key=str):
        if key not in before:
            kind = "added"
        elif key not in after:
            kind = "removed"
        elif before[key] != after[key]:
            kind = "changed"
        else:
            continue
        changes.append({"region": key[0], "department": key[1], "year": key[2], "change": kind})
    return changes


def record_version(cur: duckdb.DuckDBPyConnection, change: Change, changes: list[dict]) -> int:
    counts = {kind: sum(1 for c in changes if c["change"] == kind) for kind in ("added", "changed", "removed")}
    version_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM data_versions").fetchall()[0][0]
    cur.execute("""INSERT INTO data_versions (id, kind, note, files, rows_added, rows_changed, rows_removed, changes)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [version_id, change.kind, change.note, json.dumps(change.files, ensure_ascii=False),
                 counts["added"], counts["changed"], counts["removed"], json.dumps(changes, ensure_ascii=False)])
    log(cur, change.kind, version_id, change.note)
    return version_id


def log(cur: duckdb.DuckDBPyConnection, action: str, version_id: int | None, detail: str = "") -> None:
    entry_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM audit_log").fetchall()[0][0]
    cur.execute("INSERT INTO audit_log (id, action, version_id, detail) VALUES (?, ?, ?, ?)",
                [entry_id, action, version_id, detail])


@contextmanager
def _swap(path: Path, source: Path) -> Iterator[Store]:
    """A writable copy of ``source`` that replaces ``path`` when the block succeeds, and vanishes if not."""
    tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    store = None
    try:
        if source.exists():
            shutil.copyfile(source, tmp)
        store = Store(tmp)
        yield store
        store.checkpoint()
        store.close()
        os.replace(tmp, path)
    finally:
        if store is not None:
            store.close()
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)


@dataclass
class Draft:
    """The writable copy a new version is prepared in; ``version_id`` is set once it is recorded."""
    store: Store
    version_id: int | None = None


class _NothingChanged(Exception):
    """Raised inside a swap to drop a copy that differs in nothing from the live file."""


@contextmanager
def new_version(path: Path, change: Change, fresh: bool = False) -> Iterator[Draft]:
    """Write a new version of the database at ``path`` (``fresh``: start from an empty database).

    The caller writes through ``draft.store`` (in its own transactions); when the block ends without
    error the changes are diffed, recorded as a version, and the file is swapped in and snapshotted.
    A write that changed nothing records no version and leaves the file as it was.  On any error
    the live file is untouched.
    """
    path = Path(path)
    with _exclusive(path):
        try:
            with _swap(path, path if not fresh else path.with_name(".no-such-file")) as store:
                draft = Draft(store)
                before = fingerprints(store.cursor())
                yield draft
                with store.transaction() as cur:
                    changes = _diff(before, fingerprints(cur))
                    if not changes and not fresh:
                        raise _NothingChanged
                    draft.version_id = record_version(cur, change, changes)
        except _NothingChanged:
            return
        if fresh:
            shutil.rmtree(snapshot_dir(path), ignore_errors=True)
        _snapshot(path, draft.version_id)


def upgrade(path: Path) -> None:
    """Apply pending schema migrations to the database at ``path`` (Store applies them on opening)."""
    with _exclusive(Path(path)), _swap(Path(path), Path(path)):
        pass


def _snapshot(path: Path, version_id: int) -> None:
    folder = snapshot_dir(path)
    folder.mkdir(exist_ok=True)
    shutil.copyfile(path, folder / f"{version_id}.duckdb")


def list_versions(store: Store) -> pd.DataFrame:
    return store.df("""SELECT id, created_at, kind, note, files, rows_added, rows_changed, rows_removed
                       FROM data_versions ORDER BY id DESC""")


def version_changes(store: Store, version_id: int) -> pd.DataFrame:
    raw = store.scalar("SELECT changes FROM data_versions WHERE id = ?", [version_id])
    if raw is None:
        raise StoreError(f"no data version {version_id}")
    return pd.DataFrame(json.loads(raw), columns=["region", "department", "year", "change"])


def audit_log(store: Store) -> pd.DataFrame:
    return store.df("SELECT id, logged_at, action, version_id, detail FROM audit_log ORDER BY id DESC")


def restore(path: Path, version_id: int, note: str = "") -> int:
    """Make version ``version_id`` the current data again, as a new version; the log is kept whole."""
    path = Path(path)
    snapshot = snapshot_dir(path) / f"{version_id}.duckdb"
    if not snapshot.exists():
        raise StoreError(f"version {version_id} has no snapshot to restore")
    with _exclusive(path):
        current = Store(path, read_only=True)
        try:
            history = {t: current.df(f"SELECT * FROM {t}") for t in ("data_versions", "audit_log")}
            before = fingerprints(current.cursor())
        finally:
            current.close()
        with _swap(path, snapshot) as store, store.transaction() as cur:
            after = fingerprints(cur)
            for table, frame in history.items():
                cur.execute(f"DELETE FROM {table}")
                cur.register("carried", frame)
                cur.execute(f"INSERT INTO {table} SELECT * FROM carried")
                cur.unregister("carried")
            new_id = record_version(cur, Change("restore", note or f"restore of version {version_id}"),
                                    _diff(before, after))
    _snapshot(path, new_id)
    return new_id
