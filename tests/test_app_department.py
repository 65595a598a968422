"""The department page (部门详情) driven by AppTest against the demo database."""
import json

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import compare, scores, stats
from analytics.store import Store, open_store
from apptest import open_app, values
from mixed_frameworks import NATIONAL, NATIONAL_NAMES, build_mixed

COMMERCE = "北京市商务局"


def open_page(db_path, monkeypatch, **query) -> AppTest:
    return open_app(monkeypatch, db_path, "department", **query)


@pytest.fixture
def page(demo_db_master, monkeypatch):
    return open_page(demo_db_master, monkeypatch)


@pytest.fixture
def commerce(demo_db_master, monkeypatch):
    return open_page(demo_db_master, monkeypatch, department=COMMERCE, year="2022")






def chart(at, trace_type: str) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if s["data"][0]["type"] == trace_type)


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_the_default_is_the_real_reports_department_in_the_latest_year(page, demo_store):
    """The one default of every page (pages/context.py): the real report's department, the latest year."""
    ranking = compare.ranking(demo_store, 2023)
    commerce = ranking[ranking["department"] == COMMERCE].iloc[0]
    assert page.selectbox(key="department").value == COMMERCE
    assert page.selectbox(key="year").value == 2023
    assert metrics(page)["总分"] == f"{commerce['total']:.2f}"
    assert metrics(page)["排名"] == f"{commerce['rank']} / 55"
    assert any("合成演示数据" in w.value for w in page.warning)


def test_the_real_report_shows_the_carryover_disagreement_and_its_total(commerce):
    assert metrics(commerce)["总分"] == "90.73" and metrics(commerce)["等级"] == "优秀"
    sentences = [w.value for w in commerce.warning]
    assert "结转结余率 报告得分 0.00，按规则计算 1.69（+1.69），若采用规则得分总分为 92.42" in sentences
    source = " ".join(s.value for s in commerce.success)
    assert "真实报告" in source and "674aacc64f44b68d3bfa6349bd9a3ea4b4e45a137a3d47077fbadfc8620d98c8" in source
    assert any("合成演示数据（54 条评价）" in w for w in sentences)   # the 54 departments it is compared with
    assert any("推定得分" in c.value for c in commerce.caption)
    scores = commerce.dataframe[0].value.set_index("三级指标")
    assert scores.loc["结转结余率", ["报告得分", "规则得分", "差异"]].tolist() == [0.0, 1.69, 1.69]
    assert scores.loc["结转结余率", "说明"] == "与规则不一致"
    assert scores.loc["产出质量", "说明"] == "推定得分＊"


def test_english_says_the_disagreement_in_english(commerce):
    commerce.radio(key="lang_switch").set_value("en").run()
    assert not commerce.exception
    sentences = " ".join(w.value for w in commerce.warning)
    assert "结转结余率: reported 0.00, the rule gives 1.69 (+1.69); the total would be 92.42" in sentences
    assert {"Total", "Grade", "Rank"} <= set(metrics(commerce))
    assert "Reported" in commerce.dataframe[0].value.columns
    assert "Score structure" in chart(commerce, "icicle")["layout"]["title"]["text"]


def test_the_waterfall_steps_from_full_marks_to_the_total(commerce):
    trace = chart(commerce, "waterfall")["data"][0]
    steps = values(trace["x"])
    assert steps[0] == 100 and steps[-1] == pytest.approx(90.73)
    assert steps[0] + steps[1:-1].sum() == pytest.approx(steps[-1])
    assert list(trace["y"][1:-1]) == ["预算执行率", "产出数量", "结转结余率", "部门预决算差异率"]
    assert (steps[1:-1] < 0).all()


def test_the_score_tree_shows_points_earned_and_lost(commerce):
    figure = chart(commerce, "icicle")
    tree = figure["data"][0]
    assert "预算执行率<br>得分 17.23 / 20，失分 2.77" in tree["hovertext"]
    assert values(tree["values"])[0] == 100
    listed = next(a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "lost_points")
    assert "结转结余率  0.00 / 4  −4.00" in listed and "部门预决算差异率  2.00 / 4  −2.00" in listed


def test_rates_and_level2_compare_with_the_municipality(commerce, demo_store):
    year = stats.evaluations(demo_store, "北京市", [2022])
    rates = chart(commerce, "bar")
    own = next(t for t in rates["data"] if t["name"] == "本部门")
    mean = next(t for t in rates["data"] if t["name"] == "全市均值")
    published = next(t for t in rates["data"] if t["name"] == "公布的市级平均值")
    assert values(own["x"]).tolist() == [86.17, 13.82, 82.62]
    assert values(mean["x"])[0] == pytest.approx(round(year["execution_rate"].mean(), 2))
    assert values(published["x"])[2] == 28.3
    figures = commerce.dataframe[1].value.set_index("项目")
    assert figures.loc["全年预算数（万元）", "本部门"] == 291435.79
    assert any("28.30%" in c.value and "beijing-commerce-2022.txt" in c.value for c in commerce.caption)
    level2 = chart(commerce, "scatter")
    dots = {t["name"]: values(t["x"]) for t in level2["data"] if t.get("name")}
    assert dots["本部门"][list(level2["data"][1]["y"]).index("结转结余率")] == 0


def test_changing_department_and_year_changes_metrics_and_charts(commerce, demo_store):
    before = (metrics(commerce), chart(commerce, "waterfall")["data"][0]["y"])
    other = compare.ranking(demo_store, 2022).iloc[0]["department"]
    commerce.selectbox(key="department").select(other).run()
    assert not commerce.exception
    after = (metrics(commerce), chart(commerce, "waterfall")["data"][0]["y"])
    assert after != before and commerce.query_params["department"] == other
    assert metrics(commerce)["排名"] == "1 / 55"
    commerce.selectbox(key="year").select(2019).run()
    assert not commerce.exception
    expected = compare.ranking(demo_store, 2019).set_index("department").loc[other, "total"]
    assert metrics(commerce)["总分"] == f"{expected:.2f}" and commerce.query_params["year"] == "2019"


def test_an_unknown_department_in_the_url_explains_and_falls_back(demo_db_master, monkeypatch):
    at = open_page(demo_db_master, monkeypatch, department="不存在的局", year="2022")
    assert any("不存在的局" in w.value for w in at.warning)
    assert at.selectbox(key="year").value == 2022
    assert at.metric


def test_a_year_the_department_lacks_explains_and_falls_back(demo_db, monkeypatch):
    store = open_store(demo_db)
    with store.transaction() as cur:
        lacking = "(SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id " \
                  "WHERE d.name = ? AND e.year = 2018)"
        for table in ("node_inputs", "node_reported"):
            cur.execute(f"DELETE FROM {table} WHERE evaluation_id IN {lacking}", [COMMERCE])
        cur.execute(f"DELETE FROM evaluations WHERE id IN {lacking}", [COMMERCE])
        scores.refresh(cur)
    store.close()
    at = open_page(demo_db, monkeypatch, department=COMMERCE, year="2018")
    assert any("没有 2018 年的评价" in i.value for i in at.info)
    assert at.selectbox(key="year").value == 2023 and "2018" not in at.selectbox(key="year").options


def test_a_database_without_evaluations_explains_instead_of_failing(empty_store, monkeypatch):
    empty_store.close()
    monkeypatch.setenv("ANALYTICS_DB", str(empty_store.path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    at.switch_page("pages/department.py").run()
    assert not at.exception
    assert any("还没有评价数据" in i.value for i in at.info)


def test_a_national_layout_evaluation_is_taken_apart_with_its_own_indicators(tmp_path, monkeypatch):
    """An evaluation of the national layout: its own level-3 indicators in the score table and the tree,
    rank among the year's evaluations of its framework only, the rates it has (execution) and none made up."""
    db = build_mixed(tmp_path / "mixed.duckdb")
    store = Store(db, read_only=True)
    name = NATIONAL_NAMES[0]
    evaluation_id = compare.find_evaluation(store, name, 2022)
    tree = compare.indicator_tree(store, evaluation_id)
    ranking = compare.ranking(store, 2022, framework=NATIONAL).set_index("department")
    store.close()
    at = open_page(db, monkeypatch, department=name, year="2022")
    assert not at.exception
    assert metrics(at)["总分"] == f"{ranking.loc[name, 'total']:.2f}"
    assert metrics(at)["排名"] == f"{ranking.loc[name, 'rank']} / 3"
    scores_table = at.dataframe[0].value
    brought = tree[tree["brought"]]
    assert set(brought["zh"]) <= set(scores_table["三级指标"])
    assert set(brought["zh"]) <= set(chart(at, "icicle")["data"][0]["labels"])
    rates = at.dataframe[1].value.set_index("项目")
    assert pd.isna(rates.loc["结转结余率（%）", "本部门"])          # the layout has no carry-over indicator
