"""The set-based path in generated SQL: every evaluation stored in the long tables (``long_tables``),
of any mix of frameworks, scored inside DuckDB with nothing built in Python per evaluation.

1. The figures the rules read are pivoted to one row per evaluation.
2. Each rule (a row of the rules table) becomes one SELECT over its leaves: its kind's ``sql_inputs``
   (the twin of ``inputs``) then its ``score_sql`` stages (the twin of ``score``, float operation for
   float operation); the SELECTs are joined with UNION ALL.
3. Inner nodes are summed bottom-up, depth by depth, on numeric arrays fetched from DuckDB (a
   grouped ordered sum in SQL was ten times slower): children in position order, added from 0.0 (a
   missing score adds 0.0), then rounded half up — the additions ``score_one`` makes; a weight the
   framework leaves to the evaluation is the sum of its children's.  The sums go back as rows.
4. Totals are graded by each framework's bands.
Results: ``node_scores`` (every node of every evaluation) and ``totals`` (one row per evaluation),
bit-identical to ``score_one.score_evaluation`` (tests/test_domain_scoring_paths.py).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analytics.domain.loader import TOTAL
from analytics.domain.long_tables import Tables
from analytics.domain.model import Framework
from analytics.domain.rounding import round2_v
from analytics.domain.rules import KINDS, sql

SCORE_COLUMNS = "evaluation_id, code, parent, position, depth, weight, reported, rule, rate, reason, finding, value"


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


def _inner_structure(frameworks: dict[str, Framework]) -> pd.DataFrame:
    """framework key, code, parent, position, depth, weight of every inner node and the root."""
    rows = []
    for key, fw in frameworks.items():
        rows.append((key, TOTAL, None, 0, 0, fw.total))

        def visit(nodes, depth, parent):
            for position, node in enumerate(nodes):
                if not node.is_leaf:
                    rows.append((key, node.code, parent, position, depth, node.weight))
                    visit(node.children, depth + 1, node.code)
        visit(fw.nodes, 1, TOTAL)
    frame = pd.DataFrame(rows, columns=["framework", "code", "parent", "position", "depth", "weight"])
    return frame.astype({"weight": "float64"})


def _sum_up(leaves: dict, inner: dict) -> None:
    """Fill the inner nodes' reported, value (and any weight left to the evaluation) bottom-up.

    Children are put in position order (a stable sort) and added with ``np.bincount``, which adds its
    weights one after another in array order starting from 0.0: for every parent the additions
    ((0.0 + child 0) + child 1) + … that ``score_one`` makes; a missing score adds 0.0."""
    size = int(max(leaves["parent_key"].max(initial=0), inner["key"].max(initial=0), inner["parent_key"].max(initial=0))) + 1
    slot = np.full(size, -1, dtype="int64")
    for depth in range(int(max(leaves["depth"].max(initial=0), inner["depth"].max(initial=0))), 0, -1):
        at_leaf, at_inner = leaves["depth"] == depth, inner["depth"] == depth
        parent_key = np.concatenate([leaves["parent_key"][at_leaf], inner["parent_key"][at_inner]])
        order = np.argsort(np.concatenate([leaves["position"][at_leaf], inner["position"][at_inner]]), kind="stable")
        targets = np.flatnonzero(inner["depth"] == depth - 1)
        target_keys = inner["key"][targets]
        slot[target_keys] = np.arange(len(targets))
        into = slot[parent_key[order]]
        for name in ("reported", "value", "weight"):
            values = np.concatenate([leaves[name][at_leaf], inner[name][at_inner]])[order]
            acc = np.bincount(into, weights=np.where(np.isnan(values), 0.0, values), minlength=len(targets))
            if name == "weight":
                own = inner["weight"][targets]
                inner["weight"][targets] = np.where(np.isnan(own), acc, own)
            else:
                inner[name][targets] = round2_v(acc)
        slot[target_keys] = -1


def _grade(frameworks: dict[str, Framework], total: str) -> str:
    cases = []
    for key, fw in frameworks.items():
        bands = sorted(fw.grade_bands, key=lambda b: b.min, reverse=True)
        whens = " ".join(f"WHEN {total} >= {sql.num(b.min)} THEN {sql.text(b.label)}" for b in bands)
        cases.append(f"WHEN {sql.text(key)} THEN (CASE WHEN NOT isfinite({total}) THEN NULL {whens} "
                     f"ELSE {sql.text(bands[-1].label)} END)")
    return f"(CASE framework {' '.join(cases)} END)"


def score_all(con, frameworks: dict[str, Framework], t: Tables = Tables()) -> dict:
    """Score every stored evaluation; writes ``t.node_scores`` and ``t.totals``; returns row counts."""
    rules = con.execute(f"SELECT rule_id, kind, params FROM {t.rules} ORDER BY rule_id").fetchall()
    rules = [(rid, kind, json.loads(params)) for rid, kind, params in rules]
    read = sorted({code for _, kind, params in rules for code in KINDS[kind].figures(params)})
    con.execute("CREATE OR REPLACE TEMP TABLE domain_figures_wide AS SELECT evaluation_id"
                + "".join(f", max(value) FILTER (WHERE figure = {sql.text(code)}) AS {sql.ident('f:' + code)}"
                          for code in read)
                + f" FROM {t.figures} GROUP BY evaluation_id")
    empty = ("SELECT NULL::BIGINT evaluation_id, NULL::VARCHAR code, NULL::VARCHAR parent, NULL::INTEGER position, "
             "NULL::INTEGER depth, NULL::DOUBLE weight, NULL::DOUBLE reported, NULL::DOUBLE rule, NULL::DOUBLE rate, "
             "NULL::VARCHAR reason, NULL::VARCHAR finding WHERE false")
    selects = [rule_select(rid, kind, params, t.leaves, "domain_figures_wide") for rid, kind, params in rules]
    con.execute(f"CREATE OR REPLACE TABLE {t.node_scores} AS SELECT {SCORE_COLUMNS} FROM ("
                f"SELECT *, coalesce(rule, reported) AS value FROM ({' UNION ALL '.join(selects or [empty])}))").fetchall()
    structure = _inner_structure(frameworks)
    codes = pd.Index(sorted(set(structure["code"])))
    con.execute("CREATE OR REPLACE TEMP TABLE domain_codes (idx INTEGER, code VARCHAR)").fetchall()
    con.executemany("INSERT INTO domain_codes VALUES (?, ?)", list(enumerate(codes)))
    evaluations = con.execute(f"SELECT evaluation_id, framework FROM {t.evaluations} ORDER BY evaluation_id").df()
    ids = evaluations["evaluation_id"].to_numpy(dtype="int64")
    width = len(codes) + 1
    raw = con.execute(f"""SELECT s.evaluation_id, s.position, s.depth, s.weight, s.reported, s.value,
                                 coalesce(c.idx, -1) AS parent_idx
                          FROM {t.node_scores} s LEFT JOIN domain_codes c ON c.code = s.parent""").fetchnumpy()
    leaves = {"parent_key": np.searchsorted(ids, raw["evaluation_id"]) * width + raw["parent_idx"],
              "position": raw["position"], "depth": raw["depth"],
              **{name: np.asarray(raw[name], dtype="float64") for name in ("reported", "value", "weight")}}
    keys = pd.Index(list(frameworks))
    owner = keys.get_indexer(evaluations["framework"])
    structure["code_idx"] = codes.get_indexer(structure["code"])
    structure["parent_idx"] = codes.get_indexer(structure["parent"].fillna(TOTAL))
    structure["framework_idx"] = keys.get_indexer(structure["framework"])
    rows, tree = [], []
    for k, part in structure.groupby("framework_idx", sort=True):
        owners = np.flatnonzero(owner == k)
        rows.append(np.repeat(owners, len(part)))
        tree.append({c: np.tile(part[c].to_numpy(), len(owners)) for c in
                     ("code_idx", "parent_idx", "position", "depth", "weight", "framework_idx")})
    row = np.concatenate(rows)
    tree = {c: np.concatenate([part[c] for part in tree]) for c in tree[0]}
    inner = {"key": row * width + tree["code_idx"], "parent_key": row * width + tree["parent_idx"],
             "position": tree["position"].astype("int64"), "depth": tree["depth"].astype("int64"),
             "weight": tree["weight"].astype("float64"), "reported": np.full(len(row), np.nan),
             "value": np.full(len(row), np.nan)}
    _sum_up(leaves, inner)
    frame = pd.DataFrame({"evaluation_id": ids[row], "framework_idx": tree["framework_idx"],
                          "code_idx": tree["code_idx"], "parent_idx": tree["parent_idx"],
                          **{c: inner[c] for c in ("position", "depth", "weight", "reported", "value")}})
    con.execute("CREATE OR REPLACE TEMP TABLE domain_keys (idx INTEGER, framework VARCHAR)").fetchall()
    con.executemany("INSERT INTO domain_keys VALUES (?, ?)", list(enumerate(keys)))
    con.register("domain_inner_frame", frame)
    con.execute(f"""INSERT INTO {t.node_scores} SELECT f.evaluation_id, c.code, p.code, f.position, f.depth, f.weight,
                        f.reported, NULL, NULL, NULL, NULL, f.value
                    FROM domain_inner_frame f JOIN domain_codes c ON c.idx = f.code_idx
                    JOIN domain_codes p ON p.idx = f.parent_idx WHERE f.depth > 0""").fetchall()
    con.execute(f"""CREATE OR REPLACE TABLE {t.totals} AS
        SELECT evaluation_id, framework, reported AS total_reported, value AS total_rule,
               {_grade(frameworks, 'reported')} AS grade_reported, {_grade(frameworks, 'value')} AS grade_rule
        FROM domain_inner_frame JOIN domain_keys ON idx = framework_idx WHERE depth = 0""").fetchall()
    con.unregister("domain_inner_frame")
    for name in ["domain_figures_wide", "domain_codes", "domain_keys"]:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return {"leaf_rows": con.execute(f"SELECT count(*) FROM {t.leaves}").fetchall()[0][0],
            "node_rows": con.execute(f"SELECT count(*) FROM {t.node_scores}").fetchall()[0][0],
            "evaluations": con.execute(f"SELECT count(*) FROM {t.totals}").fetchall()[0][0]}
