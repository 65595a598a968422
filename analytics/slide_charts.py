"""Charts as they go on a slide: type large enough to project (every text at least PROJECTED_PX), and a
ranking that stays legible at that size (a horizontal bar per department, a slide's worth at a time)."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics.charts.style import MEAN_COLOUR, grade_colour, styled
from analytics.domain.model import Framework
from analytics.escape import plotly
from analytics.i18n import t

PROJECTED_PX = 18       # the smallest type on a projected slide (on the 1280 × 720 stage and in the decks)
TITLE_PX = 22
RANKING_ROWS = 14       # departments on one ranking slide: 18 px names with room between the bars


def _at_least(font, size: int) -> dict:
    current = font.size if font is not None and font.size is not None else 0
    return {"size": max(current, size)}


def projected(fig: go.Figure) -> go.Figure:
    """The figure with every text (axes, ticks, legend, colour bars, annotations, bar and cell labels,
    hover) at least PROJECTED_PX; cell labels that do not fit at that size are hidden, not shrunk."""
    fig.update_layout(font_size=max(fig.layout.font.size or 0, PROJECTED_PX),
                      legend_font=_at_least(fig.layout.legend.font, PROJECTED_PX),
                      hoverlabel_font=_at_least(fig.layout.hoverlabel.font, PROJECTED_PX))
    if fig.layout.title.text:
        fig.update_layout(title_font=_at_least(fig.layout.title.font, TITLE_PX))
    if fig.layout.uniformtext.mode:
        fig.update_layout(uniformtext_minsize=max(fig.layout.uniformtext.minsize or 0, PROJECTED_PX))
    fig.for_each_xaxis(lambda axis: axis.update(tickfont=_at_least(axis.tickfont, PROJECTED_PX),
                                                title_font=_at_least(axis.title.font, PROJECTED_PX)))
    fig.for_each_yaxis(lambda axis: axis.update(tickfont=_at_least(axis.tickfont, PROJECTED_PX),
                                                title_font=_at_least(axis.title.font, PROJECTED_PX)))
    for annotation in fig.layout.annotations:
        annotation.font = {**annotation.font.to_plotly_json(), **_at_least(annotation.font, PROJECTED_PX)}
    for trace in fig.data:
        if "textfont" in trace:
            trace.textfont = {**trace.textfont.to_plotly_json(), **_at_least(trace.textfont, PROJECTED_PX)}
        if "insidetextfont" in trace and trace.insidetextfont.size is not None:
            trace.insidetextfont.size = max(trace.insidetextfont.size, PROJECTED_PX)
        marker = getattr(trace, "marker", None)
        if marker is not None and "colorbar" in marker and marker.showscale:
            marker.colorbar.tickfont = _at_least(marker.colorbar.tickfont, PROJECTED_PX)
            marker.colorbar.title.font = _at_least(marker.colorbar.title.font, PROJECTED_PX)
    return fig


def ranking_bars(rows: pd.DataFrame, fw: Framework, mean: float, lang: str) -> go.Figure:
    """One horizontal bar per department of ``rows`` (rank order, at most RANKING_ROWS), its rank and name
    on the left, its total at the bar's end, coloured by grade; the framework's mean as a line."""
    ordered = rows.sort_values(["rank", "department"])
    labels = [f"{int(rank)}. {plotly(name)}" for rank, name in zip(ordered["rank"], ordered["department"])]
    fig = go.Figure()
    for grade in ordered["grade"].drop_duplicates():
        part = ordered[ordered["grade"] == grade]
        fig.add_bar(y=[labels[i] for i in range(len(ordered)) if ordered["grade"].iloc[i] == grade],
                    x=part["total"], orientation="h", name=fw.grade_label(grade, lang), marker_color=grade_colour(grade),
                    text=[f"{v:.2f}" for v in part["total"]], textposition="outside", cliponaxis=False,
                    hovertemplate="%{y}: %{x:.2f}<extra></extra>")
    low = max(0.0, math.floor((min(ordered["total"].min(), mean) - 5) / 10) * 10)
    fig.add_vline(x=mean, line=dict(color=MEAN_COLOUR, dash="dash", width=2))
    fig.add_annotation(x=mean, y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=t("s_mean_line", lang, mean=mean), font=dict(color=MEAN_COLOUR))
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    fig.update_xaxes(range=[low, 104], title_text=t("total", lang))
    styled(fig, height=560)
    fig.update_layout(barmode="overlay", bargap=0.25, margin=dict(t=40),
                      legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, xanchor="left"))
    return projected(fig)


def grade_counts(frame: pd.DataFrame, fw: Framework, bands: pd.DataFrame, lang: str) -> go.Figure:
    """How many departments hold each grade, in the framework's grade order, words and colours."""
    counts = frame["grade"].value_counts()
    grades = [*bands["grade"], *(g for g in counts.index if g not in set(bands["grade"]))]
    values = [int(counts.get(g, 0)) for g in grades]
    fig = go.Figure(go.Bar(x=[fw.grade_label(g, lang) for g in grades], y=values, text=values, textposition="outside",
                           marker_color=[grade_colour(g) for g in grades], cliponaxis=False,
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_yaxes(title_text=t("s_departments", lang), range=[0, max(values + [1]) * 1.2])
    return projected(styled(fig, height=480))
