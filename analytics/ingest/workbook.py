"""Reads bulk-import files (.xlsx, or one .csv per sheet in UTF-8 or GBK) into raw sheet tables.

Nothing is interpreted here beyond finding sheets and columns; every problem becomes an Issue that
names the file, sheet, row and column.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics.ingest.template import SHEETS, Sheet, column_for, sheet_for

MAX_FILE_BYTES = 20 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0"        # encrypted (password-protected) workbooks and old .xls files


@dataclass
class Issue:
    file: str
    sheet: str | None
    row: int | None          # the row number a spreadsheet program shows (header is row 1)
    column: str | None
    code: str
    params: dict = field(default_factory=dict)
    evaluation: tuple | None = None      # (region, department, year) the issue belongs to, if any

    @property
    def blocks_file(self) -> bool:
        return self.evaluation is None


@dataclass
class RawSheet:
    file: str
    sheet: Sheet
    frame: pd.DataFrame       # columns: the template keys present, plus "_row"


def _issue(file: str, code: str, sheet: str | None = None, row=None, column=None, **params) -> Issue:
    return Issue(file, sheet, row, column, code, params)


def _decode(name: str, data: bytes) -> tuple[str | None, Issue | None]:
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return None, _issue(name, "file_encoding")


def _table(name: str, sheet: Sheet, rows: list[list], issues: list[Issue]) -> RawSheet | None:
    rows = [r for r in rows if any(c not in (None, "") and str(c).strip() for c in r)]
    if not rows:
        issues.append(_issue(name, "sheet_empty", sheet.name))
        return None
    header, body = rows[0], rows[1:]
    mapping = {}
    for index, cell in enumerate(header):
        if cell in (None, ""):
            continue
        column = column_for(sheet, cell)
        if column is None:
            issues.append(_issue(name, "unknown_column", sheet.name, 1, str(cell)))
        elif column.key in mapping.values():
            issues.append(_issue(name, "duplicate_column", sheet.name, 1, str(cell)))
        else:
            mapping[index] = column.key
    for column in sheet.columns:
        if column.required and column.key not in mapping.values():
            issues.append(_issue(name, "missing_column", sheet.name, 1, column.header))
    records = []
    for number, row in enumerate(body, start=2):
        record = {key: (row[index] if index < len(row) else None) for index, key in mapping.items()}
        record["_row"] = number
        records.append(record)
    frame = pd.DataFrame(records, columns=[*mapping.values(), "_row"], dtype=object)
    return RawSheet(name, sheet, frame)


def _read_xlsx(name: str, data: bytes, issues: list[Issue]) -> list[RawSheet]:
    from openpyxl import load_workbook
    if data[:4] == OLE_MAGIC:
        issues.append(_issue(name, "file_protected"))
        return []
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        issues.append(_issue(name, "file_unreadable", reason=type(exc).__name__))
        return []
    sheets = []
    try:
        for worksheet in book.worksheets:
            sheet = sheet_for(worksheet.title)
            if sheet is None:
                if worksheet.title not in ("说明", "README", "Notes"):
                    issues.append(_issue(name, "unknown_sheet", worksheet.title))
                continue
            table = _table(name, sheet, [list(r) for r in worksheet.iter_rows(values_only=True)], issues)
            if table is not None:
                sheets.append(table)
    except Exception as exc:           # a damaged part inside a valid zip: still the user's file's fault
        issues.append(_issue(name, "file_unreadable", reason=type(exc).__name__))
        return []
    finally:
        book.close()
    return sheets


def _read_csv(name: str, data: bytes, issues: list[Issue]) -> list[RawSheet]:
    sheet = sheet_for(Path(name).stem)
    if sheet is None:
        issues.append(_issue(name, "unknown_sheet", Path(name).stem))
        return []
    text, problem = _decode(name, data)
    if problem:
        issues.append(problem)
        return []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        issues.append(_issue(name, "file_unreadable", reason=str(exc)))
        return []
    table = _table(name, sheet, rows, issues)
    return [table] if table is not None else []


def read_files(files: list[tuple[str, bytes]]) -> tuple[list[RawSheet], list[Issue]]:
    """(file name, bytes) pairs → the recognised sheets and the problems found reading them."""
    sheets, issues = [], []
    for name, data in files:
        if len(data) > MAX_FILE_BYTES:
            issues.append(_issue(name, "file_too_large", limit_mb=MAX_FILE_BYTES // (1024 * 1024)))
        elif not data.strip():
            issues.append(_issue(name, "file_empty"))
        elif name.lower().endswith(".xlsx"):
            sheets += _read_xlsx(name, data, issues)
        elif name.lower().endswith(".csv"):
            sheets += _read_csv(name, data, issues)
        else:
            issues.append(_issue(name, "file_type"))
    if not any(s.sheet.key == "evaluations" for s in sheets) and not any(i.code.startswith("file_") for i in issues):
        issues.append(_issue(files[0][0] if files else "", "missing_sheet", sheet=[s for s in SHEETS
                                                                                   if s.key == "evaluations"][0].name))
    return sheets, issues
