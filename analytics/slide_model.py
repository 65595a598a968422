"""What a slide holds, independent of where it is shown (the presentation page, .pptx, .pdf)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go


@dataclass
class Slide:
    title: str
    subtitle: str = ""
    metrics: list[tuple[str, str]] = field(default_factory=list)     # (label, value)
    figure: go.Figure | None = None
    bullets: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None


@dataclass
class Deck:
    title: str
    slides: list[Slide]
    stamp: str                      # data version, year, filters (and scenario) on every slide
    synthetic: bool                 # watermark every slide
    watermark: str = ""
    scenario: str | None = None     # name of a what-if scenario shown, marked as not the actual result
