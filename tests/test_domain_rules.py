"""Every rule kind with worked numbers computed by hand from the rule text (comments show the sums)."""
from __future__ import annotations

import pytest

from analytics.domain.evaluation import LeafInput
from analytics.domain.rules import KINDS
from analytics.domain.rules.qualitative import NATIONAL_LEVELS
from analytics.domain.targets import Target, parse_actual, parse_target

SEED_TIERS = [{"from": 500, "share": 0.3}, {"from": 200, "share": 0.1}, {"from": 300, "share": 0.2}]  # any order


def run(kind: str, params: dict, weight: float, figures: dict | None = None, leaf: LeafInput = LeafInput(),
        reported=None):
    module = KINDS[kind]
    return module.score(params, weight, module.inputs(params, weight, figures or {}, leaf, reported))


def ratio(b, a, weight=20, **params):
    return run("ratio", {"numerator": "spent_total", "denominator": "budget_total", **params}, weight,
               {"spent_total": b, "budget_total": a})


def test_ratio_seed_execution_rate_is_cut_then_scored():
    # 251145.17 / 291435.79 = 0.861751… → 86.17 % (cut) → 0.8617 × 20 = 17.234 → 17.23
    result = ratio(251145.17, 291435.79, tiers=SEED_TIERS)
    assert (result.rate, result.score) == (86.17, 17.23)


def test_ratio_is_capped_at_the_weight_and_over_target_tiers_apply_in_any_order():
    assert ratio(150, 100, tiers=SEED_TIERS).score == 20.0        # 150 % → capped at 100 % → 20
    assert ratio(300, 100, tiers=SEED_TIERS).score == 18.0        # r = 200 % → −10 % of 20 = −2 → 18
    assert ratio(400, 100, tiers=SEED_TIERS).score == 16.0        # r = 300 % → −20 % → 16
    assert ratio(600, 100, tiers=SEED_TIERS).score == 14.0        # r = 500 % → −30 % → 14
    assert ratio(299.99, 100, tiers=SEED_TIERS).score == 20.0     # r = 199.99 % → no tier


def test_ratio_denominator_is_data_initial_budget_or_full_year():
    # 执行率 over 年初预算数: 90 / 120 = 75 % → 0.75 × 10 = 7.5
    result = run("ratio", {"numerator": "spent_total", "denominator": "initial_budget_total"}, 10,
                 {"spent_total": 90, "initial_budget_total": 120, "budget_total": 90})
    assert result.score == 7.5


def test_reverse_ratio_uses_target_over_actual():
    assert ratio(100, 80, weight=10, direction="reverse").score == 8.0    # A/B = 80/100 → 8
    assert ratio(40, 80, weight=10, direction="reverse").score == 10.0    # 200 % capped
    assert ratio(0, 80, weight=10, direction="reverse").score == 10.0     # nothing spent against a positive target


def test_ratio_cannot_be_applied_without_a_denominator():
    assert ratio(100, 0).reason == "zero_denominator" and ratio(100, 0).score is None
    assert ratio(100, None).reason == "missing_input"


def target(target_text, actual, weight=10, given=None):
    return run("target", {}, weight, leaf=LeafInput(target=target_text, actual=actual, given=given))


def test_target_met_gives_full_marks_and_proportional_otherwise():
    assert target("≥200", "230").score == 10.0          # met
    assert target("≥200", "150").score == 7.5           # 150 / 200 = 75 % → 7.5
    assert target("≤4天", "5天").score == 8.0            # 4 / 5 = 80 % → 8
    assert target("≤4", "3").score == 10.0
    assert target("≥95%", "90%").score == 9.47          # 90 / 95 = 94.736… % → 94.73 % → 9.473 → 9.47
    assert target("100%", "98%").score == 9.8           # "100%" reads "= 100": 98 / 100 → 9.8
    assert target(">10", "10").score == 10.0            # not met, but 10 / 10 = 100 % → 10
    assert target("<3", "4", weight=6).score == 4.5     # 3 / 4 = 75 % of 6 → 4.5


def test_time_targets_compare_month_numbers():
    assert target("11月底前", "10月").score == 10.0
    assert target("11月底前", "2023年12月").score == 9.17   # 11 / 12 = 91.666… % → 91.66 % → 9.166 → 9.17
    assert target("9月前", "9月").score == 10.0


def test_non_numeric_targets_are_judged_keeping_the_evaluators_score():
    for text in ("显著", "优秀", "有效提升"):
        result = target(text, "显著提升", given=8.5)
        assert (result.score, result.finding) == (8.5, "judged_target")
    assert target("≥200", "按时完成", given=9).score == 9.0    # an actual that is not a number is judged too
    assert target("显著", "好").reason == "no_evaluator_score"


def test_target_texts_are_read_with_comparator_number_and_unit():
    assert parse_target("≥200") == Target("≥", 200.0, "")
    assert parse_target("≥ 9,685.55 万元") == Target("≥", 9685.55, "万元")
    assert parse_target("95％以上") == Target("≥", 95.0, "%")
    assert parse_target("不超过3天") == Target("≤", 3.0, "天")
    assert parse_target("11月底前") == Target("≤", 11.0, "月")
    assert parse_target("显著") is None
    assert parse_actual("2023年10月15日", "月") == 10.0 and parse_actual("230个") == 230.0


def qualitative(label, given, weight=10):
    return run("qualitative", {"levels": NATIONAL_LEVELS}, weight, leaf=LeafInput(label=label, given=given))


def test_qualitative_keeps_the_evaluators_score_and_checks_its_range():
    assert (qualitative("达成", 8.0).score, qualitative("达成", 8.0).finding) == (8.0, None)  # [8, 10]: 80 % in
    assert qualitative("达成", 7.9).finding == "score_outside_band"                    # below 80 % of 10
    assert qualitative("部分达成", 8.0).finding == "score_outside_band"                # [6, 8): 8 excluded
    assert qualitative("部分达成", 6.0).finding is None
    assert qualitative("未达成且效果较差", 5.99).finding is None                        # synonym, [0, 6)
    assert qualitative("未达成", 6.0).finding == "score_outside_band"
    assert qualitative("大概吧", 6.0).finding == "unknown_level"
    assert qualitative("达成", 12).score == 10.0                                       # never above the weight


BUDGET_ADJUSTMENT_BANDS = [
    {"low": 0, "high": 0, "low_closed": True, "high_closed": True, "score": 3},
    {"low": 0, "high": 10, "high_closed": True, "score": 2},
    {"low": 10, "high": 20, "high_closed": True, "score": 1},
    {"low": 20, "high": 30, "high_closed": True, "score": 0.5},
    {"low": 30, "score": 0}]


@pytest.mark.parametrize("adjusted, expected", [(0, 3.0), (5, 2.0), (10, 2.0), (10.5, 1.0), (20, 1.0), (25, 0.5),
                                                 (30, 0.5), (31, 0.0)])
def test_stepped_bands_budget_adjustment_rate(adjusted, expected):
    # 预算调整率 = adjusted / 100: 0 → 3; (0, 10 %] → 2; (10, 20] → 1; (20, 30] → 0.5; above → 0
    params = {"measure": {"of": "ratio", "numerator": "budget_adjustment_amount", "denominator": "initial_budget_total"},
              "bands": BUDGET_ADJUSTMENT_BANDS}
    result = run("bands", params, 3, {"budget_adjustment_amount": adjusted, "initial_budget_total": 100})
    assert result.score == expected and result.rate == adjusted


CARRYOVER = {"measure": {"of": "ratio", "numerator": "carryover_amount", "denominator": "budget_total"},
             "limit": "carryover_rate_prev", "per": 0.4}
SEED_FIGURES = {"carryover_amount": 40290.62, "budget_total": 291435.79, "carryover_rate_prev": 8.04,
                "final_account_total": 291435.79, "initial_budget_total": 159584.73, "municipal_avg_diff_rate": 28.3}


def test_carryover_points_reading_gives_1_69():
    # 40290.62 / 291435.79 = 13.8249… % → 13.82 %; 13.82 − 8.04 = 5.78 points × 0.4 = 2.312 → 4 − 2.312 = 1.688 → 1.69
    result = run("deduction", {**CARRYOVER, "reading": "points"}, 4, SEED_FIGURES)
    assert (result.rate, result.score) == (13.82, 1.69)


def test_carryover_relative_reading_gives_0_as_the_report_printed():
    # (13.82 − 8.04) / 8.04 = 71.89 % → 71.89 × 0.4 = 28.756 > 4 → 0.00
    assert run("deduction", {**CARRYOVER, "reading": "relative"}, 4, SEED_FIGURES).score == 0.0
    # (8.5 − 8.04) / 8.04 = 5.721… % → 5.72 → 4 − 2.288 = 1.712 → 1.71
    assert run("deduction", {**CARRYOVER, "reading": "relative"}, 4,
               {**SEED_FIGURES, "carryover_amount": 8.5, "budget_total": 100}).score == 1.71


def test_carryover_without_last_years_rate_cannot_be_applied():
    figures = {k: v for k, v in SEED_FIGURES.items() if k != "carryover_rate_prev"}
    assert run("deduction", CARRYOVER, 4, figures).reason == "missing_limit"


DIFF_RATE = {"measure": {"of": "change", "final": "final_account_total", "initial": "initial_budget_total"},
             "limit": "municipal_avg_diff_rate", "per": 0.4, "mode": "full_steps", "step": 10}


@pytest.mark.parametrize("rate, expected", [(82.62, 2.0), (38.3, 3.6), (38.29, 4.0), (28.3, 4.0), (500, 0.0)])
def test_difference_rate_deducts_per_full_ten_points_above_the_municipal_average(rate, expected):
    # seed: (291435.79 − 159584.73) / 159584.73 = 82.62 %; 82.62 − 28.3 = 54.32 → 5 full steps × 0.4 = 2 → 2.00;
    # exactly 10 points above counts ("（含）"): 38.3 → 1 step → 3.6
    result = run("deduction", {**DIFF_RATE, "measure": {"of": "figure", "figure": "x"}}, 4,
                 {"x": rate, "municipal_avg_diff_rate": 28.3})
    assert result.score == expected
    assert run("deduction", DIFF_RATE, 4, SEED_FIGURES).rate == 82.62


def test_deduction_below_a_fixed_target_per_point():
    # 支付进度 85 % against 100 %: 15 points below × 0.2 = 3 → 5 − 3 = 2
    params = {"measure": {"of": "figure", "figure": "payment_progress_rate"}, "limit": 100, "per": 0.2, "side": "below"}
    assert run("deduction", params, 5, {"payment_progress_rate": 85}).score == 2.0


def test_checklist_deducts_per_failed_check_with_a_floor():
    params = {"deduction": 0.8, "checks": [{"zh": f"检查{i}"} for i in range(6)]}
    assert run("checklist", params, 4, leaf=LeafInput(failed=2)).score == 2.4     # 4 − 2 × 0.8
    assert run("checklist", params, 4, leaf=LeafInput(failed=6)).score == 0.0     # 4 − 4.8 → floor 0
    assert run("checklist", params, 4, reported=3.2).score == 3.2                 # one failed check explains 3.2
    assert run("checklist", params, 4, reported=3.3).reason == "missing_input"    # no whole number explains 3.3


def test_judged_score_kept_within_the_weight():
    assert run("judged", {}, 10, reported=9.5).score == 9.5
    assert run("judged", {}, 10, leaf=LeafInput(given=11)).score == 10.0
    assert run("judged", {}, 10).reason == "no_evaluator_score"


EITHER = {"options": [{"code": "rate", "zh": "结转结余率", "rule": {"kind": "deduction", "params": CARRYOVER}},
                      {"code": "change", "zh": "结转结余变动率", "rule": {"kind": "judged", "params": {}}}]}


def test_either_or_takes_the_better_option_or_the_named_one():
    # option 1 gives 1.69 (points reading), option 2 the evaluator's 3.0: the better is 3.0
    assert run("either_or", {**EITHER, "choose": "better"}, 4, SEED_FIGURES, LeafInput(given=3.0)).score == 3.0
    named = {**EITHER, "choose": "named"}
    assert run("either_or", named, 4, SEED_FIGURES, LeafInput(given=3.0, choice="rate")).score == 1.69
    assert run("either_or", named, 4, SEED_FIGURES, LeafInput(given=3.0)).reason == "no_choice"


def test_score_coefficient_times_weight():
    assert run("coefficient", {}, 8, leaf=LeafInput(coefficient=87.5)).score == 7.0    # 87.5 % × 8
    assert run("coefficient", {}, 8, leaf=LeafInput(coefficient=120)).score == 8.0     # never above the weight
