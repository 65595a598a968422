"""The set-based path: many evaluations of one framework at once, vectorised per rule kind.

``long_table`` lays the evaluations out as one row per (evaluation_id, leaf) with the leaf's rule kind,
parameters, weight, reported score and its named inputs as columns (the same ``leaf_inputs`` the
one-evaluation path uses; a table read from DuckDB with these columns serves as well).
``score_table`` scores each group of rows sharing a rule kind and parameters with that kind's
``score_set``, then sums inner nodes bottom-up in tree order (child position by child position, the
same additions as ``score_one``) and grades the totals: bit-identical to ``score_evaluation``.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

from analytics.domain.loader import TOTAL
from analytics.domain.model import Framework, thaw
from analytics.domain.rounding import round2_v
from analytics.domain.rules import KINDS, columns
from analytics.domain.score_one import concrete, leaf_inputs

TEXT_COLUMNS = ("comparator", "label", "choice")
NODE_COLUMNS = ["evaluation_id", "code", "parent", "position", "depth", "weight", "reported", "rule", "rate",
                "reason", "finding", "value"]


def _is_text(column: str) -> bool:
    return column.split(":")[-1] in TEXT_COLUMNS


def _structure(tree: Framework) -> list[dict]:
    """Every node of a concrete tree with its parent, position among siblings and depth."""
    rows = []

    def visit(nodes, depth, parent):
        for position, node in enumerate(nodes):
            rows.append({"node": node, "code": node.code, "parent": parent, "position": position, "depth": depth})
            visit(node.children, depth + 1, node.code)
    visit(tree.nodes, 1, TOTAL)
    return rows


def long_table(fw: Framework, evaluations: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(leaf rows, inner-node rows) for evaluations {evaluation_id: EvaluationInputs}."""
    leaves, inner = [], []
    for evaluation_id, ev in evaluations.items():
        for row in _structure(concrete(fw, ev)):
            node = row.pop("node")
            base = {"evaluation_id": evaluation_id, **row, "weight": node.weight}
            if not node.is_leaf:
                inner.append(base)
                continue
            params = thaw(node.rule.params)
            leaves.append({**base, "kind": node.rule.kind, "params": json.dumps(params, sort_keys=True, ensure_ascii=False),
                           "reported": ev.reported.get(node.code), **leaf_inputs(node, ev)})
    frame = pd.DataFrame(leaves)
    for column in frame.columns:
        if column in ("evaluation_id", "code", "parent", "kind", "params"):
            continue
        if _is_text(column):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif column not in ("position", "depth"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame, pd.DataFrame(inner, columns=["evaluation_id", "code", "parent", "position", "depth", "weight"])


def _column(leaves: pd.DataFrame, name: str) -> np.ndarray:
    if name not in leaves.columns:
        return np.full(len(leaves), None if _is_text(name) else np.nan, dtype=object if _is_text(name) else "float64")
    return leaves[name].to_numpy(dtype=object) if _is_text(name) else leaves[name].to_numpy(dtype="float64")


def score_leaves(leaves: pd.DataFrame) -> pd.DataFrame:
    n = len(leaves)
    rule, rate = np.full(n, np.nan), np.full(n, np.nan)
    reason, finding = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    weight = leaves["weight"].to_numpy(dtype="float64")
    whole: dict[str, np.ndarray] = {}
    for (kind, params_key), index in leaves.groupby(["kind", "params"], sort=False).indices.items():
        params = json.loads(params_key)
        cols = {}
        for c in columns(kind, params):
            if c not in whole:
                whole[c] = _column(leaves, c)
            cols[c] = whole[c][index]
        result = KINDS[kind].score_set(params, weight[index], cols)
        rule[index], rate[index], reason[index], finding[index] = result.score, result.rate, result.reason, result.finding
    out = leaves[["evaluation_id", "code", "parent", "position", "depth", "weight", "reported"]].copy()
    out["rule"], out["rate"], out["reason"], out["finding"] = rule, rate, reason, finding
    out["value"] = np.where(np.isnan(rule), out["reported"].to_numpy(dtype="float64"), rule)
    return out


def _sum_up(nodes: pd.DataFrame) -> pd.DataFrame:
    """Fill inner nodes' reported and value bottom-up: children added in position order (a missing score
    adds 0.0, as in ``score_one``), then rounded half up."""
    evaluation = pd.factorize(nodes["evaluation_id"])[0].astype("int64")
    code, uniques = pd.factorize(nodes["code"])
    code = code.astype("int64")
    parent = pd.Index(uniques).get_indexer(nodes["parent"].fillna("")).astype("int64")   # the root's: -1
    width = len(uniques) + 1
    own_key, parent_key = evaluation * width + code, evaluation * width + parent
    depth, position = nodes["depth"].to_numpy(dtype="int64"), nodes["position"].to_numpy(dtype="int64")
    leaf = ~np.isnan(nodes["weight"].to_numpy(dtype="float64")) & nodes["kind"].notna().to_numpy()
    sums = {name: nodes[name].to_numpy(dtype="float64").copy() for name in ("reported", "value")}
    for d in range(int(depth.max()), 0, -1):
        children = np.flatnonzero(depth == d)
        targets = np.flatnonzero((depth == d - 1) & ~leaf)
        order = np.argsort(own_key[targets], kind="stable")
        target_of = targets[order][np.searchsorted(own_key[targets][order], parent_key[children])]
        for name, values in sums.items():
            acc = np.zeros(len(nodes))
            for p in range(int(position[children].max()) + 1):
                at = children[position[children] == p]
                v = values[at]
                acc[target_of[position[children] == p]] += np.where(np.isnan(v), 0.0, v)
            values[targets] = round2_v(acc[targets])
    out = nodes.copy()
    out["reported"], out["value"] = sums["reported"], sums["value"]
    return out


def _grades(fw: Framework, totals: np.ndarray) -> np.ndarray:
    bands = sorted(fw.grade_bands, key=lambda b: b.min, reverse=True)
    out = np.full(len(totals), None, dtype=object)
    out[np.isfinite(totals)] = bands[-1].label
    for band in reversed(bands):
        out[totals >= band.min] = band.label
    return out


def score_table(fw: Framework, leaves: pd.DataFrame, inner: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every node's scores, one row per evaluation with totals and grades)."""
    roots = pd.DataFrame({"evaluation_id": leaves["evaluation_id"].unique(), "code": TOTAL, "parent": None,
                          "position": 0, "depth": 0, "weight": fw.total})
    inner_rows = pd.concat([inner, roots], ignore_index=True).assign(kind=None, weight=np.nan)
    scored = score_leaves(leaves).assign(kind=leaves["kind"].to_numpy())
    nodes = _sum_up(pd.concat([scored, inner_rows], ignore_index=True))
    nodes["weight"] = np.concatenate([scored["weight"].to_numpy(dtype="float64"),
                                      pd.concat([inner, roots], ignore_index=True)["weight"].to_numpy(dtype="float64")])
    is_total = (nodes["depth"] == 0).to_numpy()
    totals = nodes.loc[is_total, ["evaluation_id", "reported", "value"]].rename(
        columns={"reported": "total_reported", "value": "total_rule"}).reset_index(drop=True)
    totals["grade_reported"] = _grades(fw, totals["total_reported"].to_numpy(dtype="float64"))
    totals["grade_rule"] = _grades(fw, totals["total_rule"].to_numpy(dtype="float64"))
    return nodes.loc[~is_total].reindex(columns=NODE_COLUMNS).reset_index(drop=True), totals


def score_duckdb(fw: Framework, con, leaves_table: str, inner_table: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score the long tables stored in DuckDB (as written from ``long_table``); the table names are the
    engine's own identifiers, never user text."""
    leaves = con.sql(f"SELECT * FROM {leaves_table} ORDER BY evaluation_id, depth, parent, position").df()
    inner = con.sql(f"SELECT * FROM {inner_table}").df()
    return score_table(fw, leaves, inner)
