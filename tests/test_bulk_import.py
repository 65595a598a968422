"""Bulk import of template workbooks: round trip per framework, every validation failure, all-or-nothing."""
import hashlib
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.ingest import workbook
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_frames, export_workbook, write_template, write_workbook
from analytics.ingest.messages import issue_table
from analytics.ingest.template import EVALUATIONS, INDICATORS, SHEETS
from analytics.store import Store

# Every score of every node and every total and grade, reported and by the rules, as the store's views give them,
# of one framework's evaluations.
SCORES_SQL = """
    SELECT d.region, d.name, e.year, e.source_kind, s.reported_total, s.reported_grade, s.rule_total, s.rule_grade,
           s.complete, r.code, r.parent, r.depth, r.weight, r.reported, r.printed, r.rule, r.rate, r.reason, r.finding,
           r.value
    FROM evaluations e JOIN departments d ON d.id = e.department_id
    JOIN evaluation_scores s ON s.evaluation_id = e.id JOIN node_results r ON r.evaluation_id = e.id
    WHERE e.framework_id = ? ORDER BY ALL"""
# Every stored input of every leaf (brought indicators' names, targets, actual values, units and 偏差原因 included).
INPUTS_SQL = """
    SELECT d.region, d.name, e.year, n.* EXCLUDE (evaluation_id, rule_id), r.kind, r.params
    FROM node_inputs n JOIN evaluations e ON e.id = n.evaluation_id JOIN departments d ON d.id = e.department_id
    JOIN rules r ON r.rule_id = n.rule_id WHERE e.framework_id = ? ORDER BY ALL"""
EVALUATIONS_SQL = """
    SELECT d.region, d.name, d.short_name, d.category, d.is_synthetic, e.* EXCLUDE (id, department_id, loaded_at)
    FROM evaluations e JOIN departments d ON d.id = e.department_id WHERE e.framework_id = ? ORDER BY ALL"""
FRAMEWORKS = ["beijing-2022", "national-self-evaluation"]
COUNTY = "示例县(合成)"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.fixture(scope="module")
def round_trip(demo_db_master, tmp_path_factory):
    """The whole demo database exported as a workbook and imported into an empty database."""
    folder = tmp_path_factory.mktemp("round_trip")
    source = Store(demo_db_master, read_only=True)
    out = export_workbook(source, folder / "all.xlsx")
    source.close()
    result = import_files(folder / "copy.duckdb", [(out.name, out.read_bytes())], create_departments=True)
    assert result.accepted, issue_table(result.issues, "en")
    return folder / "copy.duckdb"


@pytest.fixture(scope="module")
def frames_2022(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    frames = export_frames(store, 2022)
    store.close()
    return frames


def workbook_bytes(frames, edit=None) -> bytes:
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    if edit is None:
        return buffer.getvalue()
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def set_cell(sheet, key, row, value):
    """Set the cell of column ``key`` in data row ``row`` (1 = first data row) of a template sheet."""
    def edit(book):
        ws = book[sheet.name]
        headers = [c.value for c in ws[1]]
        ws.cell(row=row + 1, column=headers.index(sheet.column(key).header) + 1).value = value
    return edit


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_export_imports_back_unchanged_on_every_framework(demo_db_master, round_trip, framework):
    source, copy = Store(demo_db_master, read_only=True), Store(round_trip, read_only=True)
    for sql in (SCORES_SQL, INPUTS_SQL, EVALUATIONS_SQL):
        expected = source.df(sql, [framework])
        assert len(expected) > 0
        pd.testing.assert_frame_equal(expected, copy.df(sql, [framework]))
    printed = ("SELECT p.node, p.reported FROM node_reported p JOIN evaluations e ON e.id = p.evaluation_id "
               "WHERE e.framework_id = ? ORDER BY ALL")
    pd.testing.assert_frame_equal(source.df(printed, [framework]), copy.df(printed, [framework]))
    assert copy.scalar("SELECT count(*) FROM evaluations") == source.scalar("SELECT count(*) FROM evaluations")
    source.close()
    copy.close()


def test_the_template_example_holds_one_evaluation_of_each_framework(demo_db_master, tmp_path):
    source = Store(demo_db_master, read_only=True)
    path = write_template(tmp_path / "template.xlsx", source)
    source.close()
    result = import_files(tmp_path / "new.duckdb", [(path.name, path.read_bytes())], create_departments=True)
    assert result.accepted, issue_table(result.issues, "en")
    assert ("北京市", "北京市商务局", 2022) in result.imported and len(result.imported) == 2
    assert COUNTY in {region for region, _, _ in result.imported}
    blank = write_template(tmp_path / "blank.xlsx")
    sheets, issues = workbook.read_files([(blank.name, blank.read_bytes())])
    assert {s.sheet.key for s in sheets} <= {"departments", "parameters", "evaluations", "indicator_scores"}


EVAL_CASES = [
    ("budget_total", "abc", "not_a_number", "“abc”不是数字"),
    ("budget_total", -5, "negative_amount", "金额为负数"),
    ("budget_total", 2.9e9, "amount_in_yuan", "疑似以“元”"),
    ("spent_total", 9.9e7, "spent_above_budget", "高于全年预算数"),
    ("execution_rate", 120, "rate_out_of_range", "超出 0–100%"),
    ("score_total", 120, "score_out_of_range", "不在 0–100"),
    ("score_total", 10, "total_sum", "总分 10"),
    ("grade", "差", "grade_contradicts", "应为"),
    ("grade", "极好", "unknown_grade", "该指标体系的等级：优秀/良好/中/差"),
    ("year", "二〇二二", "not_a_number", "不是数字"),
    ("department", None, "required_value", "必填项为空"),
    ("source_kind", "guess", "bad_source_kind", "数据来源"),
    ("framework_id", "no-such-framework", "unknown_framework", "未知的指标体系“no-such-framework”"),
    ("framework_id", None, "required_value", "必填项为空"),
]


@pytest.mark.parametrize("column,value,code,message", EVAL_CASES)
def test_each_evaluation_problem_is_reported_with_row_and_column(demo_db, frames_2022, column, value, code, message):
    data = workbook_bytes(frames_2022, set_cell(EVALUATIONS, column, 3, value))
    before = digest(demo_db)
    result = import_files(demo_db, [("data.xlsx", data)])
    assert not result.accepted and digest(demo_db) == before
    found = [i for i in result.issues if i.code == code]
    assert found, [i.code for i in result.issues]
    assert found[0].file == "data.xlsx" and found[0].sheet == EVALUATIONS.name
    table = issue_table(result.issues, "zh")
    assert table["问题"].str.contains(message, regex=False).any(), table["问题"].tolist()
    if column not in ("department",):
        assert found[0].row == 4 and EVALUATIONS.column(column).header == found[0].column


def test_indicator_problems(demo_db, frames_2022):
    """Row 1 of the indicator sheet is the first Beijing department's printed level-1 score (budget execution,
    out of 20)."""
    cases = [("reported_score", 30, "score_out_of_range"), ("indicator_code", "nope", "unknown_indicator"),
             ("weight", 25, "weight_mismatch"), ("reported_score", 0, "node_sum"),
             ("parent", "budget_management", "parent_mismatch")]
    for column, value, code in cases:
        result = import_files(demo_db, [("d.xlsx", workbook_bytes(frames_2022, set_cell(INDICATORS, column, 1, value)))])
        assert not result.accepted and code in {i.code for i in result.issues}, (code, [i.code for i in result.issues])


def _county_row(frames, code) -> int:
    """The data row (1 = first) of indicator ``code`` of the county's first evaluation in the indicator sheet."""
    rows = frames["indicator_scores"].reset_index(drop=True)
    first = rows["department"] == rows.loc[rows["region"] == COUNTY, "department"].iloc[0]
    return int(rows.index[first & (rows["region"] == COUNTY) & (rows["indicator_code"] == code)][0]) + 1


def _county_brought(frames) -> pd.Series:
    rows = frames["indicator_scores"].reset_index(drop=True)
    county = rows[(rows["region"] == COUNTY) & rows["rule_kind"].notna()]
    return county.iloc[0]


COUNTY_CASES = [   # (column, value, code, message, column the issue names)
    ("reported_score", 99, "score_out_of_range", "得分 99", "reported_score"),
    ("weight", 3, "framework_issue", "的下级指标分值合计", None),
    ("rule_kind", "checklist", "kind_not_allowed", "计分方法“checklist”不能用于", "rule_kind"),
    ("parent", "no_group", "unknown_indicator", "未填写所属的开放指标组", "indicator_code"),
    ("indicator_name", None, "required_value", "必填项为空", "indicator_name"),
    ("actual_text", True, "not_a_number", "“True”不是数字", "actual_text"),
]


@pytest.mark.parametrize("column,value,code,message,named", COUNTY_CASES)
def test_each_problem_of_a_brought_indicator_names_its_row_and_column(demo_db, frames_2022, column, value, code,
                                                                      message, named):
    """The national layout: a department-written level-3 indicator with a bad score, a weight that breaks
    its group's sum, a rule kind its group does not allow, no group, no name."""
    brought = _county_brought(frames_2022)
    row = _county_row(frames_2022, brought["indicator_code"])
    before = digest(demo_db)
    result = import_files(demo_db, [("county.xlsx", workbook_bytes(frames_2022, set_cell(INDICATORS, column, row,
                                                                                           value)))])
    assert not result.accepted and digest(demo_db) == before
    found = [i for i in result.issues if i.code == code]
    assert found, [i.code for i in result.issues]
    if named is None:    # a sum that no longer adds up: no one row is wrong, the evaluation's row is named
        evaluations = frames_2022["evaluations"].reset_index(drop=True)
        at = (EVALUATIONS.name, int(evaluations.index[(evaluations["region"] == COUNTY) & (
            evaluations["department"] == brought["department"])][0]) + 2, None)
    else:
        at = (INDICATORS.name, row + 1, INDICATORS.column(named).header)
    assert (found[0].file, found[0].sheet, found[0].row, found[0].column) == ("county.xlsx", *at)
    assert issue_table(result.issues, "zh")["问题"].str.contains(message, regex=False).any()
    assert issue_table(result.issues, "en")["Problem"].str.len().min() > 0


def test_a_printed_score_that_is_not_the_sum_of_its_brought_indicators(demo_db, frames_2022):
    """产出指标 (outputs) as printed against the sum of its level-2 groups, which sum the brought indicators."""
    row = _county_row(frames_2022, "outputs")
    before = digest(demo_db)
    result = import_files(demo_db, [("sum.xlsx", workbook_bytes(frames_2022, set_cell(INDICATORS, "reported_score",
                                                                                        row, 1)))])
    assert not result.accepted and digest(demo_db) == before
    found = [i for i in result.issues if i.code == "node_sum"]
    assert found and found[0].row == row + 1 and found[0].column == INDICATORS.column("reported_score").header
    assert "产出指标得分 1" in issue_table(result.issues, "zh")["问题"].str.cat()
    assert "total_sum" in {i.code for i in result.issues}


def test_a_county_grade_in_beijings_words_is_unknown_there(demo_db, frames_2022):
    """The county's framework grades 优/良/中/差: a grade outside its labels and synonyms is refused, naming them."""
    rows = frames_2022["evaluations"].reset_index(drop=True)
    row = int(rows.index[rows["region"] == COUNTY][0]) + 1
    result = import_files(demo_db, [("g.xlsx", workbook_bytes(frames_2022, set_cell(EVALUATIONS, "grade", row,
                                                                                      "良好以上")))])
    found = [i for i in result.issues if i.code == "unknown_grade"]
    assert not result.accepted and found and found[0].row == row + 1
    assert "该指标体系的等级：优/良/中/差" in issue_table(result.issues, "zh")["问题"].str.cat()


def test_a_sheet_the_template_does_not_have_is_named(demo_db, frames_2022):
    def rename(book):
        book[INDICATORS.name].title = "Sheet1"
    before = digest(demo_db)
    result = import_files(demo_db, [("s.xlsx", workbook_bytes(frames_2022, rename))])
    found = [i for i in result.issues if i.code == "unknown_sheet"]
    assert not result.accepted and digest(demo_db) == before and found and found[0].sheet == "Sheet1"
    assert "无法识别的工作表“Sheet1”" in issue_table(result.issues, "zh")["问题"].str.cat()


def test_duplicates_unknown_columns_and_missing_columns(demo_db, frames_2022):
    frames = {k: v.copy() for k, v in frames_2022.items()}
    frames["evaluations"] = pd.concat([frames["evaluations"], frames["evaluations"].iloc[[0]]])
    frames["evaluations"]["mystery"] = 1
    frames["evaluations"] = frames["evaluations"].drop(columns=["score_total"])
    EVALUATIONS_WITH_EXTRA = EVALUATIONS.__class__(EVALUATIONS.key, EVALUATIONS.zh,
                                                   (*EVALUATIONS.columns, EVALUATIONS.columns[0].__class__("mystery", "神秘", "text")))
    data = io.BytesIO()
    with pd.ExcelWriter(data, engine="openpyxl") as writer:
        ev = frames["evaluations"]
        ev.rename(columns={c.key: c.header for c in EVALUATIONS_WITH_EXTRA.columns if c.key != "mystery"}) \
            .to_excel(writer, sheet_name=EVALUATIONS.name, index=False)
    result = import_files(demo_db, [("dup.xlsx", data.getvalue())])
    codes = {i.code for i in result.issues}
    assert {"duplicate_key", "unknown_column", "missing_column"} <= codes and not result.accepted


def test_unknown_departments_are_listed_and_can_be_created(demo_db, frames_2022):
    frames = {k: v.copy() for k, v in frames_2022.items()}
    for key in ("evaluations", "indicator_scores"):
        frames[key] = frames[key].replace({"北京市商务局": "北京市新设局"})
    frames["departments"] = frames["departments"][frames["departments"]["department"] != "北京市商务局"]
    data = workbook_bytes(frames)
    refused = import_files(demo_db, [("new.xlsx", data)])
    assert not refused.accepted and refused.unknown_departments == [("北京市", "北京市新设局")]
    assert "创建新部门" in issue_table(refused.issues)["问题"].str.cat()
    created = import_files(demo_db, [("new.xlsx", data)], create_departments=True)
    assert created.accepted and ("北京市", "北京市新设局", 2022) in created.imported


def test_valid_rows_only_imports_the_rest_and_only_when_asked(demo_db, frames_2022):
    data = workbook_bytes(frames_2022, set_cell(EVALUATIONS, "budget_total", 2, -1))
    assert not import_files(demo_db, [("p.xlsx", data)]).accepted
    result = import_files(demo_db, [("p.xlsx", data)], valid_rows_only=True)
    assert result.accepted and len(result.skipped) == 1 and len(result.imported) == len(frames_2022["evaluations"]) - 1


@pytest.mark.parametrize("name,data,code", [
    ("empty.xlsx", b"", "file_empty"),
    ("locked.xlsx", workbook.OLE_MAGIC + b"\x00" * 600, "file_protected"),
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "file_unreadable"),
    ("评价.csv", "地区,部门名称\n北京市,测试".encode("utf-16"), "file_encoding"),
    ("notes.txt", b"hello", "file_type"),
    ("其他.csv", "a,b\n1,2".encode("utf-8"), "unknown_sheet"),
])
def test_unreadable_files_are_refused(demo_db, name, data, code):
    result = import_files(demo_db, [(name, data)])
    assert not result.accepted and code in {i.code for i in result.issues}


def test_files_over_the_size_limit_are_refused(demo_db, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_FILE_BYTES", 100)
    result = import_files(demo_db, [("big.xlsx", b"x" * 200)])
    assert [i.code for i in result.issues] == ["file_too_large"]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_csv_per_sheet_in_utf8_or_gbk(tmp_path, frames_2022, encoding):
    files = []
    for sheet in (EVALUATIONS, INDICATORS):
        frame = frames_2022[sheet.key]
        frame = frame[frame["department"] == "北京市商务局"]
        labelled = frame[[c.key for c in sheet.columns if c.key in frame]].rename(
            columns={c.key: c.header for c in sheet.columns})
        files.append((f"{sheet.zh}.csv", labelled.to_csv(index=False).encode(encoding)))
    result = import_files(tmp_path / "csv.duckdb", files, create_departments=True)
    assert result.accepted, issue_table(result.issues, "en")
    store = Store(tmp_path / "csv.duckdb", read_only=True)
    assert store.scalar("SELECT reported_score_total FROM evaluations") == 90.73
    store.close()


def test_exports_too_large_for_excel_say_so(frames_2022, monkeypatch):
    from analytics.ingest import export
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 100)
    with pytest.raises(export.TooLargeForExcel, match="Parquet"):
        write_workbook(frames_2022, io.BytesIO())


def test_an_evaluation_imported_with_only_some_indicators_shows_the_others_as_missing(frames_2022, tmp_path):
    """Leaves without a row (a judged and a checklist indicator, whose rules need the row's score or
    count) have no score at all, the evaluation says it is incomplete, and an export writes them empty."""
    missing = ["output_quality", "fund_compliance"]
    frames = {k: v[v["department"] == "北京市商务局"].copy() if "department" in v else v.copy()
              for k, v in frames_2022.items()}
    rows = frames["indicator_scores"]
    frames["indicator_scores"] = rows[~rows["indicator_code"].isin(missing)]
    complete = import_files(tmp_path / "complete.duckdb",
                            [("all.xlsx", workbook_bytes({**frames, "indicator_scores": rows}))], create_departments=True)
    partial = import_files(tmp_path / "partial.duckdb", [("some.xlsx", workbook_bytes(frames))],
                           create_departments=True)
    assert complete.accepted and partial.accepted, issue_table(partial.issues, "en")
    store = Store(tmp_path / "complete.duckdb", read_only=True)
    assert store.scalar("SELECT complete FROM evaluation_scores") is True
    store.close()
    store = Store(tmp_path / "partial.duckdb", read_only=True)
    assert store.scalar("SELECT complete FROM evaluation_scores") is False
    leaves = store.df("SELECT code, reported, rule, value FROM node_results WHERE code IN (SELECT unnest(?))",
                      [missing]).set_index("code")
    assert sorted(leaves.index) == sorted(missing) and leaves.isna().all().all(), leaves
    exported = export_frames(store)["indicator_scores"].set_index("indicator_code")
    store.close()
    assert exported.loc[missing, "reported_score"].isna().all()


def test_an_empty_database_exports_every_sheet_with_all_its_headers(empty_store, tmp_path):
    out = tmp_path / "empty.xlsx"
    assert export_workbook(empty_store, out) == out
    book = load_workbook(out)
    for sheet in SHEETS:
        assert [c.value for c in book[sheet.name][1]] == [c.header for c in sheet.columns], sheet.key
