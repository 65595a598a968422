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






def chart(at, trace_type: str, title: str = "") -> dict:
    """The first chart whose first trace is of ``trace_type`` (and whose title holds ``title``)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs if s["data"][0]["type"] == trace_type
                and title in (s["layout"].get("title") or {}).get("text", ""))


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def notices(at) -> list[str]:
    """Every alert of the page that says what is real and what synthetic."""
    alerts = [*at.info, *at.warning, *at.success, *at.error]
    return [a.value for a in alerts if any(word in a.value for word in ("合成", "真实报告", "synthetic", "real report"))]


def test_the_default_is_the_real_reports_department_in_the_latest_year(page, demo_store):
    """The one default of every page (pages/context.py): the real report's department, the latest year."""
    ranking = compare.ranking(demo_store, 2023)
    commerce = ranking[ranking["department"] == COMMERCE].iloc[0]
    assert page.selectbox(key="department").value == COMMERCE
    assert page.selectbox(key="year").value == 2023
    assert metrics(page)["报告总分"] == f"{commerce['total']:.2f}"
    assert metrics(page)["排名"] == f"{commerce['rank']} / 55"
    assert len(notices(page)) == 1 and "合成演示数据" in notices(page)[0]


def test_the_real_report_shows_the_carryover_disagreement_and_its_total(commerce):
    assert metrics(commerce)["报告总分"] == "90.73" and metrics(commerce)["等级"] == "优秀"
    assert metrics(commerce)["按规则总分"] == "92.42"
    sentences = [w.value for w in commerce.warning]
    assert "结转结余率 报告得分 0.00，按规则计算 1.69（+1.69），若采用规则得分总分为 92.42" in sentences
    [notice] = notices(commerce)     # one notice: this report is real, the 54 it is compared with synthetic
    assert "真实报告" in notice and "674aacc64f44b68d3bfa6349bd9a3ea4b4e45a137a3d47077fbadfc8620d98c8" in notice
    assert "其余 54 条评价为合成演示数据" in notice
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
    assert {"Reported total", "Total by the rules", "Grade", "Rank", "Rank by the rules"} <= set(metrics(commerce))
    assert "Reported" in commerce.dataframe[0].value.columns
    assert "Score structure" in chart(commerce, "icicle")["layout"]["title"]["text"]


def test_the_waterfall_steps_from_full_marks_to_the_total_and_on_to_the_rules(commerce):
    figure = chart(commerce, "waterfall")
    trace = figure["data"][0]
    steps, labels = values(trace["x"]), list(trace["y"])
    reported = labels.index("报告总分")
    assert steps[0] == 100 and steps[reported] == pytest.approx(90.73)
    assert steps[0] + steps[1:reported].sum() == pytest.approx(steps[reported])
    assert labels[1:reported] == ["预算执行率", "产出数量", "⚠ 结转结余率", "部门预决算差异率"]
    assert (steps[1:reported] < 0).all()
    # the disputed deduction is marked (name, both scores, a band) and the walk goes on to the rules' total
    assert trace["text"][3] == "-4.00（规则 -2.31）"
    assert labels[reported + 1:] == ["⚠ 按规则复核：结转结余率", "按规则总分"]
    assert steps[reported + 1] == pytest.approx(1.69) and steps[-1] == pytest.approx(92.42)
    assert trace["measure"][-1] == "total"
    bands = [shape for shape in figure["layout"]["shapes"] if shape.get("name") == "disputed"]
    assert sorted((b["y0"] + b["y1"]) / 2 for b in bands) == [3, reported + 1]


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
    mean = next(t for t in rates["data"] if t["name"] == "同体系均值")
    published = next(t for t in rates["data"] if t["name"] == "公布的市级平均值")
    assert values(own["x"]).tolist() == [86.17, 13.82, 82.62]
    assert values(mean["x"])[0] == pytest.approx(round(year["execution_rate"].mean(), 2))
    assert values(published["x"])[2] == 28.3
    figures = commerce.dataframe[1].value.set_index("项目")
    assert figures.loc["全年预算数（万元）", "本部门"] == 291435.79
    assert any("28.30%" in c.value and "beijing-commerce-2022.txt" in c.value for c in commerce.caption)
    level2 = chart(commerce, "scatter", "二级指标")
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
    assert metrics(commerce)["报告总分"] == f"{expected:.2f}" and commerce.query_params["year"] == "2019"


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
    assert metrics(at)["报告总分"] == f"{ranking.loc[name, 'total']:.2f}"
    assert metrics(at)["排名"] == f"{ranking.loc[name, 'rank']} / 3"
    scores_table = at.dataframe[0].value
    brought = tree[tree["brought"]]
    assert set(brought["zh"]) <= set(scores_table["三级指标"])
    assert set(brought["zh"]) <= set(chart(at, "icicle")["data"][0]["labels"])
    rates = at.dataframe[1].value.set_index("项目")
    assert "预算执行率（%）" in rates.index and rates.loc["预算执行率（%）", "本部门"] > 0
    assert "结转结余率（%）" not in rates.index             # the layout has no carry-over indicator to compare


COUNTY = "示例县(合成)"


def answer_from_database(store, department: str, year: int) -> dict:
    """The above-the-fold figures computed here with SQL from evaluation_scores, independently of the page:
    both totals, the rank of each among the year's evaluations of the framework (the rule total against
    the others' reported totals), the grades in the framework's words (zh, en) and the disputed leaves."""
    own = store.df("""
        WITH year AS (
            SELECT d.name, s.*, rank() OVER (ORDER BY s.reported_total DESC) AS rank, count(*) OVER () AS count
            FROM evaluations e JOIN departments d ON d.id = e.department_id
            JOIN evaluation_scores s ON s.evaluation_id = e.id
            WHERE e.year = ? AND (d.region, e.framework_id) = (
                SELECT (d2.region, e2.framework_id) FROM evaluations e2 JOIN departments d2 ON d2.id = e2.department_id
                WHERE d2.name = ? AND e2.year = ?))
        SELECT y.*, 1 + (SELECT count(*) FROM year o WHERE o.name <> y.name AND o.reported_total > y.rule_total)
               AS rule_rank, f.grade_bands
        FROM year y JOIN frameworks f ON f.id = y.framework_id WHERE y.name = ?""",
                   [year, department, year, department]).iloc[0]
    bands = {band["grade"]: band["en"] for band in json.loads(own["grade_bands"])}
    disputed = store.df("""SELECT code FROM node_results WHERE evaluation_id = ? AND rule IS NOT NULL
                           AND abs(rule - reported) > 0.005 AND code IN (SELECT node FROM node_inputs
                           WHERE evaluation_id = ?)""", [int(own["evaluation_id"])] * 2)
    return {**own.to_dict(), "grade_en": bands[own["reported_grade"]], "disputed": set(disputed["code"])}


def county_department(store) -> tuple[str, int]:
    """A county department-year whose own indicators lost points against targets with reasons given."""
    row = store.df("""
        SELECT d.name, e.year FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN node_inputs i ON i.evaluation_id = e.id
        WHERE d.region = ? AND i.reported < i.weight AND i.deviation_reason <> '' AND i.comparator IS NOT NULL
        GROUP BY ALL HAVING count(*) >= 2 ORDER BY e.year DESC, d.name LIMIT 1""", [COUNTY]).iloc[0]
    return row["name"], int(row["year"])


ABOVE_THE_FOLD = {"zh": ("报告总分", "按规则总分", "排名", "按规则总分的排名", "等级"),
                  "en": ("Reported total", "Total by the rules", "Rank", "Rank by the rules", "Grade")}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("where", ["beijing", "county"])
def test_the_answer_above_the_fold_is_the_databases(demo_db_master, demo_store, monkeypatch, where, lang):
    """Reported total, total by the rules, the rank each gives, the framework's grade: equal to what SQL on
    evaluation_scores says; the disputed indicators are the ones marked in the waterfall; one notice."""
    if where == "beijing":
        department, year, query = COMMERCE, 2022, {}
    else:
        department, year = county_department(demo_store)
        query = {"region": COUNTY}
    truth = answer_from_database(demo_store, department, year)
    at = open_page(demo_db_master, monkeypatch, department=department, year=str(year), lang=lang, **query)
    total, rule_total, rank, rule_rank, grade = ABOVE_THE_FOLD[lang]
    shown = metrics(at)
    rank_text = "{} / {}" if lang == "zh" else "{} of {}"
    assert shown[total] == f"{truth['reported_total']:.2f}" and shown[rule_total] == f"{truth['rule_total']:.2f}"
    assert shown[rank] == rank_text.format(truth["rank"], truth["count"])
    assert shown[rule_rank] == rank_text.format(truth["rule_rank"], truth["count"])
    assert shown[grade] == (truth["grade_en"] if lang == "en" else truth["reported_grade"])
    trace = chart(at, "waterfall")["data"][0]
    marked = [label for label in trace["y"] if label.startswith("⚠")]
    tree = compare.indicator_tree(demo_store, int(truth["evaluation_id"]))
    names = dict(zip(tree["code"], tree["en"].fillna(tree["zh"]) if lang == "en" else tree["zh"]))
    assert {names[code] for code in truth["disputed"]} == {label.split(" ", 1)[1].split("：")[-1].split(": ")[-1]
                                                            for label in marked}
    assert len(marked) == 2 * len(truth["disputed"])      # its deduction and its step to the rules' total
    assert len(notices(at)) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_county_department_shows_its_own_indicators_with_targets_and_reasons(demo_db_master, demo_store,
                                                                               monkeypatch, lang):
    """National layout: one row per indicator the department brought, with target (comparator, number,
    unit), actual, weight, reported and rule score from node_inputs/node_results, and 偏差原因."""
    department, year = county_department(demo_store)
    evaluation_id = compare.find_evaluation(demo_store, department, year, COUNTY)
    rows = demo_store.df("""
        SELECT i.zh, i.en, i.comparator, i.target, i.actual, i.unit, i.target_text, i.actual_text,
               i.deviation_reason, r.weight, r.reported, r.rule
        FROM node_inputs i JOIN node_results r ON r.evaluation_id = i.evaluation_id AND r.code = i.node
        WHERE i.evaluation_id = ? AND i.zh IS NOT NULL ORDER BY i.parent, i.position""", [evaluation_id])
    at = open_page(demo_db_master, monkeypatch, department=department, year=str(year), lang=lang, region=COUNTY)
    table = at.table[0].value
    headers = (["三级指标", "年度指标值", "实际完成值", "分值", "报告得分", "规则得分", "偏差原因"] if lang == "zh" else
               ["Indicator", "Target", "Actual", "Weight", "Reported", "By the rule", "Reason for shortfall"])
    assert set(headers) <= set(table.columns) and len(table) == len(rows)
    shown = table.set_index(headers[0])
    for row in rows.itertuples():
        line = shown.loc[row.en if lang == "en" else row.zh]
        assert [line[h] for h in headers[3:6]] == pytest.approx([row.weight, row.reported, row.rule])
        if row.comparator and pd.notna(row.target):
            assert line[headers[1]] in (row.target_text, f"{row.comparator}{row.target:,g}{row.unit}")
            assert line[headers[2]] in (row.actual_text, f"{row.actual:,g}{row.unit}")
            if line[headers[1]] != row.target_text:              # composed, not as written: shows its comparator
                assert row.comparator in line[headers[1]]
        if row.deviation_reason:
            assert line[headers[6]] == row.deviation_reason
        elif row.reported < row.weight:
            assert line[headers[6]] == ("（失分但未填写偏差原因）" if lang == "zh" else "(points lost, no reason given)")


def test_the_real_report_is_marked_on_a_synthetic_departments_page(demo_db_master, demo_store, monkeypatch):
    """A synthetic Beijing department: its one notice says it is synthetic and names the real report; the
    year's totals chart highlights the department and marks the real one at its reported total."""
    other = compare.ranking(demo_store, 2022).iloc[0]
    commerce_total = compare.ranking(demo_store, 2022).set_index("department").loc[COMMERCE, "total"]
    at = open_page(demo_db_master, monkeypatch, department=other["department"], year="2022")
    [notice] = notices(at)
    assert "本部门数据为合成演示数据" in notice and "北京市商务局 2022 年度报告" in notice
    figure = chart(at, "scatter", "总分")
    traces = {trace["name"]: trace for trace in figure["data"]}
    assert values(traces["真实报告"]["x"]).tolist() == [commerce_total]
    assert values(traces["本部门"]["x"]).tolist() == [other["total"]]
    assert len(values(traces["其他部门"]["x"])) == 53
