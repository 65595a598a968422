"""Real Chromium against a real `streamlit run`: what a user sees."""
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def wait_for_app(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp']")
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=30000)


def test_rankings_page_shows_the_ranking_and_switches_year_and_language(page: Page, app_server, screenshot_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(app_server)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="排名总览")).to_be_visible(timeout=30000)
    expect(page.get_by_text("合成演示数据").first).to_be_visible()
    page.get_by_role("combobox").first.click()
    page.get_by_role("option", name="2022").click()
    wait_for_app(page)
    expect(page.get_by_text("2022 年度部门整体绩效评价排名")).to_be_visible(timeout=30000)
    page.screenshot(path=str(screenshot_dir / "rankings-zh-2022.png"), full_page=True)
    page.get_by_text("English").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Rankings")).to_be_visible(timeout=30000)
    assert "lang=en" in page.url
    page.screenshot(path=str(screenshot_dir / "rankings-en-2022.png"), full_page=True)
