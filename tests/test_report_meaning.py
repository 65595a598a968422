"""Figures are read by their meaning (the year and label they belong to), not by their position.

Each test rewrites the seed the way real reports differ from it; each case once stored a wrong number or
left one empty without a word.
"""
from __future__ import annotations

import pytest

from analytics.ingest.report_parser import ReportParseError, parse_report
from report_variants import SEED_TEXT, seed_figures, variant_figures, variant_report

SEED = seed_figures()
EXECUTION = "2022年全年预算数291435.79万元，其中，基本支出预算数35584.55万元，项目支出预算数255851.24万元"
LEVEL1_SENTENCE = ("其中当年预算执行情况总分为20分，评价得分为17.23分；整体绩效目标实现情况总分为60分，评价得分为59.50分；"
                   "预算管理情况总分为20分，评价得分为14.00分。")


def write(tmp_path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rewritten(*pairs: tuple[str, str]) -> str:
    text = SEED_TEXT
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def assert_seed_figures(parsed: dict, *keys: str):
    assert {key: parsed[key] for key in keys} == {key: SEED[key] for key in keys}


MONEY = ("budget_total", "budget_basic", "budget_project", "budget_other", "spent_total", "spent_basic",
         "spent_project", "spent_other", "initial_budget_total", "initial_budget_basic", "initial_budget_project",
         "carryover_amount", "final_account_total")


def test_last_years_amounts_stated_first_are_not_taken(tmp_path):
    text = rewritten(
        (EXECUTION, "2021年全年预算数250000.00万元，其中，基本支出预算数30000.00万元，项目支出预算数220000.00万元。"
                    + EXECUTION),
        ("资金总体支出251145.17万元", "上年资金总体支出240000.00万元，基本支出28000.00万元；本年资金总体支出251145.17万元"),
        ("2022年度结转结余资金总额", "2021年度结转结余资金总额20000.00万元；2022年度结转结余资金总额"),
        ("2022年全年预算数159584.73万元", "2021年全年预算数150000.00万元。2022年全年预算数159584.73万元"),
    )
    parsed = parse_report(write(tmp_path, text))
    assert_seed_figures(parsed, *MONEY, "execution_rate", "final_account_diff_rate")


def test_reversed_year_columns_are_read_by_their_year(tmp_path):
    text = rewritten(("\t2021年\n\t2022年\n", "\t2022年\n\t2021年\n"), ("\t8.04%\n\t13.82%\n", "\t13.82%\n\t8.04%\n"))
    parsed = parse_report(write(tmp_path, text))
    assert (parsed["carryover_rate"], parsed["carryover_rate_prev"]) == (13.82, 8.04)
    table_only = parse_report(write(tmp_path, text.replace("结转结余率13.82%。", "")))
    assert (table_only["carryover_rate"], table_only["carryover_rate_prev"]) == (13.82, 8.04)
    check = next(c for c in parsed["checks"] if c["code"] == "carryover_rate")
    assert (check["reported"], check["rule"]) == (0.0, 1.69)


def test_year_columns_without_years_are_not_guessed(tmp_path):
    text = rewritten(("\t2021年\n\t2022年\n", "\t上期\n\t本期\n"), ("结转结余率13.82%。", ""))
    parsed = parse_report(write(tmp_path, text))
    assert parsed["carryover_rate"] is None and parsed["carryover_rate_prev"] is None
    assert {"carryover_rate", "carryover_rate_prev"} <= set(parsed["missing"])


@pytest.mark.parametrize("minus", ["-", "−", "－"])
def test_a_negative_rate_keeps_its_sign(tmp_path, minus):
    text = rewritten(("部门预决算差异率为82.62%", f"部门预决算差异率为{minus}12.50%"),
                     ("\t82.62%\n\t4\n", f"\t{minus}12.50%\n\t4\n"))
    assert parse_report(write(tmp_path, text))["final_account_diff_rate"] == -12.5
    table_only = text.replace(f"部门预决算差异率为{minus}12.50%。", "")
    assert parse_report(write(tmp_path, table_only))["final_account_diff_rate"] == -12.5


@pytest.mark.parametrize("title", [
    "关于北京市商务局2022年度部门整体绩效评价报告",
    "北京市商务局（北京市人民政府口岸办公室）2022年度部门整体绩效评价报告",
    "关于北京市商务局(北京市人民政府口岸办公室)2022年度部门整体绩效评价的报告",
    "北京市商务局关于2022年度部门整体绩效评价的报告",
])
def test_title_prefix_and_second_name_are_not_part_of_the_department(tmp_path, title):
    parsed = parse_report(write(tmp_path, rewritten(("北京市商务局2022年度部门整体绩效评价报告", title))))
    assert (parsed["department"], parsed["year"]) == ("北京市商务局", 2022)


def test_a_file_with_two_reports_is_refused_not_merged(tmp_path):
    other = variant_report(variant_figures(
        department="天津市商务局", year=2023, budget_basic=100.0, budget_project=200.0, spent_basic=90.0,
        spent_project=150.0, initial_budget_basic=80.0, initial_budget_project=150.0, carryover_rate_prev=5.0,
        municipal_avg_diff_rate=20))
    path = write(tmp_path, SEED_TEXT + "\n\n" + other, "two.txt")
    with pytest.raises(ReportParseError) as refused:
        parse_report(path)
    assert refused.value.code == "several_reports"
    assert "北京市商务局" in str(refused.value) and "天津市商务局" in str(refused.value)


@pytest.mark.parametrize("words", ["评价结果为优秀", "评价结果为“优秀”", "被评为优秀", "综合评定为优秀等级"])
def test_grade_given_only_in_words(tmp_path, words):
    parsed = parse_report(write(tmp_path, rewritten(("评分等级为“优秀”", words))))
    assert parsed["grade"] == "优秀"


def test_a_grade_that_cannot_be_found_is_named(tmp_path):
    parsed = parse_report(write(tmp_path, rewritten(("，评分等级为“优秀”", ""))))
    assert parsed["grade"] is None and "grade" in parsed["missing"]


def _with_subtotals(text: str) -> str:
    """The table prints each section's 小计 row (weight, score) before the next section."""
    return (text.replace("\t二、整体绩效目标实现情况", "\t小计\n\t20\n\t17.23\n\n\t二、整体绩效目标实现情况", 1)
            .replace("\t三、预算管理情况", "\t小计\n\t60\n\t59.50\n\n\t三、预算管理情况", 1)
            .replace("\t合计\n", "\t小计\n\t20\n\t14\n\n\t合计\n", 1))


def test_level1_scores_printed_only_in_the_table(tmp_path):
    text = _with_subtotals(rewritten((LEVEL1_SENTENCE, "")))
    parsed = parse_report(write(tmp_path, text))
    assert_seed_figures(parsed, "score_budget_execution", "score_performance_targets", "score_budget_management")
    seed = parse_report(write(tmp_path, SEED_TEXT, "seed.txt"))
    assert parsed["indicators"] == seed["indicators"]


def test_level1_scores_found_nowhere_are_named_and_nothing_is_inferred(tmp_path):
    parsed = parse_report(write(tmp_path, rewritten((LEVEL1_SENTENCE, ""))))
    assert parsed["score_performance_targets"] is None
    assert "score_performance_targets" in parsed["missing"]
    rows = {row["code"]: row for row in parsed["indicators"]}
    assert rows["output_quality"]["score"] is None and not rows["output_quality"]["inferred"]
