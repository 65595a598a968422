"""Reads bulk-import files (.xlsx, or one .csv per sheet in UTF-8 or GBK) into raw sheet tables.

Nothing is interpreted here beyond finding sheets and columns; every problem becomes an Issue that
names the file, sheet, row and column.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from analytics.ingest.template import SHEETS, Sheet, column_for, sheet_for

MAX_FILE_BYTES = 20 * 1024 * 1024          # the upload itself
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024  # all parts of an .xlsx inflated
MAX_ROWS = 50_000                          # per sheet; a region's whole history is a few thousand rows
MAX_COLUMNS = 64                           # per sheet; the widest template sheet has 27 columns
MAX_CELL_CHARS = 32_767                    # Excel's own limit for one cell
OLE_MAGIC = b"\xd0\xcf\x11\xe0"              # encrypted (password-protected) workbooks and old .xls files


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


class Refused(Exception):
    """A file that cannot be read at all; carries the one Issue that says why."""

    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


@dataclass(frozen=True)
class Percent:
    """A number read from a %-formatted cell: the cell holds 0.0804 and shows 8.04 %."""
    fraction: float

    @property
    def points(self) -> float:
        """The percentage the cell shows (8.04), computed in decimal so that no binary noise is added."""
        return float(Decimal(repr(self.fraction)) * 100)

    def __str__(self) -> str:
        return f"{self.points:g}%"


FORMULA_WITHOUT_VALUE = object()    # a formula cell whose result was never calculated and saved


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


def _table(name: str, sheet: Sheet, rows, issues: list[Issue]) -> RawSheet | None:
    """The sheet's records from ``rows``, (row number, {column number: value}) pairs in order."""
    mapping, records = None, []
    for number, cells in rows:
        if not any(v is FORMULA_WITHOUT_VALUE or str(v).strip() for v in cells.values()):
            continue
        if mapping is None:
            mapping = _header(name, sheet, number, cells, issues)
            continue
        record = {}
        for index, key in mapping.items():
            value = cells.get(index)
            if value is FORMULA_WITHOUT_VALUE:
                issues.append(_issue(name, "formula_without_value", sheet.name, number, sheet.column(key).header))
                value = None
            record[key] = value
        record["_row"] = number
        records.append(record)
    if mapping is None:
        issues.append(_issue(name, "sheet_empty", sheet.name))
        return None
    frame = pd.DataFrame(records, columns=[*mapping.values(), "_row"], dtype=object)
    return RawSheet(name, sheet, frame)


def _header(name: str, sheet: Sheet, number: int, cells: dict, issues: list[Issue]) -> dict:
    """{column number: template key} of a header row; unknown, repeated and missing columns are issues."""
    mapping = {}
    for index, cell in sorted(cells.items()):
        if cell is FORMULA_WITHOUT_VALUE or not str(cell).strip():
            continue
        column = column_for(sheet, cell)
        if column is None:
            issues.append(_issue(name, "unknown_column", sheet.name, number, str(cell)))
        elif column.key in mapping.values():
            issues.append(_issue(name, "duplicate_column", sheet.name, number, str(cell)))
        else:
            mapping[index] = column.key
    for column in sheet.columns:
        if column.required and column.key not in mapping.values():
            issues.append(_issue(name, "missing_column", sheet.name, number, column.header))
    return mapping


def _read_xlsx(name: str, data: bytes, issues: list[Issue]) -> list[RawSheet]:
    from analytics.ingest.xlsx_reader import read_xlsx

    def readable_sheet(title: str, rows) -> RawSheet | None:
        sheet = sheet_for(title)
        if sheet is None:
            if title not in ("说明", "README", "Notes"):
                issues.append(_issue(name, "unknown_sheet", title, title=title))
            return None
        return _table(name, sheet, rows, issues)
    return [s for s in read_xlsx(name, data, readable_sheet) if s is not None]


def _csv_rows(name: str, sheet: Sheet, text: str):
    """(row number, {column number: value}) of a CSV file, within the same limits as a workbook."""
    too_large = Refused(_issue(name, "sheet_too_large", sheet.name, rows=MAX_ROWS, columns=MAX_COLUMNS))
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if number > MAX_ROWS:
            raise too_large
        cells = {index: value for index, value in enumerate(row, start=1) if value != ""}
        if cells and max(cells) > MAX_COLUMNS:
            raise too_large
        for index, value in cells.items():
            if len(value) > MAX_CELL_CHARS:
                raise Refused(_issue(name, "cell_too_long", sheet.name, number, None, limit=MAX_CELL_CHARS))
        yield number, cells


def _read_csv(name: str, data: bytes, issues: list[Issue]) -> list[RawSheet]:
    sheet = sheet_for(Path(name).stem)
    if sheet is None:
        issues.append(_issue(name, "unknown_sheet", Path(name).stem, title=Path(name).stem))
        return []
    text, problem = _decode(name, data)
    if problem:
        issues.append(problem)
        return []
    try:
        table = _table(name, sheet, _csv_rows(name, sheet, text), issues)
    except csv.Error as exc:
        raise Refused(_issue(name, "file_unreadable", reason=type(exc).__name__)) from None
    return [table] if table is not None else []


def _read_file(name: str, data: bytes, issues: list[Issue]) -> list[RawSheet]:
    if len(data) > MAX_FILE_BYTES:
        raise Refused(_issue(name, "file_too_large", limit_mb=MAX_FILE_BYTES // (1024 * 1024)))
    if not data.strip():
        raise Refused(_issue(name, "file_empty"))
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(name, data, issues)
    if name.lower().endswith(".csv"):
        return _read_csv(name, data, issues)
    raise Refused(_issue(name, "file_type"))


def read_files(files: list[tuple[str, bytes]]) -> tuple[list[RawSheet], list[Issue]]:
    """(file name, bytes) pairs → the recognised sheets and the problems found reading them.

    A file that cannot be read at all gives exactly one issue saying why, whatever else was found in it."""
    sheets, issues, unreadable = [], [], False
    for name, data in files:
        found = []
        try:
            sheets += _read_file(name, data, found)
        except Refused as refused:
            found, unreadable = [refused.issue], True
        issues += found
    if not unreadable and not any(s.sheet.key == "evaluations" for s in sheets):
        issues.append(_issue(files[0][0] if files else "", "missing_sheet", sheet=[s for s in SHEETS
                                                                                   if s.key == "evaluations"][0].name))
    return sheets, issues
