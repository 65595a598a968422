"""Within-region comparison figures: the indicator heatmap, distributions with one department marked,
and the peer group within a category."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.charts.style import GAIN, HIGHLIGHT, LOSS, MEAN_COLOUR, MEDIAN_COLOUR, NEUTRAL, SERIES, styled
from analytics.breakdown import localized
from analytics.escape import plotly
from analytics.charts.ranking import short_names
from analytics.i18n import category_name, t

# Most indicators sit near full marks, so the scale spends its colours on the upper range.
RATE_SCALE = [[0.0, LOSS], [0.5, "#F9A825"], [0.8, "#C5E1A5"], [1.0, GAIN]]
ROW_HEIGHT = 19


def indicator_name(frame: pd.DataFrame, lang: str) -> pd.Series:
    return localized(frame, "name", lang)


def _label(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Indicator names as Plotly shows them."""
    return indicator_name(frame, lang).map(plotly)


def heatmap_order(ranking: pd.DataFrame, cells: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The heatmap's rows (departments, best total first) and columns (codes in tree order); a click's
    point (x, y) indexes these."""
    order = ranking.sort_values(["total", "department"], ascending=[False, True])
    return list(order["department"]), list(cells.drop_duplicates("code").sort_values("sort_order")["code"])


def _level1_marks(fig: go.Figure, columns: pd.DataFrame, lang: str) -> None:
    """Each level-1 node's name under its span of columns, a line between spans."""
    spans = columns.reset_index(drop=True).groupby("level1", sort=False).apply(lambda g: (g.index.min(), g.index.max()))
    names = dict(zip(columns["level1"], localized(columns, "level1", lang)))
    for code, (first, last) in spans.items():
        fig.add_annotation(x=(first + last) / 2, y=0, xref="x", yref="paper", yanchor="top", yshift=-4,
                           text=f"<b>{plotly(names[code])}</b>", showarrow=False, font=dict(size=12))
        if first:
            fig.add_vline(x=first - 0.5, line=dict(color="#37474F", width=2))


def indicator_heatmap(cells: pd.DataFrame, ranking: pd.DataFrame, lang: str) -> go.Figure:
    """Departments (rows, best total on top) × the framework's comparison columns (its leaves and open
    groups, under their level-1 names), coloured by scoring rate.

    ``cells``: compare.column_scores of one framework and year; ``ranking``: its evaluations.
    """
    rows, codes = heatmap_order(ranking, cells)
    columns = cells.drop_duplicates("code").set_index("code").loc[codes].reset_index()
    names = _label(columns, lang)
    cell = cells.set_index(["department", "code"])
    index = pd.MultiIndex.from_product([rows, codes])
    shape = (len(rows), len(codes))
    rate = cell["scoring_rate"].reindex(index).to_numpy(dtype=float).reshape(shape) * 100
    score = cell["score"].reindex(index).to_numpy(dtype=float).reshape(shape)
    weight = cell["weight"].reindex(index).to_numpy(dtype=float).reshape(shape)
    full = np.broadcast_to(np.array([plotly(r) for r in rows])[:, None], shape)
    label = np.broadcast_to(names.to_numpy(), shape)
    fig = go.Figure(go.Heatmap(
        z=rate, x=list(range(len(codes))), y=list(range(len(rows))), zmin=0, zmax=100,
        colorscale=RATE_SCALE, xgap=1, ygap=1, hoverinfo="skip",
        colorbar=dict(title=dict(text=t("mu_scoring_rate", lang), side="top"), ticksuffix="%", thickness=14,
                      len=min(1.0, 600 / (ROW_HEIGHT * len(rows))), y=1, yanchor="top")))
    # one invisible point per cell carries the hover and takes the click (Streamlit selects points, not
    # heatmap cells): x and y are the cell's column and row
    y, x = np.indices(shape)
    fig.add_trace(go.Scatter(
        x=x.ravel(), y=y.ravel(), mode="markers", showlegend=False, name="",
        marker=dict(symbol="square", size=14, color="rgba(0,0,0,0)"),
        customdata=np.stack([full.ravel(), label.ravel(), score.ravel(), weight.ravel(), rate.ravel()], axis=-1),
        hovertemplate=(f"%{{customdata[0]}}<br>%{{customdata[1]}}<br>{t('mu_score', lang)}: %{{customdata[2]:.2f}}"
                       f" / {t('mu_weight', lang)} %{{customdata[3]:.2f}}<br>{t('mu_scoring_rate', lang)}: "
                       f"%{{customdata[4]:.2f}}%<br><i>{t('mu_heatmap_click', lang)}</i><extra></extra>")))
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(codes))), side="top", tickangle=-45,
                     range=[-0.5, len(codes) - 0.5],
                     ticktext=list(names), tickfont=dict(size=11))
    order = ranking.set_index("department").loc[rows].reset_index()
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(rows))), ticktext=list(short_names(order).map(plotly)),
                     range=[len(rows) - 0.5, -0.5], tickfont=dict(size=11))       # best on top
    _level1_marks(fig, columns, lang)
    top = 200 if lang == "en" else 140      # room for the slanted column headers
    fig = styled(fig, None, height=ROW_HEIGHT * len(rows) + top + 60)
    fig.update_layout(margin=dict(t=top, b=40))
    return fig


def _mean_median_lines(fig: go.Figure, values: pd.Series, lang: str, suffix: str) -> None:
    for key, value, colour, dash in (("mu_mean", values.mean(), MEAN_COLOUR, "dash"),
                                     ("mu_median", values.median(), MEDIAN_COLOUR, "dot")):
        fig.add_trace(go.Scatter(x=[value, value], y=[-0.5, 0.5], mode="lines",
                                 line=dict(color=colour, dash=dash, width=2),
                                 name=f"{t(key, lang)} {value:.2f}{suffix}",
                                 hovertemplate=f"{t(key, lang)}: {value:.2f}{suffix}<extra></extra>"))


def distribution_chart(frame: pd.DataFrame, column: str, department: str, label: str, lang: str,
                       rate: bool = False) -> go.Figure:
    """Every department's value of one measure (box and points), the mean and median, one department marked.

    ``frame`` holds one row per department with ``department`` and ``column``.
    """
    suffix = "%" if rate else ""
    values = frame[column].astype(float)
    shown = plotly(department)
    fig = go.Figure(go.Box(
        x=values, y=np.zeros(len(values)), orientation="h", boxpoints="all", jitter=0.6, pointpos=0,
        name=t("mu_all_departments", lang), marker=dict(color=NEUTRAL, size=7, opacity=0.8),
        line=dict(color=SERIES[0]), fillcolor="rgba(21, 101, 192, 0.10)", text=frame["department"].map(plotly), hoveron="points",
        hovertemplate=f"%{{text}}: %{{x:.2f}}{suffix}<extra></extra>"))
    _mean_median_lines(fig, values, lang, suffix)
    chosen = frame[frame["department"] == department]
    if not chosen.empty:
        value = float(chosen[column].iloc[0])
        fig.add_trace(go.Scatter(x=[value], y=[0], mode="markers", name=f"{shown} {value:.2f}{suffix}",
                                 marker=dict(symbol="diamond", size=18, color=HIGHLIGHT,
                                             line=dict(color="white", width=1.5)),
                                 hovertemplate=f"{shown}: {value:.2f}{suffix}<extra></extra>"))
    fig.update_yaxes(visible=False, range=[-0.6, 0.6])
    fig.update_xaxes(title_text=label, ticksuffix=suffix)
    fig = styled(fig, t("mu_distribution_title", lang, measure=label, department=shown), height=330)
    fig.update_layout(legend=dict(y=-0.3))
    return fig


def indicator_distribution(indicators: pd.DataFrame, department: str, lang: str) -> go.Figure:
    """Scoring rate of every level-3 indicator across departments, with one department's rates marked."""
    rows = indicators.sort_values(["sort_order", "department"])
    names = _label(rows, lang)
    shown = plotly(department)
    rates = rows["scoring_rate"] * 100
    fig = go.Figure(go.Box(
        x=rates, y=names, orientation="h", boxpoints="all", jitter=0.5, pointpos=0, hoveron="points",
        name=t("mu_all_departments", lang), marker=dict(color=NEUTRAL, size=5, opacity=0.7),
        line=dict(color=SERIES[0], width=1), fillcolor="rgba(21, 101, 192, 0.08)", text=rows["department"].map(plotly),
        hovertemplate="%{text}<br>%{y}: %{x:.2f}%<extra></extra>"))
    chosen = rows[rows["department"] == department]
    fig.add_trace(go.Scatter(
        x=chosen["scoring_rate"] * 100, y=_label(chosen, lang), mode="markers", name=shown,
        marker=dict(symbol="diamond", size=13, color=HIGHLIGHT, line=dict(color="white", width=1)),
        customdata=np.stack([chosen["score"], chosen["weight"]], axis=-1),
        hovertemplate=(f"{shown}<br>%{{y}}: %{{x:.2f}}%<br>{t('mu_score', lang)} %{{customdata[0]:.2f}} / "
                       f"{t('mu_weight', lang)} %{{customdata[1]:.2f}}<extra></extra>")))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=list(dict.fromkeys(names)))
    fig.update_xaxes(title_text=t("mu_scoring_rate", lang), ticksuffix="%", range=[-3, 103])
    n = rows["code"].nunique()
    return styled(fig, t("mu_indicator_distribution_title", lang, department=shown), height=34 * n + 170)


def peer_chart(peers: pd.DataFrame, department: str, municipal_mean: float, lang: str) -> go.Figure:
    """Totals of the peer departments (best on top), the chosen one highlighted, with peer and municipal means."""
    ordered = peers.sort_values(["total", "department"], ascending=[False, True])
    labels = list(short_names(ordered).map(plotly))
    colours = [HIGHLIGHT if name == department else SERIES[0] for name in ordered["department"]]
    fig = go.Figure(go.Scatter(
        x=ordered["total"], y=labels, mode="markers+text", text=[f"{v:.2f}" for v in ordered["total"]],
        textposition="middle right", marker=dict(size=13, color=colours), showlegend=False,
        customdata=np.stack([ordered["department"].map(plotly), ordered["peer_rank"].astype(float)], axis=-1),
        hovertemplate=(f"%{{customdata[0]}}<br>{t('total', lang)}: %{{x:.2f}}<br>{t('mu_peer_rank', lang)}: "
                       "%{customdata[1]:.0f}<extra></extra>")))
    peer_mean = ordered["total"].mean()
    for name, value, colour, dash in ((t("mu_peer_mean", lang), peer_mean, SERIES[2], "dot"),
                                      (t("mu_mean", lang), municipal_mean, MEAN_COLOUR, "dash")):
        fig.add_trace(go.Scatter(x=[value, value], y=[labels[0], labels[-1]], mode="lines",
                                 line=dict(color=colour, dash=dash, width=2), name=f"{name} {value:.2f}",
                                 hovertemplate=f"{name}: {value:.2f}<extra></extra>"))
    low = min(ordered["total"].min(), municipal_mean)
    fig.update_xaxes(title_text=t("total", lang), range=[np.floor(low - 2), 101.5])
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    category = ordered["category"].iloc[0]
    return styled(fig, t("mu_peer_title", lang, category=plotly(category_name(category, lang))), height=34 * len(ordered) + 170)
