"""One context follows the user: the year and department chosen on one page are the ones the next page
opens with, whether the user moves by the sidebar (no URL parameters) or by a link; the defaults agree."""
import pytest

from analytics import compare
from streamlit.testing.v1 import AppTest

from apptest import APP, open_app
from mixed_frameworks import BEIJING, BEIJING_NAMES, NATIONAL, NATIONAL_NAMES, YEAR, add_evaluations, build_mixed

COMMERCE = "北京市商务局"


def follow_sidebar_link(at, page: str):
    """What a click on a navigation link does: the next page's URL carries no parameters but the language."""
    lang = at.query_params.get("lang", "zh")
    at.query_params.clear()
    at.query_params["lang"] = lang
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def app(demo_db_master, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))
    return open_app(monkeypatch, demo_db_master)


def test_department_and_year_survive_a_visit_to_the_trends_page(app):
    follow_sidebar_link(app, "department")
    app.selectbox(key="department").select(COMMERCE).run()
    app.selectbox(key="year").select(2022).run()
    follow_sidebar_link(app, "trends")
    assert app.multiselect(key="departments").value == [COMMERCE]
    follow_sidebar_link(app, "department")
    assert app.selectbox(key="department").value == COMMERCE
    assert app.selectbox(key="year").value == 2022
    assert app.query_params["department"] == COMMERCE and app.query_params["year"] == "2022"
    assert app.metric[0].value == "90.73"


@pytest.mark.parametrize("page", ["rankings", "municipal", "present", "whatif", "rule_change"])
def test_every_page_opens_with_the_chosen_year_and_writes_its_own_choice_back(app, page):
    follow_sidebar_link(app, "department")
    app.selectbox(key="department").select(COMMERCE).run()
    app.selectbox(key="year").select(2021).run()
    follow_sidebar_link(app, page)
    assert app.selectbox(key="year").value == 2021
    if page in ("municipal", "present", "whatif"):
        assert app.selectbox(key="department").value == COMMERCE
    app.selectbox(key="year").select(2020).run()
    follow_sidebar_link(app, "department")
    assert app.selectbox(key="year").value == 2020
    assert app.selectbox(key="department").value == COMMERCE


def test_a_department_picked_on_trends_is_the_one_the_department_page_opens(app):
    follow_sidebar_link(app, "trends")
    app.multiselect(key="departments").set_value(["北京市教育委员会"]).run()
    follow_sidebar_link(app, "department")
    assert app.selectbox(key="department").value == "北京市教育委员会"


def test_the_defaults_agree_across_pages(demo_db_master, monkeypatch, tmp_path, demo_store):
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))
    latest = max(compare.years(demo_store, compare.default_region(demo_store)))   # the region pages open on
    seen = {}
    for page in ("department", "municipal", "present", "whatif"):
        at = open_app(monkeypatch, demo_db_master, page)
        seen[page] = (at.selectbox(key="department").value, at.selectbox(key="year").value)
    assert set(seen.values()) == {(COMMERCE, latest)}, seen


@pytest.fixture
def mixed_db(tmp_path):
    """build_mixed's year (3 + 3 evaluations, two frameworks) between an earlier year of Beijing's template
    only (2 more) and a later year of the national layout only (1): the national layout has the most
    evaluations in the latest year, Beijing's the most over all years and first by name."""
    return add_evaluations(build_mixed(tmp_path / "mixed.duckdb"), [(name, YEAR - 1) for name in BEIJING_NAMES[:2]],
                           [(NATIONAL_NAMES[0], YEAR + 1)])


def framework_box(at):
    return at.sidebar.selectbox(key="framework")


def test_every_page_opens_on_the_framework_with_the_most_evaluations_in_the_latest_year(mixed_db, monkeypatch):
    for page in ("rankings", "trends", "municipal"):
        at = open_app(monkeypatch, mixed_db, page, year=str(YEAR))
        assert framework_box(at).value == NATIONAL, page
        assert at.query_params["framework"] == NATIONAL


def test_the_framework_chosen_in_the_sidebar_follows_the_user_across_pages(mixed_db, monkeypatch):
    at = open_app(monkeypatch, mixed_db)
    assert at.selectbox(key="year").value == YEAR + 1       # one framework that year: nothing to choose
    assert not [box for box in at.sidebar.selectbox if box.key == "framework"]
    assert set(at.dataframe[0].value["部门"]) == {NATIONAL_NAMES[0]}
    at.selectbox(key="year").select(YEAR).run()
    framework_box(at).set_value(BEIJING).run()
    assert set(at.dataframe[0].value["部门"]) == set(BEIJING_NAMES)
    for page in ("trends", "municipal", "rankings"):
        follow_sidebar_link(at, page)
        assert framework_box(at).value == BEIJING, page
        assert at.query_params["framework"] == BEIJING
    assert at.selectbox(key="year").value == YEAR
    follow_sidebar_link(at, "trends")
    assert set(at.multiselect(key="departments").options) == set(BEIJING_NAMES)


def test_the_framework_name_says_its_version_in_both_languages(mixed_db, monkeypatch):
    at = open_app(monkeypatch, mixed_db, year=str(YEAR))
    shown = {framework_box(at).format_func(code) for code in (BEIJING, NATIONAL)}
    assert "部门整体支出绩效自评表（全国通用格式）（2023 版）" in shown
    assert "北京市部门整体绩效评价指标体系（2022）" in shown       # its name says its version already
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    assert framework_box(at).format_func(NATIONAL).endswith("(version 2023)")


def test_a_page_without_a_region_choice_opens_on_the_framework_of_the_region_asked_for(demo_db_master, monkeypatch,
                                                                                       demo_store):
    """数据与方法 shows no region choice: a link asking for the county opens it on the county's framework."""
    county = demo_store.scalar("SELECT value FROM meta WHERE key = 'synthetic_county'")
    latest = max(compare.years(demo_store, county))
    expected = compare.year_frameworks(demo_store, latest, county)[0][0]
    monkeypatch.setenv("ANALYTICS_DB", str(demo_db_master))
    at = AppTest.from_file(APP, default_timeout=120)          # the page opened first, as a link opens it
    at.query_params.update(region=county)
    at.switch_page("pages/method.py").run()
    assert not at.exception, at.exception
    assert framework_box(at).value == expected != "beijing-2022"
