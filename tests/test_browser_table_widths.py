"""In real Chromium at 1366x768 with the sidebar open: every column of the wide tables is in view — the
rankings table, the municipal page's tables (standing, indicator standing, peers, peer means), the
rule-change ranking and the trends' year-on-year table — for Beijing in Chinese and the county (national layout) in English: the grid's
scroller is no wider than its window.  Screenshots of each table."""
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from live_app import SIZES, open_page, wait_for_tables

pytestmark = pytest.mark.browser

COUNTY = quote("示例县(合成)")

# the glide grid's scroller: content wider than its window means the table scrolls sideways
GRID_WIDTHS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(table => {
    const scroller = table.querySelector('.dvn-scroller');
    return scroller ? [scroller.scrollWidth, scroller.clientWidth] : null; })"""
GRIDS_DRAWN = """count => {
    const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')];
    return tables.length === count && tables.every(
        table => table.querySelector('.dvn-scroller') && table.querySelector('.dvn-scroller').clientWidth > 400); }"""

CASES = {
    "rankings-beijing-zh": ("/rankings?year=2022&lang=zh", 1),
    "rankings-county-en": (f"/rankings?year=2023&region={COUNTY}&lang=en", 1),
    "municipal-beijing-zh": ("/municipal?year=2022&department=" + quote("北京市商务局") + "&lang=zh", 4),
    "municipal-county-en": (f"/municipal?year=2023&region={COUNTY}&lang=en", 4),
    "rule-change-beijing-en": ("/rule_change?year=2022&lang=en", 1),
    "trends-beijing-zh": ("/trends?lang=zh", 2),
    "trends-county-en": (f"/trends?region={COUNTY}&lang=en", 2),
}


@pytest.mark.parametrize("case", list(CASES))
def test_wide_tables_do_not_scroll_sideways_at_1366(page: Page, app_server, screenshot_dir, case):
    path, tables = CASES[case]
    page.set_viewport_size(SIZES["1366"])
    open_page(page, app_server + path)
    page.wait_for_function(GRIDS_DRAWN, arg=tables, timeout=60_000)
    wait_for_tables(page)
    assert page.locator("[data-testid='stException']").count() == 0
    widths = page.evaluate(GRID_WIDTHS)
    assert len(widths) == tables and None not in widths, widths
    for number, (content, window) in enumerate(widths):
        grid = page.locator("[data-testid='stDataFrame']").nth(number)
        grid.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"table-width-{case}-{number}-1366.png"))
        assert content <= window, f"table {number} of {case}: {content} px of columns in a {window} px window"
