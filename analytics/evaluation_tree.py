"""Stored evaluations' nodes as frames: names, ancestors and order from the framework tree, scores from
``node_results`` (analytics.scores), the leaves' inputs from ``node_inputs``.

Nothing here adds scores up: every node's reported score, rule score and value come from the view.
A leaf an evaluation brings to an open group (the national layout's own level-3 indicators) is not in
the framework: its names and unit come from ``node_inputs``, its place from its group.
"""
from __future__ import annotations

import pandas as pd

from analytics import scores
from analytics.domain.model import Framework
from analytics.store import Store

ROOT = "total"          # the parent code of level-1 nodes in node_results
LEAF_INPUTS = ("unit", "target_text", "actual_text", "comparator", "target", "actual", "failed", "given", "label",
               "choice", "coefficient", "deviation_reason")


def framework_nodes(framework_id: str, fw: Framework) -> pd.DataFrame:
    """One row per node of a framework: names, concept, rule kind, pre-order and level-1/level-2 ancestors."""
    rows, path = [], {}
    for order, (node, depth, parent) in enumerate(fw.walk()):
        path[node.code] = (*path.get(parent, ()), node.code)
        ancestors = path[node.code]
        rows.append({"framework_id": framework_id, "code": node.code, "zh": node.zh, "en": node.en or None,
                     "concept": node.concept, "framework_rule_kind": node.rule.kind if node.rule else None,
                     "order": float(order), "level1": ancestors[0], "level2": ancestors[1] if depth > 1 else None})
    return pd.DataFrame(rows)


def frameworks(store: Store) -> dict[str, Framework]:
    """The stored frameworks by id (analytics.scores.stored_frameworks on a cursor of its own)."""
    cur = store.cursor()
    try:
        return scores.stored_frameworks(cur)
    finally:
        cur.close()


def concept_codes(fws: dict[str, Framework], concepts) -> pd.DataFrame:
    """(framework_id, code, concept) of every framework node carrying one of ``concepts``."""
    return pd.DataFrame([(fid, node.code, node.concept) for fid, fw in fws.items() for node, _, _ in fw.walk()
                         if node.concept in concepts], columns=["framework_id", "code", "concept"])


def nodes(store: Store, evaluation_ids: list[int], depths: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Every node (or those of ``depths``) of the given evaluations from node_results, with names,
    ancestors, order, rule kind and the leaves' inputs; ``brought`` marks leaves not in the framework."""
    depth_filter = "AND r.depth IN (SELECT unnest(?))" if depths else ""
    params = [list(map(int, evaluation_ids)), *([list(depths)] if depths else [])]
    frame = store.df(f"""
        SELECT r.evaluation_id, e.framework_id, r.code, r.parent, r.position, r.depth, r.weight, r.reported,
               r.printed, r.rule, r.rate, r.reason, r.finding, r.value, i.node IS NOT NULL AS leaf,
               i.zh AS input_zh, i.en AS input_en, rl.kind AS rule_kind, coalesce(i.inferred, false) AS inferred,
               {', '.join(f'i.{c}' for c in LEAF_INPUTS)}
        FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
        LEFT JOIN node_inputs i ON i.evaluation_id = r.evaluation_id AND i.node = r.code
        LEFT JOIN rules rl ON rl.rule_id = i.rule_id
        WHERE r.evaluation_id IN (SELECT unnest(?)) {depth_filter}""", params)
    known = framework_nodes_of(store, frame["framework_id"].unique())
    named = frame.merge(known, on=["framework_id", "code"], how="left")
    named["brought"] = named["order"].isna()
    placed = _place_brought(named, known).drop(columns=["input_zh", "input_en"])
    placed["rule_kind"] = placed["rule_kind"].fillna(placed["framework_rule_kind"])
    return placed.drop(columns="framework_rule_kind").sort_values(["evaluation_id", "order"], kind="stable").reset_index(
        drop=True)


def framework_nodes_of(store: Store, framework_ids) -> pd.DataFrame:
    stored = frameworks(store)
    parts = [framework_nodes(fid, stored[fid]) for fid in framework_ids if fid in stored]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["framework_id", "code", "zh", "en", "concept", "framework_rule_kind", "order", "level1",
                 "level2"])


def _place_brought(frame: pd.DataFrame, known: pd.DataFrame) -> pd.DataFrame:
    """Brought leaves: names from their inputs, order and ancestors from their group (an open group of
    the framework, ``known``: framework_nodes rows)."""
    brought = frame["brought"]
    if not brought.any():
        return frame
    keys = pd.MultiIndex.from_arrays([frame.loc[brought, "framework_id"], frame.loc[brought, "parent"]])
    group = known.set_index(["framework_id", "code"]).reindex(keys)
    codes = frame.loc[brought, "code"]
    frame.loc[brought, "zh"] = frame.loc[brought, "input_zh"].fillna(codes)
    frame.loc[brought, "en"] = frame.loc[brought, "input_en"].replace("", None)
    frame.loc[brought, "order"] = group["order"].to_numpy() + (frame.loc[brought, "position"].to_numpy() + 1) / 1000
    frame.loc[brought, "level1"] = group["level1"].to_numpy()
    frame.loc[brought, "level2"] = group["level2"].fillna(pd.Series(codes.to_numpy(), index=group.index)).to_numpy()
    return frame
