"""The rule functions reproduce the worked numbers of docs/domain.md and stay within [0, weight]."""
import math

import pytest
from hypothesis import given, strategies as st

from analytics import rules
from analytics.framework import default_framework

FW = default_framework()
TIERS = FW.indicator("execution_rate").rule["over_target_penalty"]


def test_execution_rate_is_cut_not_rounded_as_in_the_report():
    assert rules.rate_percent(251145.17, 291435.79) == 86.17      # 86.1751… printed as 86.17
    assert rules.score_ratio(291435.79, 251145.17, 20, "positive", TIERS) == 17.23


def test_carryover_rule_gives_1_69_where_the_report_says_0():
    rate = rules.rate_percent(40290.62, 291435.79)
    assert rate == 13.82
    assert rules.score_carryover(rate, 8.04, 4, 0.4) == 1.69


def test_difference_rate_deducts_per_full_ten_points():
    rate = rules.change_rate_percent(291435.79, 159584.73)
    assert rate == 82.62
    assert rules.score_diff_rate(rate, 28.3, 4, 10, 0.4) == 2.0
    assert rules.score_diff_rate(38.3, 28.3, 4, 10, 0.4) == 3.6      # exactly 10 points above counts ("含")
    assert rules.score_diff_rate(38.29, 28.3, 4, 10, 0.4) == 4.0
    assert rules.score_diff_rate(28.3, 28.3, 4, 10, 0.4) == 4.0
    assert rules.score_diff_rate(500, 28.3, 4, 10, 0.4) == 0.0       # floor at 0


def test_carryover_not_above_last_year_keeps_full_marks():
    assert rules.score_carryover(8.04, 8.04, 4, 0.4) == 4.0
    assert rules.score_carryover(3.0, 8.04, 4, 0.4) == 4.0
    assert rules.score_carryover(30.0, 8.04, 4, 0.4) == 0.0
    assert rules.score_carryover(9.0, None, 4, 0.4) is None          # no previous year: rule not applicable


def test_ratio_rule_caps_at_weight_and_applies_over_target_penalty():
    assert rules.score_ratio(100, 150, 20, "positive", TIERS) == 20.0
    assert rules.score_ratio(100, 300, 20, "positive", TIERS) == 18.0    # +200 %: −10 % of the weight
    assert rules.score_ratio(100, 400, 20, "positive", TIERS) == 16.0    # +300 %: −20 %
    assert rules.score_ratio(100, 600, 20, "positive", TIERS) == 14.0    # +500 %: −30 %
    assert rules.score_ratio(100, 299.99, 20, "positive", TIERS) == 20.0


def test_reverse_ratio_uses_target_over_actual():
    assert rules.score_ratio(80, 100, 10, "reverse") == 8.0
    assert rules.score_ratio(80, 40, 10, "reverse") == 10.0
    assert rules.score_ratio(80, 0, 10, "reverse") == 10.0
    assert rules.score_ratio(80, 100, 10, "positive") == 10.0


def test_ratio_rule_is_not_applicable_without_a_target():
    assert rules.score_ratio(0, 100, 20) is None
    assert rules.score_ratio(None, 100, 20) is None


@pytest.mark.parametrize("code,failed,expected", [
    ("financial_rules", 0, 1.0), ("financial_rules", 1, 0.5), ("financial_rules", 3, 0.0),
    ("fund_compliance", 2, 1.0), ("fund_compliance", 7, 0.0),
    ("asset_management", 1, 3.2), ("asset_management", 5, 0.0),
    ("performance_management", 1, 2.0), ("performance_management", 2, 0.0),
])
def test_checklist_deduction(code, failed, expected):
    ind = FW.indicator(code)
    assert rules.score_checklist(failed, ind.weight, ind.rule["deduction"]) == expected


@pytest.mark.parametrize("total,grade", [(90.73, "优秀"), (90, "优秀"), (89.99, "良好"), (80, "良好"),
                                         (79.99, "中"), (60, "中"), (59.99, "差"), (0, "差")])
def test_grade_bands_have_inclusive_lower_bounds(total, grade):
    assert FW.grade(total) == grade


def test_grade_synonyms_normalise():
    assert [FW.normalise_grade(g) for g in ("优", "良", "中等", "合格", "一般", "不合格", "“优秀”")] == \
        ["优秀", "良好", "中", "中", "中", "差", "优秀"]


numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e9, 1e9))
weights = st.sampled_from([1.0, 2.0, 4.0, 5.0, 6.0, 8.0, 10.0, 20.0])


def _within(score, weight):
    return score is None or (0 <= score <= weight and math.isfinite(score))


@given(numbers, numbers, weights, st.sampled_from(["positive", "reverse"]))
def test_ratio_never_crashes_and_stays_within_weight(target, actual, weight, direction):
    assert _within(rules.score_ratio(target, actual, weight, direction, TIERS), weight)


@given(st.integers(-5, 50), weights, st.sampled_from([0.5, 0.8, 2.0]))
def test_checklist_stays_within_weight(failed, weight, deduction):
    assert _within(rules.score_checklist(failed, weight, deduction), weight)


@given(numbers, numbers, weights)
def test_carryover_stays_within_weight(rate, previous, weight):
    assert _within(rules.score_carryover(rate, previous, weight, 0.4), weight)


@given(numbers, numbers, numbers, weights)
def test_diff_rate_stays_within_weight(final, initial, average, weight):
    rate = rules.change_rate_percent(final, initial)
    assert _within(rules.score_diff_rate(rate, average, weight, 10, 0.4), weight)


@given(numbers, weights)
def test_judged_scores_are_kept_within_weight(given_score, weight):
    assert _within(rules.score_judged(given_score, weight), weight)


@given(st.floats(-1e6, 1e6))
def test_rounding_helpers_give_two_decimals(x):
    assert abs(rules.round2(x) - x) <= 0.005 + 1e-6
    assert abs(rules.cut2(x)) <= abs(x) + 1e-6
