"""两地区逐年对比 / Two regions over the years, on the cross-framework page, in AppTest: per region, framework and
year the mean and median total, the grade shares and the shared concepts equal what SQL computes here from
the store (zh and en); a region whose framework changes in a year is marked there, and a region-year on two
frameworks gives one line per framework."""
import json

import numpy as np
import pytest

from analytics import scores
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
from analytics.store import Store
from apptest import open_app, values
from mixed_frameworks import BEIJING_NAMES, REGION, YEAR, add_evaluations, build_mixed
from test_app_cross_framework import execution_codes

COUNTY = "示例县(合成)"
BY_YEAR = """SELECT d.region, coalesce(r.name_en, d.region) AS region_en, f.name_zh, f.name_en, e.year,
                    count(*) AS n, avg(s.reported_total) AS mean, median(s.reported_total) AS median
             FROM evaluations e JOIN departments d ON d.id = e.department_id LEFT JOIN regions r ON r.name = d.region
             JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
             GROUP BY ALL"""
GRADES = """SELECT f.name_zh, d.region, e.year, s.reported_grade AS grade,
                   count(*) / sum(count(*)) OVER (PARTITION BY f.name_zh, d.region, e.year) * 100 AS share
            FROM evaluations e JOIN departments d ON d.id = e.department_id
            JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
            GROUP BY 1, 2, 3, 4"""
EXECUTION = """SELECT f.name_zh, d.region, e.year, avg(n.rate) AS mean
               FROM node_results n JOIN evaluations e ON e.id = n.evaluation_id
               JOIN departments d ON d.id = e.department_id JOIN frameworks f ON f.id = e.framework_id
               WHERE n.code IN (SELECT unnest(?)) GROUP BY ALL"""
HEADERS = {"zh": ("年度", "指标体系 · 地区", "评价数", "均值", "中位数", "预算执行率（%） 均值"),
           "en": ("Year", "Framework · region", "Evaluations", "Mean", "Median", "Budget execution rate (%): mean")}


def section_tables(at):
    """The section's two tables, the only ones with a year column: by year (totals, concepts), the grade shares."""
    tables = [d.value for d in at.dataframe if d.value.columns[0] in ("年度", "Year")]
    assert len(tables) == 2
    return tables


def chart(at, title: str) -> dict:
    return next(spec for spec in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                if title in spec["layout"].get("title", {}).get("text", ""))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_years_of_both_regions_equal_the_databases(demo_db_master, demo_store, monkeypatch, lang):
    at = open_app(monkeypatch, demo_db_master, "cross_framework", lang=lang)
    assert at.sidebar.selectbox(key="region").value == "北京市"
    assert at.selectbox(key="region2").value == COUNTY                     # default: the other region
    year, group, count, mean, median, rate_mean = HEADERS[lang]
    by_year, grades = section_tables(at)
    expected = demo_store.df(BY_YEAR)
    label = {(r.region, r.year): (f"{r.name_zh} · {r.region}" if lang == "zh" else f"{r.name_en} · {r.region_en}")
             for r in expected.itertuples()}
    assert len(by_year) == len(expected) == 12                              # 2018–2023 and 2019–2024
    assert (" · Beijing" if lang == "en" else " · 北京市") in " ".join(by_year[group])
    shown = by_year.set_index([group, year])
    for r in expected.itertuples():
        row = shown.loc[(label[(r.region, r.year)], r.year)]
        assert row[count] == r.n and row[mean] == pytest.approx(r.mean) and row[median] == pytest.approx(r.median)
    for r in demo_store.df(EXECUTION, [execution_codes()]).itertuples():
        row = shown.loc[(label[(r.region, r.year)], r.year)]
        assert row[rate_mean] == pytest.approx(r.mean)
    rates = demo_store.df(EXECUTION, [execution_codes()])
    for trace in chart(at, "共有概念" if lang == "zh" else "Shared concepts")["data"]:
        (region,) = {r.region for r in expected.itertuples() if trace["name"] == label[(r.region, r.year)]}
        rows = rates[rates["region"] == region].sort_values("year")
        assert list(values(trace["x"])) == list(rows["year"]) and np.allclose(values(trace["y"]), rows["mean"])
    share = "占比（%）" if lang == "zh" else "Share (%)"
    grade_word = "等级" if lang == "zh" else "Grade"
    held = grades[grades[share] > 0]
    sql = demo_store.df(GRADES)
    assert len(held) == len(sql)
    english = {"优秀": "Excellent", "良好": "Good", "优": "Excellent", "良": "Good", "中": "Fair", "差": "Poor"}
    for r in sql.itertuples():
        name = r.grade if lang == "zh" else english[r.grade]
        line = grades[(grades[group] == label[(r.region, r.year)]) & (grades[year] == r.year) & (grades[grade_word] == name)]
        assert line[share].tolist() == [pytest.approx(r.share)]
    # the lines: per region (one framework each here), the mean and the median over its years
    totals = chart(at, "总分均值" if lang == "zh" else "Mean (solid)")
    for trace in totals["data"]:
        (region,) = {r.region for r in expected.itertuples() if trace["name"].startswith(label[(r.region, r.year)])}
        rows = expected[expected["region"] == region].sort_values("year")
        column = "median" if trace["line"]["dash"] == "dash" else "mean"
        assert list(values(trace["x"])) == list(rows["year"]) and np.allclose(values(trace["y"]), rows[column])
    assert len(totals["data"]) == 4
    assert not [s for s in totals["layout"].get("shapes", []) if s.get("type") == "line"]   # no framework changed
    words = next(m.value for m in at.markdown if ("逐年可比" in m.value or "year by year" in m.value))
    assert ("一级、二级、三级指标得分" in words) if lang == "zh" else ("Level-1, level-2 and level-3 scores" in words)
    assert ("均未变更" in words) if lang == "zh" else ("Neither region changed framework" in words)


def build_changing(path):
    """测试市 on Beijing's template in YEAR - 1, on Beijing's and the national layout in YEAR; and 北京市 (the seed
    report) as the second region."""
    path = add_evaluations(build_mixed(path), [(BEIJING_NAMES[0], YEAR - 1)], [])
    store = Store(path)
    import_report(store, SEED_REPORT, source_kind="report", create_departments=True)
    with store.transaction() as cur:
        scores.refresh(cur)
    store.close()
    return path


@pytest.fixture
def changing_db(tmp_path):
    return build_changing(tmp_path / "changing.duckdb")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_region_that_changes_framework_is_marked_and_never_mixed(changing_db, monkeypatch, lang):
    at = open_app(monkeypatch, changing_db, "cross_framework", lang=lang, region=REGION)
    assert at.selectbox(key="region2").value == "北京市"
    by_year, _ = section_tables(at)
    year, group, count = HEADERS[lang][:3]
    in_region = by_year[by_year[group].str.endswith(f" · {REGION}")]
    assert sorted(zip(in_region[year], in_region[count])) == [(YEAR - 1, 1), (YEAR, 3), (YEAR, 3)]
    assert in_region[in_region[year] == YEAR][group].nunique() == 2             # one line per framework
    for title in (("总分均值", "等级占比") if lang == "zh" else ("Mean (solid)", "Grade shares")):
        spec = chart(at, title)
        marks = [s for s in spec["layout"]["shapes"] if s.get("type") == "line"]
        assert {s["x0"] for s in marks} == {YEAR - 0.5}
    totals = chart(at, "总分均值" if lang == "zh" else "Mean (solid)")
    lines = [t for t in totals["data"] if REGION in t["name"]]
    assert len(lines) == 4 and sorted(len(values(t["x"])) for t in lines) == [1, 1, 2, 2]
    words = next(m.value for m in at.markdown if ("逐年可比" in m.value or "year by year" in m.value))
    said = f"{REGION} {YEAR} 年由“北京市部门整体绩效评价指标体系（2022）”改为" if lang == "zh" else f"{REGION} in {YEAR}, from"
    assert said in words


def test_a_row_of_the_downloads_is_synthetic_as_soon_as_one_evaluation_behind_it_is(changing_db):
    from analytics import cross_framework
    store = Store(changing_db, read_only=True)
    frame = cross_framework.region_evaluations(store, (REGION, "北京市"))
    store.close()
    rows = cross_framework.distribution(frame, "total", ("year",))
    marked = dict(zip(zip(rows["region"], rows["year"], rows["framework_id"]), cross_framework.row_source_kinds(frame, rows, ("year",))))
    assert marked[("北京市", YEAR, "beijing-2022")] == "report"                 # the seed report alone
    assert {kind for (region, _, _), kind in marked.items() if region == REGION} == {"synthetic"}
