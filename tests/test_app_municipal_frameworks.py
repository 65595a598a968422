"""The municipal comparison page on a framework other than Beijing's (the demo's synthetic county on the
national self-evaluation layout): columns and level-1 names from the framework's own tree, open groups
compared as groups, and wording that does not call a county a municipality.

Expected figures are read straight from the database and the shipped framework definition."""
import json

import numpy as np
import pytest

from analytics.domain.loader import shipped_frameworks
from apptest import open_app, values

NATIONAL = "national-self-evaluation"


@pytest.fixture(scope="module")
def county(demo_store):
    return demo_store.scalar("SELECT value FROM meta WHERE key = 'synthetic_county'")


@pytest.fixture
def page(demo_db_master, monkeypatch, county):
    return open_app(monkeypatch, demo_db_master, "municipal", region=county)


def heatmap(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def shown_texts(at) -> list[str]:
    return [e.value for kind in ("subheader", "markdown", "caption", "info") for e in getattr(at, kind)]


def test_the_heatmap_columns_are_the_frameworks_own_leaves_and_open_groups(page, demo_store, county):
    fw = shipped_frameworks()[NATIONAL][0]
    year = page.selectbox(key="year").value
    weighted = {code for (code,) in demo_store.rows(
        """SELECT DISTINCT r.code FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
           JOIN departments d ON d.id = e.department_id WHERE d.region = ? AND e.year = ? AND r.weight > 0""",
        [county, year])}
    expected = [node for node, _, _ in fw.walk() if (node.is_leaf or node.is_open) and node.code in weighted]
    spec = heatmap(page)
    assert spec["layout"]["xaxis"]["ticktext"] == [node.zh for node in expected]
    assert [a["text"] for a in spec["layout"]["annotations"]] == [f"<b>{node.zh}</b>" for node in fw.nodes]
    # a cell of an open group is the group's score over its weight, as node_results has them
    z = values(spec["data"][0]["z"])
    top, score, weight = demo_store.rows(
        """SELECT d.name, r.reported, r.weight FROM evaluations e JOIN departments d ON d.id = e.department_id
           JOIN evaluation_scores s ON s.evaluation_id = e.id JOIN node_results r ON r.evaluation_id = e.id
           WHERE d.region = ? AND e.year = ? AND r.code = 'output_quantity'
           ORDER BY s.reported_total DESC, d.name LIMIT 1""", [county, year])[0]
    column = [node.code for node in expected].index("output_quantity")
    assert z.shape[0] == demo_store.scalar(
        "SELECT count(*) FROM evaluations e JOIN departments d ON d.id = e.department_id "
        "WHERE d.region = ? AND e.year = ?", [county, year])
    assert z[0][column] == pytest.approx(score / weight * 100)
    assert spec["data"][1]["customdata"][0][0] == top            # the hover of the top-left cell


def test_the_indicator_standing_gives_each_department_its_own_weight_of_an_open_group(page, demo_store, county):
    year = page.selectbox(key="year").value
    department = page.selectbox(key="department").value
    own = dict(demo_store.rows(
        """SELECT r.code, r.weight FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
           JOIN departments d ON d.id = e.department_id WHERE d.name = ? AND e.year = ?""", [department, year]))
    fw = shipped_frameworks()[NATIONAL][0]
    names = {node.zh: node.code for node, _, _ in fw.walk()}
    table = page.dataframe[1].value
    assert list(table["分值"]) == [own[names[name]] for name in table["指标"]]
    scores = dict(demo_store.rows(
        """SELECT r.code, r.reported FROM node_results r JOIN evaluations e ON e.id = r.evaluation_id
           JOIN departments d ON d.id = e.department_id WHERE d.name = ? AND e.year = ?""", [department, year]))
    assert np.allclose(table["本部门"], [scores[names[name]] for name in table["指标"]])


def test_a_county_is_not_called_a_municipality(page, county, demo_store):
    department = page.selectbox(key="department").value
    assert any(f"{department} 与{county}各部门对比" in text for text in shown_texts(page))
    headers = {column for frame in page.dataframe for column in frame.value.columns}
    assert not [text for text in [*shown_texts(page), *headers] if "全市" in text]
    charts = " ".join(c.proto.spec for c in page.get("plotly_chart"))
    assert "全市" not in json.loads(json.dumps(charts))
    page.radio(key="lang_switch").set_value("en").run()
    assert not page.exception
    headers = {column for frame in page.dataframe for column in frame.value.columns}
    assert "Regional mean" in headers and not [h for h in headers if "unicipal" in h]
    english = demo_store.scalar("SELECT name_en FROM regions WHERE name = ?", [county])     # the region's own
    assert english and any(f"against the departments of {english}" in text for text in shown_texts(page))
    assert heatmap(page)["layout"]["annotations"][1]["text"] == "<b>Outputs</b>"


def test_an_open_groups_distribution_is_of_scoring_rates(page, demo_store, county):
    """Departments weight an open group differently, so its distribution compares score / weight."""
    year = page.selectbox(key="year").value
    page.selectbox(key="measure").set_value("output_quantity").run()
    assert not page.exception
    spec = next(json.loads(c.proto.spec) for c in page.get("plotly_chart")
                if "数量指标得分率" in json.loads(c.proto.spec)["layout"].get("title", {}).get("text", ""))
    rates = demo_store.df("""SELECT 100 * r.reported / r.weight AS rate FROM node_results r
                             JOIN evaluations e ON e.id = r.evaluation_id JOIN departments d ON d.id = e.department_id
                             WHERE d.region = ? AND e.year = ? AND r.code = 'output_quantity'""", [county, year])
    assert sorted(values(spec["data"][0]["x"])) == pytest.approx(sorted(rates["rate"]))
    assert spec["layout"]["xaxis"]["ticksuffix"] == "%"
