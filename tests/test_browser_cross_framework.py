"""In real Chromium: the cross-framework view in both languages (with its two regions over the years), and a click on a heatmap cell of the
municipal page (the synthetic county, national layout) that opens that department and that indicator's
distribution; screenshots at 1366 and 1920."""
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from live_app import SIZES, open_page, shoot, start_server, stop_server, wait_for_app  # noqa: F401
from mixed_frameworks import REGION, YEAR
from test_app_two_regions import build_changing

pytestmark = pytest.mark.browser


def no_exception(page: Page) -> None:
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def test_cross_framework_view_in_both_languages(page: Page, app_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/cross_framework?lang=zh")
    expect(page.get_by_role("heading", name="跨框架对比", exact=True)).to_be_visible(timeout=30000)
    expect(page.get_by_text("哪些可比，哪些不可比")).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(6, timeout=30000)    # the year's three, the years' three
    expect(page.get_by_role("heading", name="两地区逐年对比")).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "cross-framework-zh")
    page.get_by_text("English").click()
    expect(page).to_have_url(re.compile("lang=en"), timeout=30000)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Cross-framework", exact=True)).to_be_visible(timeout=30000)
    expect(page.get_by_text("What compares and what does not")).to_be_visible()
    expect(page.get_by_role("heading", name="Two regions over the years")).to_be_visible()
    expect(page.get_by_text("Beijing (the region chosen in the sidebar) against Example County (synthetic)")).to_be_visible()
    no_exception(page)
    shoot(page, screenshot_dir, "cross-framework-en")


def test_two_regions_mark_the_year_a_region_changed_framework(page: Page, tmp_path, screenshot_dir):
    url, server = start_server(build_changing(tmp_path / "changing.duckdb"))
    try:
        page.set_viewport_size(SIZES["1366"])
        open_page(page, f"{url}/cross_framework?lang=zh&region={quote(REGION)}")
        expect(page.get_by_role("heading", name="两地区逐年对比")).to_be_visible(timeout=30000)
        expect(page.get_by_text(f"{REGION} {YEAR} 年由")).to_be_visible()
        no_exception(page)
        shoot(page, screenshot_dir, "cross-framework-two-regions-change-zh")
    finally:
        stop_server(server)


def hover_cell(page: Page, row: int, column: int, rows: int, columns: int, expected: str) -> tuple[float, float]:
    """Hover a heatmap cell until Plotly shows its label, and return the point (Plotly clicks the point it
    hovers).  Tried again after a wait: a rerun that writes the context into the URL may redraw the chart
    under the pointer, and a pointer that does not move makes no new hover."""
    for attempt in range(4):
        wait_for_app(page)
        cells = page.locator(".js-plotly-plot").first.locator(".nsewdrag").first
        cells.scroll_into_view_if_needed()
        box = cells.bounding_box()
        x, y = box["x"] + (column + 0.5) * box["width"] / columns, box["y"] + (row + 0.5) * box["height"] / rows
        page.mouse.move(1, 1)
        page.mouse.move(x, y, steps=3)
        label = page.locator(".hoverlayer .hovertext")
        try:
            expect(label).to_contain_text(expected, timeout=5000)
            return x, y
        except AssertionError:
            if attempt == 3:
                raise


def test_a_heatmap_click_opens_that_department_and_indicator(page: Page, app_server, screenshot_dir, demo_store):
    county = demo_store.scalar("SELECT value FROM meta WHERE key = 'synthetic_county'")
    year = demo_store.scalar("SELECT max(e.year) FROM evaluations e JOIN departments d ON d.id = e.department_id "
                             "WHERE d.region = ?", [county])
    rows = [name for (name,) in demo_store.rows(
        """SELECT d.name FROM evaluations e JOIN departments d ON d.id = e.department_id
           JOIN evaluation_scores s ON s.evaluation_id = e.id WHERE d.region = ? AND e.year = ?
           ORDER BY s.reported_total DESC, d.name""", [county, year])]
    page.set_viewport_size(SIZES["1366"])
    open_page(page, f"{app_server}/municipal?lang=zh&region={quote(county)}&year={year}")
    expect(page.get_by_text(f"{year} 年各部门各项指标得分率")).to_be_visible(timeout=30000)
    columns = 10                 # the national layout's execution rate and its nine open groups
    row, column = 5, 1           # the sixth-best department, 数量指标
    x, y = hover_cell(page, row, column, len(rows), columns, rows[row])
    page.mouse.click(x, y)
    wait_for_app(page)
    expect(page).to_have_url(re.compile(f"department={re.escape(quote(rows[row]))}"), timeout=30000)
    expect(page).to_have_url(re.compile("measure=output_quantity"))
    expect(page.get_by_text(f"{rows[row]} 与{county}各部门对比")).to_be_visible()
    expect(page.get_by_text("数量指标得分率：本地区各部门分布")).to_be_visible()   # a group each department weights: by rate
    no_exception(page)
    shoot(page, screenshot_dir, "municipal-county-drilled-zh")
