"""What-if scenarios start from the reported scores and rescore only what the user changed."""
import pytest

from analytics import scenario
from analytics.domain.loader import TOTAL
from analytics.domain.score_one import score_evaluation


def stored_year(store, year, region="北京市"):
    """The store's reported totals, grades and level-1 scores of a year, ranked (evaluation_scores, node_results)."""
    frame = store.df("""
        SELECT d.name AS department, s.evaluation_id, s.reported_total AS total, s.reported_grade AS grade,
               rank() OVER (PARTITION BY s.framework_id ORDER BY s.reported_total DESC) AS rank
        FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id
        JOIN departments d ON d.id = e.department_id WHERE e.year = ? AND d.region = ?""", [year, region])
    level1 = store.df("SELECT evaluation_id, code, reported FROM node_results WHERE depth = 1")
    return frame, {(r.evaluation_id, r.code): r.reported for r in level1.itertuples()}


def test_nothing_changed_equals_every_stored_evaluation_of_a_year(demo_store):
    frame, level1 = stored_year(demo_store, 2022)
    assert len(frame) == 55
    for row in frame.itertuples():
        baseline = scenario.load_baseline(demo_store, row.department, 2022)
        result = scenario.apply(baseline, {})
        assert result.total == row.total and result.grade == row.grade and result.rank == row.rank
        assert result.level1 == {code: level1[row.evaluation_id, code]
                                 for code in ("budget_execution", "performance_targets", "budget_management")}
        assert not result.changed and result.deltas["total"] == 0 and result.deltas["rank"] == 0


def test_the_baseline_read_back_scores_as_the_store_does(demo_store):
    """The stored inputs read back as domain inputs and scored one evaluation at a time give every node
    the store's scores (node_results) and the store's totals and grades (evaluation_scores)."""
    for evaluation_id, department, year in demo_store.rows(
            "SELECT e.id, d.name, e.year FROM evaluations e JOIN departments d ON d.id = e.department_id "
            "WHERE e.year IN (2021, 2022) ORDER BY e.id"):
        baseline = scenario.load_baseline(demo_store, department, year)
        scored = score_evaluation(baseline.framework, baseline.inputs)
        stored = {code: (reported, printed, rule, value) for code, reported, printed, rule, value in demo_store.rows(
            "SELECT code, reported, printed, rule, value FROM node_results WHERE evaluation_id = ?", [evaluation_id])}
        assert set(stored) == set(scored.nodes) - {TOTAL}
        for code, (reported, printed, rule, value) in stored.items():
            node = scored.nodes[code]
            assert (node.rule, node.value) == (rule, value), (department, year, code)
            assert printed is not None or node.reported == reported, (department, year, code)
        reported_total, reported_grade, rule_total, rule_grade = demo_store.rows(
            "SELECT reported_total, reported_grade, rule_total, rule_grade FROM evaluation_scores "
            "WHERE evaluation_id = ?", [evaluation_id])[0]
        assert (scored.total_rule, scored.grade_rule) == (rule_total, rule_grade)
        assert baseline.stored[TOTAL] == reported_total and baseline.grade == reported_grade


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
    assert low.rank_of == high.rank_of == 55 == len(commerce.others) + 1


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
