"""Trends, municipal comparison and data & method pages, driven by AppTest against real databases.

Every expected figure is computed here straight from the database, independently of analytics.stats.
"""
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics import compare, scores
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.store import Store
from apptest import open_app, values
from mixed_frameworks import NATIONAL, NATIONAL_NAMES, build_mixed

SEED_SHA256 = "674aacc64f44b68d3bfa6349bd9a3ea4b4e45a137a3d47077fbadfc8620d98c8"


def open_page(db_path, monkeypatch, page: str) -> AppTest:
    return open_app(monkeypatch, db_path, page)


@pytest.fixture
def trends(demo_db_master, monkeypatch):
    return open_page(demo_db_master, monkeypatch, "trends")


@pytest.fixture
def municipal(demo_db_master, monkeypatch):
    return open_page(demo_db_master, monkeypatch, "municipal")


@pytest.fixture
def method(demo_db_master, monkeypatch):
    return open_page(demo_db_master, monkeypatch, "method")


@pytest.fixture
def seed_only_db(tmp_path):
    """A database holding the one real report and nothing else."""
    path = tmp_path / "seed.duckdb"
    store = Store(path)
    import_report(store, SEED_REPORT, source_kind="report", create_departments=True)
    with store.transaction() as cur:      # a bare Store's write: the derived scores are refreshed by hand
        scores.refresh(cur)
    store.close()
    return path




def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]




def trace(spec: dict, name: str) -> dict:
    return next(t for t in spec["data"] if t.get("name") == name)


def texts(at) -> str:
    return " ".join(e.value for kind in ("info", "warning", "markdown", "caption", "subheader", "header", "title")
                    for e in getattr(at, kind))


# -- trends ----------------------------------------------------------------------------------------

def test_trends_default_shows_the_commerce_bureau_against_the_municipal_mean(trends, demo_store):
    assert trends.multiselect(key="departments").value == ["北京市商务局"]
    assert trends.selectbox(key="metric").value == "total"
    spec = charts(trends)[0]
    expected = demo_store.df("""SELECT e.year, avg(s.reported_total) AS mean FROM evaluations e
                        JOIN departments d ON d.id = e.department_id JOIN evaluation_scores s ON s.evaluation_id = e.id
                        WHERE d.region = '北京市' GROUP BY 1 ORDER BY 1""")
    mean = trace(spec, "同体系均值")
    assert list(values(mean["x"])) == list(expected["year"])
    assert np.allclose(values(mean["y"]), expected["mean"])
    real = trace(spec, "真实报告")
    assert list(values(real["x"])) == [2022] and list(values(real["y"])) == [90.73]
    assert real["marker"]["symbol"] == "star" and "真实报告" in real["hovertemplate"]
    line = trace(spec, "北京市商务局")
    assert len(values(line["x"])) == 6 and "合成演示数据" in line["customdata"]
    assert any("合成演示数据" in w.value for w in trends.warning)


def test_trends_metric_selector_changes_the_chart_to_the_execution_rate(trends, demo_store):
    trends.selectbox(key="metric").set_value("execution_rate").run()
    assert not trends.exception
    spec = charts(trends)[0]
    assert "预算执行率" in spec["layout"]["title"]["text"]
    expected = demo_store.df("""SELECT e.year, avg(r.rate) AS mean FROM node_results r
                        JOIN evaluations e ON e.id = r.evaluation_id JOIN departments d ON d.id = e.department_id
                        WHERE r.code = 'execution_rate' AND d.region = '北京市' GROUP BY 1 ORDER BY 1""")
    assert np.allclose(values(trace(spec, "同体系均值")["y"]), expected["mean"])
    assert list(values(trace(spec, "真实报告")["y"])) == [86.17]


def test_trends_department_selector_adds_a_line_and_table_rows(trends):
    before = len(trends.dataframe[0].value)
    trends.multiselect(key="departments").select("北京市财政局").run()
    assert not trends.exception
    names = {t.get("name") for t in charts(trends)[0]["data"]}
    assert {"北京市商务局", "北京市财政局"} <= names
    table = trends.dataframe[0].value
    assert len(table) == 2 * before and set(table["部门"]) == {"北京市商务局", "北京市财政局"}
    real = table[table["数据来源"] == "真实报告"].iloc[0]
    assert real["年度"] == 2022 and real["总分"] == 90.73


def test_trends_without_a_department_asks_for_one(trends):
    trends.multiselect(key="departments").set_value([]).run()
    assert not trends.exception
    assert any("请至少选择一个部门" in i.value for i in trends.info)
    assert not trends.get("plotly_chart")


def test_trends_switch_to_english(trends):
    trends.radio(key="lang_switch").set_value("en").run()
    assert not trends.exception
    assert trends.title[0].value == "Trends"
    assert "Mean of the same framework" in {t.get("name") for t in charts(trends)[0]["data"]}
    assert {"Department", "Total change", "Rank change"} <= set(trends.dataframe[0].value.columns)


def test_trends_with_one_year_only_says_there_is_no_history(seed_only_db, monkeypatch):
    at = open_page(seed_only_db, monkeypatch, "trends")
    message = " ".join(i.value for i in at.info)
    assert "暂无历史" in message and "2022" in message and "90.73" in message
    assert not at.get("plotly_chart")
    assert list(at.dataframe[0].value["总分"]) == [90.73]
    assert not any("合成演示数据" in w.value for w in at.warning)


# -- municipal comparison --------------------------------------------------------------------------

def test_municipal_heatmap_follows_the_year_selector(municipal, demo_store):
    assert municipal.selectbox(key="year").value == 2023
    z2023 = values(charts(municipal)[0]["data"][0]["z"])
    assert z2023.shape == (55, 16)
    municipal.selectbox(key="year").set_value(2022).run()
    assert not municipal.exception
    assert "2022 年各部门各项指标得分率" in texts(municipal)
    z2022 = values(charts(municipal)[0]["data"][0]["z"])
    top = demo_store.scalar("""SELECT d.short_name FROM evaluations e JOIN departments d ON d.id = e.department_id
                       JOIN evaluation_scores s ON s.evaluation_id = e.id
                       WHERE e.year = 2022 AND d.region = '北京市' ORDER BY s.reported_total DESC, d.name LIMIT 1""")
    assert charts(municipal)[0]["layout"]["yaxis"]["ticktext"][0] == top
    assert z2022.shape == (55, 16) and not np.array_equal(z2022, z2023)


def test_municipal_percentiles_and_means_for_a_known_department(municipal, demo_store):
    municipal.selectbox(key="year").set_value(2022).run()
    municipal.selectbox(key="department").set_value("北京市财政局").run()
    assert not municipal.exception
    table = municipal.dataframe[0].value.set_index("指标")
    totals = demo_store.df("SELECT d.name, s.reported_total AS total FROM evaluations e "
                   "JOIN departments d ON d.id = e.department_id JOIN evaluation_scores s ON s.evaluation_id = e.id "
                   "WHERE e.year = 2022 AND d.region = '北京市'")
    own = totals.loc[totals["name"] == "北京市财政局", "total"].iloc[0]
    total = table.loc["总分"]
    assert total["本部门"] == own
    assert total["本地区均值"] == round(totals["total"].mean(), 2)
    assert total["百分位"] == round((totals["total"] <= own).mean() * 100, 1)
    assert total["排名"] == (totals["total"] > own).sum() + 1
    rates = demo_store.df("""SELECT d.name, r.rate AS rule_rate FROM node_results r
                     JOIN evaluations e ON e.id = r.evaluation_id JOIN departments d ON d.id = e.department_id
                     WHERE e.year = 2022 AND d.region = '北京市' AND r.code = 'carryover_rate'""")
    own_rate = rates.loc[rates["name"] == "北京市财政局", "rule_rate"].iloc[0]
    carryover = table.loc["结转结余率（%）"]
    # lower is better: the share of departments with a rate at or above this one
    assert carryover["百分位"] == round((rates["rule_rate"] >= own_rate).mean() * 100, 1)
    assert carryover["排名"] == (rates["rule_rate"] < own_rate).sum() + 1


def test_municipal_department_selector_changes_the_comparison_and_peers(municipal):
    assert municipal.selectbox(key="department").value == "北京市商务局"
    assert "北京市商务局 与北京市各部门对比" in texts(municipal)
    municipal.selectbox(key="department").set_value("北京市财政局").run()
    assert not municipal.exception
    assert "北京市财政局 与北京市各部门对比" in texts(municipal)
    peers = municipal.dataframe[2].value
    assert "北京市财政局" in set(peers["部门"]) and list(peers["同类排名"])[0] == 1
    assert set(peers["部门"]) != {"北京市商务局"}
    assert "综合管理" in charts(municipal)[-1]["layout"]["title"]["text"]


def test_municipal_with_one_department_without_category_explains_the_missing_peers(seed_only_db, monkeypatch):
    at = open_page(seed_only_db, monkeypatch, "municipal")
    assert at.selectbox(key="year").value == 2022
    assert any("未登记部门类别" in i.value for i in at.info)
    standing = at.dataframe[0].value.set_index("指标")
    assert standing.loc["总分", "本部门"] == 90.73 and standing.loc["总分", "百分位"] == 100.0


def test_municipal_measure_selector_changes_the_distribution(municipal):
    municipal.selectbox(key="measure").set_value("diff_rate").run()
    assert not municipal.exception
    spec = next(s for s in charts(municipal) if "各部门分布" in s["layout"].get("title", {}).get("text", ""))
    assert "部门预决算差异率" in spec["layout"]["title"]["text"] and spec["layout"]["xaxis"]["ticksuffix"] == "%"


def test_municipal_page_name_does_not_call_a_county_a_city(demo_db_master, monkeypatch):
    """The page compares departments within any region (a city, a county): its name says neither."""
    county = open_app(monkeypatch, demo_db_master, "municipal", region="示例县(合成)")
    assert county.title[0].value == "地区内对比"
    assert "全市" not in county.title[0].value and not any("全市" in c.value for c in county.caption)


def test_municipal_switch_to_english(municipal):
    municipal.radio(key="lang_switch").set_value("en").run()
    assert not municipal.exception
    assert municipal.title[0].value == "Within-region comparison"
    assert {"Measure", "This department", "Percentile"} <= set(municipal.dataframe[0].value.columns)
    assert "Budget execution rate" in charts(municipal)[0]["layout"]["xaxis"]["ticktext"]


# -- data & method ---------------------------------------------------------------------------------

def tables_with(at, column: str) -> list:
    """The page's tables having a column of that header, in page order."""
    return [frame.value for frame in at.dataframe if column in frame.value.columns]


def framework_tables(at, column: str) -> dict:
    """Per framework heading on the page (its zh name), its table having that column."""
    names = [h.value.removeprefix("评价指标体系：") for h in at.header if h.value.startswith("评价指标体系：")]
    tables = tables_with(at, column)
    assert len(tables) == len(names), (names, len(tables))
    return dict(zip(names, tables))


def test_method_lists_the_real_report_with_its_hash_and_the_synthetic_count(method, demo_store):
    counts = dict(demo_store.rows("SELECT source_kind = 'synthetic', count(*) FROM evaluations GROUP BY 1"))
    departments = demo_store.scalar("SELECT count(DISTINCT department_id) FROM evaluations")
    metrics = {m.label: m.value for m in method.metric}
    assert metrics["真实评价"] == "1" == str(counts[False])
    assert metrics["合成评价"] == str(counts[True]) and metrics["部门"] == str(departments)
    assert SEED_SHA256 in texts(method) and "beijing-commerce-2022.txt" in texts(method)
    assert "20221" in texts(method)           # the generator's seed
    by_source = method.dataframe[0].value.set_index("数据来源")
    assert by_source.loc["真实报告", "评价数"] == 1 and by_source.loc["合成演示数据", "评价数"] == counts[True]


def test_method_says_how_the_synthetic_county_is_made(method, demo_store):
    county, seed = (demo_store.scalar(f"SELECT value FROM meta WHERE key = '{key}'")
                    for key in ("synthetic_county", "synthetic_county_seed"))
    years, departments = demo_store.rows(
        "SELECT list(DISTINCT e.year ORDER BY e.year), count(DISTINCT d.id) FROM evaluations e "
        "JOIN departments d ON d.id = e.department_id WHERE d.region = ?", [county])[0]
    note = next(m.value for m in method.markdown if "analytics.domain.synthetic_county" in m.value)
    assert county in note and f"**{seed}**" in note
    assert f"{departments} 个部门" in note and f"{years[0]}–{years[-1]}" in note


def test_method_explains_the_framework_rules_and_parameters(method, demo_store):
    shown = texts(method)
    assert "每项不符合扣 0.8 分" in shown and "每高出 10 个百分点（含）扣 0.4 分" in shown
    names = dict(demo_store.rows("SELECT id, name_zh FROM frameworks"))
    trees = framework_tables(method, "规则类型")
    assert set(trees) == {names["beijing-2022"]}            # the chosen framework only: the most used
    options = method.selectbox(key="framework").options      # named with their version where the name has none
    assert len(options) == len(names) and all(any(o.startswith(n) for n in names.values()) for o in options)
    beijing = trees[names["beijing-2022"]]
    assert len(beijing) == 16 and beijing["分值"].astype(float).sum() == 100
    checks = tables_with(method, "检查内容")
    assert len(checks) == 1 and len(checks[0]) == 21       # the national layout has no checklist
    assert "是否存在截留、挤占、挪用情况" in set(checks[0]["检查内容"])
    params = tables_with(method, "参数")[0].set_index("年度")
    assert params.loc[2022, "数值"] == 28.3 and params.loc[2022, "数据来源"] == "真实报告"
    assert params.loc[2021, "数据来源"] == "合成演示数据"


def test_method_explains_the_national_layout_whose_departments_set_their_own_weights(method, demo_store):
    method.selectbox(key="framework").set_value("national-self-evaluation").run()
    assert not method.exception
    assert not tables_with(method, "检查内容")                 # the national layout has no checklist
    grades = tables_with(method, "等级")[0]
    assert list(grades["等级"]) == [b["grade"] for b in json.loads(demo_store.scalar(
        "SELECT grade_bands FROM frameworks WHERE id = 'national-self-evaluation'"))]
    national = framework_tables(method, "规则类型")[
        demo_store.scalar("SELECT name_zh FROM frameworks WHERE id = 'national-self-evaluation'")]
    own = national[national["规则类型"] == "各部门自设指标"]
    assert len(own) and set(own["分值"]) == {"自定"}          # not "None" in the grid
    assert set(national["分值"]) - {"自定"} == {"10.00"}        # only 预算执行率 is fixed
    shown = texts(method)
    assert "nan" not in shown
    assert "**数量指标**（各部门自设指标）：各部门在本组下自行设定三级指标及分值" in shown


def test_method_switch_to_english(method):
    method.radio(key="lang_switch").set_value("en").run()
    assert not method.exception
    assert method.title[0].value == "Data & method"
    assert "Checklist deduction" in set(method.dataframe[2].value["Rule kind"])
    assert "Excellent" in set(method.dataframe[4].value["Grade"])


def test_pages_on_a_database_without_evaluations_explain_instead_of_failing(tmp_path, monkeypatch):
    Store(tmp_path / "empty.duckdb").close()
    for page in ("trends", "municipal", "method"):
        at = open_page(tmp_path / "empty.duckdb", monkeypatch, page)
        assert any("还没有评价数据" in i.value for i in at.info), page


@pytest.mark.parametrize("page", ["municipal", "trends"])
def test_a_year_of_two_frameworks_is_compared_within_the_chosen_one(tmp_path, monkeypatch, page):
    """Means, percentiles and peers never mix frameworks: the national layout's departments only, under
    its own level-1 names, once it is chosen."""
    db = build_mixed(tmp_path / "mixed.duckdb")
    at = open_page(db, monkeypatch, page)
    at.selectbox(key="framework").set_value(NATIONAL).run()
    assert not at.exception
    store = Store(db, read_only=True)
    level1 = compare.level1_nodes(store, NATIONAL)["name_zh"]
    store.close()
    if page == "municipal":
        at.selectbox(key="department").set_value(NATIONAL_NAMES[0]).run()
        standing = at.dataframe[0].value.set_index("指标")
        assert {f"{name}得分" for name in level1} <= set(standing.index)
        assert "预算执行率（%）" in standing.index and "结转结余率（%）" not in standing.index
        assert (standing["排名"].dropna() <= 3).all()
        assert values(charts(at)[0]["data"][0]["z"]).shape[0] == 3          # the heatmap's rows
    else:
        assert set(at.multiselect(key="departments").options) == set(NATIONAL_NAMES)
        assert {f"{name}得分" for name in level1} <= set(at.selectbox(key="metric").options)
