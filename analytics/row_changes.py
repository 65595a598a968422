"""Row-level changes between two states of the database: found, stored with their version, undone.

Every base table of the ``main`` schema except the version bookkeeping (``NOT_DATA``) is data, so a
change to any stored field of any table is found, whatever the tables hold (schema-agnostic).

Finding them costs one read of each side when little changed: each row is hashed (DuckDB ``hash``
of all its columns); per bucket of hashes the row count and XOR are compared, the hashes of the
buckets that differ are matched, and only rows whose hash is on one side alone are compared in full
(``EXCEPT ALL``, exact, with duplicates counted).  A changed row is missed only if its new content
has the same 64-bit hash as a row of the other side.

The changes of version ``v`` are stored in ``history."<table>"``: the table's own columns, with their
exact types, plus ``version_id`` and ``op`` ('removed' or 'added'), committed in the same transaction
as the version itself.  A restore to version ``n`` undoes the net changes of every version after ``n``.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from analytics.store import StoreError

HISTORY = "history"
NOT_DATA = ("data_versions", "audit_log", "schema_version")
DERIVED_PREFIX = "score_"             # tables analytics.scores derives from the data after every write
# Columns that say when a row was written, not what it holds: a row rewritten with the same content
# keeps its old stamp, so rewriting identical data is no change.
STAMP_COLUMNS = ("loaded_at",)
BUCKET_SHIFT = 52                     # 2**12 buckets of 64-bit hashes


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def own(cur: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """``table`` in ``schema`` of the draft itself, fully qualified: a database file named like a
    schema (history.duckdb, main.duckdb) would make a shorter name ambiguous."""
    return f"{q(cur.execute('SELECT current_database()').fetchall()[0][0])}.{schema}.{q(table)}"


@dataclass
class TableChange:
    table: str
    columns: list[str]
    removed: str          # temp tables holding the removed and added rows
    added: str
    n_removed: int
    n_added: int


def data_tables(cur: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    rows = cur.execute("""SELECT table_name FROM duckdb_tables()
                          WHERE database_name = ? AND schema_name = 'main' AND NOT temporary
                          ORDER BY table_name""", [database]).fetchall()
    return [name for (name,) in rows if name not in NOT_DATA and not name.startswith(DERIVED_PREFIX)]


def layout(cur: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list[tuple[str, str]]:
    return cur.execute("""SELECT column_name, data_type FROM duckdb_columns()
                          WHERE database_name = ? AND schema_name = ? AND table_name = ?
                          ORDER BY column_index""", [database, schema, table]).fetchall()


def primary_key(cur: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = cur.execute("""SELECT constraint_column_names FROM duckdb_constraints()
                          WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?
                            AND constraint_type = 'PRIMARY KEY'""", [table]).fetchall()
    return list(rows[0][0]) if rows else []


def _same(columns: list[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{q(c)} IS NOT DISTINCT FROM {right}.{q(c)}" for c in columns) or "true"


def table_change(cur: duckdb.DuckDBPyConnection, table: str, columns: list[str], before: str,
                 after: str) -> TableChange | None:
    """The rows of ``table`` in database ``before`` but not ``after`` (removed) and the other way
    round (added), as temp tables; None when the table is the same in both.

    Each side is read once: every row's hash with its rowid.  Buckets of hashes whose count or XOR
    differ narrow the search to the hashes found on one side only; the rows holding them are fetched
    by rowid and compared in full (EXCEPT ALL: exact, duplicates counted)."""
    cols = ", ".join(q(c) for c in columns)
    tag = abs(hash((table, before, after)))
    sides = {}
    for side, db in (("a", before), ("z", after)):
        sides[side] = f"_{side}_{tag}"
        cur.execute(f"CREATE OR REPLACE TEMP TABLE {sides[side]} AS "
                    f"SELECT rowid AS r, hash({cols}) AS h FROM {q(db)}.main.{q(table)}")
    a, z = sides["a"], sides["z"]
    summary = "SELECT h >> {shift} AS b, count(*) AS n, bit_xor(h) AS x FROM {side} GROUP BY b"
    cur.execute(f"""CREATE OR REPLACE TEMP TABLE _b_{tag} AS
        SELECT b FROM ({summary.format(shift=BUCKET_SHIFT, side=a)}) a
        FULL JOIN ({summary.format(shift=BUCKET_SHIFT, side=z)}) z USING (b)
        WHERE a.n IS DISTINCT FROM z.n OR a.x IS DISTINCT FROM z.x""")
    changed = None
    if _count(cur, f"_b_{tag}"):
        in_buckets = f"WHERE h >> {BUCKET_SHIFT} IN (SELECT b FROM _b_{tag})"
        cur.execute(f"""CREATE OR REPLACE TEMP TABLE _h_{tag} AS
            (SELECT h FROM {a} {in_buckets} EXCEPT ALL SELECT h FROM {z} {in_buckets})
            UNION (SELECT h FROM {z} {in_buckets} EXCEPT ALL SELECT h FROM {a} {in_buckets})""")
        candidates = {side: f"SELECT {cols} FROM {q(db)}.main.{q(table)} WHERE rowid IN "
                            f"(SELECT r FROM {sides[side]} WHERE h IN (SELECT h FROM _h_{tag}))"
                      for side, db in (("a", before), ("z", after))}
        names = []
        for label, first, second in (("removed", "a", "z"), ("added", "z", "a")):
            names.append(f"_{label}_{tag}")
            cur.execute(f"CREATE OR REPLACE TEMP TABLE {names[-1]} AS "
                        f"{candidates[first]} EXCEPT ALL {candidates[second]}")
        cur.execute(f"DROP TABLE _h_{tag}")
        changed = TableChange(table, columns, names[0], names[1], *(_count(cur, n) for n in names))
    for temp in (a, z, f"_b_{tag}"):
        cur.execute(f"DROP TABLE {temp}")
    return changed if changed and (changed.n_removed or changed.n_added) else None


def _count(cur, temp: str) -> int:
    return cur.execute(f"SELECT count(*) FROM {temp}").fetchall()[0][0]


def keep_stamps(cur: duckdb.DuckDBPyConnection, change: TableChange) -> TableChange | None:
    """Rows rewritten with nothing but a new stamp get their old stamp back and are no change."""
    stamps = [c for c in change.columns if c in STAMP_COLUMNS]
    key = primary_key(cur, change.table)
    if not stamps or not key:
        return change
    content = [c for c in change.columns if c not in stamps]
    same = f"FROM {change.removed} r JOIN {change.added} a ON {_same(content, 'r', 'a')}"
    if not cur.execute(f"SELECT count(*) {same}").fetchall()[0][0]:
        return change
    pairs = f"{change.removed}_same"
    cur.execute(f"CREATE OR REPLACE TEMP TABLE {pairs} AS SELECT r.* {same}")
    sets = ", ".join(f"{q(c)} = r.{q(c)}" for c in stamps)
    cur.execute(f"UPDATE {own(cur, 'main', change.table)} t SET {sets} FROM {pairs} r WHERE {_same(key, 't', 'r')}")
    for temp in (change.added, change.removed):
        cur.execute(f"DELETE FROM {temp} x WHERE EXISTS (SELECT 1 FROM {pairs} y WHERE {_same(content, 'x', 'y')})")
    cur.execute(f"DROP TABLE {pairs}")
    change.n_removed, change.n_added = _count(cur, change.removed), _count(cur, change.added)
    return change if change.n_removed or change.n_added else None


def diff(cur: duckdb.DuckDBPyConnection, before: str, after: str, stamps: bool = False) -> list[TableChange]:
    """Every data table's changes from database ``before`` to ``after`` (both attached to ``cur``).
    ``stamps``: ``after`` is the draft being written, whose rewritten-but-equal rows keep their stamp.
    A table whose columns differ between the two (a schema migration) has no row changes to record;
    its older history is set aside when its next change is recorded (see _ensure_history)."""
    changes = []
    for table in data_tables(cur, after):
        columns = layout(cur, after, "main", table)
        if layout(cur, before, "main", table) != columns:
            continue
        found = table_change(cur, table, [c for c, _ in columns], before, after)
        if found and stamps:
            found = keep_stamps(cur, found)
        if found:
            changes.append(found)
    return changes


def record(cur: duckdb.DuckDBPyConnection, version_id: int, changes: list[TableChange]) -> None:
    """Store ``changes`` as version ``version_id``'s history (call inside the version's transaction)."""
    for change in changes:
        _ensure_history(cur, change.table, version_id)
        cols = ", ".join(q(c) for c in change.columns)
        for op, temp in (("removed", change.removed), ("added", change.added)):
            cur.execute(f"INSERT INTO {own(cur, HISTORY, change.table)} (version_id, op, {cols}) "
                        f"SELECT ?, ?, {cols} FROM {temp}", [version_id, op])


def _ensure_history(cur: duckdb.DuckDBPyConnection, table: str, version_id: int) -> None:
    db = cur.execute("SELECT current_database()").fetchall()[0][0]
    target = own(cur, HISTORY, table)
    stored = layout(cur, db, HISTORY, table)
    if stored and stored[2:] == layout(cur, db, "main", table):
        return
    if stored:      # the table's columns changed since its history began: that history cannot be replayed
        cur.execute(f"ALTER TABLE {target} RENAME TO {q(f'{table}_before_version_{version_id}')}")
        cur.execute("UPDATE data_versions SET unrestorable = ? WHERE id < ? AND unrestorable IS NULL",
                    [f"the columns of table {table} changed after it", version_id])
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {q(db)}.{HISTORY}")
    cur.execute(f"CREATE TABLE {target} AS SELECT NULL::INTEGER AS version_id, NULL::VARCHAR AS op, * "
                f"FROM {own(cur, 'main', table)} LIMIT 0")


# -- undoing ----------------------------------------------------------------------------------------

def _dependency_order(cur: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    """Referenced tables before the tables that reference them."""
    refs = {}
    for table, parent in cur.execute("""SELECT table_name, referenced_table FROM duckdb_constraints()
            WHERE database_name = current_database() AND constraint_type = 'FOREIGN KEY'""").fetchall():
        refs.setdefault(table, set()).add(parent)
    ordered: list[str] = []

    def visit(table: str, seen: frozenset) -> None:
        if table in ordered or table in seen:
            return
        for parent in sorted(refs.get(table, ())):
            visit(parent, seen | {table})
        ordered.append(table)
    for table in sorted(tables):
        visit(table, frozenset())
    return [t for t in ordered if t in tables]


def undo_after(cur: duckdb.DuckDBPyConnection, version_id: int) -> None:
    """Bring every data table back to its contents at ``version_id`` by undoing the net changes of
    every later version.  ``cur`` must be in autocommit mode on a private draft: each step commits on
    its own (DuckDB checks a foreign key against rows deleted earlier in the same transaction)."""
    db = cur.execute("SELECT current_database()").fetchall()[0][0]
    histories = [t for (t,) in cur.execute("""SELECT table_name FROM duckdb_tables()
                    WHERE database_name = ? AND schema_name = ?""", [db, HISTORY]).fetchall()]
    plans = {}
    for table in histories:
        columns = layout(cur, db, "main", table)
        if layout(cur, db, HISTORY, table)[2:] != columns:
            later = cur.execute(f"SELECT count(*) FROM {own(cur, HISTORY, table)} WHERE version_id > ?",
                                [version_id]).fetchall()[0][0]
            if later:
                raise StoreError(f"version {version_id} cannot be restored: the columns of table {table} "
                                 "changed after it")
            continue
        plans[table] = _net(cur, table, [c for c, _ in columns], version_id)
    order = _dependency_order(cur, [t for t, plan in plans.items() if plan])
    for table in reversed(order):
        _delete_rows(cur, table, *plans[table])
    for table in order:
        _insert_rows(cur, table, *plans[table])


def _net(cur, table: str, columns: list[str], version_id: int):
    cols = ", ".join(q(c) for c in columns)
    net = f"_net_{abs(hash(table))}"
    cur.execute(f"""CREATE OR REPLACE TEMP TABLE {net} AS
        SELECT {cols}, sum(CASE op WHEN 'removed' THEN 1 ELSE -1 END)::BIGINT AS _n
        FROM {own(cur, HISTORY, table)} WHERE version_id > ? GROUP BY ALL HAVING _n <> 0""", [version_id])
    if not _count(cur, net):
        return None
    key = primary_key(cur, table)
    return columns, key, net


def _rows(net: str, cols: str, sign: str) -> str:
    return f"SELECT {cols} FROM {net}, range(abs(_n)) WHERE _n {sign} 0"


def _delete_rows(cur, table: str, columns: list[str], key: list[str], net: str) -> None:
    """Delete the rows the later versions added; a row whose key comes back is updated instead."""
    cols = ", ".join(q(c) for c in columns)
    target = own(cur, "main", table)
    gone = f"SELECT * FROM ({_rows(net, cols, '<')}) d"
    if key:
        back = f"SELECT * FROM ({_rows(net, cols, '>')}) i"
        gone += f" WHERE NOT EXISTS ({back} WHERE {_same(key, 'd', 'i')})"
    expected = cur.execute(f"SELECT count(*) FROM ({gone})").fetchall()[0][0]
    deleted = cur.execute(f"DELETE FROM {target} WHERE rowid IN (SELECT t.rowid FROM {target} t "
                          f"{_matching(columns, key, f'({gone})')})").fetchall()[0][0]
    if deleted != expected:
        raise StoreError(f"the stored history of table {table} does not match its rows ({deleted} of {expected} "
                         "rows to remove found); nothing was restored")
    if key:
        _update_rows(cur, table, columns, key, net)


def _matching(columns: list[str], key: list[str], rows: str) -> str:
    """A join of table alias ``t`` with ``rows`` on identical content: by key (or, without one, by the
    hash of every column), then every column compared, NULLs equal."""
    if key:
        on = " AND ".join(f"t.{q(c)} = g.{q(c)}" for c in key)
    else:
        on = f"hash({', '.join('t.' + q(c) for c in columns)}) = hash({', '.join('g.' + q(c) for c in columns)})"
    return f"JOIN {rows} g ON {on} WHERE {_same(columns, 't', 'g')}"


def _update_rows(cur, table: str, columns: list[str], key: list[str], net: str) -> None:
    cols = ", ".join(q(c) for c in columns)
    pairs = (f"SELECT i.* FROM ({_rows(net, cols, '>')}) i JOIN ({_rows(net, cols, '<')}) d "
             f"ON {_same(key, 'i', 'd')}")
    olds = (f"SELECT d.* FROM ({_rows(net, cols, '<')}) d JOIN ({_rows(net, cols, '>')}) i "
            f"ON {_same(key, 'i', 'd')}")
    expected = cur.execute(f"SELECT count(*) FROM ({olds})").fetchall()[0][0]
    if not expected:
        return
    found = cur.execute(f"SELECT count(*) FROM {own(cur, 'main', table)} t {_matching(columns, key, f'({olds})')}"
                        ).fetchall()[0][0]
    if found != expected:
        raise StoreError(f"the stored history of table {table} does not match its rows ({found} of {expected} "
                         "rows to change found); nothing was restored")
    # only the columns that differ: DuckDB rewrites a row whose indexed column is set, and a row that
    # other tables reference cannot be rewritten
    values = [c for c in columns if c not in key and cur.execute(
        f"SELECT count(*) FROM ({pairs}) i JOIN ({olds}) d ON {_same(key, 'i', 'd')} "
        f"WHERE i.{q(c)} IS DISTINCT FROM d.{q(c)}").fetchall()[0][0]]
    if values:
        sets = ", ".join(f"{q(c)} = u.{q(c)}" for c in values)
        cur.execute(f"UPDATE {own(cur, 'main', table)} t SET {sets} FROM ({pairs}) u WHERE {_same(key, 't', 'u')}")


def _insert_rows(cur, table: str, columns: list[str], key: list[str], net: str) -> None:
    cols = ", ".join(q(c) for c in columns)
    fresh = f"SELECT * FROM ({_rows(net, cols, '>')}) i"
    if key:
        fresh += f" WHERE NOT EXISTS (SELECT 1 FROM ({_rows(net, cols, '<')}) d WHERE {_same(key, 'd', 'i')})"
    cur.execute(f"INSERT INTO {own(cur, 'main', table)} ({cols}) SELECT {cols} FROM ({fresh})")
