"""Reads an .xlsx upload into rows of cell values, within fixed limits, or refuses it with one Issue.

A workbook is a zip of XML parts, so a small upload can claim gigabytes.  Before openpyxl reads
anything, the archive's declared uncompressed sizes are checked (Python's zipfile never inflates a
member beyond its declared size: a member that lies fails its CRC) and every XML part is scanned once
with expat, building no tree: a document type declaration (the carrier of entity bombs and external
entities, never written by a spreadsheet program) refuses the file; so do rows, columns and text
beyond the limits in ``analytics.ingest.workbook``, and structural parts (styles, workbook, content
types …) with more entries than any real workbook has.  openpyxl (read-only, with defusedxml) then
streams each sheet row by row and never pads rows to a declared width.

Each cell keeps its meaning: a number in a %-formatted cell arrives as ``Percent`` (0.0804 shown as
8.04 %), a formula whose value was never calculated as ``FORMULA_WITHOUT_VALUE``.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from xml.parsers import expat

from analytics.ingest import workbook
from analytics.ingest.workbook import FORMULA_WITHOUT_VALUE, OLE_MAGIC, Issue, Percent, Refused

MAX_PARTS = 1_000                      # zip members; a template workbook has about 15
MAX_PART_ENTRIES = 100_000             # XML elements in a part other than a sheet or the shared strings
DATA_ROOTS = ("worksheet", "sst")      # the parts whose size grows with the data
SCAN_CHUNK = 64 * 1024

try:                                   # lxml is openpyxl's parser when installed (it comes with python-docx)
    from lxml.etree import LxmlError
except ImportError:                    # pragma: no cover - lxml is a dependency of python-docx
    LxmlError = ValueError

# What a damaged archive or part makes zipfile, zlib, expat, lxml, defusedxml or openpyxl raise.
DAMAGED_FILE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, LookupError, ValueError, TypeError,
                       AttributeError, SyntaxError, ArithmeticError, NotImplementedError, RuntimeError,
                       expat.ExpatError, LxmlError)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d*)$")


def _column_number(letters: str) -> int:
    if len(letters) == 1:              # most cells: the common case without a loop
        return ord(letters.upper()) - 64
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _reference(ref: str | None) -> tuple[int, int]:
    """(column, row) of a cell reference such as "XFD1048576"; 0 for a part that is missing."""
    match = _CELL_REF.match(ref or "")
    if not match:
        return 0, 0
    return _column_number(match.group(1)), int(match.group(2) or 0)


class _Stop(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


class _PartScan:
    """expat handlers counting what one XML part holds; ``_Stop`` ends the scan at the first excess."""

    def __init__(self):
        self.root = None
        self.entries = self.rows = self.last_row = self.cells = self.text = 0
        self.cell = None

    def start(self, tag: str, attrs: dict) -> None:
        name = tag.rsplit("}", 1)[-1]
        self.root = self.root or name
        self.entries += 1
        self.text = 0
        if self.root not in DATA_ROOTS and self.entries > MAX_PART_ENTRIES:
            raise _Stop("file_part_too_large", limit=MAX_PART_ENTRIES)
        if self.root != "worksheet":
            return
        if name == "dimension":
            self._within_sheet_limits(*_reference(str(attrs.get("ref", "")).split(":")[-1]))
        elif name == "row":
            self.rows += 1
            self.last_row = int(attrs["r"]) if str(attrs.get("r", "")).isdigit() else self.last_row + 1
            self.cells = 0
            self._within_sheet_limits(0, max(self.rows, self.last_row))
        elif name == "c":
            self.cells += 1
            self.cell = attrs.get("r")
            letters = (self.cell or "").rstrip("0123456789")
            column = _column_number(letters)
            self._within_sheet_limits(max(column, self.cells), 0)

    @staticmethod
    def _within_sheet_limits(column: int, row: int) -> None:
        if column > workbook.MAX_COLUMNS or row > workbook.MAX_ROWS:
            raise _Stop("sheet_too_large", rows=workbook.MAX_ROWS, columns=workbook.MAX_COLUMNS)

    def characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > workbook.MAX_CELL_CHARS:
            raise _Stop("cell_too_long", limit=workbook.MAX_CELL_CHARS, cell=self.cell or "")

    @staticmethod
    def doctype(*_) -> None:
        raise _Stop("file_xml_dtd")


def _looks_like_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with archive.open(info) as stream:
        head = stream.read(64).lstrip()
    return head[:1] == b"<" or head[:3] == b"\xef\xbb\xbf" or head[:2] in (b"\xff\xfe", b"\xfe\xff")


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Stop | None:
    """The first limit this part breaks, if any (a document type declaration is raised at once)."""
    scan = _PartScan()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True          # one call per text run, not one per character reference
    parser.StartElementHandler = scan.start        # a text run ends at the next element, or at the end
    parser.CharacterDataHandler, parser.StartDoctypeDeclHandler = scan.characters, scan.doctype
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(SCAN_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop as stop:
        if scan.root != "worksheet" or stop.code == "file_xml_dtd":
            raise
        return stop
    return None


def _check_archive(name: str, archive: zipfile.ZipFile) -> dict[str, _Stop]:
    """Refuses an archive that inflates beyond the limits; returns the sheets that break a sheet limit."""
    members = archive.infolist()
    if len(members) > MAX_PARTS or sum(m.file_size for m in members) > workbook.MAX_UNCOMPRESSED_BYTES:
        raise Refused(Issue(name, None, None, None, "file_uncompressed_too_large",
                            {"limit_mb": workbook.MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}))
    oversize = {}
    for member in members:
        if member.is_dir() or not _looks_like_xml(archive, member):
            continue
        try:
            stop = _scan(archive, member)
        except _Stop as refused:
            refused.params.pop("cell", None)
            raise Refused(Issue(name, None, None, None, refused.code, refused.params)) from None
        if stop is not None:
            oversize[member.filename] = stop
    return oversize


def _number_format_is_percent(number_format: str) -> bool:
    """Whether a number format scales by 100: a % outside quoted text and escapes ("0.00%", not '0"%"')."""
    plain = re.sub(r'"[^"]*"|\\.', "", number_format or "")
    return "%" in plain


def _sheet_rows(book, worksheet) -> Iterator[tuple[int, dict]]:
    """(row number, {column number: value}) for each row that has cells, without padding."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        """Reads cached values (data_only) but remembers a formula that has none."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = FORMULA_WITHOUT_VALUE
            return cell

    with book._archive.open(worksheet._worksheet_path) as source:
        parser = CellParser(source, worksheet._shared_strings, data_only=True, epoch=book.epoch,
                            date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
        for number, cells in parser.parse():
            values = {}
            for cell in cells:
                value = cell["value"]
                if cell["data_type"] == "n" and isinstance(value, (int, float)) and not isinstance(value, bool) \
                        and _number_format_is_percent(ReadOnlyCell(worksheet, **cell).number_format):
                    value = Percent(value)
                if value is not None:
                    values[cell["column"]] = value
            yield number, values


def read_xlsx(name: str, data: bytes, readable_sheet) -> list:
    """``readable_sheet(title, rows)`` of each worksheet, ``rows`` yielding (row number, {column: value}).

    Raises ``Refused`` with the one reason a file cannot be read."""
    if data[:4] == OLE_MAGIC:
        raise Refused(Issue(name, None, None, None, "file_protected"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            oversize = _check_archive(name, archive)
        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets = []
        try:
            for worksheet in book.worksheets:
                stop = oversize.get(worksheet._worksheet_path.lstrip("/"))
                if stop is not None:
                    column, row = _reference(stop.params.pop("cell", None))
                    raise Refused(Issue(name, worksheet.title, row or None, _letters(column), stop.code, stop.params))
                sheets.append(readable_sheet(worksheet.title, _sheet_rows(book, worksheet)))
        finally:
            book.close()
        return sheets
    except Refused:
        raise
    except DAMAGED_FILE_ERRORS as error:
        raise Refused(Issue(name, None, None, None, "file_unreadable", {"reason": type(error).__name__})) from None


def _letters(column: int) -> str | None:
    if not column:
        return None
    from openpyxl.utils import get_column_letter
    return get_column_letter(column)
