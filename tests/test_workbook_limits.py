"""Damaged and hostile workbooks: every one is refused with one reason, quickly, and writes nothing.

The workbooks are small on disk; what would make them expensive (a declared width of 16,384
columns, rows past the limit, a cell longer than Excel allows, parts that inflate far beyond the
upload) is refused by the reader's limits before openpyxl reads the data, so no timer is needed:
the issue names the limit that stopped the read.
"""
import hashlib
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from analytics.ingest import workbook
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_frames, write_workbook
from analytics.ingest.messages import issue_table
from analytics.ingest.template import EVALUATIONS
from analytics.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHEET = "xl/worksheets/sheet3.xml"          # the evaluations sheet of an exported workbook

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>')
XXE = b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The dimension openpyxl declares for the evaluations sheet of ``base_xlsx`` (a header and two rows).
EVALUATIONS_DIMENSION = f'<dimension ref="A1:{get_column_letter(len(EVALUATIONS.columns))}3"/>'.encode()


@pytest.fixture(scope="module")
def base_xlsx(demo_db_master) -> bytes:
    store = Store(demo_db_master, read_only=True)
    frames = export_frames(store, 2022)
    store.close()
    for key in ("departments", "evaluations", "indicator_scores"):
        frames[key] = frames[key][frames[key]["department"].isin({"北京市商务局", "北京市财政局"})]
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    return buffer.getvalue()


def rewrite(data: bytes, part: str, change, extra: dict | None = None) -> bytes:
    """The workbook with one part changed (``change`` takes and returns the part's bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == part else content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def without_prolog(xml: bytes) -> bytes:
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def rows_appended(xml: bytes, rows: bytes) -> bytes:
    return xml.replace(b"</sheetData>", rows + b"</sheetData>")


CASES = {
    "styles": (lambda d: rewrite(d, "xl/styles.xml", lambda x: x[: len(x) // 2]), "file_unreadable"),
    "workbook": (lambda d: rewrite(d, "xl/workbook.xml", lambda x: x.replace(b"<sheets>", b"<sheets><")),
                 "file_unreadable"),
    "sheet": (lambda d: rewrite(d, SHEET, lambda x: x.replace(b"</row>", b"</rows>", 1)), "file_unreadable"),
    "content_types": (lambda d: rewrite(d, "[Content_Types].xml", lambda x: x[:-20]), "file_unreadable"),
    "billion_laughs": (lambda d: rewrite(d, SHEET, lambda x: BILLION_LAUGHS + without_prolog(x).replace(
        b"<sheetData>", b"<sheetData><row r=\"99\"><c r=\"A99\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>", 1)),
        "file_xml_dtd"),
    "xxe": (lambda d: rewrite(d, "xl/workbook.xml", lambda x: XXE + without_prolog(x).replace(
        "评价 (evaluations)".encode(), b"&xxe;")), "file_xml_dtd"),
    "declared_dimension": (lambda d: rewrite(d, SHEET, lambda x: x.replace(EVALUATIONS_DIMENSION,
                                                                          b'<dimension ref="A1:XFD1048576"/>')),
                           "sheet_too_large"),
    "wide_row": (lambda d: rewrite(d, SHEET, lambda x: rows_appended(x, b'<row r="4"><c r="XFD4"><v>1</v></c></row>')),
                 "sheet_too_large"),
    "many_rows": (lambda d: rewrite(d, SHEET, lambda x: rows_appended(x, b"<row/>" * (workbook.MAX_ROWS + 1))),
                  "sheet_too_large"),
    "far_row": (lambda d: rewrite(d, SHEET, lambda x: rows_appended(x, b'<row r="1048576"/>')), "sheet_too_large"),
    "huge_cell": (lambda d: rewrite(d, SHEET, lambda x: rows_appended(
        x, b'<row r="4"><c r="A4" t="inlineStr"><is><t>' + b"x" * (workbook.MAX_CELL_CHARS + 1) + b"</t></is></c></row>")),
        "cell_too_long"),
    "inflating_part": (lambda d: rewrite(d, "xl/styles.xml", lambda x: x,
                                         {"xl/media/padding.bin": b"\0" * (workbook.MAX_UNCOMPRESSED_BYTES + 1)}),
                       "file_uncompressed_too_large"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_or_hostile_workbook_gets_one_reason_and_writes_nothing(demo_db, base_xlsx, case):
    build, code = CASES[case]
    data = build(base_xlsx)
    assert len(data) < 1024 * 1024            # small on disk, whatever it claims to hold
    before = digest(demo_db)
    result = import_files(demo_db, [("hostile.xlsx", data)])
    assert not result.accepted and digest(demo_db) == before
    assert [i.code for i in result.issues] == [code], [(i.code, i.params) for i in result.issues]
    issue = result.issues[0]
    assert issue.blocks_file and issue.file == "hostile.xlsx"
    for lang in ("zh", "en"):
        message = issue_table(result.issues, lang).iloc[0, 4]
        assert message and "\n" not in message and "{" not in message
        assert "/" not in message.replace("file:///", "") and "site-packages" not in message


def test_the_limits_are_named_in_the_message(demo_db, base_xlsx):
    result = import_files(demo_db, [("wide.xlsx", CASES["declared_dimension"][0](base_xlsx))])
    issue = result.issues[0]
    assert issue.sheet == "评价 (evaluations)"
    assert f"{workbook.MAX_COLUMNS:,}" in issue_table(result.issues, "en").iloc[0, 4]
    assert f"{workbook.MAX_ROWS:,}" in issue_table(result.issues, "zh").iloc[0, 4]


@pytest.mark.parametrize("case", ["styles", "workbook", "sheet", "content_types", "billion_laughs", "xxe",
                                  "declared_dimension", "many_rows", "huge_cell", "inflating_part"])
def test_the_command_line_refuses_it_in_one_line_without_a_traceback(demo_db, base_xlsx, tmp_path, case):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(CASES[case][0](base_xlsx))
    before = digest(demo_db)
    env = {**os.environ, "ANALYTICS_DB": str(demo_db), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "analytics", "import", str(path), "--lang", "en"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.strip().splitlines()[-1].startswith("error:")
    assert digest(demo_db) == before


def test_csv_files_are_held_to_the_same_limits(demo_db, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    rows = "地区,部门名称,年度\n" + "北京市,测试,2022\n" * 20
    result = import_files(demo_db, [("评价.csv", rows.encode())])
    assert [i.code for i in result.issues] == ["sheet_too_large"]
    long_cell = "地区,部门名称,年度\n北京市," + "长" * (workbook.MAX_CELL_CHARS + 1) + ",2022\n"
    monkeypatch.undo()
    result = import_files(demo_db, [("评价.csv", long_cell.encode())])
    assert [i.code for i in result.issues] == ["cell_too_long"]
