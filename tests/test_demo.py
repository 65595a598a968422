"""The demo database: the real seed plus plausible, reproducible, clearly marked synthetic data."""
import duckdb
import pandas as pd

from analytics.demo import build_demo
from analytics.store import Store

TABLES = ("departments", "frameworks", "indicators", "indicator_checks", "grade_bands", "year_params",
          "evaluations", "indicator_results")


def test_demo_holds_the_real_report_and_enough_synthetic_data(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    real = store.df("SELECT e.*, d.name FROM evaluations e JOIN departments d ON d.id = e.department_id "
                    "WHERE source_kind <> 'synthetic'")
    assert len(real) == 1 and real.loc[0, "name"] == "北京市商务局" and real.loc[0, "year"] == 2022
    assert real.loc[0, "source_kind"] == "report" and len(real.loc[0, "source_sha256"]) == 64
    years = [r[0] for r in store.rows("SELECT DISTINCT year FROM evaluations ORDER BY 1")]
    assert len(years) >= 6 and 2022 in years
    per_year = store.df("SELECT year, count(*) AS n FROM evaluations GROUP BY 1")
    assert (per_year["n"] >= 50).all()
    assert store.scalar("SELECT count(*) FROM departments") >= 50
    store.close()


def test_every_synthetic_row_is_marked(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    assert store.scalar("SELECT count(*) FROM evaluations WHERE source_kind = 'synthetic' "
                        "AND source_file NOT LIKE 'synthetic%'") == 0
    # departments with no real evaluation are synthetic; the commerce bureau is not
    flags = dict(store.rows("SELECT name, is_synthetic FROM departments"))
    assert flags["北京市商务局"] is False and sum(flags.values()) == len(flags) - 1
    params = store.df("SELECT * FROM year_params WHERE key = 'municipal_avg_diff_rate'")
    real_2022 = params[params["year"] == 2022].iloc[0]
    assert real_2022["value"] == 28.3 and not real_2022["is_synthetic"]
    assert params[params["year"] != 2022]["is_synthetic"].all()
    assert store.scalar("SELECT value FROM meta WHERE key = 'contains_synthetic'") == "true"
    store.close()


def test_synthetic_figures_are_plausible(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    rates = store.df("""SELECT i.indicator_code, i.rule_rate FROM indicator_results i
                        JOIN evaluations e ON e.id = i.evaluation_id WHERE e.source_kind = 'synthetic'""")
    by = rates.groupby("indicator_code")["rule_rate"]
    assert by.min()["execution_rate"] >= 70 and by.max()["execution_rate"] <= 99
    assert by.min()["carryover_rate"] >= 1 and by.max()["carryover_rate"] <= 30
    assert by.min()["final_account_diff_rate"] >= 0 and by.max()["final_account_diff_rate"] <= 120
    grades = store.df("SELECT reported_grade, count(*) AS n FROM evaluations GROUP BY 1").set_index("reported_grade")
    assert {"优秀", "良好", "中"} <= set(grades.index)
    bad = store.scalar("""SELECT count(*) FROM indicator_results r JOIN evaluations e ON e.id = r.evaluation_id
                          JOIN indicators i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
                          WHERE r.reported_score < 0 OR r.reported_score > i.weight""")
    assert bad == 0
    # reported level-1 scores add up to the reported total for every evaluation
    assert store.scalar("""SELECT count(*) FROM evaluations WHERE abs(reported_score_budget_execution
                           + reported_score_performance_targets + reported_score_budget_management
                           - reported_score_total) > 0.011""") == 0
    store.close()


def test_synthetic_years_around_the_real_report_agree_with_its_carryover_rates(demo_db_master):
    store = Store(demo_db_master, read_only=True)
    rows = dict(store.rows("""SELECT e.year, r.rule_rate FROM evaluations e JOIN departments d ON d.id = e.department_id
                              JOIN indicator_results r ON r.evaluation_id = e.id
                              WHERE d.name = '北京市商务局' AND r.indicator_code = 'carryover_rate'"""))
    prev = dict(store.rows("""SELECT e.year, e.carryover_rate_prev FROM evaluations e
                              JOIN departments d ON d.id = e.department_id WHERE d.name = '北京市商务局'"""))
    assert rows[2021] == 8.04 and prev[2023] == 13.82
    store.close()


def _content(path):
    con = duckdb.connect(str(path), read_only=True)
    frames = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").df() for t in TABLES}
    con.close()
    frames["evaluations"] = frames["evaluations"].drop(columns=["loaded_at"])
    return frames


def test_same_seed_same_database(demo_db_master, tmp_path):
    again = tmp_path / "again.duckdb"
    build_demo(again)
    first, second = _content(demo_db_master), _content(again)
    for table in TABLES:
        pd.testing.assert_frame_equal(first[table], second[table], obj=table)
