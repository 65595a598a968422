"""Cross-framework figures: per group (a framework in a region), the distribution of totals out of 100,
the grade shares in each framework's own bands, and the shared-concept rates, side by side."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics.breakdown import localized
from analytics.charts.style import MEAN_COLOUR, NEUTRAL, SERIES, grade_colour, styled
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


# -- two regions over the years ----------------------------------------------------------------------

def _year_lines(fig: go.Figure, table: pd.DataFrame, groups: pd.DataFrame, value: str, lang: str, name_key: str | None,
                suffix: str = "", dash: str = "solid", legend: bool = True, **position) -> None:
    """One line per group (a framework in a region) of ``table``'s ``value`` over its years, coloured by group
    and named by the group's label in the legend (one entry per group: ``legend`` for the first of its lines);
    ``name_key``: the hover's name, given the label (None: the label)."""
    for k, (group, text) in enumerate(zip(groups.itertuples(), group_labels(groups, lang))):
        rows = _members(table, group).sort_values("year")
        label = plotly(text)
        hover = plotly(t(name_key, lang, label=text)) if name_key else label
        fig.add_trace(go.Scatter(
            x=rows["year"], y=rows[value], mode="lines+markers", name=label, legendgroup=label, showlegend=legend,
            line=dict(color=SERIES[k % len(SERIES)], dash=dash, width=2.5),
            marker=dict(size=8, symbol="circle" if dash == "solid" else "circle-open"),
            hovertemplate=f"{hover}<br>%{{x}}: %{{y:.2f}}{suffix}<extra></extra>"), **position)


PANEL_COLUMNS = 2            # panels of the years' charts per row: each keeps room for its years and title
PANEL_HEIGHT = 260


def _cell(k: int, panels: int) -> dict:
    """Where panel ``k`` (from 0) of ``panels`` sits in the grid."""
    columns = min(panels, PANEL_COLUMNS)
    return dict(row=k // columns + 1, col=k % columns + 1)


def _year_figure(titles: list[str], years, changes: pd.DataFrame, region_names: dict[str, str], lang: str,
                 title: str, height: int | None = None) -> go.Figure:
    """Panels in a grid (PANEL_COLUMNS a row) sharing the years (x), every year a region's framework changed
    marked with a dotted line (named in the first panel); ``height``: the figure's, else PANEL_HEIGHT a row."""
    panels = max(len(titles), 1)
    rows, columns = -(-panels // PANEL_COLUMNS), min(panels, PANEL_COLUMNS)
    fig = make_subplots(rows=rows, cols=columns, horizontal_spacing=0.06, vertical_spacing=0.22 / rows,
                        subplot_titles=[plotly(text) for text in titles] or None)
    fig.update_xaxes(tickmode="array", tickvals=sorted(set(years)), tickformat="d")
    for year, held in changes.groupby("year"):
        marked = t("xr_changed_mark", lang, regions=t("xf_list_separator", lang).join(
            region_names[region] for region in held["region"]))
        for k in range(panels):
            fig.add_vline(x=year - 0.5, line=dict(color=MEAN_COLOUR, dash="dot", width=1.5), exclude_empty_subplots=False,
                          **_cell(k, panels),
                          **(dict(annotation=dict(text=plotly(marked), font=dict(size=12, color=MEAN_COLOUR)),
                                  annotation_position="top left") if k == 0 else {}))
    fig = styled(fig, title, height=height or PANEL_HEIGHT * rows + 150)
    fig.update_layout(margin=dict(t=80))
    return fig


def two_regions_totals(yearly: pd.DataFrame, groups: pd.DataFrame, changes: pd.DataFrame,
                       region_names: dict[str, str], lang: str) -> go.Figure:
    """Per group and year, the mean (solid) and median (dashed) total out of 100 (cross_framework.distribution
    by year)."""
    fig = _year_figure([], yearly["year"], changes, region_names, lang, t("xr_totals_title", lang), 440)
    _year_lines(fig, yearly, groups, "mean", lang, "xr_mean_of")
    _year_lines(fig, yearly, groups, "median", lang, "xr_median_of", dash="dash", legend=False)
    fig.update_yaxes(title_text=t("xf_total_axis", lang))
    return fig


def two_regions_grades(shares: pd.DataFrame, groups: pd.DataFrame, changes: pd.DataFrame,
                       region_names: dict[str, str], lang: str) -> go.Figure:
    """One panel per grade band (best first), each group's share (%) of its evaluations in its own framework's
    band of that place, over the years (cross_framework.grade_shares by year)."""
    places = sorted(shares["band"].unique())
    titles = []
    for place in places:
        bands = shares[shares["band"] == place].drop_duplicates(["framework_id"])
        words = [f"{(row.grade_en if lang == 'en' and row.grade_en else row.grade)} ≥ {row.min_score:g}"
                 for row in bands.itertuples()]
        titles.append(t("xr_band_title", lang, place=place + 1, bands=" / ".join(dict.fromkeys(words))))
    fig = _year_figure(titles, shares["year"], changes, region_names, lang, t("xr_grades_title", lang))
    for k, place in enumerate(places):
        _year_lines(fig, shares[shares["band"] == place], groups, "share", lang, None, "%",
                    legend=k == 0, **_cell(k, len(places)))
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig


def two_regions_concepts(summary: pd.DataFrame, groups: pd.DataFrame, changes: pd.DataFrame, labels: dict[str, str],
                         region_names: dict[str, str], lang: str) -> go.Figure:
    """One panel per shared concept (its own scale): each group's mean rate over the years
    (cross_framework.concept_summary by year)."""
    concepts = list(dict.fromkeys(summary["concept"]))
    fig = _year_figure([labels[c] for c in concepts], summary["year"], changes, region_names, lang,
                       t("xr_concepts_title", lang), 400 if len(concepts) == 1 else None)
    for k, concept in enumerate(concepts):
        _year_lines(fig, summary[summary["concept"] == concept], groups, "mean", lang, None, "%",
                    legend=k == 0, **_cell(k, len(concepts)))
    fig.update_yaxes(ticksuffix="%")
    return fig
