"""Trends, municipal comparison and data & method pages in real Chromium: open by URL, change a
selector, switch language, reload the URL and see the same view; screenshots at two screen sizes."""
import re

import pytest
from playwright.sync_api import Page, expect

from live_app import SIZES, open_page, shoot, wait_for_app  # noqa: F401

pytestmark = pytest.mark.browser



def no_exception(page: Page) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def switch_to_english(page: Page) -> None:
    page.get_by_text("English").click()
    expect(page).to_have_url(re.compile("lang=en"), timeout=30000)
    wait_for_app(page)


def main_boxes(page: Page):
    """The page's own selectboxes (the sidebar holds the shared region choice)."""
    return page.locator("[data-testid='stMain']").get_by_role("combobox")


def test_trends_page_adds_a_department_switches_language_and_keeps_the_view(page: Page, app_server, screenshot_dir,
                                                                           demo_store):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/trends?lang=zh")
    expect(page.get_by_role("heading", name="趋势", exact=True)).to_be_visible(timeout=30000)
    expect(page.get_by_text("合成演示数据").first).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=30000)
    main_boxes(page).first.click()
    page.keyboard.type("财政局")            # the option list is virtual: filter it first
    page.get_by_role("option", name="北京市财政局").click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert "%E5%8C%97%E4%BA%AC%E5%B8%82%E8%B4%A2%E6%94%BF%E5%B1%80" in page.url   # 北京市财政局, URL-encoded
    expect(page.locator(".legendtext", has_text="北京市财政局").first).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "trends-zh")
    switch_to_english(page)
    expect(page.get_by_role("heading", name="Trends")).to_be_visible(timeout=30000)
    url = page.url
    open_page(page, url)
    expect(page.get_by_role("heading", name="Trends")).to_be_visible(timeout=30000)
    english = demo_store.scalar("SELECT name_en FROM departments WHERE name = '北京市财政局'")
    expect(page.locator(".legendtext", has_text=english).first).to_be_visible()      # its English name
    expect(page.get_by_text("Year-on-year change")).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "trends-en")


def test_municipal_page_changes_year_switches_language_and_keeps_the_view(page: Page, app_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/municipal?lang=zh")
    expect(page.get_by_role("heading", name="地区内对比", exact=True)).to_be_visible(timeout=30000)
    main_boxes(page).first.click()
    page.get_by_role("option", name="2022", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("2022 年各部门各项指标得分率")).to_be_visible(timeout=30000)
    assert "year=2022" in page.url
    main_boxes(page).nth(1).click()
    page.keyboard.type("财政局")
    page.get_by_role("option", name="北京市财政局").click()
    wait_for_app(page)
    expect(page.get_by_text("同类部门比较：综合管理")).to_be_visible(timeout=30000)
    no_exception(page)
    shoot(page, screenshot_dir, "municipal-zh")
    switch_to_english(page)
    url = page.url
    open_page(page, url)
    expect(page.get_by_text("2022: scoring rate of each indicator")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Peers in the same category")).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "municipal-en")


def test_method_page_shows_real_and_synthetic_data_in_both_languages(page: Page, app_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/method?lang=zh")
    expect(page.get_by_role("heading", name="数据与方法", exact=True)).to_be_visible(timeout=30000)
    expect(page.get_by_text("哪些数据是真实的")).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "method-zh")
    switch_to_english(page)
    url = page.url
    open_page(page, url)
    expect(page.get_by_role("heading", name="Data & method")).to_be_visible(timeout=30000)
    expect(page.get_by_text("Which data is real and which is synthetic")).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "method-en")
