"""The demo database: the real seed plus plausible, reproducible, clearly marked synthetic data in two
frameworks (Beijing 2022 and a county on the national self-evaluation layout)."""
import duckdb
import pandas as pd
import pytest

from analytics import compare, scores, stats
from analytics.demo import DEMO_SEED, build_demo
from analytics.domain import synthetic_county
from analytics.domain.loader import TOTAL
from analytics.ingest.report_import import import_report
from analytics.paths import SEED_REPORT
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


# -- histories that look real: an autocorrelated model (analytics.synthetic, analytics.domain.synthetic_county) --

def _totals(store, region: str) -> pd.DataFrame:
    """One row per department-year of the region: the reported total, its deviation from the year's mean,
    and both for the department's previous year (where it has one)."""
    frame = store.df("""SELECT d.name, e.year, s.reported_total AS total FROM evaluations e
                        JOIN departments d ON d.id = e.department_id JOIN evaluation_scores s ON s.evaluation_id = e.id
                        WHERE d.region = ? ORDER BY d.name, e.year""", [region])
    frame["deviation"] = frame["total"] - frame.groupby("year")["total"].transform("mean")
    previous = frame.groupby("name")[["year", "total", "deviation"]].shift(1)
    follows = previous["year"] == frame["year"] - 1
    frame["previous_total"] = previous["total"].where(follows)
    frame["previous_deviation"] = previous["deviation"].where(follows)
    return frame


@pytest.mark.parametrize("region", ["北京市", synthetic_county.COUNTY_ZH])
def test_a_departments_total_moves_plausibly_from_year_to_year(store, region):
    """Lag-1 autocorrelation of totals across departments (each total against the department's total the
    year before, both as deviations from their year's mean) is clearly positive, and most year-to-year
    changes are small, with a few large moves (the model's rare jumps) for the movers to show."""
    frame = _totals(store, region).dropna(subset=["previous_total"])
    assert len(frame) >= 200
    autocorrelation = frame["deviation"].corr(frame["previous_deviation"])
    changes = (frame["total"] - frame["previous_total"]).abs()
    assert autocorrelation >= 0.6, autocorrelation
    assert changes.median() <= 2.5, changes.median()
    assert (changes <= 5).mean() >= 0.85, (changes <= 5).mean()
    assert changes.max() >= 5                       # but not frozen: some departments rise or fall


def test_the_seed_report_is_stored_as_it_is_stored_alone(store, tmp_path):
    """The synthetic histories around the real report leave its figures, reported scores and inputs as an
    import of the seed into an empty database stores them."""
    alone = Store(tmp_path / "alone.duckdb")
    import_report(alone, SEED_REPORT, source_kind="report", create_departments=True)
    with alone.transaction() as cur:
        scores.refresh(cur)
    real = "(SELECT id FROM evaluations WHERE source_kind = 'report')"
    columns = [c for c in store.df("SELECT * FROM evaluations LIMIT 0").columns if c not in ("id", "department_id",
                                                                                            "loaded_at")]
    queries = {"evaluation": f"SELECT {', '.join(columns)} FROM evaluations WHERE id IN {real}",
               "leaves": f"SELECT * EXCLUDE (evaluation_id) FROM node_inputs WHERE evaluation_id IN {real} "
                         "ORDER BY node",
               "printed": f"SELECT node, reported FROM node_reported WHERE evaluation_id IN {real} ORDER BY node",
               "scores": f"SELECT * EXCLUDE (evaluation_id) FROM evaluation_scores WHERE evaluation_id IN {real}"}
    for name, sql in queries.items():
        pd.testing.assert_frame_equal(store.df(sql), alone.df(sql), obj=name)
    alone.close()


# -- English department names, as data ------------------------------------------------------------------------

def test_every_demo_department_has_its_english_name(store, county):
    names = store.df("SELECT region, name, name_en, is_synthetic FROM departments")
    assert names["name_en"].notna().all() and (names["name_en"].str.strip() != "").all()
    assert names.set_index("name").loc["北京市商务局", "name_en"] == "Beijing Municipal Commerce Bureau"
    stored = dict(names[names["region"] == synthetic_county.COUNTY_ZH][["name", "name_en"]].values.tolist())
    assert stored == {d.zh: d.en for d in county.departments}
    assert names["name_en"].nunique() == len(names)          # no two departments share an English name


def test_evaluations_carry_the_english_name(store):
    frame = stats.evaluations(store, "北京市", [2022])
    commerce = frame[frame["department"] == "北京市商务局"].iloc[0]
    assert commerce["department_en"] == "Beijing Municipal Commerce Bureau"
    assert frame["department_en"].notna().all()
    county = stats.evaluations(store, synthetic_county.COUNTY_ZH, [2024])
    assert dict(zip(county["department"], county["department_en"]))["县财政局"] == "County Finance Bureau"
