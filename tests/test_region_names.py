"""Regions named in English as data (regions(name, name_en), migration 6): an older store opens and gets the
table (the regions it holds that the product knows get their English names), the demo names both of its
regions, and wherever the English interface shows a region it shows that name; an unknown region keeps its
Chinese name."""
import pytest

from analytics import conclusions, region_names, slides
from analytics import versions
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.store import Store, open_store
from apptest import open_app
from older_release import release_before
from mixed_frameworks import REGION, build_mixed

COUNTY = "示例县(合成)"


@pytest.fixture
def schema5(tmp_path, monkeypatch):
    """A database written by the release before migration 6: one version importing the seed report (北京市)."""
    path = tmp_path / "schema5.duckdb"
    with release_before(monkeypatch, 6):
        with versions.new_version(path, versions.Change("import", "seed")) as draft:
            import_report(draft.store, SEED_REPORT, source_kind="report", create_departments=True)
    probe = Store(path, read_only=True)
    assert probe.schema_version() == 5
    assert not probe.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'regions'")
    probe.close()
    return path, draft.version_id


def test_an_older_store_opens_and_gets_the_table_with_the_regions_it_knows(schema5):
    path, first = schema5
    open_store(path, read_only=True).close()                 # the app's first open upgrades the file
    store = Store(path, read_only=True)
    try:
        assert store.schema_version() == 6
        assert store.rows("SELECT name, name_en FROM regions") == [("北京市", "Beijing")]
        assert region_names.english_names(store) == {"北京市": "Beijing"}
    finally:
        store.close()


def test_a_name_set_later_is_a_change_that_restores(schema5):
    path, first = schema5
    open_store(path, read_only=True).close()
    with versions.new_version(path, versions.Change("import", "region names")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("UPDATE regions SET name_en = 'Beijing Municipality' WHERE name = '北京市'")
    assert not draft.unchanged
    versions.restore(path, first)
    store = Store(path, read_only=True)
    assert region_names.english_names(store) == {"北京市": "Beijing"}
    store.close()


def test_the_demo_names_its_regions_and_an_unknown_region_falls_back(demo_store, tmp_path):
    assert region_names.english_names(demo_store) == {"北京市": "Beijing", COUNTY: "Example County (synthetic)"}
    assert region_names.region_name(demo_store, COUNTY, "en") == "Example County (synthetic)"
    assert region_names.region_name(demo_store, COUNTY, "zh") == COUNTY
    assert region_names.region_name(demo_store, "某市", "en") == "某市"
    mixed = Store(build_mixed(tmp_path / "mixed.duckdb"), read_only=True)
    assert region_names.english_names(mixed) == {}                   # no region the product knows
    mixed.close()


def test_conclusions_and_the_year_deck_name_the_region_in_english(demo_store):
    said = conclusions.conclusion(demo_store, "北京市商务局", 2022, "en").said("rank")
    assert "departments of Beijing on the same framework" in said[0]
    assert "北京市同一评价体系" in conclusions.conclusion(demo_store, "北京市商务局", 2022, "zh").said("rank")[0]
    deck = slides.year_deck(demo_store, 2023, "en", COUNTY, top=1)
    assert deck.title.startswith("Example County (synthetic) 2023") and deck.slides[0].title == deck.title


def test_the_english_pages_show_the_english_region_names(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "rankings", lang="en", region=COUNTY)
    region = at.sidebar.selectbox(key="region")
    assert region.value == COUNTY and set(region.options) == {"Beijing", "Example County (synthetic)"}
    assert any(c.value.startswith("Example County (synthetic) 2024:") for c in at.caption)
    assert not any(COUNTY in c.value for c in at.caption)
    at.switch_page("pages/municipal.py").run()
    assert not at.exception
    assert any("the departments of Example County (synthetic)" in s.value for s in at.subheader)
    at.switch_page("pages/method.py").run()
    params = next(d.value for d in at.dataframe if "Region" in d.value.columns)
    assert set(params["Region"]) == {"Beijing"}                      # the published rates are Beijing's


def test_the_chinese_pages_keep_the_stored_names(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "rankings", region=COUNTY)
    assert set(at.sidebar.selectbox(key="region").options) == {"北京市", COUNTY}
    assert any(c.value.startswith(f"{COUNTY} 2024") for c in at.caption)


def test_an_unknown_region_keeps_its_chinese_name_in_english(tmp_path, monkeypatch):
    at = open_app(monkeypatch, build_mixed(tmp_path / "mixed.duckdb"), "rankings", lang="en")
    assert any(c.value.startswith(f"{REGION} 2022:") for c in at.caption)
