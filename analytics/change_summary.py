"""What a version changed: one line per evaluation, department, year parameter or other table, derived
from the version's row changes (analytics.row_changes).  ``detail`` lists what changed as codes (stored
column names, ``node_inputs`` for an evaluation's indicator rows, ``node_reported`` for the scores it printed
for inner nodes, a parameter key, a table name), put into words at the edge."""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.row_changes import STAMP_COLUMNS, TableChange, q

COLUMNS = ["region", "department", "year", "change", "detail"]
EVALUATION_TABLES = ("evaluations", "node_inputs", "node_reported")
NODE_TABLES = EVALUATION_TABLES[1:]        # rows of one evaluation, keyed by evaluation_id


def _frames(cur, change: TableChange | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if change is None:
        return pd.DataFrame(), pd.DataFrame()
    return cur.execute(f"SELECT * FROM {change.removed}").df(), cur.execute(f"SELECT * FROM {change.added}").df()


def _changed_columns(removed: pd.DataFrame, added: pd.DataFrame, key: list[str], ignore=()) -> dict[tuple, list[str]]:
    """For rows present on both sides under the same key: the columns whose values differ."""
    if removed.empty or added.empty:
        return {}
    old = removed.set_index(key)
    new = added.set_index(key)
    result = {}
    for k in old.index.intersection(new.index):
        a, b = old.loc[[k]].iloc[0], new.loc[[k]].iloc[0]
        result[k if isinstance(k, tuple) else (k,)] = [c for c in old.columns if c not in ignore
                                                       and not _equal(a[c], b[c])]
    return result


def _equal(a, b) -> bool:
    return _plain(a) == _plain(b)


def _plain(value):
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):      # a list: pd.isna answers element by element
        pass
    return value


def describe(cur: duckdb.DuckDBPyConnection, changes: list[TableChange], before: str, after: str) -> list[dict]:
    by_table = {c.table: c for c in changes}
    departments = _department_names(cur, before, after)
    lines = _evaluation_lines(cur, by_table, before, after, departments)
    with_evaluations = {(line["region"], line["department"]) for line in lines}
    lines += _department_lines(cur, by_table.get("departments"), with_evaluations)
    lines += _parameter_lines(cur, by_table.get("year_params"))
    for table, change in sorted(by_table.items()):
        if table not in (*EVALUATION_TABLES, "departments", "year_params"):
            lines.append({"region": None, "department": None, "year": None, "change": "changed",
                          "detail": [table]})
    return sorted(lines, key=lambda line: tuple(str(line[c]) for c in COLUMNS))


def _department_names(cur, before: str, after: str) -> dict[int, tuple[str, str]]:
    names = {}
    for db in (before, after):
        for dept_id, region, name in cur.execute(f"SELECT id, region, name FROM {q(db)}.main.departments").fetchall():
            names[dept_id] = (region, name)
    return names


def _ids(removed: pd.DataFrame, added: pd.DataFrame, column: str) -> set:
    return {value for frame in (removed, added) if column in frame for value in frame[column].tolist()}


def _evaluation_lines(cur, by_table: dict, before: str, after: str, departments: dict) -> list[dict]:
    eval_removed, eval_added = _frames(cur, by_table.get("evaluations"))
    ids = _ids(eval_removed, eval_added, "id")
    with_nodes = {table: _ids(*_frames(cur, by_table.get(table)), "evaluation_id") for table in NODE_TABLES}
    for found_ids in with_nodes.values():
        ids |= found_ids
    if not ids:
        return []
    found = {}
    for side, db in (("before", before), ("after", after)):
        for eid, dept_id, year in cur.execute(f"SELECT id, department_id, year FROM {q(db)}.main.evaluations "
                                              "WHERE id IN (SELECT unnest(?))", [sorted(ids)]).fetchall():
            found.setdefault(eid, {})[side] = (dept_id, year)
    columns = _changed_columns(eval_removed, eval_added, ["id"], STAMP_COLUMNS)
    lines = []
    for eid in sorted(ids):
        sides = found.get(eid, {})
        dept_id, year = sides.get("after") or sides.get("before") or (None, None)
        region, name = departments.get(dept_id, (None, None))
        kind = "added" if "before" not in sides else "removed" if "after" not in sides else "changed"
        detail = list(columns.get((eid,), [])) if kind == "changed" else []
        if kind == "changed":
            detail += [table for table in NODE_TABLES if eid in with_nodes[table]]
        lines.append({"region": region, "department": name, "year": year, "change": kind, "detail": detail})
    return lines


def _department_lines(cur, change: TableChange | None, with_evaluations: set) -> list[dict]:
    removed, added = _frames(cur, change)
    if removed.empty and added.empty:
        return []
    columns = _changed_columns(removed, added, ["id"])
    lines = []
    for side, kind in ((added, "added"), (removed, "removed")):
        for row in side.itertuples():
            if (row.id,) in columns:
                if kind == "added":
                    lines.append({"region": row.region, "department": row.name, "year": None, "change": "changed",
                                  "detail": columns[(row.id,)]})
            elif (row.region, row.name) not in with_evaluations:
                lines.append({"region": row.region, "department": row.name, "year": None, "change": kind,
                              "detail": []})
    return lines


def _parameter_lines(cur, change: TableChange | None) -> list[dict]:
    removed, added = _frames(cur, change)
    if removed.empty and added.empty:
        return []
    key = ["region", "year", "key"]
    old = {tuple(r): True for r in removed[key].itertuples(index=False)} if not removed.empty else {}
    new = {tuple(r): True for r in added[key].itertuples(index=False)} if not added.empty else {}
    lines = []
    for region, year, name in sorted(set(old) | set(new), key=str):
        kind = "changed" if (region, year, name) in old and (region, year, name) in new else \
            "added" if (region, year, name) in new else "removed"
        lines.append({"region": region, "department": None, "year": int(year), "change": kind,
                      "detail": [name]})
    return lines
