"""Property tests: four hundred malformed workbooks and report texts (derandomized, the same every run);
none crashes an importer, each is rejected with a message (leaving the database byte-for-byte unchanged)
or imported correctly."""
import hashlib
import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from analytics import compare, versions
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_frames, write_workbook
from analytics.ingest.messages import issue_table
from analytics.ingest.report_import import import_report
from analytics.ingest.report_parser import ReportParseError
from analytics.ingest.template import EVALUATIONS, INDICATORS
from analytics.store import Store

EXAMPLES = 400
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base_workbook(demo_db_master) -> bytes:
    store = Store(demo_db_master, read_only=True)
    frames = export_frames(store, 2022)
    store.close()
    keep = {"北京市商务局", "北京市财政局"}
    for key in ("departments", "evaluations", "indicator_scores"):
        frames[key] = frames[key][frames[key]["department"].isin(keep)]
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def small_db(tmp_path_factory, base_workbook):
    path = tmp_path_factory.mktemp("props") / "small.duckdb"
    assert import_files(path, [("base.xlsx", base_workbook)], create_departments=True).accepted
    return path


values = st.one_of(st.none(), st.just(""), st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12), st.integers(-10**12, 10**12),
                   st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                   st.sampled_from(["1,234.5", "86.17%", "优秀", "中等", "2022", "-0", "1e400", "北京市", " "]))
cell_edits = st.tuples(st.sampled_from([EVALUATIONS, INDICATORS]), st.integers(1, 20), st.integers(1, 40), values)


def mutate(data: bytes, edits, structure: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for sheet, row, column, value in edits:
        ws = book[sheet.name]
        cell = ws.cell(row=min(row, ws.max_row + 1), column=min(column, ws.max_column + 1))
        cell.value = value if not isinstance(value, float) or value == value else None
    if structure == "drop_evaluations":
        del book[EVALUATIONS.name]
    elif structure == "rename_sheet":
        book[INDICATORS.name].title = "指标"
    elif structure == "clear_header":
        book[EVALUATIONS.name].cell(row=1, column=3).value = None
    elif structure == "duplicate_row":
        ws = book[EVALUATIONS.name]
        ws.append([c.value for c in ws[2]])
    out = io.BytesIO()
    book.save(out)
    raw = out.getvalue()
    return raw[: len(raw) // 2] if structure == "truncate" else raw


def evaluations_in(path):
    store = Store(path, read_only=True)
    try:
        return {(r[0], r[1]): r[2] for r in store.rows(
            "SELECT d.name, e.year, e.reported_score_total FROM evaluations e JOIN departments d ON d.id = e.department_id")}
    finally:
        store.close()


@SETTINGS
@given(edits=st.lists(cell_edits, min_size=1, max_size=4),
       structure=st.sampled_from(["none", "none", "none", "drop_evaluations", "rename_sheet", "clear_header",
                                  "duplicate_row", "truncate"]),
       valid_rows_only=st.booleans())
def test_malformed_workbooks(small_db, base_workbook, edits, structure, valid_rows_only):
    data = mutate(base_workbook, edits, structure)
    before = digest(small_db)
    result = import_files(small_db, [("mutated.xlsx", data)], valid_rows_only=valid_rows_only)
    if not result.accepted:
        assert result.issues and digest(small_db) == before
        messages = issue_table(result.issues, "zh")["问题"]
        assert messages.str.len().gt(0).all()
        return
    stored = evaluations_in(small_db)
    for region, department, year in result.imported:
        assert (department, year) in stored


report_edits = st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 200), st.text(max_size=20)), max_size=4)


@SETTINGS
@given(edits=report_edits)
def test_malformed_report_texts(small_db, seed_report, tmp_path_factory, edits):
    text = seed_report.read_text(encoding="utf-8")
    for start, length, insert in edits:
        start = min(start, len(text))
        text = text[:start] + insert + text[start + length:]
    path = tmp_path_factory.mktemp("r") / "report.txt"
    path.write_text(text, encoding="utf-8")
    before = digest(small_db)
    try:
        with versions.new_version(small_db, versions.Change("import", "property test")) as draft:
            outcome = import_report(draft.store, path, replace=True)
    except (ReportParseError, ValueError) as error:
        assert str(error) and digest(small_db) == before
        return
    store = Store(small_db, read_only=True)
    try:
        assert compare.find_evaluation(store, outcome.department, outcome.year) == outcome.evaluation_id
    finally:
        store.close()
