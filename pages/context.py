"""The user's context — the region, year, framework and department being looked at — shared by every page.

Streamlit drops a widget's state when a page without that widget runs, so the choice lives in one plain
session key ("context") and is mirrored in the URL of the page shown.  A value the URL asks for that this
session did not write there (a shared link, a page switch with parameters) wins; otherwise the session's
choice; otherwise one default for every page: the region with the most evaluations, its latest year, the
framework with the most evaluations in that year, the department of the real report.
"""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from analytics import compare, stats
from analytics.evaluation_tree import frameworks
from pages.common import department_name_format, ignored_url_value, language, load, region_name_format, tr

CONTEXT_KEY = "context"
MIRROR_KEY = "context_in_url"     # what this session last wrote to the URL, per field


def _context() -> dict:
    return st.session_state.setdefault(CONTEXT_KEY, {})


def _mirror() -> dict:
    return st.session_state.setdefault(MIRROR_KEY, {})


def get(field: str):
    return _context().get(field)


def put(field: str, value) -> None:
    """Make ``value`` the user's choice of ``field`` (for every page), and the URL's where it shows it."""
    _context()[field] = value
    _mirror()[field] = str(value)
    if field in st.query_params:
        st.query_params[field] = str(value)


def _from_url(field: str):
    """The URL's value when the URL asks for something this session did not put there, else None."""
    raw = st.query_params.get(field)
    return raw if raw is not None and raw != _mirror().get(field) else None


def requested(field: str):
    """What the URL or the session asks for, before a page settles it against its options (or None)."""
    asked = _from_url(field)
    return asked if asked is not None else get(field)


def default_department() -> str | None:
    """The department of the latest real report, else the top-ranked department of the latest year, in the
    region chosen."""
    frame = load(stats.evaluations, requested("region") or load(compare.default_region))
    if frame.empty:
        return None
    real = frame[frame["source_kind"] == "report"]
    pool = real if len(real) else frame[frame["year"] == frame["year"].max()]
    return pool.sort_values(["year", "rank"], ascending=[False, True])["department"].iloc[0]


def default_framework(region: str) -> str | None:
    """The framework with the most evaluations in the region's latest year: every page opens on it."""
    years = load(compare.years, region)
    held = load(compare.year_frameworks, max(years), region) if years else []
    return held[0][0] if held else None


def _default(field: str, options: list):
    if field == "region":
        return load(compare.default_region)
    if field == "framework":
        return default_framework(requested("region") or load(compare.default_region))   # a page may draw no region
    if field == "year":
        return max(options)
    if field == "department":
        return default_department()
    return options[0]


def _settle(field: str, options: list):
    for wanted in (_from_url(field), get(field), _default(field, options)):
        for option in options:
            if wanted is not None and str(option) == str(wanted):
                return option
    return options[0]


def _picked(field: str) -> None:
    put(field, st.session_state[field])


def selectbox(field: str, label: str, options: Sequence, explained: bool = False, **kwargs):
    """A selectbox for a context field: opens on the context's value, and a choice becomes the context.

    A URL value that is not one of the options is ignored and said so as text, unless ``explained``:
    the page says itself what it shows instead."""
    options = list(options)
    if not options:
        return None
    asked = _from_url(field)
    if asked is not None and not explained and all(str(option) != str(asked) for option in options):
        ignored_url_value(field, asked)
    st.session_state[field] = _settle(field, options)
    if field == "department":
        kwargs.setdefault("format_func", department_name_format())
    if field == "region":
        kwargs.setdefault("format_func", region_name_format())
    value = st.selectbox(label, options, key=field, on_change=_picked, args=(field,), **kwargs)
    put(field, value)
    st.query_params[field] = str(value)
    return value


def region() -> str:
    """The region the page shows: the only one the database holds, else the user's choice in the sidebar
    (default: the region with the most evaluations)."""
    options = load(compare.regions)
    if len(options) <= 1:
        return load(compare.default_region)
    with st.sidebar:
        return selectbox("region", tr("region"), options)


def _versions(store) -> dict[str, str]:
    return {code: fw.version for code, fw in frameworks(store).items()}


def framework_label(code: str, zh: str, en: str | None) -> str:
    """A framework's name in the chosen language, with its version unless the name already says it."""
    name = (en or zh) if language() == "en" else zh
    version = load(_versions).get(code, "")
    return tr("framework_version", name=name, version=version) if version and version not in name else name


def framework(held: Sequence[tuple]) -> str:
    """The framework the page compares within, of ``held`` (compare.year_frameworks): the only one there
    is, else the user's choice in the sidebar, which every page keeps (default: default_framework; ranks,
    means and percentiles never mix frameworks)."""
    if len(held) == 1:
        return held[0][0]
    names = {code: framework_label(code, zh, en) for code, zh, en, _ in held}
    with st.sidebar:
        return selectbox("framework", tr("framework"), list(names), format_func=names.get)
