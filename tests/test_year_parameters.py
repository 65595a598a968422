"""A changed year parameter (市级平均差异率) rescores every evaluation of that region and year that reads it,
in the same version as the import that changed it; a report never overwrites a published one silently."""
import math

import pytest

from analytics.domain import long_tables
from analytics.domain.evaluation import EvaluationInputs
from analytics.domain.score_one import score_evaluation
from analytics.ingest.bulk_import import import_files
from analytics.ingest.messages import issue_table, notice_text
from analytics.ingest.report_import import import_report
from analytics.records import FIGURE_FIELDS, MUNICIPAL_AVG_DIFF_RATE
from analytics.scores import STORE_TABLES, stored_frameworks
from analytics.store import Store
from analytics.versions import Change, new_version
from test_bulk_import import frames_2022, workbook_bytes  # noqa: F401  (frames_2022 is a fixture)
from test_department_names import commerce_frames, report_variant

REGION = "北京市"
DIFF_RATE = "final_account_diff_rate"      # the concept of the indicator that reads the municipal average


def municipal_average(store, year):
    return store.scalar("SELECT value FROM year_params WHERE region = ? AND year = ? AND key = ?",
                        [REGION, year, MUNICIPAL_AVG_DIFF_RATE])


def diff_rate_scores(store, year) -> dict:
    cur = store.cursor()
    frameworks = stored_frameworks(cur)
    cur.close()
    rows = store.rows("""
        SELECT d.name, e.framework_id, r.code, r.rule FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
        JOIN departments d ON d.id = e.department_id WHERE d.region = ? AND e.year = ?""", [REGION, year])
    scores = {name: rule for name, fid, code, rule in rows
              if code in {n.code for n, _, _ in frameworks[fid].walk() if n.concept == DIFF_RATE}}
    assert len(scores) == len({name for name, *_ in rows})
    return scores


def in_version(db, write):
    """Run ``write(store)`` as one new data version, as every command and page does."""
    with new_version(db, Change("import", "test")) as draft:
        return write(draft.store)


def assert_every_evaluation_scored_with_the_stored_parameters(store, year):
    """Recompute each evaluation of the year through the one-evaluation scorer, from its figures, its
    leaves' inputs and the year's parameters as stored, and compare every leaf's rule rate and rule score
    and the total by the rules with what the store's views give."""
    params = dict(store.rows("SELECT key, value FROM year_params WHERE region = ? AND year = ?", [REGION, year]))
    evaluations = store.df(f"""
        SELECT e.id, d.name, {', '.join('e.' + f for f in FIGURE_FIELDS)}, s.rule_total
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id WHERE d.region = ? AND e.year = ?""", [REGION, year])
    assert len(evaluations) >= 50
    cur = store.cursor()
    frameworks = stored_frameworks(cur)
    stored_inputs = long_tables.read(cur, frameworks, evaluations["id"].tolist(), STORE_TABLES)
    cur.close()
    for row in evaluations.to_dict("records"):
        key, inputs = stored_inputs[row["id"]]
        figures = {f: row[f] for f in FIGURE_FIELDS
                   if row[f] is not None and not (isinstance(row[f], float) and math.isnan(row[f]))}
        expected = score_evaluation(frameworks[key], EvaluationInputs({**figures, **params}, inputs.leaves,
                                                                      inputs.reported, inputs.brought))
        stored = {code: (rate, rule) for code, rate, rule in store.rows(
            "SELECT code, rate, rule FROM node_results WHERE evaluation_id = ?", [row["id"]])}
        for leaf in frameworks[key].leaves():
            node = expected.nodes[leaf.code]
            assert stored[leaf.code] == (node.rate, node.rule), (row["name"], leaf.code)
        assert row["rule_total"] == expected.total_rule, row["name"]


def test_a_workbook_changing_the_municipal_average_rescores_the_whole_year(demo_db, frames_2022):
    store = Store(demo_db, read_only=True)
    before = diff_rate_scores(store, 2022)
    assert municipal_average(store, 2022) == 28.3
    store.close()
    frames = commerce_frames(frames_2022)          # the file holds one evaluation of the year
    params = frames["parameters"]
    params.loc[(params["year"] == 2022) & (params["key"] == MUNICIPAL_AVG_DIFF_RATE), "value"] = 60.0
    frames["parameters"] = params[params["year"] == 2022]
    result = import_files(demo_db, [("avg.xlsx", workbook_bytes(frames))])
    assert result.accepted, issue_table(result.issues, "en")
    store = Store(demo_db, read_only=True)
    assert municipal_average(store, 2022) == 60.0
    after = diff_rate_scores(store, 2022)
    changed = {name for name in before if before[name] != after[name] and name != "北京市商务局"}
    assert len(changed) >= 5          # evaluations outside the file moved with the parameter
    assert_every_evaluation_scored_with_the_stored_parameters(store, 2022)
    assert store.scalar("SELECT count(*) FROM data_versions") == 2          # one version for all of it
    store.close()
    [change] = result.parameter_changes
    assert (change.year, change.old, change.new, change.rescored) == (2022, 28.3, 60.0, len(before))
    assert "28.3" in notice_text(change.notice(), "zh") and "60" in notice_text(change.notice(), "en")


def test_a_report_stating_another_published_average_keeps_the_stored_one_and_says_so(demo_db, seed_report,
                                                                                     tmp_path):
    path = report_variant(tmp_path, seed_report, "北京市测试局")
    path.write_text(path.read_text(encoding="utf-8").replace("市级平均差异率（28.3%）", "市级平均差异率（30.5%）"),
                    encoding="utf-8")
    store = Store(demo_db, read_only=True)
    before = diff_rate_scores(store, 2022)
    store.close()
    outcome = in_version(demo_db, lambda draft: import_report(draft, path, create_departments=True))
    store = Store(demo_db, read_only=True)
    assert municipal_average(store, 2022) == 28.3
    [finding] = outcome.findings
    assert finding[0] == "param_conflict" and finding[1]["stated"] == 30.5 and finding[1]["stored"] == 28.3
    zh, en = notice_text(finding, "zh"), notice_text(finding, "en")
    assert "30.5" in zh and "28.3" in zh and "--replace-parameters" in en
    assert store.scalar("SELECT reported_municipal_avg_diff_rate FROM evaluations WHERE id = ?",
                        [outcome.evaluation_id]) == 30.5            # what the report says is kept beside it
    assert_every_evaluation_scored_with_the_stored_parameters(store, 2022)
    assert {k: v for k, v in diff_rate_scores(store, 2022).items() if k in before} == before
    store.close()


def test_a_report_replacing_the_average_when_asked_rescores_the_whole_year(demo_db, seed_report, tmp_path):
    path = report_variant(tmp_path, seed_report, "北京市测试局")
    path.write_text(path.read_text(encoding="utf-8").replace("市级平均差异率（28.3%）", "市级平均差异率（60%）"),
                    encoding="utf-8")
    outcome = in_version(demo_db, lambda draft: import_report(draft, path, create_departments=True,
                                                              replace_parameters=True))
    assert [code for code, _ in outcome.findings] == ["param_changed"]
    store = Store(demo_db, read_only=True)
    assert municipal_average(store, 2022) == 60.0
    assert_every_evaluation_scored_with_the_stored_parameters(store, 2022)
    store.close()


def test_a_report_replaces_a_synthetic_average_and_rescores_that_year(demo_db, seed_report, tmp_path):
    path = report_variant(tmp_path, seed_report, "北京市测试局")
    # the report of 2021: every year it names one earlier (figures are read only for the title's year)
    text = path.read_text(encoding="utf-8").replace("2021年", "2020年").replace("2022年", "2021年")
    path.write_text(text, encoding="utf-8")
    store = Store(demo_db, read_only=True)
    synthetic = municipal_average(store, 2021)
    before = diff_rate_scores(store, 2021)
    store.close()
    assert synthetic != 28.3
    outcome = in_version(demo_db, lambda draft: import_report(draft, path, create_departments=True))
    store = Store(demo_db, read_only=True)
    assert any(before[name] != diff_rate_scores(store, 2021)[name] for name in before)   # the year was rescored
    assert outcome.year == 2021 and municipal_average(store, 2021) == 28.3
    [(code, params)] = outcome.findings
    assert code == "param_changed" and params["old"] == synthetic and params["new"] == 28.3
    assert_every_evaluation_scored_with_the_stored_parameters(store, 2021)
    store.close()
