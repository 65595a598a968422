"""The presentation page: slides, navigation with the slide in the URL, modes, scenario stamp."""
import pandas as pd
import pytest
import streamlit as st

from analytics import scenario, slides
from analytics.scenario_store import ScenarioStore
from analytics.store import Store
from apptest import open_app


@pytest.fixture
def present(demo_db_master, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))

    def open_page(**query):
        return open_app(monkeypatch, demo_db_master, "present", **query)
    return open_page


def html_texts(at, css_class):
    return [m.value for m in at.markdown if f"class='{css_class}" in m.value]


def test_department_slides_step_forward_and_back_with_the_slide_in_the_url(present):
    at = present(mode="department", department="北京市商务局", year="2022")
    assert "北京市商务局" in html_texts(at, "slide-title")[0]
    assert any("第 1 / 7 页" in m.value for m in at.markdown)
    assert html_texts(at, "slide-watermark")                     # compared with synthetic departments
    at.button(key="next").click().run()
    assert at.query_params["slide"] == ["2"] or at.query_params["slide"] == "2"
    assert "得分结构" in html_texts(at, "slide-title")[0]
    at.button(key="previous").click().run()
    assert "北京市商务局" in html_texts(at, "slide-title")[0]


def test_a_shared_link_reopens_the_same_slide(present):
    at = present(mode="department", department="北京市商务局", year="2022", slide="7")
    assert "评价结论" in html_texts(at, "slide-title")[0]
    assert any("92.42" in m.value for m in at.markdown)
    assert at.button(key="next").disabled


def test_the_year_pack_has_summary_slides_and_one_per_department(present):
    at = present(mode="year", year="2022")
    assert any("第 1 / 62 页" in m.value for m in at.markdown)
    at = present(mode="year", year="2022", slide="8")
    assert "第 1 名" in html_texts(at, "slide-title")[0]


def save_execution_scenario(demo_db_master, tmp_path) -> int:
    """The commerce bureau's 2022 with 95 % execution, saved where the app reads scenarios."""
    db = Store(demo_db_master, read_only=True)
    baseline = scenario.load_baseline(db, "北京市商务局", 2022)
    saved = ScenarioStore(tmp_path / "scenarios.duckdb")
    scenario_id = saved.save("执行率95%", baseline, {"execution_rate": 95}, scenario.apply(baseline, {"execution_rate": 95}))
    saved.close()
    db.close()
    st.cache_resource.clear()
    return scenario_id


def test_a_saved_scenario_is_stamped_as_a_scenario(present, demo_db_master, tmp_path):
    scenario_id = save_execution_scenario(demo_db_master, tmp_path)
    at = present(mode="department", department="北京市商务局", year="2022", scenario=str(scenario_id), slide="2")
    assert "情景模拟：执行率95%" in html_texts(at, "slide-title")[0]
    stamp = html_texts(at, "slide-stamp")[0]
    assert "模拟结果，非实际评价结果" in stamp and "scenario" in stamp
    assert any("92.50" in m.value for m in at.markdown)


def test_only_the_scenario_slide_is_stamped_as_a_simulation(present, demo_db_master, tmp_path):
    scenario_id = save_execution_scenario(demo_db_master, tmp_path)
    at = present(mode="department", department="北京市商务局", year="2022", scenario=str(scenario_id))
    stamped, titles = [], []
    for number in range(1, 9):
        titles.append(html_texts(at, "slide-title")[0])
        stamp = html_texts(at, "slide-stamp")[0]
        assert "数据版本" in stamp
        if "模拟结果，非实际评价结果" in stamp:
            stamped.append(number)
        if number < 8:
            at.button(key="next").click().run()
    assert stamped == [n for n, title in enumerate(titles, 1) if "情景模拟" in title] == [2]


def test_english(present):
    at = present(mode="department", department="北京市商务局", year="2022", lang="en")
    assert any("Slide 1 of 7" in m.value for m in at.markdown)
    assert "department-level performance evaluation" in html_texts(at, "slide-subtitle")[0]


def test_a_year_holding_two_frameworks_presents_the_chosen_ones_pack(demo_db, tmp_path, monkeypatch):
    """Three county departments on the national layout beside Beijing's 55 in 2022: the year pack asks
    which framework, and each pack holds that framework's departments only; a county department's own
    slides rank it among its framework's three."""
    from county import add_county
    recs = add_county(demo_db, years=(2022,), region="北京市")
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))
    at = open_app(monkeypatch, demo_db, "present", mode="year", year="2022")
    assert len(at.selectbox(key="framework").options) == 2
    assert any("第 1 / 62 页" in m.value for m in at.markdown)
    at.selectbox(key="framework").set_value("national-self-evaluation").run()
    assert any("第 1 / 6 页" in m.value for m in at.markdown)      # summary, ranking, grades, three departments
    assert "部门整体支出绩效自评表" in html_texts(at, "slide-subtitle")[0]
    at = open_app(monkeypatch, demo_db, "present", mode="department", department=recs[0].department, year="2022")
    assert not at.exception and any(m.value.endswith(" / 3</b></div>") for m in at.markdown
                                    if "class='slide-metric" in m.value)


def counter(at) -> str:
    return next(m.value for m in at.markdown if "class='slide-counter'" in m.value)


def test_first_and_last_jump_to_either_end(present):
    at = present(mode="department", department="北京市商务局", year="2022", slide="3")
    at.button(key="last").click().run()
    assert "第 7 / 7 页" in counter(at) and "评价结论" in html_texts(at, "slide-title")[0]
    assert at.button(key="last").disabled and at.button(key="next").disabled
    at.button(key="first").click().run()
    assert "第 1 / 7 页" in counter(at) and at.button(key="first").disabled


def test_the_year_pack_is_filtered_in_the_menu(present, demo_store):
    from analytics import compare
    ranked = compare.ranking(demo_store, 2022, "北京市")
    ends = pd.concat([ranked.head(5), ranked.tail(3)])
    at = present(mode="year", year="2022")
    at.selectbox(key="top").set_value(5).run()
    at.selectbox(key="bottom").set_value(3).run()
    # summary, ranking, grades, movers where there are any, then the 5 + 3 departments
    assert f"第 1 / {len(at_slides := slides.year_deck(demo_store, 2022, 'zh', top=5, bottom=3).slides)} 页" in counter(at)
    assert len(at_slides) >= 3 + len(ends)
    assert any("筛选：前 5 名, 后 3 名" in m.value for m in at.markdown if "slide-subtitle" in m.value)
    assert at.query_params["top"] in (["5"], "5")
    at.multiselect(key="grade").select("中").run()
    fair = ends[ends["grade"] == "中"]
    pack = slides.year_deck(demo_store, 2022, "zh", top=5, bottom=3, grades=["中"]).slides
    assert f"第 1 / {len(pack)} 页" in counter(at) and len(pack) >= 1 + len(fair)
    at.button(key="last").click().run()
    assert f"第 {ranked['rank'].iloc[-1]} 名" in html_texts(at, "slide-title")[0]


def test_a_county_department_on_the_national_layout_shows_its_own_indicators(present):
    at = present(mode="department", region="示例县(合成)", department="县第一中学", year="2022", slide="4")
    assert html_texts(at, "slide-title")[0].count("部门自设指标：目标与完成情况") == 1
    table = next(m.value for m in at.markdown if m.value.startswith("<table class=\"slide-table\""))
    assert "偏差原因" in table and "年度目标值" in table


def test_a_deck_is_built_in_the_background_with_its_progress_and_kept(present):
    import time
    at = present(mode="department", department="北京市商务局", year="2022")
    at.button(key="prepare_pptx").click().run()
    assert not at.exception
    progress = at.get("progress")                           # the page is back at once, the build under way
    assert progress and ("正在后台生成 PPTX" in progress[0].proto.text or progress[0].proto.text == "排队中……")
    deadline = time.time() + 300
    while not [b for b in at.get("download_button") if b.proto.id and "download_pptx" in b.proto.id]:
        assert time.time() < deadline, "the deck was not built in time"
        assert at.get("progress") or at.get("download_button"), "no progress shown while building"
        time.sleep(1)
        at.run()
    # the same deck of the same data on another slide: the built file at once, no second build
    at.button(key="next").click().run()
    assert any("download_pptx" in b.proto.id for b in at.get("download_button")) and not at.get("progress")
    assert at.button(key="prepare_pdf")


def test_a_failed_export_is_said_not_kept_and_a_new_data_version_builds_anew(demo_db, tmp_path, monkeypatch):
    """The writer fails once: the page says why and offers the button again; the retry builds the file, which
    another session gets at once; after a new data version the file is built anew."""
    import time
    from analytics import deck, versions
    calls = []

    def writer(deck_, out, progress=None):
        calls.append(out)
        if len(calls) == 1:
            raise ValueError("演示失败：没有浏览器")
        progress(1, 1)
        out.write_bytes(b"pptx")
        return out
    monkeypatch.setattr(deck, "write_pptx", writer)
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))

    def built(at) -> bool:
        deadline = time.time() + 30
        while not [b for b in at.get("download_button") if "download_pptx" in b.proto.id]:
            if at.get("error"):
                return False
            assert time.time() < deadline and at.get("progress"), "neither progress nor file nor failure"
            time.sleep(0.1)
            at.run()
        return True

    at = open_app(monkeypatch, demo_db, "present", mode="department", department="北京市商务局", year="2022")
    at.button(key="prepare_pptx").click().run()
    assert not built(at) and "演示失败：没有浏览器" in at.get("error")[0].proto.body
    at.button(key="prepare_pptx").click().run()                    # not kept: the button builds again
    assert built(at) and not at.get("error") and len(calls) == 2
    other = open_app(monkeypatch, demo_db, "present", mode="department", department="北京市商务局", year="2022")
    assert any("download_pptx" in b.proto.id for b in other.get("download_button")) and len(calls) == 2
    with versions.new_version(demo_db, versions.Change("delete", "test")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("DELETE FROM year_params WHERE year = 2018")
    fresh = open_app(monkeypatch, demo_db, "present", mode="department", department="北京市商务局", year="2022")
    assert not [b for b in fresh.get("download_button") if "download_pptx" in b.proto.id]
    fresh.button(key="prepare_pptx").click().run()
    assert built(fresh) and len(calls) == 3
