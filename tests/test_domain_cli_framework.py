"""`python -m analytics framework …`: template, check, export, list, show."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from analytics import scores
from analytics.cli import main
from analytics.domain.authoring import layout as L
from analytics.domain.authoring.reader import read_framework_file
from analytics.domain.authoring.writer import export_framework
from analytics.domain.loader import shipped_frameworks
from analytics.store import Store


@pytest.fixture(autouse=True)
def no_database(tmp_path, monkeypatch):
    """Each test's database is its own (none unless a test copies one there)."""
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "analytics.duckdb"))
    return tmp_path / "analytics.duckdb"


def test_template_then_check_names_what_is_missing(tmp_path, capsys):
    out = tmp_path / "blank.xlsx"
    assert main(["framework", "template", str(out)]) == 0
    assert main(["framework", "check", str(out)]) == 2
    err = capsys.readouterr().err
    assert "工作表“框架”第 1 行 B 列: 缺少“code”" in err and "还没有任何指标" in err


def test_export_round_trips_and_check_accepts_it(tmp_path, capsys):
    out = tmp_path / "sichuan.xlsx"
    assert main(["framework", "export", "sichuan-example", str(out)]) == 0
    fw, _ = shipped_frameworks()["sichuan-example"]
    assert read_framework_file(out) == (fw, [])
    assert main(["framework", "check", str(out), "--lang", "en"]) == 0
    assert "24 indicators, valid" in capsys.readouterr().out


def test_list_and_show_as_json(capsys):
    assert main(["framework", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {row["code"] for row in listed} == {"beijing-2022", "national-self-evaluation", "sichuan-example"}
    assert not any(row["stored"] for row in listed) and all(row["shipped"] for row in listed)
    assert main(["framework", "show", "beijing-2022", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [n["weight"] for n in shown["nodes"]] == [20, 60, 20]


def test_unknown_framework_is_a_one_line_error(tmp_path, capsys):
    assert main(["framework", "export", "nope", str(tmp_path / "x.xlsx")]) == 2
    assert capsys.readouterr().err.startswith("error: no framework 'nope'")


def _versions(db) -> list[int]:
    store = Store(db, read_only=True)
    try:
        return [v for (v,) in store.rows("SELECT id FROM data_versions ORDER BY id")]
    finally:
        store.close()


def _stored(db) -> dict:
    store = Store(db, read_only=True)
    cur = store.cursor()
    try:
        return scores.stored_frameworks(cur)
    finally:
        cur.close()
        store.close()


def test_import_stores_a_framework_as_a_new_data_version_and_lists_it(demo_db, no_database, tmp_path, capsys):
    shutil.copy(demo_db, no_database)
    own = replace(shipped_frameworks()["sichuan-example"][0], code="chengdu-2024", version="2024",
                  name_zh="成都市部门整体绩效评价指标体系（2024）")
    path = tmp_path / "chengdu.xlsx"
    export_framework(own, path)
    assert main(["framework", "import", str(path)]) == 0
    assert "评价框架 chengdu-2024（版本 2024，24 个末级指标）已保存，数据版本 2" in capsys.readouterr().out
    assert _versions(no_database) == [1, 2] and _stored(no_database)["chengdu-2024"] == own
    assert main(["framework", "import", str(path), "--lang", "en"]) == 0     # the same again: no new version
    assert "stored already, identical: no new data version" in capsys.readouterr().out
    assert _versions(no_database) == [1, 2]
    assert main(["framework", "list", "--json"]) == 0
    listed = {row["code"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["chengdu-2024"]["stored"] and not listed["chengdu-2024"]["shipped"]
    assert listed["chengdu-2024"]["evaluations"] == 0 and listed["chengdu-2024"]["indicators"] == 24
    assert listed["beijing-2022"]["stored"] and listed["beijing-2022"]["evaluations"] == 330
    assert main(["framework", "list"]) == 0
    assert "已存入数据库（330 个评价）" in capsys.readouterr().out
    assert main(["framework", "show", "chengdu-2024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"]["zh"] == "成都市部门整体绩效评价指标体系（2024）"


def test_import_refuses_a_workbook_with_errors_naming_each_cell_and_writes_nothing(demo_db, no_database, tmp_path,
                                                                                   capsys):
    shutil.copy(demo_db, no_database)
    path = tmp_path / "broken.xlsx"
    export_framework(shipped_frameworks()["beijing-2022"][0], path)
    wb = load_workbook(path)
    tree = wb[L.TREE]
    rows = {tree.cell(r, 2).value: r for r in range(2, tree.max_row + 1)}
    tree.cell(rows["output_cost"], 6).value = 6          # outputs: 10 + 10 + 5 + 6 = 31 ≠ 30
    tree.cell(rows["satisfaction"], 7).value = "magic"
    wb.save(path)
    assert main(["framework", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"工作表“指标”第 {rows['outputs']} 行 F 列: “outputs”的下级指标分值合计 31.0，应为 30.0" in err
    assert f"工作表“指标”第 {rows['satisfaction']} 行 G 列: 规则类型“magic”未知" in err
    assert "error: broken.xlsx: 2 problems" in err
    assert _versions(no_database) == [1]


def test_import_refuses_to_change_a_framework_evaluations_are_scored_by(demo_db, no_database, tmp_path, capsys):
    shutil.copy(demo_db, no_database)
    changed = replace(shipped_frameworks()["beijing-2022"][0], name_zh="北京市（改）")
    path = tmp_path / "beijing.xlsx"
    export_framework(changed, path)
    assert main(["framework", "import", str(path), "--lang", "en"]) == 2
    assert "330 evaluations in the database are scored by framework beijing-2022" in capsys.readouterr().err
    assert _versions(no_database) == [1] and _stored(no_database)["beijing-2022"].name_zh != "北京市（改）"
