"""Figures of the what-if and rule-change pages: moved indicators, sensitivity tornado, scenario
comparison and rank shifts."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.escape import plotly
from analytics.charts.style import GAIN, LOSS, MEAN_COLOUR, NEUTRAL, SERIES, styled
from analytics.domain.model import Framework
from analytics.i18n import t
from analytics.scenario_text import indicator_name

# Above the plot, under the title: below it, a legend would collide with the axis title or tick labels.
TOP_LEGEND = dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0)
FIGURE_INPUTS = ("execution_rate", "carryover_rate", "final_account_diff_rate", "carryover_rate_prev",
                 "municipal_avg_diff_rate")


def moved_waterfall(fw: Framework, changed: dict, actual_total: float, scenario_total: float, lang: str,
                    title: str | None = None) -> go.Figure:
    """The actual total, one bar per indicator whose score moved (before → after), the scenario total;
    ``fw`` names the indicators (an evaluation's concrete tree)."""
    codes = list(changed)
    moves = [round(changed[c][1] - changed[c][0], 2) for c in codes]
    labels = [t("wi_actual_total", lang), *(plotly(indicator_name(c, lang, fw)) for c in codes), t("wi_scenario_total", lang)]
    values = [actual_total, *moves, scenario_total]
    text = [f"{actual_total:.2f}", *(f"{m:+.2f}" for m in moves), f"{scenario_total:.2f}"]
    hover = [text[0], *(f"{changed[c][0]:.2f} → {changed[c][1]:.2f} ({m:+.2f})" for c, m in zip(codes, moves)),
             text[-1]]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=labels, x=values, measure=["absolute", *["relative"] * len(moves), "total"], text=text,
        textposition="outside", cliponaxis=False, hovertext=hover, hovertemplate="%{y}: %{hovertext}<extra></extra>",
        increasing=dict(marker_color=GAIN), decreasing=dict(marker_color=LOSS), totals=dict(marker_color=MEAN_COLOUR),
        connector=dict(line=dict(color=NEUTRAL, width=1))))
    running = [actual_total]
    for move in moves:
        running.append(running[-1] + move)
    pad = max(2.0, 0.35 * (max(running) - min(running)))
    fig.update_xaxes(range=[max(0.0, min(running) - pad), max(running) + pad], title_text=t("wi_points", lang))
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, height=max(260, 130 + 40 * len(labels)))


def sensitivity_label(row: dict, fw: Framework, lang: str) -> str:
    """What one unit of the input is, in words: a rate point, one checklist item, one qualitative point."""
    if row["input"] in FIGURE_INPUTS:
        return t(f"wi_sens_{row['input']}", lang)
    prefix, _, code = row["input"].rpartition(":")
    if not prefix and fw.figure(code) is not None:               # a figure only other rule kinds read
        figure = fw.figure(code)
        return t("wi_sens_figure", lang, name=figure.zh if lang == "zh" else figure.en, delta=row["delta"],
                 unit=figure.unit)
    leaf = fw.node(row["indicator"])
    name = indicator_name(leaf.code, lang, fw)
    if prefix == "actual":
        return t("wi_sens_actual", lang, name=name, delta=row["delta"], unit=row.get("unit") or "")
    if prefix == "coefficient":
        return t("wi_sens_coefficient", lang, name=name)
    key = "wi_sens_check" if leaf.rule.kind == "checklist" else "wi_sens_judged"
    return t(key, lang, name=name)


def tornado(rows: list[dict], fw: Framework, lang: str, title: str | None = None) -> go.Figure:
    """goal_seek.sensitivity as a tornado: the gain of one unit better to the right, the loss of one
    unit worse to the left, the inputs with the biggest effect on top."""
    labels = [plotly(sensitivity_label(row, fw, lang)) for row in rows]
    fig = go.Figure()
    for column, name_key, colour in (("gain", "wi_sens_gain", GAIN), ("loss", "wi_sens_loss", LOSS)):
        values = [row[column] for row in rows]
        name = t(name_key, lang)
        fig.add_bar(y=labels, x=values, orientation="h", name=name, marker_color=colour,
                    text=[f"{v:+.2f}" if v else "" for v in values], textposition="outside", cliponaxis=False,
                    hovertext=[t("wi_sens_hover", lang, label=label, direction=name, value=v)
                               for label, v in zip(labels, values)],
                    hovertemplate="%{hovertext}<extra></extra>")
    reach = max([abs(row[c]) for row in rows for c in ("gain", "loss")] + [0.5])
    fig.update_xaxes(range=[-reach * 1.45, reach * 1.45], zeroline=True, zerolinecolor=MEAN_COLOUR,
                     title_text=t("wi_sens_axis", lang))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    styled(fig, title, height=max(320, 120 + 26 * len(rows)))
    fig.update_layout(barmode="relative", bargap=0.3, legend=TOP_LEGEND, margin=dict(t=80 if title else 50))
    return fig


def scenario_comparison(frame: pd.DataFrame, fw: Framework, lang: str, title: str | None = None) -> go.Figure:
    """Grouped bars: each level-1 score and the total, one colour per scenario (the actual first, grey)."""
    items = [(node.code, indicator_name(node.code, lang, fw)) for node in fw.nodes] + [("total", t("total", lang))]
    fig = go.Figure()
    for n, row in enumerate(frame.itertuples(index=False)):
        values = [getattr(row, code) for code, _ in items]
        colour = NEUTRAL if n == 0 else SERIES[(n - 1) % len(SERIES)]
        fig.add_bar(x=[label for _, label in items], y=values, name=plotly(row.name), marker_color=colour,
                    text=[f"{v:.2f}" for v in values], textposition="outside", cliponaxis=False,
                    hovertext=[t("wi_bar_hover", lang, scenario=plotly(row.name), item=label, value=v)
                               for (_, label), v in zip(items, values)],
                    hovertemplate="%{hovertext}<extra></extra>")
    fig.update_yaxes(range=[0, 108], title_text=t("wi_points", lang))
    styled(fig, title, height=400)
    fig.update_layout(barmode="group", bargap=0.25, legend=TOP_LEGEND, margin=dict(t=80 if title else 40))
    return fig


def rank_shift(frame: pd.DataFrame, lang: str, title: str | None = None) -> go.Figure:
    """One bar per department whose rank moved under a rule change, biggest rise on top (+ = moved up)."""
    moved = frame[frame["rank_shift"] != 0].sort_values(["rank_shift", "new_rank"], ascending=[False, True])
    labels = moved["short_name"].fillna(moved["department"]) if "short_name" in moved else moved["department"]
    shifts = moved["rank_shift"].astype(int)
    fig = go.Figure(go.Bar(
        y=list(labels.map(plotly)), x=list(shifts), orientation="h", marker_color=[GAIN if s > 0 else LOSS for s in shifts],
        text=[t("rc_shift_text", lang, shift=s, old=o, new=n)
              for s, o, n in zip(shifts, moved["old_rank"], moved["new_rank"])],
        textposition="outside", cliponaxis=False,
        hovertext=[t("rc_shift_hover", lang, name=plotly(d), old=o, new=n, shift=s, change=c)
                   for d, o, n, s, c in zip(moved["department"], moved["old_rank"], moved["new_rank"], shifts,
                                            moved["total_change"])],
        hovertemplate="%{hovertext}<extra></extra>"))
    reach = max([abs(int(s)) for s in shifts] + [1])
    fig.update_xaxes(range=[-reach * 2.2, reach * 2.2], zeroline=True, zerolinecolor=MEAN_COLOUR,
                     title_text=t("rc_rank_shift", lang))
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12))
    return styled(fig, title, height=max(300, 110 + 21 * len(moved)))
