"""Beijing 2022's leaves, scored by the framework engine's rule kinds, reproduce the worked numbers of
docs/domain.md and stay within [0, weight]; the rounding helpers keep two decimals."""
import math

import pytest
from hypothesis import given, strategies as st

from analytics import rules
from analytics.domain.evaluation import EvaluationInputs, LeafInput
from analytics.domain.loader import shipped_frameworks
from analytics.domain.score_one import score_leaf

FW = shipped_frameworks()["beijing-2022"][0]
SEED = {"budget_total": 291435.79, "spent_total": 251145.17, "carryover_amount": 40290.62,
        "carryover_rate_prev": 8.04, "initial_budget_total": 159584.73, "final_account_total": 291435.79,
        "municipal_avg_diff_rate": 28.3}


def rule(code: str, figures: dict | None = None, **leaf):
    """(rate, rule score) of one Beijing leaf with the seed's figures changed by ``figures``."""
    result = score_leaf(FW.node(code), EvaluationInputs(figures={**SEED, **(figures or {})},
                                                         leaves={code: LeafInput(**leaf)}))
    return result.rate, result.score


def test_execution_rate_is_cut_not_rounded_as_in_the_report():
    assert rule("execution_rate") == (86.17, 17.23)


def test_carryover_rule_gives_1_69_where_the_report_says_0():
    assert rule("carryover_rate") == (13.82, 1.69)


def test_difference_rate_deducts_per_full_ten_points():
    assert rule("final_account_diff_rate") == (82.62, 2.0)
    initial = 100.0
    for final, average, expected in ((138.3, 28.3, 3.6),      # exactly 10 points above counts ("含")
                                     (138.29, 28.3, 4.0), (128.3, 28.3, 4.0), (600.0, 28.3, 0.0)):
        assert rule("final_account_diff_rate", {"initial_budget_total": initial, "final_account_total": final,
                                                "municipal_avg_diff_rate": average})[1] == expected, final


def test_carryover_not_above_last_year_keeps_full_marks():
    budget = 100.0
    for amount, previous, expected in ((8.04, 8.04, 4.0), (3.0, 8.04, 4.0), (30.0, 8.04, 0.0)):
        assert rule("carryover_rate", {"budget_total": budget, "carryover_amount": amount,
                                       "carryover_rate_prev": previous})[1] == expected, amount
    no_previous = {k: v for k, v in SEED.items() if k != "carryover_rate_prev"}
    result = score_leaf(FW.node("carryover_rate"), EvaluationInputs(figures=no_previous))
    assert result.score is None                                   # no previous year: rule not applicable


def test_ratio_rule_caps_at_weight_and_applies_over_target_penalty():
    for spent, expected in ((150, 20.0), (300, 18.0), (400, 16.0), (600, 14.0), (299.99, 20.0)):
        assert rule("execution_rate", {"budget_total": 100.0, "spent_total": spent})[1] == expected, spent


def test_ratio_rule_is_not_applicable_without_a_target():
    assert rule("execution_rate", {"budget_total": 0.0})[1] is None


@pytest.mark.parametrize("code,failed,expected", [
    ("financial_rules", 0, 1.0), ("financial_rules", 1, 0.5), ("financial_rules", 3, 0.0),
    ("fund_compliance", 2, 1.0), ("fund_compliance", 7, 0.0),
    ("asset_management", 1, 3.2), ("asset_management", 5, 0.0),
    ("performance_management", 1, 2.0), ("performance_management", 2, 0.0),
])
def test_checklist_deduction(code, failed, expected):
    assert rule(code, failed=failed)[1] == expected


@pytest.mark.parametrize("total,grade", [(90.73, "优秀"), (90, "优秀"), (89.99, "良好"), (80, "良好"),
                                         (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差")])
def test_grade_bands_have_inclusive_lower_bounds(total, grade):
    assert FW.grade(total) == grade


def test_grade_synonyms_normalise():
    assert [FW.normalise_grade(g) for g in ("优", "良", "中等", "合格", "一般", "不合格", "“优秀”")] == \
        ["优秀", "良好", "中", "中", "中", "差", "优秀"]


numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e9, 1e9))


def _within(score, weight):
    return score is None or (0 <= score <= weight and math.isfinite(score))


@given(numbers, numbers, numbers, numbers, st.integers(-5, 50), numbers)
def test_every_beijing_leaf_stays_within_its_weight(budget, spent, carryover, final, failed, given_score):
    figures = {"budget_total": budget, "spent_total": spent, "carryover_amount": carryover,
               "final_account_total": final}
    figures = {k: v for k, v in figures.items() if v is not None}
    for leaf in FW.leaves():
        score = rule(leaf.code, figures, failed=failed, given=given_score)[1]
        assert _within(score, leaf.weight), leaf.code


@given(st.floats(-1e6, 1e6))
def test_rounding_helpers_give_two_decimals(x):
    assert abs(rules.round2(x) - x) <= 0.005 + 1e-6
    assert abs(rules.cut2(x)) <= abs(x) + 1e-6
