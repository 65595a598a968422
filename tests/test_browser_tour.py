"""The tour: every page of the navigation opened in real Chromium for an evaluation on each shipped
framework (Beijing's template and the county on the national self-evaluation layout), in both languages.

Each page must come up without an exception or "Page not found" and say the data is
synthetic where it is.  The time from navigation to a ready page (Streamlit done, every chart laid out) is
written to test-artifacts/browser-times.txt for the README and the closing note; screenshots of every
visit land beside the other browser shots for a person to look at."""
from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from analytics.domain.synthetic_county import COUNTY_ZH
from live_app import SCREENSHOT_DIR, SIZES, wait_for_app, wait_for_tables

pytestmark = pytest.mark.browser

REGIONS = {"beijing": "北京市", "county": COUNTY_ZH}
PAGES = ["rankings", "department", "trends", "municipal", "cross_framework", "present", "whatif", "rule_change", "data",
         "method"]
# a page is ready when its heading (a slide's title on the presentation stage) is drawn and the app is idle
HEADING = "[data-testid='stMain'] :is(h1, h2, h3, .slide-title)"
SYNTHETIC = {"zh": "合成", "en": "synthetic"}
STILL_MS = 1000
TIMES = SCREENSHOT_DIR.parent / "browser-times.txt"


def settled(page: Page) -> float:
    """When the run finished: the app idle (no "Running" status, no skeleton, charts laid out) and still
    idle a moment later (the status widget shows only once a run is under way, so one idle look can come
    before the run starts)."""
    while True:
        wait_for_app(page)
        idle_since = time.perf_counter()
        page.wait_for_timeout(STILL_MS)
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            return idle_since


@pytest.fixture(scope="module")
def times():
    rows: list[str] = []
    yield rows
    TIMES.parent.mkdir(parents=True, exist_ok=True)
    TIMES.write_text("page\tregion\tlanguage\tseconds from navigation to a ready page\n" + "\n".join(rows) + "\n",
                     encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("region", REGIONS)
def test_every_page_on_each_framework(page: Page, app_server, screenshot_dir, times, region, lang):
    page.set_viewport_size(SIZES["1366"])
    for path in PAGES:
        started = time.perf_counter()
        page.goto(f"{app_server}/{path}?region={quote(REGIONS[region])}&lang={lang}")
        expect(page.locator(HEADING).first).to_be_visible()
        times.append(f"{path}\t{region}\t{lang}\t{settled(page) - started:.2f}")
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator(f"text=/{SYNTHETIC[lang]}/i >> visible=true").first).to_be_visible()
        for label, size in SIZES.items():
            page.set_viewport_size(size)
            wait_for_tables(page)
            page.screenshot(path=str(screenshot_dir / f"tour-{region}-{lang}-{path}-{label}.png"))
        page.set_viewport_size(SIZES["1366"])
