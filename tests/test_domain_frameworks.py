"""Shipped frameworks load; Beijing 2022 in the new format keeps every worked number and the old tree."""
from __future__ import annotations

import dataclasses

import pytest

from analytics.domain.evaluation import BroughtIndicator, EvaluationInputs, LeafInput, instantiate
from analytics.domain.issues import FrameworkInvalid
from analytics.domain.loader import framework_to_dict, load_framework, shipped_frameworks
from analytics.domain.score_one import score_evaluation, what_if
from analytics.framework import default_framework

SHIPPED = {code: fw for code, (fw, _) in shipped_frameworks().items()}
BEIJING = SHIPPED["beijing-2022"]
SEED_FIGURES = {"budget_total": 291435.79, "spent_total": 251145.17, "carryover_amount": 40290.62,
                "carryover_rate_prev": 8.04, "initial_budget_total": 159584.73, "final_account_total": 291435.79,
                "municipal_avg_diff_rate": 28.3}
# The seed's reported scores (domain.md): effects items are full marks (59.50 − 29.50 = 30).
SEED_REPORTED = {"execution_rate": 17.23, "output_quantity": 9.5, "output_quality": 10, "output_timeliness": 5,
                 "output_cost": 5, "economic_benefit": 8, "social_benefit": 8, "sustainability": 8, "satisfaction": 6,
                 "financial_rules": 1, "fund_compliance": 2, "accounting_information": 1, "asset_management": 4,
                 "performance_management": 4, "carryover_rate": 0, "final_account_diff_rate": 2}
SEED = EvaluationInputs(figures=SEED_FIGURES, reported=SEED_REPORTED)


def test_every_shipped_framework_loads_without_issues():
    assert set(SHIPPED) == {"beijing-2022", "national-self-evaluation", "sichuan-example"}
    for code, (fw, issues) in shipped_frameworks().items():
        assert fw is not None and issues == [], (code, issues)
        again, _ = load_framework(framework_to_dict(fw))
        assert again == fw


def test_sichuan_is_an_example_with_its_assumed_rules_marked():
    fw = SHIPPED["sichuan-example"]
    assert fw.example and [n.weight for n in fw.nodes] == [25, 30, 45]
    assumed = [leaf for leaf in fw.leaves() if leaf.assumed]
    assert assumed and all(leaf.note for leaf in assumed)
    assert fw.node("monitoring").weight == 5 and [c.weight for c in fw.node("monitoring").children] == [2, 3]
    assert not SHIPPED["beijing-2022"].example and not any(leaf.assumed for leaf in BEIJING.leaves())


def test_beijing_seed_reproduces_the_reported_and_rule_totals():
    result = score_evaluation(BEIJING, SEED)
    assert result.nodes["execution_rate"].rule == 17.23 and result.nodes["execution_rate"].rate == 86.17
    assert result.nodes["carryover_rate"].rule == 1.69 and result.nodes["carryover_rate"].reported == 0
    assert result.nodes["final_account_diff_rate"].rule == 2.0
    assert [result.nodes[c].reported for c in ("budget_execution", "performance_targets", "budget_management")] \
        == [17.23, 59.5, 14.0]
    assert (result.total_reported, result.grade_reported) == (90.73, "优秀")
    assert (result.total_rule, result.grade_rule) == (92.42, "优秀")


def with_reading(fw, reading):
    data = framework_to_dict(fw)
    data["nodes"][2]["children"][3]["children"][0]["rule"]["params"]["reading"] = reading
    out, issues = load_framework(data)
    assert out is not None, issues
    return out


def test_the_two_readings_of_the_carryover_rule_on_the_seed():
    assert score_evaluation(with_reading(BEIJING, "points"), SEED).nodes["carryover_rate"].rule == 1.69
    relative = score_evaluation(with_reading(BEIJING, "relative"), SEED)
    assert relative.nodes["carryover_rate"].rule == 0.0            # what the report printed
    assert relative.total_rule == 90.73


def test_what_if_95_percent_execution():
    changed = dataclasses.replace(SEED, figures={**SEED_FIGURES, "spent_total": 0.95 * 291435.79})
    result = what_if(BEIJING, SEED, changed)
    assert result.nodes["execution_rate"].reported == 19.0          # 95 % × 20
    assert result.total_reported == 92.5                             # 90.73 − 17.23 + 19.00
    assert result.nodes["carryover_rate"].reported == 0              # untouched leaves keep their reported score


def test_beijing_v2_has_the_old_tree_weights_checks_and_rule_parameters():
    old = default_framework()
    assert [leaf.code for leaf in BEIJING.leaves()] == [i.code for i in old.indicators]
    for ind in old.indicators:
        leaf = BEIJING.node(ind.code)
        assert (leaf.weight, leaf.zh, leaf.en, leaf.items) == (ind.weight, ind.zh, ind.en, ind.items)
        if ind.kind == "checklist":
            assert [dict(c) for c in leaf.rule.params["checks"]] == ind.checks
            assert leaf.rule.params["deduction"] == ind.rule["deduction"]
    assert [(n.code, n.weight) for n in BEIJING.nodes] == [(l1["code"], l1["weight"]) for l1 in old.level1]
    assert [(b.label, b.min) for b in BEIJING.grade_bands] == [(b["grade"], b["min"]) for b in old.grade_bands]
    assert BEIJING.normalise_grade("优") == "优秀" and BEIJING.normalise_grade("合格") == "中"


NATIONAL = SHIPPED["national-self-evaluation"]


def county_evaluation(weights=(10, 10, 10, 10, 10, 10, 10, 10, 10)) -> EvaluationInputs:
    groups = ["output_quantity", "output_quality", "output_timeliness", "output_cost", "economic_benefit",
              "social_benefit", "ecological_benefit", "sustainability", "satisfaction"]
    brought = tuple(BroughtIndicator(g, f"{g}.1", f"指标1：{g}", w, "qualitative" if g == "social_benefit" else "target")
                    for g, w in zip(groups, weights))
    leaves = {f"{g}.1": LeafInput(target="≥200", actual="150", given=9) for g in groups}
    leaves["output_timeliness.1"] = LeafInput(target="11月底前", actual="10月")
    leaves["social_benefit.1"] = LeafInput(label="达成", given=8.5)
    leaves["satisfaction.1"] = LeafInput(target="≥95%", actual="96%")
    return EvaluationInputs({"budget_total": 329.77, "spent_total": 338.31}, leaves, {}, brought)


def test_national_layout_scores_department_written_indicators():
    result = score_evaluation(NATIONAL, county_evaluation())
    # 338.31 / 329.77 = 102.59 % → capped → 10
    assert (result.nodes["execution_rate"].rate, result.nodes["execution_rate"].rule) == (102.58, 10.0)
    assert result.nodes["output_quantity.1"].rule == 7.5                   # 150 / 200 × 10
    assert result.nodes["output_timeliness.1"].rule == 10.0                # October, before the end of November
    assert result.nodes["social_benefit.1"].rule == 8.5                    # 达成: evaluator's 8.5 kept
    assert result.nodes["social_benefit.1"].finding is None
    assert result.nodes["outputs"].value == 7.5 + 7.5 + 10 + 7.5
    # 10 + (7.5 + 7.5 + 10 + 7.5) + (7.5 + 8.5 + 7.5 + 7.5) + 10 = 83.5 → 良
    assert (result.total_rule, result.grade_rule) == (83.5, "良")


def test_national_brought_weights_must_add_up_to_90():
    with pytest.raises(FrameworkInvalid) as caught:
        score_evaluation(NATIONAL, county_evaluation(weights=(10,) * 8 + (5,)))
    assert [(i.code, i.params["node"]) for i in caught.value.issues] == [("weights_do_not_add_up", "total")]
    _, issues = instantiate(NATIONAL, (BroughtIndicator("outputs", "x", "x", 10),
                                       BroughtIndicator("output_cost", "y", "y", 10, "ratio")))
    assert [i.code for i in issues][:2] == ["unknown_group", "kind_not_allowed"]


def test_each_rule_names_the_figures_it_reads_with_units():
    from analytics.domain.loader import figures_read
    read = figures_read(BEIJING)
    assert [(f.code, f.unit) for f in read["execution_rate"]] == [("spent_total", "万元"), ("budget_total", "万元")]
    assert [(f.code, f.unit) for f in read["carryover_rate"]] == [
        ("carryover_amount", "万元"), ("budget_total", "万元"), ("carryover_rate_prev", "%")]
    assert read["final_account_diff_rate"][-1].scope == "year"          # the municipal average is a year parameter
    assert read["satisfaction"] == ()
