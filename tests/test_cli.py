"""The command line, run as a user runs it: `python -m analytics …` in a subprocess."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, db=None):
    env = {**os.environ, "ANALYTICS_DB": str(db)} if db else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_rank_json_lists_the_year_with_gap_to_mean(demo_db):
    result = run_cli("rank", "--year", "2022", "--framework", "beijing-2022", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 50 and [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    commerce = next(r for r in rows if r["department"] == "北京市商务局")
    assert commerce["total"] == 90.73 and commerce["grade"] == "优秀" and commerce["source_kind"] == "report"
    assert {"budget_execution", "performance_targets", "budget_management", "gap_to_mean"} <= set(commerce)
    mean = sum(r["total"] for r in rows) / len(rows)
    assert commerce["gap_to_mean"] == pytest.approx(90.73 - mean, abs=0.006)


def test_rank_text_marks_synthetic_rows(demo_db):
    result = run_cli("rank", "--year", "2022", "--framework", "beijing-2022", db=demo_db)
    assert result.returncode == 0
    table = result.stdout.splitlines()
    lines = [l for l in table[next(i for i, l in enumerate(table) if l.lstrip().startswith("rank")) + 1:] if "北京市" in l]
    assert len(lines) == 55 and all(("[synthetic]" in l) != ("北京市商务局" in l) for l in lines)


def test_show_names_the_carryover_disagreement(demo_db):
    result = run_cli("show", "北京市商务局", "--year", "2022", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "结转结余率: reported 0.00, rule gives 1.69 (+1.69); total would be 92.42" in result.stdout
    assert "预算执行率" in result.stdout and "90.73" in result.stdout


@pytest.mark.parametrize("args,message", [
    (("rank", "--year", "1999"), "no evaluations for 北京市 in 1999"),
    (("show", "北京市不存在局", "--year", "2022"), "no department named '北京市不存在局'"),
    (("show", "北京市商务局", "--year", "1999"), "北京市商务局 has no evaluation for 1999"),
])
def test_unknown_department_or_year_is_a_clear_error(demo_db, args, message):
    result = run_cli(*args, db=demo_db)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def test_missing_database_is_a_clear_error(tmp_path):
    result = run_cli("rank", "--year", "2022", db=tmp_path / "none.duckdb")
    assert result.returncode != 0 and "init-db --demo" in result.stderr


def test_parse_report_prints_the_figures_as_json(seed_report):
    result = run_cli("parse-report", str(seed_report), "--json")
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["department"] == "北京市商务局" and parsed["score_total"] == 90.73
    checks = {c["indicator"]: c for c in parsed["checks"]}
    assert checks["结转结余率"]["reported"] == 0 and checks["结转结余率"]["rule"] == 1.69
    assert checks["结转结余率"]["agrees"] is False and checks["预算执行率"]["agrees"] is True


def test_parse_report_rejects_a_file_that_is_not_a_report(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("会议纪要：今天讨论了食堂菜单。", encoding="utf-8")
    result = run_cli("parse-report", str(junk), "--json")
    assert result.returncode != 0 and "notes.txt" in result.stderr and "budget_total" in result.stderr


@pytest.mark.parametrize("command", ["parse-report", "import-report"])
def test_a_report_path_that_does_not_exist_is_a_clear_error(demo_db, tmp_path, command):
    result = run_cli(command, str(tmp_path / "missing.pdf"), db=demo_db)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"no such file or folder: {tmp_path / 'missing.pdf'}" in result.stderr


def test_a_folder_without_reports_is_a_clear_error(demo_db, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b", encoding="utf-8")
    result = run_cli("import-report", str(tmp_path), db=demo_db)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"no report files (.txt, .docx, .pdf, .zip) in {tmp_path}" in result.stderr


def test_init_db_demo_builds_the_database(tmp_path):
    db = tmp_path / "fresh.duckdb"
    result = run_cli("init-db", "--demo", db=db)
    assert result.returncode == 0, result.stderr
    store = Store(db, read_only=True)
    assert store.scalar("SELECT count(*) FROM evaluations") >= 300
    store.close()


def test_bench_prints_figures_at_a_small_scale():
    result = run_cli("bench", "--regions", "3", "--departments", "10", "--years", "3", "--sample", "5", "--no-pages")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    # two regions on Beijing's framework (16 leaves), one on the national layout (execution + 9 or 10 brought)
    assert figures["evaluations"] == 90 and figures["frameworks"] == {"beijing-2022": 60, "national-self-evaluation": 30}
    assert 60 * 16 + 30 * 10 <= figures["leaf_rows"] <= 60 * 16 + 30 * 11 < figures["node_rows"]
    assert figures["sample_identical_between_paths"] is True
    assert figures["set_based_rescore_all_s"] > 0 and figures["peak_memory_mb"] > 0


def test_what_if_95_percent_execution(demo_db):
    result = run_cli("what-if", "--department", "北京市商务局", "--year", "2022",
                     "--set", f"spent_total={0.95 * 291435.79}", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["budget_execution"] == 19.0 and out["total"] == 92.5 and out["grade"] == "优秀"
    assert out["change"]["budget_execution"] == 1.77 and out["change"]["total"] == 1.77
    assert out["rank"] < out["actual"]["rank"] and out["rank_of"] == 55
    assert {"performance_targets", "budget_management"} <= set(out)


def test_what_if_rejects_bad_input_with_the_field_named(demo_db):
    result = run_cli("what-if", "--department", "北京市商务局", "--year", "2022", "--set", "spent_total=-5", db=demo_db)
    assert result.returncode == 2 and "spent_total: must not be negative" in result.stderr


def test_goal_seek_answer_applies(demo_db):
    from test_scenario import stored_year
    store = Store(demo_db, read_only=True)
    weakest = stored_year(store, 2022)[0].sort_values("total").iloc[0]
    store.close()
    result = run_cli("goal-seek", "--department", weakest["department"], "--year", "2022", "--target-grade", "良好",
                     "--json", db=demo_db)
    out = json.loads(result.stdout)
    if out["reachable"]:
        assert result.returncode == 0
        check = run_cli("what-if", "--department", weakest["department"], "--year", "2022",
                        "--set", f"spent_total={out['value']}", "--json", db=demo_db)
        assert json.loads(check.stdout)["total"] >= 80
    else:
        assert result.returncode == 3 and "无法达到" in out["message"]


def test_goal_seek_by_any_input_of_an_evaluation_on_the_national_layout(tmp_path):
    from analytics.domain import synthetic_county
    from test_scenario_frameworks import COUNTY, write_county
    county = synthetic_county.generate(departments=synthetic_county.DEPARTMENTS[:2], years=(2023,))
    demo_db = tmp_path / "county.duckdb"
    write_county(demo_db, county).close()
    where = ("--department", county.departments[0].zh, "--year", "2023", "--region", COUNTY)
    listing = run_cli("goal-seek", *where, "--inputs", db=demo_db)
    assert listing.returncode == 0, listing.stderr
    listed = json.loads(listing.stdout)
    brought = next(i for i in listed if i["ref"].endswith(":actual") and i["direction"])
    result = run_cli("goal-seek", *where, "--vary", brought["ref"], "--target-score", "100", "--json", db=demo_db)
    out = json.loads(result.stdout)
    assert out["vary"] == brought["ref"] and out["current"] == brought["current"] and not out["already"]
    if out["reachable"]:
        assert result.returncode == 0 and out["total"] >= 100
    else:
        assert result.returncode == 3 and out["best_total"] + out["shortfall"] == pytest.approx(100)
    unknown = run_cli("goal-seek", *where, "--vary", "no_such_input", "--target-score", "99", db=demo_db)
    assert unknown.returncode == 2 and "“no_such_input”不是该评价的数值输入" in unknown.stderr
    assert brought["ref"] in unknown.stderr


def test_goal_seek_by_failed_checks_in_whole_checks(demo_db):
    where = ("--department", "北京市商务局", "--year", "2022")
    out = json.loads(run_cli("goal-seek", *where, "--set", "failed:performance_management=2", "--vary",
                             "performance_management:failed", "--target-grade", "优秀", "--json", db=demo_db).stdout)
    # 绩效管理情况 with both checks failed scores 0: 90.73 − 4 = 86.73; no failed check gives 90.73 again
    assert (out["reachable"], out["value"], out["total"], out["base_total"]) == (True, 0, 90.73, 86.73)
    assert out["message"] == "绩效管理情况未通过项数不超过 0 项，总分 90.73，达到“优秀”（90.00 分）。"


def test_import_takes_several_reports_at_once_all_or_nothing(demo_db, seed_report, tmp_path):
    good = []
    for name in ("北京市甲测试局", "北京市第二试点办公室"):
        path = tmp_path / f"{name}.txt"
        path.write_text(seed_report.read_text(encoding="utf-8").replace("北京市商务局", name), encoding="utf-8")
        good.append(str(path))
    bad = tmp_path / "bad.txt"
    bad.write_text("不是报告", encoding="utf-8")
    refused = run_cli("import", *good, str(bad), db=demo_db)
    assert refused.returncode == 2 and "bad.txt" in refused.stderr
    assert "北京市甲测试局" not in run_cli("rank", "--year", "2022", "--framework", "beijing-2022", db=demo_db).stdout
    done = run_cli("import", *good, "--note", "two reports", "--create-departments", db=demo_db)
    assert done.returncode == 0, done.stderr
    assert "北京市甲测试局 2022: added" in done.stdout and "version 2" in done.stdout
    ranked = run_cli("rank", "--year", "2022", "--framework", "beijing-2022", db=demo_db).stdout
    assert "北京市甲测试局" in ranked and "北京市第二试点办公室" in ranked


# -- evaluations of more than one framework ------------------------------------------------------------

@pytest.fixture
def mixed_db(demo_db):
    """The demo plus three county departments on the national layout, in Beijing's region and year 2022,
    so that the region's year holds two frameworks."""
    from county import add_county
    add_county(demo_db, years=(2022,), region="北京市")
    return demo_db


def test_rank_refuses_a_year_holding_two_frameworks_and_names_them(mixed_db):
    result = run_cli("rank", "--year", "2022", "--region", "北京市", db=mixed_db)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "beijing-2022（北京市部门整体绩效评价指标体系（2022），55 个评价）" in result.stderr
    assert "national-self-evaluation" in result.stderr and "--framework" in result.stderr
    english = run_cli("rank", "--year", "2022", "--region", "北京市", "--lang", "en", db=mixed_db)
    assert english.returncode == 2 and "several frameworks" in english.stderr
    assert "national-self-evaluation (Department-level expenditure self-evaluation table" in english.stderr
    assert "3 evaluations)" in english.stderr


def test_rank_within_one_framework_takes_its_level1_codes(mixed_db):
    beijing = json.loads(run_cli("rank", "--year", "2022", "--framework", "beijing-2022", "--json",
                                 db=mixed_db).stdout)
    assert len(beijing) == 55 and {r["framework_id"] for r in beijing} == {"beijing-2022"}
    national = run_cli("rank", "--year", "2022", "--framework", "national-self-evaluation", "--region", "北京市",
                       "--json", db=mixed_db)
    assert national.returncode == 0, national.stderr
    rows = json.loads(national.stdout)
    assert len(rows) == 3 and [r["rank"] for r in rows] == [1, 2, 3]
    assert {"budget_execution", "outputs", "benefits", "satisfaction_group"} <= set(rows[0])
    assert "performance_targets" not in rows[0]
    store = Store(mixed_db, read_only=True)
    chosen = "e.framework_id = 'national-self-evaluation' AND d.region = '北京市' AND e.year = 2022"
    stored = dict(store.rows(f"""SELECT d.name, s.reported_total FROM evaluation_scores s
                                 JOIN evaluations e ON e.id = s.evaluation_id JOIN departments d ON d.id = e.department_id
                                 WHERE {chosen}"""))
    level1 = store.rows(f"""SELECT d.name, r.code, r.reported FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
                            JOIN departments d ON d.id = e.department_id WHERE {chosen} AND r.depth = 1""")
    store.close()
    assert {r["department"]: r["total"] for r in rows} == stored
    assert all(next(r for r in rows if r["department"] == name)[code] == score for name, code, score in level1)
    mean = sum(stored.values()) / 3
    assert all(r["gap_to_mean"] == pytest.approx(r["total"] - mean, abs=0.006) for r in rows)
    assert rows[0]["grade"] in {"优", "良", "中", "差"}


def test_show_a_national_layout_evaluation_lists_its_own_indicators(demo_db):
    from county import add_county
    recs = add_county(demo_db, years=(2022,), departments=1, region="测试县")      # a region of its own
    result = run_cli("show", recs[0].department, "--year", "2022", "--region", "测试县", db=demo_db)
    assert result.returncode == 0, result.stderr
    first = next(b for b in recs[0].brought if b.kind == "target")
    inputs = recs[0].leaf_inputs[first.code]
    line = next(line for line in result.stdout.splitlines() if first.zh in line)
    assert f"target {inputs.target}, actual {inputs.actual}" in line and (not first.unit or f"[{first.unit}]" in line)
    assert "national-self-evaluation" in result.stdout and "预算执行" in result.stdout
    shown = json.loads(run_cli("show", recs[0].department, "--year", "2022", "--region", "测试县", "--json",
                               db=demo_db).stdout)
    codes = {row["code"] for row in shown["indicators"]}
    assert {b.code for b in recs[0].brought} <= codes and "outputs" in codes
    store = Store(demo_db, read_only=True)
    total, grade = store.rows("""SELECT reported_total, rule_grade FROM evaluation_scores s JOIN evaluations e
                                 ON e.id = s.evaluation_id JOIN departments d ON d.id = e.department_id
                                 WHERE d.region = '测试县'""")[0]
    store.close()
    assert shown["summary"]["reported_total"] == total and "by the rules" in result.stdout and grade in result.stdout
