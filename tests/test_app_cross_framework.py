"""The cross-framework view (跨框架对比) in AppTest: per framework and region, the distribution of totals,
the grade shares and the shared-concept rates equal what DuckDB computes from the store, in zh and en,
and the words say what is and is not comparable.  Expected figures are computed here with SQL."""
import json

import numpy as np
import pytest

from analytics import scores
from analytics.domain.loader import shipped_frameworks
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.store import Store
from apptest import open_app, values
from mixed_frameworks import BEIJING_NAMES, NATIONAL_NAMES, build_mixed

TOTALS = """SELECT f.id, f.name_zh, f.name_en, d.region, count(*) AS n, avg(s.reported_total) AS mean,
                   median(s.reported_total) AS median, quantile_cont(s.reported_total, 0.25) AS q1,
                   quantile_cont(s.reported_total, 0.75) AS q3, min(s.reported_total) AS lo,
                   max(s.reported_total) AS hi
            FROM evaluations e JOIN departments d ON d.id = e.department_id
            JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
            WHERE e.year = ? GROUP BY ALL ORDER BY n DESC, f.id, d.region"""


def execution_codes() -> list[str]:
    """The codes carrying the execution-rate concept in the shipped frameworks."""
    return sorted({node.code for fw, _ in shipped_frameworks().values() for node, _, _ in fw.walk()
                   if node.concept == "execution_rate"})


@pytest.fixture
def view(demo_db_master, monkeypatch):
    return open_app(monkeypatch, demo_db_master, "cross_framework")


TABLES = ("xf_totals_table", "xf_grades_table", "xf_concepts_table")


def table(at, name):
    """One of the view's three tables, in page order."""
    return at.dataframe[TABLES.index(name)].value


def test_totals_grades_and_the_execution_rate_per_framework_equal_the_databases(view, demo_store):
    year = view.selectbox(key="year").value
    assert year == 2023            # the latest year holding two frameworks (2024 holds the county only)
    assert 2024 not in view.selectbox(key="year").options
    expected = demo_store.df(TOTALS, [year])
    totals = table(view, "xf_totals_table")
    assert list(totals["指标体系 · 地区"]) == [f"{r.name_zh} · {r.region}" for r in expected.itertuples()]
    assert list(totals["评价数"]) == list(expected["n"])
    for column, sql in (("均值", "mean"), ("中位数", "median"), ("下四分位", "q1"), ("上四分位", "q3"),
                        ("最低", "lo"), ("最高", "hi")):
        assert np.allclose(totals[column].astype(float), expected[sql]), column
    # the box chart has every evaluation's total, per framework
    spec = json.loads(view.get("plotly_chart")[0].proto.spec)
    assert [len(values(trace["x"])) for trace in spec["data"]] == list(expected["n"])

    grades = demo_store.df("""SELECT f.name_zh, d.region, s.reported_grade AS grade, count(*) AS n
                              FROM evaluations e JOIN departments d ON d.id = e.department_id
                              JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
                              WHERE e.year = ? GROUP BY ALL""", [year])
    shown = table(view, "xf_grades_table")
    for row in grades.itertuples():
        line = shown[(shown["指标体系 · 地区"] == f"{row.name_zh} · {row.region}") & (shown["等级"] == row.grade)]
        assert list(line["评价数"]) == [row.n]
        assert line["占比（%）"].iloc[0] == pytest.approx(100 * row.n / grades[grades["name_zh"] == row.name_zh]["n"].sum())
    assert set(shown["等级"]) >= {"优秀", "优"}                  # each framework's own grade labels

    rates = demo_store.df("""SELECT f.name_zh, d.region, avg(r.rate) AS mean, median(r.rate) AS median, count(*) AS n
                             FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
                             JOIN departments d ON d.id = e.department_id JOIN frameworks f ON f.id = e.framework_id
                             WHERE e.year = ? AND r.code IN (SELECT unnest(?)) GROUP BY ALL ORDER BY n DESC""",
                          [year, execution_codes()])
    concepts = table(view, "xf_concepts_table")
    assert set(concepts["概念"]) == {"预算执行率（%）"}
    assert np.allclose(concepts["均值"].astype(float), rates["mean"])
    assert np.allclose(concepts["中位数"].astype(float), rates["median"])


def test_the_words_say_what_compares_and_what_does_not(view, demo_store):
    words = next(m.value for m in view.markdown if "指标树不同" in m.value)
    for name_zh, definition in demo_store.rows("SELECT name_zh, definition FROM frameworks"):
        level1 = len(json.loads(definition)["nodes"])
        assert f"{name_zh} 有 {level1} 个一级指标" in words
    assert "三级指标由各部门自行设定" in words
    assert "共有概念可比：预算执行率（%）" in words
    assert "不作比较：结转结余率（%）、部门预决算差异率（%）" in words     # Beijing's only
    assert "优秀 ≥ 90" in words and "优 ≥ 90" in words


def test_in_english(view, demo_store):
    view.radio(key="lang_switch").set_value("en").run()
    assert not view.exception
    assert view.title[0].value == "Cross-framework"
    expected = demo_store.df(TOTALS, [view.selectbox(key="year").value])
    totals = table(view, "xf_totals_table")
    english = dict(demo_store.rows("SELECT name, name_en FROM regions"))
    assert english == {"北京市": "Beijing", "示例县(合成)": "Example County (synthetic)"}
    assert list(totals["Framework · region"]) == [f"{r.name_en} · {english[r.region]}" for r in expected.itertuples()]
    assert np.allclose(totals["Mean"].astype(float), expected["mean"])
    assert {"Excellent", "Good"} <= set(table(view, "xf_grades_table")["Grade"])
    words = next(m.value for m in view.markdown if "indicator trees differ" in m.value)
    assert "Shared concepts compare: Budget execution rate (%)" in words
    assert "Excellent ≥ 90, Good ≥ 80" in words and "Carry-over rate (%), Budget vs" in words
    assert "中" not in "".join(totals.columns)


def test_two_frameworks_in_one_region_are_two_groups(tmp_path, monkeypatch):
    db = build_mixed(tmp_path / "mixed.duckdb")
    at = open_app(monkeypatch, db, "cross_framework")
    totals = table(at, "xf_totals_table")
    assert len(totals) == 2 and list(totals["评价数"]) == [3, 3]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    by_group = {trace["name"]: set(trace["text"]) for trace in spec["data"]}
    assert sorted(map(sorted, by_group.values())) == sorted([sorted(BEIJING_NAMES), sorted(NATIONAL_NAMES)])


def test_a_year_of_one_framework_only_says_so(monkeypatch, tmp_path):
    db = tmp_path / "one.duckdb"
    store = Store(db)
    import_report(store, SEED_REPORT, source_kind="report", create_departments=True)
    with store.transaction() as cur:
        scores.refresh(cur)
    store.close()
    at = open_app(monkeypatch, db, "cross_framework")
    assert any("只有一个指标体系" in i.value for i in at.info)
    assert not at.get("plotly_chart")
