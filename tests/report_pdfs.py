"""Evaluation reports printed to PDF by the system Chromium, for the report parser's tests.

A text report (the seed or a variant) becomes an HTML page: its narrative as paragraphs, its scoring table as
an HTML table whose rows keep whole across page breaks while the table itself runs over several pages.  The
table is ruled (the form pdfplumber reads as cells) or, when asked, without any lines.  A "scanned" report
is the first page as a picture only, without a text layer.
"""
from __future__ import annotations

import html
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

from report_variants import split_text_report

CHROMIUM = "/usr/bin/chromium"
STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt; }
p { margin: 0 0 4pt 0; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; }
td { vertical-align: top; padding: 2pt; }
tr { break-inside: avoid; }
table.ruled td { border: 0.8pt solid #000; }
"""


def report_html(text: str, ruled: bool = True) -> str:
    """The report as one HTML page; each table row's last cell spans the rest of the row."""
    lines, rows = split_text_report(text)
    return html_page(lines, rows, ruled)


def html_page(lines: list[str], rows: list[list[str]], ruled: bool = True, break_before: int | None = None) -> str:
    """Paragraphs, then one table; ``break_before`` starts a new page at that row, where the table goes on."""
    return blocks_html([lines, rows], ruled, break_before)


def blocks_html(blocks: list, ruled: bool = True, break_before: int | None = None) -> str:
    """Paragraph blocks (lists of lines) and tables (lists of rows), in order, as one HTML page."""
    body = "".join(_table(block, ruled, break_before) if block and isinstance(block[0], list) else
                   "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in block if line.strip())
                   for block in blocks)
    return f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>{body}</body></html>"


def _table(rows: list[list[str]], ruled: bool, break_before: int | None) -> str:
    """Each row's last cell spans the rest of the row; ``break_before`` starts a new page at that row."""
    width = max(len(row) for row in rows)
    body_rows = []
    for i, row in enumerate(rows):
        cells = [f"<td>{html.escape(value).replace(chr(10), '<br>')}</td>" for value in row]
        if len(row) < width:
            cells[-1] = cells[-1].replace("<td>", f'<td colspan="{width - len(row) + 1}">', 1)
        style = ' style="break-before: page"' if i == break_before else ""
        body_rows.append(f"<tr{style}>" + "".join(cells) + "</tr>")
    return f'<table class="{"ruled" if ruled else "plain"}">{"".join(body_rows)}</table>'


def print_pdf(page_html: str, pdf: Path) -> Path:
    source = pdf.with_suffix(".html")
    source.write_text(page_html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", source.as_uri()], check=True, capture_output=True, timeout=120)
    return pdf


def write_pdf(text: str, pdf: Path, ruled: bool = True) -> Path:
    return print_pdf(report_html(text, ruled), pdf)


def write_scanned_pdf(text: str, pdf: Path) -> Path:
    """The report's first lines drawn into a picture, saved as a PDF with no text in it."""
    image = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(text.splitlines()[:40]):
        draw.text((60, 60 + 30 * i), line.encode("ascii", "replace").decode(), fill="black")
    image.save(pdf, "PDF", resolution=150)
    return pdf
