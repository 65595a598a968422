"""Render a Deck as .pptx (16:9, native CJK text, charts as high-resolution images), as .pdf (the
same slides printed by Chromium, fonts embedded), and single charts as PNG."""
from __future__ import annotations

import base64
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from analytics.charts.style import FONT_FAMILY
from analytics.escape import html as escape_html
from analytics.slide_model import Deck, Slide

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_X_IN, MARGIN_TOP_IN = 0.5, 0.3
FOOTER_TOP_IN = 6.95        # the slide's content ends above this line; the stamp and page number sit below it
SLIDE_W, SLIDE_H = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
CHART_PX = (1100, 520)      # drawn at twice this size: sharp on a projector, type still readable
CJK_FONT = "Noto Sans CJK SC"
DARK = RGBColor(0x26, 0x32, 0x38)
MUTED = RGBColor(0x60, 0x7D, 0x8B)
SCENARIO = RGBColor(0xE6, 0x51, 0x00)
WATERMARK = RGBColor(0xF2, 0xC4, 0xC4)
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
    """A chart as PNG for slides: larger type, transparent background so the watermark shows through."""
    fig = go.Figure(fig)
    fig.update_layout(font_family=FONT_FAMILY, font_size=16, width=width, height=height,
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
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.name, run.font.bold = Pt(size), CJK_FONT, bold
        run.font.color.rgb = colour
    return box


def _watermark(slide, text: str) -> None:
    box = _text(slide, Inches(1.5), Inches(2.6), Inches(10.3), Inches(2.0), text, 54, WATERMARK, bold=True)
    box.rotation = -20


def _pptx_slide(prs: Presentation, deck: Deck, slide: Slide, number: int, images: dict) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[6])
    if deck.synthetic:
        _watermark(page, deck.watermark)
    _text(page, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.8), slide.title, 30, bold=True)
    top = Inches(1.1)
    if slide.subtitle:
        _text(page, Inches(0.5), top, Inches(12.3), Inches(0.5), slide.subtitle, 16, MUTED)
        top += Inches(0.5)
    if slide.metrics:
        width = Emu(int(Inches(12.3) / max(len(slide.metrics), 1)))
        for index, (label, value) in enumerate(slide.metrics):
            _text(page, Inches(0.5) + width * index, top, width, Inches(1.1), f"{label}\n{value}", 24, bold=True)
        top += Inches(1.3)
    if slide.figure is not None:
        height = Inches(6.6) - top - (Inches(0.4) * min(len(slide.bullets), 3))
        page.shapes.add_picture(io.BytesIO(images[id(slide)]), Inches(0.5), top, height=height)
        top += height
    if slide.bullets:
        _text(page, Inches(0.5), top + Inches(0.1), Inches(12.3), Inches(6.8) - top, "\n".join(slide.bullets),
              16 if slide.figure is None else 13)
    _text(page, Inches(0.5), Inches(7.0), Inches(10.5), Inches(0.4), deck.footer(slide),
          11, SCENARIO if deck.stamped_as_scenario(slide) else MUTED)
    _text(page, Inches(11.8), Inches(7.0), Inches(1.0), Inches(0.4), f"{number} / {len(deck.slides)}", 11, MUTED)


def _images(deck: Deck) -> dict:
    with image_server():
        return {id(s): chart_png(s.figure) for s in deck.slides if s.figure is not None}


def write_pptx(deck: Deck, out: Path, images: dict | None = None) -> Path:
    images = images if images is not None else _images(deck)
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
h1 {{ font-size: 30pt; margin: 0 0 0.1in 0; }}
.sub {{ font-size: 16pt; color: #607D8B; margin-bottom: 0.1in; }}
.metrics {{ display: flex; gap: 0.3in; margin: 0.1in 0 0.2in 0; }}
.metric {{ flex: 1; font-size: 14pt; color: #607D8B; }} .metric b {{ display: block; font-size: 26pt; color: #263238; }}
img {{ flex: 1 1 0; min-height: 0; width: 100%; object-fit: contain; display: block; }}
ul {{ font-size: 14pt; margin: 0.1in 0 0 0; padding-left: 0.3in; }}
.stamp {{ position: absolute; bottom: 0.2in; left: {MARGIN_X_IN}in; right: 1.5in; font-size: 10pt; color: #607D8B; }}
.stamp.scenario {{ color: #E65100; font-weight: bold; }}
.number {{ position: absolute; bottom: 0.2in; right: {MARGIN_X_IN}in; font-size: 10pt; color: #607D8B; }}
.watermark {{ position: absolute; top: 40%; left: 8%; font-size: 54pt; font-weight: bold; color: #F2C4C4;
              transform: rotate(-20deg); z-index: 0; }}
/* the content column ends above the footer band: the chart gives way to the text below it */
.content {{ position: relative; z-index: 1; height: {FOOTER_TOP_IN - MARGIN_TOP_IN - 0.05:.2f}in;
            display: flex; flex-direction: column; }}
.content > :not(img) {{ flex: none; }}
"""


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
        if slide.figure is not None:
            data = base64.b64encode(images[id(slide)]).decode()
            parts.append(f'<img src="data:image/png;base64,{data}">')
        if slide.bullets:
            parts.append("<ul>" + "".join(f"<li>{esc(b)}</li>" for b in slide.bullets) + "</ul>")
        scenario = " scenario" if deck.stamped_as_scenario(slide) else ""
        parts += ["</div>", f'<div class="stamp{scenario}">{esc(deck.footer(slide))}</div>',
                  f'<div class="number">{number} / {len(deck.slides)}</div>']
        pages.append(f'<section class="slide">{"".join(parts)}</section>')
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


def write_pdf(deck: Deck, out: Path, images: dict | None = None) -> Path:
    images = images if images is not None else _images(deck)
    # Playwright's sync API refuses to run in a thread that has an asyncio loop (a caller's own
    # Playwright session, say), so printing gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_print_pdf, deck_html(deck, images), Path(out)).result()
    return Path(out)


def write_deck(deck: Deck, out: Path) -> Path:
    """.pptx or .pdf by the file's suffix."""
    out = Path(out)
    if out.suffix.lower() not in (".pptx", ".pdf"):
        raise ValueError(f"{out.name}: a deck is written as .pptx or .pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_pptx(deck, out) if out.suffix.lower() == ".pptx" else write_pdf(deck, out)
