"""Figures of the rankings page: totals by department, grade distribution, risers and fallers."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics.escape import plotly
from analytics.charts.style import GAIN, LOSS, MEAN_COLOUR, MEDIAN_COLOUR, grade_colour, styled
from analytics.i18n import grade_name, t

BAND_OPACITY = 0.08


def short_names(frame: pd.DataFrame) -> pd.Series:
    """The short name where one is recorded, else the full name."""
    return frame["short_name"].fillna(frame["department"]).where(frame["short_name"] != "", frame["department"])


def stacked(name: str) -> str:
    """A name written top to bottom, one character per line: upright Chinese under a narrow bar."""
    return "<br>".join(plotly(character) for character in name)


def _grade_order(frame: pd.DataFrame, bands: pd.DataFrame) -> list:
    """Grades best first as the framework lists them, then any the bands do not know."""
    known = list(bands["grade"])
    return known + [g for g in frame["grade"].drop_duplicates() if g not in known]


def totals_bars(frame: pd.DataFrame, bands: pd.DataFrame, mean: float, median: float, lang: str,
                title: str | None = None) -> go.Figure:
    """One bar per department (short names, best first) coloured by grade, over lightly shaded grade
    bands, with the municipal mean and median as labelled horizontal lines."""
    ordered = frame.sort_values(["total", "department"], ascending=[False, True])
    categories = list(ordered["department"].map(plotly))
    fig = go.Figure()
    for grade in _grade_order(ordered, bands):
        rows = ordered[ordered["grade"] == grade] if grade is not None else ordered[ordered["grade"].isna()]
        if rows.empty:
            continue
        hover = [t("rk_bar_hover", lang, name=plotly(r.department), total=r.total, grade=grade_name(grade, lang), rank=r.rank)
                 for r in rows.itertuples()]
        fig.add_bar(x=rows["department"].map(plotly), y=rows["total"], name=grade_name(grade, lang),
                    marker_color=grade_colour(grade), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>")
    low = max(0.0, math.floor((min(ordered["total"].min(), mean, median) - 5) / 10) * 10)
    upper = 100.0
    for band in bands.itertuples():
        top, bottom = upper, max(band.min_score, low)
        upper = band.min_score
        if bottom >= top:
            continue
        fig.add_hrect(y0=bottom, y1=top, fillcolor=grade_colour(band.grade), opacity=BAND_OPACITY,
                      line_width=0, layer="below")
        fig.add_annotation(x=1, xref="paper", xanchor="left", xshift=4, y=(bottom + top) / 2, showarrow=False,
                           text=t("rk_band_label", lang, grade=grade_name(band.grade, lang), min=band.min_score),
                           font=dict(size=11, color=grade_colour(band.grade)))
    for key, value, colour, dash in (("mean", mean, MEAN_COLOUR, "dash"), ("median", median, MEDIAN_COLOUR, "dot")):
        # A line across the plot, named in the legend with its value, so the labels never collide.
        fig.add_scatter(x=[categories[0], categories[-1]], y=[value, value],
                        mode="lines", line=dict(color=colour, dash=dash, width=2), hoverinfo="skip",
                        name=t("rk_line_legend", lang, label=t(key, lang), value=value), meta=key)
    fig.update_xaxes(categoryorder="array", categoryarray=categories,
                     tickvals=categories, ticktext=[stacked(n) for n in short_names(ordered)],
                     tickangle=0, tickfont=dict(size=11))
    fig.update_yaxes(range=[low, 100.5], title_text=t("total", lang))
    styled(fig, title, height=520)
    fig.update_layout(bargap=0.15, margin=dict(r=95),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left"))
    return fig


def grade_distribution(frame: pd.DataFrame, bands: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """How many departments hold each grade, in the framework's grade order and colours."""
    counts = frame["grade"].value_counts()
    grades = [g for g in _grade_order(frame, bands) if g is not None]
    values = [int(counts.get(g, 0)) for g in grades]
    fig = go.Figure(go.Bar(x=[grade_name(g, lang) for g in grades], y=values, text=values, textposition="outside",
                           marker_color=[grade_colour(g) for g in grades], cliponaxis=False,
                           hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_yaxes(title_text=t("rk_departments", lang), range=[0, max(values + [1]) * 1.2])
    return styled(fig, title, height=360)


def movers_chart(risers: pd.DataFrame, fallers: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """Score change against last year of the biggest risers (top) and fallers (bottom)."""
    fig = go.Figure()
    for key, rows, colour in (("rk_risers", risers, GAIN), ("rk_fallers", fallers, LOSS)):
        if rows.empty:
            continue
        ranks = rows["rank_change"].fillna(0).astype(int)
        fig.add_bar(y=list(short_names(rows).map(plotly)), x=rows["total_change"], orientation="h", name=t(key, lang),
                    marker_color=colour, textposition="outside", cliponaxis=False,
                    text=[t("rk_mover_text", lang, change=c, rank=r) for c, r in zip(rows["total_change"], ranks)],
                    hovertext=[t("rk_mover_hover", lang, name=plotly(n), change=c, rank=r)
                               for n, c, r in zip(rows["department"], rows["total_change"], ranks)],
                    hovertemplate="%{hovertext}<extra></extra>")
    reach = max([abs(v) for v in (*risers["total_change"], *fallers["total_change"])] + [1])
    fig.update_xaxes(range=[-reach * 2.4, reach * 2.4], zeroline=True, zerolinecolor=MEAN_COLOUR,
                     title_text=t("rk_total_change", lang))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    styled(fig, title, height=360)
    fig.update_layout(barmode="relative")
    return fig
