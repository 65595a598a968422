"""Reads a PDF with a text layer (pdfplumber): ruled tables become cells, the rest of the text is the narrative.

A table continued on the next page is read on as one: the cells of every page's tables follow each other.
A cell spanned by a merged cell to its left is not repeated; one spanned from above reads as an empty cell,
as text extracted from Word gives them.  Lines wrapped at the right margin are joined again, in the narrative
and inside cells.  Without ruled tables the lines after the table's title are split into cells at spaces.
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

import pdfplumber

from analytics.ingest.report_parts import evaluation_items
from analytics.ingest.report_errors import UnreadableReport

TABLE_TITLES = ("评分表", "自评表")   # Beijing's 评分表, the national 部门整体支出绩效自评表
WRAP_REACH = 2.0      # a line ending within this many character widths of the right margin is wrapped
EDGE = 1.0            # points: rounding of cell edges


logging.getLogger("pdfminer").setLevel(logging.ERROR)   # font descriptor warnings of printed PDFs


@dataclass
class Line:
    text: str
    x1: float
    char_width: float
    right: float      # the right margin of its page
    top: float = 0.0


def read_pdf(data: bytes) -> tuple[str, list[list[str]]]:
    """(narrative, table rows of cells) of a PDF's bytes."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises syntax, value and type errors on a broken file
        raise UnreadableReport("pdf") from exc
    with pdf:
        items: list[Line | list[list[str]]] = []      # lines and tables in reading order
        any_text = False
        for page in pdf.pages:
            any_text = any_text or bool(page.extract_text().strip())
            tables = page.find_tables()
            boxes = [table.bbox for table in tables]
            outside = page.filter(lambda obj, boxes=boxes: not any(_inside(obj, box) for box in boxes))
            placed = [(line.top, line) for line in page_lines(outside)]
            placed += [(table.bbox[1], table_rows(table)) for table in tables]
            items += [item for _top, item in sorted(placed, key=lambda pair: pair[0])]
    if not any_text:
        raise UnreadableReport("no_text_layer")
    items = evaluation_items(items, lambda item: item.text if isinstance(item, Line) else None)
    lines = [item for item in items if isinstance(item, Line)]
    rows = [row for item in items if not isinstance(item, Line) for row in item]
    if rows:
        return unwrap(lines), rows
    return text_fallback(lines)


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return x0 <= middle_x <= x1 and top <= middle_y <= bottom


def page_lines(page) -> list[Line]:
    found = page.extract_text_lines(return_chars=True)
    right = max((line["x1"] for line in found), default=0.0)
    return [Line(line["text"], line["x1"], (line["x1"] - line["x0"]) / max(1, len(line["chars"])), right,
                 line["top"]) for line in found if line["text"].strip()]


def unwrap(lines: list[Line]) -> str:
    """The lines as paragraphs: a line reaching the right margin continues on the next one."""
    text = ""
    for line in lines:
        text += line.text
        wrapped = line.right - line.x1 < WRAP_REACH * line.char_width and not line.text.endswith("。")
        text += "" if wrapped else "\n"
    return text


def join_wrapped(cell: str | None) -> str:
    return "" if cell is None else re.sub(r"\s*\n\s*", "", cell).strip()


def table_rows(table) -> list[list[str]]:
    """A table's cell texts row by row, each merged cell once (a vertical span's lower rows as "")."""
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    rows = []
    for r, (row_boxes, row_texts) in enumerate(zip(boxes, texts)):
        top = min((box[1] for box in row_boxes if box is not None), default=0.0)
        cells = []
        for c, (box, text) in enumerate(zip(row_boxes, row_texts)):
            if box is not None:
                cells.append(join_wrapped(text))
            elif _spanned_from_above(boxes, r, c, top):
                cells.append("")
        rows.append(cells)
    return rows


def _spanned_from_above(boxes: list[list], r: int, c: int, top: float) -> bool:
    above = next((boxes[k][c] for k in range(r - 1, -1, -1) if c < len(boxes[k]) and boxes[k][c] is not None),
                 None)
    return above is not None and above[3] > top + EDGE


def text_fallback(lines: list[Line]) -> tuple[str, list[list[str]]]:
    """Without ruled tables: the narrative up to the table's title, each later line's words as a row."""
    at = next((i for i, line in enumerate(lines) if any(title in line.text for title in TABLE_TITLES)), len(lines))
    return unwrap(lines[:at + 1]), [line.text.split() for line in lines[at + 1:]]
