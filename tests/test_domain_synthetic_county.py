"""The synthetic county on the national self-evaluation layout: seeded, complete, plausible, marked synthetic."""
from __future__ import annotations

import duckdb
import numpy as np
import pytest

from analytics.domain import long_tables, score_sql
from analytics.domain.loader import TOTAL, shipped_frameworks
from analytics.domain.synthetic_county import County, evaluations_by_id, generate
from analytics.domain.targets import parse_target


@pytest.fixture(scope="module")
def county() -> County:
    return generate(seed=11)


def test_same_seed_gives_the_same_county_and_another_seed_does_not(county):
    assert generate(seed=11) == county
    assert generate(seed=12).evaluations != county.evaluations


def test_forty_departments_six_years_each_with_an_english_name_all_marked_synthetic(county):
    assert "合成" in county.zh and "synthetic" in county.en and county.synthetic and "synthetic" in county.source
    assert len(county.departments) >= 40 and all(d.synthetic and d.en and d.zh for d in county.departments)
    years = {(e.department, e.year) for e in county.evaluations}
    assert len(years) == len(county.departments) * 6 == len(county.evaluations)
    assert all(e.synthetic for e in county.evaluations)


def test_weights_add_up_to_90_and_every_score_lies_within_its_weight(county):
    for e in county.evaluations:
        acc = 0.0
        for b in e.inputs.brought:
            acc += b.weight
        assert round(acc, 2) == 90
        for code, node in e.score.nodes.items():
            if code != TOTAL and node.rule is not None:
                assert 0 <= node.rule <= node.weight
        assert 0 <= e.score.total_rule <= 100 and e.score.total_rule == e.score.total_reported


def test_targets_carry_comparators_and_units_and_a_missed_target_says_why(county):
    forms = set()
    for e in county.evaluations:
        assert len({b.group for b in e.inputs.brought}) >= 6       # indicators under 产出, 效益 and 满意度
        for b in e.inputs.brought:
            leaf = e.inputs.leaves[b.code]
            if b.kind == "target":
                target = parse_target(leaf.target)
                assert target is not None, leaf.target
                forms.add((target.comparator, target.unit))
            missed = e.score.nodes[b.code].rule < b.weight
            assert bool(b.deviation_reason) == (missed if b.kind == "target" else leaf.label != "达成"), b
    assert {("≥", "%"), ("≤", "天"), ("≤", "月")} <= forms and any(c == "≥" and u not in ("%", "") for c, u in forms)


def test_totals_are_autocorrelated_from_year_to_year(county):
    """Lag-1 correlation of each department's totals: pooled (with seed 11: 0.69 for the AR(1) with φ = 0.7,
    0.30 with φ = 0), and around each department's own mean (0.17 against −0.13 with φ = 0)."""
    by_department: dict = {}
    for e in county.evaluations:
        by_department.setdefault(e.department, []).append((e.year, e.score.total_rule))
    pooled, within = [], []
    for rows in by_department.values():
        totals = np.array([total for _, total in sorted(rows)])
        pooled += list(zip(totals, totals[1:]))
        centred = totals - totals.mean()
        within += list(zip(centred, centred[1:]))
    assert np.corrcoef(*np.array(pooled).T)[0, 1] > 0.5
    assert np.corrcoef(*np.array(within).T)[0, 1] > 0.05
    assert np.std([e.score.total_rule for e in county.evaluations]) > 1     # the totals do move


def test_the_county_stored_in_long_tables_scores_the_same_in_sql(county):
    frameworks = {county.framework: shipped_frameworks()[county.framework][0]}
    evaluations = evaluations_by_id(county)
    con = duckdb.connect()
    long_tables.write(con, frameworks, evaluations)
    score_sql.score_all(con, frameworks)
    totals = dict(con.execute("SELECT evaluation_id, total_rule FROM domain_totals").fetchall())
    assert totals == {i: e.score.total_rule for i, e in zip(evaluations, county.evaluations)}


def test_every_actual_value_is_written_with_its_targets_unit_once(county):
    """An actual value reads like its target: "12天" beside "≤10天", never "12天天" (the unit doubled)."""
    for e in county.evaluations:
        for b in e.inputs.brought:
            if b.kind != "target":
                continue
            leaf = e.inputs.leaves[b.code]
            target = parse_target(leaf.target)
            actual = parse_target(leaf.actual)     # without a comparator: ("=", value, unit)
            assert actual is not None, (e.department, e.year, leaf.actual)
            assert actual.unit == target.unit, (e.department, e.year, leaf.target, leaf.actual)
