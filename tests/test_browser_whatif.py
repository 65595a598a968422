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


COUNTY_ROUNDS = 3


def county_case(demo_db_master):
    """The demo county's latest evaluation of its first department, and a brought target whose actual
    value, cut to a quarter, moves the total."""
    from analytics import goal_seek
    store = Store(demo_db_master, read_only=True)
    try:
        region = next(r for (r,) in store.rows("SELECT DISTINCT region FROM departments ORDER BY 1") if r != "北京市")
        department, year = scenario.evaluations(store, region)[-1]
        baseline = scenario.load_baseline(store, department, year, region)
    finally:
        store.close()
    actual = scenario.actual(baseline)
    for key, item in goal_seek.numeric_inputs(baseline).items():
        if key.startswith("actual:") and item.current:
            values = [round(item.current * share, 2) for share in (0.25, 0.5, 0.1)]
            totals = [scenario.apply(baseline, {key: value}).total for value in values]
            if len(set(totals + [actual.total])) == len(totals) + 1:
                return region, department, year, baseline, key, values, totals
    raise AssertionError("no brought target moves the total")


def wait_for_total(page: Page, text: str) -> None:
    """Until the 总分 metric reads ``text``, checked on every animation frame (no polling delay)."""
    page.wait_for_function("""(text) => [...document.querySelectorAll("[data-testid='stMetric']")]
        .some(m => m.querySelector("[data-testid='stMetricLabel']")?.innerText.trim() === '总分'
                   && m.querySelector("[data-testid='stMetricValue']")?.innerText.trim() === text)""",
                           arg=text, polling="raf", timeout=60_000)


def test_whatif_and_rule_change_on_the_county(page: Page, app_server, screenshot_dir, demo_db_master):
    """The national layout in the browser: a brought indicator's actual value typed in moves the total (the
    time from the keypress to the new total is printed), a bad value is marked beside the field while the
    total stays; the rule-change form offers the county's own weights.  Screenshots at 1366 and 1920."""
    import time
    from analytics.i18n import t
    region, department, year, baseline, key, values, totals = county_case(demo_db_master)
    code = key.split(":", 1)[1]
    leaf = baseline.tree.node(code)
    label = t("wi_own_actual", "zh", name=leaf.zh, weight=leaf.weight, target=baseline.inputs.leaf(code).target or "")
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/whatif?region={region}&department={department}&year={year}")
    expect(metric(page, "总分")).to_have_text(f"{scenario.actual(baseline).total:.2f}")
    expect(metric(page, "产出指标")).to_be_visible()
    shoot(page, screenshot_dir, "whatif-zh-county")
    page.get_by_text("其他指标（实际完成值、评价得分、得分系数）").click()
    field = page.get_by_label(label, exact=True)
    timings = []
    for value, total in zip(values, totals):
        field.fill(f"{value:,.2f}")
        started = time.perf_counter()
        field.press("Enter")
        wait_for_total(page, f"{total:.2f}")
        timings.append(time.perf_counter() - started)
        wait_for_app(page)
    print(f"\nbrowser time from a what-if input (Enter) to its new total, county {department} {year}: "
          + ", ".join(f"{s * 1000:.0f} ms" for s in timings))
    assert max(timings) < 10
    field.fill("12万")
    field.press("Enter")
    expect(page.get_by_text("“12万”不是数字")).to_be_visible()
    expect(metric(page, "总分")).to_have_text(f"{scenario.actual(baseline).total:.2f}")
    expect(page.get_by_text("以下输入有误")).to_be_visible()
    wait_for_app(page)
    shoot(page, screenshot_dir, "whatif-zh-county-bad-input")

    open_page(page, f"{app_server}/rule_change?region={region}&year={year}")
    expect(page.get_by_role("heading", name="规则调整模拟")).to_be_visible()
    expect(page.get_by_text("新排名与已存排名一致")).to_be_visible()
    page.get_by_text("下级指标权重", exact=True).click()
    child = page.get_by_label("预算执行率")
    child.fill("15")
    child.press("Enter")
    expect(page.get_by_text("下级指标权重合计须为 10，目前合计 15")).to_be_visible()
    wait_for_app(page)
    weight = page.get_by_label("年度预算执行情况", exact=True)
    weight.fill("15")
    weight.press("Enter")
    expect(page.get_by_text("下级指标权重合计须为")).to_have_count(0)
    expect(metric(page, "总分变化的部门")).not_to_have_text(f"0 / {len(baseline.others) + 1}")
    wait_for_app(page)
    shoot(page, screenshot_dir, "rule-change-zh-county")
