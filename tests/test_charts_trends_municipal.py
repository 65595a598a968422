"""Trend and municipal comparison figures, and the comparison frames behind them, on the real demo DB."""
import numpy as np
import pandas as pd
import pytest

from analytics import compare, stats
from analytics.charts.municipal import (distribution_chart, indicator_distribution, indicator_heatmap,
                                        peer_chart, short_names)
from analytics.charts.style import FONT_FAMILY, HIGHLIGHT
from analytics.charts.trends import measure_labels, score_multiples, trend_chart
from analytics.store import Store


@pytest.fixture(scope="module")
def level1(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    nodes = compare.level1_nodes(store, "beijing-2022")
    store.close()
    return nodes


@pytest.fixture(scope="module")
def measures(level1):
    return list(measure_labels(level1, "zh"))


@pytest.fixture(scope="module")
def frames(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    evaluations = stats.evaluations(store, "北京市")
    indicators = compare.column_scores(store, "北京市", 2022, "beijing-2022")
    store.close()
    return evaluations, indicators


@pytest.fixture(scope="module")
def year_2022(frames):
    evaluations, indicators = frames
    return evaluations[evaluations["year"] == 2022].reset_index(drop=True), indicators


def by_name(fig, name):
    return next(t for t in fig.data if t.name == name)


# -- trends ----------------------------------------------------------------------------------------

def test_trend_chart_draws_band_mean_departments_and_real_points(frames, measures):
    evaluations, _ = frames
    summary = stats.municipal_summary(evaluations, measures)
    chosen = evaluations[evaluations["department"].isin(["北京市商务局", "北京市财政局"])]
    fig = trend_chart(chosen, summary, "total", "zh")
    mean = by_name(fig, "同体系均值")
    assert np.allclose(mean.y, evaluations.groupby("year")["total"].mean().to_numpy())
    band = by_name(fig, "同体系四分位区间（P25–P75）")
    assert band.fill == "tonexty"
    assert np.allclose(band.y, evaluations.groupby("year")["total"].quantile(0.25).to_numpy())
    real = by_name(fig, "真实报告")
    assert list(real.x) == [2022] and list(real.y) == [90.73] and real.marker.symbol == "star"
    assert {"北京市商务局", "北京市财政局"} <= {t.name for t in fig.data}
    assert fig.layout.font.family == FONT_FAMILY and "总分" in fig.layout.title.text


def test_trend_chart_of_a_rate_formats_with_a_percent_sign_and_translates(frames, measures):
    evaluations, _ = frames
    summary = stats.municipal_summary(evaluations, measures)
    chosen = evaluations[evaluations["department"] == "北京市商务局"]
    fig = trend_chart(chosen, summary, "carryover_rate", "en")
    assert fig.layout.yaxis.ticksuffix == "%" and "Carry-over rate" in fig.layout.title.text
    assert ":.2f}%" in by_name(fig, "北京市商务局").hovertemplate
    assert "Real report" in by_name(fig, "Real report").hovertemplate
    assert "Mean of the same framework" in {t.name for t in fig.data}


def test_trend_chart_without_real_points_has_no_star_trace(frames, measures):
    evaluations, _ = frames
    summary = stats.municipal_summary(evaluations, measures)
    fig = trend_chart(evaluations[evaluations["department"] == "北京市财政局"], summary, "total", "zh")
    assert "真实报告" not in {t.name for t in fig.data}


def test_score_multiples_show_the_total_and_three_level1_scores_once_in_the_legend(frames, measures, level1):
    evaluations, _ = frames
    summary = stats.municipal_summary(evaluations, measures)
    chosen = evaluations[evaluations["department"].isin(["北京市商务局", "北京市财政局"])]
    fig = score_multiples(chosen, summary, measure_labels(level1, "zh", rates=()), "zh")
    assert [a.text for a in fig.layout.annotations] == [
        "总分", "当年预算执行情况得分", "整体绩效目标实现情况得分", "预算管理情况得分"]
    commerce = [t for t in fig.data if t.name == "北京市商务局"]
    assert len(commerce) == 4 and sum(bool(t.showlegend) for t in commerce) == 1
    assert len({t.line.color for t in commerce}) == 1          # one colour per department across panels


# -- municipal -------------------------------------------------------------------------------------

def test_heatmap_rows_follow_the_total_and_cells_are_scoring_rates(year_2022):
    evaluations, indicators = year_2022
    fig = indicator_heatmap(indicators, evaluations, "zh")
    heat = fig.data[0]
    z = np.asarray(heat.z, dtype=float)
    assert z.shape == (55, 16) and np.nanmin(z) >= 0 and np.nanmax(z) <= 100
    best = evaluations.sort_values(["total", "department"], ascending=[False, True]).iloc[0]
    assert fig.layout.yaxis.ticktext[0] == (best["short_name"] or best["department"])
    assert fig.data[1].customdata[0][0] == best["department"]      # hover carries the full name
    assert fig.layout.xaxis.ticktext[0] == "预算执行率" and fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]   # best on top
    commerce_row = list(evaluations.sort_values(["total", "department"], ascending=[False, True])["department"]).index(
        "北京市商务局")
    assert z[commerce_row][0] == pytest.approx(17.23 / 20 * 100)
    assert fig.layout.height >= 55 * 19                             # room for 55 readable rows
    assert "Budget execution rate" in indicator_heatmap(indicators, evaluations, "en").layout.xaxis.ticktext
    # the level-1 names of the framework's tree over their columns, a line between them
    assert [a.text for a in fig.layout.annotations] == [
        "<b>当年预算执行情况</b>", "<b>整体绩效目标实现情况</b>", "<b>预算管理情况</b>"]
    assert len(fig.layout.shapes) == 2


def test_short_names_fall_back_to_the_full_name():
    frame = pd.DataFrame({"department": ["北京市甲局", "北京市乙局"], "short_name": [None, "市乙局"]})
    assert list(short_names(frame)) == ["北京市甲局", "市乙局"]


def test_distribution_marks_the_department_and_the_mean(year_2022):
    evaluations, _ = year_2022
    fig = distribution_chart(evaluations, "diff_rate", "北京市商务局", "部门预决算差异率（%）", "zh", rate=True)
    marker = fig.data[-1]
    assert list(marker.x) == [82.62] and marker.marker.color == HIGHLIGHT
    mean = next(t for t in fig.data if t.name.startswith("本地区均值"))
    assert mean.x[0] == pytest.approx(evaluations["diff_rate"].mean())
    assert len(fig.data[0].x) == 55 and fig.layout.xaxis.ticksuffix == "%"


def test_indicator_distribution_marks_every_indicator_of_the_department(year_2022):
    _, indicators = year_2022
    fig = indicator_distribution(indicators, "北京市商务局", "zh")
    marks = fig.data[1]
    assert marks.name == "北京市商务局" and len(marks.x) == 16
    assert list(marks.y)[-2:] == ["结转结余率", "部门预决算差异率"]
    assert list(marks.x)[-2:] == [0, 50]          # reported 0 on carry-over, 2 of 4 on the difference rate


def test_peer_chart_highlights_the_department_and_draws_both_means(year_2022):
    evaluations, _ = year_2022
    peers = stats.peer_group(evaluations, "北京市财政局")
    fig = peer_chart(peers, "北京市财政局", evaluations["total"].mean(), "zh")
    dots = fig.data[0]
    highlighted = [y for y, c in zip(dots.y, dots.marker.color) if c == HIGHLIGHT]
    assert highlighted == ["市财政局"] and len(dots.x) == len(peers)
    names = [t.name for t in fig.data[1:]]
    assert names[0].startswith("同类均值") and names[1].startswith("本地区均值")
    assert "综合管理" in fig.layout.title.text


# -- the comparison frames behind the charts (additions to analytics.stats) ------------------------

def test_standing_gives_percentile_and_rank_with_lower_better_rates(year_2022, measures):
    evaluations, _ = year_2022
    standing = stats.standing(evaluations, "北京市商务局", measures).set_index("measure")
    total = standing.loc["total"]
    assert total["value"] == 90.73 and total["count"] == 55
    assert total["percentile"] == round((evaluations["total"] <= 90.73).mean() * 100, 1)
    assert total["rank"] == (evaluations["total"] > 90.73).sum() + 1
    diff = standing.loc["diff_rate"]
    assert diff["percentile"] == round((evaluations["diff_rate"] >= 82.62).mean() * 100, 1)
    assert diff["rank"] == (evaluations["diff_rate"] < 82.62).sum() + 1
    assert diff["gap_to_mean"] == round(82.62 - evaluations["diff_rate"].mean(), 2)
    missing = stats.standing(evaluations, "不存在的部门", ["total"]).iloc[0]
    assert pd.isna(missing["rank"]) and missing["percentile"] is None


def test_indicator_matrix_is_one_row_per_department(year_2022):
    _, indicators = year_2022
    matrix = stats.indicator_matrix(indicators)
    assert matrix.shape == (55, 17)
    assert matrix.set_index("department").loc["北京市商务局", "execution_rate"] == 17.23


def test_peer_group_ranks_within_the_category_and_is_empty_without_one(year_2022):
    evaluations, _ = year_2022
    peers = stats.peer_group(evaluations, "北京市财政局")
    assert set(peers["category"]) == {"综合管理"} and list(peers["peer_rank"])[0] == 1
    assert peers["total"].is_monotonic_decreasing
    no_category = evaluations.assign(category=None)
    assert stats.peer_group(no_category, "北京市财政局").empty


def test_group_means_compare_peers_with_everyone(year_2022):
    evaluations, _ = year_2022
    peers = stats.peer_group(evaluations, "北京市财政局")
    means = stats.group_means(evaluations, peers, ["total"]).iloc[0]
    assert means["group_mean"] == round(peers["total"].mean(), 2)
    assert means["difference"] == round(peers["total"].mean() - evaluations["total"].mean(), 2)


def test_aggregate_source_kind_is_synthetic_as_soon_as_one_row_is():
    assert stats.aggregate_source_kind(pd.Series(["report", "synthetic"])) == "synthetic"
    assert stats.aggregate_source_kind(pd.Series(["report"])) == "report"
