"""Reports on the national layout (部门整体支出绩效自评表): recognised by their headers, the department's own
level-3 indicators read with target, actual, weight and score, scored by the rules, checked, as text and .docx."""
from __future__ import annotations

import json

import docx
import pdfplumber
import pytest

from analytics.ingest.report_parser import ReportParseError, parse_report
from national_variants import HEADER, ROWS, NationalReport
from report_pdfs import html_page, print_pdf


def write(tmp_path, report: NationalReport, name: str = "national.txt"):
    path = tmp_path / name
    path.write_text(report.text(), encoding="utf-8")
    return path


def write_national_docx(report: NationalReport, path):
    """The narrative as paragraphs, the self-evaluation table as one Word table (short rows merged right)."""
    narrative = report.text().split("\t", 1)[0]
    document = docx.Document()
    for line in narrative.split("\n"):
        document.add_paragraph(line)
    rows = report.table_rows()
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for values, row in zip(rows, table.rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
        if len(values) < width:
            row.cells[len(values) - 1].merge(row.cells[width - 1])
    document.save(path)
    return path


def assert_reads(parsed: dict, report: NationalReport):
    expected = report.expected()
    assert parsed["framework"] == "national-self-evaluation"
    assert (parsed["department"], parsed["year"]) == (report.department, report.year)
    assert {k: parsed[k] for k in ("initial_budget_total", "budget_total", "budget_basic", "budget_project",
                                   "spent_total", "spent_basic", "spent_project")} == {
        "initial_budget_total": report.initial_budget_total, "budget_total": report.budget_total,
        "budget_basic": report.budget_basic, "budget_project": report.budget_project,
        "spent_total": report.spent_total, "spent_basic": report.spent_basic, "spent_project": report.spent_project}
    assert parsed["execution_rate"] == expected["execution_rate"]
    assert parsed["score_execution_rate"] == expected["execution_score"]
    assert (parsed["score_total"], parsed["grade"]) == (expected["score_total"], expected["grade"])
    assert [(r["level3"], r["target"], r["actual"], r["weight"], r["score"]) for r in parsed["indicators"]] == [
        (row.name, row.target.replace("，", ","), row.actual, row.weight, expected["printed"][row.name]) for row in ROWS]
    json.dumps(parsed, allow_nan=False)


def test_the_national_layout_is_recognised_and_read_by_its_headers(tmp_path):
    report = NationalReport()
    parsed = parse_report(write(tmp_path, report))
    assert_reads(parsed, report)
    rows = {row["level3"]: row for row in parsed["indicators"]}
    assert rows["义务教育巩固率"]["level1"] == "产出指标" and rows["义务教育巩固率"]["group"] == "output_quality"
    assert rows["教师培训人次"]["rule_score"] == 9.0 and rows["教师培训人次"]["deviation_reason"]
    assert rows["教育均衡发展水平"]["rule_score"] is None          # a judged target: no rule recomputes it
    assert all(check["agrees"] for check in parsed["checks"])
    assert parsed["rule_total"] == parsed["score_total"] and parsed["findings"] == []


def test_a_reported_score_that_disagrees_with_its_rule_is_a_finding_with_both_values(tmp_path):
    report = NationalReport(department="示例县卫生健康局", printed={"教师培训人次": 10.0})
    parsed = parse_report(write(tmp_path, report))
    row = next(r for r in parsed["indicators"] if r["level3"] == "教师培训人次")
    assert (row["score"], row["rule_score"]) == (10.0, 9.0)
    assert {"code": "score_not_rule", "indicator": "教师培训人次", "reported": 10.0, "rule": 9.0} in parsed["findings"]
    assert parsed["score_total"] == report.expected()["score_total"]          # as reported
    assert parsed["rule_total"] == round(parsed["score_total"] - 1.0, 2)


def test_a_total_that_is_not_the_sum_and_a_wrong_grade_are_findings(tmp_path):
    report = NationalReport()
    text = report.text().replace("\t96.61\n", "\t88.00\n")
    path = tmp_path / "national.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_report(path)
    codes = {finding["code"]: finding for finding in parsed["findings"]}
    assert codes["figures_differ"] == {"code": "figures_differ", "figure": "score_total", "table": 88.0,
                                       "narrative": 96.61}
    assert codes["scores_not_total"]["sum_of_parts"] == 96.61
    assert codes["grade_not_total"]["grade_of_total"] == "良"


def test_parts_that_do_not_add_up_are_a_finding(tmp_path):
    report = NationalReport()
    text = report.text().replace("\t440.00\n", "\t400.00\n", 1)
    path = tmp_path / "national.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_report(path)
    assert {"code": "parts_not_total", "figure": "spent_total", "reported": 1150.5,
            "sum_of_parts": 1110.5} in parsed["findings"]


def test_the_national_layout_as_a_word_table(tmp_path):
    report = NationalReport(year=2024, budget_basic=1234.56, budget_project=7890.12)
    parsed = parse_report(write_national_docx(report, tmp_path / "national.docx"))
    assert_reads(parsed, report)
    assert parsed | {"source_file": None, "source_sha256": None} == \
        parse_report(write(tmp_path, report)) | {"source_file": None, "source_sha256": None}


def test_a_national_report_without_its_total_names_it(tmp_path):
    report = NationalReport()
    text = report.text().replace("自评得分为96.61分，", "").replace("\t总分\n\t100\n\t96.61\n", "")
    path = tmp_path / "national.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportParseError) as refused:
        parse_report(path)
    assert refused.value.missing == ["score_total"]


def test_a_national_pdf_whose_table_goes_on_after_a_page_break_under_a_repeated_header(tmp_path):
    report = NationalReport(department="示例县交通运输局", printed={"义务教育巩固率": 9.0})
    rows = report.table_rows()
    at = next(i for i, row in enumerate(rows) if row[2:3] == ["指标5：生均公用经费支出"])
    rows = rows[:at] + [list(HEADER)] + rows[at:]           # the header printed again on the new page
    narrative = report.text().split("\t", 1)[0].split("\n")
    pdf = print_pdf(html_page(narrative, rows, break_before=at), tmp_path / "national.pdf")
    with pdfplumber.open(pdf) as printed:
        assert sum(1 for page in printed.pages if page.find_tables()) == 2
    parsed = parse_report(pdf)
    assert_reads(parsed, report)
    assert {"code": "score_not_rule", "indicator": "义务教育巩固率", "reported": 9.0, "rule": 10.0} in parsed["findings"]
