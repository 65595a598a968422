"""The engine reproduces the seed's worked numbers, and its two paths agree bit for bit."""

import numpy as np
import pandas as pd
import pytest

from analytics import compare, scoring
from analytics.framework import default_framework
from analytics.records import EvaluationRecord, ensure_framework, insert_evaluation
from analytics.store import Store

FW = default_framework()
SEED_FIGURES = {"budget_total": 291435.79, "spent_total": 251145.17, "carryover_amount": 40290.62,
                "carryover_rate_prev": 8.04, "initial_budget_total": 159584.73, "final_account_total": 291435.79}
SEED_REPORTED = {"execution_rate": 17.23, "output_quantity": 9.5, "output_quality": 10, "output_timeliness": 5,
                 "output_cost": 5, "economic_benefit": 8, "social_benefit": 8, "sustainability": 8,
                 "satisfaction": 6, "financial_rules": 1, "fund_compliance": 2, "accounting_information": 1,
                 "asset_management": 4, "performance_management": 4, "carryover_rate": 0,
                 "final_account_diff_rate": 2}


def _seed_scores():
    inputs = {ind.code: scoring.derive_inputs(ind, SEED_FIGURES, {"municipal_avg_diff_rate": 28.3},
                                              SEED_REPORTED[ind.code]) for ind in FW.indicators}
    return scoring.score_inputs(FW, inputs)


def test_seed_figures_give_the_worked_numbers():
    scores = _seed_scores()
    assert scores["execution_rate"] == (86.17, 17.23)
    assert scores["carryover_rate"] == (13.82, 1.69)
    assert scores["final_account_diff_rate"] == (82.62, 2.0)


def test_reported_scores_sum_to_90_73_excellent_and_the_rules_to_92_42():
    reported = scoring.level1_totals(FW, SEED_REPORTED)
    assert reported == {"budget_execution": 17.23, "performance_targets": 59.5, "budget_management": 14.0,
                        "total": 90.73}
    assert FW.grade(reported["total"]) == "优秀"
    by_rule = scoring.level1_totals(FW, {code: score for code, (_, score) in _seed_scores().items()})
    assert by_rule["total"] == 92.42 and by_rule["budget_management"] == 15.69


def test_the_stored_seed_keeps_reported_and_rule_scores_side_by_side(demo_db):
    store = Store(demo_db)
    evaluation_id = compare.find_evaluation(store, "北京市商务局", 2022)
    summary = compare.evaluation_summary(store, evaluation_id)
    assert summary["source_kind"] == "report" and summary["reported_score_total"] == 90.73
    tree = compare.indicator_tree(store, evaluation_id).set_index("code")
    assert tree.loc["carryover_rate", "reported_score"] == 0 and tree.loc["carryover_rate", "rule_score"] == 1.69
    assert tree["disagrees"].sum() == 1
    assert round(tree["rule_score"].fillna(tree["reported_score"]).sum(), 2) == 92.42
    store.close()


def _rule_columns(store):
    return store.df("SELECT evaluation_id, indicator_code, rule_rate, rule_score FROM indicator_results ORDER BY 1, 2")


def _assert_identical(a: pd.DataFrame, b: pd.DataFrame):
    assert len(a) == len(b)
    for column in ("rule_rate", "rule_score"):
        x, y = a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float)
        both_missing = np.isnan(x) & np.isnan(y)
        mismatch = ~both_missing & (x != y)
        assert not mismatch.any(), a[mismatch].join(b[mismatch][[column]], rsuffix="_other").head()


def test_set_based_and_one_evaluation_paths_agree_on_the_whole_demo_database(demo_db):
    store = Store(demo_db)
    scoring.rescore_all(store)
    set_based = _rule_columns(store)
    with store.transaction() as cur:
        cur.execute("UPDATE indicator_results SET rule_rate = NULL, rule_score = NULL").fetchall()
    for (evaluation_id,) in store.rows("SELECT id FROM evaluations"):
        scoring.rescore_evaluation(store, FW, evaluation_id)
    one_by_one = _rule_columns(store)
    assert set_based["rule_score"].notna().sum() > 5000
    _assert_identical(set_based, one_by_one)
    store.close()


def test_both_paths_agree_on_awkward_inputs(tmp_path):
    """Zero and negative bases, missing inputs, exact thresholds, huge and tiny numbers."""
    store = Store(tmp_path / "edge.duckdb")
    with store.transaction() as cur:
        ensure_framework(cur, FW)
    rng = np.random.default_rng(3)
    awkward = [None, 0.0, -1.0, 1e-300, 1e300, 0.005, 100.0, 28.3, 8.04, 13.82, 291435.79]
    with store.transaction() as cur:
        for k in range(150):
            pick = lambda: awkward[rng.integers(len(awkward))] if rng.random() < 0.4 else float(rng.uniform(0, 5e5))
            figures = {f: pick() for f in SEED_FIGURES}
            figures["carryover_rate_prev"] = pick() if rng.random() < 0.5 else float(rng.uniform(0, 30))
            reported = {code: (None if rng.random() < 0.1 else float(rng.uniform(-2, 25))) for code in SEED_REPORTED}
            rec = EvaluationRecord(region="测试", department=f"部门{k}", year=2022, source_kind="import",
                                   figures=figures, reported={}, indicator_scores=reported)
            cur.execute("INSERT OR REPLACE INTO year_params VALUES ('测试', 2022, 'municipal_avg_diff_rate', "
                        "28.3, 'test', false)")
            insert_evaluation(cur, FW, rec)
    one_by_one = _rule_columns(store)      # insert_evaluation scores with the Python path
    scoring.rescore_all(store)
    _assert_identical(one_by_one, _rule_columns(store))
    scores = store.df("""SELECT r.rule_score, i.weight FROM indicator_results r
                         JOIN indicators i ON i.code = r.indicator_code WHERE r.rule_score IS NOT NULL""")
    assert ((scores["rule_score"] >= 0) & (scores["rule_score"] <= scores["weight"])).all()
    store.close()


@pytest.mark.parametrize("score,expected", [(1.0, 0), (0.5, 1), (0.0, 2), (0.3, None), (None, None)])
def test_failed_checks_are_inferred_only_from_whole_deductions(score, expected):
    # financial_rules: weight 1, 0.5 per failed check; 0 points is explained by 2 failures at least
    assert scoring.failed_count_from_score(FW.indicator("financial_rules"), score) == expected
