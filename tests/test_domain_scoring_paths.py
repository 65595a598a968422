"""The set-based path (generated SQL over the long tables) and the one-evaluation path give bit-identical
results on generated frameworks and on the Beijing seed."""
from __future__ import annotations

import dataclasses
import math

import duckdb
from hypothesis import HealthCheck, given, settings, strategies as st

from analytics.domain import long_tables, score_sql
from analytics.domain.loader import TOTAL, load_framework
from analytics.domain.score_one import score_evaluation
from domain_generators import evaluation, framework, open_group_weights
from test_domain_frameworks import BEIJING, SEED


def same(a, b) -> bool:
    """Bit-identical floats (NaN in the set path stands for None), or equal codes."""
    a = None if isinstance(a, float) and math.isnan(a) else a
    b = None if isinstance(b, float) and math.isnan(b) else b
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and float(a).hex() == float(b).hex()
    return a == b


def assert_sql_path_matches(frameworks: dict, evaluations: dict, database: str = ":memory:") -> None:
    """Store {id: (framework key, inputs)} in the long tables, score them in SQL, compare with score_one."""
    con = duckdb.connect(database)
    long_tables.write(con, frameworks, evaluations)
    counts = score_sql.score_all(con, frameworks)
    nodes = con.sql("SELECT * FROM domain_node_scores").df()
    totals = con.sql("SELECT * FROM domain_totals").df().set_index("evaluation_id")
    assert counts["evaluations"] == len(evaluations)
    rows = {(r["evaluation_id"], r["code"]): r for r in nodes.to_dict("records")}
    for evaluation_id, (key, ev) in evaluations.items():
        one = score_evaluation(frameworks[key], ev)
        assert len([k for k in rows if k[0] == evaluation_id]) == len(one.nodes) - 1
        for code, node in one.nodes.items():
            if code == TOTAL:
                continue
            row = rows[(evaluation_id, code)]
            for name in ("weight", "reported", "rule", "rate", "reason", "finding", "value"):
                assert same(getattr(node, name), row[name]), (code, name, getattr(node, name), row[name])
            if node.rule is not None:
                assert 0 <= node.rule <= node.weight, (code, node.rule, node.weight)
        total = totals.loc[evaluation_id]
        assert same(one.total_reported, total["total_reported"]) and same(one.total_rule, total["total_rule"])
        assert (one.grade_reported, one.grade_rule) == (total["grade_reported"], total["grade_rule"])
    again = long_tables.read(con, frameworks, list(evaluations))
    for evaluation_id, (key, ev) in evaluations.items():
        assert again[evaluation_id][0] == key
        assert score_evaluation(frameworks[key], again[evaluation_id][1]) == score_evaluation(frameworks[key], ev)
    con.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raws=st.lists(framework(), min_size=1, max_size=2), data=st.data())
def test_generated_sql_path_agrees_with_the_one_evaluation_path_on_generated_frameworks(raws, data):
    frameworks = {}
    for i, raw in enumerate(raws):
        fw, issues = load_framework(raw)
        assert fw is not None, issues
        frameworks[f"fw{i}"] = fw
    evaluations = {}
    for i in range(data.draw(st.integers(1, 5))):
        key = data.draw(st.sampled_from(sorted(frameworks)))
        evaluations[i + 1] = (key, data.draw(evaluation(frameworks[key], open_group_weights(frameworks[key]))))
    assert_sql_path_matches(frameworks, evaluations)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=framework(), data=st.data())
def test_sql_path_agrees_on_many_evaluations_of_one_generated_framework(raw, data):
    fw, issues = load_framework(raw)
    assert fw is not None, issues
    groups = open_group_weights(fw)
    evaluations = {i: ("fw", data.draw(evaluation(fw, groups))) for i in range(data.draw(st.integers(1, 4)))}
    assert_sql_path_matches({"fw": fw}, evaluations)


def test_generated_sql_path_keeps_the_seed_numbers():
    assert_sql_path_matches({"beijing-2022": BEIJING}, {7: ("beijing-2022", SEED)})


def test_sql_path_over_tables_stored_in_a_duckdb_file_matches_the_one_evaluation_path(tmp_path):
    evaluations = {i: ("beijing-2022", dataclasses.replace(SEED, figures={**SEED.figures,
                                                                          "spent_total": 200000.0 + i * 1234.5,
                                                                          "carryover_rate_prev": 8.04 + i}))
                   for i in range(30)}
    assert_sql_path_matches({"beijing-2022": BEIJING}, evaluations, str(tmp_path / "scores.duckdb"))


def test_evaluations_of_a_framework_not_given_get_leaf_scores_but_no_sums_or_totals():
    """Scoring with only some of the stored frameworks: the others' evaluations get no total (missing,
    never a made-up 0.00) and no inner rows; the given framework's evaluations score as on one evaluation."""
    other = dataclasses.replace(BEIJING, nodes=BEIJING.nodes[:2] + (dataclasses.replace(
        BEIJING.nodes[2], code="other_management"),))
    con = duckdb.connect()
    long_tables.write(con, {"beijing-2022": BEIJING, "other": other},
                      {1: ("beijing-2022", SEED), 2: ("other", SEED)})
    counts = score_sql.score_all(con, {"beijing-2022": BEIJING})
    totals = dict(con.execute("SELECT evaluation_id, total_rule FROM domain_totals").fetchall())
    assert totals == {1: score_evaluation(BEIJING, SEED).total_rule} and counts["evaluations"] == 1
    inner = con.execute("SELECT DISTINCT evaluation_id FROM domain_inner_scores").fetchall()
    assert inner == [(1,)]
    leaves = dict(con.execute("SELECT evaluation_id, count(*) FROM domain_leaf_scores GROUP BY 1").fetchall())
    assert leaves[2] == leaves[1] == len(BEIJING.leaves())
    con.close()
