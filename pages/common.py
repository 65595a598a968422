"""Streamlit helpers shared by the pages: cached data, language, URL state, notices, downloads.

This module is not a page: app.py lists the pages explicitly with st.navigation.
"""
from __future__ import annotations

import io
import math
import pickle
import unicodedata
from html import escape
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
import streamlit as st

from analytics import department_names, i18n, region_names
from analytics.charts.style import FONT_FAMILY
from analytics.escape import Markdown, markdown_value, spreadsheet_frame
from analytics.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from analytics.paths import database_path
from analytics.scenario_store import ScenarioStore, scenario_db_path
from analytics.store import Store, open_store
from pages.chrome_language import chrome_language


# -- data ------------------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=1)
def _store(path: str, mtime: float) -> Store:
    return open_store(path, read_only=True)


def store() -> Store | None:
    """One read-only connection per process, reopened when the database file is replaced.  Only the
    current file's is cached: a superseded one closes when the last run using it lets go, so the
    process never keeps a replaced (deleted) file open."""
    path = database_path()
    if not path.exists():
        return None
    return _store(str(path), path.stat().st_mtime)


@st.cache_resource(show_spinner=False)
def _scenario_store(path: str) -> ScenarioStore:
    return ScenarioStore(Path(path))


def scenario_store() -> ScenarioStore:
    """The saved what-if scenarios, one read-write connection per process (their own file)."""
    return _scenario_store(str(scenario_db_path()))


@st.cache_data(show_spinner=False, max_entries=512)
def _load(name: str, path: str, mtime: float, args: tuple, _fn: Callable):
    return _fn(_store(path, mtime), *args)


def load(fn: Callable, *args):
    """fn(store, *args) cached on the function, the arguments and the database file's version."""
    path = database_path()
    return _load(f"{fn.__module__}.{fn.__qualname__}", str(path), path.stat().st_mtime, args, _fn=fn)


def _every_row(frame: pd.DataFrame) -> bytes:
    """A data frame's cache key from every row, its column names and types: Streamlit's own hash samples
    frames of 50,000 rows or more, which could hand two such frames one result."""
    try:
        return (pd.util.hash_pandas_object(frame.dtypes).to_numpy().tobytes()
                + pd.util.hash_pandas_object(frame).to_numpy().tobytes())
    except TypeError:       # cells pandas cannot hash (lists …): the whole frame pickled
        return pickle.dumps(frame, pickle.HIGHEST_PROTOCOL)


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _every_row})
def _figure(name: str, args: tuple, kwargs: dict, _build: Callable):
    return _build(*args, **kwargs)


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs={pd.DataFrame: _every_row})
def _computed(name: str, args: tuple, kwargs: dict, _compute: Callable):
    return _compute(*args, **kwargs)


def computed(compute: Callable, *args, **kwargs):
    """compute(*args, **kwargs) (a pure function of its arguments, data frames among them) once per distinct
    input, its frames hashed by content like figure's; every run gets its own copy of the result."""
    return _computed(f"{compute.__module__}.{compute.__qualname__}", args, kwargs, _compute=compute)


def figure(build: Callable, *args, **kwargs):
    """build(*args, **kwargs) (a chart builder of analytics.charts) built once per distinct input, its data
    frames hashed by content, and shared by every run: a figure takes Plotly tens of milliseconds to build
    (and a pickled copy as long to load), so callers place the one returned and never change it."""
    return _figure(f"{build.__module__}.{build.__qualname__}", args, kwargs, _build=build)


# -- language --------------------------------------------------------------------------------------

def language() -> str:
    """The chosen language: session first, then the URL (?lang=en), then Chinese."""
    lang = st.session_state.get("lang") or st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def tr(key: str, /, **values) -> Markdown:
    """The translation, for the places Streamlit renders as Markdown (alerts, captions, headings, labels):
    the template is ours, every value in it (names, files, URL parameters) is escaped to show as text."""
    return Markdown(t(key, language(), **{name: markdown_value(value) for name, value in values.items()}))


def grade_name(grade: str | None) -> str:
    return i18n.grade_name(grade, language())


def department_name(name: str) -> str:
    """A department's name as displayed in the chosen language (its English name where stored); the
    stored name stays the identifier in URLs and lookups."""
    return department_name_format()(name)


def department_name_format() -> Callable[[str], str]:
    """department_name bound to this run's language and names: a format_func for department choices
    (called outside the run too, e.g. by AppTest, where the language could no longer be read)."""
    english, lang = load(department_names.english_names), language()
    return lambda name: department_names.shown_name(name, english, lang)


def shown_departments(frame: pd.DataFrame, column: str = "department") -> pd.DataFrame:
    """``frame`` with its department names (and short names) as displayed in the chosen language, for
    tables and figures only."""
    return department_names.shown_departments(frame, load(department_names.english_names), language(), column)


def region_name(name: str) -> str:
    """A region's name as displayed in the chosen language (its English name where stored, analytics.region_names);
    the stored name stays the identifier in URLs and lookups."""
    return region_name_format()(name)


def region_name_format() -> Callable[[str], str]:
    """region_name bound to this run's language and names: a format_func for region choices."""
    english, lang = load(region_names.english_names), language()
    return lambda name: region_names.shown_region(name, english, lang)


def shown_regions(frame: pd.DataFrame, column: str = "region") -> pd.DataFrame:
    """``frame`` with its region names as displayed in the chosen language, for tables and figures only."""
    return region_names.shown_regions(frame, load(region_names.english_names), language(), column)


def _language_switched() -> None:
    st.session_state["lang"] = st.session_state["lang_switch"]


def _leave_pages_directory_mode() -> None:
    """Make a direct link to a page (e.g. /trends) go through app.py's st.navigation.

    Streamlit still honours the old pages/-directory mode while no script has called st.navigation
    in the server process: the first visit to /trends in a fresh server would run pages/trends.py
    alone, with an automatic menu of every file in pages/.  Clearing the flag and rerunning sends
    that first visit through app.py like every later one.
    """
    from streamlit.runtime.pages_manager import PagesManager
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        # once per session: AppTest sets the flag again before every run, and a rerun on each of
        # them would drop that run's button clicks
        if not st.session_state.get("_left_pages_directory_mode"):
            st.session_state["_left_pages_directory_mode"] = True
            st.rerun()


def product_logo(lang: str) -> str:
    """The product's name as an SVG logo (a gauge and the name, in the given language), for st.logo."""
    name = escape(t("app_title", lang))
    width = 36 + 15 * len(name) if lang == "en" else 36 + 26 * len(name)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="32" viewBox="0 0 {width} 32">'
            '<rect x="1" y="2" width="28" height="28" rx="6" fill="#1565C0"/>'
            '<path d="M7 22 A8 8 0 1 1 23 22" fill="none" stroke="white" stroke-width="3" stroke-linecap="round"/>'
            '<path d="M15 21 L20 12" stroke="#FFB300" stroke-width="3" stroke-linecap="round"/>'
            f'<text x="36" y="23" font-family="{FONT_FAMILY}" font-size="{22 if lang == "en" else 24}" '
            f'font-weight="700" fill="#263238">{name}</text></svg>')


def sidebar() -> None:
    """Drawn by every page (not by app.py, so that AppTest sees it on reruns): the product's name at the
    top of the sidebar and the language switch.

    The choice lives in the plain session key "lang" and in the URL, so it survives page changes
    and shared links; the radio keeps one label in both languages so its identity never changes.
    """
    _leave_pages_directory_mode()
    lang = language()
    st.session_state["lang"] = lang
    st.logo(product_logo(lang), size="large")
    st.sidebar.radio("语言 / Language", LANGUAGES, index=LANGUAGES.index(lang), key="lang_switch",
                     horizontal=True, on_change=_language_switched,
                     format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    st.query_params["lang"] = language()
    chrome_language(language())


def page_start(title_key: str, show_title: bool = True) -> Store:
    """Sidebar, title, and the store; stops the page with a helpful message when there is no data."""
    sidebar()
    if show_title:
        st.title(tr(title_key))
    db = store()
    if db is None:
        st.info(tr("no_database"))
        st.stop()
    if not db.scalar("SELECT count(*) FROM evaluations"):
        st.info(tr("no_evaluations"))
        st.stop()
    return db


# -- state in the URL ------------------------------------------------------------------------------

def ignored_url_value(key: str, value: str) -> None:
    """Says that a URL value was ignored, the value shown as text."""
    st.warning(tr("url_value_ignored", parameter=key, value=value), icon=":material/link_off:")


def _from_url(key: str, options: Sequence, default, explained: bool):
    """The URL's value when it is one of the options; any other value is ignored, and said so as text."""
    raw = st.query_params.get(key)
    for option in options:
        if raw is not None and str(option) == raw:
            return option
    if raw is not None and not explained:
        ignored_url_value(key, raw)
    return default


def url_selectbox(label: str, options: Sequence, key: str, default=None, explained: bool = False, **kwargs):
    """A selectbox whose value is mirrored in the URL (?key=value), so views can be shared.

    ``explained``: the page says itself what it shows instead of a URL value it does not know.
    """
    options = list(options)
    if not options:
        return None
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = _from_url(key, options, default if default in options else options[0], explained)
    else:
        # keys such as "year" are shared by pages, but each page's widget is a new one: re-binding
        # the value keeps the choice instead of falling back to the default
        st.session_state[key] = st.session_state[key]
    value = st.selectbox(label, options, key=key, **kwargs)
    st.query_params[key] = str(value)
    return value


def url_multiselect(label: str, options: Sequence, key: str, default: Sequence = (), **kwargs) -> list:
    """A multiselect mirrored in the URL as a comma-separated list."""
    options = list(options)
    if key not in st.session_state:
        raw = st.query_params.get(key)
        wanted = raw.split(",") if raw else [str(d) for d in default]
        st.session_state[key] = [o for o in options if str(o) in wanted]
        ignored = [w for w in wanted if w not in set(map(str, options))]
        if raw and ignored:
            ignored_url_value(key, ",".join(ignored))
    else:
        st.session_state[key] = [o for o in st.session_state[key] if o in options]
    kwargs.setdefault("placeholder", tr("choose_options"))   # Streamlit's own is English
    values = st.multiselect(label, options, key=key, **kwargs)
    if values:
        st.query_params[key] = ",".join(map(str, values))
    elif key in st.query_params:
        del st.query_params[key]
    return values


# -- tables ----------------------------------------------------------------------------------------

def matching_rows(frame: pd.DataFrame, query: str) -> pd.Series:
    """Rows of ``frame`` where any text column contains ``query`` (case-insensitive, taken literally)."""
    query = query.strip()
    keep = pd.Series(not query, index=frame.index)
    if query:
        for column in text_columns(frame):
            keep |= frame[column].astype("string").str.contains(query, case=False, regex=False, na=False)
    return keep


def text_columns(frame: pd.DataFrame) -> list:
    return [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]


def search_box(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """A search box (``{key}_search``) over a table: returns the rows of ``frame`` whose text columns contain
    the typed text (case-insensitive; no box when there is no text column), and says how many when it
    filters.  For a table drawn some other way than searchable_table (e.g. st.table)."""
    query = ""
    if text_columns(frame):     # a table of numbers only (years, statistics) has nothing to search
        query = st.text_input(tr("search_table"), key=f"{key}_search", placeholder=tr("search_placeholder"),
                              icon=":material/search:", label_visibility="collapsed")
    shown = frame[matching_rows(frame, query)]
    if query.strip():
        st.caption(tr("search_shown", shown=len(shown), count=len(frame)))
    return shown


def searchable_table(frame: pd.DataFrame, key: str, *, styler: Callable | None = None, **dataframe_kwargs) -> pd.DataFrame:
    """st.dataframe of ``frame`` under a search box (search_box).  ``key`` names the table (the box is
    ``{key}_search``); ``styler``, if given, styles the rows shown (frame -> pandas Styler);
    ``dataframe_kwargs`` go to st.dataframe.

    Returns the rows shown, with ``frame``'s index: a selection's row positions
    (``st.session_state[key].selection.rows``) are positions in this frame."""
    shown = search_box(frame, key)
    dataframe_kwargs.setdefault("hide_index", True)
    dataframe_kwargs.setdefault("width", "stretch")
    st.dataframe(styler(shown) if styler else shown, key=key, **dataframe_kwargs)
    return shown


# Pixels a header takes in the grid's 14 px font: a wide (CJK) character, a narrow one, the cell's padding.
WIDE_CHAR, NARROW_CHAR, HEADER_PADDING = 14, 7.6, 18


def header_width(text: str) -> float:
    """Roughly how many pixels a header takes in the grid, padding included."""
    return HEADER_PADDING + sum(WIDE_CHAR if unicodedata.east_asian_width(c) in "WF" else NARROW_CHAR for c in text)


def fitted_header(text: str, width: float) -> str:
    """``text`` cut with an ellipsis where it would not fit ``width`` pixels (the grid cuts headers mid-glyph)."""
    cut = text
    while len(cut) > 1 and header_width(cut if cut == text else cut + "…") > width:
        cut = cut[:-1].rstrip()
    return cut if cut == text else cut + "…"


def shared_widths(labels: dict, room: float, minimum: int) -> dict:
    """Widths for columns that share ``room`` pixels (``labels``: column -> header): every header that fits
    a common cap gets its own width, the wider ones the cap (none narrower than ``minimum``); a header
    wider than its column is to be cut (fitted_header), its full text given as the column's help."""
    wanted = {c: max(minimum, header_width(label)) for c, label in labels.items()}
    cap, left, count = float("inf"), room, len(wanted)
    for done, width in enumerate(sorted(wanted.values())):
        if width * (count - done) > left:
            cap = left / (count - done)
            break
        left -= width
    return {c: math.ceil(max(minimum, min(w, cap))) for c, w in wanted.items()}


# -- notices and downloads -------------------------------------------------------------------------

def synthetic_notice(count: int) -> None:
    if count:
        st.warning(tr("synthetic_notice", count=count))


def recorded(value) -> str:
    """A stored text such as a sha256, or "not recorded" where there is none (never "None" or "nan")."""
    return value if isinstance(value, str) and value else tr("not_recorded")


def source_label(kind: str) -> str:
    return tr(f"source_{kind}")


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs={pd.DataFrame: _every_row})
def table_files(table: pd.DataFrame, basename: str, notice_sheet: str, note: str) -> tuple[bytes, bytes]:
    """CSV and XLSX bytes of a table and its note; text that a spreadsheet would run as a formula is
    neutralised (analytics.escape.spreadsheet_cell).  Cached on the table's content: writing the workbook
    costs every page tens of milliseconds a run."""
    safe = spreadsheet_frame(table)
    csv = safe.to_csv(index=False).encode("utf-8-sig")   # the BOM lets Excel read the Chinese
    xlsx = io.BytesIO()
    with pd.ExcelWriter(xlsx, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=basename[:31], index=False)
        spreadsheet_frame(pd.DataFrame({notice_sheet: [note]})).to_excel(writer, sheet_name=notice_sheet, index=False)
    return csv, xlsx.getvalue()


def download_buttons(frame: pd.DataFrame, basename: str, key: str, source_kinds: pd.Series | None) -> None:
    """CSV and XLSX of the table behind a view; ``source_kinds`` (one per row: report, import, synthetic)
    are written in a column, and synthetic rows are named in a notes sheet; None: the rows are definitions
    (a framework's tree, checks, grade bands), not evaluation data, and the note says so.  Required: a file
    whose rows' sources were not given would otherwise say they are all real."""
    table = frame.copy()
    if source_kinds is None:
        note = tr("export_definition_note")
    else:
        table[tr("data_source")] = source_kinds.map(source_label).to_numpy()
        synthetic = bool((source_kinds == "synthetic").any())
        note = tr("export_synthetic_note") if synthetic else tr("export_real_note")
    csv, xlsx = table_files(table, basename, tr("export_notice_sheet"), note)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(tr("download_csv"), csv, file_name=f"{basename}.csv", mime="text/csv",
                         key=f"{key}_csv", width="stretch")
    right.download_button(tr("download_xlsx"), xlsx, file_name=f"{basename}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", width="stretch")
