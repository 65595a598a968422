"""Figures of the department page: score tree, deductions waterfall, rates and level-2 comparison."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analytics.breakdown import ROOT_ID
from analytics.escape import plotly
from analytics.charts.style import GAIN, HIGHLIGHT, LOSS, MEAN_COLOUR, MEDIAN_COLOUR, NEUTRAL, styled
from analytics.i18n import t

# Scoring rate 0 → red, 0.6 → amber, 1 → green.
RATE_SCALE = [[0.0, LOSS], [0.6, "#F9A825"], [1.0, GAIN]]


TREE_WIDTH = 0.64     # the icicle's share of the width; the colour bar and the list of losses sit to its right
TALL_CELL = 0.1       # share of the total from which a cell has room for its points on a second line
INDENT = "\u00a0"     # a space SVG text does not collapse
LIST_EMS = 25         # the list's width in ems of its font: a longer entry puts its points on a line of their own


def _ems(text: str) -> float:
    return sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in text)


def _lost_points(nodes: pd.DataFrame, lang: str) -> str:
    """Every cell that lost points, by name, for the list beside the score tree (cells of a few points
    are too small for their label): each level-1 cell, under it each group at every depth, under that
    each indicator with its points (a group holding just one indicator of the same name is that line)."""
    lost = nodes[(nodes["lost"] > 0) & (nodes["id"] != ROOT_ID)].set_index("id")
    total = float(nodes.loc[nodes["id"] == ROOT_ID, "lost"].sum())
    lines = [f"<b>{plotly(t('dp_tree_lost', lang, lost=total))}</b>"]

    def line(indent: int, label: str, points: str, bold: bool = False) -> None:
        name = f"<b>{plotly(label)}</b>" if bold else plotly(label)
        if _ems(INDENT * indent + label + points) > LIST_EMS:
            lines.extend([INDENT * indent + name, INDENT * (indent + 4) + points.strip()])
        else:
            lines.append(INDENT * indent + name + points)

    def children(node: str):
        return [i for i in lost.index if lost.at[i, "parent"] == node]

    def visit(node: str, indent: int) -> None:
        row = lost.loc[node]
        if row["leaf"]:
            line(indent, row["label"], f"  {row['score']:.2f} / {row['weight']:g}  −{row['lost']:.2f}")
            return
        below = children(node)
        same = len(below) == 1 and lost.at[below[0], "leaf"] and lost.at[below[0], "label"] == row["label"]
        if same:
            return visit(below[0], indent)
        line(indent, row["label"], f"  −{row['lost']:.2f}", bold=indent == 0)
        for child in below:
            visit(child, indent + 2)

    for level1 in children(ROOT_ID):
        visit(level1, 0)
    return "<br>".join(lines)


def score_tree(nodes: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """An icicle from the total down to the leaf indicators: area is the weight, colour the scoring rate,
    hover the points earned and lost; beside it, every cell that lost points by name."""
    labels = nodes["label"].map(plotly).where(nodes["id"] != ROOT_ID, t("total", lang))
    hover = [t("dp_tree_hover", lang, label=label, score=score, weight=weight, lost=lost)
             for label, score, weight, lost in zip(labels, nodes["score"], nodes["weight"], nodes["lost"])]
    fig = go.Figure(go.Icicle(
        ids=nodes["id"], parents=nodes["parent"], labels=labels, values=nodes["weight"], branchvalues="total",
        text=[f"{s:.2f} / {w:g}" for s, w in zip(nodes["score"], nodes["weight"])],
        texttemplate=["%{label}<br>%{text}" if share >= TALL_CELL else "%{label}  %{text}"
                      for share in nodes["weight"] / nodes["weight"].max()], hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
        marker=dict(colors=nodes["rate"], colorscale=RATE_SCALE, cmin=0, cmax=1, showscale=True,
                    colorbar=dict(title=dict(text=t("dp_scoring_rate", lang), side="right"), tickformat=".0%", thickness=12,
                                  x=TREE_WIDTH + 0.005, xanchor="left")),
        tiling=dict(orientation="h"), sort=False, maxdepth=-1, domain=dict(x=[0, TREE_WIDTH])))
    fig.add_annotation(name="lost_points", text=_lost_points(nodes, lang), xref="paper", yref="paper",
                       x=TREE_WIDTH + 0.085, y=1, xanchor="left", yanchor="top", align="left", showarrow=False,
                       font=dict(size=12))
    styled(fig, title, height=640)
    # Text that does not fit its box is hidden rather than shrunk to an unreadable size; hover has it all.
    fig.update_layout(uniformtext=dict(minsize=10, mode="hide"))
    return fig


def waterfall(steps: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """Full marks, then one bar per indicator that lost points, then the final score."""
    labels = steps["label"].map(plotly).mask(steps["kind"] == "start", t("dp_full_marks", lang))
    labels = labels.mask(steps["kind"] == "total", t("dp_final_score", lang))
    labels = labels.mask(steps["kind"] == "rest", t("dp_printed_rest", lang))
    measure = steps["kind"].map({"start": "absolute", "deduction": "relative", "rest": "relative", "total": "total"})
    text = [f"{v:+.2f}" if kind in ("deduction", "rest") else f"{v:.2f}" for kind, v in zip(steps["kind"], steps["value"])]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=steps["value"], measure=measure, text=text, textposition="outside",
        cliponaxis=False, decreasing=dict(marker_color=LOSS), totals=dict(marker_color=MEAN_COLOUR),
        increasing=dict(marker_color=GAIN), connector=dict(line=dict(color=NEUTRAL, width=1)),
        hovertemplate="%{y}: %{text}<extra></extra>"))
    final = float(steps["value"].iloc[-1])
    low = max(0.0, math.floor((final - 3) / 5) * 5)
    fig.update_xaxes(range=[low, steps["value"].iloc[0] + 4], title_text=t("dp_points", lang))
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=max(300, 110 + 34 * len(steps)))


def rates(frame: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """The department's three rates beside the municipal mean and the published average (where one exists)."""
    labels = [t(f"rate_{key}", lang) for key in frame["key"]]
    series = (("department", t("dp_this_department", lang), HIGHLIGHT),
              ("mean", t("mean", lang), MEAN_COLOUR), ("published", t("dp_published", lang), MEDIAN_COLOUR))
    fig = go.Figure()
    for column, name, colour in series:
        values = frame[column].astype(float)
        if values.isna().all():
            continue
        fig.add_bar(y=labels, x=values, name=name, orientation="h", marker_color=colour,
                    text=[f"{v:.2f}%" if pd.notna(v) else "" for v in values], textposition="outside",
                    cliponaxis=False, hovertext=[t("dp_rate_hover", lang, label=lab, series=name, value=v)
                                                 for lab, v in zip(labels, values.fillna(0))],
                    hovertemplate="%{hovertext}<extra></extra>")
    reach = float(frame[["department", "mean", "published"]].astype(float).max().max())
    fig.update_xaxes(range=[0, reach * 1.2], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    styled(fig, title, height=340)
    fig.update_layout(barmode="group")
    return fig


def level2_rates(frame: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """A dot plot: each level-2 indicator's scoring rate (%) for the department and the municipal mean."""
    own, mean = frame["rate"] * 100, frame["mean_rate"] * 100
    labels = frame["label"].map(plotly)
    links_x, links_y = [], []
    for label, a, b in zip(labels, own, mean):
        links_x += [a, b, None]
        links_y += [label, label, None]
    fig = go.Figure(go.Scatter(x=links_x, y=links_y, mode="lines", line=dict(color=NEUTRAL, width=2),
                               hoverinfo="skip", showlegend=False))
    for values, name, colour, symbol in ((own, t("dp_this_department", lang), HIGHLIGHT, "circle"),
                                         (mean, t("mean", lang), MEAN_COLOUR, "diamond")):
        fig.add_scatter(x=values, y=labels, mode="markers", name=name,
                        marker=dict(color=colour, size=13, symbol=symbol, line=dict(color="white", width=1)),
                        hovertext=[t("dp_rate_hover", lang, label=lab, series=name, value=v)
                                   for lab, v in zip(labels, values)],
                        hovertemplate="%{hovertext}<extra></extra>")
    low = max(0.0, math.floor((min(own.min(), mean.min()) - 5) / 10) * 10)
    fig.update_xaxes(range=[low - 4, 104], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=max(320, 120 + 36 * len(frame)))
