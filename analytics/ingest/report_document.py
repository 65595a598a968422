"""Reads a report file into a normalised document: the narrative text and the scoring-table cells.

Three forms are read:
- UTF-8 or GBK text (any extension but .docx and .pdf) as extracted from Word: the narrative, then the
  scoring table (附件 …评分表) flattened into cells, each cell starting with a tab character and possibly
  spanning several lines;
- a .docx file: its paragraphs are the narrative, its Word tables are flattened into the same cells;
- a .pdf file with a text layer (``report_pdf``): its ruled tables are the cells, the rest the narrative.

All text is NFKC-normalised, so full-width digits, letters and punctuation (（）：，％ …) become their
ASCII forms; Chinese quotes “” are left as they are.  Line endings become "\n".
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from analytics.ingest.report_parts import evaluation_items
from analytics.ingest.report_pdf import TABLE_TITLES, read_pdf
from analytics.ingest.report_errors import UnreadableReport



@dataclass(frozen=True)
class ReportDocument:
    narrative: str
    rows: tuple[tuple[str, ...], ...]     # the tables' rows of cells, page after page, table after table

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(cell for row in self.rows for cell in row)


# Radicals that fonts map some ideographs to (PDF text layers give "部⻔" for 部门); NFKC keeps them.
RADICALS = str.maketrans("⺠⻅⻋⻓⻔⻛⻝⻜⻢⻣⻤⻥⻦⻨⻩⻬⻮⻰⻳⻚⻙⻉⻄⻆⻘⺟⻗",
                         "民见车长门风食飞马骨鬼鱼鸟麦黄齐齿龙龟页韦贝西角青母雨")


def normalise(text: str) -> str:
    return (unicodedata.normalize("NFKC", text).translate(RADICALS).replace("\r\n", "\n").replace("\r", "\n")
            .replace("\u2212", "-"))   # the minus sign, which NFKC keeps


def document_kind(file_name: str) -> str:
    """"docx", "pdf" or "text", by the file's extension."""
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    return suffix if suffix in ("docx", "pdf") else "text"


def read_report_document(data: bytes, kind: str) -> ReportDocument:
    """The document held by a file's bytes (``kind`` from ``document_kind``); raises UnreadableReport
    when there is none."""
    if not data.strip():
        raise UnreadableReport("empty")
    if kind == "docx":
        return docx_document(data)
    if kind == "pdf" or data.startswith(b"%PDF-"):
        return pdf_document(data)
    return text_document(decode_text(data))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GBK (read as its superset GB18030)."""
    if b"\x00" in data:
        raise UnreadableReport("binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UnreadableReport("encoding", offset=utf8_error.start) from exc


def evaluation_part(text: str) -> str:
    """In a document of several parts (a 部门决算), only the evaluation's; any other text as it is."""
    return "\n".join(evaluation_items(text.split("\n"), lambda line: line))


def text_document(text: str) -> ReportDocument:
    """Split extracted text at the scoring table: the first tab after the table's title.  A row ends
    with a cell followed by a blank line.  Of a 决算 document only the evaluation's part is read."""
    text = evaluation_part(normalise(text))
    title_at = min((at for at in map(text.find, TABLE_TITLES) if at >= 0), default=-1)
    table_at = text.find("\t", title_at) if title_at >= 0 else -1
    if table_at < 0:
        return ReportDocument(text, ())
    rows: list[list[str]] = [[]]
    for raw in text[table_at:].split("\t")[1:]:
        rows[-1].append(raw.strip())
        if raw.endswith("\n\n"):
            rows.append([])
    return ReportDocument(text[:table_at], tuple(tuple(row) for row in rows if row))


def pdf_document(data: bytes) -> ReportDocument:
    narrative, rows = read_pdf(data)
    return ReportDocument(normalise(narrative), normalised_rows(rows))


def normalised_rows(rows: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(normalise(cell).strip() for cell in row) for row in rows if row)


def docx_document(data: bytes) -> ReportDocument:
    try:
        document = docx.Document(io.BytesIO(data))
        items = evaluation_items(body_items(document), lambda item: item if isinstance(item, str) else None)
        narrative = "\n".join(item for item in items if isinstance(item, str))
        rows = [row for item in items if isinstance(item, Table) for row in table_rows(item)]
    except Exception as exc:  # python-docx raises zip, XML, key and value errors on a broken package
        raise UnreadableReport("docx") from exc
    return ReportDocument(normalise(narrative), normalised_rows(rows))


def body_items(document) -> list:
    """The document's paragraphs (as text) and tables in reading order."""
    return [Paragraph(element, document).text if element.tag == qn("w:p") else Table(element, document)
            for element in document.element.body.iterchildren() if element.tag in (qn("w:p"), qn("w:tbl"))]


def table_rows(table: Table) -> list[list[str]]:
    """Cell texts row by row, as text extracted from Word gives them.

    python-docx repeats a merged cell: once per spanned column within a row (read once here), and
    in every row of a vertical span (read as an empty cell after its first row).
    """
    seen: set = set()
    rows = []
    for row in table.rows:
        in_row: set = set()
        cells = []
        for cell in row.cells:
            tc = cell._tc
            if tc in in_row:
                continue
            in_row.add(tc)
            cells.append("" if tc in seen else cell.text)
            seen.add(tc)
        rows.append(cells)
    return rows
