"""Rankings, means and percentiles stay within one framework: a year holding Beijing's 2022 template and
the national self-evaluation layout in one region is never ranked mixed."""
import pytest

from analytics import breakdown, compare, records, scores, stats
from analytics.domain import synthetic_county
from analytics.domain.loader import shipped_frameworks
from analytics.records import EvaluationRecord
from analytics.store import Store

REGION = "测试市"
YEAR = 2022
BEIJING, NATIONAL = "beijing-2022", "national-self-evaluation"


def beijing_record(name: str, lost: float, fw) -> EvaluationRecord:
    """A Beijing-template evaluation whose reported leaf scores lose ``lost`` points on the first leaf."""
    leaves = fw.leaves()
    scores_ = {leaf.code: leaf.weight for leaf in leaves}
    scores_[leaves[0].code] -= lost
    return EvaluationRecord(region=REGION, department=name, year=YEAR, source_kind="synthetic", figures={},
                            reported={}, indicator_scores=scores_, category="经济发展")


def county_record(name: str, evaluation) -> EvaluationRecord:
    """A national-layout evaluation with the department's own (brought) level-3 indicators."""
    return EvaluationRecord(region=REGION, department=name, year=YEAR, source_kind="synthetic",
                            figures=dict(evaluation.inputs.figures), reported={},
                            indicator_scores=dict(evaluation.inputs.reported), brought=evaluation.inputs.brought,
                            category="经济发展")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Three Beijing-template and three national-layout evaluations of one region and year."""
    path = tmp_path_factory.mktemp("mixed") / "mixed.duckdb"
    shipped = shipped_frameworks()
    beijing, national = shipped[BEIJING][0], shipped[NATIONAL][0]
    county = synthetic_county.generate(seed=11, years=(YEAR,), departments=synthetic_county.DEPARTMENTS[:3])
    store = Store(path)
    with store.transaction() as cur:
        for k, lost in enumerate((1.0, 3.0, 6.0)):
            records.insert_evaluation(cur, beijing, beijing_record(f"北京模板局{k}", lost, beijing))
        for k, evaluation in enumerate(county.evaluations):
            records.insert_evaluation(cur, national, county_record(f"全国模板局{k}", evaluation))
        scores.refresh(cur)
    yield store
    store.close()


def view_totals(store: Store, framework: str) -> dict[str, float]:
    return dict(store.rows("""SELECT d.name, s.reported_total FROM evaluation_scores s
                              JOIN evaluations e ON e.id = s.evaluation_id JOIN departments d ON d.id = e.department_id
                              WHERE s.framework_id = ?""", [framework]))


def test_a_year_of_two_frameworks_is_not_ranked_mixed(mixed):
    with pytest.raises(compare.MixedFrameworksError) as raised:
        compare.ranking(mixed, YEAR, REGION)
    assert sorted(f[0] for f in raised.value.frameworks) == [BEIJING, NATIONAL]
    assert isinstance(raised.value, compare.NotFoundError)          # the CLI's user errors catch it
    assert BEIJING in str(raised.value) and NATIONAL in str(raised.value)


@pytest.mark.parametrize("framework", [BEIJING, NATIONAL])
def test_a_ranking_of_one_framework_holds_only_its_evaluations(mixed, framework):
    frame = compare.ranking(mixed, YEAR, REGION, framework=framework)
    totals = view_totals(mixed, framework)
    assert set(frame["framework_id"]) == {framework} and set(frame["department"]) == set(totals)
    assert dict(zip(frame["department"], frame["total"])) == pytest.approx(totals)
    assert list(frame["rank"]) == [1, 2, 3] and frame["total"].is_monotonic_decreasing
    mean = sum(totals.values()) / len(totals)
    assert list(frame["gap_to_mean"]) == pytest.approx([round(t - mean, 2) for t in frame["total"]])
    level1 = list(compare.level1_nodes(mixed, framework)["code"])
    fw = shipped_frameworks()[framework][0]
    assert level1 == [node.code for node in fw.nodes]
    assert [c for c in frame.columns if c in level1] == level1
    other = NATIONAL if framework == BEIJING else BEIJING
    foreign = set(compare.level1_nodes(mixed, other)["code"]) - set(level1)
    assert foreign and not foreign & set(frame.columns)


def test_ranks_within_a_year_are_counted_per_framework(mixed):
    frame = stats.evaluations(mixed, REGION, [YEAR])
    for _, rows in frame.groupby("framework_id"):
        assert sorted(rows["rank"]) == [1, 2, 3]
    history = stats.year_on_year(frame)
    evaluation_id = int(frame.loc[frame["framework_id"] == NATIONAL, "evaluation_id"].iloc[0])
    assert breakdown.position(history, evaluation_id)["count"] == 3


def test_the_indicator_tree_of_a_national_evaluation_shows_its_own_indicators(mixed):
    evaluation_id = int(compare.ranking(mixed, YEAR, REGION, framework=NATIONAL)["evaluation_id"].iloc[0])
    tree = compare.indicator_tree(mixed, evaluation_id).set_index("code")
    brought = tree[tree["brought"]]
    assert len(brought) >= 5 and brought["zh"].notna().all() and (brought["depth"] == 3).all()
    groups = shipped_frameworks()[NATIONAL][0].open_groups()
    assert set(brought["parent"]) <= {g.code for g in groups}
    nodes = mixed.df("SELECT code, reported, value FROM node_results WHERE evaluation_id = ?", [evaluation_id])
    assert set(nodes["code"]) == set(tree.index)
    for node in nodes.itertuples():
        assert tree.loc[node.code, "reported"] == pytest.approx(node.reported, nan_ok=True)
        assert tree.loc[node.code, "value"] == pytest.approx(node.value, nan_ok=True)
    summary = compare.evaluation_summary(mixed, evaluation_id)
    assert summary["reported_total"] == pytest.approx(view_totals(mixed, NATIONAL)[summary["department"]])
