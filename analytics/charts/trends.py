"""Trend figures: departments year by year against the mean and interquartile band of their framework."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.escape import plotly
from analytics.charts.style import HIGHLIGHT, MEAN_COLOUR, SERIES, styled
from analytics.i18n import t
from analytics.breakdown import localized
from analytics.stats import RATE_COLUMNS

BAND_FILL = "rgba(144, 164, 174, 0.25)"


def measure_label(column: str, lang: str) -> str:
    """The label of the total or one of the rates (level-1 scores are named by measure_labels)."""
    return t(f"measure_{column}", lang)


def measure_labels(level1: pd.DataFrame, lang: str, rates=RATE_COLUMNS) -> dict[str, str]:
    """Labels of the measures a framework's evaluations compare on: the total, one score per level-1
    node (``level1``: compare.level1_nodes, names from the framework) and the ``rates`` columns."""
    names = localized(level1, "name", lang)
    return ({"total": measure_label("total", lang)}
            | {code: t("measure_level1", lang, name=name) for code, name in zip(level1["code"], names)}
            | {column: measure_label(column, lang) for column in rates})


def value_format(column: str) -> str:
    """Hover format of a measure: scores with 2 decimals, rates with 2 decimals and a % sign."""
    return ":.2f}%" if column in RATE_COLUMNS else ":.2f}"


def department_colours(departments) -> dict[str, str]:
    return {name: SERIES[k % len(SERIES)] for k, name in enumerate(departments)}


def _add_series(fig: go.Figure, frame: pd.DataFrame, summary: pd.DataFrame, column: str, label: str, lang: str,
                colours: dict[str, str], showlegend: bool, **position) -> None:
    """Band, mean line, one line per department and star markers on real points, for one measure."""
    stats = summary[summary["measure"] == column].sort_values("year")
    fmt = value_format(column)
    band_hover = f"%{{x}}<br>{t('tr_q1', lang)} / {t('tr_q3', lang)}: %{{y{fmt}<extra></extra>"
    fig.add_trace(go.Scatter(x=stats["year"], y=stats["q3"], mode="lines", line=dict(width=0),
                             hovertemplate=band_hover, showlegend=False, legendgroup="band"), **position)
    fig.add_trace(go.Scatter(x=stats["year"], y=stats["q1"], mode="lines", line=dict(width=0), fill="tonexty",
                             fillcolor=BAND_FILL, name=t("tr_band", lang), hovertemplate=band_hover,
                             showlegend=showlegend, legendgroup="band"), **position)
    fig.add_trace(go.Scatter(x=stats["year"], y=stats["mean"], mode="lines", name=t("mean", lang),
                             line=dict(color=MEAN_COLOUR, dash="dash", width=2), legendgroup="mean",
                             showlegend=showlegend,
                             hovertemplate=f"%{{x}}<br>{t('mean', lang)}: %{{y{fmt}<extra></extra>"), **position)
    for department, rows in frame.sort_values("year").groupby("department", sort=False):
        sources = [t(f"source_{kind}", lang) for kind in rows["source_kind"]]
        shown = plotly(department)
        fig.add_trace(go.Scatter(
            x=rows["year"], y=rows[column], mode="lines+markers", name=shown, legendgroup=shown,
            showlegend=showlegend, line=dict(color=colours[department], width=2.5), marker=dict(size=7),
            customdata=sources,
            hovertemplate=f"{shown}<br>%{{x}}<br>{label}: %{{y{fmt}<br>%{{customdata}}<extra></extra>"),
            **position)
    real = frame[frame["source_kind"] == "report"]
    if not real.empty:
        fig.add_trace(go.Scatter(
            x=real["year"], y=real[column], mode="markers", name=t("tr_real_point", lang), legendgroup="real",
            showlegend=showlegend, marker=dict(symbol="star", size=16, color=HIGHLIGHT,
                                               line=dict(color="white", width=1)),
            customdata=real["department"].map(plotly),
            hovertemplate=(f"%{{customdata}}<br>%{{x}}<br>{label}: %{{y{fmt}<br>"
                           f"{t('tr_real_point', lang)}<extra></extra>")), **position)


def mark_framework_changes(fig: go.Figure, changes: pd.DataFrame, lang: str) -> None:
    """A dotted line before each year in which a chosen department changed framework
    (``changes``: framework_changes.framework_changes rows)."""
    for year in sorted(changes["year"].unique()):
        fig.add_vline(x=year - 0.5, line=dict(color=MEAN_COLOUR, dash="dot", width=1.5),
                      annotation=dict(text=t("tr_framework_changed", lang), font=dict(size=12, color=MEAN_COLOUR)),
                      annotation_position="top")


def _year_axis(fig: go.Figure, years) -> None:
    # the ticks are plainly years; an axis title would only crowd the legend below
    fig.update_xaxes(tickmode="array", tickvals=sorted(set(years)), tickformat="d")


def trend_chart(frame: pd.DataFrame, summary: pd.DataFrame, column: str, lang: str,
                label: str | None = None, title_key: str = "tr_chart_title") -> go.Figure:
    """One measure over the years for the chosen departments, against the mean and band of its framework.

    ``frame``: stats.evaluations rows of the chosen departments; ``summary``: stats.municipal_summary
    over all departments of one framework (long form, one row per year and measure; empty across
    frameworks, whose means do not compare); ``label``: the measure's name (default: measure_label, for
    the total and the rates); ``title_key``: the title's text, given the measure.
    """
    label = label or measure_label(column, lang)
    fig = go.Figure()
    colours = department_colours(frame["department"].drop_duplicates())
    _add_series(fig, frame, summary, column, label, lang, colours, showlegend=True)
    _year_axis(fig, [*summary["year"], *frame["year"]])
    fig.update_yaxes(title_text=label, ticksuffix="%" if column in RATE_COLUMNS else "")
    return styled(fig, t(title_key, lang, measure=label), height=460)


def score_multiples(frame: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str], lang: str) -> go.Figure:
    """Small multiples, two a row, of the total and each level-1 score (``labels``: column → name, from
    measure_labels without rates), each against the mean of its framework."""
    rows = (len(labels) + 1) // 2
    fig = make_subplots(rows=rows, cols=2, subplot_titles=list(labels.values()),
                        vertical_spacing=0.32 / rows, horizontal_spacing=0.08)
    colours = department_colours(frame["department"].drop_duplicates())
    for k, (column, label) in enumerate(labels.items()):
        _add_series(fig, frame, summary, column, label, lang, colours, showlegend=k == 0, row=k // 2 + 1,
                    col=k % 2 + 1)
    _year_axis(fig, summary["year"])
    fig.update_annotations(font=dict(size=14))
    fig = styled(fig, t("tr_level1_title", lang), height=320 * rows)
    fig.update_layout(legend=dict(y=-0.08), margin=dict(t=90))
    return fig
