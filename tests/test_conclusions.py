"""Written conclusions: every number quoted is checked against the database."""
import re

import pandas as pd
import pytest

from analytics import compare, conclusions

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def numbers_from_database(demo_store, department, year):
    """Every number a conclusion may quote, computed here with SQL, independently of the writer."""
    allowed = {year, year - 1}
    ev = demo_store.df("""
        SELECT e.id, e.reported_score_total AS total, e.carryover_rate_prev,
               rank() OVER (ORDER BY e.reported_score_total DESC) AS rank, count(*) OVER () AS count,
               avg(e.reported_score_total) OVER () AS mean, d.name
        FROM evaluations e JOIN departments d ON d.id = e.department_id WHERE e.year = ?""", [year])
    own = ev[ev["name"] == department].iloc[0]
    allowed |= {own["total"], own["rank"], own["count"], round(own["mean"], 2), own["carryover_rate_prev"],
                round(abs(own["total"] - own["mean"]), 2)}
    prev = demo_store.df("""
        SELECT d.name, e.reported_score_total AS total, rank() OVER (ORDER BY e.reported_score_total DESC) AS rank
        FROM evaluations e JOIN departments d ON d.id = e.department_id WHERE e.year = ?""", [year - 1])
    prev = prev[prev["name"] == department]
    if len(prev):
        allowed |= {prev["total"].iloc[0], prev["rank"].iloc[0], round(abs(own["total"] - prev["total"].iloc[0]), 2),
                    abs(int(prev["rank"].iloc[0]) - int(own["rank"]))}
    rows = demo_store.df("""SELECT r.reported_score, r.rule_score, r.rule_rate, r.failed_count, i.weight
                       FROM indicator_results r JOIN indicators i ON i.code = r.indicator_code
                       WHERE r.evaluation_id = ?""", [int(own["id"])])
    for row in rows.itertuples():
        score = row.rule_score if pd.isna(row.reported_score) else row.reported_score
        allowed |= {score, round(row.weight - score, 2), row.rule_rate, row.failed_count, row.rule_score,
                    None if pd.isna(row.rule_score) else round(row.rule_score - row.reported_score, 2),
                    round(own["total"] + row.rule_score - row.reported_score, 2)}
    param = demo_store.scalar("SELECT value FROM year_params WHERE year = ? AND key = 'municipal_avg_diff_rate'", [year])
    allowed.add(param)
    return {round(float(v), 2) for v in allowed if v is not None and not pd.isna(v)}


def quoted_numbers(sentences):
    numbers = []
    for sentence in sentences:
        text = re.sub(r"\d\.\s", " ", sentence)          # list markers "1. " are not figures
        numbers += [abs(round(float(n), 2)) for n in NUMBER.findall(text)]
    return numbers


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_number_in_the_seed_conclusion_is_in_the_database(demo_store, lang):
    result = conclusions.conclusion(demo_store, "北京市商务局", 2022, lang)
    allowed = numbers_from_database(demo_store, "北京市商务局", 2022)
    quoted = quoted_numbers(result.sentences)
    assert quoted and all(n in allowed for n in quoted), [n for n in quoted if n not in allowed]
    text = result.text
    assert "90.73" in text and "92.42" in text and "1.69" in text and ("优秀" in text or "Excellent" in text)


def test_every_number_for_every_department_of_a_year(demo_store):
    for department in compare.ranking(demo_store, 2021)["department"]:
        result = conclusions.conclusion(demo_store, department, 2021, "zh")
        allowed = numbers_from_database(demo_store, department, 2021)
        assert all(n in allowed for n in quoted_numbers(result.sentences)), department
        assert "合成演示数据" in result.sentences[0]


def test_statements_follow_the_data(demo_store):
    facts = conclusions.gather_facts(demo_store, "北京市商务局", 2022)
    facts = {**facts, "previous_total": None}
    assert "上年无评价数据" in conclusions.write(facts, "zh").text
    tree = facts["indicators"].copy()
    tree["lost"], tree["disagrees"] = 0.0, False
    text = conclusions.write({**facts, "indicators": tree}, "zh").text
    assert "各项指标均获满分" in text and "复核" not in text and "改进建议" not in text
