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
from live_app import SCREENSHOT_DIR, SIZES, open_page, wait_for_tables

pytestmark = pytest.mark.browser

REGIONS = {"beijing": "北京市", "county": COUNTY_ZH}
PAGES = ["rankings", "department", "trends", "municipal", "present", "whatif", "rule_change", "data", "method"]
SYNTHETIC = {"zh": "合成", "en": "synthetic"}
TIMES = SCREENSHOT_DIR.parent / "browser-times.txt"


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
        open_page(page, f"{app_server}/{path}?region={quote(REGIONS[region])}&lang={lang}")
        expect(page.locator("[data-testid='stMain']")).to_be_visible()
        times.append(f"{path}\t{region}\t{lang}\t{time.perf_counter() - started:.2f}")
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator(f"text=/{SYNTHETIC[lang]}/i >> visible=true").first).to_be_visible()
        for label, size in SIZES.items():
            page.set_viewport_size(size)
            wait_for_tables(page)
            page.screenshot(path=str(screenshot_dir / f"tour-{region}-{lang}-{path}-{label}.png"))
        page.set_viewport_size(SIZES["1366"])
