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
    weights = rule_change.RuleChange(level1_weights={"budget_execution": 30, "performance_targets": 50})
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
    (rule_change.RuleChange(level1_weights={"budget_execution": 30}), "sum to 100"),
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
