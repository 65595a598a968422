"""The context in real Chromium: the navigation's own /rankings path and its parameters work, and the
department and year chosen on one page are the ones the next page opens with after a sidebar link."""
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from analytics import compare, region_names
from analytics.department_names import english_names
from live_app import SIZES, open_page, shoot, start_server, stop_server, wait_for_app
from test_browser_rankings_department import choose

pytestmark = pytest.mark.browser


def selected(page: Page, label: str):
    """The shown value of the selectbox with this label."""
    return page.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=label)).locator("input")


def follow_sidebar_link(page: Page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
    wait_for_app(page)


@pytest.mark.parametrize("path", ["/rankings?year=2022&lang=zh", "/?year=2022&lang=zh"])
def test_the_rankings_path_keeps_its_parameters(page: Page, app_server, path):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, app_server + path)
    expect(page.get_by_role("heading", name="排名总览")).to_be_visible()
    expect(page.get_by_text("2022 年度部门整体绩效评价排名")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert "/rankings" in page.url and "year=2022" in page.url


# every page of app.py's navigation by its own path, as a shared link opens it in a new session
PAGE_PATHS = {"/department": "部门详情", "/trends": "趋势", "/municipal": "地区内对比", "/present": "汇报模式",
              "/whatif": "情景模拟", "/rule_change": "规则调整模拟", "/data": "数据管理", "/method": "数据与方法"}


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_page_opens_by_its_own_path_without_a_page_not_found_notice(page: Page, app_server, path):
    open_page(page, f"{app_server}{path}?lang=zh")
    expect(page.locator("[data-testid='stSidebarNav'] a[aria-current='page']")).to_contain_text(PAGE_PATHS[path])
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert path in page.url


def test_a_freshly_started_server_opens_a_shared_link_to_a_page_without_a_page_not_found_notice(
        page: Page, demo_db_master):
    """The first session of a server starts in Streamlit's pages-directory mode, which knows each page
    by its file name: a shared link to a page whose path differs from its file name was "not found"."""
    url, proc = start_server(demo_db_master)
    try:
        open_page(page, f"{url}/rule_change?year=2022&lang=zh")
        expect(page.get_by_role("heading", name="规则调整模拟")).to_be_visible()
        expect(page.get_by_text("Page not found")).to_have_count(0)
    finally:
        stop_server(proc)


def test_the_department_survives_a_visit_to_the_trends_page(page: Page, app_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/department?department=北京市商务局&year=2022")
    expect(page.get_by_role("heading", name="部门详情")).to_be_visible()
    follow_sidebar_link(page, "趋势")
    expect(page.get_by_role("heading", name="趋势")).to_be_visible()
    expect(page.locator("[data-testid='stMultiSelect']").get_by_text("北京市商务局")).to_be_visible()
    follow_sidebar_link(page, "部门详情")
    expect(page.get_by_role("heading", name="部门详情")).to_be_visible()
    expect(selected(page, "部门")).to_have_value("北京市商务局")
    expect(selected(page, "年度")).to_have_value("2022")
    expect(page.locator("[data-testid='stMetricValue']").first).to_have_text("90.73")
    assert "department=北京市商务局" in unquote(page.url) and "year=2022" in page.url
    follow_sidebar_link(page, "地区内对比")
    expect(selected(page, "年度")).to_have_value("2022")
    shoot(page, screenshot_dir, "context-municipal-zh-commerce-2022")


@pytest.mark.parametrize("lang, heading", [("zh", "数据版本"), ("en", "Data versions")])
def test_the_data_page_in_both_languages(page: Page, app_server, screenshot_dir, lang, heading):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/data?lang={lang}")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    page.get_by_text("操作日志" if lang == "zh" else "Audit log").click()
    wait_for_app(page)
    shoot(page, screenshot_dir, f"data-{lang}")


WORDS = {"zh": {"region": "地区", "year": "年度", "department": "部门", "rankings": "排名总览", "department_page": "部门详情",
                "trends": "趋势", "name": "绩效驾驶舱"},
         "en": {"region": "Region", "year": "Year", "department": "Department", "rankings": "Rankings",
                "department_page": "Department", "trends": "Trends", "name": "Performance Cockpit"}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_year_and_department_follow_the_user_across_pages_on_the_county(page: Page, app_server, demo_store,
                                                                                screenshot_dir, lang):
    """On the county (the national self-evaluation framework): the region and year chosen on the rankings and
    the department chosen on its page are the ones every page opens with after a sidebar link."""
    words = WORDS[lang]
    county = next(region for region in compare.regions(demo_store) if region != "北京市")
    department = compare.ranking(demo_store, 2021, county)["department"].iloc[4]
    shown = english_names(demo_store)[department] if lang == "en" else department      # the URL keeps the stored name
    place = region_names.english_names(demo_store)[county] if lang == "en" else county   # so does the region
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/rankings?lang={lang}")
    expect(page.locator("[data-testid='stSidebar'] img").first).to_be_visible()       # the product's name
    assert words["name"] in page.title()
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)
    choose(page, words["region"], place)
    choose(page, words["year"], "2021")
    follow_sidebar_link(page, words["department_page"])
    expect(selected(page, words["region"])).to_have_value(place)
    expect(selected(page, words["year"])).to_have_value("2021")
    choose(page, words["department"], shown)
    follow_sidebar_link(page, words["trends"])
    expect(page.locator("[data-testid='stMultiSelect']").get_by_text(shown)).to_be_visible()
    expect(selected(page, words["region"])).to_have_value(place)
    follow_sidebar_link(page, words["rankings"])
    expect(selected(page, words["year"])).to_have_value("2021")
    expect(selected(page, words["region"])).to_have_value(place)
    follow_sidebar_link(page, words["department_page"])
    expect(selected(page, words["department"])).to_have_value(shown)
    expect(selected(page, words["year"])).to_have_value("2021")
    assert f"department={department}" in unquote(page.url) and "year=2021" in page.url
    shoot(page, screenshot_dir, f"context-{lang}-county-2021")
