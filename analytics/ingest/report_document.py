"""Reads a report file into a normalised document: the narrative text and the scoring-table cells.

Two forms are read:
- UTF-8 text (any extension but .docx) as extracted from Word: the narrative, then the scoring table
  (附件 …评分表) flattened into cells, each cell starting with a tab character and possibly spanning
  several lines;
- a .docx file: its paragraphs are the narrative, its Word tables are flattened into the same cells.

All text is NFKC-normalised, so full-width digits, letters and punctuation (（）：，％ …) become their
ASCII forms; Chinese quotes “” are left as they are.  Line endings become "\n".
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import docx
from docx.table import Table

TABLE_TITLE = "评分表"


class UnreadableReport(ValueError):
    """The file holds nothing that could be an evaluation report; the message says why."""


@dataclass(frozen=True)
class ReportDocument:
    narrative: str
    cells: tuple[str, ...]


def normalise(text: str) -> str:
    return (unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
            .replace("\u2212", "-"))   # the minus sign, which NFKC keeps


def read_report_document(data: bytes, is_docx: bool) -> ReportDocument:
    """The document held by a file's bytes; raises UnreadableReport when there is none."""
    if not data.strip():
        raise UnreadableReport("the file is empty")
    return docx_document(data) if is_docx else text_document(decode_text(data))


def decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise UnreadableReport("it is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableReport(f"it is not UTF-8 text (undecodable byte at offset {exc.start})") from exc


def text_document(text: str) -> ReportDocument:
    """Split extracted text at the scoring table: the first tab after the table's title."""
    text = normalise(text)
    title_at = text.find(TABLE_TITLE)
    table_at = text.find("\t", title_at) if title_at >= 0 else -1
    if table_at < 0:
        return ReportDocument(text, ())
    cells = tuple(cell.strip() for cell in text[table_at:].split("\t")[1:])
    return ReportDocument(text[:table_at], cells)


def docx_document(data: bytes) -> ReportDocument:
    try:
        document = docx.Document(io.BytesIO(data))
        narrative = "\n".join(paragraph.text for paragraph in document.paragraphs)
        cells = [cell for table in document.tables for cell in table_cells(table)]
    except Exception as exc:  # python-docx raises zip, XML, key and value errors on a broken package
        raise UnreadableReport(f"it is not a readable .docx file ({type(exc).__name__})") from exc
    return ReportDocument(normalise(narrative), tuple(normalise(cell).strip() for cell in cells))


def table_cells(table: Table) -> list[str]:
    """Cell texts in reading order, as text extracted from Word gives them.

    python-docx repeats a merged cell: once per spanned column within a row (read once here), and
    in every row of a vertical span (read as an empty cell after its first row).
    """
    seen: set = set()
    cells = []
    for row in table.rows:
        in_row: set = set()
        for cell in row.cells:
            tc = cell._tc
            if tc in in_row:
                continue
            in_row.add(tc)
            cells.append("" if tc in seen else cell.text)
            seen.add(tc)
    return cells
