"""Written conclusions: every number quoted is checked against the database."""
import json
import re

import pandas as pd
import pytest

from analytics import compare, conclusions

NUMBER = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)?")   # 9,090 is one number
QUOTED = re.compile(r"“([^”]*)”")
COUNTY = "示例县(合成)"


def numbers_from_database(store, department, year, region="北京市"):
    """Every number a conclusion may quote, computed here with SQL from the views, independently of the writer:
    rank, count and mean within the department's region and framework."""
    allowed = {year, year - 1}
    peers = """FROM evaluations e JOIN evaluation_scores s ON s.evaluation_id = e.id
               JOIN departments d ON d.id = e.department_id
               WHERE e.year = ? AND (d.region, e.framework_id) = (
                   SELECT (d2.region, e2.framework_id) FROM evaluations e2 JOIN departments d2 ON d2.id = e2.department_id
                   WHERE d2.name = ? AND e2.year = ? AND d2.region = ?) AND d.region = ?"""
    ev = store.df(f"""
        SELECT e.id, s.reported_total AS total, e.carryover_rate_prev,
               rank() OVER (ORDER BY s.reported_total DESC) AS rank, count(*) OVER () AS count,
               avg(s.reported_total) OVER () AS mean, d.name {peers}""", [year, department, year, region, region])
    own = ev[ev["name"] == department].iloc[0]
    allowed |= {own["total"], own["rank"], own["count"], round(own["mean"], 2), own["carryover_rate_prev"],
                round(abs(own["total"] - own["mean"]), 2), round(abs(own["total"] - round(own["mean"], 2)), 2)}
    prev = store.df(f"""SELECT d.name, s.reported_total AS total, rank() OVER (ORDER BY s.reported_total DESC) AS rank
                        {peers}""", [year - 1, department, year, region, region])
    prev = prev[prev["name"] == department]
    if len(prev):
        allowed |= {prev["total"].iloc[0], prev["rank"].iloc[0], round(abs(own["total"] - prev["total"].iloc[0]), 2),
                    abs(int(prev["rank"].iloc[0]) - int(own["rank"]))}
    rows = store.df("""SELECT r.reported, r.rule, r.rate, i.failed, r.weight, i.target, i.actual FROM node_results r
                       JOIN node_inputs i ON i.evaluation_id = r.evaluation_id AND i.node = r.code
                       WHERE r.evaluation_id = ?""", [int(own["id"])])
    for row in rows.itertuples():
        score = row.rule if pd.isna(row.reported) else row.reported
        allowed |= {score, round(row.weight - score, 2), row.rate, row.failed, row.rule, row.target, row.actual,
                    None if pd.isna(row.rule) else round(row.rule - row.reported, 2),
                    round(own["total"] + row.rule - row.reported, 2)}
    param = store.scalar("SELECT value FROM year_params WHERE year = ? AND region = ? AND key = 'municipal_avg_diff_rate'",
                         [year, region])
    allowed.add(param)
    return {round(float(v), 2) for v in allowed if v is not None and not pd.isna(v)}


def quoted_numbers(sentences):
    """The figures of the sentences; text quoted “…” (a reason the department wrote, checked verbatim
    against the store by reasons_quoted) is not a figure of ours."""
    numbers = []
    for sentence in sentences:
        text = re.sub(r"\d\.\s", " ", QUOTED.sub(" ", sentence))   # list markers "1. " are not figures
        numbers += [abs(round(float(n.replace(",", "")), 2)) for n in NUMBER.findall(text)]
    return numbers


def reasons_quoted(sentences) -> list[str]:
    return [reason for sentence in sentences for reason in QUOTED.findall(sentence)]


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


def test_a_national_layout_evaluation_is_concluded_within_its_framework(demo_db):
    """Rank, count and mean among the county's departments on the same framework, the framework's own grade
    words (优/良 …), the department's own indicators named; every number from the store."""
    from county import add_county
    from analytics.store import Store
    recs = add_county(demo_db, years=(2021, 2022), departments=4, region="北京市")
    store = Store(demo_db, read_only=True)
    try:
        name = recs[-1].department
        facts = conclusions.gather_facts(store, name, 2022, "北京市")
        assert facts["count"] == 4 and facts["previous_total"] is not None
        zh = conclusions.write(facts, "zh")
        assert f"同一评价体系的4个部门中" in zh.text and f"评价等级为“{facts['grade']}”" in zh.text
        assert facts["grade"] in {"优", "良", "中", "差"}
        allowed = numbers_from_database(store, name, 2022)
        assert all(n in allowed for n in quoted_numbers(zh.sentences)), [n for n in quoted_numbers(zh.sentences)
                                                                         if n not in allowed]
        english = conclusions.write(facts, "en").text
        assert "of the 4 departments" in english and facts["grade"] not in english.split("graded")[1][:12]
        lost = facts["indicators"].sort_values("lost", ascending=False).iloc[0]
        assert lost["lost"] == 0 or lost["zh"] in zh.text
    finally:
        store.close()


def county_shortfall(store):
    """A county department-year (demo, national layout) with more target indicators that lost points and
    gave a reason than a conclusion details, found with SQL; and every indicator of it that lost points
    against a written target (a judged one where it gives a reason)."""
    found = store.df("""
        SELECT d.name, e.year, e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN node_inputs i ON i.evaluation_id = e.id JOIN rules r ON r.rule_id = i.rule_id
        WHERE d.region = ? AND r.kind = 'target' AND i.reported < i.weight AND i.deviation_reason <> ''
        GROUP BY ALL HAVING count(*) > ? ORDER BY e.year DESC, d.name LIMIT 1""",
        [COUNTY, conclusions.TOP_LOSSES]).iloc[0]
    lost = store.df("""
        SELECT i.zh, i.en, i.target, i.actual, i.target_text, i.actual_text, trim(i.deviation_reason) AS reason,
               round(i.weight - i.reported, 2) AS lost, i.weight
        FROM node_inputs i JOIN rules r ON r.rule_id = i.rule_id
        WHERE i.evaluation_id = ? AND i.reported < i.weight AND (i.target_text IS NOT NULL OR i.actual_text IS NOT NULL)
              AND (r.kind = 'target' OR trim(i.deviation_reason) <> '')""", [int(found["id"])])
    return found["name"], int(found["year"]), lost


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_county_conclusion_names_each_shortfall_with_target_actual_and_reason(demo_store, lang):
    """National layout, demo county: the indicators that lost most points against their targets each with
    target and actual value and the reason quoted as written, every other one named; every other number is
    the database's; the grade in the framework's own words."""
    name, year, lost = county_shortfall(demo_store)
    result = conclusions.conclusion(demo_store, name, year, lang, COUNTY)
    shortfalls = result.said("shortfall")
    lost = lost.sort_values(["lost", "weight"], ascending=[False, False], kind="stable")
    detailed, named = lost.head(conclusions.TOP_LOSSES), lost.iloc[conclusions.TOP_LOSSES:]
    assert len(shortfalls) == len(detailed) + (len(named) > 0)
    for row in detailed.itertuples():
        sentence = next(s for s in shortfalls if (row.en if lang == "en" else row.zh) in s)
        if pd.notna(row.target):
            assert f"{row.target:,g}" in sentence and f"{row.actual:,g}" in sentence
        else:
            assert row.target_text in sentence and row.actual_text in sentence
        if row.reason:
            assert row.reason.rstrip("。") in sentence
        else:
            assert ("未填写偏差原因" if lang == "zh" else "no reason was given") in sentence
    if len(named):                  # the others by name, in one sentence: every shortfall is mentioned
        assert all((row.en if lang == "en" else row.zh) in shortfalls[-1] for row in named.itertuples())
    written = {reason.rstrip("。") for reason in detailed["reason"]}
    assert reasons_quoted(shortfalls) and set(reasons_quoted(shortfalls)) <= written
    allowed = numbers_from_database(demo_store, name, year, COUNTY)
    quoted = quoted_numbers(result.sentences)
    assert all(n in allowed for n in quoted), [n for n in quoted if n not in allowed]
    grade = demo_store.scalar("""SELECT s.reported_grade FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id
                                 JOIN departments d ON d.id = e.department_id WHERE d.name = ? AND e.year = ?""",
                              [name, year])
    bands = {b["grade"]: b["en"] for b in json.loads(demo_store.scalar(
        "SELECT grade_bands FROM frameworks WHERE id = 'national-self-evaluation'"))}
    shown = bands[grade] if lang == "en" else grade
    assert (f"“{shown}”" if lang == "zh" else f"'{shown}'") in result.said("score")[0]
    assert f"42" in result.said("rank")[0]
