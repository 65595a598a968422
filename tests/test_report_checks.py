"""Cross-checks on Beijing's template: parts and totals, printed rates and their amounts, scores and their sums,
the grade and the total.  Each contradiction is a finding with both values; the figures stay as reported."""
from __future__ import annotations

import pytest

from analytics.ingest.report_parser import parse_report
from analytics.paths import SEED_REPORT
from report_variants import SEED_TEXT

SEED_FINDINGS = parse_report(SEED_REPORT)["findings"]


def parsed_with(tmp_path, old: str, new: str) -> dict:
    assert old in SEED_TEXT
    path = tmp_path / "report.txt"
    path.write_text(SEED_TEXT.replace(old, new, 1), encoding="utf-8")
    return parse_report(path)


def new_findings(parsed: dict) -> list[dict]:
    return [finding for finding in parsed["findings"] if finding not in SEED_FINDINGS]


def test_the_seeds_only_finding_is_its_carryover_score():
    assert SEED_FINDINGS == [{"code": "score_not_rule", "indicator": "结转结余率", "reported": 0.0, "rule": 1.69}]


CASES = {
    "parts": ("基本支出预算数35584.55万元", "基本支出预算数35000.00万元",
              {"code": "parts_not_total", "figure": "budget_total", "reported": 291435.79, "sum_of_parts": 290851.24}),
    "execution rate": ("预算执行率为86.17%", "预算执行率为100.00%",
                       {"code": "rate_not_amounts", "figure": "execution_rate", "reported": 100.0,
                        "from_amounts": 86.17}),
    "negative difference rate": ("部门预决算差异率为82.62%", "部门预决算差异率为-12.50%",
                                 {"code": "rate_not_amounts", "figure": "final_account_diff_rate", "reported": -12.5,
                                  "from_amounts": 82.62}),
    "level-1 sum": ("评价得分为14.00分", "评价得分为15.00分",
                    {"code": "scores_not_total", "figure": "score_budget_management", "reported": 15.0,
                     "sum_of_parts": 14.0}),
    "grade": ("评分等级为“优秀”", "评分等级为“良好”",
              {"code": "grade_not_total", "reported": "良好", "score_total": 90.73, "grade_of_total": "优秀"}),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_contradiction_is_a_finding_with_both_values(tmp_path, case):
    old, new, finding = CASES[case]
    parsed = parsed_with(tmp_path, old, new)
    assert finding in new_findings(parsed)
    reported = finding["reported"]
    assert reported in (parsed.get(finding.get("figure")), parsed["grade"])   # imported as reported


def test_the_total_not_the_sum_of_level1_scores(tmp_path):
    parsed = parsed_with(tmp_path, "绩效评价得分为90.73分", "绩效评价得分为91.73分")
    assert {"code": "scores_not_total", "figure": "score_total", "reported": 91.73,
            "sum_of_parts": 90.73} in new_findings(parsed)
