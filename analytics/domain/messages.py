"""Issues and rule reasons in words (zh default, en), from their codes and parameters.

The strings live in ``analytics.texts.frameworks`` (to be listed in the translation table's sections).
"""
from __future__ import annotations

from analytics.domain.issues import Issue
from analytics.texts.frameworks import TEXT

DEFAULT_LANGUAGE = "zh"


def _t(key: str, lang: str, /, **values) -> str:
    entry = TEXT[key]
    return (entry.get(lang) or entry[DEFAULT_LANGUAGE]).format(**values)


def where(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    if issue.sheet and issue.row:
        return _t("fw_at_cell", lang, sheet=issue.sheet, row=issue.row, column=issue.column or "—")
    if issue.sheet:
        return _t("fw_at_sheet", lang, sheet=issue.sheet)
    return _t("fw_at_path", lang, path=issue.path)


def issue_words(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """What the issue is, without where."""
    return _t(f"fw_issue_{issue.code}", lang, **issue.params)


def describe(issue: Issue, lang: str = DEFAULT_LANGUAGE) -> str:
    """"<where>: <what>", with "warning" marked."""
    text = f"{where(issue, lang)}: {issue_words(issue, lang)}"
    return f"{_t('fw_warning', lang)} · {text}" if issue.severity == "warning" else text


def reason_text(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A rule's reason for giving no score, or a finding on a score, in words."""
    key = f"fw_reason_{code}" if f"fw_reason_{code}" in TEXT else f"fw_finding_{code}"
    return _t(key, lang)
