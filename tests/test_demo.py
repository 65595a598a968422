"""The demo database: the real seed plus plausible, reproducible, clearly marked synthetic data in two
frameworks (Beijing 2022 and a county on the national self-evaluation layout)."""
import duckdb
import pandas as pd
import pytest

from analytics import compare
from analytics.demo import DEMO_SEED, build_demo
from analytics.domain import synthetic_county
from analytics.domain.loader import TOTAL
from analytics.scores import stored_frameworks
from analytics.store import Store

TABLES = ("departments", "frameworks", "rules", "year_params", "evaluations", "node_inputs", "node_reported")
BEIJING, NATIONAL = "beijing-2022", "national-self-evaluation"


@pytest.fixture(scope="module")
def store(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def county():
    """The county as the generator makes it, scored by the one-evaluation path (score_one)."""
    return synthetic_county.generate(DEMO_SEED)


def _concept_leaves(store, framework: str, concept: str) -> list[str]:
    fw = stored_frameworks(store.cursor())[framework]
    return [node.code for node, _, _ in fw.walk() if node.is_leaf and node.concept == concept]


def test_demo_holds_the_real_report_and_enough_synthetic_data(store):
    real = store.df("SELECT e.*, d.name FROM evaluations e JOIN departments d ON d.id = e.department_id "
                    "WHERE source_kind <> 'synthetic'")
    assert len(real) == 1 and real.loc[0, "name"] == "北京市商务局" and real.loc[0, "year"] == 2022
    assert real.loc[0, "source_kind"] == "report" and len(real.loc[0, "source_sha256"]) == 64
    per_year = store.df("SELECT year, count(*) AS n FROM evaluations WHERE framework_id = ? GROUP BY 1", [BEIJING])
    assert len(per_year) >= 6 and 2022 in set(per_year["year"]) and (per_year["n"] >= 50).all()
    assert store.scalar("SELECT count(*) FROM departments WHERE region = '北京市'") >= 50


def test_demo_holds_both_frameworks_and_the_county_on_the_national_layout(store):
    frameworks = dict(store.rows("SELECT framework_id, count(*) FROM evaluations GROUP BY 1"))
    assert set(frameworks) == {BEIJING, NATIONAL} and set(stored_frameworks(store.cursor())) == {BEIJING, NATIONAL}
    county = store.df("""SELECT d.name, e.year, e.framework_id FROM evaluations e
                         JOIN departments d ON d.id = e.department_id WHERE d.region = ?""",
                      [synthetic_county.COUNTY_ZH])
    assert (county["framework_id"] == NATIONAL).all() and frameworks[NATIONAL] == len(county)
    assert county["name"].nunique() >= 40 and county["year"].nunique() == 6
    assert county.groupby("name")["year"].nunique().eq(6).all()
    # each department brings its own level-3 indicators, with their names, targets and actual values
    brought = store.df("""SELECT d.name, i.node, i.zh, i.target_text, i.actual_text, i.rule_id FROM node_inputs i
                          JOIN evaluations e ON e.id = i.evaluation_id JOIN departments d ON d.id = e.department_id
                          WHERE e.framework_id = ? AND i.depth = 3""", [NATIONAL])
    assert brought["zh"].notna().all() and brought.groupby("name")["zh"].apply(frozenset).nunique() > 5
    assert brought["target_text"].notna().sum() > len(county) * 4


def test_the_beijing_pages_default_to_beijing(store):
    """default_region picks the region with the most evaluations: Beijing's 330 against the county's 252."""
    counts = dict(store.rows("SELECT d.region, count(*) FROM evaluations e JOIN departments d ON d.id = e.department_id "
                             "GROUP BY 1"))
    assert counts["北京市"] > counts[synthetic_county.COUNTY_ZH]
    assert compare.default_region(store) == "北京市"
    assert compare.years(store, "北京市") == list(range(2018, 2024))


def test_the_county_scores_by_the_rules_as_the_one_evaluation_path_scores_it(store, county):
    departments = {d.zh: d.code for d in county.departments}
    ids = {(departments[name], year): i for i, name, year in store.rows(
        "SELECT e.id, d.name, e.year FROM evaluations e JOIN departments d ON d.id = e.department_id "
        "WHERE e.framework_id = ?", [NATIONAL])}
    nodes = store.df("SELECT evaluation_id, code, reported, printed, rule, value FROM node_results "
                     "WHERE evaluation_id IN (SELECT unnest(?))", [list(ids.values())])
    by_evaluation = {i: frame.set_index("code") for i, frame in nodes.groupby("evaluation_id")}
    totals = store.df("SELECT * FROM evaluation_scores WHERE framework_id = ?", [NATIONAL]).set_index("evaluation_id")
    assert len(ids) == len(county.evaluations) == len(totals)
    for ev in county.evaluations:
        evaluation_id = ids[(ev.department, ev.year)]
        stored, expected = by_evaluation[evaluation_id], ev.score
        assert set(stored.index) == set(expected.nodes) - {TOTAL}
        for code, score in expected.nodes.items():
            if code == TOTAL:
                continue
            row = stored.loc[code]
            assert row["value"] == score.value and row["reported"] == score.reported, (evaluation_id, code)
            assert (pd.isna(row["rule"]) and score.rule is None) or row["rule"] == score.rule, (evaluation_id, code)
            # the self-evaluation prints its level-1 scores: stored as printed
            assert (row["printed"] == score.reported) if score.depth == 1 else pd.isna(row["printed"])
        total = totals.loc[evaluation_id]
        assert (total["rule_total"], total["rule_grade"]) == (expected.total_rule, expected.grade_rule)
        assert (total["reported_total"], total["reported_grade"]) == (expected.total_reported, expected.grade_reported)
        assert total["complete"]
    assert totals["rule_grade"].nunique() >= 2        # the county is not uniformly excellent


def test_every_synthetic_row_is_marked(store):
    assert store.scalar("SELECT count(*) FROM evaluations WHERE source_kind = 'synthetic' "
                        "AND source_file NOT LIKE 'synthetic%'") == 0
    # departments with no real evaluation are synthetic; the commerce bureau is not
    flags = dict(store.rows("SELECT name, is_synthetic FROM departments"))
    assert flags["北京市商务局"] is False and sum(flags.values()) == len(flags) - 1
    assert store.scalar("""SELECT count(*) FROM evaluations e JOIN departments d ON d.id = e.department_id
                           WHERE d.region = ? AND (e.source_kind <> 'synthetic' OR NOT d.is_synthetic)""",
                        [synthetic_county.COUNTY_ZH]) == 0
    params = store.df("SELECT * FROM year_params WHERE key = 'municipal_avg_diff_rate'")
    real_2022 = params[params["year"] == 2022].iloc[0]
    assert real_2022["value"] == 28.3 and not real_2022["is_synthetic"]
    assert params[params["year"] != 2022]["is_synthetic"].all()
    meta = dict(store.rows("SELECT key, value FROM meta"))
    assert meta["contains_synthetic"] == "true" and meta["synthetic_county"] == synthetic_county.COUNTY_ZH
    assert meta["synthetic_county_seed"] == str(DEMO_SEED)


def test_synthetic_figures_are_plausible(store):
    def rates(concept):
        return store.df("""SELECT n.rate FROM node_results n JOIN evaluations e ON e.id = n.evaluation_id
                           WHERE e.source_kind = 'synthetic' AND e.framework_id = ? AND n.code IN (SELECT unnest(?))""",
                        [BEIJING, _concept_leaves(store, BEIJING, concept)])["rate"]
    assert 70 <= rates("execution_rate").min() and rates("execution_rate").max() <= 99
    assert 1 <= rates("carryover_rate").min() and rates("carryover_rate").max() <= 30
    assert 0 <= rates("final_account_diff_rate").min() and rates("final_account_diff_rate").max() <= 120
    county_execution = store.df("""SELECT n.rate FROM node_results n JOIN evaluations e ON e.id = n.evaluation_id
                                   WHERE e.framework_id = ? AND n.code IN (SELECT unnest(?))""",
                                [NATIONAL, _concept_leaves(store, NATIONAL, "execution_rate")])["rate"]
    assert 75 <= county_execution.min() and county_execution.max() <= 100
    grades = set(store.df("SELECT reported_grade FROM evaluation_scores WHERE framework_id = ?", [BEIJING])
                 ["reported_grade"])
    assert {"优秀", "良好", "中"} <= grades
    assert store.scalar("SELECT count(*) FROM node_inputs WHERE reported < 0 OR reported > weight") == 0
    # reported level-1 scores add up to the reported total for every evaluation
    assert store.scalar("""SELECT count(*) FROM evaluation_scores s JOIN (
                               SELECT evaluation_id, sum(reported) AS level1 FROM node_results WHERE depth = 1
                               GROUP BY 1) n USING (evaluation_id)
                           WHERE abs(n.level1 - s.reported_total) > 0.011""") == 0


def test_synthetic_years_around_the_real_report_agree_with_its_carryover_rates(store):
    rows = dict(store.rows("""SELECT e.year, n.rate FROM evaluations e JOIN departments d ON d.id = e.department_id
                              JOIN node_results n ON n.evaluation_id = e.id
                              WHERE d.name = '北京市商务局' AND n.code IN (SELECT unnest(?))""",
                           [_concept_leaves(store, BEIJING, "carryover_rate")]))
    prev = dict(store.rows("""SELECT e.year, e.carryover_rate_prev FROM evaluations e
                              JOIN departments d ON d.id = e.department_id WHERE d.name = '北京市商务局'"""))
    assert rows[2021] == 8.04 and prev[2023] == 13.82


def test_the_seed_keeps_its_numbers_beside_the_synthetic_data(store):
    seed = store.df("""SELECT s.* FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id
                       WHERE e.source_kind = 'report'""").iloc[0]
    assert (seed["reported_total"], seed["reported_grade"], seed["rule_total"]) == (90.73, "优秀", 92.42)


def _content(path):
    con = duckdb.connect(str(path), read_only=True)
    frames = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in TABLES}
    frames["meta"] = con.execute("SELECT * FROM meta WHERE key <> 'built_at' ORDER BY ALL").df()
    con.close()
    frames["evaluations"] = frames["evaluations"].drop(columns=["loaded_at"])
    return frames


def test_same_seed_same_database(demo_db_master, tmp_path):
    again = tmp_path / "again.duckdb"
    build_demo(again)
    first, second = _content(demo_db_master), _content(again)
    for table in first:
        pd.testing.assert_frame_equal(first[table], second[table], obj=table)
