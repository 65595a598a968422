"""In English every displayed department name is its English name (departments.name_en) — tables, choices,
charts, decks — while the stored Chinese name stays the identifier in URLs and lookups."""
import json
import re

import pytest

from analytics import compare, conclusions, slides
from analytics.department_names import english_names
from apptest import open_app

CJK = re.compile(r"[\u3400-\u9fff]")
COUNTY = "示例县(合成)"


@pytest.fixture(scope="module")
def english(demo_store) -> dict[str, str]:
    return english_names(demo_store)


def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_demo_stores_an_english_name_for_every_department(demo_store, english):
    stored = set(demo_store.df("SELECT name FROM departments")["name"])
    assert stored == set(english) and not [name for name in english.values() if CJK.search(name)]


@pytest.mark.parametrize("region", [None, COUNTY])
def test_rankings_in_english_name_every_department_in_english(demo_db_master, monkeypatch, demo_store, english, region):
    at = open_app(monkeypatch, demo_db_master, "rankings", lang="en", **({"region": region} if region else {}))
    year = at.selectbox(key="year").value
    framework = at.session_state["framework"] if "framework" in at.session_state else None
    expected = compare.ranking(demo_store, year, region or compare.default_region(demo_store), framework)
    assert list(at.dataframe[0].value["Department"]) == [english[name] for name in expected["department"]]
    pick = at.selectbox(key="rankings_pick")
    assert pick.options == [english[name] for name in expected["department"]]
    assert pick.value == expected["department"].iloc[0]            # the choice is still the stored name
    ticks = [tick for chart in charts(at) for axis in ("yaxis", "xaxis") for tick in
             chart["layout"].get(axis, {}).get("ticktext", [])]
    assert ticks and not [tick for tick in ticks if CJK.search(tick)]
    assert any(english[expected["department"].iloc[0]] in tick for tick in ticks)


def test_the_department_page_in_english_names_the_department_in_english_and_keeps_the_url(demo_db_master, monkeypatch,
                                                                                         english):
    at = open_app(monkeypatch, demo_db_master, "department", lang="en", department="北京市商务局", year="2022")
    box = at.selectbox(key="department")
    assert box.value == "北京市商务局" and english["北京市商务局"] in box.options
    assert not [option for option in box.options if CJK.search(option)]
    assert at.query_params["department"] == "北京市商务局"
    position = next(c for c in charts(at) if any("this" in str(t.get("meta", "")) or t.get("name") == "This department"
                                                 for t in c["data"]))
    assert not CJK.search(json.dumps([t.get("text") for t in position["data"]], ensure_ascii=False))


def test_trends_in_english_draw_and_list_the_departments_in_english(demo_db_master, monkeypatch, english):
    at = open_app(monkeypatch, demo_db_master, "trends", lang="en", region=COUNTY)
    chosen = at.multiselect(key="departments")
    assert chosen.value and not [option for option in chosen.options if CJK.search(option)]
    shown = [english[name] for name in chosen.value]
    lines = {t.get("name") for c in charts(at) for t in c["data"]}
    assert set(shown) <= lines and not [name for name in lines if name and CJK.search(name)]
    table = next(frame.value for frame in at.dataframe if "Department" in frame.value.columns)
    assert set(table["Department"]) == set(shown)


def test_a_deck_in_english_names_the_department_in_english(demo_store, english):
    deck = slides.department_deck(demo_store, "北京市商务局", 2022, "en")
    assert deck.title == f"{english['北京市商务局']} 2022" and deck.slides[0].title == english["北京市商务局"]
    assert english["北京市商务局"] in conclusions.conclusion(demo_store, "北京市商务局", 2022, "en").text
    assert slides.department_deck(demo_store, "北京市商务局", 2022, "zh").slides[0].title == "北京市商务局"


def deck_framework(store) -> str:
    return compare.ranking_with_changes(store, 2023, COUNTY, None)["framework_id"].iloc[0]


def test_a_year_deck_in_english_names_every_department_in_english(demo_store, english):
    deck = slides.year_deck(demo_store, 2023, "en", COUNTY, top=3)
    ranked = compare.ranking(demo_store, 2023, COUNTY, deck_framework(demo_store))
    titled = [slide.title for slide in deck.slides if slide.title.startswith("No. ")]
    assert titled == [f"No. {r.rank} · {english[r.department]}" for r in ranked.head(3).itertuples()]
