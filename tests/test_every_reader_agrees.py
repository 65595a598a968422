"""Every reader shows the same level-1 scores, totals and grades — reported and by the rules — for an
evaluation imported with only some of its indicators: they all take them from analytics.scores' views
(node_results, evaluation_scores), the one place they are made."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics import breakdown, compare, conclusions, scenario, stats
from analytics.cli import main as cli
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_frames
from analytics.ingest.messages import issue_table
from analytics.store import Store
from test_bulk_import import frames_2022, workbook_bytes  # noqa: F401  (frames_2022 is a fixture)

REGION, YEAR, FRAMEWORK = "北京市", 2022, "beijing-2022"
MISSING = ["output_quality", "fund_compliance", "sustainability"]


@pytest.fixture(scope="module")
def partial(frames_2022, demo_db_master, tmp_path_factory):
    """The demo with one synthetic department's 2022 replaced by an import lacking three indicators, whose
    printed level-1 scores stay as they were (so reported and rule scores differ at every level)."""
    target = tmp_path_factory.mktemp("agree") / "demo.duckdb"
    target.write_bytes(demo_db_master.read_bytes())
    evaluations = frames_2022["evaluations"]
    department = evaluations.loc[evaluations["department"] != "北京市商务局", "department"].iloc[0]
    frames = {key: frame[frame["department"] == department].copy() if "department" in frame else frame.copy()
              for key, frame in frames_2022.items()}
    rows = frames["indicator_scores"]
    frames["indicator_scores"] = rows[~rows["indicator_code"].isin(MISSING)]
    outcome = import_files(target, [("partial.xlsx", workbook_bytes(frames))])
    assert outcome.accepted, issue_table(outcome.issues, "en")
    store = Store(target, read_only=True)
    evaluation_id = compare.find_evaluation(store, department, YEAR, REGION)
    truth = store.df("SELECT * FROM evaluation_scores WHERE evaluation_id = ?", [evaluation_id]).iloc[0]
    level1 = store.df("SELECT code, reported, value FROM node_results WHERE evaluation_id = ? AND depth = 1",
                      [evaluation_id]).set_index("code")
    yield {"store": store, "path": target, "department": department, "id": evaluation_id, "truth": truth,
           "level1": level1}
    store.close()


def test_the_partial_evaluation_is_incomplete_and_its_scores_differ(partial):
    truth = partial["truth"]
    assert not truth["complete"]
    assert truth["reported_total"] != truth["rule_total"]     # otherwise agreeing would prove little
    assert (partial["level1"]["reported"] != partial["level1"]["value"]).any()


def test_rankings_and_the_year_frame_agree(partial):
    store, truth, level1 = partial["store"], partial["truth"], partial["level1"]
    row = compare.ranking(store, YEAR, REGION, FRAMEWORK).set_index("evaluation_id").loc[partial["id"]]
    assert (row["total"], row["grade"]) == (truth["reported_total"], truth["reported_grade"])
    assert (row["rule_total"], row["rule_grade"]) == (truth["rule_total"], truth["rule_grade"])
    for code, node in level1.iterrows():
        assert row[code] == node["reported"], code
    frame = stats.evaluations(store, REGION, [YEAR]).set_index("evaluation_id").loc[partial["id"]]
    assert frame["total"] == truth["reported_total"] and frame["grade"] == truth["reported_grade"]
    for code, node in level1.iterrows():
        assert frame[code] == node["reported"], code


def test_the_department_view_agrees(partial):
    store, truth, level1 = partial["store"], partial["truth"], partial["level1"]
    summary = compare.evaluation_summary(store, partial["id"])
    assert [summary[k] for k in ("reported_total", "reported_grade", "rule_total", "rule_grade")] == \
           [truth[k] for k in ("reported_total", "reported_grade", "rule_total", "rule_grade")]
    tree = compare.indicator_tree(store, partial["id"])
    top = tree[tree["depth"] == 1].set_index("code")
    pd.testing.assert_series_equal(top["reported"], level1["reported"].loc[top.index], check_names=False)
    pd.testing.assert_series_equal(top["value"], level1["value"].loc[top.index], check_names=False)
    steps = breakdown.waterfall_steps(tree, summary, "zh")
    assert steps.iloc[-1]["value"] == truth["reported_total"]
    root = breakdown.score_tree(tree, summary, "zh").iloc[0]
    assert root["score"] == truth["reported_total"]


def test_the_command_line_agrees(partial, capsys, monkeypatch):
    truth, level1 = partial["truth"], partial["level1"]
    monkeypatch.setenv("ANALYTICS_DB", str(partial["path"]))
    assert cli(["rank", "--year", str(YEAR), "--framework", FRAMEWORK, "--json"]) == 0
    rows = {r["department"]: r for r in json.loads(capsys.readouterr().out)}
    row = rows[partial["department"]]
    assert (row["total"], row["grade"], row["rule_total"], row["rule_grade"]) == \
           (truth["reported_total"], truth["reported_grade"], truth["rule_total"], truth["rule_grade"])
    for code, node in level1.iterrows():
        assert row[code] == node["reported"], code
    assert cli(["show", partial["department"], "--year", str(YEAR), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["summary"]["reported_total"], shown["summary"]["rule_total"],
            shown["summary"]["rule_grade"]) == (truth["reported_total"], truth["rule_total"], truth["rule_grade"])
    top = {r["code"]: r for r in shown["indicators"] if r["depth"] == 1}
    for code, node in level1.iterrows():
        assert (top[code]["reported"], top[code]["value"]) == (node["reported"], node["value"]), code


def test_conclusions_scenarios_and_exports_agree(partial):
    store, truth, level1 = partial["store"], partial["truth"], partial["level1"]
    facts = conclusions.gather_facts(store, partial["department"], YEAR, REGION)
    assert (facts["total"], facts["grade"]) == (truth["reported_total"], truth["reported_grade"])
    assert f"{truth['reported_total']:.2f}" in conclusions.write(facts, "zh").text
    baseline = scenario.load_baseline(store, partial["department"], YEAR, REGION)
    assert baseline.level1["total"] == truth["reported_total"] and baseline.grade == truth["reported_grade"]
    for code, node in level1.iterrows():
        assert baseline.level1[code] == node["reported"], code
    unchanged = scenario.apply(baseline, {})
    assert unchanged.total == truth["reported_total"]
    exported = export_frames(store, YEAR, REGION)["evaluations"].set_index("department").loc[partial["department"]]
    assert exported["score_total"] == truth["reported_total"] and exported["grade"] == truth["reported_grade"]
