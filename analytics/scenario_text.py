"""Goal-seek answers as plain sentences with numbers, in the user's language."""
from __future__ import annotations

from analytics.framework import default_framework
from analytics.goal_seek import SeekAnswer
from analytics.i18n import grade_name, t
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.scenario import FAILED_PREFIX, SCORE_PREFIX


def indicator_name(code: str, lang: str) -> str:
    ind = default_framework().indicator(code)
    return ind.zh if lang == "zh" else ind.en


def goal_label(kind: str, value: float, lang: str, grade: str | None = None) -> str:
    if kind == "grade":
        return t("goal_grade", lang, grade=grade_name(grade, lang), minimum=value)
    return t("goal_rank" if kind == "rank" else "goal_score", lang, score=value)


def describe_seek(answer: SeekAnswer, goal: str, lang: str) -> str:
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
        parts.append(t("seek_rule_gain", lang, points=gain["points"], name=indicator_name(gain["indicator"], lang),
                       rule=gain["rule"], reported=gain["reported"], input=name))
    if not answer.reachable:
        separator = "、" if lang == "zh" else ", "
        items = separator.join(f"{indicator_name(code, lang)} {points:.2f}"
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


def describe_overrides(overrides: dict, lang: str) -> str:
    """A scenario's changed inputs in words, e.g. "执行数（万元） 276,864.00 · 绩效管理情况未通过 1 项"."""
    parts = []
    for key, value in overrides.items():
        if key.startswith(FAILED_PREFIX):
            parts.append(t("wi_failed_count", lang, name=indicator_name(key[len(FAILED_PREFIX):], lang), count=int(value)))
        elif key.startswith(SCORE_PREFIX):
            parts.append(f"{indicator_name(key[len(SCORE_PREFIX):], lang)} {value:.2f}")
        else:
            label = t("wi_avg_rate" if key == MUNICIPAL_AVG_DIFF_RATE else f"wi_{key}", lang)
            parts.append(f"{label} {value:,.2f}")
    return " · ".join(parts)
