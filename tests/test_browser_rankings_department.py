"""Rankings and department pages in real Chromium: change the year, follow the ranking to a department
(by clicking a row and by the open-department control), switch language, reload the shared URL."""
import re
from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from analytics import compare
from live_app import SIZES, shoot, wait_for_app

pytestmark = pytest.mark.browser

DISAGREEMENT_ZH = "结转结余率 报告得分 0.00，按规则计算 1.69（+1.69），若采用规则得分总分为 92.42"
DISAGREEMENT_EN = "结转结余率: reported 0.00, the rule gives 1.69 (+1.69); the total would be 92.42"


def choose(page: Page, label: str, option: str, attempts: int = 3) -> None:
    """Pick an option of the selectbox with this label; the option list is virtual, so filter it first.
    Tried again when the list closes under the pointer: the run an earlier choice started may redraw the
    box after the app looked idle."""
    for attempt in range(attempts):
        wait_for_app(page)
        box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).get_by_role("combobox")
        box.click()
        page.keyboard.type(option)
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == attempts - 1:
                raise
    wait_for_app(page)


def click_first_row(page: Page) -> None:
    """The grid is drawn on a canvas: click the selection cell of its first data row."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)


def test_follow_the_ranking_to_a_department_and_share_the_view(page: Page, app_server, screenshot_dir, browser):
    page.set_viewport_size(SIZES["1366"])
    page.goto(app_server)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="排名总览")).to_be_visible(timeout=30000)
    choose(page, "年度", "2022")
    expect(page.get_by_text("2022 年度部门整体绩效评价排名")).to_be_visible(timeout=30000)
    assert "year=2022" in page.url
    expect(page.locator(".js-plotly-plot")).to_have_count(3, timeout=30000)
    shoot(page, screenshot_dir, "rankings-zh-2022")

    click_first_row(page)
    expect(page.get_by_role("heading", name="部门详情")).to_be_visible(timeout=30000)
    wait_for_app(page)
    assert re.search(r"/department\?.*year=2022", page.url) and "department=" in page.url

    # back to the ranking, then open the one real report with the keyboard-friendly control
    page.get_by_role("link", name="排名总览").click()
    wait_for_app(page)
    choose(page, "打开部门详情", "北京市商务局")
    page.get_by_role("button", name="打开", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(DISAGREEMENT_ZH)).to_be_visible(timeout=30000)
    expect(page.get_by_text("90.73").first).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(5, timeout=30000)
    shoot(page, screenshot_dir, "department-zh-commerce-2022")

    page.get_by_text("English").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Department", exact=True)).to_be_visible(timeout=30000)
    expect(page.get_by_text(DISAGREEMENT_EN)).to_be_visible()
    assert "lang=en" in page.url and "year=2022" in page.url
    shoot(page, screenshot_dir, "department-en-commerce-2022")

    shared = page.url
    other = browser.new_page(viewport=SIZES["1366"])
    other.goto(shared)
    wait_for_app(other)
    expect(other.get_by_role("heading", name="Department", exact=True)).to_be_visible(timeout=30000)
    expect(other.get_by_text(DISAGREEMENT_EN)).to_be_visible()
    expect(other.get_by_role("combobox", name="Department")).to_match_aria_snapshot('- combobox "Department": Beijing Municipal Commerce Bureau')
    expect(other.get_by_role("combobox", name="Year")).to_match_aria_snapshot('- combobox "Year": "2022"')
    other.close()


def test_rankings_in_english_keep_the_filters_in_the_url(page: Page, app_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    page.goto(f"{app_server}/?year=2023&lang=en&grade=良好")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30000)
    expect(page.get_by_role("heading", name="Ranking 2023: total and level-1 scores")).to_be_visible(timeout=30000)
    expect(page.get_by_text(re.compile(r"Showing \d+ of 55 departments"))).to_be_visible()
    shoot(page, screenshot_dir, "rankings-en-2023-good")


# the page position of a department's dot in the ranking chart (the first chart), found by its evaluation id
DOT_POSITION = """([chart, id]) => {
    const layout = chart._fullLayout, xa = layout.xaxis, ya = layout.yaxis, box = chart.getBoundingClientRect();
    for (const trace of chart._fullData) {
        if (trace.xaxis !== "x" || !trace.customdata) continue;
        const i = Array.from(trace.customdata).indexOf(id);
        if (i >= 0) return {x: box.left + xa._offset + xa.l2p(trace.x[i]),
                            y: box.top + ya._offset + ya.l2p(ya.d2l(trace.y[i]))};
    }
    return null;
}"""


def click_dot(page: Page, evaluation_id: int) -> None:
    expect(page.locator(".js-plotly-plot")).to_have_count(3)     # the ranking, the grades, the movers
    wait_for_app(page)
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    position = chart.evaluate(f"(chart, id) => ({DOT_POSITION})([chart, id])", evaluation_id)
    assert position, evaluation_id
    page.mouse.move(position["x"], position["y"])
    page.mouse.click(position["x"], position["y"])


@pytest.mark.parametrize("lang, region, heading", [("zh", "北京市", "部门详情"), ("en", "示例县(合成)", "Department")])
def test_a_click_on_a_dot_of_the_ranking_chart_opens_that_department(page: Page, app_server, demo_store, screenshot_dir,
                                                                     lang, region, heading):
    ranking = compare.ranking(demo_store, 2022, region)
    target = ranking.iloc[len(ranking) // 2]          # a row in the middle: the click is on the right dot
    page.set_viewport_size(SIZES["1920"])
    page.goto(f"{app_server}/rankings?year=2022&lang={lang}&region={quote(region)}")
    wait_for_app(page)
    click_dot(page, int(target["evaluation_id"]))
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    wait_for_app(page)
    assert "/department" in page.url and "year=2022" in page.url
    assert f"department={target['department']}" in unquote(page.url)
    english = demo_store.scalar("SELECT name_en FROM departments WHERE region = ? AND name = ?", [region, target["department"]])
    shown = english if lang == "en" and english else target["department"]
    expect(page.get_by_role("combobox", name="部门" if lang == "zh" else "Department")).to_match_aria_snapshot(
        f'- combobox "{"部门" if lang == "zh" else "Department"}": {shown}')
    shoot(page, screenshot_dir, f"drilldown-{lang}-{'county' if region != '北京市' else 'beijing'}")


def above_the_fold(page: Page, locator, settle_ms: int = 20_000) -> None:
    """The element is on the first screen: shown, and its top inside the viewport without scrolling, once the
    page has settled (a run that started after the app looked idle may still be laying it out)."""
    expect(locator).to_be_visible()
    for _ in range(settle_ms // 500):
        box = locator.bounding_box()
        if box and box["y"] + 20 < page.viewport_size["height"]:
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"{locator} is below the fold: {locator.bounding_box()}")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("where", ["beijing", "county"])
def test_the_department_answer_is_above_the_fold(page: Page, app_server, screenshot_dir, where, lang):
    """At 1366×768 and 1920×1080: the one notice, the reported total and the total by the rules with the
    rank each gives, the grade, and the waterfall with its steps are on the first screen; the real report's
    disputed deduction is marked there."""
    query = ("department=北京市商务局&year=2022" if where == "beijing"
             else "region=示例县(合成)&department=县教育局&year=2022")
    labels = {"zh": ("报告总分", "按规则总分", "按规则总分的排名", "等级"),
              "en": ("Reported total", "Total by the rules", "Rank by the rules", "Grade")}[lang]
    for size in ("1366", "1920"):
        page.set_viewport_size(SIZES[size])
        page.goto(f"{app_server}/department?{query}&lang={lang}")
        wait_for_app(page)
        metrics = page.locator("[data-testid='stMetric']")
        for label in labels:
            above_the_fold(page, metrics.filter(has_text=label).first)
        notice = page.locator("[data-testid='stAlert']").first
        above_the_fold(page, notice)
        waterfall = page.locator(".js-plotly-plot").first
        above_the_fold(page, waterfall)
        if where == "beijing":
            expect(metrics.filter(has_text=labels[1]).first).to_contain_text("92.42")
            above_the_fold(page, waterfall.get_by_text(re.compile("⚠ .*(结转结余率|Carry-over rate)")).first)
    shoot(page, screenshot_dir, f"department-fold-{where}-{lang}")
