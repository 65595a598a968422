"""One context follows the user: the year and department chosen on one page are the ones the next page
opens with, whether the user moves by the sidebar (no URL parameters) or by a link; the defaults agree."""
import pytest

from analytics import compare
from apptest import open_app

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
