"""Rankings, means and percentiles stay within one framework: a year holding Beijing's 2022 template and
the national self-evaluation layout in one region is never ranked mixed."""
import pytest

from analytics import breakdown, compare, stats
from analytics.domain.loader import shipped_frameworks
from analytics.store import Store
from mixed_frameworks import BEIJING, BEIJING_NAMES, NATIONAL, PRINTED, REGION, YEAR, build_mixed


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Three Beijing-template and three national-layout evaluations of one region and year."""
    store = Store(build_mixed(tmp_path_factory.mktemp("mixed") / "mixed.duckdb"), read_only=True)
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
    assert (brought["level2"] == brought["parent"]).all()          # placed under their group and its level 1
    level1 = {node.code: node for node in shipped_frameworks()[NATIONAL][0].nodes}
    assert all(row.parent in {c.code for c in level1[row.level1].children} for row in brought.itertuples())
    assert tree["order"].is_monotonic_increasing
    nodes = mixed.df("SELECT code, reported, value FROM node_results WHERE evaluation_id = ?", [evaluation_id])
    assert set(nodes["code"]) == set(tree.index)
    for node in nodes.itertuples():
        assert tree.loc[node.code, "reported"] == pytest.approx(node.reported, nan_ok=True)
        assert tree.loc[node.code, "value"] == pytest.approx(node.value, nan_ok=True)
    summary = compare.evaluation_summary(mixed, evaluation_id)
    assert summary["reported_total"] == pytest.approx(view_totals(mixed, NATIONAL)[summary["department"]])


def test_a_printed_level1_score_is_what_every_reader_shows(mixed):
    """budget_management printed 17.5 while its leaves add up to 17.0 (and the total 91.5): the ranking,
    the evaluations frame, the tree and the department page's frames all show the printed scores, and
    the waterfall names the printed difference instead of ending elsewhere."""
    name = BEIJING_NAMES[2]
    evaluation_id = compare.find_evaluation(mixed, name, YEAR, REGION)
    view = mixed.df("SELECT code, reported, printed FROM node_results WHERE evaluation_id = ? AND depth = 1",
                    [evaluation_id]).set_index("code")
    total = mixed.scalar("SELECT reported_total FROM evaluation_scores WHERE evaluation_id = ?", [evaluation_id])
    assert view.loc["budget_management", "printed"] == PRINTED["reported_score_budget_management"]
    assert total == PRINTED["reported_score_total"]
    ranking = compare.ranking(mixed, YEAR, REGION, framework=BEIJING).set_index("department")
    frame = stats.evaluations(mixed, REGION, [YEAR]).set_index("department")
    summary = compare.evaluation_summary(mixed, evaluation_id)
    tree = compare.indicator_tree(mixed, evaluation_id)
    nodes = breakdown.score_tree(tree, summary, "zh").set_index("id")
    for shown in (ranking.loc[name, "budget_management"], frame.loc[name, "budget_management"],
                  tree.set_index("code").loc["budget_management", "reported"], nodes.loc["budget_management", "score"]):
        assert shown == PRINTED["reported_score_budget_management"]
    for shown in (ranking.loc[name, "total"], frame.loc[name, "total"], summary["reported_total"],
                  nodes.loc[breakdown.ROOT_ID, "score"]):
        assert shown == pytest.approx(total)
    steps = breakdown.waterfall_steps(tree, summary, "zh")
    assert steps["value"].iloc[-1] == pytest.approx(total) and steps["value"].iloc[:-1].sum() == pytest.approx(total)
    assert steps.loc[steps["kind"] == "rest", "value"].tolist() == [pytest.approx(0.5)]
