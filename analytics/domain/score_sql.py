"""The set-based path in generated SQL: every evaluation stored in the long tables (``long_tables``),
of any mix of frameworks, scored inside DuckDB with nothing built in Python per evaluation.

1. The figures the rules read are pivoted to one row per evaluation.
2. Each rule (a row of the rules table) becomes one SELECT over its leaves: its kind's ``sql_inputs``
   (the twin of ``inputs``) then its ``score_sql`` stages (the twin of ``score``, float operation for
   float operation); the SELECTs are joined with UNION ALL.
3. Inner nodes are summed bottom-up, depth by depth: children are pivoted by position and added in
   position order from 0.0 (a missing score adds 0.0), then rounded half up — the additions
   ``score_one`` makes; a weight the framework leaves to the evaluation is the sum of its children's.
4. Totals are graded by each framework's bands.
Results: ``node_scores`` (every node of every evaluation) and ``totals`` (one row per evaluation),
bit-identical to ``score_one.score_evaluation`` (tests/test_domain_scoring_paths.py).
"""
from __future__ import annotations

import json

from analytics.domain.loader import TOTAL
from analytics.domain.long_tables import Tables
from analytics.domain.model import Framework
from analytics.domain.rules import KINDS, sql

SCORE_COLUMNS = "evaluation_id, code, parent, position, depth, weight, reported, rule, rate, reason, finding, value"


def _c(name: str) -> str:
    return sql.ident(f"r:{name}")


def _figure(code: str) -> str:
    return f"f.{sql.ident('f:' + code)}"


def _leaf(field: str) -> str:
    return f"l.{sql.ident(field)}"


def rule_select(rule_id: int, kind: str, params: dict, leaves: str, figures_wide: str | None) -> str:
    """One rule's leaves scored: evaluation_id, code, parent, position, depth, weight, reported, rule, rate,
    reason, finding."""
    module = KINDS[kind]
    inputs = module.sql_inputs(params, _figure, _leaf)
    select = ", ".join(f"{expr} AS {_c(name)}" for name, expr in inputs.items())
    source = f"{leaves} l"
    if module.figures(params):
        source += f" LEFT JOIN {figures_wide} f ON f.evaluation_id = l.evaluation_id"
    query = (f"SELECT l.evaluation_id, l.node, l.parent, l.position, l.depth, l.weight, l.reported, {select} "
             f"FROM {source} WHERE l.rule_id = {int(rule_id)}")
    for stage in module.score_sql(params, _c):
        query = f"SELECT *, {', '.join(f'{expr} AS {_c(name)}' for name, expr in stage.items())} FROM ({query})"
    return (f"SELECT evaluation_id, node AS code, parent, position, depth, weight, reported, "
            f"CAST({_c('score')} AS DOUBLE) AS rule, CAST({_c('rate')} AS DOUBLE) AS rate, "
            f"CAST({_c('reason')} AS VARCHAR) AS reason, CAST({_c('finding')} AS VARCHAR) AS finding FROM ({query})")


def _inner_structure(frameworks: dict[str, Framework]) -> list[tuple]:
    """(framework key, code, parent, position, depth, weight) of every inner node and the root."""
    rows = []
    for key, fw in frameworks.items():
        rows.append((key, TOTAL, None, 0, 0, fw.total))

        def visit(nodes, depth, parent):
            for position, node in enumerate(nodes):
                if not node.is_leaf:
                    rows.append((key, node.code, parent, position, depth, node.weight))
                    visit(node.children, depth + 1, node.code)
        visit(fw.nodes, 1, TOTAL)
    return rows


def _ordered_sum(prefix: str, k: int) -> str:
    expr = "0.0"
    for p in range(k):
        expr = f"({expr} + coalesce({prefix}{p}, 0.0))"
    return expr


def _grade(frameworks: dict[str, Framework], total: str) -> str:
    cases = []
    for key, fw in frameworks.items():
        bands = sorted(fw.grade_bands, key=lambda b: b.min, reverse=True)
        whens = " ".join(f"WHEN {total} >= {sql.num(b.min)} THEN {sql.text(b.label)}" for b in bands)
        cases.append(f"WHEN {sql.text(key)} THEN (CASE WHEN NOT isfinite({total}) THEN NULL {whens} "
                     f"ELSE {sql.text(bands[-1].label)} END)")
    return f"(CASE framework {' '.join(cases)} END)"


def score_all(con, frameworks: dict[str, Framework], t: Tables = Tables()) -> dict:
    """Score every stored evaluation; writes ``t.node_scores`` and ``t.totals``; returns row counts."""
    rules = con.execute(f"SELECT rule_id, kind, params FROM {t.rules} ORDER BY rule_id").fetchall()
    rules = [(rid, kind, json.loads(params)) for rid, kind, params in rules]
    read = sorted({code for _, kind, params in rules for code in KINDS[kind].figures(params)})
    con.execute("CREATE OR REPLACE TEMP TABLE domain_figures_wide AS SELECT evaluation_id"
                + "".join(f", max(value) FILTER (WHERE figure = {sql.text(code)}) AS {sql.ident('f:' + code)}"
                          for code in read)
                + f" FROM {t.figures} GROUP BY evaluation_id")
    con.execute("CREATE OR REPLACE TEMP TABLE domain_leaf_scores AS "
                + " UNION ALL ".join(rule_select(rid, kind, params, t.leaves, "domain_figures_wide")
                                     for rid, kind, params in rules)
                if rules else f"CREATE OR REPLACE TEMP TABLE domain_leaf_scores AS SELECT * FROM (SELECT "
                              f"NULL::BIGINT evaluation_id, NULL::VARCHAR code, NULL::VARCHAR parent, NULL::INTEGER "
                              f"position, NULL::INTEGER depth, NULL::DOUBLE weight, NULL::DOUBLE reported, NULL::DOUBLE "
                              f"rule, NULL::DOUBLE rate, NULL::VARCHAR reason, NULL::VARCHAR finding) WHERE false")
    structure = _inner_structure(frameworks)
    con.execute("CREATE OR REPLACE TEMP TABLE domain_inner_structure (framework VARCHAR, code VARCHAR, parent VARCHAR, "
                "position INTEGER, depth INTEGER, weight DOUBLE)")
    con.executemany("INSERT INTO domain_inner_structure VALUES (?, ?, ?, ?, ?, ?)", structure)
    max_depth = max([row[4] for row in structure] + [con.execute(
        "SELECT coalesce(max(depth), 0) FROM domain_leaf_scores").fetchall()[0][0]])
    inner_tables = []
    for depth in range(max_depth, 0, -1):
        children = (f"SELECT evaluation_id, parent, position, weight, reported, coalesce(rule, reported) AS value "
                    f"FROM domain_leaf_scores WHERE depth = {depth}")
        if inner_tables:
            children += (f" UNION ALL SELECT evaluation_id, parent, position, weight, reported, value "
                         f"FROM {inner_tables[-1]}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE domain_children AS {children}")
        k = con.execute("SELECT coalesce(max(position), -1) + 1 FROM domain_children").fetchall()[0][0]
        pivot = ", ".join(f"max({name}) FILTER (WHERE position = {p}) AS {name[0]}{p}"
                          for p in range(k) for name in ("reported", "value", "weight"))
        table = f"domain_inner_{depth - 1}"
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {table} AS
            WITH sums AS (SELECT evaluation_id, parent{', ' + pivot if k else ''}
                          FROM domain_children GROUP BY evaluation_id, parent)
            SELECT e.evaluation_id, e.framework, s.code, s.parent, s.position, s.depth,
                   coalesce(s.weight, {_ordered_sum('w', k)}) AS weight,
                   {sql.r2(_ordered_sum('r', k))} AS reported, {sql.r2(_ordered_sum('v', k))} AS value
            FROM {t.evaluations} e JOIN domain_inner_structure s ON s.framework = e.framework AND s.depth = {depth - 1}
            LEFT JOIN sums ON sums.evaluation_id = e.evaluation_id AND sums.parent = s.code""")
        inner_tables.append(table)
    inner = " UNION ALL ".join(
        f"SELECT evaluation_id, code, parent, position, depth, weight, reported, NULL::DOUBLE AS rule, "
        f"NULL::DOUBLE AS rate, NULL::VARCHAR AS reason, NULL::VARCHAR AS finding, value FROM {name}"
        for name in inner_tables[:-1])
    con.execute(f"CREATE OR REPLACE TABLE {t.node_scores} AS SELECT {SCORE_COLUMNS} FROM ("
                f"SELECT *, coalesce(rule, reported) AS value FROM domain_leaf_scores"
                + (f" UNION ALL {inner}" if inner else "") + ")")
    con.execute(f"""CREATE OR REPLACE TABLE {t.totals} AS
        SELECT evaluation_id, framework, reported AS total_reported, value AS total_rule,
               {_grade(frameworks, 'reported')} AS grade_reported, {_grade(frameworks, 'value')} AS grade_rule
        FROM {inner_tables[-1]}""")
    for name in ["domain_figures_wide", "domain_leaf_scores", "domain_inner_structure", "domain_children", *inner_tables]:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    return {"leaf_rows": con.execute(f"SELECT count(*) FROM {t.leaves}").fetchall()[0][0],
            "node_rows": con.execute(f"SELECT count(*) FROM {t.node_scores}").fetchall()[0][0],
            "evaluations": con.execute(f"SELECT count(*) FROM {t.totals}").fetchall()[0][0]}
