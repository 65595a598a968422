"""User text is data: one escaping function per place it lands.

- ``markdown``: Streamlit's Markdown (st.markdown, captions, alerts, headings, widget and metric labels).
  GitHub-flavoured Markdown plus Streamlit's directives (``:red[…]``, ``:material/…:``), emoji
  shortcodes, KaTeX (``$…$``) and literal autolinks (``https://…``, ``www.…``, ``a@b.cn``).
- ``plotly``: Plotly text (titles, legends, tick labels, hover text, annotations), which renders a subset of HTML.
- ``html``: HTML we write ourselves (slides on screen, the PDF deck).
- ``spreadsheet_cell`` / ``spreadsheet_text``: a text cell in a CSV or XLSX file, neutralised against formula
  injection the way OWASP recommends (a leading ``'``), and that prefix taken off again on import, so an
  export imports back unchanged.
"""
from __future__ import annotations

import html as _html
import math
import numbers
import re
from datetime import date

import pandas as pd

# Every ASCII punctuation character may be backslash-escaped in CommonMark and then renders as itself;
# these are the ones that start or end Markdown, GFM, KaTeX or Streamlit syntax anywhere in a line.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>&~$:|#!{}])")
# At the start of a line (data lands there when a template begins with it): list items ("- ", "+ ",
# "1. ", "1) "), thematic breaks and setext underlines ("---", "==="); "-1.5" or "90.73" are left alone.
_BLOCK_START = re.compile(r"^(?:[-+](?=\s)|[-=](?=[-=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))")
# Literal autolinks and text shortcodes are found in the parsed text, after backslash escapes are gone,
# so only an invisible word joiner can break them up: after every colon (https://, :smile:, :streamlit:),
# inside "www." and before "@".
WORD_JOINER = "\u2060"
_AUTOLINK_WWW = re.compile(r"(?i)(www)(\.)")


def _escape_block_start(found: re.Match) -> str:
    mark = found.group(0)
    return mark + "\\" if mark[0].isdigit() else "\\" + mark        # 1\. item, \- item


class Markdown(str):
    """Text that is already safe Markdown (a translated template with its values escaped)."""


def markdown(text) -> Markdown:
    """``text`` shown literally wherever Streamlit renders Markdown; Markdown text is returned as it is."""
    if isinstance(text, Markdown):
        return text
    value = " ".join(str(text).split())          # a line break could start a block (heading, list, table)
    value = _MARKDOWN_SPECIALS.sub(r"\\\1", value)
    value = _BLOCK_START.sub(_escape_block_start, value)
    value = value.replace(":", ":" + WORD_JOINER).replace("@", WORD_JOINER + "@")
    value = _AUTOLINK_WWW.sub(r"\1" + WORD_JOINER + r"\2", value)
    return Markdown(value)


def markdown_value(value):
    """A value for a translated Markdown template: numbers and dates keep their format specs, text is escaped."""
    if isinstance(value, (numbers.Number, date)) and not isinstance(value, bool):
        return value
    return markdown(value)


def plotly(text) -> str:
    """``text`` shown literally in a Plotly label: its HTML subset (<b>, <br>, <a href>, entities) is escaped."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html(text) -> str:
    """``text`` shown literally inside HTML we write; line breaks become spaces, as HTML would show them."""
    return _html.escape(re.sub(r"\s*[\r\n]+\s*", " ", str(text)))


# -- spreadsheets -----------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def spreadsheet_cell(value):
    """A cell value that no spreadsheet program will run as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading ``'`` (text starting with ``'``
    too, so that ``spreadsheet_text`` restores every text exactly); numbers, and text that is plainly a
    number such as ``-1.5``, stay as they are.
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)) and not _is_number(value):
        return QUOTE + value
    return value


def spreadsheet_text(text: str) -> str:
    """The inverse of ``spreadsheet_cell`` for text read back from a CSV or XLSX file."""
    if text.startswith(QUOTE) and text[1:2] and text[1:2] in (*FORMULA_STARTS, QUOTE):
        return text[1:]
    return text


def spreadsheet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised for CSV and XLSX files."""
    safe = frame.rename(columns=spreadsheet_cell)
    for column in range(safe.shape[1]):
        series = safe.iloc[:, column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)):
            safe.isetitem(column, series.map(spreadsheet_cell))
    return safe
