"""What-if scenarios start from the reported scores and rescore only what the user changed."""
import pytest

from analytics import compare, scenario


def test_nothing_changed_equals_every_stored_evaluation_of_a_year(demo_store):
    ranking = compare.ranking(demo_store, 2022)
    for row in ranking.itertuples():
        baseline = scenario.load_baseline(demo_store, row.department, 2022)
        result = scenario.apply(baseline, {})
        assert result.total == row.total and result.grade == row.grade and result.rank == row.rank
        assert result.level1 == {"budget_execution": row.budget_execution,
                                 "performance_targets": row.performance_targets,
                                 "budget_management": row.budget_management}
        assert not result.changed and result.deltas["total"] == 0 and result.deltas["rank"] == 0


def test_95_percent_execution_gives_19_and_92_50(commerce):
    result = scenario.apply(commerce, {"spent_total": 0.95 * 291435.79})
    assert result.level1["budget_execution"] == 19.00 and result.total == 92.50
    assert result.deltas["budget_execution"] == 1.77 and result.deltas["total"] == 1.77
    assert result.changed == {"execution_rate": (17.23, 19.0)}
    assert scenario.apply(commerce, {"execution_rate": 95}).total == 92.50


def test_a_changed_input_rescores_its_indicator_and_others_keep_reported(commerce):
    # any change of the carry-over rescores 结转结余率 by its rule (reported 0.00 stays for the untouched)
    result = scenario.apply(commerce, {"carryover_amount": 40290.62 - 0.01})
    assert result.scores["carryover_rate"] == 1.69 and result.total == 92.42
    assert result.scores["final_account_diff_rate"] == 2.0
    assert scenario.apply(commerce, {"carryover_rate_prev": 8.04}).total == 90.73   # same value: unchanged


def test_checklist_and_qualitative_inputs(commerce):
    result = scenario.apply(commerce, {"failed:performance_management": 1, "score:output_quantity": 10})
    assert result.scores["performance_management"] == 2.0 and result.scores["output_quantity"] == 10.0
    assert result.total == 90.73 - 2 + 0.5


def test_rank_moves_with_the_total(commerce):
    low = scenario.apply(commerce, {"execution_rate": 70})
    high = scenario.apply(commerce, {"execution_rate": 100})
    assert low.rank > scenario.actual(commerce).rank > high.rank
    assert low.rank_of == high.rank_of == 55


@pytest.mark.parametrize("overrides,key", [
    ({"spent_total": -1}, "spent_total"),
    ({"spent_total": 300000}, "spent_total"),
    ({"budget_total": 200000}, "budget_total"),          # lowered below the actual spending
    ({"execution_rate": 101}, "execution_rate"),
    ({"budget_total": 0}, "budget_total"),
    ({"carryover_amount": float("nan")}, "carryover_amount"),
    ({"failed:financial_rules": 4}, "failed:financial_rules"),
    ({"failed:output_quality": 1}, "failed:output_quality"),
    ({"score:output_quality": 11}, "score:output_quality"),
    ({"nonsense": 1}, "nonsense"),
])
def test_bad_inputs_name_the_field(commerce, overrides, key):
    with pytest.raises(scenario.ScenarioInputError) as error:
        scenario.apply(commerce, overrides)
    assert key in error.value.errors
