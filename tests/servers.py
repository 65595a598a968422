"""Start and stop a real `streamlit run app.py` for browser tests."""
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


