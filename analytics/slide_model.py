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
    scenario: bool = False          # shows the deck's what-if scenario, so it carries the scenario stamp


@dataclass
class Deck:
    title: str
    slides: list[Slide]
    stamp: str                      # data version, year and filters, on every slide
    synthetic: bool                 # watermark every slide
    watermark: str = ""
    scenario: str | None = None     # stamp of the slides showing a what-if scenario: not the actual result

    def stamped_as_scenario(self, slide: Slide) -> bool:
        return bool(self.scenario) and slide.scenario

    def footer(self, slide: Slide, separator: str = "  ·  ") -> str:
        """The stamp under a slide: data version, year and filters, plus the scenario stamp where the
        slide shows the scenario (and only there: the other slides show actual figures)."""
        return self.stamp + (f"{separator}{self.scenario}" if self.stamped_as_scenario(slide) else "")
