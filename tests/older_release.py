"""Writing a database as an older release did: the store and version modules given only the migrations that
release had, so the tests of a later migration can open what it wrote."""
from __future__ import annotations

from contextlib import contextmanager

from analytics import store as store_module
from analytics import versions
from analytics.store import MIGRATIONS


@contextmanager
def release_before(monkeypatch, migration: int):
    """Inside: the store at the schema before ``migration`` (migrations up to ``migration - 1`` only)."""
    older = [m for m in MIGRATIONS if m[0] < migration]
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "MIGRATIONS", older)
        patch.setattr(versions, "MIGRATIONS", older)
        patch.setattr(store_module, "LATEST_SCHEMA", migration - 1)
        yield
