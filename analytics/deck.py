"""Render a Deck as .pptx (16:9, native CJK text, charts as high-resolution images), as .pdf (the
same slides printed by Chromium, fonts embedded), and single charts as PNG."""
from __future__ import annotations

import base64
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from analytics.charts.style import FONT_FAMILY
from analytics.escape import html as escape_html
from analytics.slide_model import Deck, Slide

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_X_IN, MARGIN_TOP_IN = 0.5, 0.3
CONTENT_W_IN = SLIDE_W_IN - 2 * MARGIN_X_IN
WATERMARK_LEFT_IN, WATERMARK_W_IN = 9.9, 2.93     # the synthetic label: the title row's right corner
TABLE_PT = 14
FOOTER_TOP_IN = 6.95        # the slide's content ends above this line; the stamp and page number sit below it
SLIDE_W, SLIDE_H = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
CHART_PX = (1100, 520)      # drawn at twice this size: sharp on a projector, type still readable
CJK_FONT = "Noto Sans CJK SC"
DARK = RGBColor(0x26, 0x32, 0x38)
MUTED = RGBColor(0x60, 0x7D, 0x8B)
SCENARIO = RGBColor(0xE6, 0x51, 0x00)
WATERMARK = RGBColor(0xC6, 0x28, 0x28)
WATERMARK_FILL = RGBColor(0xFD, 0xEC, 0xEA)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def image_server():
    """One kaleido browser for all the charts of a deck (0.3 s a chart instead of 3–7 s)."""
    import kaleido
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    try:
        yield
    finally:
        kaleido.stop_sync_server(silence_warnings=True)


def chart_png(fig: go.Figure, width: int = CHART_PX[0], height: int = CHART_PX[1], scale: float = 2) -> bytes:
    """A chart as PNG for slides (its type already projected: analytics.slide_charts), on a transparent
    background."""
    fig = go.Figure(fig)
    fig.update_layout(font_family=FONT_FAMILY, width=width, height=height,
                      paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)")
    with warnings.catch_warnings():      # plotly notes that its per-call options yield to the shared server's
        warnings.simplefilter("ignore", UserWarning)
        return fig.to_image(format="png", width=width, height=height, scale=scale)


def _text(slide, left, top, width, height, text: str, size: int, colour=DARK, bold: bool = False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _run(paragraph, line, size, colour, bold)
    return box


def _run(paragraph, text: str, size: int, colour=DARK, bold: bool = False) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.name, run.font.bold = Pt(size), CJK_FONT, bold
    run.font.color.rgb = colour


def _watermark(slide, text: str) -> None:
    """A label in the title row's right corner, clear of every figure and table."""
    box = _text(slide, Inches(WATERMARK_LEFT_IN), Inches(MARGIN_TOP_IN), Inches(WATERMARK_W_IN), Inches(0.5), text, 14,
                WATERMARK, bold=True)
    box.fill.solid()
    box.fill.fore_color.rgb = WATERMARK_FILL


def column_shares(table: pd.DataFrame) -> list[float]:
    """Each column's share of a table's width: by its longest text in half-ems (wide characters count
    double) plus the cell's padding, a long column capped so it wraps while the short ones keep their
    values on one line."""
    def width(text) -> int:
        return sum(2 if ord(c) > 0x2E7F else 1 for c in str(text))
    sizes = [min(max(width(name), *(width(v) for v in table[name]), 8), 36) + 3 for name in table.columns]
    return [size / sum(sizes) for size in sizes]


def _table(page, table: pd.DataFrame, top, height) -> None:
    shape = page.shapes.add_table(len(table) + 1, len(table.columns), Inches(MARGIN_X_IN), top,
                                  Inches(CONTENT_W_IN), height)
    grid = shape.table
    for index, share in enumerate(column_shares(table)):
        grid.columns[index].width = Emu(int(Inches(CONTENT_W_IN) * share))
    for row, values in enumerate([list(table.columns), *table.astype(str).values.tolist()]):
        for column, value in enumerate(values):
            frame = grid.cell(row, column).text_frame
            frame.word_wrap = True
            frame.paragraphs[0].text = ""
            _run(frame.paragraphs[0], value, TABLE_PT, DARK, bold=row == 0)


def _pptx_slide(prs: Presentation, deck: Deck, slide: Slide, number: int, images: dict) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[6])
    title_w = (WATERMARK_LEFT_IN - 0.2 - MARGIN_X_IN) if deck.synthetic else CONTENT_W_IN
    _text(page, Inches(MARGIN_X_IN), Inches(MARGIN_TOP_IN), Inches(title_w), Inches(0.8), slide.title, 26, bold=True)
    if deck.synthetic:
        _watermark(page, deck.watermark)
    top = Inches(1.1)
    if slide.subtitle:
        _text(page, Inches(MARGIN_X_IN), top, Inches(CONTENT_W_IN), Inches(0.5), slide.subtitle, 16, MUTED)
        top += Inches(0.5)
    if slide.metrics:
        width = Emu(int(Inches(CONTENT_W_IN) / max(len(slide.metrics), 1)))
        for index, (label, value) in enumerate(slide.metrics):
            _text(page, Inches(MARGIN_X_IN) + width * index, top, width, Inches(1.1), f"{label}\n{value}", 24, bold=True)
        top += Inches(1.3)
    bullets_room = Inches(0.45) * min(len(slide.bullets), 3)
    if slide.table is not None:
        height = Inches(0.55) * (len(slide.table) + 1)
        _table(page, slide.table, top, height)
        top += height + Inches(0.1)
    if slide.figure is not None:
        height = Inches(6.6) - top - bullets_room
        page.shapes.add_picture(io.BytesIO(images[id(slide)]), Inches(MARGIN_X_IN), top, height=height)
        top += height
    if slide.bullets:
        _text(page, Inches(MARGIN_X_IN), top + Inches(0.1), Inches(CONTENT_W_IN), Inches(6.8) - top,
              "\n".join(slide.bullets), 18 if slide.figure is None and slide.table is None else 14)
    _text(page, Inches(MARGIN_X_IN), Inches(7.0), Inches(10.5), Inches(0.4), deck.footer(slide),
          11, SCENARIO if deck.stamped_as_scenario(slide) else MUTED)
    _text(page, Inches(11.8), Inches(7.0), Inches(1.0), Inches(0.4), f"{number} / {len(deck.slides)}", 11, MUTED)


Progress = Callable[[int, int], None]


def charts_in(deck: Deck) -> int:
    return sum(slide.figure is not None for slide in deck.slides)


def _images(deck: Deck, progress: Progress | None = None, steps: int | None = None) -> dict:
    """Every chart of the deck as PNG; ``progress(done, steps)`` after each (steps: the charts, unless a
    caller has more to do after them)."""
    steps = steps or charts_in(deck)
    images = {}
    with image_server():
        for slide in deck.slides:
            if slide.figure is not None:
                images[id(slide)] = chart_png(slide.figure)
                if progress:
                    progress(len(images), steps)
    return images


def write_pptx(deck: Deck, out: Path, images: dict | None = None, progress: Progress | None = None) -> Path:
    images = images if images is not None else _images(deck, progress)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = deck.title
    for number, slide in enumerate(deck.slides, 1):
        _pptx_slide(prs, deck, slide, number, images)
    prs.save(str(out))
    return Path(out)


_CSS = f"""
@page {{ size: {SLIDE_W_IN}in {SLIDE_H_IN}in; margin: 0; }}
body {{ margin: 0; font-family: {FONT_FAMILY}; color: #263238; }}
.slide {{ width: {SLIDE_W_IN}in; height: {SLIDE_H_IN}in; position: relative; overflow: hidden; page-break-after: always;
          box-sizing: border-box; padding: {MARGIN_TOP_IN}in {MARGIN_X_IN}in 0; }}
h1 {{ font-size: 26pt; margin: 0 0 0.1in 0; }}
.synthetic h1 {{ margin-right: {SLIDE_W_IN - WATERMARK_LEFT_IN - MARGIN_X_IN + 0.2:.2f}in; }}
.sub {{ font-size: 16pt; color: #607D8B; margin-bottom: 0.1in; }}
.metrics {{ display: flex; gap: 0.3in; margin: 0.1in 0 0.2in 0; }}
.metric {{ flex: 1; font-size: 14pt; color: #607D8B; }} .metric b {{ display: block; font-size: 26pt; color: #263238; }}
img {{ flex: 1 1 0; min-height: 0; width: 100%; object-fit: contain; display: block; }}
ul {{ font-size: 14pt; margin: 0.1in 0 0 0; padding-left: 0.3in; }}
table {{ border-collapse: collapse; font-size: {TABLE_PT}pt; width: 100%; table-layout: fixed; }}
th, td {{ border: 1px solid #CFD8DC; padding: 3pt 5pt; text-align: left; vertical-align: top; }}
th {{ background: #ECEFF1; }}
.stamp {{ position: absolute; bottom: 0.2in; left: {MARGIN_X_IN}in; right: 1.5in; font-size: 10pt; color: #607D8B; }}
.stamp.scenario {{ color: #E65100; font-weight: bold; }}
.number {{ position: absolute; bottom: 0.2in; right: {MARGIN_X_IN}in; font-size: 10pt; color: #607D8B; }}
.watermark {{ position: absolute; top: {MARGIN_TOP_IN}in; left: {WATERMARK_LEFT_IN}in; width: {WATERMARK_W_IN}in;
              box-sizing: border-box; padding: 4pt 6pt; font-size: 13pt; font-weight: bold; color: #C62828;
              background: #FDECEA; text-align: center; z-index: 2; }}
/* the content column ends above the footer band: the chart gives way to the text below it */
.content {{ position: relative; z-index: 1; height: {FOOTER_TOP_IN - MARGIN_TOP_IN - 0.05:.2f}in;
            display: flex; flex-direction: column; }}
.content > :not(img) {{ flex: none; }}
"""


def table_html(table: pd.DataFrame, css_class: str = "") -> str:
    """A slide's table as escaped HTML, columns as wide as column_shares says."""
    shares = column_shares(table)
    columns = "".join(f'<col style="width:{share * 100:.1f}%">' for share in shares)
    head = "".join(f"<th>{escape_html(name)}</th>" for name in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{escape_html(value)}</td>" for value in row) + "</tr>"
                   for row in table.astype(str).values.tolist())
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<table{attribute}><colgroup>{columns}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def deck_html(deck: Deck, images: dict) -> str:
    def esc(text) -> str:
        return escape_html(text)

    pages = []
    for number, slide in enumerate(deck.slides, 1):
        parts = [f'<div class="watermark">{esc(deck.watermark)}</div>' if deck.synthetic else "",
                 '<div class="content">', f"<h1>{esc(slide.title)}</h1>"]
        if slide.subtitle:
            parts.append(f'<div class="sub">{esc(slide.subtitle)}</div>')
        if slide.metrics:
            parts.append('<div class="metrics">' + "".join(
                f'<div class="metric">{esc(label)}<b>{esc(value)}</b></div>' for label, value in slide.metrics) + "</div>")
        if slide.table is not None:
            parts.append(table_html(slide.table))
        if slide.figure is not None:
            data = base64.b64encode(images[id(slide)]).decode()
            parts.append(f'<img src="data:image/png;base64,{data}">')
        if slide.bullets:
            parts.append("<ul>" + "".join(f"<li>{esc(b)}</li>" for b in slide.bullets) + "</ul>")
        scenario = " scenario" if deck.stamped_as_scenario(slide) else ""
        parts += ["</div>", f'<div class="stamp{scenario}">{esc(deck.footer(slide))}</div>',
                  f'<div class="number">{number} / {len(deck.slides)}</div>']
        synthetic = " synthetic" if deck.synthetic else ""
        pages.append(f'<section class="slide{synthetic}">{"".join(parts)}</section>')
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{esc(deck.title)}</title>'
            f"<style>{_CSS}</style></head><body>{''.join(pages)}</body></html>")


def _print_pdf(document: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(document, wait_until="load")
            page.pdf(path=str(out), width=f"{SLIDE_W_IN}in", height=f"{SLIDE_H_IN}in", print_background=True)
        finally:
            browser.close()


def write_pdf(deck: Deck, out: Path, images: dict | None = None, progress: Progress | None = None) -> Path:
    steps = charts_in(deck) + 1                 # the charts, then printing
    images = images if images is not None else _images(deck, progress, steps)
    # Playwright's sync API refuses to run in a thread that has an asyncio loop (a caller's own
    # Playwright session, say), so printing gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_print_pdf, deck_html(deck, images), Path(out)).result()
    if progress:
        progress(steps, steps)
    return Path(out)


def write_deck(deck: Deck, out: Path) -> Path:
    """.pptx or .pdf by the file's suffix."""
    out = Path(out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise ValueError(f"{out.name}: a deck is written as .pptx or .pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_pptx(deck, out) if out.suffix.lower() == ".pptx" else write_pdf(deck, out)
