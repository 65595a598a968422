"""Rule-change scenarios over a whole year: nothing changed is the stored ranking; changes move it."""
import pytest

from analytics import compare, rule_change
from analytics.domain.rounding import round2
from analytics.store import Store
from test_scenario import stored_year


def test_no_change_reproduces_the_stored_ranking(demo_store):
    frame = rule_change.run(demo_store, 2022, rule_change.RuleChange(), region="北京市")
    ranking = stored_year(demo_store, 2022)[0].set_index("department")
    assert len(frame) == len(ranking) == 55
    assert (frame["total_change"] == 0).all() and (frame["rank_shift"] == 0).all()
    assert (frame.set_index("department")["new_rank"] == ranking["rank"].reindex(frame["department"])).all()
    assert (frame.set_index("department")["new_total"] == ranking["total"].reindex(frame["department"])).all()
    assert (frame["new_grade"] == frame["old_grade"]).all()


def test_a_lower_municipal_average_costs_points_and_never_helps(demo_store):
    frame = rule_change.run(demo_store, 2022, rule_change.RuleChange(municipal_avg_diff_rate=10), region="北京市")
    assert (frame["total_change"] <= 0).all() and (frame["total_change"] < 0).any()
    commerce = frame.set_index("department").loc["北京市商务局"]
    assert commerce["total_change"] == -0.8          # 82.62 − 10 = 72.62 → 7 steps instead of 5


def test_grade_bands_and_level1_weights(demo_store):
    frame = rule_change.run(demo_store, 2022, rule_change.RuleChange(grade_bands={"优秀": 95}), region="北京市")
    assert (frame.loc[frame["new_grade"] == "优秀", "new_total"] >= 95).all()
    assert frame["grade_changed"].any()
    weights = rule_change.RuleChange(weights={"budget_execution": 30, "performance_targets": 50})
    frame = rule_change.run(demo_store, 2022, weights, region="北京市").set_index("department")
    commerce = frame.loc["北京市商务局"]
    assert commerce["new_budget_execution"] == 25.85                  # 17.23 × 30/20 = 25.845, half up
    assert commerce["new_total"] == round2(25.85 + round2(59.5 * 50 / 60) + 14.0)


def test_budget_consequence_is_applied_per_new_grade(demo_store):
    cuts = {"中": -5.0, "差": -20.0}
    frame = rule_change.run(demo_store, 2022, rule_change.RuleChange(), region="北京市", budget_cuts=cuts)
    fair = frame[frame["new_grade"] == "中"]
    assert len(fair) and (fair["budget_change_amount"] == (fair["budget_project"] * -0.05).round(2)).all()
    assert (frame.loc[frame["new_grade"] == "优秀", "budget_change_amount"] == 0).all()


@pytest.mark.parametrize("change,message", [
    (rule_change.RuleChange(weights={"budget_execution": 30}), "sum to 100"),
    (rule_change.RuleChange(grade_bands={"良好": 95}), "grade bands"),
    (rule_change.RuleChange(municipal_avg_diff_rate=-1), "between 0"),
    (rule_change.RuleChange(carryover_deduction_per_point=-0.4), "between 0"),
])
def test_invalid_rule_changes_are_refused(demo_store, change, message):
    with pytest.raises(rule_change.RuleChangeError, match=message):
        rule_change.run(demo_store, 2022, change, region="北京市")


def test_a_year_of_two_frameworks_asks_which_one_before_changing_rules(demo_store):
    assert len({fw for fw, *_ in compare.year_frameworks(demo_store, 2022)}) > 1
    with pytest.raises(rule_change.RuleChangeError, match="several frameworks"):
        rule_change.run(demo_store, 2022, rule_change.RuleChange(municipal_avg_diff_rate=10))


def test_a_rule_change_leaves_the_stored_scores_and_tables_alone(demo_db):
    """Rescoring runs on an in-memory copy: on a writable store nothing is created, dropped or changed."""
    store = Store(demo_db)
    snapshot = lambda: (sorted(store.rows("SELECT table_name FROM duckdb_tables() UNION ALL "  # noqa: E731
                                          "SELECT view_name FROM duckdb_views() WHERE NOT internal")),
                        store.rows("SELECT * FROM node_results ORDER BY ALL"),
                        store.rows("SELECT * FROM evaluation_scores ORDER BY ALL"),
                        store.rows("SELECT * FROM rules ORDER BY ALL"))
    before = snapshot()
    change = rule_change.RuleChange(municipal_avg_diff_rate=10, carryover_deduction_per_point=0.2,
                                    grade_bands={"优秀": 95})
    frame = rule_change.run(store, 2022, change, region="北京市")
    assert (frame["total_change"] != 0).any()
    assert snapshot() == before
    store.close()


def leaf_scores(store, department: str, year: int = 2022) -> dict:
    return dict(store.rows("""SELECT n.code, coalesce(n.reported, n.rule) FROM node_results n
                              JOIN evaluations e ON e.id = n.evaluation_id JOIN departments d ON d.id = e.department_id
                              WHERE d.name = ? AND e.year = ? AND d.region = '北京市'""", [department, year]))


def test_weights_redistributed_under_a_node_rescale_its_indicators(demo_store):
    """Any weight of the tree: 4 → 6 points for 财务管理 and 4 → 2 for 资产管理 (still 20 under 预算管理):
    each indicator's score moves by its new weight over its old one; the other level-1 nodes stay."""
    change = rule_change.RuleChange(weights={"financial_management": 6, "group_asset_management": 2})
    frame = rule_change.run(demo_store, 2022, change, region="北京市").set_index("department")
    stored = leaf_scores(demo_store, "北京市商务局")
    commerce = frame.loc["北京市商务局"]
    financial = stored["financial_rules"] + stored["fund_compliance"] + stored["accounting_information"]
    expected = round2(commerce["budget_management"] + 0.5 * financial - 0.5 * stored["asset_management"])
    assert commerce["new_budget_management"] == expected
    assert (frame["new_budget_execution"] == frame["budget_execution"]).all()
    assert (frame["new_performance_targets"] == frame["performance_targets"]).all()


@pytest.mark.parametrize("weights,message", [
    ({"financial_management": 6}, "under budget_management must sum to 20, not 22"),
    ({"fund_compliance": 3}, "under financial_management must sum to 4, not 5"),
    ({"asset_management": 0}, "must be above 0"),
    ({"output_quantity": 12, "output_quality": 8}, None),               # redistributed: adds up
])
def test_weights_must_add_up_by_the_tree(demo_store, weights, message):
    change = rule_change.RuleChange(weights=weights)
    if message is None:
        assert (rule_change.run(demo_store, 2022, change, region="北京市")["new_total"] <= 100).all()
        return
    with pytest.raises(rule_change.RuleChangeError, match=message):
        rule_change.run(demo_store, 2022, change, region="北京市")


def test_any_rule_parameter_of_the_framework_can_change(demo_store):
    """The form's parameters come from the framework's data: a checklist's deduction per failed check and
    the carry-over deduction, by path, the latter the same as its named shorthand."""
    fw = rule_change.framework_for(demo_store, 2022, "北京市")
    found = {leaf.code: rule_change.numeric_params(leaf.rule) for leaf in fw.leaves()}
    assert found["performance_management"] == {"deduction": 2.0}
    assert found["final_account_diff_rate"] == {"per": 0.4, "step": 10.0}
    assert found["execution_rate"]["tiers.1.share"] == 0.2
    by_path = rule_change.run(demo_store, 2022, rule_change.RuleChange(params={"carryover_rate": {"per": 0.2}}),
                              region="北京市")
    named = rule_change.run(demo_store, 2022, rule_change.RuleChange(carryover_deduction_per_point=0.2), region="北京市")
    assert by_path["new_total"].tolist() == named["new_total"].tolist()
    softer = rule_change.run(demo_store, 2022, rule_change.RuleChange(params={"performance_management": {"deduction": 1}}),
                             region="北京市").set_index("department")
    for department, row in softer.iterrows():
        stored = leaf_scores(demo_store, department)["performance_management"]
        failed = round((4 - stored) / 2)                                  # 2 points per failed check before
        assert row["new_budget_management"] == round2(row["budget_management"] + failed * 1.0), department


@pytest.mark.parametrize("params,message", [
    ({"performance_management": {"deduction": -1}}, "must be a number not below 0"),
    ({"performance_management": {"per": 1}}, "no numeric parameter per"),
    ({"final_account_diff_rate": {"step": 0}}, "step_not_positive"),
    ({"nowhere": {"per": 1}}, "not an indicator"),
])
def test_bad_rule_parameters_are_refused(demo_store, params, message):
    with pytest.raises(rule_change.RuleChangeError, match=message):
        rule_change.run(demo_store, 2022, rule_change.RuleChange(params=params), region="北京市")
