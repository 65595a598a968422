"""Where things live: the repository's data folder and the database file."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
FRAMEWORK_DIR = DATA_DIR / "frameworks"
SEED_REPORT = DATA_DIR / "seed" / "beijing-commerce-2022.txt"
DEFAULT_DB = DATA_DIR / "analytics.duckdb"


def database_path() -> Path:
    """data/analytics.duckdb unless ANALYTICS_DB says otherwise (app and CLI alike)."""
    return Path(os.environ.get("ANALYTICS_DB") or DEFAULT_DB)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
