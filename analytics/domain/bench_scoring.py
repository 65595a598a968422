"""National-scale benchmark of the generated-SQL scorer (``score_sql``) on a mix of two frameworks.

``run()`` builds the long tables (``long_tables``) straight in DuckDB from generated data — half the
evaluations on Beijing 2022, half on the national self-evaluation layout, each of those bringing its
own level-3 indicators (quantity, time and percentage targets, qualitative grades, judged scores) —
then rescores everything in SQL and, in the same run, scores a random sample with the one-evaluation
path (``score_one``) to compare speed and check that both give the same numbers.  Pseudo-random
values come from ``hash(evaluation_id, salt)``, so the data is the same on every run.  Returns a dict
of figures (printed as JSON by ``main``).
"""
from __future__ import annotations

import importlib
import json
import math
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from analytics.domain import long_tables, score_sql
from analytics.domain.loader import TOTAL, shipped_frameworks
from analytics.domain.long_tables import Tables
from analytics.domain.model import thaw
from analytics.domain.score_one import score_evaluation

BEIJING, NATIONAL = "beijing-2022", "national-self-evaluation"
# The indicators a national-layout evaluation brings: (open group, kind, target form, weight); each
# template adds up to 90.  Target forms: count "≥N个", days "≤N天", percent "≥N%", month "N月前".
TEMPLATES = [
    [("output_quantity", "target", "count", 10), ("output_quantity", "target", "count", 10),
     ("output_quality", "target", "percent", 10), ("output_timeliness", "target", "month", 10),
     ("output_cost", "target", "days", 10), ("social_benefit", "qualitative", None, 10),
     ("economic_benefit", "target", "percent", 10), ("sustainability", "judged", None, 10),
     ("satisfaction", "target", "percent", 10)],
    [("output_quantity", "target", "count", 15), ("output_quality", "target", "percent", 10),
     ("output_timeliness", "target", "days", 5), ("output_cost", "target", "days", 5),
     ("social_benefit", "target", "count", 10), ("social_benefit", "qualitative", None, 10),
     ("ecological_benefit", "qualitative", None, 5), ("sustainability", "qualitative", None, 10),
     ("satisfaction", "target", "percent", 10), ("satisfaction", "target", "percent", 10)],
    [("output_quantity", "target", "count", 8), ("output_quantity", "target", "count", 8),
     ("output_quantity", "target", "percent", 8), ("output_quality", "target", "percent", 8),
     ("output_quality", "qualitative", None, 8), ("output_timeliness", "target", "month", 10),
     ("economic_benefit", "judged", None, 10), ("social_benefit", "qualitative", None, 10),
     ("satisfaction", "target", "percent", 20)],
]
FORMS = {  # target value, unit, comparator, actual = target × factor (months: target + shift)
    "count": ("(50 + (h2 % 400))", "个", "≥"), "days": ("(2 + (h2 % 10))", "天", "≤"),
    "percent": ("(85 + (h2 % 15))", "%", "≥"), "month": ("(6 + (h2 % 6))", "月", "≤"),
}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _u(salt: int) -> str:
    """A uniform number in [0, 1) from the evaluation id and a salt."""
    return f"(hash(e.evaluation_id, {salt}) % 1000000) / 1000000.0"


def _structure_rows(con, fw, key: str, t: Tables) -> list[tuple]:
    rows = []
    for row in long_tables.structure(fw):
        node = row["node"]
        if node.is_leaf:
            rid = long_tables.rule_id(con, node.rule.kind, node.rule.params, t)
            rows.append((key, node.code, row["parent"], row["position"], row["depth"], node.weight, rid,
                         node.rule.kind, json.dumps(thaw(node.rule.params))))
    return rows


def build(con, evaluations: int, t: Tables = Tables()) -> dict:
    """Fill the long tables with ``evaluations`` generated evaluations (odd ids Beijing, even national)."""
    frameworks = {key: shipped_frameworks()[key][0] for key in (BEIJING, NATIONAL)}
    long_tables.create(con, t)
    con.execute(f"INSERT INTO {t.evaluations} SELECT i, CASE WHEN i % 2 = 1 THEN '{BEIJING}' ELSE '{NATIONAL}' END "
                f"FROM range(1, {evaluations + 1}) r(i)").fetchall()
    e = f"(SELECT evaluation_id, framework FROM {t.evaluations}) e"
    budget = f"round(1000 + 300000 * {_u(1)} * {_u(2)}, 2)"
    con.execute(f"""INSERT INTO {t.figures}
        WITH b AS (SELECT e.evaluation_id, {budget} AS budget, 0.7 + 0.32 * {_u(3)} AS execution,
                          round(1 + 25 * {_u(4)}, 2) AS prev_rate, 0.3 + 0.7 * {_u(5)} AS initial_share FROM {e})
        SELECT evaluation_id, figure, value FROM (
            SELECT evaluation_id, 'budget_total' AS figure, budget AS value FROM b
            UNION ALL SELECT evaluation_id, 'spent_total', round(budget * execution, 2) FROM b
            UNION ALL SELECT evaluation_id, 'carryover_amount', greatest(round(budget - round(budget * execution, 2), 2), 0) FROM b
            UNION ALL SELECT evaluation_id, 'carryover_rate_prev', prev_rate FROM b
            UNION ALL SELECT evaluation_id, 'initial_budget_total', round(budget * initial_share, 2) FROM b
            UNION ALL SELECT evaluation_id, 'final_account_total', budget FROM b
            UNION ALL SELECT evaluation_id, 'municipal_avg_diff_rate', 28.3 FROM b)""").fetchall()
    fixed = _structure_rows(con, frameworks[BEIJING], BEIJING, t) + [
        row for row in _structure_rows(con, frameworks[NATIONAL], NATIONAL, t)]
    con.execute("CREATE OR REPLACE TEMP TABLE bench_fixed (framework VARCHAR, node VARCHAR, parent VARCHAR, "
                "position INTEGER, depth INTEGER, weight DOUBLE, rule_id INTEGER, kind VARCHAR, params VARCHAR)")
    con.executemany("INSERT INTO bench_fixed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", fixed)
    # Fixed leaves: judged scores mostly full, checklists explained by their reported score.
    con.execute(f"""INSERT INTO {t.leaves} (evaluation_id, node, parent, position, depth, weight, rule_id, reported)
        SELECT e.evaluation_id, s.node, s.parent, s.position, s.depth, s.weight, s.rule_id,
               CASE WHEN s.kind = 'judged' THEN round(s.weight * (1 - 0.3 * pow({_u(6)}, 4)), 1)
                    WHEN s.kind = 'checklist' THEN greatest(s.weight - floor(pow({_u(7)}, 8) * 3)
                                                            * CAST(json_extract(s.params, '$.deduction') AS DOUBLE), 0)
               END
        FROM {e} JOIN bench_fixed s ON s.framework = e.framework""").fetchall()
    ids = {kind: long_tables.rule_id(con, kind, {}, t) for kind in ("target", "qualitative", "judged")}
    brought = [(k, group, position, kind, form, weight, ids[kind])
               for k, template in enumerate(TEMPLATES)
               for position, (group, kind, form, weight) in enumerate(template)]
    con.execute("CREATE OR REPLACE TEMP TABLE bench_brought (template INTEGER, grp VARCHAR, n INTEGER, kind VARCHAR, "
                "form VARCHAR, weight DOUBLE, rule_id INTEGER)")
    con.executemany("INSERT INTO bench_brought VALUES (?, ?, ?, ?, ?, ?, ?)", brought)
    value = "CASE b.form " + " ".join(f"WHEN '{f}' THEN {v}" for f, (v, _, _) in FORMS.items()) + " END"
    unit = "CASE b.form " + " ".join(f"WHEN '{f}' THEN '{u}'" for f, (_, u, _) in FORMS.items()) + " END"
    comparator = "CASE b.form " + " ".join(f"WHEN '{f}' THEN '{c}'" for f, (_, _, c) in FORMS.items()) + " END"
    con.execute(f"""INSERT INTO {t.leaves}
        WITH x AS (
            SELECT e.evaluation_id, b.*, hash(e.evaluation_id, b.n, 11) AS h2, {_u(8)} AS u, {_u(9)} AS q
            FROM {e} JOIN bench_brought b ON b.template = hash(e.evaluation_id, 10) % {len(TEMPLATES)}
            WHERE e.framework = '{NATIONAL}'),
        v AS (SELECT x.*, {value.replace('b.', 'x.')} AS tv, {unit.replace('b.', 'x.')} AS unit_,
                     {comparator.replace('b.', 'x.')} AS cmp FROM x),
        a AS (SELECT v.*, CASE WHEN form = 'month' THEN least(tv + (h2 % 4) - 1, 12)
                               WHEN form = 'days' THEN tv + (h2 % 3) - 1
                               WHEN form = 'percent' THEN least(round(tv * (0.93 + 0.1 * q), 1), 100.0)
                               ELSE round(tv * (0.8 + 0.4 * q)) END AS av FROM v)
        SELECT evaluation_id, grp || '.' || n, grp, row_number() OVER (PARTITION BY evaluation_id, grp ORDER BY n) - 1,
               3, weight, rule_id,
               CASE WHEN kind = 'target' THEN NULL ELSE round(weight * (0.55 + 0.45 * u), 1) END,
               NULL, NULL,
               CASE WHEN kind = 'qualitative' THEN CASE WHEN u >= 0.5 THEN '达成' WHEN u >= 0.1 THEN '部分达成'
                                                       ELSE '未达成' END END,
               NULL,
               CASE WHEN kind = 'target' THEN CASE WHEN form = 'month' THEN CAST(tv AS INTEGER) || '月前'
                                                   ELSE cmp || CAST(tv AS INTEGER) || unit_ END END,
               CASE WHEN kind = 'target' THEN CASE WHEN form = 'percent' THEN CAST(av AS VARCHAR) || '%'
                                                   ELSE CAST(CAST(av AS INTEGER) AS VARCHAR) || unit_ END END,
               CASE WHEN kind = 'target' THEN cmp END, CASE WHEN kind = 'target' THEN tv END,
               CASE WHEN kind = 'target' THEN av END, NULL,
               '指标' || n, 'indicator ' || n, CASE WHEN kind = 'target' THEN unit_ END, NULL
        FROM a""").fetchall()
    return frameworks


def one_evaluation_sample(con, frameworks: dict, sample: int, seed: int, t: Tables = Tables()) -> dict:
    """Score a random sample with the one-evaluation path; time it and compare with the SQL results."""
    n = con.execute(f"SELECT count(*) FROM {t.evaluations}").fetchall()[0][0]
    ids = sorted(int(i) + 1 for i in np.random.default_rng(seed).choice(n, size=min(sample, n), replace=False))
    inputs = long_tables.read(con, frameworks, ids, t)
    started = time.perf_counter()
    scores = {i: score_evaluation(frameworks[key], ev) for i, (key, ev) in inputs.items()}
    seconds = time.perf_counter() - started
    rows = con.execute(f"SELECT evaluation_id, code, rule, rate, value FROM {t.node_scores} "
                       f"WHERE evaluation_id IN (SELECT unnest(?))", [ids]).fetchall()
    totals = dict(((i, c), (g, v)) for i, c, g, v in con.execute(
        f"SELECT evaluation_id, 'total', grade_rule, total_rule FROM {t.totals} WHERE evaluation_id IN "
        f"(SELECT unnest(?))", [ids]).fetchall())
    sql_rows = {(i, c): (r, rate, v) for i, c, r, rate, v in rows}

    def same(a, b):
        return (a is None and b is None) or (a is not None and b is not None and math.copysign(1, a) == math.copysign(1, b)
                                             and float(a).hex() == float(b).hex())
    identical = all(
        all(same(s.rule, sql_rows[(i, c)][0]) and same(s.rate, sql_rows[(i, c)][1]) and same(s.value, sql_rows[(i, c)][2])
            for c, s in score.nodes.items() if c != TOTAL)
        and totals[(i, "total")] == (score.grade_rule, score.total_rule)
        for i, score in scores.items())
    leaf_rows = con.execute(f"SELECT count(*) FROM {t.leaves} WHERE evaluation_id IN (SELECT unnest(?))",
                            [ids]).fetchall()[0][0]
    return {"ids": len(ids), "seconds": seconds, "leaf_rows": leaf_rows, "identical": identical}


def _import_before_timing() -> None:
    """DuckDB imports pandas the first time a Python object is registered, as ``score_sql`` registers Arrow
    tables: imported here, as the app has it loaded, so that the timing is rescoring alone."""
    importlib.import_module("pandas")


def run(evaluations: int = 200_000, sample: int = 300, seed: int = 7, threads: int = 2,
        memory_limit: str = "1GB") -> dict:
    _import_before_timing()
    with tempfile.TemporaryDirectory(prefix="domain-bench-") as tmp:
        con = duckdb.connect(str(Path(tmp) / "bench.duckdb"))
        con.execute("SET enable_progress_bar = false").fetchall()
        con.execute(f"SET threads = {int(threads)}").fetchall()
        con.execute(f"SET memory_limit = '{memory_limit}'").fetchall()
        started = time.perf_counter()
        frameworks = build(con, evaluations)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        counts = score_sql.score_all(con, frameworks)
        sql_s = time.perf_counter() - started
        one = one_evaluation_sample(con, frameworks, sample, seed)
        mix = dict(con.execute("SELECT framework, count(*) FROM domain_evaluations GROUP BY 1 ORDER BY 1").fetchall())
        con.close()
    sql_rows_per_s = counts["leaf_rows"] / sql_s
    one_rows_per_s = one["leaf_rows"] / one["seconds"]
    return {"evaluations": counts["evaluations"], "frameworks": mix, "leaf_rows": counts["leaf_rows"],
            "node_rows": counts["node_rows"], "build_tables_s": round(build_s, 2),
            "sql_rescore_all_s": round(sql_s, 3), "sql_leaf_rows_per_s": round(sql_rows_per_s),
            "one_evaluation_sample": one["ids"], "one_evaluation_ms_each": round(one["seconds"] / one["ids"] * 1000, 3),
            "one_evaluation_leaf_rows_per_s": round(one_rows_per_s),
            "sql_vs_one_evaluation_ratio": round(sql_rows_per_s / one_rows_per_s, 1),
            "sample_identical_between_paths": one["identical"], "peak_rss_mb": round(_peak_rss_mb()),
            "threads": threads, "duckdb_memory_limit": memory_limit, "load_average_1min": round(os.getloadavg()[0], 1),
            "targets": {"sql_rescore_all_s": "< 5", "ratio": ">= 50", "peak_rss_mb": "< 2048"}}


def main() -> None:
    print(json.dumps(run(), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
