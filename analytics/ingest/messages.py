"""Validation issues as a table in the user's language (shown in the app, printed, downloadable)."""
from __future__ import annotations

import pandas as pd

from analytics.i18n import TEXT, t
from analytics.ingest.report_batch import BatchFileError
from analytics.ingest.report_import import ReportImportError
from analytics.ingest.report_parser import ReportParseError
from analytics.ingest.template import SHEETS
from analytics.ingest.workbook import Issue
from analytics.texts.frameworks import TEXT as FRAMEWORK_TEXT


def issue_text(issue: Issue, lang: str = "zh") -> str:
    """What an issue says; a problem of the evaluation's tree found by the framework engine in its words."""
    if issue.code == "framework_issue":
        params = dict(issue.params)
        entry = FRAMEWORK_TEXT[f"fw_issue_{params.pop('problem')}"]
        return (entry.get(lang) or entry["zh"]).format(**params)
    return t(f"v_{issue.code}", lang, **issue.params)


def issue_table(issues: list[Issue], lang: str = "zh") -> pd.DataFrame:
    rows = [{
        t("issue_file", lang): issue.file,
        t("issue_sheet", lang): issue.sheet or "",
        t("issue_row", lang): issue.row if issue.row is not None else "",
        t("issue_column", lang): issue.column or "",
        t("issue_message", lang): issue_text(issue, lang),
        t("issue_scope", lang): t("issue_scope_file" if issue.blocks_file else "issue_scope_row", lang),
    } for issue in issues]
    columns = [t(k, lang) for k in ("issue_file", "issue_sheet", "issue_row", "issue_column", "issue_message",
                                    "issue_scope")]
    return pd.DataFrame(rows, columns=columns)


def notice_text(notice: tuple[str, dict], lang: str = "zh") -> str:
    """A finding that does not block an import ((code, params), e.g. a changed or contradicted year
    parameter) in the user's language."""
    code, params = notice
    words = {key: "—" if value is None else format(value, "g") if isinstance(value, float) else value
             for key, value in params.items()}
    label = f"param_name_{params.get('parameter')}"
    if label in TEXT:
        words["parameter"] = t(label, lang)
    return t(f"v_{code}", lang, **words)


def error_text(error: Exception, lang: str = "zh") -> str:
    """Why a report was not imported, in the user's language where the error carries a code (a refusal of the
    parser, of the import or of the batch)."""
    return error.message(lang) if isinstance(error, (ReportImportError, ReportParseError, BatchFileError)) \
        else str(error)


def change_detail_text(codes: list[str], lang: str = "zh") -> list[str]:
    """What a version changed in a row (stored column names, a parameter key, a table) in the user's
    language: the import template's name of a column, a parameter's name, else the code itself."""
    labels = {column.key: column.zh for sheet in SHEETS for column in sheet.columns}
    words = []
    for code in codes:
        if f"change_detail_{code}" in TEXT:
            words.append(t(f"change_detail_{code}", lang))
        elif f"param_name_{code}" in TEXT:
            words.append(t(f"param_name_{code}", lang))
        else:
            words.append(labels[code] if lang == "zh" and code in labels else code)
    return words
