"""Cross-framework figures: per group (a framework in a region), the distribution of totals out of 100,
the grade shares in each framework's own bands, and the shared-concept rates, side by side."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.breakdown import localized
from analytics.charts.style import NEUTRAL, SERIES, grade_colour, styled
from analytics.escape import plotly
from analytics.i18n import t

GROUP_HEIGHT = 70


def group_labels(groups: pd.DataFrame, lang: str) -> pd.Series:
    """"framework · region" of each group (cross_framework.groups rows), as plain text, the region by its
    English name in English where one is stored."""
    return localized(groups, "name", lang) + " · " + localized(groups.rename(columns={"region": "region_zh"}), "region", lang)


def _members(frame: pd.DataFrame, group) -> pd.DataFrame:
    return frame[(frame["framework_id"] == group.framework_id) & (frame["region"] == group.region)]


def _boxes(fig: go.Figure, frame: pd.DataFrame, groups: pd.DataFrame, column: str, lang: str, suffix: str,
           **position) -> None:
    """One horizontal box with every evaluation as a point per group, the mean marked."""
    for k, (group, label) in enumerate(zip(groups.itertuples(), group_labels(groups, lang))):
        members = _members(frame, group).dropna(subset=[column])
        colour = SERIES[k % len(SERIES)]
        fig.add_trace(go.Box(
            x=members[column], y=[plotly(label)] * len(members), orientation="h", name=plotly(label),
            boxpoints="all", jitter=0.5, pointpos=0, boxmean=True, hoveron="points", showlegend=False,
            marker=dict(color=colour, size=6, opacity=0.7), line=dict(color=colour),
            text=members["department"].map(plotly),
            hovertemplate=f"%{{text}}<br>%{{y}}: %{{x:.2f}}{suffix}<extra></extra>"), **position)


def totals_chart(frame: pd.DataFrame, groups: pd.DataFrame, lang: str) -> go.Figure:
    """Every evaluation's total out of 100 per group (box, points and mean)."""
    fig = go.Figure()
    _boxes(fig, frame, groups, "total", lang, "")
    fig.update_xaxes(title_text=t("xf_total_axis", lang))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return styled(fig, None, height=GROUP_HEIGHT * len(groups) + 110)


def grade_chart(shares: pd.DataFrame, groups: pd.DataFrame, lang: str) -> go.Figure:
    """Per group, the share of its evaluations in each band of its own framework, best band on the left;
    each segment is named by its framework's grade label."""
    fig = go.Figure()
    labels = dict(zip(zip(groups["framework_id"], groups["region"]), group_labels(groups, lang).map(plotly)))
    for row in shares.itertuples():
        grade = row.grade_en if lang == "en" and row.grade_en else row.grade
        label = labels[(row.framework_id, row.region)]
        fig.add_trace(go.Bar(
            x=[row.share], y=[label], orientation="h", name=plotly(grade), showlegend=False,
            marker=dict(color=grade_colour(row.grade) if grade_colour(row.grade) != NEUTRAL else SERIES[row.band]),
            text=[f"{plotly(grade)} {row.share:.1f}%" if row.share >= 6 else ""], textposition="inside",
            insidetextanchor="middle",
            hovertemplate=(f"{label}<br>{plotly(grade)} (≥ {row.min_score:g}): {row.count} · "
                           f"{row.share:.1f}%<extra></extra>")))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=t("xf_share_axis", lang), ticksuffix="%", range=[0, 100])
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=list(labels.values()))
    return styled(fig, None, height=GROUP_HEIGHT * len(groups) + 90)


def concepts_chart(frame: pd.DataFrame, groups: pd.DataFrame, columns: list[str], labels: dict[str, str],
                   lang: str) -> go.Figure:
    """One panel per shared concept (its own scale), each group's rates side by side."""
    fig = make_subplots(rows=1, cols=len(columns), shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[plotly(labels[c]) for c in columns])
    for k, column in enumerate(columns, start=1):
        _boxes(fig, frame, groups, column, lang, "%", row=1, col=k)
        fig.update_xaxes(ticksuffix="%", row=1, col=k)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig = styled(fig, None, height=GROUP_HEIGHT * len(groups) + 130)
    fig.update_layout(margin=dict(t=40))
    return fig
