"""Goal-seek answers are verified by applying them; sensitivities have the right signs."""
import pytest

from analytics import goal_seek, scenario, scenario_text


def lowest_department(demo_store, year=2022):
    from test_scenario import stored_year
    return stored_year(demo_store, year)[0].sort_values("total").iloc[0]["department"]


@pytest.mark.parametrize("target", [91.0, 92.0, 93.5])
def test_least_spending_reaching_a_score_is_exact_to_the_cent(commerce, target):
    answer = goal_seek.seek(commerce, target)
    assert answer.reachable and not answer.already
    assert scenario.apply(commerce, {"spent_total": answer.value}).total >= target
    assert scenario.apply(commerce, {"spent_total": round(answer.value - 0.01, 2)}).total < target


def test_unreachable_target_says_what_else_is_needed(commerce):
    answer = goal_seek.seek(commerce, 99.0)
    assert not answer.reachable and answer.best_total == 93.5 and answer.shortfall == 5.5
    assert answer.other_room["carryover_rate"] == 4.0
    text = scenario_text.describe_seek(answer, scenario_text.goal_label("score", 99, "zh"), "zh", commerce.tree)
    assert "无法达到" in text and "93.50" in text and "5.50" in text and "结转结余率 4.00" in text


def test_next_grade_for_a_weak_department(demo_store):
    baseline = scenario.load_baseline(demo_store, lowest_department(demo_store), 2022)
    total = scenario.actual(baseline).total
    grade, minimum = goal_seek.next_grade_target(baseline, total)
    answer = goal_seek.seek(baseline, minimum)
    if answer.reachable:
        reached = scenario.apply(baseline, {"spent_total": answer.value})
        assert reached.total >= minimum and reached.grade == grade
    else:
        assert answer.best_total < minimum


def test_rank_above_is_reached_by_the_answer(demo_store, commerce):
    total = scenario.actual(commerce).total
    target = goal_seek.rank_above_target(commerce, total)
    answer = goal_seek.seek(commerce, target)
    result = scenario.apply(commerce, {"spent_total": answer.value})
    assert result.rank < scenario.actual(commerce).rank


def test_carryover_and_final_account_limits_are_exact(commerce):
    info = goal_seek.max_carryover_for_full_marks(commerce)
    assert info["rate"] <= 8.05         # 8.05 % costs 0.004 points, which rounds away
    at = scenario.apply(commerce, {"carryover_amount": info["max_amount"]}).scores["carryover_rate"]
    over = scenario.apply(commerce, {"carryover_amount": info["max_amount"] + 0.01}).scores["carryover_rate"]
    assert at == 4.0 and over < 4.0
    diff = goal_seek.diff_rate_without_loss(commerce)
    assert diff["max_rate"] == 38.29
    assert scenario.apply(commerce, {"final_account_total": diff["max_final_account"]}).scores["final_account_diff_rate"] == 4.0
    beyond = 159584.73 * 1.383 + 1
    assert scenario.apply(commerce, {"final_account_total": beyond}).scores["final_account_diff_rate"] < 4.0


def test_seeking_on_carryover_reaches_the_target_and_says_what_the_rule_gives(commerce):
    answer = goal_seek.seek(commerce, 93.0, vary="carryover_amount")
    assert answer.reachable and not answer.input_unchanged
    assert answer.value < commerce.figures["carryover_amount"]
    assert scenario.apply(commerce, {"carryover_amount": answer.value}).total >= 93.0
    assert scenario.apply(commerce, {"carryover_amount": answer.value + 0.01}).total < 93.0
    assert answer.rule_gain == {"indicator": "carryover_rate", "reported": 0.0, "rule": 1.69, "points": 1.69}
    text = scenario_text.describe_seek(answer, scenario_text.goal_label("score", 93, "zh"), "zh", commerce.tree)
    assert f"结转结余不超过 {answer.value:,.2f} 万元" in text
    assert "+1.69 分来自按评分规则为“结转结余率”计分（规则 1.69 分，报告 0.00 分），并非来自结转结余本身" in text


def test_a_target_met_by_scoring_the_disputed_indicator_by_its_rule_advises_no_more_carryover(commerce):
    """Catching the department above (a synthetic total between 90.73 and 92.42) needs nothing from the
    carry-over itself: the rule scores 结转结余率 1.69 where the report gave 0.00.  The answer used to be
    "at most 52,400.15", more than the actual 40,290.62."""
    target = goal_seek.rank_above_target(commerce, 90.73)
    assert 90.73 < target <= 92.42
    answer = goal_seek.seek(commerce, target, vary="carryover_amount")
    assert answer.reachable and answer.input_unchanged and not answer.already
    assert answer.value == commerce.figures["carryover_amount"] == 40290.62 and answer.total == 92.42
    zh = scenario_text.describe_seek(answer, scenario_text.goal_label("rank", target, "zh"), "zh", commerce.tree)
    assert zh.startswith(f"结转结余保持实际的 40,290.62 万元即可达到上一名的 {target:.2f} 分，"
                         "总分 92.42，不必改动结转结余。")
    assert "+1.69 分来自按评分规则为“结转结余率”计分（规则 1.69 分，报告 0.00 分），并非来自结转结余本身" in zh
    assert "52,400.15" not in zh
    en = scenario_text.describe_seek(answer, scenario_text.goal_label("rank", target, "en"), "en", commerce.tree)
    assert "Keeping the carry-over at its actual 40,290.62" in en and "+1.69 comes from scoring Carry-over rate by its rule" in en


@pytest.mark.parametrize("vary", list(goal_seek.SEEKABLE))
@pytest.mark.parametrize("target", [90.76, 91.0, 92.0, 92.42, 93.0, 94.0])
def test_no_answer_makes_the_input_worse_than_actual(commerce, vary, target):
    answer = goal_seek.seek(commerce, target, vary=vary)
    if not answer.reachable:
        return
    actual = commerce.figures[vary]
    assert answer.value >= actual if goal_seek.SEEKABLE[vary] == "more" else answer.value <= actual
    if answer.input_unchanged:       # reached by the rule's score of the input's indicator, at the actual input
        assert answer.value == actual and answer.rule_gain["points"] > 0
        rescored = scenario.apply(commerce, {}, force_rescore={answer.rule_gain["indicator"]})
        assert rescored.total == answer.total >= target
    else:
        assert scenario.apply(commerce, {vary: answer.value}).total == answer.total >= target


def test_sensitivity_signs(commerce):
    rows = {r["input"]: r for r in goal_seek.sensitivity(commerce)}
    assert rows["execution_rate"]["gain"] > 0 > rows["execution_rate"]["loss"]
    assert rows["carryover_rate"]["gain"] >= 0 >= rows["carryover_rate"]["loss"]      # lower carry-over helps
    assert rows["carryover_rate"]["gain"] == 0.4
    assert rows["carryover_rate_prev"]["gain"] >= 0
    assert rows["performance_management"]["loss"] == -2.0
    assert all(r["gain"] >= 0 >= r["loss"] for r in rows.values())


def test_already_is_judged_on_the_scenario_as_given(commerce):
    lowered = {"execution_rate": 60}
    assert scenario.apply(commerce, lowered).total < 90
    answer = goal_seek.seek(commerce, 90.0, overrides=lowered)
    assert not answer.already and answer.reachable
    assert scenario.apply(commerce, {"spent_total": answer.value}).total >= 90.0   # the answer replaces the 60 %


def test_sensitivity_is_the_same_whether_spending_is_entered_as_a_rate_or_an_amount(commerce):
    by_rate = goal_seek.sensitivity(commerce, {"execution_rate": 95})
    by_amount = goal_seek.sensitivity(commerce, {"spent_total": 0.95 * commerce.figures["budget_total"]})
    assert by_rate == by_amount
    execution = next(r for r in by_rate if r["input"] == "execution_rate")
    assert (execution["gain"], execution["loss"]) == (0.2, -0.2)
