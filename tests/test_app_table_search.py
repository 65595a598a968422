"""The search box over a table keeps the rows that contain the typed text, on every table that lists
departments, indicators, parameters or records and can hold more than a handful of rows (rankings and
trends have their own tests): the rule-change ranking, the municipal tables, the data page's versions,
frameworks and audit log, the cross-framework, department, method and what-if tables."""
from analytics import catalog, versions
from analytics.records import delete_evaluation
from apptest import open_app

ACTION = "操作"


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def search(at, key: str, text: str):
    at.text_input(key=f"{key}_search").input(text).run()
    assert not at.exception, at.exception
    return at


def test_the_rule_change_ranking_is_searched_by_department(demo_db_master, demo_store, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "rule_change", year="2022")
    everyone = table_with(at, "新排名")
    search(at, "rule_change_ranking", "商务")
    found = table_with(at, "新排名")
    expected = [name for name in everyone["部门"] if "商务" in name]
    assert list(found["部门"]) == expected and 0 < len(found) < len(everyone)
    search(at, "rule_change_ranking", "没有这个部门")
    assert table_with(at, "新排名").empty


def test_the_peer_table_and_the_audit_log_are_searched(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "municipal", year="2022", department="北京市商务局")
    peers = table_with(at, "同类排名")
    name = peers["部门"].iloc[-1]
    search(at, "peer_table", name)
    assert list(table_with(at, "同类排名")["部门"]) == [n for n in peers["部门"] if name in n]
    data = open_app(monkeypatch, demo_db_master, "data")
    log = table_with(data, ACTION)
    word = str(log[ACTION].iloc[0])
    search(data, "audit_log", word)
    texts = log.select_dtypes(exclude="number").astype(str)
    expected = log[texts.apply(lambda column: column.str.contains(word, case=False, regex=False)).any(axis=1)]
    assert len(table_with(data, ACTION)) == len(expected) > 0


# -- every other table that lists departments, indicators, parameters or records ----------------------

COUNTY = "示例县(合成)"


def nth_table_with(at, column: str, nth: int = 0):
    """The ``nth`` st.dataframe (in page order) holding ``column`` (a table without a selection has no key)."""
    return [d.value for d in at.dataframe if column in d.value.columns][nth]


def static_table_with(at, column: str):
    """The st.table holding ``column`` (a static table: its rows wrap)."""
    return next(t.value for t in at.table if column in t.value.columns)


def matching(frame, word: str):
    """The rows of ``frame`` with ``word`` in some text column, as a reader would pick them."""
    texts = frame.select_dtypes(include=["object", "string"]).astype(str)
    return frame[texts.apply(lambda column: column.str.contains(word, case=False, regex=False)).any(axis=1)]


def assert_searched(at, key: str, column: str, nth: int = 0, read=None, row: int = -1):
    """Typing one row's ``column`` value into the box of the table ``key`` (the ``nth`` holding ``column``)
    keeps exactly the rows that contain it, fewer than before; a word found nowhere leaves none."""
    read = read or (lambda: nth_table_with(at, column, nth))
    before = read()
    word = str(before[column].iloc[row])
    search(at, key, word)
    after = read()
    expected = matching(before, word)
    assert list(after[column]) == list(expected[column]) and 0 < len(after) < len(before), (key, word)
    search(at, key, "没有这一行")
    assert read().empty, key
    search(at, key, "")
    assert len(read()) == len(before), key


def test_the_cross_framework_grade_and_concept_tables_are_searched(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "cross_framework")
    assert_searched(at, "xf_grades_table", "指标体系 · 地区", nth=1)     # the first: the totals
    assert_searched(at, "xf_concepts_table", "指标体系 · 地区", nth=2)


def test_the_department_scores_and_own_indicators_are_searched(demo_db_master, demo_store, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "department", department="北京市商务局", year="2022")
    assert_searched(at, "dept_scores_table", "三级指标")
    row = demo_store.df("""
        SELECT d.name, e.year FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN node_inputs i ON i.evaluation_id = e.id WHERE d.region = ? AND i.deviation_reason <> ''
        GROUP BY ALL HAVING count(*) >= 2 ORDER BY e.year DESC, d.name LIMIT 1""", [COUNTY]).iloc[0]
    county = open_app(monkeypatch, demo_db_master, "department", region=COUNTY, department=row["name"],
                      year=str(row["year"]))
    assert_searched(county, "dept_brought_table", "三级指标", read=lambda: static_table_with(county, "偏差原因"))


def test_the_method_pages_tree_checks_years_and_parameters_are_searched(demo_db_master, demo_store, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "method", framework="beijing-2022")
    assert_searched(at, "framework_beijing-2022", "三级指标")
    assert_searched(at, "checks_beijing-2022", "检查内容")
    real = list(catalog.source_by_year(demo_store)["source_kind"]).index("report")
    assert_searched(at, "data_by_year", "数据来源", nth=1, row=real)     # the first: by source kind
    real = list(catalog.year_params(demo_store, "zh")["source_kind"]).index("report")
    assert_searched(at, "year_parameters", "出处", row=real)


def test_the_municipal_standing_tables_are_searched(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "municipal", year="2022", department="北京市商务局")
    for nth, key in enumerate(("standing", "indicator_standing", "peer_means")):
        assert_searched(at, key, "指标", nth)


def test_the_data_pages_versions_and_frameworks_are_searched(demo_db, monkeypatch):
    with versions.new_version(demo_db, versions.Change("delete", "北京市商务局 2022")) as draft:
        with draft.store.transaction() as cur:
            delete_evaluation(cur, "北京市", "北京市商务局", 2022)
    at = open_app(monkeypatch, demo_db, "data")
    assert_searched(at, "frameworks_table", "代码")
    assert_searched(at, "versions_table", "类型")


def test_the_whatif_scores_table_is_searched(demo_db_master, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))
    at = open_app(monkeypatch, demo_db_master, "whatif", department="北京市商务局", year="2022")
    assert_searched(at, "whatif_scores_table", "指标")
