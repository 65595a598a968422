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

from analytics.domain.evaluation import EvaluationInputs
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


def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    if name not in rows.columns:
        return np.full(len(rows), None if _is_text(name) else np.nan, dtype=object if _is_text(name) else "float64")
    return rows[name].to_numpy(dtype=object) if _is_text(name) else rows[name].to_numpy(dtype="float64")


def score_leaves(leaves: pd.DataFrame) -> pd.DataFrame:
    n = len(leaves)
    rule, rate = np.full(n, np.nan), np.full(n, np.nan)
    reason, finding = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
    for (kind, params_key), index in leaves.groupby(["kind", "params"], sort=False).indices.items():
        params = json.loads(params_key)
        rows = leaves.iloc[index]
        cols = {c: _column(rows, c) for c in columns(kind, params)}
        result = KINDS[kind].score_set(params, rows["weight"].to_numpy(dtype="float64"), cols)
        rule[index], rate[index], reason[index], finding[index] = result.score, result.rate, result.reason, result.finding
    out = leaves[["evaluation_id", "code", "parent", "position", "depth", "weight", "reported"]].copy()
    out["rule"], out["rate"], out["reason"], out["finding"] = rule, rate, reason, finding
    out["value"] = np.where(np.isnan(rule), out["reported"].to_numpy(dtype="float64"), rule)
    return out


def _sum_children(children: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per (evaluation_id, parent): children added in position order (NaN adds 0.0), rounded half up."""
    wide = children.set_index(["evaluation_id", "parent", "position"])[column].unstack("position")
    acc = np.zeros(len(wide))
    for position in sorted(wide.columns):
        values = wide[position].to_numpy(dtype="float64")
        acc = acc + np.where(np.isnan(values), 0.0, values)
    return pd.DataFrame({"evaluation_id": wide.index.get_level_values(0), "code": wide.index.get_level_values(1),
                         column: round2_v(acc)})


def score_table(fw: Framework, leaves: pd.DataFrame, inner: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(every node's scores, one row per evaluation with totals and grades)."""
    scored = score_leaves(leaves)
    done = [scored]
    pending = inner.copy()
    level = scored
    for depth in range(int(max(leaves["depth"].max(), pending["depth"].max() if len(pending) else 0)), 0, -1):
        children = pd.concat([d[d["depth"] == depth] for d in done], ignore_index=True)
        if children.empty:
            continue
        sums = _sum_children(children, "reported").merge(_sum_children(children, "value"), on=["evaluation_id", "code"])
        parents = pending[pending["depth"] == depth - 1].merge(sums, on=["evaluation_id", "code"], how="left")
        parents[["reported", "value"]] = parents[["reported", "value"]].fillna(0.0)
        done.append(parents)
        level = sums
    totals = level[level["code"] == TOTAL].drop(columns="code") if len(level) else level
    nodes = pd.concat(done, ignore_index=True).reindex(columns=NODE_COLUMNS)
    totals = totals.rename(columns={"reported": "total_reported", "value": "total_rule"})
    totals["grade_reported"] = [fw.grade(t) for t in totals["total_reported"]]
    totals["grade_rule"] = [fw.grade(t) for t in totals["total_rule"]]
    return nodes, totals.reset_index(drop=True)
