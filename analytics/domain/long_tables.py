"""Evaluations as long DuckDB tables: the layout the generated-SQL scorer (``score_sql``) reads.

- ``evaluations``: one row per evaluation (evaluation_id, framework key);
- ``figures``: one row per evaluation × figure (year parameters such as 市级平均差异率 included);
- ``leaves``: one row per evaluation × leaf of its concrete tree (fixed leaves and the indicators it
  brought to open groups), with the tree position (parent, position among siblings, depth, weight),
  ``rule_id``, the reported score and typed input columns: the ``LeafInput`` fields, the target and
  actual texts as written and, read from them once when stored, ``comparator``/``target``/``actual``;
  a brought indicator also keeps its names, unit and 偏差原因;
- ``rules``: rule_id → kind and parameters (canonical JSON), shared by every leaf with that rule.
``write`` stores evaluations given as ``EvaluationInputs`` (``insert_leaves`` one evaluation's leaves, as
an import does) and ``read`` gives them back; a bulk loader may fill the same tables straight from SQL (see bench_scoring).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from analytics.domain.evaluation import BroughtIndicator, EvaluationInputs, LeafInput
from analytics.domain.loader import TOTAL
from analytics.domain.model import Framework, thaw
from analytics.domain.rules.target import parsed
from analytics.domain.score_one import concrete


@dataclass(frozen=True)
class Tables:
    evaluations: str = "domain_evaluations"
    figures: str = "domain_figures"
    leaves: str = "domain_leaves"
    rules: str = "domain_rules"
    node_scores: str = "domain_node_scores"      # a view over the three below
    leaf_scores: str = "domain_leaf_scores"
    inner_scores: str = "domain_inner_scores"
    inner_nodes: str = "domain_inner_nodes"
    totals: str = "domain_totals"


LEAF_COLUMNS = {"evaluation_id": "BIGINT", "node": "VARCHAR", "parent": "VARCHAR", "position": "INTEGER",
                "depth": "INTEGER", "weight": "DOUBLE", "rule_id": "INTEGER", "reported": "DOUBLE",
                "failed": "DOUBLE", "given": "DOUBLE", "label": "VARCHAR", "choice": "VARCHAR",
                "target_text": "VARCHAR", "actual_text": "VARCHAR", "comparator": "VARCHAR", "target": "DOUBLE",
                "actual": "DOUBLE", "coefficient": "DOUBLE", "zh": "VARCHAR", "en": "VARCHAR", "unit": "VARCHAR",
                "deviation_reason": "VARCHAR"}


def structure(tree: Framework) -> list[dict]:
    """Every node of a concrete tree, in tree order, with its parent, position among siblings and depth."""
    rows = []

    def visit(nodes, depth, parent):
        for position, node in enumerate(nodes):
            rows.append({"node": node, "code": node.code, "parent": parent, "position": position, "depth": depth})
            visit(node.children, depth + 1, node.code)
    visit(tree.nodes, 1, TOTAL)
    return rows


def create(con, t: Tables = Tables()) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {t.evaluations} (evaluation_id BIGINT PRIMARY KEY, framework VARCHAR)")
    con.execute(f"CREATE TABLE IF NOT EXISTS {t.figures} (evaluation_id BIGINT, figure VARCHAR, value DOUBLE)")
    con.execute(f"CREATE TABLE IF NOT EXISTS {t.rules} (rule_id INTEGER PRIMARY KEY, kind VARCHAR, params VARCHAR)")
    columns = ", ".join(f"{name} {kind}" for name, kind in LEAF_COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS {t.leaves} ({columns})")


def rule_id(con, kind: str, params, t: Tables = Tables()) -> int:
    """The id of a rule (kind and parameters), registered on first use."""
    text = json.dumps(thaw(params), sort_keys=True, ensure_ascii=False)
    rows = con.execute(f"SELECT rule_id FROM {t.rules} WHERE kind = ? AND params = ?", [kind, text]).fetchall()
    if rows:
        return rows[0][0]
    new = con.execute(f"SELECT coalesce(max(rule_id), 0) + 1 FROM {t.rules}").fetchall()[0][0]
    con.execute(f"INSERT INTO {t.rules} VALUES (?, ?, ?)", [new, kind, text])
    return new


def leaf_layout(con, tree: Framework, t: Tables = Tables()) -> list[dict]:
    """The leaves of a tree without open groups, each with its place (parent, position, depth), weight, node
    and registered rule id: what a bulk writer needs to fill the leaves table from a frame."""
    return [{"code": row["code"], "parent": row["parent"], "position": row["position"], "depth": row["depth"],
             "weight": row["node"].weight, "node": row["node"],
             "rule_id": rule_id(con, row["node"].rule.kind, row["node"].rule.params, t)}
            for row in structure(tree) if row["node"].is_leaf]


def _leaf_row(evaluation_id, row: dict, node, rid: int, ev: EvaluationInputs, brought) -> list:
    leaf = ev.leaf(node.code)
    actual_text = leaf.actual if isinstance(leaf.actual, str) else None
    values = {"evaluation_id": evaluation_id, "node": node.code, "parent": row["parent"], "position": row["position"],
              "depth": row["depth"], "weight": node.weight, "rule_id": rid, "reported": ev.reported.get(node.code),
              "failed": leaf.failed, "given": leaf.given, "label": leaf.label, "choice": leaf.choice,
              "target_text": leaf.target, "actual_text": actual_text, **parsed(leaf), "coefficient": leaf.coefficient,
              "zh": brought.zh if brought else None, "en": brought.en if brought else None,
              "unit": brought.unit if brought else None, "deviation_reason": brought.deviation_reason if brought else None}
    return [values[name] for name in LEAF_COLUMNS]


def leaf_rows(con, tree: Framework, evaluation_id, ev: EvaluationInputs, t: Tables = Tables(),
              inferred: set[str] | None = None, rule_ids: dict | None = None) -> list[list]:
    """One evaluation's leaf rows (its concrete tree) in ``LEAF_COLUMNS`` order; ``inferred``: leaf codes whose
    reported score was inferred, for a leaves table with an ``inferred`` column (added last); ``rule_ids``: a
    cache of registered rule ids a writer of many evaluations passes along."""
    brought = {b.code: b for b in ev.brought}
    rule_ids = {} if rule_ids is None else rule_ids
    rows = []
    for row in structure(concrete(tree, ev)):
        node = row["node"]
        if node.is_leaf:
            key = (node.rule.kind, json.dumps(thaw(node.rule.params), sort_keys=True))
            if key not in rule_ids:
                rule_ids[key] = rule_id(con, node.rule.kind, node.rule.params, t)
            values = _leaf_row(evaluation_id, row, node, rule_ids[key], ev, brought.get(node.code))
            rows.append(values if inferred is None else [*values, node.code in inferred])
    return rows


def insert_rows(con, table: str, columns: list[str], rows: list) -> None:
    """Insert rows in one statement, through a data frame (executemany costs a round trip per row)."""
    if rows:
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM frame")


def insert_leaves(con, tree: Framework, evaluation_id, ev: EvaluationInputs, t: Tables = Tables(),
                  inferred: set[str] | None = None) -> None:
    """Store one evaluation's leaves (its concrete tree); ``inferred`` as for ``leaf_rows``."""
    columns = [*LEAF_COLUMNS, *([] if inferred is None else ["inferred"])]
    insert_rows(con, t.leaves, columns, leaf_rows(con, tree, evaluation_id, ev, t, inferred))


def write(con, frameworks: dict[str, Framework], evaluations: dict, t: Tables = Tables()) -> None:
    """Store evaluations {evaluation_id: (framework key, EvaluationInputs)}; the tree each gets is its concrete one."""
    create(con, t)
    figures = []
    for evaluation_id, (key, ev) in evaluations.items():
        insert_leaves(con, frameworks[key], evaluation_id, ev, t)
        figures += [(evaluation_id, code, value) for code, value in ev.figures.items()]
    con.executemany(f"INSERT INTO {t.evaluations} VALUES (?, ?)", [(i, key) for i, (key, _) in evaluations.items()])
    if figures:
        con.executemany(f"INSERT INTO {t.figures} VALUES (?, ?, ?)", figures)


def placeholders(values) -> str:
    """``?, ?, …`` for a list of values.  A filter ``IN (?, ?, …)`` reaches through the store's views to their
    tables; ``IN (SELECT unnest(?))`` does not, and has DuckDB compute a whole view before filtering it."""
    return ", ".join("?" * len(values))


def read(con, frameworks: dict[str, Framework], ids, t: Tables = Tables()) -> dict:
    """{evaluation_id: (framework key, EvaluationInputs)} for the given ids, as ``write`` took them."""
    ids = [int(i) for i in ids]
    if not ids:
        return {}
    chosen = f"evaluation_id IN ({placeholders(ids)})"
    keys = dict(con.execute(f"SELECT evaluation_id, framework FROM {t.evaluations} WHERE {chosen}", ids).fetchall())
    figures: dict = {i: {} for i in keys}
    for evaluation_id, code, value in con.execute(f"SELECT evaluation_id, figure, value FROM {t.figures} "
                                                  f"WHERE {chosen}", ids).fetchall():
        figures[evaluation_id][code] = value
    columns = ", ".join(f"l.{name}" for name in LEAF_COLUMNS)     # a store's leaves table has more columns
    rows = con.execute(f"SELECT {columns}, r.kind, r.params FROM {t.leaves} l JOIN {t.rules} r USING (rule_id) "
                       f"WHERE {chosen} ORDER BY evaluation_id, depth, parent, position", ids).fetchall()
    names = [*LEAF_COLUMNS, "kind", "params"]
    parts: dict = {i: ({}, {}, []) for i in keys}
    open_groups = {key: {g.code for g in frameworks[key].open_groups()} for key in set(keys.values())}
    for raw in rows:
        r = dict(zip(names, raw))
        inputs, reported, brought = parts[r["evaluation_id"]]
        inputs[r["node"]] = LeafInput(failed=None if r["failed"] is None else int(r["failed"]), given=r["given"],
                                      label=r["label"], choice=r["choice"], target=r["target_text"],
                                      actual=r["actual_text"] if r["actual_text"] is not None else r["actual"],
                                      coefficient=r["coefficient"])
        if r["reported"] is not None:
            reported[r["node"]] = r["reported"]
        if r["parent"] in open_groups[keys[r["evaluation_id"]]]:
            brought.append(BroughtIndicator(r["parent"], r["node"], r["zh"], r["weight"], r["kind"], r["en"] or "",
                                            json.loads(r["params"]), r["unit"] or "", r["deviation_reason"] or ""))
    return {i: (keys[i], EvaluationInputs(figures[i], inputs, reported, tuple(brought)))
            for i, (inputs, reported, brought) in parts.items()}
