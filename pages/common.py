"""Streamlit helpers shared by the pages: the cached store, the language, the synthetic notice.

This module is not a page: app.py lists the pages explicitly with st.navigation.
"""
from __future__ import annotations

import streamlit as st

from analytics.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from analytics.paths import database_path
from analytics.store import Store, open_store


@st.cache_resource(show_spinner=False)
def _store(path: str, mtime: float) -> Store:
    return open_store(path, read_only=True)


def store() -> Store | None:
    """One read-only connection per process, reopened when the database file is replaced."""
    path = database_path()
    if not path.exists():
        return None
    return _store(str(path), path.stat().st_mtime)


def language() -> str:
    """The chosen language: session first, then the URL (?lang=en), then Chinese."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _language_switched() -> None:
    st.session_state["lang"] = st.session_state["lang_switch"]


def sidebar() -> None:
    """Drawn by every page (not by app.py, so that AppTest sees it on reruns): the language switch.

    The choice lives in the plain session key "lang" and in the URL, so it survives page changes
    and shared links; the radio keeps one label in both languages so its identity never changes.
    """
    lang = language()
    st.session_state["lang"] = lang
    st.sidebar.radio("语言 / Language", LANGUAGES, index=LANGUAGES.index(lang), key="lang_switch",
                     horizontal=True, on_change=_language_switched,
                     format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    st.query_params["lang"] = language()


def tr(key: str, **values) -> str:
    return t(key, language(), **values)


def synthetic_notice(count: int) -> None:
    if count:
        st.warning(tr("synthetic_notice", count=count))
