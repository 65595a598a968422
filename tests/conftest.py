"""Shared fixtures: real DuckDB files built by the real code paths."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics.demo import build_demo
from analytics.paths import SEED_REPORT
from analytics.store import Store


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


@pytest.fixture
def empty_store(tmp_path) -> Store:
    store = Store(tmp_path / "empty.duckdb")
    yield store
    store.close()


@pytest.fixture
def seed_report() -> Path:
    return SEED_REPORT


# -- a real `streamlit run` and a real Chromium --------------------------------------------------

import os
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def app_server(demo_db_master):
    """`streamlit run app.py` on a free loopback port against the demo database."""
    port = _free_port()
    env = {**os.environ, "ANALYTICS_DB": str(demo_db_master)}
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
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start: {proc.stderr.read().decode()[-2000:]}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {SCREENSHOT_DIR}")
    return SCREENSHOT_DIR
