"""Framework workbooks: template, round trip, and every authoring error named by sheet, row and column."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from analytics.domain.authoring import layout as L
from analytics.domain.authoring.reader import read_framework_file
from analytics.domain.authoring.writer import export_framework, write_template
from analytics.domain.loader import framework_to_dict, shipped_frameworks
from analytics.domain.messages import describe, reason_text
from analytics.texts.frameworks import TEXT

SHIPPED = {code: fw for code, (fw, _) in shipped_frameworks().items()}


@pytest.mark.parametrize("code", sorted(SHIPPED))
def test_export_then_import_gives_an_equal_framework(code, tmp_path):
    path = tmp_path / f"{code}.xlsx"
    export_framework(SHIPPED[code], path)
    back, issues = read_framework_file(path)
    assert issues == [] and back == SHIPPED[code]


def test_json_files_import_too(tmp_path):
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(framework_to_dict(SHIPPED["sichuan-example"]), ensure_ascii=False), encoding="utf-8")
    assert read_framework_file(path) == (SHIPPED["sichuan-example"], [])


def test_blank_template_has_dropdowns_an_example_and_chinese_instructions(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames[:6] == [L.INSTRUCTIONS, L.META, L.TREE, L.PARAMS, L.GRADES, L.FIGURES]
    assert "分值之和必须等于上级分值" in "".join(str(c.value) for c in wb[L.INSTRUCTIONS]["A"])
    lists = wb[L.LISTS]
    assert lists.sheet_state == "hidden" and lists["A1"].value == "ratio"
    formulas = [dv.formula1 for dv in wb[L.TREE].data_validations.dataValidation]
    assert f"'{L.LISTS}'!$A$1:$A$9" in formulas
    example = [row[1] for row in wb[L.EXAMPLE].iter_rows(min_row=2, values_only=True)]
    assert "execution_rate" in example and "output_quantity" in example
    _, issues = read_framework_file(path)            # blank: nothing to store yet, and it says so
    assert {i.code for i in issues} == {"missing_key", "no_nodes"}


def _exported(tmp_path, code="beijing-2022"):
    path = tmp_path / "fw.xlsx"
    export_framework(SHIPPED[code], path)
    return path, load_workbook(path)


def _row_of(ws, code) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == code)


def _param_row(ws, code, name) -> int:
    return next(r for r in range(2, ws.max_row + 1) if (ws.cell(r, 1).value, ws.cell(r, 2).value) == (code, name))


def _only_issue(wb, path, tmp_path):
    wb.save(path)
    fw, issues = read_framework_file(path)
    errors = [i for i in issues if i.severity == "error"]
    assert fw is None and len(errors) == 1, issues
    return errors[0]


def test_weights_that_do_not_add_up_name_the_parent_row(tmp_path):
    path, wb = _exported(tmp_path)
    ws = wb[L.TREE]
    ws.cell(_row_of(ws, "output_cost"), 6).value = 6          # outputs: 10 + 10 + 5 + 6 = 31 ≠ 30
    issue = _only_issue(wb, path, tmp_path)
    assert (issue.code, issue.sheet, issue.row, issue.column) == ("weights_do_not_add_up", L.TREE, _row_of(ws, "outputs"), "F")
    assert describe(issue) == f"工作表“指标”第 {_row_of(ws, 'outputs')} 行 F 列: “outputs”的下级指标分值合计 31.0，应为 30.0"
    assert "add up to 31.0, not 30.0" in describe(issue, "en")


def test_an_unknown_rule_kind_names_its_cell(tmp_path):
    path, wb = _exported(tmp_path)
    ws = wb[L.TREE]
    row = _row_of(ws, "satisfaction")
    ws.cell(row, 7).value = "magic"
    issue = _only_issue(wb, path, tmp_path)
    assert (issue.code, issue.sheet, issue.row, issue.column) == ("unknown_rule_kind", L.TREE, row, "G")
    assert describe(issue).endswith("规则类型“magic”未知，可选：ratio|target|qualitative|bands|deduction|checklist|"
                                    "judged|either_or|coefficient")


def test_a_missing_parameter_names_the_rule_cell(tmp_path):
    path, wb = _exported(tmp_path)
    ws = wb[L.PARAMS]
    ws.delete_rows(_param_row(ws, "execution_rate", "denominator"))
    issue = _only_issue(wb, path, tmp_path)
    tree = wb[L.TREE]
    assert (issue.code, issue.sheet, issue.row, issue.column) == ("missing_parameter", L.TREE,
                                                                   _row_of(tree, "execution_rate"), "G")
    assert describe(issue, "en").endswith("rule 'ratio' lacks the parameter 'denominator'")


def test_a_figure_no_rule_can_read_names_the_parameter_cell(tmp_path):
    path, wb = _exported(tmp_path)
    ws = wb[L.PARAMS]
    row = _param_row(ws, "execution_rate", "denominator")
    ws.cell(row, 3).value = "budget_totl"
    issue = _only_issue(wb, path, tmp_path)
    assert (issue.code, issue.sheet, issue.row, issue.column) == ("unknown_figure", L.PARAMS, row, "C")
    assert "数据项“budget_totl”没有定义，规则无法读取" in describe(issue)


def test_a_declared_figure_no_rule_reads_is_a_warning_on_its_row(tmp_path):
    path, wb = _exported(tmp_path)
    wb[L.FIGURES].append(["staff_contract", "合同制人员", "Contract staff", "人", "evaluation"])
    wb.save(path)
    fw, issues = read_framework_file(path)
    assert fw is not None
    assert [(i.code, i.severity, i.sheet, i.row, i.column) for i in issues] == [
        ("unused_figure", "warning", L.FIGURES, 2, "A")]
    assert describe(issues[0]).startswith("提示 · 工作表“数据项”第 2 行 A 列")


def test_an_unknown_parent_and_a_bad_json_parameter_name_their_cells(tmp_path):
    path, wb = _exported(tmp_path)
    tree, params = wb[L.TREE], wb[L.PARAMS]
    tree.cell(_row_of(tree, "satisfaction"), 3).value = "nowhere"
    prow = _param_row(params, "execution_rate", "tiers")
    params.cell(prow, 3).value = "[{from: 200}"
    wb.save(path)
    _, issues = read_framework_file(path)
    located = {(i.code, i.sheet, i.row, i.column) for i in issues}
    assert ("unknown_parent", L.TREE, _row_of(tree, "satisfaction"), "C") in located
    assert ("bad_parameter_value", L.PARAMS, prow, "C") in located


def test_files_that_are_not_framework_workbooks(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    assert [i.code for i in read_framework_file(bad)[1]] == ["not_a_workbook"]
    path, wb = _exported(tmp_path)
    del wb[L.GRADES]
    wb.save(path)
    issue = read_framework_file(path)[1][0]
    assert (issue.code, issue.sheet) == ("missing_sheet", L.GRADES)
    assert describe(issue) == "工作表“等级”: 缺少工作表“等级”"


def test_every_issue_and_reason_code_has_words_in_both_languages():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).resolve().parents[1] / "analytics" / "domain").rglob("*.py"))
    issue_codes = set(re.findall(r'Issue\("([a-z_]+)"', source))
    assert issue_codes and all(f"fw_issue_{c}" in TEXT for c in issue_codes), issue_codes - {
        k[len("fw_issue_"):] for k in TEXT}
    reasons = set(re.findall(r'"(missing_input|zero_denominator|missing_limit|zero_reference|outside_bands|'
                             r'no_evaluator_score|no_choice|score_outside_band|unknown_level|judged_target)"', source))
    assert all(reason_text(code, "en") and reason_text(code) for code in reasons)
    assert all(set(entry) == {"zh", "en"} for entry in TEXT.values())


def test_framework_texts_can_join_the_translation_table_without_clashes():
    from analytics.i18n import TEXT as TABLE
    assert not set(TEXT) & set(TABLE)
