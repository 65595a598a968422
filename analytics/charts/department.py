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


DISPUTED_MARK = "⚠ "   # before the name of a step where the rule and the reported score differ


def _waterfall_labels(steps: pd.DataFrame, lang: str) -> pd.Series:
    names = {"start": "dp_full_marks", "total": "dp_final_score", "rest": "dp_printed_rest",
             "rule_rest": "dp_printed_rest", "rule_total": "dp_rule_total_step"}
    labels = steps["label"].map(plotly)
    for kind, key in names.items():
        labels = labels.mask(steps["kind"] == kind, t(key, lang))
    rule = steps["kind"] == "rule"
    labels = labels.mask(rule, [t("dp_rule_step", lang, name=name) for name in labels[rule]] if rule.any() else None)
    return labels.mask(steps["disputed"].astype(bool), DISPUTED_MARK + labels)


def _waterfall_text(steps: pd.DataFrame, lang: str) -> list[str]:
    text = []
    for kind, value, disputed, rule in zip(steps["kind"], steps["value"], steps["disputed"], steps["rule_value"]):
        shown = f"{value:+.2f}" if kind in ("deduction", "rest", "rule", "rule_rest") else f"{value:.2f}"
        text.append(t("dp_disputed_text", lang, reported=value, rule=rule) if kind == "deduction" and disputed
                    else shown)
    return text


def waterfall(steps: pd.DataFrame, lang: str, title: str | None = None,
              rule: pd.DataFrame | None = None) -> go.Figure:
    """Full marks, then one bar per indicator that lost points, then the final score; with ``rule``
    (breakdown.rule_steps), on to the total by the rules, one step per disputed indicator.  Every disputed
    step is marked (⚠ before its name, both scores in its text, a band behind its row)."""
    walk = pd.concat([steps, rule], ignore_index=True) if rule is not None and len(rule) else steps
    labels = _waterfall_labels(walk, lang)
    measure = walk["kind"].map({"start": "absolute", "deduction": "relative", "rest": "relative", "total": "total",
                                "rule": "relative", "rule_rest": "relative", "rule_total": "total"})
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=walk["value"], measure=measure, text=_waterfall_text(walk, lang),
        textposition="outside", cliponaxis=False, decreasing=dict(marker_color=LOSS),
        totals=dict(marker_color=MEAN_COLOUR), increasing=dict(marker_color=GAIN),
        connector=dict(line=dict(color=NEUTRAL, width=1)), hovertemplate="%{y}: %{text}<extra></extra>"))
    for row in walk.index[walk["disputed"].astype(bool)]:
        fig.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=row - 0.5, y1=row + 0.5, layer="below",
                      fillcolor=HIGHLIGHT, opacity=0.12, line_width=0, name="disputed")
    ends = walk.loc[walk["kind"].isin(["total", "rule_total"]), "value"].astype(float)
    low = max(0.0, math.floor((ends.min() - 3) / 5) * 5)
    fig.update_xaxes(range=[low, walk["value"].iloc[0] + 3], title_text=t("dp_points", lang))
    fig.update_yaxes(autorange="reversed")
    styled(fig, title, height=max(260, 90 + 30 * len(walk)))
    fig.update_layout(margin=dict(t=40 if title else 10, b=10))
    return fig


def _dots(fig: go.Figure, rows: pd.DataFrame, names: pd.Series, name: str, marker: dict, lang: str) -> None:
    fig.add_scatter(x=rows["total"], y=[0] * len(rows), mode="markers", name=name, marker=marker,
                    hovertext=[t("dp_position_hover", lang, name=n, total=v, rank=r)
                               for n, v, r in zip(names[rows.index], rows["total"], rows["rank"])],
                    hovertemplate="%{hovertext}<extra></extra>")


def _pointer(fig: go.Figure, x: float, text: str, colour: str, above: bool, side: str, lift: int = 30) -> None:
    """A label above or below a dot, its text running away from the nearer edge (``side``: "left" or
    "right", the side the text extends to) so it is never cut off."""
    fig.add_annotation(x=x, y=0, text=text, showarrow=True, arrowhead=0, arrowcolor=colour, ax=0,
                       ay=-lift if above else lift, xanchor="left" if side == "right" else "right",
                       font=dict(color=colour, size=12), bgcolor="rgba(255,255,255,0.85)")


def year_position(frame: pd.DataFrame, position: dict, lang: str, title: str | None = None) -> go.Figure:
    """The year's totals of the framework, one dot per department; the department shown highlighted with
    its reported total and (where it differs) the total by the rules and the rank it would take, and the
    departments of real reports marked with a star."""
    fig = go.Figure()
    names = frame["short_name"].fillna(frame["department"]).map(plotly)
    this = frame[frame["this"]].iloc[0]
    low = math.floor((float(frame["total"].min()) - 2) / 5) * 5

    def side(x: float) -> str:
        return "right" if x < (low + 101) / 2 else "left"

    _dots(fig, frame[~frame["this"] & ~frame["real"]], names, t("dp_other_departments", lang),
          dict(color=NEUTRAL, size=9, opacity=0.6, line=dict(color="white", width=1)), lang)
    real = frame[frame["real"] & ~frame["this"]]
    if len(real):
        _dots(fig, real, names, t("dp_real_report", lang),
              dict(color=GAIN, size=16, symbol="star", line=dict(color="white", width=1)), lang)
        for row in real.itertuples():
            _pointer(fig, row.total, t("dp_real_mark", lang, name=names[row.Index]), GAIN, True, side(row.total),
                     lift=52)
    _dots(fig, frame[frame["this"]], names, t("dp_this_department", lang),
          dict(color=HIGHLIGHT, size=18, symbol="star" if this["real"] else "circle", line=dict(color="white", width=2)),
          lang)
    _pointer(fig, this["total"], t("dp_position_this", lang, total=this["total"], rank=position["rank"]), HIGHLIGHT, True,
             side(this["total"]))
    rule_total = position.get("rule_total")
    if rule_total is not None and pd.notna(rule_total) and abs(rule_total - this["total"]) > 0.005:
        fig.add_scatter(x=[rule_total], y=[0], mode="markers", name=t("dp_by_the_rules", lang),
                        marker=dict(color="white", size=14, symbol="diamond", line=dict(color=HIGHLIGHT, width=3)),
                        hovertemplate="%{x:.2f}<extra></extra>")
        _pointer(fig, rule_total, t("dp_position_rule", lang, total=rule_total, rank=position["rule_rank"]), HIGHLIGHT,
                 False, side(rule_total))
    fig.add_vline(x=float(frame["total"].mean()), line=dict(color=MEAN_COLOUR, dash="dot", width=1))
    fig.update_xaxes(range=[low, 101])
    fig.update_yaxes(visible=False, range=[-1, 1.2])
    styled(fig, title, height=250)
    fig.update_layout(margin=dict(t=40 if title else 10, b=10), legend=dict(y=-0.18))
    return fig


def rates(frame: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """The department's three rates beside the mean of its framework and the published average (where one exists)."""
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
    """A dot plot: each level-2 indicator's scoring rate (%) for the department and the mean of its framework."""
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
