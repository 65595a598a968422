"""Starting the app under Streamlit's AppTest harness, shared by the app tests."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_app(monkeypatch, db, page: str | None = None, check: bool = True, **query) -> AppTest:
    """The app on database ``db`` with fresh caches (they outlive AppTest instances), the URL's query
    parameters set, and optionally switched to ``page`` ("department" or "pages/department.py")."""
    monkeypatch.setenv("ANALYTICS_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page if page.endswith(".py") else f"pages/{page}.py").run()
    if check:
        assert not at.exception, at.exception
    return at
