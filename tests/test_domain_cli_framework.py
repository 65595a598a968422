"""`python -m analytics framework …`: template, check, export, list, show."""
from __future__ import annotations

import json

from analytics.cli import main
from analytics.domain.authoring.reader import read_framework_file
from analytics.domain.loader import shipped_frameworks


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
    assert main(["framework", "show", "beijing-2022", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [n["weight"] for n in shown["nodes"]] == [20, 60, 20]


def test_unknown_framework_is_a_one_line_error(tmp_path, capsys):
    assert main(["framework", "export", "nope", str(tmp_path / "x.xlsx")]) == 2
    assert capsys.readouterr().err.startswith("error: no framework 'nope'")
