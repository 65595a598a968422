"""Goal-seek answers as plain sentences with numbers, in the user's language."""
from __future__ import annotations

from analytics.domain.model import Framework
from analytics.goal_seek import SeekAnswer
from analytics.i18n import TEXT, t
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import FAILED_PREFIX, LEAF_KEYS


def indicator_name(code: str, lang: str, fw: Framework) -> str:
    """A node's name in the framework (an evaluation's concrete tree names the indicators it brought)."""
    node = fw.node(code)
    return node.zh if lang == "zh" or not node.en else node.en


def input_label(key: str, lang: str, fw: Framework) -> str:
    """A figure input's label: the page's wording for the common figures, else the figure's name and unit."""
    if key == MUNICIPAL_AVG_DIFF_RATE:
        return t("wi_avg_rate", lang)
    if f"wi_{key}" in TEXT:
        return t(f"wi_{key}", lang)
    figure = fw.figure(key)
    unit = t("wi_unit_10k_yuan", lang) if figure.unit == "万元" else figure.unit
    return t("wi_figure_label", lang, name=figure.zh if lang == "zh" else figure.en, unit=unit)


def goal_label(kind: str, value: float, lang: str, grade: str | None = None, fw: Framework | None = None) -> str:
    """The goal in words; a grade goal names the grade in ``fw``'s words."""
    if kind == "grade":
        return t("goal_grade", lang, grade=fw.grade_label(grade, lang), minimum=value)
    return t("goal_rank" if kind == "rank" else "goal_score", lang, score=value)


def describe_seek(answer: SeekAnswer, goal: str, lang: str, fw: Framework) -> str:
    if answer.already:
        return t("seek_already", lang, goal=goal, total=answer.total)
    name = t(f"input_{answer.vary}", lang)
    if answer.input_unchanged:
        parts = [t("seek_unchanged", lang, input=name, goal=goal, value=answer.value, total=answer.total)]
    elif answer.reachable:
        parts = [t(f"seek_{answer.vary}", lang, value=answer.value, rate=answer.rate, total=answer.total, goal=goal)]
    else:
        parts = [t("seek_unreachable", lang, input=name, goal=goal, best=answer.best_total, short=answer.shortfall)]
    if answer.rule_gain:
        gain = answer.rule_gain
        parts.append(t("seek_rule_gain", lang, points=gain["points"], name=indicator_name(gain["indicator"], lang, fw),
                       rule=gain["rule"], reported=gain["reported"], input=name))
    if not answer.reachable:
        separator = "、" if lang == "zh" else ", "
        items = separator.join(f"{indicator_name(code, lang, fw)} {points:.2f}"
                               for code, points in (answer.other_room or {}).items())
        parts.append(t("seek_room", lang, items=items) if items else t("seek_no_room", lang))
    return ("" if lang == "zh" else " ").join(parts)


def describe_max_carryover(info: dict, lang: str) -> str:
    if not info.get("applicable"):
        return t("max_carryover_na", lang)
    return t("max_carryover", lang, amount=info["max_amount"], rate=info["rate"], previous=info["previous_rate"],
             current=info["current_amount"])


def describe_diff_no_loss(info: dict, lang: str) -> str:
    if not info.get("applicable"):
        return t("diff_no_loss_na", lang)
    return t("diff_no_loss", lang, rate=info["max_rate"], average=info["average"], final=info["max_final_account"])


def describe_overrides(overrides: dict, lang: str, fw: Framework) -> str:
    """A scenario's changed inputs in words, e.g. "执行数（万元） 276,864.00 · 绩效管理情况未通过 1 项"."""
    parts = []
    for key, value in overrides.items():
        prefix = next((p for p in LEAF_KEYS if key.startswith(p)), None)
        if prefix == FAILED_PREFIX:
            parts.append(t("wi_failed_count", lang, name=indicator_name(key[len(prefix):], lang, fw), count=int(value)))
        elif prefix is not None:
            parts.append(f"{indicator_name(key[len(prefix):], lang, fw)} {value:.2f}")
        else:
            parts.append(f"{input_label(key, lang, fw)} {value:,.2f}")
    return " · ".join(parts)
