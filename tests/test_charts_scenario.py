"""Figures of the what-if and rule-change pages, built from real demo data."""
import pandas as pd

from analytics import goal_seek, rule_change, scenario
from analytics.charts import scenario as charts
from analytics.charts.style import FONT_FAMILY, GAIN, LOSS, NEUTRAL


def test_waterfall_walks_from_the_actual_to_the_scenario_total(commerce):
    result = scenario.apply(commerce, {"execution_rate": 95, "carryover_amount": 40290.62 - 0.01})
    fig = charts.moved_waterfall(commerce.tree, result.changed, commerce.level1["total"], result.total, "zh", "得分变动的指标")
    bars = fig.data[0]
    assert list(bars.y) == ["实际总分", "预算执行率", "结转结余率", "情景总分"]
    assert list(bars.x) == [90.73, 1.77, 1.69, 94.19] and result.total == 94.19
    assert list(bars.measure) == ["absolute", "relative", "relative", "total"]
    assert list(bars.text) == ["90.73", "+1.77", "+1.69", "94.19"]
    assert "0.00 → 1.69" in bars.hovertext[2]
    low, high = fig.layout.xaxis.range
    assert low < 90.73 and high > 94.19 and high - low < 20      # the moves stay visible, not dwarfed by 0–100
    assert fig.layout.font.family == FONT_FAMILY
    english = charts.moved_waterfall(commerce.tree, result.changed, 90.73, result.total, "en")
    assert list(english.data[0].y) == ["Actual total", "Budget execution rate", "Carry-over rate", "Scenario total"]


def test_tornado_shows_gains_right_losses_left_biggest_first(commerce):
    rows = goal_seek.sensitivity(commerce)
    fig = charts.tornado(rows, commerce.tree, "zh")
    gain, loss = fig.data
    assert gain.name == "有利方向一个单位" and loss.name == "不利方向一个单位"
    assert gain.marker.color == GAIN and loss.marker.color == LOSS
    assert all(v >= 0 for v in gain.x) and all(v <= 0 for v in loss.x)
    effects = [max(abs(g), abs(l)) for g, l in zip(gain.x, loss.x)]
    assert effects == sorted(effects, reverse=True)
    labels = list(gain.y)
    assert labels[0] == "绩效管理情况（±1 项检查）"                  # one failed check costs 2 points
    assert {"预算执行率（±1 个百分点）", "结转结余率（±1 个百分点）", "产出数量（±1 分）",
            "市级平均差异率（±1 个百分点）"} <= set(labels)
    execution = labels.index("预算执行率（±1 个百分点）")
    assert (gain.x[execution], loss.x[execution]) == (0.2, -0.2)
    assert fig.layout.yaxis.autorange == "reversed"
    english = charts.tornado(rows, commerce.tree, "en")
    assert "Execution rate (±1 point)" in english.data[0].y


def test_scenario_comparison_groups_level1_and_total(commerce):
    actual = scenario.actual(commerce)
    high = scenario.apply(commerce, {"execution_rate": 100})
    frame = pd.DataFrame([{"name": name, **r.level1, "total": r.total} for name, r in (("实际", actual), ("全额执行", high))])
    fig = charts.scenario_comparison(frame, commerce.tree, "zh", "情景对比")
    assert [trace.name for trace in fig.data] == ["实际", "全额执行"]
    assert list(fig.data[0].x) == ["当年预算执行情况", "整体绩效目标实现情况", "预算管理情况", "总分"]
    assert list(fig.data[0].y) == [17.23, 59.5, 14.0, 90.73]
    assert list(fig.data[1].y) == [20.0, 59.5, 14.0, 93.5]
    assert fig.data[0].marker.color == NEUTRAL and fig.data[1].marker.color != NEUTRAL
    assert fig.layout.barmode == "group"
    assert list(charts.scenario_comparison(frame, commerce.tree, "en").data[0].x)[-1] == "Total"


def test_rank_shift_chart_has_one_bar_per_moved_department(demo_store):
    frame = rule_change.run(demo_store, 2022, rule_change.RuleChange(municipal_avg_diff_rate=10), region="北京市")
    fig = charts.rank_shift(frame, "zh", "名次变化")
    bars = fig.data[0]
    moved = frame[frame["rank_shift"] != 0]
    assert len(bars.y) == len(moved) > 0
    assert list(bars.x) == sorted(bars.x, reverse=True)
    row = frame.set_index("department").loc["北京市商务局"]
    commerce = list(bars.y).index(row["short_name"])                  # short names label the bars
    assert bars.x[commerce] == row["rank_shift"] < 0 and bars.marker.color[commerce] == LOSS
    assert bars.text[commerce] == f"{row['rank_shift']:+d}（{row['old_rank']}→{row['new_rank']}）"
    assert "北京市商务局" in charts.rank_shift(frame.drop(columns="short_name"), "en").data[0].y   # else full names


def test_rank_shift_chart_of_an_unchanged_rule_is_empty(demo_store):
    frame = rule_change.run(demo_store, 2022, rule_change.RuleChange(), region="北京市")
    assert len(charts.rank_shift(frame, "zh").data[0].y) == 0
