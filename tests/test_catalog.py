"""Data-and-method facts read from a real demo database: sources, files, framework rules, parameters."""

import pytest

from analytics import catalog, records
from analytics.domain.loader import shipped_frameworks
from analytics.domain.rules import KINDS
from analytics.store import Store

SEED_SHA256 = "674aacc64f44b68d3bfa6349bd9a3ea4b4e45a137a3d47077fbadfc8620d98c8"


def _county(store):
    """The demo's evaluations on the national layout (the synthetic county), counted independently: none
    in a demo of Beijing alone."""
    return store.df("""SELECT e.year, count(*) AS evaluations, count(DISTINCT e.department_id) AS departments
                       FROM evaluations e WHERE e.framework_id = 'national-self-evaluation' GROUP BY ALL""")


def test_source_overview_counts_one_real_and_329_synthetic_beijing_evaluations(demo_store):
    county = _county(demo_store)
    county_departments = demo_store.scalar("SELECT count(DISTINCT department_id) FROM evaluations "
                                           "WHERE framework_id = 'national-self-evaluation'")
    overview = catalog.source_overview(demo_store).set_index("source_kind")
    assert list(overview.index) == ["report", "synthetic"]       # real sources first
    assert overview.loc["report", "evaluations"] == 1 and overview.loc["report", "departments"] == 1
    assert overview.loc["synthetic", "evaluations"] == 329 + county["evaluations"].sum()
    assert catalog.synthetic_evaluations(overview.reset_index()) == overview.loc["synthetic", "evaluations"]
    assert overview.loc["synthetic", "departments"] == 55 + county_departments
    assert overview.loc["synthetic", "first_year"] == 2018
    assert overview.loc["synthetic", "last_year"] == max([2023, *county["year"]])
    assert catalog.department_count(demo_store) == 55 + county_departments


def test_source_by_year_splits_2022_into_the_report_and_synthetic_rows(demo_store):
    county = _county(demo_store).set_index("year")["evaluations"]
    by_year = catalog.source_by_year(demo_store)
    totals = by_year.groupby("year")["evaluations"].sum()
    assert all(totals[year] == (55 if 2018 <= year <= 2023 else 0) + county.get(year, 0) for year in totals.index)
    year_2022 = by_year[by_year["year"] == 2022].set_index("source_kind")["evaluations"]
    assert year_2022.to_dict() == {"report": 1, "synthetic": 54 + county.get(2022, 0)}


def test_source_files_list_the_seed_report_with_its_sha256(demo_store):
    files = catalog.source_files(demo_store)
    assert len(files) == 1
    row = files.iloc[0]
    assert (row["department"], row["year"], row["source_kind"]) == ("北京市商务局", 2022, "report")
    assert row["source_file"] == "beijing-commerce-2022.txt" and row["source_sha256"] == SEED_SHA256


def test_meta_holds_the_generator_seed(demo_store):
    meta = catalog.meta(demo_store)
    assert meta["demo_seed"] == "20221" and meta["contains_synthetic"] == "true" and meta["built_at"]


def test_frameworks_report_usage_and_file_hash(demo_store):
    fw = catalog.frameworks(demo_store).iloc[0]
    assert fw["id"] == "beijing-2022" and fw["evaluations"] == 330 and len(fw["sha256"]) == 64


def test_framework_tree_carries_weights_and_every_rule_in_words(demo_store):
    tree = catalog.framework_tree(demo_store, "beijing-2022", "zh").set_index("code")
    assert len(tree) == 16 and tree["weight"].sum() == 100
    assert tree.groupby("level1")["level1_weight"].first().to_dict() == {
        "当年预算执行情况": 20, "整体绩效目标实现情况": 60, "预算管理情况": 20}
    assert tree.loc["execution_rate", "level1_label"] == "当年预算执行情况（20）"
    ratio = tree.loc["execution_rate"]
    assert ratio["rule_kind"] == "比率法" and "× 20" in ratio["rule"] and "r ≥ 200% 扣分值的 10%" in ratio["rule"]
    assert "截取" in ratio["formula"]                         # the framework file's own formula
    assert "7 个检查项中每项不符合扣 0.5 分" in tree.loc["fund_compliance", "rule"]
    assert "每高出 1 个百分点扣 0.4 分" in tree.loc["carryover_rate", "rule"]
    assert "每高出 10 个百分点（含）扣 0.4 分" in tree.loc["final_account_diff_rate", "rule"]
    assert "共 4 项，每项 2 分" in tree.loc["economic_benefit", "rule"]
    assert tree.loc["output_quality", "formula"] == ""


def test_framework_tree_in_english(demo_store):
    tree = catalog.framework_tree(demo_store, "beijing-2022", "en").set_index("code")
    assert tree.loc["execution_rate", "level1_label"] == "Budget execution (20)"
    assert tree.loc["asset_management", "rule_kind"] == "Checklist deduction"
    assert "deduct 0.8 for each of the 6 checks" in tree.loc["asset_management", "rule"]


def test_rule_in_words_covers_reverse_ratios_without_penalty_tiers():
    words = catalog.rule_in_words({"kind": "ratio", "params": {"numerator": "spent_total", "denominator": "budget_total",
                                                                "direction": "reverse"}}, 5, "zh")
    assert "逆向指标" in words and "目标设定过低" not in words


def test_checklist_lists_every_check_with_its_deduction(demo_store):
    checks = catalog.checklist(demo_store, "beijing-2022", "zh")
    assert len(checks) == 3 + 7 + 3 + 6 + 2
    assets = checks[checks["indicator"] == "资产管理规范性"]
    assert list(assets["check_no"]) == [1, 2, 3, 4, 5, 6] and set(assets["deduction"]) == {0.8}
    english = catalog.checklist(demo_store, "beijing-2022", "en")
    assert "No withholding, diversion or misappropriation" in set(english["check"])


def test_grade_bands_in_words(demo_store):
    bands = catalog.grade_bands(demo_store, "beijing-2022", "zh")
    assert list(bands["grade"]) == ["优秀", "良好", "中", "差"]
    assert list(bands["range"]) == ["总分 ≥ 90", "80 ≤ 总分 < 90", "60 ≤ 总分 < 80", "0 ≤ 总分 < 60"]
    assert "合格" in bands.loc[2, "synonyms"]
    assert list(catalog.grade_bands(demo_store, "beijing-2022", "en")["grade"]) == ["Excellent", "Good", "Fair", "Poor"]


def test_year_params_mark_the_real_2022_average_and_the_synthetic_rest(demo_store):
    params = catalog.year_params(demo_store, "zh").set_index("year")
    assert len(params) == 6 and set(params["parameter"]) == {"市级平均差异率（%）"}
    assert params.loc[2022, "value"] == 28.3 and params.loc[2022, "source_kind"] == "report"
    assert "beijing-commerce-2022.txt" in params.loc[2022, "source"]
    assert (params.drop(index=2022)["source_kind"] == "synthetic").all()
    assert catalog.parameter_label("some_future_key", "en") == "some_future_key"


def test_an_empty_database_gives_empty_tables(empty_store):
    assert catalog.source_overview(empty_store).empty and catalog.source_files(empty_store).empty
    assert catalog.synthetic_evaluations(catalog.source_overview(empty_store)) == 0
    assert catalog.frameworks(empty_store).empty and catalog.year_params(empty_store, "zh").empty
    assert catalog.meta(empty_store) == {} and catalog.department_count(empty_store) == 0


@pytest.mark.parametrize("code", ["national-self-evaluation", "sichuan-example"])
def test_any_stored_framework_is_explained_whatever_its_tree(tmp_path, code):
    store = Store(tmp_path / "fw.duckdb")
    fw = shipped_frameworks()[code][0]
    with store.transaction() as cur:
        records.ensure_framework(cur, fw)
    try:
        for lang in ("zh", "en"):
            tree = catalog.framework_tree(store, code, lang)
            shown = set(tree["code"])
            assert {leaf.code for leaf in fw.leaves()} | {group.code for group in fw.open_groups()} == shown
            assert tree["rule"].str.len().min() > 10 and tree["level1"].isin(
                [(n.en if lang == "en" else n.zh) for n in fw.nodes]).all()
        zh = catalog.framework_tree(store, code, "zh").set_index("code")
        if code == "national-self-evaluation":
            assert zh.loc["output_quantity", "rule_kind"] == "各部门自设指标"
            assert "各部门在本组下自行设定三级指标" in zh.loc["output_quantity", "rule"]
            assert zh.loc["output_quantity", "level1"] == "产出指标"
        else:
            assert zh.loc["satisfaction", "rule_kind"] == "分档计分" and "得 6 分" in zh.loc["satisfaction", "rule"]
        assert list(catalog.grade_bands(store, code, "zh")["grade"]) == [b.label for b in fw.grade_bands]
    finally:
        store.close()


def test_every_rule_kind_has_a_name_in_both_languages():
    from analytics.i18n import TEXT
    assert all(f"me_kind_{kind}" in TEXT for kind in KINDS)
