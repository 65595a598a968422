"""Rankings and department figures, and the breakdown frames behind them, built from the demo database."""
import re

import pytest

from analytics import breakdown, compare, stats
from analytics.charts import department as department_charts
from analytics.charts import ranking as ranking_charts
from analytics.charts.style import FONT_FAMILY, GAIN, GRADE_COLOURS, LOSS

REGION = "北京市"


@pytest.fixture(scope="module")
def ranking_2023(demo_store):
    return compare.ranking_with_changes(demo_store, 2023)


@pytest.fixture(scope="module")
def bands(demo_store):
    return compare.grade_bands(demo_store, "beijing-2022")


@pytest.fixture(scope="module")
def commerce(demo_store):
    evaluation_id = compare.find_evaluation(demo_store, "北京市商务局", 2022)
    return evaluation_id, compare.indicator_tree(demo_store, evaluation_id), compare.evaluation_summary(
        demo_store, evaluation_id)


def test_grade_bands_come_from_the_framework(bands):
    assert list(bands["grade"]) == ["优秀", "良好", "中", "差"]
    assert list(bands["min_score"]) == [90, 80, 60, 0]


def test_totals_bars_have_one_bar_per_department_in_grade_colours(ranking_2023, bands):
    mean, median = ranking_2023["total"].mean(), ranking_2023["total"].median()
    fig = ranking_charts.totals_bars(ranking_2023, bands, mean, median, "zh", "t")
    assert fig.layout.font.family == FONT_FAMILY
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert sum(len(trace.x) for trace in bars) == len(ranking_2023)
    assert {trace.marker.color for trace in bars} <= set(GRADE_COLOURS.values())
    lines = {trace.meta: trace.y for trace in fig.data if trace.type == "scatter"}
    assert lines["mean"] == (mean, mean) and lines["median"] == (median, median)
    # short names written top to bottom, upright, so 55 labels never overlap
    assert fig.layout.xaxis.tickangle == 0 and "<br>" in fig.layout.xaxis.ticktext[0]
    assert len(fig.layout.shapes) >= 2 and fig.layout.yaxis.range[1] == 100.5


def test_a_department_without_a_short_name_is_labelled_with_its_name(demo_store, bands):
    frame = compare.ranking_with_changes(demo_store, 2022)
    frame.loc[frame["department"] == "北京市商务局", "short_name"] = None
    fig = ranking_charts.totals_bars(frame, bands, 90, 90, "en")
    assert ranking_charts.stacked("北京市商务局") in fig.layout.xaxis.ticktext
    assert any("Excellent" == trace.name for trace in fig.data)


def test_grade_distribution_counts_every_grade_in_order(ranking_2023, bands):
    fig = ranking_charts.grade_distribution(ranking_2023, bands, "en")
    assert list(fig.data[0].x) == ["Excellent", "Good", "Fair", "Poor"]
    assert sum(fig.data[0].y) == len(ranking_2023)
    assert list(fig.data[0].marker.color) == [GRADE_COLOURS[g] for g in ("优秀", "良好", "中", "差")]


def test_movers_are_the_five_biggest_each_way(ranking_2023):
    risers, fallers = compare.movers(ranking_2023)
    assert len(risers) == len(fallers) == 5
    assert risers["total_change"].iloc[0] == ranking_2023["total_change"].max()
    assert fallers["total_change"].iloc[0] == ranking_2023["total_change"].min()
    fig = ranking_charts.movers_chart(risers, fallers, "zh")
    assert [trace.marker.color for trace in fig.data] == [GAIN, LOSS]
    assert fig.layout.font.family == FONT_FAMILY


def test_the_earliest_year_has_no_changes(demo_store):
    risers, fallers = compare.movers(compare.ranking_with_changes(demo_store, 2018))
    assert risers.empty and fallers.empty


def test_the_score_tree_holds_the_stored_scores_from_indicators_to_the_total(commerce):
    _, tree, summary = commerce
    nodes = breakdown.score_tree(tree, summary, "zh").set_index("id")
    assert nodes.loc["total", "score"] == pytest.approx(90.73) and nodes.loc["total", "weight"] == 100
    assert nodes.loc["budget_management", "score"] == pytest.approx(14.0)     # as printed
    assert nodes.loc["execution_rate", "lost"] == pytest.approx(2.77)
    fig = department_charts.score_tree(nodes.reset_index(), "zh")
    assert fig.data[0].branchvalues == "total" and fig.layout.font.family == FONT_FAMILY
    assert "预算执行率<br>得分 17.23 / 20，失分 2.77" in fig.data[0].hovertext


def most_losses(demo_store, year: int = 2022) -> str:
    """The department of the year with the most indicators that lost points."""
    def lost(department):
        tree = compare.indicator_tree(demo_store, compare.find_evaluation(demo_store, department, year))
        leaves = tree[tree["leaf"]]
        return int((leaves["reported"].fillna(0) < leaves["weight"] - 0.005).sum())
    return max(compare.ranking(demo_store, year)["department"], key=lost)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_cell_that_lost_points_is_listed_beside_the_score_tree(demo_store, lang):
    """Cells too small for their label (结转结余率 0.00 / 4, the reddest cell) are the ones a reader looks
    for: every cell that lost points is named in a list beside the chart, with its points."""
    for department in ("北京市商务局", most_losses(demo_store)):
        evaluation_id = compare.find_evaluation(demo_store, department, 2022)
        tree = compare.indicator_tree(demo_store, evaluation_id)
        nodes = breakdown.score_tree(tree, compare.evaluation_summary(demo_store, evaluation_id), lang)
        fig = department_charts.score_tree(nodes, lang)
        listed = [a for a in fig.layout.annotations if a.name == "lost_points"]
        assert len(listed) == 1 and listed[0].x >= fig.data[0].domain.x[1]       # beside, not over, the tree
        text = re.sub(r"\s+", " ", re.sub(r"</?b>", "", listed[0].text.replace("<br>", " ")))
        lost = nodes[(nodes["lost"] > 0) & (nodes["id"] != breakdown.ROOT_ID)]
        assert len(lost) >= 5
        for node in lost.itertuples():       # a group of one same-named indicator is named by its indicator's line
            points = f"{node.score:.2f} / {node.weight:g} −{node.lost:.2f}"
            assert f"{node.label} {points}" in text or \
                (not node.leaf and f"{node.label} −{node.lost:.2f}" in text), (node.label, text)
        full = nodes[(nodes["lost"] == 0) & (nodes["id"] != breakdown.ROOT_ID)]
        assert not any(f"{label} " in text for label in full["label"] if label not in set(lost["label"]))


def test_the_waterfall_names_every_deduction(commerce):
    _, tree, summary = commerce
    steps = breakdown.waterfall_steps(tree, summary, "en")
    assert steps["value"].iloc[0] == 100 and steps["value"].iloc[-1] == pytest.approx(90.73)
    assert steps["value"].iloc[:-1].sum() == pytest.approx(90.73)
    assert list(steps["code"].iloc[1:-1]) == ["execution_rate", "output_quantity", "carryover_rate",
                                              "final_account_diff_rate"]
    fig = department_charts.waterfall(steps, "en")
    assert list(fig.data[0].measure) == ["absolute", "relative", "relative", "relative", "relative", "total"]
    assert fig.data[0].y[0] == "Full marks" and fig.data[0].y[-1] == "Reported total"


def test_the_carryover_disagreement_gives_92_42(commerce):
    _, tree, summary = commerce
    found = breakdown.disagreements(tree, summary["reported_total"], "zh")
    assert list(found["name_zh"]) == ["结转结余率"]
    row = found.iloc[0]
    assert (row["reported"], row["rule"], row["difference"], row["total_if_rule"]) == (0.0, 1.69, 1.69, 92.42)
    assert summary["rule_total"] == 92.42 and summary["rule_grade"] == "优秀"


def test_rates_compare_with_the_year_and_the_published_average(demo_store):
    year = stats.evaluations(demo_store, REGION, [2022])
    param = compare.year_param(demo_store, REGION, 2022, breakdown.DIFF_RATE_PARAM)
    assert param["value"] == 28.3 and not param["is_synthetic"]
    rates = breakdown.rate_comparison(year, "北京市商务局", param).set_index("key")
    assert rates.loc["execution_rate", "department"] == 86.17
    assert rates.loc["diff_rate", "published"] == 28.3
    assert rates.loc["carryover_rate", "mean"] == pytest.approx(round(year["carryover_rate"].mean(), 2))
    fig = department_charts.rates(rates.reset_index(), "zh")
    assert [trace.name for trace in fig.data] == ["本部门", "同体系均值", "公布的市级平均值"]
    assert fig.layout.font.family == FONT_FAMILY


def test_level2_rates_sit_beside_the_municipal_mean(demo_store, commerce):
    evaluation_id, _, _ = commerce
    frame = breakdown.level2_comparison(stats.level2_scores(demo_store, REGION, [2022]), evaluation_id, "en")
    assert len(frame) == 8 and frame["weight"].sum() == 100
    carryover = frame.set_index("level2").loc["carryover"]
    assert carryover["rate"] == 0 and 0 < carryover["mean_rate"] < 1
    fig = department_charts.level2_rates(frame, "en")
    assert [trace.name for trace in fig.data[1:]] == ["This department", "Mean of the same framework"]
    assert "Carry-over rate" in fig.data[1].y


def test_position_gives_rank_of_n_and_the_change(demo_store, commerce):
    evaluation_id, _, _ = commerce
    history = stats.year_on_year(stats.evaluations(demo_store, REGION))
    position = breakdown.position(history, evaluation_id)
    assert position["count"] == 55 and position["total"] == 90.73
    year = history[history["year"] == 2022]
    assert position["gap_to_mean"] == pytest.approx(round(90.73 - year["total"].mean(), 2))


def ranking_dots(store, frame, lang="zh"):
    framework = frame["framework_id"].iloc[0]
    return ranking_charts.ranking_dots(frame, compare.grade_bands(store, framework),
                                       compare.level1_nodes(store, framework), frame["total"].mean(),
                                       frame["total"].median(), lang)


def dots(fig, axis: str):
    return [trace for trace in fig.data if trace.mode == "markers" and trace.xaxis == axis]


def test_the_ranking_chart_is_one_row_per_department_under_its_full_name_best_first(demo_store):
    frame = compare.ranking_with_changes(demo_store, 2022)
    fig = ranking_dots(demo_store, frame)
    labels = [re.sub(r"<[^>]+>|★ ", "", label) for label in fig.layout.yaxis.ticktext]
    assert labels == list(frame.sort_values(["total", "department"], ascending=[False, True])["department"])
    assert not fig.layout.title.text                      # the page heads it: no title over the legend
    assert fig.layout.height >= ranking_charts.ROW_HEIGHT * len(frame)
    fewer = ranking_dots(demo_store, frame.head(10))
    assert fewer.layout.height < fig.layout.height
    totals = dots(fig, "x")
    assert sum(len(trace.x) for trace in totals) == len(frame)
    low, high = fig.layout.xaxis.range
    assert low <= frame["total"].min() and high >= 100          # every total shows, the axis is not cut
    ids = {i for trace in totals for i in trace.customdata}
    assert ids == set(frame["evaluation_id"])                   # what a click reads to open the department


def test_the_real_department_is_highlighted_in_the_ranking_chart(demo_store):
    fig = ranking_dots(demo_store, compare.ranking_with_changes(demo_store, 2022))
    marked = [label for label in fig.layout.yaxis.ticktext if "★" in label]
    assert len(marked) == 1 and "北京市商务局" in marked[0] and "<b>" in marked[0]
    stars = [symbol for trace in dots(fig, "x") for symbol in trace.marker.symbol if symbol == "star"]
    assert stars == ["star"]


@pytest.mark.parametrize("region, framework", [("北京市", "beijing-2022"), ("示例县(合成)", "national-self-evaluation")])
def test_each_level1_score_is_compared_on_its_own_scale_named_by_the_framework(demo_store, region, framework):
    frame = compare.ranking_with_changes(demo_store, 2022, region, framework)
    nodes = compare.level1_nodes(demo_store, framework)
    for lang in ("zh", "en"):
        fig = ranking_dots(demo_store, frame, lang)
        titles = [fig.layout[f"xaxis{k + 2}"].title.text.replace("<br>", "").replace(" ", "") for k in range(len(nodes))]
        for title, name in zip(titles, breakdown.localized(nodes, "name", lang)):
            assert title.startswith(name.replace(" ", "")), (title, name)
        for k, (code, weight) in enumerate(zip(nodes["code"], nodes["weight"])):
            low, high = fig.layout[f"xaxis{k + 2}"].range
            values = frame[code].dropna()
            assert low <= values.min() and high >= values.max()
            assert high < 100                                   # its own scale, not the total's
            if weight == weight and weight is not None:
                assert weight <= high <= weight * 1.1


def test_the_walk_on_to_the_rules_total_ends_at_evaluation_scores(commerce):
    """From the reported total on to the total by the rules: one step per disputed indicator, ending at the
    rule total of evaluation_scores; a printed difference the steps do not explain is a step of its own."""
    _, tree, summary = commerce
    steps = breakdown.rule_steps(tree, summary, "zh")
    assert list(steps["kind"]) == ["rule", "rule_total"] and list(steps["label"]) == ["结转结余率", ""]
    assert summary["reported_total"] + steps["value"].iloc[0] == pytest.approx(steps["value"].iloc[-1])
    assert steps["value"].iloc[-1] == summary["rule_total"] == 92.42
    printed = breakdown.rule_steps(tree, {**summary, "rule_total": 93.0}, "zh")
    assert list(printed["kind"]) == ["rule", "rule_rest", "rule_total"] and printed["value"].iloc[1] == pytest.approx(0.58)
    agreed = tree.assign(disagrees=False)
    assert breakdown.rule_steps(agreed, {**summary, "rule_total": summary["reported_total"]}, "zh").empty
    assert breakdown.rule_steps(tree, {**summary, "rule_total": None}, "zh").empty


def test_the_rank_by_the_rules_is_among_the_others_reported_totals(demo_store, commerce):
    evaluation_id, _, summary = commerce
    history = stats.year_on_year(stats.evaluations(demo_store, REGION))
    position = breakdown.position(history, evaluation_id)
    others = history[(history["year"] == 2022) & (history["evaluation_id"] != evaluation_id)]
    assert position["rule_total"] == summary["rule_total"]
    assert position["rule_rank"] == 1 + int((others["total"] > 92.42).sum()) < position["rank"]
    figure = department_charts.year_position(breakdown.year_totals(history, evaluation_id), position, "en")
    names = [trace.name for trace in figure.data]
    assert names == ["Other departments", "This department", "Total by the rules"]    # the real one is this one
    assert figure.data[1].marker.symbol == "star" and list(figure.data[2].x) == [92.42]
    texts = [a.text for a in figure.layout.annotations]
    assert f"This department 90.73, #{position['rank']}" in texts and f"By the rules 92.42, #{position['rule_rank']}" in texts


@pytest.mark.parametrize("text, value, unit, comparator, shown", [
    ("≥9090平方米", 9090.0, "平方米", "≥", "≥9,090平方米"),       # comparator, number and unit: re-spaced
    ("10月前", 10.0, "月", "≤", "10月前"),                       # anything else as the department wrote it
    (None, 1234567.5, "元", "≤", "≤1,234,567.5元"),
    ("显著", None, "", "", "显著"),
])
def test_targets_are_shown_as_written_with_thousands_separators(text, value, unit, comparator, shown):
    assert breakdown.written(text, value, unit, comparator) == shown
