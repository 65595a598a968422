"""The presentation page in real Chromium: step through slides, the slide in the URL, reload."""
import pytest
from playwright.sync_api import Page, expect

from live_app import wait_for_app

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
