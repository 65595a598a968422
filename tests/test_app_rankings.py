"""The rankings page (排名总览) driven by AppTest against the demo database."""
import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import compare, stats
from analytics.charts.style import GRADE_COLOURS
from analytics.store import Store
from apptest import open_app, values
from mixed_frameworks import BEIJING, BEIJING_NAMES, NATIONAL, NATIONAL_NAMES, build_mixed


@pytest.fixture
def app(demo_db_master, monkeypatch):
    return open_app(monkeypatch, demo_db_master)






def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def totals_chart(at) -> dict:
    return next(c for c in charts(at) if any(trace.get("meta") == "mean" for trace in c["data"]))


def total_dots(chart: dict) -> list[dict]:
    """The ranking chart's dots of the totals (its first panel)."""
    return [t for t in chart["data"] if t.get("mode") == "markers" and t.get("xaxis", "x") == "x"]


def table(at):
    return at.dataframe[0].value


def test_the_year_selector_changes_the_table_and_the_chart(app, demo_store):
    latest = table(app)
    assert app.selectbox(key="year").value == 2023
    app.selectbox(key="year").select(2021).run()
    assert not app.exception
    earlier = table(app)
    expected = compare.ranking(demo_store, 2021)
    assert list(earlier["部门"]) == list(expected["department"])
    assert not earlier["总分"].equals(latest["总分"])
    assert app.query_params["year"] == "2021"
    assert any(h.value == "2021 年排名：总分与各一级指标得分" for h in app.subheader)


def test_category_and_grade_filters_reduce_the_rows(app, demo_store):
    full = compare.ranking(demo_store, 2023)
    category = full["category"].dropna().iloc[0]
    app.multiselect(key="category").select(category).run()
    rows = table(app)
    assert len(rows) == int((full["category"] == category).sum()) < len(full)
    assert set(rows["类别"]) == {category}
    assert app.query_params["category"] == category
    app.multiselect(key="category").unselect(category).run()
    app.multiselect(key="grade").select("良好").run()
    rows = table(app)
    assert len(rows) == int((full["grade"] == "良好").sum()) and set(rows["等级"]) == {"良好"}
    assert sum(len(values(t["x"])) for t in total_dots(totals_chart(app))) == len(rows)


def test_filters_that_leave_no_rows_explain_instead_of_failing(app, demo_store):
    full = compare.ranking(demo_store, 2022)
    counts = full.groupby(["category", "grade"]).size()
    empty = next((c, g) for c in full["category"].dropna().unique() for g in full["grade"].unique()
                 if (c, g) not in counts.index)
    app.selectbox(key="year").select(2022).run()
    app.multiselect(key="category").select(empty[0]).run()
    app.multiselect(key="grade").select(empty[1]).run()
    assert not app.exception
    assert any("请放宽筛选条件" in i.value for i in app.info)
    assert not app.dataframe


def test_the_table_shows_year_on_year_changes_and_the_rule_total_where_it_differs(app, demo_store):
    app.selectbox(key="year").select(2022).run()
    rows = table(app).set_index("部门")
    history = stats.year_on_year(stats.evaluations(demo_store, "北京市", [2021, 2022]))
    commerce = history[(history["department"] == "北京市商务局") & (history["year"] == 2022)].iloc[0]
    assert rows.loc["北京市商务局", "较上年得分变化"] == pytest.approx(commerce["total_change"])
    assert rows.loc["北京市商务局", "排名变化"] == commerce["rank_change"]
    assert rows.loc["北京市商务局", "按规则计算总分"] == 92.42
    # Departments whose rule total equals the reported one leave the column empty.
    assert rows["按规则计算总分"].isna().sum() >= len(rows) - 5


def test_the_ranking_chart_marks_the_municipal_mean_and_median_and_colours_grades(app, demo_store):
    full = compare.ranking(demo_store, 2023)
    chart = totals_chart(app)
    lines = {t["meta"]: values(t["x"]) for t in chart["data"] if t.get("meta") in ("mean", "median")}
    assert lines["mean"] == pytest.approx([full["total"].mean()] * 2)
    assert lines["median"] == pytest.approx([full["total"].median()] * 2)
    dots = total_dots(chart)
    assert {t["marker"]["color"] for t in dots} <= set(GRADE_COLOURS.values())
    assert sum(len(values(t["x"])) for t in dots) == len(full)
    names = [t["name"] for t in chart["data"] if t.get("meta") == "mean"]
    assert names == [f"同体系均值 {full['total'].mean():.2f}"]


def test_grade_distribution_and_movers_are_drawn(app, demo_store):
    full = compare.ranking_with_changes(demo_store, 2023)
    distribution = next(c for c in charts(app) if c["layout"].get("title", {}).get("text") == "等级分布")
    counts = dict(zip(distribution["data"][0]["x"], values(distribution["data"][0]["y"])))
    assert counts["优秀"] == int((full["grade"] == "优秀").sum())
    movers = next(c for c in charts(app) if "较上年变化最大" in c["layout"].get("title", {}).get("text", ""))
    risers = next(t for t in movers["data"] if t["name"] == "上升")
    assert values(risers["x"])[0] == pytest.approx(full["total_change"].max())


def test_the_earliest_year_has_no_movers_and_says_so(app):
    app.selectbox(key="year").select(2018).run()
    assert not app.exception
    assert any("没有可比较的上一年度数据" in i.value for i in app.info)


def test_english_translates_labels_filters_and_charts(app):
    app.radio(key="lang_switch").set_value("en").run()
    assert not app.exception
    assert {"Rank", "Department", "Score change vs last year", "Rank change"} <= set(table(app).columns)
    assert app.multiselect(key="category").label == "Category"
    titles = [c["layout"].get("title", {}).get("text") for c in charts(app)]
    assert "Grade distribution" in titles
    assert any(h.value == "Ranking 2023: total and level-1 scores" for h in app.subheader)
    assert table(app)["Grade"].isin(["Excellent", "Good", "Fair", "Poor"]).all()


def test_open_department_goes_to_its_page_with_the_year_in_the_url(app):
    app.selectbox(key="year").select(2022).run()
    app.selectbox(key="rankings_pick").select("北京市商务局").run()
    app.button(key="rankings_open_button").click().run()
    assert not app.exception
    assert app.query_params["department"] == "北京市商务局" and app.query_params["year"] == "2022"
    assert app.selectbox(key="department").value == "北京市商务局"
    assert app.selectbox(key="year").value == 2022
    assert app.metric[0].value == "90.73"


def test_a_shared_url_restores_year_and_filters(demo_db_master, monkeypatch):
    monkeypatch.setenv("ANALYTICS_DB", str(demo_db_master))
    st.cache_resource.clear()
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.query_params.update({"year": "2020", "grade": "良好", "lang": "en"})
    at.run()
    assert not at.exception
    assert at.selectbox(key="year").value == 2020
    assert at.multiselect(key="grade").value == ["良好"]
    assert set(table(at)["Grade"]) == {"Good"}


def test_a_database_without_evaluations_explains_instead_of_failing(empty_store, monkeypatch):
    empty_store.close()
    monkeypatch.setenv("ANALYTICS_DB", str(empty_store.path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception
    assert any("还没有评价数据" in i.value for i in at.info)


def test_a_year_of_two_frameworks_is_ranked_within_the_chosen_one(tmp_path, monkeypatch):
    """A year holding Beijing's template and the national layout: a framework selector, and the table
    and charts hold the chosen framework's departments under its own level-1 names, never both."""
    db = build_mixed(tmp_path / "mixed.duckdb")
    at = open_app(monkeypatch, db)
    store = Store(db, read_only=True)
    level1 = {code: compare.level1_nodes(store, code)["name_zh"].tolist() for code in (BEIJING, NATIONAL)}
    store.close()
    assert len(at.selectbox(key="framework").options) == 2
    for framework, names in ((BEIJING, BEIJING_NAMES), (NATIONAL, NATIONAL_NAMES)):
        at.selectbox(key="framework").set_value(framework).run()
        assert not at.exception
        rows = table(at)
        assert set(rows["部门"]) == set(names) and sorted(rows["排名"]) == [1, 2, 3]
        other = level1[NATIONAL if framework == BEIJING else BEIJING]
        assert set(level1[framework]) <= set(rows.columns)
        assert not (set(other) - set(level1[framework])) & set(rows.columns)
        assert sum(len(values(t["x"])) for t in total_dots(totals_chart(at))) == 3
        assert at.query_params["framework"] == framework


def test_the_sidebar_region_reaches_the_county_and_every_page_follows(app, demo_store):
    """The demo holds Beijing and the synthetic county on another framework: the region is a choice of the
    shared context, so the county's rankings and its departments' pages can be reached."""
    regions = compare.regions(demo_store)
    county = next(r for r in regions if r != "北京市")
    assert app.selectbox(key="region").value == "北京市"
    app.selectbox(key="region").select(county).run()
    assert not app.exception
    assert app.selectbox(key="year").value == 2023          # the year chosen stays: the county holds it too
    expected = compare.ranking(demo_store, app.selectbox(key="year").value, county)
    assert list(table(app)["部门"]) == list(expected["department"])
    assert app.query_params["region"] == county
    app.switch_page("pages/department.py").run()
    assert not app.exception
    assert app.selectbox(key="region").value == county
    assert app.selectbox(key="department").value in set(compare.ranking(demo_store, 2023, county)["department"])


def test_the_search_box_keeps_the_rows_whose_text_matches_in_any_case(app, demo_store):
    full = compare.ranking(demo_store, 2023)
    app.text_input(key="ranking_table_search").input("商务").run()
    assert not app.exception
    rows = table(app)
    assert list(rows["部门"]) == [d for d in full["department"] if "商务" in d] and len(rows) < len(full)
    app.sidebar.radio(key="lang_switch").set_value("en").run()
    app.text_input(key="ranking_table_search").input("ECONOMIC").run()
    rows = table(app)
    assert len(rows) == int((full["category"] == "经济发展").sum()) > 0
    assert set(rows["Category"]) == {"Economic development"}
    app.text_input(key="ranking_table_search").input("no such department").run()
    assert table(app).empty and not app.exception
