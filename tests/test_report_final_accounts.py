"""An evaluation printed inside a 部门决算 document, after its 决算 tables: only the evaluation's part is read."""
from __future__ import annotations

import docx

from analytics.ingest.report_parser import parse_report
from analytics.paths import SEED_REPORT
from report_pdfs import blocks_html, print_pdf
from report_variants import SEED_TEXT, split_text_report

IGNORED = {"source_file": None, "source_sha256": None}
EVALUATION_HEADING = "第四部分 2022年度部门绩效评价情况"


def final_accounts(evaluation: str, heading: str = EVALUATION_HEADING) -> str:
    """A 部门决算 whose first parts state other amounts, in prose and in a table with a 合计 row."""
    tables = "".join(f"\t{label}\n\t{amount}\n\n" for label, amount in (
        ("项目", "决算数"), ("合计", "300000.00"), ("基本支出", "40000.00"), ("项目支出", "260000.00")))
    return ("北京市商务局2022年度部门决算\n\n第一部分 北京市商务局概况\n\n一、部门职责\n\n负责全市商务工作。\n\n"
            "第二部分 2022年度部门决算表\n\n二、收入支出预算执行情况\n\n"
            "2022年全年预算数300000.00万元，其中，基本支出预算数40000.00万元，项目支出预算数260000.00万元。"
            "资金总体支出280000.00万元。预算执行率为93.33%。\n\n收入支出决算总表\n\n" + tables
            + "第三部分 2022年度其他重要事项的情况说明\n\n一、机关运行经费支出情况\n\n略。\n\n"
            + f"{heading}\n\n{evaluation}\n第五部分 名词解释\n\n一、财政拨款收入：本年度从本级财政部门取得的财政拨款。\n")


def test_only_the_evaluation_part_of_a_final_accounts_document_is_read(tmp_path):
    path = tmp_path / "决算.txt"
    path.write_text(final_accounts(SEED_TEXT), encoding="utf-8")
    assert parse_report(path) | IGNORED == parse_report(SEED_REPORT) | IGNORED


def test_the_final_accounts_figures_would_be_taken_without_the_part_boundary(tmp_path):
    """The control: the same document without its part headings states other amounts first."""
    path = tmp_path / "决算.txt"
    path.write_text(final_accounts(SEED_TEXT, heading="").replace("第二部分 ", "").replace("第三部分 ", "")
                    .replace("第一部分 ", "").replace("第五部分 ", ""), encoding="utf-8")
    assert parse_report(path)["budget_total"] != 291435.79


def test_an_evaluation_part_without_its_own_title_takes_the_documents(tmp_path):
    untitled = SEED_TEXT.split("\n", 1)[1]
    path = tmp_path / "决算.txt"
    path.write_text(final_accounts(untitled), encoding="utf-8")
    parsed = parse_report(path)
    assert (parsed["department"], parsed["year"], parsed["budget_total"]) == ("北京市商务局", 2022, 291435.79)


def test_a_final_accounts_pdf_reads_only_its_evaluation_part(tmp_path):
    """决算 prose and a ruled 决算 table with its 合计 row come first; the evaluation and its table after."""
    narrative, rows = split_text_report(SEED_TEXT)
    accounts = [["项目", "决算数"], ["合计", "300000.00"], ["基本支出", "40000.00"], ["项目支出", "260000.00"]]
    page = blocks_html([["北京市商务局2022年度部门决算", "第一部分 北京市商务局概况", "负责全市商务工作。",
                         "第二部分 2022年度部门决算表", "二、收入支出预算执行情况",
                         "2022年全年预算数300000.00万元，资金总体支出280000.00万元。预算执行率为93.33%。"],
                        accounts, ["第三部分 2022年度其他重要事项的情况说明", "略。", EVALUATION_HEADING, *narrative],
                        rows, ["第五部分 名词解释", "财政拨款收入：本年度从本级财政部门取得的财政拨款。"]])
    pdf = print_pdf(page, tmp_path / "决算.pdf")
    assert parse_report(pdf) | IGNORED == parse_report(SEED_REPORT) | IGNORED


def test_a_final_accounts_word_document_reads_only_its_evaluation_part(tmp_path):
    narrative, rows = split_text_report(SEED_TEXT)
    document = docx.Document()
    for line in ("北京市商务局2022年度部门决算", "第二部分 2022年度部门决算表", "二、收入支出预算执行情况",
                 "2022年全年预算数300000.00万元，资金总体支出280000.00万元。"):
        document.add_paragraph(line)
    accounts = document.add_table(rows=2, cols=2)
    for row, values in zip(accounts.rows, (("合计", "300000.00"), ("基本支出", "40000.00"))):
        for cell, value in zip(row.cells, values):
            cell.text = value
    for line in (EVALUATION_HEADING, *narrative):
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for values, row in zip(rows, table.rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("第五部分 名词解释")
    document.save(tmp_path / "决算.docx")
    parsed = parse_report(tmp_path / "决算.docx")
    assert {key: parsed[key] for key in ("department", "year", "budget_total", "spent_total", "score_total")} == {
        "department": "北京市商务局", "year": 2022, "budget_total": 291435.79, "spent_total": 251145.17,
        "score_total": 90.73}
    assert [row["score"] for row in parsed["indicators"]][:2] == [17.23, 9.5]
