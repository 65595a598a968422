"""The stored scores: the seed keeps its reported and rule scores side by side, and what the store holds
for every evaluation of the demo (both frameworks) is what the one-evaluation path gives."""

import pytest

from analytics import compare, scores
from analytics.domain import long_tables
from analytics.domain.loader import TOTAL
from analytics.domain.rules import checklist
from analytics.domain.score_one import score_evaluation
from analytics.store import Store


def test_the_stored_seed_keeps_reported_and_rule_scores_side_by_side(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    evaluation_id = compare.find_evaluation(store, "北京市商务局", 2022)
    summary = compare.evaluation_summary(store, evaluation_id)
    assert summary["source_kind"] == "report"
    assert (summary["reported_total"], summary["reported_grade"]) == (90.73, "优秀")
    assert (summary["rule_total"], summary["rule_grade"]) == (92.42, "优秀")
    tree = compare.indicator_tree(store, evaluation_id).set_index("code")
    assert tree.loc["carryover_rate", "reported"] == 0 and tree.loc["carryover_rate", "rule"] == 1.69
    assert tree["disagrees"].sum() == 1
    assert tree.loc["budget_management", "printed"] == 14.0 and tree.loc["budget_management", "value"] == 15.69
    store.close()


def test_the_store_holds_what_the_one_evaluation_path_gives_for_every_evaluation(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    cur = store.cursor()
    frameworks = scores.stored_frameworks(cur)
    assert len(frameworks) >= 2
    ids = [i for (i,) in cur.execute("SELECT id FROM evaluations ORDER BY id").fetchall()]
    stored = {}
    for evaluation_id, code, reported, rule, value in cur.execute(
            "SELECT s.evaluation_id, s.code, l.reported, s.rule, s.value FROM score_nodes s "
            "LEFT JOIN node_inputs l ON l.evaluation_id = s.evaluation_id AND l.node = s.code").fetchall():
        stored[(evaluation_id, code)] = (rule, value)
    totals = {i: (r, v, gr, gv) for i, r, v, gr, gv in cur.execute(
        "SELECT evaluation_id, total_reported, total_rule, grade_reported, grade_rule FROM score_totals").fetchall()}
    for evaluation_id, (key, inputs) in long_tables.read(cur, frameworks, ids, scores.STORE_TABLES).items():
        one = score_evaluation(frameworks[key], inputs)
        for code, node in one.nodes.items():
            if code != TOTAL:
                assert stored[(evaluation_id, code)] == (node.rule, node.value), (evaluation_id, code)
        assert totals[evaluation_id] == (one.total_reported, one.total_rule, one.grade_reported, one.grade_rule)
    cur.close()
    store.close()


@pytest.mark.parametrize("score,expected", [(1.0, 0), (0.5, 1), (0.0, 2), (0.3, None), (None, None)])
def test_failed_checks_are_inferred_only_from_whole_deductions(score, expected):
    # financial_rules: weight 1, 0.5 per failed check of 3; 0 points is explained by 2 failures at least
    params = {"deduction": 0.5, "checks": [{"zh": "一"}, {"zh": "二"}, {"zh": "三"}]}
    assert checklist.failed_from_score(params, 1.0, score) == expected
