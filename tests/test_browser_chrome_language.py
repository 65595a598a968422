"""In real Chromium: Streamlit's and Plotly's own texts (table toolbar, chart mode bar) read in Chinese on
a Chinese page, and in English again after the switch to English; names from the data are untouched."""
import re

import pytest
from playwright.sync_api import Page, expect

from live_app import SIZES, open_page, wait_for_app

pytestmark = pytest.mark.browser

ENGLISH = ["Show/hide columns", "Download as CSV", "Fullscreen", "Download plot as a PNG", "Zoom in", "Autoscale"]


def toolbar_names(page: Page) -> set[str]:
    """The accessible names of the table toolbars' and chart mode bars' buttons now in the page."""
    return set(page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid="stElementToolbar"] button, .modebar-btn')].map(b => b.getAttribute('aria-label')
        || b.getAttribute('data-title') || b.textContent.trim())"""))


def test_streamlit_texts_follow_the_language(page: Page, app_server, demo_store):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/rankings?lang=zh&year=2022&region=%E5%8C%97%E4%BA%AC%E5%B8%82")
    page.locator("[data-testid='stDataFrame']").first.hover()
    page.locator(".js-plotly-plot").first.hover()
    expect(page.get_by_role("button", name="下载为 CSV").first).to_be_attached()
    expect(page.get_by_role("button", name="下载图表为 PNG").first).to_be_attached()
    names = toolbar_names(page)
    assert not names & set(ENGLISH), names & set(ENGLISH)
    assert {"显示/隐藏列", "下载为 CSV", "全屏", "下载图表为 PNG", "放大", "自动缩放"} <= names, names
    commerce = demo_store.scalar("SELECT name FROM departments WHERE region = '北京市' AND name LIKE '%商务局'")
    expect(page.get_by_text(re.compile(re.escape(commerce))).first).to_be_attached()   # names left as they are

    page.get_by_text("English").click()
    expect(page).to_have_url(re.compile("lang=en"))
    wait_for_app(page)
    page.locator("[data-testid='stDataFrame']").first.hover()
    page.locator(".js-plotly-plot").first.hover()
    expect(page.get_by_role("button", name="Download as CSV").first).to_be_attached()
    names = toolbar_names(page)
    assert set(ENGLISH) <= names, names
    assert not names & {"显示/隐藏列", "下载为 CSV", "下载图表为 PNG"}, names
