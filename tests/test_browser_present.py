"""The presentation page in real Chromium: step through slides, the slide in the URL, reload."""
import pytest
from playwright.sync_api import Page, expect

from analytics import scenario
from analytics.scenario_store import ScenarioStore
from analytics.store import Store
from live_app import start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser


STAGE_BOX = """() => { const r = document.querySelector('[data-testid="stMainBlockContainer"]').getBoundingClientRect();
                         return [r.x, r.y, r.width, r.height]; }"""
# the keys' script has fitted the stage to the window
ZOOMED = "() => getComputedStyle(document.documentElement).getPropertyValue('--stage-zoom') !== ''"
CHART_FONT_PX = """() => Math.min(...[...document.querySelectorAll('.js-plotly-plot text')]
                                  .filter(t => t.textContent.trim())
                                  .map(t => parseFloat(getComputedStyle(t).fontSize)))"""


def box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def expect_slide(page: Page, number: int, count: int) -> None:
    expect(page.locator(".slide-counter")).to_have_text(f"第 {number} / {count} 页")
    wait_for_app(page)
    assert f"slide={number}" in page.url


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_presentation_is_a_16_9_stage_turned_with_the_keyboard(page: Page, app_server, screenshot_dir, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_server}/present?mode=department&department=北京市商务局&year=2022&lang=zh")
    wait_for_app(page)
    expect(page.locator(".slide-title")).to_have_text("北京市商务局", timeout=60000)
    for hidden in ("[data-testid='stSidebar']", "header[data-testid='stHeader']", "[data-testid='stToolbar']"):
        expect(page.locator(hidden)).to_be_hidden()
    page.wait_for_function(ZOOMED)
    x, y, stage_w, stage_h = page.evaluate(STAGE_BOX)
    assert abs(stage_w / stage_h - 16 / 9) < 0.01
    assert abs(stage_w - width) <= 2 or abs(stage_h - height) <= 2            # fills the window one way
    assert x >= -1 and y >= -1 and x + stage_w <= width + 1 and y + stage_h <= height + 1
    expect_slide(page, 1, 7)
    page.screenshot(path=str(screenshot_dir / f"present-stage-title-{width}.png"))
    page.keyboard.press("ArrowRight")
    expect_slide(page, 2, 7)
    expect(page.locator(".slide-title")).to_have_text("得分结构：从 100 分到末级指标")
    page.keyboard.press("ArrowRight")
    expect_slide(page, 3, 7)
    expect(page.locator(".slide-title")).to_have_text("失分在哪里")
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    assert page.evaluate(CHART_FONT_PX) >= 18                                  # legible when projected
    assert not overlap(box(page, ".slide-watermark"), box(page, ".js-plotly-plot"))
    assert not overlap(box(page, ".slide-watermark"), box(page, ".slide-title"))
    page.screenshot(path=str(screenshot_dir / f"present-losses-{width}.png"))
    page.keyboard.press("End")
    expect_slide(page, 7, 7)
    expect(page.locator(".slide-title")).to_have_text("评价结论")
    page.keyboard.press("ArrowRight")                                            # nothing after the last
    page.wait_for_timeout(500)
    expect_slide(page, 7, 7)
    page.keyboard.press("Home")
    expect_slide(page, 1, 7)
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(500)
    expect_slide(page, 1, 7)
    page.reload()
    wait_for_app(page)
    expect_slide(page, 1, 7)


def test_f_toggles_full_screen_and_keys_typed_into_the_menu_stay_there(page: Page, app_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_server}/present?mode=department&department=北京市商务局&year=2022&lang=zh&slide=2")
    wait_for_app(page)
    expect_slide(page, 2, 7)
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement !== null")
    page.keyboard.press("f")
    page.wait_for_function("() => document.fullscreenElement === null")
    page.locator("[data-testid='stPopover'] button").first.click()
    department = page.get_by_role("combobox").nth(2)          # mode, year, department
    department.click()
    page.keyboard.press("End")                                 # moves in the list, not to the last slide
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    expect_slide(page, 2, 7)


def test_the_slides_chart_is_built_in_the_background_and_downloads_as_png(page: Page, app_server, tmp_path,
                                                                         screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_server}/present?mode=department&department=北京市商务局&year=2022&lang=zh&slide=3")
    wait_for_app(page)
    expect_slide(page, 3, 7)
    page.locator("[data-testid='stPopover'] button").first.click()
    for name in ("生成 PPTX", "生成 PDF", "生成本页 PNG"):        # every export in sight at 1366x768, unscrolled
        button = page.get_by_role("button", name=name)
        expect(button).to_be_visible()
        top = button.evaluate("b => b.getBoundingClientRect().top")
        assert 0 <= top and top + button.evaluate("b => b.getBoundingClientRect().height") <= 768, (name, top)
    page.get_by_role("button", name="生成本页 PNG").click()
    download_button = page.get_by_role("button", name="下载本页 PNG")
    expect(download_button).to_be_visible(timeout=180000)     # the menu stays open while the chart is built
    page.screenshot(path=str(screenshot_dir / "present-export-png-1366.png"))
    with page.expect_download() as download:
        download_button.click()
    saved = tmp_path / "chart.png"
    download.value.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    expect_slide(page, 3, 7)


def test_the_year_pack_in_english(page: Page, app_server, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_server}/present?mode=year&year=2022&slide=2&lang=en")
    wait_for_app(page)
    expect(page.get_by_text("Slide 2 of 62")).to_be_visible(timeout=60000)
    expect(page.locator(".slide-title")).to_have_text("Totals of every department (1 of 4)")
    expect(page.locator(".slide-watermark")).to_have_count(1)
    assert page.evaluate(CHART_FONT_PX) >= 18
    page.screenshot(path=str(screenshot_dir / "present-year-ranking-en-1366.png"))


def test_a_county_departments_own_indicators_on_the_stage(page: Page, app_server, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_server}/present?mode=department&region=示例县(合成)&department=县第一中学&year=2022&lang=zh&slide=4")
    wait_for_app(page)
    expect(page.locator(".slide-title")).to_have_text("部门自设指标：目标与完成情况", timeout=60000)
    table, bar = box(page, ".slide-table"), box(page, ".st-key-bar")
    assert table["y"] + table["height"] <= bar["y"]                          # the whole table above the bar
    assert not overlap(box(page, ".slide-watermark"), table)
    page.screenshot(path=str(screenshot_dir / "present-county-own-indicators-1366.png"))


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
            expect(page.locator(".slide-title")).to_have_text(title, timeout=60000)
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
