"""A report scored on a framework stored in the database (not Beijing's, not the national table) is recognised
by its indicator names and read leaf by leaf; parse-report finds it through the database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.domain.loader import shipped_frameworks
from analytics.ingest.report_parser import ReportParseError, parse_report
from analytics.paths import SEED_REPORT

ROOT = Path(__file__).resolve().parents[1]
SICHUAN = shipped_frameworks()["sichuan-example"][0]


def sichuan_report(scores: dict[str, float], total: float, grade: str) -> str:
    """A Sichuan-style report: narrative with its amounts, then a table of every leaf with 分值 and 得分."""
    parents = {node.code: (parent, node.zh) for node, _depth, parent in SICHUAN.walk()}
    rows = [["一级指标", "二级指标", "三级指标", "分值", "得分"]]
    for leaf in SICHUAN.leaves():
        level2 = parents[leaf.code][0]
        rows.append([parents[parents[level2][0]][1] if parents[level2][0] else "", parents[level2][1], leaf.zh,
                     f"{leaf.weight:g}", f"{scores[leaf.code]:g}"])
    rows.append(["合计", "100", f"{total:.2f}"])
    table = "".join("".join(f"\t{cell}\n" for cell in row) + "\n" for row in rows)
    return ("四川省示例厅2023年度部门整体支出绩效评价报告\n\n一、部门概况\n\n略。\n\n二、预算执行情况\n\n"
            "2023年全年预算数1,000.00万元，全年执行数950.00万元，预算执行率95.00%。\n\n三、评价结论\n\n"
            f"经评价，部门整体支出绩效评价得分为{total:.2f}分，评价等级为{grade}。\n\n"
            "附件：2023年度部门整体支出绩效评价评分表\n\n" + table)


def scores_given(execution_progress: float) -> dict[str, float]:
    scores = {leaf.code: leaf.weight for leaf in SICHUAN.leaves()}
    scores.update(execution_progress=execution_progress, output_coefficient=20.0, satisfaction=4.0)
    return scores


def write_sichuan(tmp_path, execution_progress: float) -> tuple[Path, dict, float]:
    scores = scores_given(execution_progress)
    total = round(sum(scores.values()), 2)
    path = tmp_path / "sichuan.txt"
    path.write_text(sichuan_report(scores, total, "优"), encoding="utf-8")
    return path, scores, total


def test_a_report_on_a_stored_framework_is_recognised_and_read_leaf_by_leaf(tmp_path):
    path, scores, total = write_sichuan(tmp_path, 1.9)
    parsed = parse_report(path, stored={"sichuan-example": SICHUAN})
    assert parsed["framework"] == "sichuan-example"
    assert (parsed["department"], parsed["year"], parsed["score_total"], parsed["grade"]) == \
        ("四川省示例厅", 2023, total, "优")
    assert {row["code"]: row["score"] for row in parsed["indicators"]} == scores
    rows = {row["code"]: row for row in parsed["indicators"]}
    assert rows["execution_progress"]["rule_score"] == 1.9 and rows["relevance"]["rule_score"] is None
    assert rows["relevance"]["level1"] == "部门决策" and rows["relevance"]["level2"] == "目标任务"
    assert parsed["findings"] == [] and parsed["rule_total"] == total


def test_a_stored_frameworks_rule_disagreeing_is_a_finding(tmp_path):
    path, _scores, _total = write_sichuan(tmp_path, 2.0)
    parsed = parse_report(path, stored={"sichuan-example": SICHUAN})
    assert {"code": "score_not_rule", "indicator": "预算执行进度监控", "reported": 2.0, "rule": 1.9} in \
        parsed["findings"]


def test_without_the_stored_framework_it_is_not_guessed(tmp_path):
    path = tmp_path / "sichuan.txt"
    path.write_text(sichuan_report(scores_given(1.9), 92.9, "优"), encoding="utf-8")
    with pytest.raises(ReportParseError) as refused:       # read as Beijing's template, it lacks figures
        parse_report(path, stored={})
    assert "carryover_amount" in refused.value.missing
    assert parse_report(SEED_REPORT, stored={"sichuan-example": SICHUAN})["framework"] == "beijing-2022"


def test_parse_report_recognises_a_framework_stored_in_the_database(demo_db, tmp_path):
    env = {**os.environ, "ANALYTICS_DB": str(demo_db)}
    stored = subprocess.run([sys.executable, "-m", "analytics", "framework", "import",
                             str(ROOT / "data/frameworks/v2/sichuan-example.json")],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert stored.returncode == 0, stored.stderr
    path, _scores, _total = write_sichuan(tmp_path, 1.9)
    result = subprocess.run([sys.executable, "-m", "analytics", "parse-report", str(path), "--json"],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["framework"] == "sichuan-example"
