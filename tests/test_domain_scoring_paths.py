"""The set-based path and the one-evaluation path give bit-identical results on generated frameworks."""
from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings, strategies as st

from analytics.domain.loader import TOTAL, load_framework
from analytics.domain.score_one import score_evaluation
from analytics.domain.score_set import long_table, score_table
from domain_generators import evaluation, framework, open_group_weights


def same(a, b) -> bool:
    """Bit-identical floats (NaN in the set path stands for None), or equal codes."""
    a = None if isinstance(a, float) and math.isnan(a) else a
    b = None if isinstance(b, float) and math.isnan(b) else b
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a).hex() == float(b).hex()
    return a == b


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=framework(), data=st.data())
def test_both_paths_agree_on_generated_frameworks(raw, data):
    fw, issues = load_framework(raw)
    assert fw is not None, issues
    groups = open_group_weights(fw)
    evaluations = {i: data.draw(evaluation(fw, groups)) for i in range(data.draw(st.integers(1, 4)))}
    nodes, totals = score_table(fw, *long_table(fw, evaluations))
    rows = {(r["evaluation_id"], r["code"]): r for r in nodes.to_dict("records")}
    for evaluation_id, ev in evaluations.items():
        one = score_evaluation(fw, ev)
        for code, node in one.nodes.items():
            if code == TOTAL:
                continue
            row = rows[(evaluation_id, code)]
            for name in ("reported", "rule", "rate", "reason", "finding", "value"):
                assert same(getattr(node, name), row[name]), (code, name, getattr(node, name), row[name])
        total = totals[totals["evaluation_id"] == evaluation_id].iloc[0]
        assert same(one.total_reported, total["total_reported"]) and same(one.total_rule, total["total_rule"])
        assert (one.grade_reported, one.grade_rule) == (total["grade_reported"], total["grade_rule"])
        for code, node in one.nodes.items():
            if node.rule is not None:
                assert 0 <= node.rule <= node.weight


def test_set_path_over_tables_stored_in_duckdb_matches_the_one_evaluation_path(tmp_path):
    import dataclasses

    import duckdb

    from analytics.domain.score_set import score_duckdb
    from test_domain_frameworks import BEIJING, SEED

    evaluations = {i: dataclasses.replace(SEED, figures={**SEED.figures, "spent_total": 200000.0 + i * 1234.5,
                                                          "carryover_rate_prev": 8.04 + i})
                   for i in range(30)}
    leaves, inner = long_table(BEIJING, evaluations)
    con = duckdb.connect(str(tmp_path / "scores.duckdb"))
    con.register("leaves_frame", leaves)
    con.register("inner_frame", inner)
    con.execute("CREATE TABLE leaf_inputs AS SELECT * FROM leaves_frame")
    con.execute("CREATE TABLE inner_nodes AS SELECT * FROM inner_frame")
    nodes, totals = score_duckdb(BEIJING, con, "leaf_inputs", "inner_nodes")
    con.close()
    for evaluation_id, ev in evaluations.items():
        one = score_evaluation(BEIJING, ev)
        rows = nodes[nodes["evaluation_id"] == evaluation_id].set_index("code")
        for code, node in one.nodes.items():
            if code != TOTAL:
                assert same(node.value, rows.loc[code, "value"]) and same(node.rule, rows.loc[code, "rule"]), code
        total = totals[totals["evaluation_id"] == evaluation_id].iloc[0]
        assert same(one.total_rule, total["total_rule"]) and one.grade_rule == total["grade_rule"]
