"""The set-based path in generated SQL: every evaluation stored in the long tables (``long_tables``),
of any mix of frameworks, scored with nothing built in Python per evaluation.

1. The figures the rules read are pivoted to one row per evaluation, once.
2. Each rule (a row of the rules table) becomes one SELECT over its leaves: its kind's ``sql_inputs``
   (the twin of ``inputs``) then its ``score_sql`` stages (the twin of ``score``, float operation for
   float operation); the SELECTs are joined with UNION ALL and run once, to Arrow.  Their results go to
   ``leaf_scores`` without the structure columns (those stay in ``leaves``; a leaf is named by its
   evaluation, its parent's code column and its position, all numbers); the same Arrow result
   gives the sums their addends (a missing score as 0.0), read batch by batch.
3. Inner nodes are summed bottom-up in numpy, in a worker thread while DuckDB writes ``leaf_scores``:
   each inner node of each framework has a run of cells in flat arrays, one per evaluation of its
   framework (``_Places``), so that a node is one slice; a leaf finds its parent's cell from its
   evaluation id and parent column.  Position by position every parent gets its child at that
   position added, from 0.0, then rounded half up — the additions ``score_one`` makes (an ordered
   grouped sum in SQL was several times slower); a weight the framework leaves to the evaluation is
   the sum of its children's.  The sums go to ``inner_scores`` as numbers keyed by ``inner_nodes``
   (the inner nodes of every framework), straight from the flat arrays.
4. Totals are graded by each framework's bands.
Results: the view ``node_scores`` (every node of every evaluation: ``leaf_scores`` and ``inner_scores``
with their structure) and ``totals`` (one row per evaluation), bit-identical to
``score_one.score_evaluation`` (tests/test_domain_scoring_paths.py).
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from analytics.domain.loader import TOTAL
from analytics.domain.long_tables import Tables
from analytics.domain.model import Framework
from analytics.domain.rounding import round2_v
from analytics.domain.rules import KINDS, sql


def _c(name: str) -> str:
    return sql.ident(f"r:{name}")


def _figure(code: str) -> str:
    return f"f.{sql.ident('f:' + code)}"


def _leaf(field: str) -> str:
    return f"l.{sql.ident(field)}"


def rule_select(rule_id: int, kind: str, params: dict, leaves: str, figures_wide: str | None) -> str:
    """One rule's leaves scored: evaluation_id, code, parent, position, depth, weight, reported, rule, rate,
    reason, finding."""
    module = KINDS[kind]
    inputs = module.sql_inputs(params, _figure, _leaf)
    select = ", ".join(f"{expr} AS {_c(name)}" for name, expr in inputs.items())
    source = f"{leaves} l"
    if module.figures(params):
        source += f" LEFT JOIN {figures_wide} f ON f.evaluation_id = l.evaluation_id"
    query = (f"SELECT l.evaluation_id, l.node, l.parent, l.position, l.depth, l.weight, l.reported, {select} "
             f"FROM {source} WHERE l.rule_id = {int(rule_id)}")
    for stage in module.score_sql(params, _c):
        query = f"SELECT *, {', '.join(f'{expr} AS {_c(name)}' for name, expr in stage.items())} FROM ({query})"
    return (f"SELECT evaluation_id, node AS code, parent, position, depth, weight, reported, "
            f"CAST({_c('score')} AS DOUBLE) AS rule, CAST({_c('rate')} AS DOUBLE) AS rate, "
            f"CAST({_c('reason')} AS VARCHAR) AS reason, CAST({_c('finding')} AS VARCHAR) AS finding FROM ({query})")


def _inner_nodes(frameworks: dict[str, Framework]) -> list[tuple]:
    """(idx, framework key, code, parent, position, depth, weight) of every inner node and root."""
    rows = []
    for key, fw in frameworks.items():
        rows.append((len(rows), key, TOTAL, None, 0, 0, fw.total))

        def visit(nodes, depth, parent):
            for position, node in enumerate(nodes):
                if not node.is_leaf:
                    rows.append((len(rows), key, node.code, parent, position, depth, node.weight))
                    visit(node.children, depth + 1, node.code)
        visit(fw.nodes, 1, TOTAL)
    return rows


def _zero_missing(values: np.ndarray) -> np.ndarray:
    """A missing score (NaN; a NULL read from Arrow as NaN) adds 0.0."""
    return np.where(np.isnan(values), 0.0, values)


SUMMED = ("reported", "value", "weight")


class _Places:
    """Where sums lie in the flat sums arrays: each framework's inner node has one run of cells, one per
    evaluation of the framework (its slot, in the order of evaluation ids), the roots' runs last so that
    the other inner nodes' sums are one slice, ``inner_cells`` long."""

    def __init__(self, inner: list[tuple], ids: np.ndarray, owner: np.ndarray, keys: list[str], column: dict):
        self.ids, self.owner = ids, owner
        self.of = {key: ids[owner == k] for k, key in enumerate(keys)}   # each framework's evaluations
        self.counts = {key: len(self.of[key]) for key in keys}
        self.slot = np.zeros(len(ids), dtype="int64")
        for k, key in enumerate(keys):
            self.slot[owner == k] = np.arange(self.counts[key])
        self.offsets, at = {}, 0
        for idx, key, *_ in sorted(inner, key=lambda node: node[5] == 0):
            self.offsets[idx] = at
            at += self.counts[key]
        self.cells_total = at
        self.inner_cells = sum(self.counts[node[1]] for node in inner if node[5] > 0)
        # [framework, parent column] → the parent's offset; -1 where the framework has no such node, and
        # in the last column, which a parent column of -1 (a code no framework has) reads.
        self.base = np.full((len(keys), len(column) + 1), -1, dtype="int64")
        for idx, key, code, *_ in inner:
            self.base[keys.index(key), column[code]] = self.offsets[idx]

    def cells(self, evaluation_id: np.ndarray, parent: np.ndarray) -> np.ndarray:
        """Each leaf's cell (its parent's offset plus its evaluation's slot), -1 for an evaluation of a
        framework not given or a parent its framework does not have."""
        if not len(self.ids):
            return np.full(len(evaluation_id), -1, dtype="int64")
        row = np.searchsorted(self.ids, evaluation_id).clip(max=len(self.ids) - 1)
        offset = self.base[self.owner[row], parent]
        return np.where((self.ids[row] == evaluation_id) & (offset >= 0), offset + self.slot[row], -1)


def _chunks(scored: pa.Table, places: _Places) -> list[dict]:
    """The scored leaves the sums read, batch by batch as numpy arrays, each with its ``cell`` and its
    addends (a missing score as 0.0): only those under an inner node of their evaluation's framework."""
    chunks = []
    for batch in scored.select(["evaluation_id", "parent", "depth", "position", *SUMMED]).to_batches():
        leaves = {name: batch.column(name).to_numpy() for name in ("depth", "position")}
        leaves.update({name: _zero_missing(batch.column(name).to_numpy(zero_copy_only=False)) for name in SUMMED})
        leaves["cell"] = places.cells(batch.column("evaluation_id").to_numpy(), batch.column("parent").to_numpy())
        known = leaves["cell"] >= 0
        chunks.append(leaves if known.all() else {name: values[known] for name, values in leaves.items()})
    return chunks


def _sum_up(chunks: list[dict], inner: list[tuple], places: _Places) -> dict:
    """Every inner node's reported, value and weight, bottom-up, in flat arrays laid out by ``_Places``.

    Position by position, each parent gets its child at that position added (a parent has one child
    per position, so the additions of one position never meet): ((0.0 + child 0) + child 1) + …, the
    additions ``score_one`` makes, a missing score adding 0.0; a node's sums are rounded half up once
    all its children are in, and a weight the framework leaves to the evaluation is its children's sum.
    In each batch the leaves are ordered once by (depth, deepest first; position), so that the leaves
    of one depth and position are one slice of that order."""
    sums = {name: np.zeros(places.cells_total) for name in SUMMED}
    offsets, counts = places.offsets, places.counts
    index = {(key, code): idx for idx, key, code, *_ in inner}
    deepest = max([int(c["depth"].max(initial=0)) for c in chunks] + [max(node[5] for node in inner) + 1])
    width = max([int(c["position"].max(initial=-1)) for c in chunks] + [max(node[4] for node in inner)]) + 1
    for c in chunks:
        group = (deepest - c["depth"].astype(np.int64)) * width + c["position"]
        c["order"] = np.argsort(group.astype(np.min_scalar_type(deepest * width)), kind="stable")
        c["bounds"] = np.concatenate([[0], np.cumsum(np.bincount(group, minlength=deepest * width))])
    for depth in range(deepest, 0, -1):
        for p in range(width):
            g = (deepest - depth) * width + p
            for c in chunks:
                chosen = c["order"][c["bounds"][g]:c["bounds"][g + 1]]
                if len(chosen):
                    into = c["cell"][chosen]
                    for name, acc in sums.items():
                        acc[into] += c[name][chosen]
            for idx, key, code, parent, position, node_depth, _ in inner:
                if node_depth == depth and position == p:
                    n, child, into = counts[key], offsets[idx], offsets[index[(key, parent)]]
                    for acc in sums.values():
                        acc[into:into + n] += _zero_missing(acc[child:child + n])
        for idx, key, _, _, _, node_depth, weight in inner:
            if node_depth == depth - 1:
                at = slice(offsets[idx], offsets[idx] + counts[key])
                for name in ("reported", "value"):
                    sums[name][at] = round2_v(sums[name][at])
                if weight is not None:
                    sums["weight"][at] = weight
    return sums


def _grade(frameworks: dict[str, Framework], total: str) -> str:
    cases = []
    for key, fw in frameworks.items():
        bands = sorted(fw.grade_bands, key=lambda b: b.min, reverse=True)
        whens = " ".join(f"WHEN {total} >= {sql.num(b.min)} THEN {sql.text(b.label)}" for b in bands)
        cases.append(f"WHEN {sql.text(key)} THEN (CASE WHEN NOT isfinite({total}) THEN NULL {whens} "
                     f"ELSE {sql.text(bands[-1].label)} END)")
    return f"(CASE framework {' '.join(cases)} END)"


def _score_leaves(con, t: Tables) -> pa.Table:
    """Every leaf scored by its rule, with its parent as a code column (``domain_parents``), its depth,
    weight and reported score (Arrow)."""
    rules = con.execute(f"SELECT rule_id, kind, params FROM {t.rules} ORDER BY rule_id").fetchall()
    rules = [(rid, kind, json.loads(params)) for rid, kind, params in rules]
    read = sorted({code for _, kind, params in rules for code in KINDS[kind].figures(params)})
    con.execute("CREATE OR REPLACE TEMP TABLE domain_figures_wide AS SELECT evaluation_id"
                + "".join(f", max(value) FILTER (WHERE figure = {sql.text(code)}) AS {sql.ident('f:' + code)}"
                          for code in read)
                + f" FROM {t.figures} GROUP BY evaluation_id").fetchall()
    empty = ("SELECT NULL::BIGINT evaluation_id, NULL::VARCHAR code, NULL::VARCHAR parent, NULL::INTEGER position, "
             "NULL::INTEGER depth, NULL::DOUBLE weight, NULL::DOUBLE reported, NULL::DOUBLE rule, NULL::DOUBLE rate, "
             "NULL::VARCHAR reason, NULL::VARCHAR finding WHERE false")
    selects = [rule_select(rid, kind, params, t.leaves, "domain_figures_wide") for rid, kind, params in rules]
    scored = con.sql(f"SELECT evaluation_id, coalesce(p.parent, -1) AS parent, position, depth, weight, reported, "
                     f"rule, rate, reason, finding, coalesce(rule, reported) AS value "
                     f"FROM ({' UNION ALL '.join(selects or [empty])}) s "
                     f"LEFT JOIN domain_parents p ON p.code = s.parent").to_arrow_table()
    con.execute("DROP TABLE IF EXISTS domain_figures_wide")
    return scored


def _write_leaf_scores(con, scored: pa.Table, t: Tables) -> None:
    con.register("domain_scored", scored)
    con.execute(f"CREATE OR REPLACE TABLE {t.leaf_scores} AS "
                f"SELECT evaluation_id, parent AS parent_column, position, rule, rate, reason, finding, value "
                f"FROM domain_scored").fetchall()
    con.unregister("domain_scored")


def score_all(con, frameworks: dict[str, Framework], t: Tables = Tables()) -> dict:
    """Score every stored evaluation: leaf results to ``t.leaf_scores``, inner nodes to ``t.inner_scores``
    (structure in ``t.inner_nodes``), both as the view ``t.node_scores``; totals to ``t.totals``; returns
    row counts.  An evaluation of a framework not given gets its leaf scores (rules need no framework)
    but no sums."""
    inner = _inner_nodes(frameworks)
    column = {code: c for c, code in enumerate(sorted({node[2] for node in inner}))}
    keys = list(frameworks)
    evaluations = con.execute(f"SELECT evaluation_id, list_position(?, framework) - 1 AS framework "
                              f"FROM {t.evaluations} WHERE list_contains(?, framework) ORDER BY evaluation_id",
                              [keys, keys]).fetchnumpy()
    ids = np.asarray(evaluations["evaluation_id"], dtype="int64")
    owner = np.asarray(evaluations["framework"], dtype="int64")          # the framework's index in keys
    places = _Places(inner, ids, owner, keys, column)
    con.register("domain_parents", pa.table({"code": list(column),
                                             "parent": pa.array(list(column.values()), pa.int32())}))
    scored = _score_leaves(con, t)
    con.unregister("domain_parents")
    with ThreadPoolExecutor(1) as pool:     # the sums in numpy while DuckDB writes (each lets the other run)
        summing = pool.submit(lambda: _sum_up(_chunks(scored, places), inner, places))
        _write_leaf_scores(con, scored, t)
        sums = summing.result()
    con.execute(f"CREATE OR REPLACE TABLE {t.inner_nodes} (idx INTEGER, framework VARCHAR, code VARCHAR, "
                f"parent VARCHAR, position INTEGER, depth INTEGER, weight DOUBLE, code_column INTEGER)").fetchall()
    if inner:                               # one statement: a prepared insert per row costs more
        con.execute(f"INSERT INTO {t.inner_nodes} VALUES {', '.join(['(?, ?, ?, ?, ?, ?, ?, ?)'] * len(inner))}",
                    [value for node in inner for value in (*node, column[node[2]])]).fetchall()
    parts = [node for node in inner if node[5] > 0]          # in the order of their offsets
    frame = pa.table({
        "evaluation_id": np.concatenate([places.of[node[1]] for node in parts] or [ids[:0]]),
        "node": np.repeat(np.array([node[0] for node in parts], dtype="int32"),
                          [places.counts[node[1]] for node in parts]),
        **{name: sums[name][:places.inner_cells] for name in SUMMED}})
    con.register("domain_inner_frame", frame)
    con.execute(f"CREATE OR REPLACE TABLE {t.inner_scores} AS SELECT * FROM domain_inner_frame").fetchall()
    con.unregister("domain_inner_frame")
    root = np.array([places.offsets[node[0]] for node in inner if node[5] == 0], dtype="int64")  # by framework
    total = root[owner] + places.slot                  # each evaluation's total cell, in the order of ids
    con.register("domain_total_frame", pa.table({
        "evaluation_id": ids, "framework": pa.DictionaryArray.from_arrays(owner.astype("int32"), keys),
        **{name: sums[name][total] for name in ("reported", "value")}}))
    con.execute(f"""CREATE OR REPLACE TABLE {t.totals} AS
        SELECT evaluation_id, framework, reported AS total_reported, value AS total_rule,
               {_grade(frameworks, 'reported')} AS grade_reported, {_grade(frameworks, 'value')} AS grade_rule
        FROM (SELECT evaluation_id, CAST(framework AS VARCHAR) AS framework, reported, value FROM domain_total_frame)
        ORDER BY evaluation_id""").fetchall()
    con.unregister("domain_total_frame")
    con.execute(f"""CREATE OR REPLACE VIEW {t.node_scores} AS
        SELECT s.evaluation_id, l.node AS code, l.parent, l.position, l.depth, l.weight, l.reported, s.rule, s.rate,
               s.reason, s.finding, s.value
        FROM {t.leaf_scores} s JOIN (SELECT DISTINCT code_column, code FROM {t.inner_nodes}) p
             ON p.code_column = s.parent_column
        JOIN {t.leaves} l ON l.evaluation_id = s.evaluation_id AND l.parent = p.code AND l.position = s.position
        UNION ALL
        SELECT i.evaluation_id, n.code, n.parent, n.position, n.depth, i.weight, i.reported, NULL, NULL,
               NULL, NULL, i.value
        FROM {t.inner_scores} i JOIN {t.inner_nodes} n ON n.idx = i.node""").fetchall()
    return {"leaf_rows": scored.num_rows, "node_rows": scored.num_rows + frame.num_rows, "evaluations": len(ids)}
