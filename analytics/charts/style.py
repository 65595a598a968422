"""One look for every chart: CJK font, grade colours, readable hover text, legends that never overlap."""
from __future__ import annotations

import plotly.graph_objects as go

# Noto Sans CJK SC first: without it, font fallback picks Japanese glyph shapes for Chinese text.
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
GRADE_COLOURS = {"优秀": "#2E7D32", "良好": "#1565C0", "中": "#F9A825", "差": "#C62828",
                 "优": "#2E7D32", "良": "#1565C0"}     # the national layout's bands: 优/良/中/差
NEUTRAL = "#90A4AE"
MEAN_COLOUR = "#37474F"
MEDIAN_COLOUR = "#8E24AA"
HIGHLIGHT = "#E65100"
GAIN = "#2E7D32"
LOSS = "#C62828"
SERIES = ["#1565C0", "#E65100", "#2E7D32", "#8E24AA", "#00838F", "#6D4C41", "#AD1457", "#558B2F"]


def grade_colour(grade: str | None) -> str:
    return GRADE_COLOURS.get(grade or "", NEUTRAL)


def styled(fig: go.Figure, title: str | None = None, height: int = 420) -> go.Figure:
    """Apply the house style; legends sit below the plot so they never cover data or the title."""
    fig.update_layout(
        template="plotly_white", font=dict(family=FONT_FAMILY, size=13), height=height,
        title=dict(text=title, x=0, xanchor="left", font=dict(size=16)) if title else None,
        margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0, title_text=""),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13)),
        separators=".,")
    return fig
