"""Starting the app under Streamlit's AppTest harness, shared by the app tests."""
from __future__ import annotations

import base64
from pathlib import Path

import numpy as np

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


def values(array) -> np.ndarray:
    """A Plotly array from a chart spec: a plain list, or base64 {"dtype", "bdata"[, "shape"]} (Plotly 7)."""
    if isinstance(array, dict):
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return flat.reshape([int(n) for n in str(array["shape"]).split(",")]) if "shape" in array else flat
    return np.asarray(array)
