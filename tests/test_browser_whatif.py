"""What-if and rule-change pages in real Chromium: move an input and see total, grade and rank change;
screenshots at two screen sizes.  (The session's server uses the demo database; nothing is saved here.)"""
import pytest
from playwright.sync_api import Page, expect

from analytics import scenario
from analytics.store import Store

from live_app import SIZES, open_page, shoot, wait_for_app  # noqa: F401

pytestmark = pytest.mark.browser

SPENDING = 174861.47        # 60 % of 北京市商务局's 2022 budget: 预算执行率 12.00 instead of 17.23


def metric(page: Page, label: str):
    return page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)).locator("[data-testid='stMetricValue']")


def test_changing_spending_moves_total_grade_and_rank(page: Page, app_server, screenshot_dir, demo_db_master):
    store = Store(demo_db_master, read_only=True)
    commerce = scenario.load_baseline(store, "北京市商务局", 2022)
    store.close()
    actual, moved = scenario.actual(commerce), scenario.apply(commerce, {"spent_total": SPENDING})
    assert moved.grade != actual.grade and moved.rank != actual.rank

    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/whatif?department=北京市商务局&year=2022")
    expect(page.get_by_role("heading", name="情景模拟")).to_be_visible()
    expect(metric(page, "总分")).to_have_text(f"{actual.total:.2f}")
    expect(metric(page, "等级")).to_have_text(actual.grade)
    expect(metric(page, "排名")).to_have_text(f"{actual.rank} / {actual.rank_of}")
    expect(page.get_by_text("尚未改动任何输入")).to_be_visible()
    shoot(page, screenshot_dir, "whatif-zh-commerce-2022")

    spending = page.get_by_label("执行数（万元）")
    spending.fill(f"{SPENDING:.2f}")
    spending.press("Enter")
    expect(metric(page, "总分")).to_have_text(f"{moved.total:.2f}")
    expect(metric(page, "等级")).to_have_text(moved.grade)
    expect(metric(page, "排名")).to_have_text(f"{moved.rank} / {moved.rank_of}")
    expect(metric(page, "当年预算执行情况")).to_have_text("12.00")
    expect(page.get_by_label("预算执行率（%）")).to_have_value("59.99")
    # goal seek: back to 优秀 at the actual spending (never advises less spending than actual)
    expect(page.get_by_text("执行数保持实际的 251,145.17 万元即可达到“优秀”")).to_be_visible()
    wait_for_app(page)
    assert "department=" in page.url and "year=2022" in page.url
    page.get_by_text("检查项（勾选 = 未通过）").click()
    page.get_by_text("定性指标得分（评价组给定）").click()
    shoot(page, screenshot_dir, "whatif-zh-commerce-2022-moved")

    page.get_by_text("English").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="What-if")).to_be_visible()
    expect(metric(page, "Grade")).to_have_text("Good")
    shoot(page, screenshot_dir, "whatif-en-commerce-2022-moved")


def test_rule_change_moves_the_ranking(page: Page, app_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/rule_change?year=2022")
    expect(page.get_by_role("heading", name="规则调整模拟")).to_be_visible()
    expect(page.get_by_text("新排名与已存排名一致")).to_be_visible()
    average = page.get_by_label("2022 年市级平均差异率（%）")
    expect(average).to_have_value("28.30")
    average.fill("10")
    average.press("Enter")
    expect(metric(page, "等级变化的部门")).not_to_have_text("0 / 55")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="名次变化（正数 = 上升）")).to_have_count(1)
    expect(page.get_by_text("没有部门的名次发生变化")).to_have_count(0)
    page.get_by_text("预算影响（用户设定的假设）").click()
    page.get_by_label("良好（%）").fill("-5")
    page.get_by_label("良好（%）").press("Enter")
    expect(page.get_by_text("是假设而非政策")).to_be_visible()
    wait_for_app(page)
    shoot(page, screenshot_dir, "rule-change-zh-2022")

    page.get_by_label("当年预算执行情况").fill("30")
    page.get_by_label("当年预算执行情况").press("Enter")
    expect(page.get_by_text("目前合计 110")).to_be_visible()
    page.get_by_text("English").click()
    wait_for_app(page)
    expect(page.get_by_text("they sum to 110")).to_be_visible()
    shoot(page, screenshot_dir, "rule-change-en-2022-invalid")


def test_rule_change_inputs_show_the_values_the_results_use_after_invalid_weights(page: Page, app_server):
    """Invalid weights stop the page above the budget inputs, so the browser forgets them; drawn again
    they used to show their minimum, −100.0, while the table computed with the values typed before."""
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/rule_change?year=2022")
    expect(page.get_by_role("heading", name="规则调整模拟")).to_be_visible(timeout=30000)
    page.get_by_text("预算影响（用户设定的假设）").click()
    page.get_by_label("优秀（%）").fill("5")
    page.get_by_label("优秀（%）").press("Enter")
    expect(page.get_by_text("是假设而非政策")).to_be_visible(timeout=30000)
    wait_for_app(page)
    weight = page.get_by_label("当年预算执行情况")
    weight.fill("30")
    weight.press("Enter")
    expect(page.get_by_text("目前合计 110")).to_be_visible(timeout=30000)
    wait_for_app(page)
    weight.fill("20")
    weight.press("Enter")
    expect(page.get_by_text("目前合计 110")).to_have_count(0, timeout=30000)
    wait_for_app(page)
    if not page.get_by_label("优秀（%）").is_visible():
        page.get_by_text("预算影响（用户设定的假设）").click()
    for grade, shown in (("优秀", "5.0"), ("良好", "0.0"), ("中", "0.0"), ("差", "0.0")):
        expect(page.get_by_label(f"{grade}（%）")).to_have_value(shown)
