"""Shared fixtures: real DuckDB files built by the real code paths."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics import admin, scenario
from analytics.demo import build_demo
from analytics.paths import SEED_REPORT
from analytics.store import Store
from live_app import SCREENSHOT_DIR, start_server, stop_server   # tests/ is on sys.path (rootdir conftest)


@pytest.fixture(autouse=True)
def fresh_login_throttle(monkeypatch):
    """The sign-in throttle is one per process: each test starts with no failed attempts."""
    monkeypatch.setattr(admin, "THROTTLE", admin.LoginThrottle())


@pytest.fixture(scope="session")
def demo_db_master(tmp_path_factory) -> Path:
    """The demo database, built once per test session; copy it before writing (see demo_db)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path)
    return path


@pytest.fixture
def demo_db(demo_db_master, tmp_path) -> Path:
    """A private writable copy of the demo database."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_master, path)
    return path


@pytest.fixture(scope="module")
def demo_store(demo_db_master) -> Store:
    """The demo database opened read-only, shared by a test module."""
    store = Store(demo_db_master, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def commerce(demo_store):
    """The what-if baseline of the one real evaluation, 北京市商务局 2022."""
    return scenario.load_baseline(demo_store, "北京市商务局", 2022)


@pytest.fixture
def empty_store(tmp_path) -> Store:
    store = Store(tmp_path / "empty.duckdb")
    yield store
    store.close()


@pytest.fixture
def seed_report() -> Path:
    return SEED_REPORT


# -- a real `streamlit run` and a real Chromium --------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def app_server(demo_db_master):
    """The app against the shared demo database (read-only use)."""
    url, proc = start_server(demo_db_master)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOT_DIR.exists() and any(SCREENSHOT_DIR.iterdir()):
        terminalreporter.write_line(f"screenshots of every page: {SCREENSHOT_DIR}")
