"""Goal-seek answers on any framework (``analytics.domain.goal_seek``) as sentences, in the user's language.

``fw`` is the evaluation's concrete tree (``score_one.concrete``), so that the indicators it brought have names.
"""
from __future__ import annotations

from analytics.domain.goal_seek import LESS, MORE, NumericInput, SeekAnswer, SeekError
from analytics.domain.model import Framework
from analytics.i18n import t

_UNITS = {"万元": "seek_unit_wan_yuan", "项": "seek_unit_checks", "分": "seek_unit_points", "月": "seek_unit_month"}


def node_name(fw: Framework, code: str, lang: str) -> str:
    node = fw.node(code)
    return node.zh if lang == "zh" or not node.en else node.en


def input_name(fw: Framework, item: NumericInput, lang: str) -> str:
    """A figure's name, or "<leaf>未通过项数" / "failed checks of <leaf>" and the like."""
    if item.ref.field is None:
        return item.zh if lang == "zh" or not item.en else item.en
    leaf = item.zh if lang == "zh" or not item.en else item.en
    return t(f"seek_field_{item.ref.field}", lang, name=leaf)


def amount(item: NumericInput, value: float, lang: str) -> str:
    """A value with its unit: "276,805.72 万元", "0 项", "95.00%"."""
    number = f"{value:,.0f}" if item.step >= 1 else f"{value:,.2f}"
    if item.unit == "%":
        return f"{number}%"
    unit = t(_UNITS[item.unit], lang) if item.unit in _UNITS else item.unit
    return f"{number} {unit}".rstrip()


def error(exc: SeekError, inputs: list[NumericInput], lang: str) -> str:
    """A goal seek that cannot be asked, in words: the unknown input with the ones there are, or the grade."""
    if exc.code == "unknown_input":
        return t("seek_error_unknown_input", lang, input=exc.params["input"],
                 inputs=", ".join(str(item.ref) for item in inputs))
    if exc.code == "unknown_grade":
        return t("seek_error_unknown_grade", lang, grade=exc.params["grade"], grades=exc.params["grades"].replace("|", ", "))
    return t("seek_error_bad_value", lang, input=exc.params["input"], value=exc.params["value"])


def describe(fw: Framework, item: NumericInput, answer: SeekAnswer, goal: str, lang: str) -> str:
    if answer.already:
        return t("seek_already", lang, goal=goal, total=answer.total)
    name = input_name(fw, item, lang)
    if answer.reachable:
        way = {MORE: "more", LESS: "less"}.get(item.direction, "at")
        parts = [t(f"seek_input_{way}", lang, input=name, value=amount(item, answer.value, lang), total=answer.total,
                   goal=goal)]
        if answer.searched == "scan":
            parts.append(t("seek_input_scanned", lang))
    else:
        parts = [t("seek_unreachable", lang, input=name, goal=goal, best=answer.best_total, short=answer.shortfall)]
    if answer.rule_gain > 0 and answer.reachable:
        separator = "、" if lang == "zh" else ", "
        names = separator.join(f"“{node_name(fw, code, lang)}”" if lang == "zh" else node_name(fw, code, lang)
                               for code in item.leaves)
        parts.append(t("seek_rule_gain_leaves", lang, points=answer.rule_gain, names=names, input=name))
    if not answer.reachable:
        separator = "、" if lang == "zh" else ", "
        items = separator.join(f"{node_name(fw, code, lang)} {points:.2f}" for code, points in answer.other_room.items())
        parts.append(t("seek_room", lang, items=items) if items else t("seek_no_room", lang))
    text = ("" if lang == "zh" else " ").join(parts)
    return text[:1].upper() + text[1:]
