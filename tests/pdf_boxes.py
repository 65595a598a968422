"""Where the words of a printed deck lie (poppler's `pdftotext -bbox`), checked against the slide's
boxes from analytics.deck: content between the margins and above the footer band, the stamp and the
page number in the band, nothing else there, nothing off the page, and no slide text missing."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from analytics import deck as layout
from analytics.slide_model import Deck, Slide

POINTS = 72                 # per inch
TOLERANCE = 1.5             # points: rounding of glyph positions


@dataclass
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def middle(self) -> float:
        """The vertical middle: Chromium's Type 3 fonts give boxes far taller than the glyphs, centred on them."""
        return (self.y0 + self.y1) / 2


def pages(pdf: Path) -> list[list[Word]]:
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ElementTree.fromstring(xhtml)
    return [[Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
             for w in page.iter() if w.tag.endswith("word")]
            for page in root.iter() if page.tag.endswith("page")]


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


def _watermark(words: list[Word], deck: Deck) -> list[Word]:
    """The synthetic label's words: in its box in the title row's right corner."""
    if not deck.synthetic:
        return []
    left = layout.WATERMARK_LEFT_IN * POINTS - TOLERANCE
    bottom = (layout.MARGIN_TOP_IN + 0.6) * POINTS
    return [w for w in words if w.text in deck.watermark and w.x0 >= left and w.middle <= bottom]


def _slide_texts(slide: Slide) -> list[str]:
    table = [] if slide.table is None else [*slide.table.columns, *slide.table.astype(str).to_numpy().ravel()]
    return [slide.title, slide.subtitle, *(text for metric in slide.metrics for text in metric), *slide.bullets,
            *table]


def misplaced(pdf: Path, deck: Deck) -> list[str]:
    """Every word outside its box and every slide text missing from its page, one line each."""
    width, height = layout.SLIDE_W_IN * POINTS, layout.SLIDE_H_IN * POINTS
    left, right = layout.MARGIN_X_IN * POINTS - TOLERANCE, width - layout.MARGIN_X_IN * POINTS + TOLERANCE
    top, footer_top = layout.MARGIN_TOP_IN * POINTS - TOLERANCE, layout.FOOTER_TOP_IN * POINTS
    problems = []
    printed = pages(pdf)
    if len(printed) != len(deck.slides):
        return [f"{len(printed)} pages for {len(deck.slides)} slides"]
    for number, (words, slide) in enumerate(zip(printed, deck.slides), 1):
        watermark = _watermark(words, deck)
        if deck.synthetic and _squeezed("".join(w.text for w in watermark)) != _squeezed(deck.watermark):
            problems.append(f"page {number}: the synthetic label is not whole in its corner: {[w.text for w in watermark]}")
        text = [w for w in words if w not in watermark]
        for word in text:
            if word.middle >= footer_top:
                continue
            if word.x0 < left or word.x1 > right or word.middle < top:
                problems.append(f"page {number}: {word.text!r} outside the content box {word}")
        footer = sorted((w for w in text if w.middle >= footer_top), key=lambda w: w.x0)
        expected = _squeezed(deck.footer(slide) + f"{number} / {len(deck.slides)}")
        if _squeezed("".join(w.text for w in footer)) != expected or any(w.middle > height for w in footer):
            problems.append(f"page {number}: the footer band holds {[w.text for w in footer]}, "
                            f"not just the stamp and page number")
        page_text = _squeezed("".join(w.text for w in text))
        problems += [f"page {number}: missing {part!r}" for part in _slide_texts(slide)
                     if part and _squeezed(part) not in page_text]
    return problems
