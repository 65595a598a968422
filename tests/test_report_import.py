"""import-report stores a parsed report atomically and idempotently."""
import pytest

from analytics import records, scores
from analytics.ingest.report_import import ReportImportError, import_report
from analytics.ingest.report_parser import ReportParseError, parse_report
from analytics.store import Store
from national_variants import NationalReport

TABLES = ("departments", "year_params", "evaluations", "node_inputs", "node_reported")


def snapshot(store):
    return {t: store.df(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def assert_unchanged(before, after):
    for table in TABLES:
        assert before[table].equals(after[table]), table


def variant(tmp_path, seed_report, name="北京市测试局", replace=(), filename="variant.txt"):
    text = seed_report.read_text(encoding="utf-8").replace("北京市商务局", name)
    for old, new in replace:
        text = text.replace(old, new)
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    return path


def test_import_adds_an_evaluation_with_reported_and_rule_scores(demo_db, seed_report, tmp_path):
    store = Store(demo_db)
    count = store.scalar("SELECT count(*) FROM evaluations")
    outcome = import_report(store, variant(tmp_path, seed_report), create_departments=True)
    assert outcome.status == "added" and outcome.department == "北京市测试局"
    assert store.scalar("SELECT count(*) FROM evaluations") == count + 1
    with store.transaction() as cur:
        scores.refresh(cur)
    tree = store.df("SELECT code, reported, printed, rule FROM node_results WHERE evaluation_id = ?",
                    [outcome.evaluation_id]).set_index("code")
    assert tree.loc["carryover_rate", ["reported", "rule"]].tolist() == [0.0, 1.69]
    assert tree.loc["execution_rate", ["reported", "rule"]].tolist() == [17.23, 17.23]
    assert tree.loc["budget_execution", ["reported", "printed"]].tolist() == [17.23, 17.23]
    assert tree.loc["performance_targets", "printed"] == 59.5 and tree.loc["budget_management", "printed"] == 14.0
    assert store.rows("SELECT reported_total, reported_grade, rule_total, rule_grade FROM evaluation_scores "
                      "WHERE evaluation_id = ?", [outcome.evaluation_id]) == [(90.73, "优秀", 92.42, "优秀")]
    assert store.scalar("SELECT source_kind FROM evaluations WHERE id = ?", [outcome.evaluation_id]) == "import"
    store.close()


def test_importing_the_same_file_twice_changes_nothing(demo_db, seed_report, tmp_path):
    store = Store(demo_db)
    path = variant(tmp_path, seed_report)
    import_report(store, path, create_departments=True)
    before = snapshot(store)
    assert import_report(store, path).status == "unchanged"
    assert_unchanged(before, snapshot(store))
    assert import_report(store, seed_report, source_kind="report").status == "unchanged"
    assert_unchanged(before, snapshot(store))
    store.close()


def test_a_real_report_replaces_the_synthetic_evaluation_of_that_year(demo_db, seed_report, tmp_path):
    store = Store(demo_db)
    path = variant(tmp_path, seed_report, name="北京市财政局")
    outcome = import_report(store, path)
    assert outcome.status == "replaced"
    rows = store.rows("""SELECT e.source_kind FROM evaluations e JOIN departments d ON d.id = e.department_id
                         WHERE d.name = '北京市财政局' AND e.year = 2022""")
    assert rows == [("import",)]
    store.close()


def test_a_different_file_for_a_real_evaluation_needs_replace(demo_db, seed_report, tmp_path):
    store = Store(demo_db)
    other = variant(tmp_path, seed_report, name="北京市商务局", replace=[("满意度为93.8分", "满意度为93.9分")])
    before = snapshot(store)
    with pytest.raises(ReportImportError, match="--replace"):
        import_report(store, other)
    assert_unchanged(before, snapshot(store))
    assert import_report(store, other, replace=True).status == "replaced"
    store.close()


def test_an_import_failing_half_way_leaves_the_database_unchanged(demo_db, seed_report, tmp_path, monkeypatch):
    store = Store(demo_db)
    before = snapshot(store)
    real = records.long_tables.insert_rows

    def failing(cur, table, columns, rows):  # after the department, the evaluation and its leaves were written
        real(cur, table, columns, rows)
        if table == records.STORE_TABLES.leaves:
            assert rows, "the leaves were written"
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(records.long_tables, "insert_rows", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_report(store, variant(tmp_path, seed_report, name="北京市新部门局"), create_departments=True)
    assert_unchanged(before, snapshot(store))
    store.close()


def test_an_unparseable_file_writes_nothing(demo_db, tmp_path):
    store = Store(demo_db)
    before = snapshot(store)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ReportParseError):
        import_report(store, empty)
    assert_unchanged(before, snapshot(store))
    store.close()


def test_a_national_report_is_stored_on_the_national_framework_as_reported(demo_db, tmp_path):
    path = tmp_path / "county.txt"
    path.write_text(NationalReport(printed={"教师培训人次": 8.0}).text(), encoding="utf-8")
    parsed = parse_report(path)
    assert parsed["framework"] == "national-self-evaluation" and parsed["findings"]   # the disagreement is found
    store = Store(demo_db)
    outcome = import_report(store, path, create_departments=True)
    with store.transaction() as cur:
        scores.refresh(cur)
    assert store.rows("SELECT framework_id, source_kind, budget_total, spent_total, reported_execution_rate "
                      "FROM evaluations WHERE id = ?", [outcome.evaluation_id]) == [
        ("national-self-evaluation", "import", parsed["budget_total"], parsed["spent_total"], parsed["execution_rate"])]
    leaves = store.df("SELECT code, reported, rule FROM node_results WHERE evaluation_id = ? AND code LIKE 'l3_%'",
                      [outcome.evaluation_id]).set_index("code")
    assert sorted(leaves.index) == sorted(row["code"] for row in parsed["indicators"])
    for row in parsed["indicators"]:
        assert leaves.loc[row["code"], "reported"] == row["score"], row["level3"]
        if row["rule_score"] is not None:
            assert leaves.loc[row["code"], "rule"] == row["rule_score"], row["level3"]
    teachers = next(row["code"] for row in parsed["indicators"] if row["level3"] == "教师培训人次")
    assert leaves.loc[teachers, ["reported", "rule"]].tolist() == [8.0, 9.0]
    execution = store.rows("SELECT reported, rule FROM node_results WHERE evaluation_id = ? AND code = ?",
                           [outcome.evaluation_id, "execution_rate"])
    assert execution == [(parsed["score_execution_rate"], parsed["checks"][0]["rule"])]
    assert store.rows("SELECT reported_total, reported_grade, rule_total FROM evaluation_scores "
                      "WHERE evaluation_id = ?", [outcome.evaluation_id]) == [
        (parsed["score_total"], parsed["grade"], parsed["rule_total"])]
    store.close()


def test_a_national_indicator_outside_every_group_is_refused_not_dropped(demo_db, tmp_path):
    path = tmp_path / "county.txt"
    path.write_text(NationalReport().text().replace("时效指标", "杂项指标"), encoding="utf-8")
    store = Store(demo_db)
    before = snapshot(store)
    with pytest.raises(ReportParseError) as refused:
        import_report(store, path, create_departments=True)
    assert refused.value.code == "report_indicator_unplaced" and refused.value.params["level2"] == "杂项指标"
    assert "杂项指标" in refused.value.message("zh") and "no indicator group" in refused.value.message("en")
    assert_unchanged(before, snapshot(store))
    store.close()
