"""The presentation page in real Chromium: step through slides, the slide in the URL, reload."""
import pytest
from playwright.sync_api import Page, expect

from analytics import scenario
from analytics.scenario_store import ScenarioStore
from analytics.store import Store
from live_app import start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_step_through_the_department_presentation(page: Page, app_server, screenshot_dir, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_server}/present?mode=department&department=北京市商务局&year=2022&lang=zh")
    wait_for_app(page)
    expect(page.locator(".slide-title")).to_have_text("北京市商务局", timeout=30000)
    expect(page.get_by_text("第 1 / 7 页")).to_be_visible()
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / f"present-title-{size[0]}.png"))
    page.get_by_role("button", name="下一页").click()
    wait_for_app(page)
    page.get_by_role("button", name="下一页").click()
    wait_for_app(page)
    expect(page.get_by_text("第 3 / 7 页")).to_be_visible()
    assert "slide=3" in page.url
    expect(page.locator(".slide-title")).to_have_text("失分在哪里")
    page.screenshot(path=str(screenshot_dir / f"present-losses-{size[0]}.png"))
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text("第 3 / 7 页")).to_be_visible(timeout=30000)
    page.get_by_role("button", name="上一页").click()
    wait_for_app(page)
    expect(page.get_by_text("第 2 / 7 页")).to_be_visible()


def test_the_year_pack_in_english(page: Page, app_server, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_server}/present?mode=year&year=2022&slide=2&lang=en")
    wait_for_app(page)
    expect(page.get_by_text("Slide 2 of 59")).to_be_visible(timeout=30000)
    expect(page.locator(".slide-title")).to_have_text("Totals of every department")
    expect(page.locator(".slide-watermark")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "present-year-ranking-en-1366.png"))


def test_a_saved_scenario_stamps_only_the_slide_that_shows_it(page: Page, demo_db_master, tmp_path, screenshot_dir):
    scenarios = tmp_path / "scenarios.duckdb"
    store = Store(demo_db_master, read_only=True)
    baseline = scenario.load_baseline(store, "北京市商务局", 2022)
    saved = ScenarioStore(scenarios)
    overrides = {"carryover_amount": 52400.15}
    scenario_id = saved.save("赶上前一名", baseline, overrides, scenario.apply(baseline, overrides))
    saved.close()
    store.close()
    url, server = start_server(demo_db_master, {"ANALYTICS_SCENARIO_DB": str(scenarios)})
    try:
        page.set_viewport_size({"width": 1366, "height": 1300})     # the whole slide in one picture
        for number, title, stamped in ((1, "北京市商务局", False), (2, "情景模拟：赶上前一名", True),
                                       (3, "得分结构：从 100 分到末级指标", False)):
            page.goto(f"{url}/present?mode=department&department=北京市商务局&year=2022&lang=zh"
                      f"&scenario={scenario_id}&slide={number}")
            wait_for_app(page)
            expect(page.locator(".slide-title")).to_have_text(title, timeout=30000)
            stamp = page.locator(".slide-stamp")
            expect(stamp).to_contain_text("数据版本")
            if stamped:
                expect(stamp).to_contain_text("模拟结果，非实际评价结果")
                expect(page.locator(".slide-bullets")).to_contain_text("+1.69 分来自按评分规则计分")
            else:
                expect(stamp).not_to_contain_text("模拟结果")
            if number > 1:
                expect(page.locator(".js-plotly-plot")).to_have_count(1, timeout=30000)
            wait_for_app(page)
            page.screenshot(path=str(screenshot_dir / f"present-scenario-slide{number}-1366.png"), full_page=True)
    finally:
        stop_server(server)
