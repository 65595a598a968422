"""Figures of the rankings page: totals by department, grade distribution, risers and fallers."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.breakdown import localized
from analytics.escape import plotly
from analytics.charts.style import GAIN, HIGHLIGHT, LOSS, MEAN_COLOUR, MEDIAN_COLOUR, grade_colour, styled
from analytics.i18n import grade_name, t

BAND_OPACITY = 0.08
ROW_HEIGHT = 22         # pixels per department in the ranking chart: full names stay legible
RANKING_FRAME = 150     # the ranking chart's legend, axis titles and band labels


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


def visible_bands(bands: pd.DataFrame, low: float, high: float):
    """(band, bottom, top) of each grade band (best first) as far as it shows between ``low`` and ``high``."""
    upper = high
    for band in bands.itertuples():
        top, bottom = upper, max(band.min_score, low)
        upper = band.min_score
        if bottom < top:
            yield band, bottom, top


def totals_bars(frame: pd.DataFrame, bands: pd.DataFrame, mean: float, median: float, lang: str,
                title: str | None = None) -> go.Figure:
    """One bar per department (short names, best first) coloured by grade, over lightly shaded grade
    bands, with the mean and median as labelled horizontal lines."""
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
    for band, bottom, top in visible_bands(bands, low, 100.0):
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


def department_label(name: str, real: bool) -> str:
    """A department's full name as an axis label; the real (non-synthetic) one bold, marked and coloured."""
    return f'<span style="color:{HIGHLIGHT}"><b>★ {plotly(name)}</b></span>' if real else plotly(name)


def _score_range(values: pd.Series, top: float) -> list[float]:
    """An axis from a little under the lowest value to ``top``: every value shows, none is cut."""
    low = float(values.min()) if values.notna().any() else 0.0
    span = max(top - low, 1.0)
    return [max(0.0, math.floor(low - span * 0.15)), top + span * 0.05]


def wrapped(text: str, width: int) -> str:
    """``text`` in lines of at most about ``width`` characters, as even as can be (at spaces when it has
    any, else anywhere, as Chinese is written)."""
    words = text.split(" ") if " " in text else list(text)
    glue = " " if " " in text else ""
    count = math.ceil(len(text) / width)
    target = math.ceil(len(text) / count)
    lines, line = [], ""
    for word in words:
        joined = f"{line}{glue}{word}" if line else word
        if line and len(joined) > target:
            lines.append(line)
            joined = word
        line = joined
    return "<br>".join([*lines, line])


def _panels(ordered: pd.DataFrame, level1: pd.DataFrame, lang: str) -> list[tuple[str, str, float]]:
    """(column, axis title, top of the axis): the total out of 100, then each level-1 score on its own
    scale, up to its weight where the framework fixes one (else up to the highest score)."""
    panels = [("total", t("total", lang), 100.0)]
    for code, name, weight in zip(level1["code"], localized(level1, "name", lang), level1["weight"]):
        values = ordered[code]
        top = float(weight) if pd.notna(weight) else float(values.max() if values.notna().any() else 1.0)
        title = wrapped(plotly(name), 7 if lang == "zh" else 16)
        if pd.notna(weight):
            title += "<br>" + t("rk_level1_axis", lang, weight=f"{weight:g}")
        panels.append((code, title, top))
    return panels


def ranking_dots(frame: pd.DataFrame, bands: pd.DataFrame, level1: pd.DataFrame, mean: float, median: float,
                 lang: str) -> go.Figure:
    """The ranking as a dot chart, best at the top, one row per department under its full name (the real
    one highlighted): the total out of 100 over the shaded grade bands with the mean and median, then
    each level-1 score (``level1``: compare.level1_nodes) on its own scale beside it.  Each dot carries
    its evaluation id as customdata, so a click can open that department."""
    ordered = frame.sort_values(["total", "department"], ascending=[False, True]).reset_index(drop=True)
    names = list(ordered["department"].map(plotly))
    real = ordered["source_kind"] == "report"
    panels = _panels(ordered, level1, lang)
    widths = [0.31] + [0.69 / max(len(panels) - 1, 1)] * (len(panels) - 1)
    fig = make_subplots(rows=1, cols=len(panels), shared_yaxes=True, column_widths=widths[:len(panels)],
                        horizontal_spacing=0.035)
    for col, (column, title, top) in enumerate(panels, start=1):
        for grade in _grade_order(ordered, bands):
            rows = ordered[ordered["grade"] == grade] if grade is not None else ordered[ordered["grade"].isna()]
            if rows.empty:
                continue
            stars = real[rows.index]
            hover = [t("rk_dot_hover", lang, name=plotly(name), measure=title.replace("<br>", " "), grade=grade_name(grade, lang),
                       value="—" if pd.isna(value) else f"{value:.2f}", rank=rank)
                     for name, value, rank in zip(rows["department"], rows[column], rows["rank"])]
            fig.add_scatter(x=rows[column], y=[names[i] for i in rows.index], mode="markers", row=1, col=col,
                            name=grade_name(grade, lang), legendgroup=str(grade), showlegend=col == 1,
                            marker=dict(color=grade_colour(grade), size=[15 if s else 10 for s in stars],
                                        symbol=["star" if s else "circle" for s in stars],
                                        line=dict(color=[HIGHLIGHT if s else "white" for s in stars], width=1.5)),
                            customdata=list(rows["evaluation_id"]), hovertext=hover,
                            hovertemplate="%{hovertext}<extra></extra>")
        fig.update_xaxes(range=_score_range(ordered[column], top) if column != "total" else None, row=1, col=col,
                         side="top", title_text=title, title_standoff=4, title_font=dict(size=12), nticks=5,
                         showgrid=True, zeroline=False)
    low = _score_range(pd.concat([ordered["total"], pd.Series([mean, median])]), 100.0)[0]
    fig.update_xaxes(range=[low, 101.5], row=1, col=1)
    _grade_bands_behind(fig, bands, low, lang)
    for key, value, colour, dash in (("mean", mean, MEAN_COLOUR, "dash"), ("median", median, MEDIAN_COLOUR, "dot")):
        fig.add_scatter(x=[value, value], y=[names[0], names[-1]], mode="lines", row=1, col=1, hoverinfo="skip",
                        line=dict(color=colour, dash=dash, width=2), meta=key,
                        name=t("rk_line_legend", lang, label=t(key, lang), value=value))
    fig.update_yaxes(categoryorder="array", categoryarray=names, range=[len(names) - 0.5, -0.5], tickmode="array",
                     tickvals=names, ticktext=[department_label(n, r) for n, r in zip(ordered["department"], real)],
                     tickfont=dict(size=12), showgrid=True, gridcolor="#ECEFF1")
    fig.update_yaxes(showticklabels=False, selector=lambda axis: axis.anchor != "x")
    styled(fig, None, height=RANKING_FRAME + ROW_HEIGHT * len(ordered))
    # the legend at the very top, the axis titles under it: no title sits over the legend
    fig.update_layout(margin=dict(l=10, r=10, t=115, b=30), clickmode="event+select", hovermode="closest",
                      legend=dict(orientation="h", yref="container", yanchor="top", y=1.0, x=0, xanchor="left"))
    return fig


def _grade_bands_behind(fig: go.Figure, bands: pd.DataFrame, low: float, lang: str) -> None:
    """The grade bands shaded behind the totals, each named under the axis."""
    for band, bottom, top in visible_bands(bands, low, 101.5):
        fig.add_vrect(x0=bottom, x1=top, fillcolor=grade_colour(band.grade), opacity=BAND_OPACITY, line_width=0,
                      layer="below", row=1, col=1)
        fig.add_annotation(x=(bottom + top) / 2, xref="x", y=0, yref="paper", yanchor="top", yshift=-4,
                           showarrow=False, font=dict(size=11, color=grade_colour(band.grade)),
                           text=t("rk_band_label", lang, grade=grade_name(band.grade, lang), min=band.min_score))


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
