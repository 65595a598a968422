"""A live `streamlit run app.py` for browser tests: start and stop it, wait for it, photograph it."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, extra_env: dict | None = None):
    """`streamlit run app.py` on a free loopback port against ``db``; returns (url, process)."""
    port = _free_port()
    env = {**os.environ, "ANALYTICS_DB": str(db), **(extra_env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return url, proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail(f"streamlit did not start: {proc.stderr.read().decode()[-2000:]}")


def stop_server(proc) -> None:
    proc.terminate()
    proc.wait(timeout=20)




# -- driving and photographing the page -------------------------------------------------------------

from playwright.sync_api import Page, expect  # noqa: E402  (browser tests only)
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

SIZES = {"1366": {"width": 1366, "height": 768}, "1920": {"width": 1920, "height": 1080}}
# Every assertion waits on the app's state, retrying until it holds: a busy machine (a full run on two
# cores) can take far longer than Playwright's default 5 s to rerun a script, so allow a minute.
APP_TIMEOUT_MS = 60_000
expect.set_options(timeout=APP_TIMEOUT_MS)

PLOTLY_LAID_OUT = """() => [...document.querySelectorAll('.js-plotly-plot')]
                          .every(chart => chart._fullLayout && chart.querySelector('.main-svg'))"""


# a table is drawn once its grid has taken the width of its column (a shot taken earlier shows a sliver);
# one in a closed expander is never drawn, and is not waited for
TABLES_LAID_OUT = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                          .filter(table => table.offsetParent !== null && !table.closest('details:not([open])'))
                          .every(table => table.getBoundingClientRect().width > 60 && table.querySelector('canvas'))"""


def wait_for_app(page: Page) -> None:
    """Until Streamlit has finished running (no element still a loading skeleton), and Plotly has laid
    out every chart on the page."""
    page.wait_for_selector("[data-testid='stApp']", timeout=APP_TIMEOUT_MS)
    expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0)
    expect(page.locator("[data-testid='stSkeleton']")).to_have_count(0)
    page.wait_for_function(PLOTLY_LAID_OUT, timeout=APP_TIMEOUT_MS)


def wait_for_tables(page: Page) -> None:
    """Before a screenshot: give the table grids a moment to take their width.  Not an assertion (a
    table the page keeps narrow on purpose would never pass), so a grid still narrow goes in the shot."""
    try:
        page.wait_for_function(TABLES_LAID_OUT, timeout=15_000)
    except PlaywrightTimeout:
        pass


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)


def shoot(page: Page, screenshot_dir, name: str) -> None:
    """At both sizes: the screen as seen, and the whole page (Streamlit scrolls inside its main section,
    so the full shot needs a viewport as tall as that section)."""
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        wait_for_app(page)
        wait_for_tables(page)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        page.screenshot(path=str(screenshot_dir / f"{name}-{label}.png"))
        height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        wait_for_app(page)
        wait_for_tables(page)
        page.screenshot(path=str(screenshot_dir / f"{name}-{label}-full.png"))
    page.set_viewport_size(SIZES["1366"])
