"""What-if, goal seek and rule change on a framework other than Beijing's: the national self-evaluation
layout, whose evaluations bring their own level-3 indicators (synthetic county evaluations, stored)."""
import pytest

from analytics import goal_seek, records, rule_change, scenario, scenario_text, scores
from analytics.domain import long_tables, synthetic_county
from analytics.domain.loader import TOTAL, shipped_frameworks
from analytics.domain.score_one import score_evaluation
from analytics.records import EvaluationRecord
from analytics.store import Store

COUNTY = "示例县"           # (a region written with full-width brackets is not found: see the report)


@pytest.fixture(scope="module")
def county():
    return synthetic_county.generate(departments=synthetic_county.DEPARTMENTS[:4], years=(2023,))


def write_county(path, county) -> Store:
    """The county's evaluations stored with every leaf input (targets and actual values as written)."""
    store = Store(path)
    fw = shipped_frameworks()[county.framework][0]
    names = {d.code: d.zh for d in county.departments}
    with store.transaction() as cur:
        for e in county.evaluations:
            rec = EvaluationRecord(region=COUNTY, department=names[e.department], year=e.year,
                                   source_kind="synthetic", figures=dict(e.inputs.figures), reported={},
                                   indicator_scores=dict(e.inputs.reported), brought=e.inputs.brought)
            evaluation_id = records.insert_evaluation(cur, fw, rec)
            cur.execute("DELETE FROM node_inputs WHERE evaluation_id = ?", [evaluation_id])
            long_tables.insert_leaves(cur, fw, evaluation_id, e.inputs, scores.STORE_TABLES, inferred=set())
        scores.refresh(cur)
    return store


@pytest.fixture(scope="module")
def county_store(county, tmp_path_factory):
    store = write_county(tmp_path_factory.mktemp("county") / "county.duckdb", county)
    yield store
    store.close()


def baseline_of(store, county, evaluation):
    name = next(d.zh for d in county.departments if d.code == evaluation.department)
    return scenario.load_baseline(store, name, evaluation.year, COUNTY)


def test_a_county_baseline_is_its_stored_inputs_and_scores(county_store, county):
    for e in county.evaluations:
        baseline = baseline_of(county_store, county, e)
        assert baseline.framework_id == "national-self-evaluation"
        by_code = lambda brought: sorted(brought, key=lambda b: b.code)  # noqa: E731
        assert by_code(baseline.inputs.brought) == by_code(e.inputs.brought)
        assert all(baseline.inputs.leaf(leaf.code) == e.inputs.leaf(leaf.code) for leaf in baseline.tree.leaves())
        assert len(baseline.tree.leaves()) == 1 + len(e.inputs.brought)
        scored = score_evaluation(baseline.framework, baseline.inputs)
        stored = dict(county_store.rows("SELECT code, value FROM node_results WHERE evaluation_id = ?",
                                        [baseline.evaluation_id]))
        assert stored == {code: node.value for code, node in scored.nodes.items() if code != TOTAL}
        actual = scenario.actual(baseline)
        assert actual.total == baseline.stored[TOTAL] == e.score.total_reported and not actual.changed
        assert set(actual.level1) == {"budget_execution", "outputs", "benefits", "satisfaction_group"}
        assert actual.rank_of == len(county.evaluations)


def test_what_if_on_the_execution_rate_and_on_a_brought_target(county_store, county):
    e = county.evaluations[0]
    baseline = baseline_of(county_store, county, e)
    full = scenario.apply(baseline, {"execution_rate": 100})
    before = baseline.score("execution_rate")
    assert full.scores["execution_rate"] == 10.0
    assert full.total == round(baseline.stored[TOTAL] + 10.0 - before, 2)
    brought = next(b for b in e.inputs.brought if b.kind == "target" and e.inputs.leaves[b.code].target.startswith("≥"))
    target = float(e.inputs.leaves[brought.code].target.lstrip("≥").rstrip("%个人次平方米天万元"))
    half = scenario.apply(baseline, {f"actual:{brought.code}": target / 2})
    assert half.changed[brought.code][1] < half.changed[brought.code][0] and half.total < baseline.stored[TOTAL]
    assert scenario_text.indicator_name(brought.code, "en", baseline.tree) == brought.en
    words = scenario_text.describe_overrides({"execution_rate": 100, f"actual:{brought.code}": target / 2}, "en",
                                             baseline.tree)
    assert words == f"Execution rate (%) 100.00 · {brought.en} {target / 2:.2f}"
    assert scenario_text.input_label("staff_actual", "zh", baseline.tree) == "实有在职人数（人）"
    with pytest.raises(scenario.ScenarioInputError) as refused:
        scenario.apply(baseline, {"failed:execution_rate": 1, "carryover_rate_prev": 3})
    assert set(refused.value.errors) == {"failed:execution_rate", "carryover_rate_prev"}


def test_goal_seek_on_the_county_reaches_its_target(county_store, county):
    baseline = min((baseline_of(county_store, county, e) for e in county.evaluations),
                   key=lambda b: b.score("execution_rate"))
    assert goal_seek.seekable(baseline) == ["spent_total"]
    gap = 10.0 - baseline.score("execution_rate")
    assert gap > 0.01
    answer = goal_seek.seek(baseline, baseline.stored[TOTAL] + gap / 2)
    assert answer.reachable and not answer.already
    assert scenario.apply(baseline, {"spent_total": answer.value}).total >= answer.target_total
    assert scenario.apply(baseline, {"spent_total": answer.value - 0.01}).total < answer.target_total
    assert goal_seek.max_carryover_for_full_marks(baseline) == {"applicable": False}    # no such indicator here


def test_rule_change_on_the_county_framework(county_store, county):
    fw = rule_change.framework_for(county_store, 2023, COUNTY)
    assert fw.code == "national-self-evaluation"
    unchanged = rule_change.run(county_store, 2023, rule_change.RuleChange(), region=COUNTY)
    assert (unchanged["total_change"] == 0).all() and len(unchanged) == len(county.evaluations)
    top = max(b.min for b in fw.grade_bands)
    stricter = rule_change.run(county_store, 2023, rule_change.RuleChange(grade_bands={fw.grade_bands[0].label: 99.5}),
                               region=COUNTY)
    assert (stricter.loc[stricter["new_grade"] == fw.grade_bands[0].label, "new_total"] >= 99.5).all()
    assert top < 99.5
    with pytest.raises(rule_change.RuleChangeError, match="under budget_execution must sum to 20, not 10"):
        rule_change.run(county_store, 2023, rule_change.RuleChange(weights={"budget_execution": 20,
                                                                            "execution_rate": 10}), region=COUNTY)


def test_rule_change_of_the_national_weights_adds_up_by_the_tree(county_store, county):
    """The national layout fixes 年度预算执行情况 (10) and lets each evaluation weight the rest (90): 10 → 20
    rescales execution (its child follows) and the evaluations' own groups share the other 80."""
    fw = rule_change.framework_for(county_store, 2023, COUNTY)
    assert rule_change.editable_weights(fw) == {"budget_execution": 10.0, "execution_rate": 10.0}
    assert rule_change.open_share(fw) == 90
    frame = rule_change.run(county_store, 2023, rule_change.RuleChange(weights={"budget_execution": 20}),
                            region=COUNTY)
    for row in frame.itertuples():
        assert row.new_budget_execution == round(row.budget_execution * 2 + 1e-9, 2)
        for code in ("outputs", "benefits", "satisfaction_group"):
            assert getattr(row, f"new_{code}") == pytest.approx(getattr(row, code) * 80 / 90, abs=0.006)
        assert row.new_total <= 100
    assert (frame["total_change"] != 0).any()
    with pytest.raises(rule_change.RuleChangeError, match="leave nothing of 100"):
        rule_change.run(county_store, 2023, rule_change.RuleChange(weights={"budget_execution": 100}), region=COUNTY)
    with pytest.raises(rule_change.RuleChangeError, match="under budget_execution must sum to 10, not 15"):
        rule_change.run(county_store, 2023, rule_change.RuleChange(weights={"execution_rate": 15}), region=COUNTY)


def test_goal_seek_on_every_numeric_input_of_a_county_evaluation(county_store, county):
    """Every numeric input of a national-layout evaluation (the execution figures, each brought target's
    actual value, each score): pushed to its worst, then sought back half way; the answer, applied to the
    scenario and re-scored, reaches the target, and one step less helpful does not."""
    from analytics.domain.goal_seek import MORE
    baseline = baseline_of(county_store, county, county.evaluations[0])
    inputs = goal_seek.numeric_inputs(baseline)
    assert {key.split(":")[0] for key in inputs if ":" in key} >= {"actual", "score"}
    assert {"spent_total", "budget_total"} <= set(inputs)
    sought = 0
    for key, item in inputs.items():
        if item.direction is None:
            continue
        worst = item.low if item.direction == MORE else item.high
        lowered = scenario.apply(baseline, {key: worst}).total
        if lowered >= baseline.stored[TOTAL] - 0.02:
            continue
        target = round((lowered + baseline.stored[TOTAL]) / 2, 2)
        found = goal_seek.seek_input(baseline, target, key, {key: worst})
        answer = found.answer
        assert answer.reachable and not answer.already, key
        assert scenario.apply(baseline, {key: answer.value}).total == answer.total >= target, key
        less = answer.value - item.step if item.direction == MORE else answer.value + item.step
        assert scenario.apply(baseline, {key: round(less, 2)}).total < target, key
        sought += 1
    assert sought >= 3
    rows = {row["input"] for row in goal_seek.sensitivity(baseline)}
    assert {key for key, item in inputs.items() if key.startswith(("actual:", "score:"))} <= rows
