"""Goal-seek answers are verified by applying them; sensitivities have the right signs."""
import pytest

from analytics import goal_seek, scenario, scenario_text


def lowest_department(demo_store, year=2022):
    from analytics import compare
    return compare.ranking(demo_store, year).iloc[-1]["department"]


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
    text = scenario_text.describe_seek(answer, scenario_text.goal_label("score", 99, "zh"), "zh")
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


def test_seeking_on_carryover_reaches_the_target(commerce):
    answer = goal_seek.seek(commerce, 92.0, vary="carryover_amount")
    assert answer.reachable
    assert scenario.apply(commerce, {"carryover_amount": answer.value}).total >= 92.0
    assert scenario.apply(commerce, {"carryover_amount": answer.value + 0.01}).total < 92.0


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
