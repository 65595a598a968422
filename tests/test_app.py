"""The Streamlit app, driven by Streamlit's own AppTest harness against a real demo database."""
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from apptest import open_app


@pytest.fixture
def app(demo_db_master, monkeypatch):
    return open_app(monkeypatch, demo_db_master)


def test_rankings_show_the_latest_year_by_default(app):
    assert app.selectbox(key="year").value == 2023
    frame = app.dataframe[0].value
    assert len(frame) >= 50
    assert any("合成演示数据" in w.value for w in app.warning)


def test_choosing_2022_shows_the_real_report_ranked(app):
    app.selectbox(key="year").select(2022).run()
    frame = app.dataframe[0].value
    commerce = frame[frame["部门"] == "北京市商务局"].iloc[0]
    assert commerce["总分"] == 90.73 and commerce["等级"] == "优秀" and commerce["数据来源"] == "真实报告"


def test_english_switch_translates_the_table(app):
    app.radio(key="lang_switch").set_value("en").run()
    assert not app.exception
    assert "Department" in app.dataframe[0].value.columns
    assert any("synthetic demo data" in w.value for w in app.warning)


def test_missing_database_shows_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYTICS_DB", str(tmp_path / "none.duckdb"))
    st.cache_resource.clear()
    at = AppTest.from_file("../app.py", default_timeout=60).run()
    assert not at.exception
    assert any("init-db --demo" in i.value for i in at.info)
