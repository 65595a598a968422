"""The what-if and rule-change pages, driven by AppTest against the real demo database."""
import dataclasses
import hashlib
import json
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analytics import goal_seek, scenario
from analytics.scenario_store import ScenarioStore
from apptest import open_app, values
from test_scenario import stored_year

COMMERCE, BUDGET = "北京市商务局", 291435.79


@pytest.fixture
def scenario_db(tmp_path, monkeypatch):
    path = tmp_path / "scenarios.duckdb"
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(path))
    return path


def open_page(page: str, demo_db_master, monkeypatch, **query) -> AppTest:
    return open_app(monkeypatch, demo_db_master, page, **query)


@pytest.fixture
def whatif(demo_db_master, monkeypatch, scenario_db):
    return open_page("pages/whatif.py", demo_db_master, monkeypatch, department=COMMERCE, year="2022")


@pytest.fixture
def rules_page(demo_db_master, monkeypatch):
    return open_page("pages/rule_change.py", demo_db_master, monkeypatch, year="2022")


def metrics(at: AppTest) -> dict:
    return {m.label: (m.value, m.delta) for m in at.metric}


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def chart(at: AppTest, kind: str, first_trace: str | None = None) -> dict | None:
    """The first chart of a kind (and, if given, whose first trace has that name)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next((s for s in specs if s["data"] and s["data"][0]["type"] == kind
                 and first_trace in (None, s["data"][0].get("name"))), None)


def type_in(at: AppTest, key: str, text) -> AppTest:
    """Type into one of the what-if page's typed inputs (a number is typed as Python writes it)."""
    at.text_input(key=key).input(text if isinstance(text, str) else f"{text}").run()
    assert not at.exception, at.exception
    return at


def typed(at: AppTest, key: str) -> float | None:
    """The number a typed input shows (thousands separators and all), None when blank."""
    text = at.text_input(key=key).value
    return float(text.replace(",", "")) if text else None


def set_spending(at: AppTest, amount: float) -> AppTest:
    return type_in(at, "wi_in_spent_total", amount)


# -- what-if --------------------------------------------------------------------------------------------

def test_nothing_changed_shows_the_stored_total_grade_and_rank(whatif, demo_store):
    stored = stored_year(demo_store, 2022)[0].set_index("department").loc[COMMERCE]
    shown = metrics(whatif)
    assert shown["总分"] == (f"{stored['total']:.2f}", "")
    assert shown["等级"][0] == stored["grade"] and shown["排名"][0] == f"{stored['rank']} / 55"
    assert shown["当年预算执行情况"] == ("17.23", "") and shown["预算管理情况"] == ("14.00", "")
    assert any("完全一致" in i for i in texts(whatif.info))
    assert typed(whatif, "wi_in_spent_total") == 251145.17
    assert typed(whatif, "wi_in_execution_rate") == 86.17
    assert any("结转结余率报告得分 0.00，按规则为 1.69" in c for c in texts(whatif.caption))
    assert chart(whatif, "waterfall") is None


def test_95_percent_spending_gives_19_and_92_50_and_moves_the_rank(whatif, commerce):
    set_spending(whatif, 0.95 * BUDGET)
    shown = metrics(whatif)
    assert shown["当年预算执行情况"] == ("19.00", "+1.77") and shown["总分"] == ("92.50", "+1.77")
    expected = scenario.apply(commerce, {"spent_total": 0.95 * BUDGET})
    actual = scenario.actual(commerce).rank
    assert shown["排名"] == (f"{expected.rank} / 55", f"+{actual - expected.rank} 名")
    assert typed(whatif, "wi_in_execution_rate") == 95.0
    waterfall = chart(whatif, "waterfall")
    assert waterfall["data"][0]["y"] == ["实际总分", "预算执行率", "情景总分"]


def test_spending_by_rate_and_checklist_ticks(whatif):
    whatif.radio(key="wi_spent_mode").set_value("rate").run()
    type_in(whatif, "wi_in_execution_rate", 95.0)
    assert metrics(whatif)["总分"][0] == "92.50"
    assert typed(whatif, "wi_in_spent_total") == pytest.approx(0.95 * BUDGET)
    whatif.checkbox(key="wi_in_failed:performance_management:0").check().run()
    shown = metrics(whatif)
    assert shown["总分"] == ("90.50", "-0.23") and shown["等级"] == ("优秀", "")
    whatif.checkbox(key="wi_in_failed:asset_management:0").check().run()
    assert metrics(whatif)["等级"] == ("良好", "优秀 → 良好")
    whatif.button(key="wi_reset").click().run()
    assert metrics(whatif)["总分"] == ("90.73", "") and whatif.radio(key="wi_spent_mode").value == "amount"


@pytest.mark.parametrize("key,value,message,name", [
    ("wi_in_carryover_amount", "-1", "不能为负数", "结转结余总额（万元）"),
    ("wi_in_spent_total", "300,000", "超过全年预算数", "执行数（万元）"),
    ("wi_in_budget_total", "", "请填写数值", "全年预算数（万元）"),
    ("wi_in_initial_budget_total", "0", "年初预算数须大于 0", "年初预算数（万元）"),
    ("wi_in_carryover_amount", "12万", "“12万”不是数字", "结转结余总额（万元）"),
    ("wi_in_carryover_rate_prev", "250", "比率须在 0–100% 之间", "上年结转结余率（%）"),
])
def test_one_bad_input_is_marked_where_typed_and_the_other_panels_carry_on(whatif, key, value, message, name):
    """A bad field gets its message beside it, in place of a guess; the results, goal seek and tornado
    keep working on the other inputs (a changed valid input still counts)."""
    type_in(whatif, "wi_in_final_account_total", "250,000")      # a valid change: the difference rate loses points
    moved = metrics(whatif)["总分"]
    assert moved[1]                                             # it moved the total
    type_in(whatif, key, value)
    errors = texts(whatif.error)
    assert [e for e in errors if message in e], errors
    assert not any("修正标出的字段后才能计算得分" in e for e in errors)
    warning = next(w for w in texts(whatif.warning) if "以下输入有误" in w)
    assert name in warning
    assert metrics(whatif)["总分"] == moved                  # scored without the bad field, with the good one
    assert chart(whatif, "bar", first_trace="有利方向一个单位") is not None
    assert any(s.value == "目标测算" for s in whatif.subheader) and whatif.selectbox(key="wi_vary")


def test_bad_input_messages_in_english(whatif):
    whatif.radio(key="lang_switch").set_value("en").run()
    type_in(whatif, "wi_in_carryover_amount", "12万")
    assert any("'12万' is not a number" in e for e in texts(whatif.error))
    type_in(whatif, "wi_in_carryover_rate_prev", "250")
    assert any("between 0 and 100 %" in e for e in texts(whatif.error))
    assert any("Some inputs are not valid" in w for w in texts(whatif.warning))
    assert metrics(whatif)["Total"][0] == "90.73"


def test_a_rate_over_100_percent_is_refused(whatif):
    whatif.radio(key="wi_spent_mode").set_value("rate").run()
    type_in(whatif, "wi_in_execution_rate", 101.0)
    assert not whatif.exception
    assert any("执行率不能超过 100%" in e for e in texts(whatif.error))


def _amount(sentence: str) -> float:
    return float(re.search(r"执行数至少 ([\d,]+\.\d{2}) 万元", sentence).group(1).replace(",", ""))


def test_goal_seek_answers_reach_their_target_when_applied(whatif, commerce):
    assert "已是最高等级。" in texts(whatif.success)          # 优秀 is the top grade
    whatif.radio(key="wi_goal_kind").set_value("score").run()
    assert whatif.number_input(key="wi_goal_score").value == 92.0
    sentence = next(s for s in texts(whatif.success) if "执行数至少" in s)
    needed = _amount(sentence)
    assert scenario.apply(commerce, {"spent_total": needed}).total >= 92
    assert scenario.apply(commerce, {"spent_total": needed - 0.01}).total < 92
    whatif.button(key="wi_apply_seek").click().run()
    assert typed(whatif, "wi_in_spent_total") == needed
    assert float(metrics(whatif)["总分"][0]) >= 92

    whatif.radio(key="wi_goal_kind").set_value("rank").run()   # catch the department ranked above
    sentence = next(s for s in texts(whatif.success) if "执行数至少" in s)
    result = scenario.apply(commerce, {"spent_total": _amount(sentence)})
    assert result.rank < scenario.actual(commerce).rank

    whatif.radio(key="wi_goal_kind").set_value("score").run()
    whatif.number_input(key="wi_goal_score").set_value(99.0)
    whatif.selectbox(key="wi_vary").select("carryover_amount").run()
    assert any("仅调整结转结余无法达到" in w and "其余指标尚可争取" in w for w in texts(whatif.warning))


def test_catching_up_by_carryover_says_the_gain_is_the_rule_and_offers_no_more_carryover(whatif, commerce):
    whatif.radio(key="wi_goal_kind").set_value("rank").run()
    whatif.selectbox(key="wi_vary").select("carryover_amount").run()
    sentence = next(s for s in texts(whatif.success) if "结转结余" in s)
    above = goal_seek.rank_above_target(commerce, 90.73)        # the synthetic department just above
    assert sentence.startswith(f"结转结余保持实际的 40,290.62 万元即可达到上一名的 {above:.2f} 分")
    assert "+1.69 分来自按评分规则为“结转结余率”计分" in sentence and "52,400.15" not in sentence
    assert not any(b.key == "wi_apply_seek" for b in whatif.button)


def test_next_grade_goal_and_limits(whatif, commerce):
    set_spending(whatif, 0.6 * BUDGET)                           # 12.00 on execution: 85.50, 良好
    assert metrics(whatif)["等级"][0] == "良好"
    # less than the actual spending would do, but the answer never advises spending less than actual
    sentence = next(s for s in texts(whatif.success) if "执行数" in s)
    assert sentence == "执行数保持实际的 251,145.17 万元即可达到“优秀”（90.00 分），总分 90.73，不必改动执行数。"
    limits = texts(whatif.info)
    assert any("结转结余不超过 23,489.72 万元" in i for i in limits)
    assert any("部门预决算差异率不高于 38.29%" in i for i in limits)
    whatif.button(key="wi_apply_carryover").click().run()
    assert typed(whatif, "wi_in_carryover_amount") == 23489.72
    assert typed(whatif, "wi_in_spent_total") == pytest.approx(0.6 * BUDGET)
    whatif.button(key="wi_apply_seek").click().run()               # back to the actual spending
    assert typed(whatif, "wi_in_spent_total") == 251145.17
    assert metrics(whatif)["等级"][0] == "优秀"


def test_sensitivity_tornado_has_translated_inputs_and_signed_bars(whatif):
    tornado = chart(whatif, "bar", first_trace="有利方向一个单位")
    gain, loss = tornado["data"]
    assert "预算执行率（±1 个百分点）" in gain["y"] and "绩效管理情况（±1 项检查）" in gain["y"]
    assert gain["name"] == "有利方向一个单位" and loss["name"] == "不利方向一个单位"


def tornado_bars(at: AppTest) -> dict:
    gain, loss = chart(at, "bar", first_trace="有利方向一个单位")["data"]
    return {label: (g, l) for label, g, l in zip(gain["y"], values(gain["x"]), values(loss["x"]))}


def test_the_tornado_is_the_same_whether_spending_is_entered_as_a_rate_or_an_amount(whatif):
    set_spending(whatif, 0.95 * BUDGET)
    by_amount = tornado_bars(whatif)
    whatif.radio(key="wi_spent_mode").set_value("rate").run()
    type_in(whatif, "wi_in_execution_rate", 95.0)
    assert metrics(whatif)["总分"][0] == "92.50"
    by_rate = tornado_bars(whatif)
    assert by_rate == by_amount and by_rate["预算执行率（±1 个百分点）"] == (0.2, -0.2)


def test_save_list_reopen_compare_delete(whatif, scenario_db, demo_db_master):
    before = hashlib.sha256(demo_db_master.read_bytes()).hexdigest()
    assert any("尚无保存的情景" in i for i in texts(whatif.info))
    set_spending(whatif, 0.95 * BUDGET)
    whatif.text_input(key="wi_save_name").input("执行率95%")
    whatif.button(key="wi_save").click().run()
    assert any("已保存情景“执行率95%”" in s for s in texts(whatif.success))
    listed = next(d.value for d in whatif.dataframe if "情景" in d.value.columns)
    assert listed["情景"].tolist() == ["执行率95%"] and listed["总分"].iloc[0] == 92.5
    assert listed["数据状态"].iloc[0] == "未变" and listed["指标体系版本"].iloc[0] == "beijing-2022"
    assert listed["改动的输入"].iloc[0] == "执行数（万元） 276,864.00"

    whatif.text_input(key="wi_save_name").input("执行率95%")
    whatif.button(key="wi_save").click().run()
    assert any("已有同名情景" in e for e in texts(whatif.error))
    whatif.text_input(key="wi_save_name").set_value("  ")
    whatif.button(key="wi_save").click().run()
    assert any("请为情景命名" in e for e in texts(whatif.error))

    whatif.button(key="wi_reset").click().run()
    assert metrics(whatif)["总分"][0] == "90.73"
    whatif.button(key="wi_reopen").click().run()
    assert typed(whatif, "wi_in_spent_total") == pytest.approx(0.95 * BUDGET)
    assert metrics(whatif)["总分"] == ("92.50", "+1.77")

    saved_id = whatif.selectbox(key="wi_pick").value
    whatif.multiselect(key="wi_compare").select(saved_id).run()
    compared = chart(whatif, "bar", first_trace="实际")
    assert [trace["name"] for trace in compared["data"]] == ["实际", "执行率95%"]
    table = next(d.value for d in whatif.dataframe if "当年预算执行情况" in d.value.columns)
    assert table["总分"].tolist() == [90.73, 92.5] and table["等级"].tolist() == ["优秀", "优秀"]

    whatif.button(key="wi_delete").click().run()
    assert any("已删除情景" in s for s in texts(whatif.success))
    assert any("尚无保存的情景" in i for i in texts(whatif.info))
    assert hashlib.sha256(demo_db_master.read_bytes()).hexdigest() == before


def test_reopening_a_scenario_of_another_department_switches_to_it(whatif):
    set_spending(whatif, 0.95 * BUDGET)
    whatif.text_input(key="wi_save_name").input("商务局 95%")
    whatif.button(key="wi_save").click().run()
    whatif.selectbox(key="department").select("北京市财政局").run()
    assert metrics(whatif)["总分"][1] == "" and any("尚无保存的情景" in i for i in texts(whatif.info))
    whatif.toggle(key="wi_show_all").set_value(True).run()
    whatif.button(key="wi_reopen").click().run()
    assert not whatif.exception
    assert whatif.selectbox(key="department").value == COMMERCE and whatif.selectbox(key="year").value == 2022
    assert metrics(whatif)["总分"] == ("92.50", "+1.77")


def test_failed_checks_start_ticked_and_change_nothing(whatif, demo_store):
    name, code, failed = demo_store.rows("""
        SELECT d.name, n.node, n.failed::INTEGER FROM node_inputs n JOIN rules r USING (rule_id)
        JOIN evaluations e ON e.id = n.evaluation_id JOIN departments d ON d.id = e.department_id
        WHERE e.year = 2022 AND r.kind = 'checklist' AND n.failed > 1 ORDER BY d.name LIMIT 1""")[0]
    whatif.selectbox(key="department").select(name).run()
    ticked = [whatif.checkbox(key=f"wi_in_failed:{code}:{n}").value for n in range(failed + 1)]
    assert ticked == [True] * failed + [False]
    stored = stored_year(demo_store, 2022)[0].set_index("department").loc[name]
    assert metrics(whatif)["总分"] == (f"{stored['total']:.2f}", "")
    whatif.checkbox(key=f"wi_in_failed:{code}:0").uncheck().run()
    assert float(metrics(whatif)["总分"][0]) > stored["total"]


def test_a_scenario_saved_on_other_data_is_flagged(whatif, scenario_db, commerce):
    store = ScenarioStore(scenario_db)
    older = dataclasses.replace(commerce, data_version="report 000000000000 loaded 2020-01-01")
    store.save("旧数据情景", older, {"execution_rate": 95}, scenario.apply(commerce, {"execution_rate": 95}))
    store.close()
    st.cache_resource.clear()
    whatif.run()
    listed = next(d.value for d in whatif.dataframe if "情景" in d.value.columns)
    assert listed["数据状态"].iloc[0] == "⚠️ 已变化" and listed["改动的输入"].iloc[0] == "预算执行率（%） 95.00"
    whatif.multiselect(key="wi_compare").select(whatif.selectbox(key="wi_pick").value).run()
    assert any("保存后评价数据已变化" in w for w in texts(whatif.warning))
    whatif.button(key="wi_reopen").click().run()
    assert whatif.radio(key="wi_spent_mode").value == "rate"
    assert metrics(whatif)["总分"][0] == "92.50"
    assert any("保存后评价数据已变化" in w for w in texts(whatif.warning))


def test_whatif_in_english(whatif):
    whatif.radio(key="lang_switch").set_value("en").run()
    assert not whatif.exception
    assert {"Total", "Grade", "Rank", "Budget execution"} <= set(metrics(whatif))
    assert metrics(whatif)["Grade"][0] == "Excellent"
    assert any(s.value == "Scenario result" for s in whatif.subheader)
    assert "Already in the top grade." in texts(whatif.success)
    type_in(whatif, "wi_in_carryover_amount", -5.0)
    assert any("Must not be negative." in e for e in texts(whatif.error))


@pytest.fixture(scope="module")
def county_db(tmp_path_factory):
    """A small synthetic county on the national layout, stored with every leaf input."""
    from analytics.domain import synthetic_county
    from test_scenario_frameworks import write_county
    county = synthetic_county.generate(departments=synthetic_county.DEPARTMENTS[:3], years=(2023,))
    path = tmp_path_factory.mktemp("county") / "county.duckdb"
    write_county(path, county).close()
    return county, path


def open_county(county_db, monkeypatch) -> tuple[AppTest, object]:
    county, path = county_db
    e = county.evaluations[0]
    department = next(d.zh for d in county.departments if d.code == e.department)
    return open_page("pages/whatif.py", path, monkeypatch, department=department, year="2023"), e


def test_whatif_on_a_county_evaluation_with_its_own_indicators(county_db, monkeypatch, scenario_db):
    """The national layout: level-1 metrics from its tree, no input it does not read, and an indicator the
    department brought rescored from its actual value."""
    at, e = open_county(county_db, monkeypatch)
    shown = metrics(at)
    assert shown["总分"] == (f"{e.score.total_reported:.2f}", "")
    assert {"年度预算执行情况", "产出指标", "效益指标", "满意度指标"} <= set(shown)
    assert not any(n.key == "wi_in_carryover_amount" for n in at.text_input)
    # no limit of indicators the framework does not have (it has no carry-over or difference-rate rule)
    assert not any("结转结余" in i or "差异率" in i for i in texts(at.info))
    assert not any(m.value == "**不丢分的上限**" for m in at.markdown)
    brought = next(b for b in e.inputs.brought if b.kind == "target" and e.inputs.leaves[b.code].target.startswith("≥"))
    key = f"wi_in_actual:{brought.code}"
    assert brought.zh in at.text_input(key=key).label and e.inputs.leaves[brought.code].target in at.text_input(key=key).label
    type_in(at, key, round(typed(at, key) / 4, 2))
    total, delta = metrics(at)["总分"]
    assert float(total) < e.score.total_reported and delta.startswith("-")
    waterfall = chart(at, "waterfall")
    assert brought.zh in waterfall["data"][0]["y"]
    tornado = chart(at, "bar", first_trace="有利方向一个单位")
    assert any(brought.zh in label and "实际完成值" in label for label in tornado["data"][0]["y"])


def test_goal_seek_on_a_county_brought_indicator_is_verified_by_applying_it(county_db, monkeypatch, scenario_db):
    """Goal seek on any numeric input of the national layout: lower a brought target's actual value, seek
    the actual total back by that same input, apply the answer: the page re-scores it to the target."""
    at, e = open_county(county_db, monkeypatch)
    brought = next(b for b in e.inputs.brought if b.kind == "target" and e.inputs.leaves[b.code].target.startswith("≥"))
    key = f"actual:{brought.code}"
    type_in(at, f"wi_in_{key}", round(typed(at, f"wi_in_{key}") / 4, 2))
    lowered = float(metrics(at)["总分"][0])
    assert lowered < e.score.total_reported
    target = round((lowered + e.score.total_reported) / 2, 2)
    at.radio(key="wi_goal_kind").set_value("score").run()
    at.number_input(key="wi_goal_score").set_value(target).run()
    assert key in at.selectbox(key="wi_vary").options or brought.zh in " ".join(at.selectbox(key="wi_vary").options)
    at.selectbox(key="wi_vary").set_value(key).run()
    sentence = next(s for s in texts(at.success) if brought.zh in s)
    assert f"{target:.2f}" in sentence
    at.button(key="wi_apply_seek").click().run()
    assert not at.exception
    total = float(metrics(at)["总分"][0])
    assert target <= total < e.score.total_reported                 # reached, by less than the whole way back
    answer = typed(at, f"wi_in_{key}")
    assert f"{answer:,.2f}" in sentence
    type_in(at, f"wi_in_{key}", round(answer - 0.01, 2))              # a cent less no longer reaches it
    assert float(metrics(at)["总分"][0]) < target


# -- rule change ----------------------------------------------------------------------------------------

def ranking_table(at: AppTest):
    return next(d.value for d in at.dataframe if "新排名" in d.value.columns or "New rank" in d.value.columns)


def test_no_rule_change_keeps_the_stored_ranking(rules_page, demo_store):
    assert any("新排名与已存排名一致" in i for i in texts(rules_page.info))
    table = ranking_table(rules_page).set_index("部门")
    stored = stored_year(demo_store, 2022)[0].set_index("department")
    assert (table["新总分"] == stored["total"].reindex(table.index)).all()
    assert (table["名次变化"] == 0).all()


def test_a_lower_municipal_average_changes_the_new_ranking(rules_page):
    rules_page.number_input(key="rc_avg_2022").set_value(10.0).run()
    assert not rules_page.exception
    commerce = ranking_table(rules_page).set_index("部门").loc[COMMERCE]
    assert commerce["原总分"] == 90.73 and commerce["新总分"] == 89.93 and commerce["新等级"] == "良好"
    assert commerce["名次变化"] < 0
    grade_changes = next(d.value for d in rules_page.dataframe
                         if "原等级" in d.value.columns and len(d.value.columns) == 4)
    assert "市商务局" in grade_changes["部门"].tolist()
    assert chart(rules_page, "bar") is not None
    assert metrics(rules_page)["等级变化的部门"][0] != "0 / 55"


def test_weights_not_summing_to_100_give_a_message(rules_page):
    rules_page.number_input(key="rc_weight_budget_execution").set_value(30.0).run()
    assert not rules_page.exception
    assert any("合计为 100，目前合计 110" in e for e in texts(rules_page.error))
    assert not any("新排名" in d.value.columns for d in rules_page.dataframe)
    rules_page.number_input(key="rc_weight_performance_targets").set_value(50.0).run()
    commerce = ranking_table(rules_page).set_index("部门").loc[COMMERCE]
    assert commerce["新总分"] == 25.85 + 49.58 + 14.0


def test_budget_consequence_is_an_assumption_in_amounts(rules_page):
    rules_page.number_input(key="rc_avg_2022").set_value(10.0)
    rules_page.number_input(key="rc_cut_良好").set_value(-5.0).run()
    assert any("是假设而非政策" in w for w in texts(rules_page.warning))
    rows = next(d.value for d in rules_page.dataframe if "假设调整金额（万元）" in d.value.columns
                and "部门" in d.value.columns)
    commerce = rows.set_index("部门").loc[COMMERCE]
    assert commerce["假设调整比例（%）"] == -5.0 and commerce["假设调整金额（万元）"] == round(-0.05 * 255851.24, 2)


def test_rule_change_in_english(rules_page):
    rules_page.radio(key="lang_switch").set_value("en").run()
    assert not rules_page.exception
    assert "New rank" in ranking_table(rules_page).columns
    assert any("the new ranking equals the stored one" in i for i in texts(rules_page.info))
    rules_page.number_input(key="rc_band_良好").set_value(95.0).run()
    assert any("Grade bounds must fall" in e for e in texts(rules_page.error))


def test_rule_change_on_the_county_is_built_from_its_framework(county_db, monkeypatch):
    """The national layout's form holds what its definition has: its fixed weights (年度预算执行情况 and its
    indicator), its grade bands, no municipal average and no rule parameter; weights that do not add up by
    the tree get a message and no ranking; a valid change ranks as the analytics do."""
    from analytics import rule_change
    from analytics.store import Store
    from test_scenario_frameworks import COUNTY
    county, path = county_db
    at = open_page("pages/rule_change.py", path, monkeypatch, year="2023")
    captions = texts(at.caption)
    assert any("没有按市级平均差异率计分的指标" in c for c in captions)
    assert any("由各部门自行设定（共 90 分）" in c for c in captions)
    assert any("没有可调整的数值参数" in c for c in captions)
    assert {n.key for n in at.number_input if n.key.startswith(("rc_avg", "rc_weight_", "rc_param_"))} == \
        {"rc_weight_budget_execution", "rc_weight_execution_rate"}
    assert (ranking_table(at)["名次变化"] == 0).all() and len(ranking_table(at)) == 3
    at.number_input(key="rc_weight_execution_rate").set_value(15.0).run()
    assert any("“年度预算执行情况”下级指标权重合计须为 10，目前合计 15" in e for e in texts(at.error)), texts(at.error)
    assert not any("新排名" in d.value.columns for d in at.dataframe)
    at.number_input(key="rc_weight_budget_execution").set_value(15.0).run()
    assert not at.exception and not at.error
    table = ranking_table(at).set_index("部门")
    store = Store(path, read_only=True)
    try:
        expected = rule_change.run(store, 2023, rule_change.RuleChange(weights={"budget_execution": 15,
                                                                               "execution_rate": 15}),
                                   region=COUNTY).set_index("department")
    finally:
        store.close()
    assert (table["新总分"] == expected["new_total"].reindex(table.index)).all()
    assert (table["新总分"] != table["原总分"]).any()
    at.number_input(key="rc_band_优").set_value(99.0).run()
    assert not at.exception
    table = ranking_table(at)
    assert ((table["新等级"] == "优") == (table["新总分"] >= 99)).all()       # 优 now needs 99
    assert (table["新等级"] == "优").sum() < (table["原等级"] == "优").sum()
    assert table["原等级"].isin(["优", "良", "中", "差"]).all()


def test_rule_parameters_and_weights_below_level_1_on_beijing(rules_page, demo_store):
    from analytics import rule_change
    keys = {n.key for n in rules_page.number_input}
    assert {"rc_param_performance_management:deduction", "rc_param_final_account_diff_rate:step",
            "rc_param_execution_rate:tiers.1.share", "rc_weight_funds_overall", "rc_weight_asset_management"} <= keys
    label = rules_page.number_input(key="rc_param_execution_rate:tiers.1.share").label
    assert label == "预算执行率 · 超额档 #2 比例"
    rules_page.number_input(key="rc_param_performance_management:deduction").set_value(1.0).run()
    rules_page.number_input(key="rc_weight_financial_management").set_value(6.0).run()
    assert any("“预算管理情况”下级指标权重合计须为 20，目前合计 22" in e for e in texts(rules_page.error))
    rules_page.number_input(key="rc_weight_group_asset_management").set_value(2.0).run()
    table = ranking_table(rules_page).set_index("部门")
    change = rule_change.RuleChange(params={"performance_management": {"deduction": 1.0}},
                                    weights={"financial_management": 6.0, "group_asset_management": 2.0})
    expected = rule_change.run(demo_store, 2022, change, region="北京市").set_index("department")
    assert (table["新总分"] == expected["new_total"].reindex(table.index)).all()
    assert (table["总分变化"] != 0).any()


def save_scenario(at: AppTest, name: str, overwrite: bool = False) -> AppTest:
    at.text_input(key="wi_save_name").input(name)
    if overwrite:
        at.checkbox(key="wi_overwrite").check()
    at.button(key="wi_save").click().run()
    assert not at.exception, at.exception
    return at


def test_only_the_saving_session_or_the_admin_may_delete_or_overwrite(whatif, demo_db_master, monkeypatch):
    monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", "s3cret-测试")
    set_spending(whatif, 0.95 * BUDGET)
    save_scenario(whatif, "我的情景")
    other = open_page("pages/whatif.py", demo_db_master, monkeypatch, department=COMMERCE, year="2022")
    other.button(key="wi_delete").click().run()
    assert any("另一会话保存" in e for e in texts(other.error)), texts(other.error)
    save_scenario(other, "我的情景", overwrite=True)
    assert any("另一会话保存" in e for e in texts(other.error))
    listed = next(d.value for d in other.dataframe if "情景" in d.value.columns)
    assert listed["总分"].tolist() == [92.5]                     # neither deleted nor overwritten

    save_scenario(whatif, "我的情景", overwrite=True)          # the saving session may overwrite its own
    assert any("已保存情景“我的情景”" in s for s in texts(whatif.success))

    for password, said in (("guess", "密码错误"), ("s3cret-测试", "已删除情景")):
        other.text_input(key="wi_admin_password").input(password)
        other.button(key="wi_delete").click().run()
        assert any(said in m for m in texts(other.error) + texts(other.success))
    assert any("尚无保存的情景" in i for i in texts(other.info))


def shown_on_mount(widget) -> float:
    """What a browser draws for a number input it mounts afresh (it forgot the input while it was not
    drawn): the value the server sends along, else the input's default."""
    return widget.proto.value if widget.proto.set_value else widget.proto.default


def test_inputs_show_the_values_the_results_use_after_invalid_weights_are_corrected(rules_page):
    rules_page.number_input(key="rc_cut_优秀").set_value(5.0).run()
    rules_page.number_input(key="rc_weight_budget_execution").set_value(30.0).run()
    assert not any(n.key.startswith("rc_cut_") for n in rules_page.number_input)   # not drawn: page stopped
    rules_page.number_input(key="rc_weight_budget_execution").set_value(20.0).run()
    for _ in range(2):                                                      # the correcting run, and the next
        summary = next(d.value for d in rules_page.dataframe if "部门数" in d.value.columns)
        used = dict(zip(summary["等级"], summary["假设调整比例（%）"]))
        assert used["优秀"] == 5.0 and used["良好"] == 0.0
        cuts = {n.key: shown_on_mount(n) for n in rules_page.number_input if n.key.startswith("rc_cut_")}
        assert cuts == {"rc_cut_优秀": 5.0, "rc_cut_良好": 0.0, "rc_cut_中": 0.0, "rc_cut_差": 0.0}
        assert all(shown_on_mount(n) == n.value for n in rules_page.number_input), \
            [(n.key, shown_on_mount(n), n.value) for n in rules_page.number_input]
        rules_page.run()
