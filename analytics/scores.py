"""The one place where scores above the leaves are made: every node's score, the totals and the grades.

Evaluations store their inputs per indicator node (``node_inputs``: one row per leaf of the evaluation's
concrete tree, with its rule and the reported score) and the scores printed for inner nodes
(``node_reported``); their figures are the view ``evaluation_figures``.  ``refresh`` scores every stored
evaluation with the framework engine's set-based path (``analytics.domain.score_sql``) into the derived
tables below, inside the writer's transaction, so the file swapped in always holds scores that agree
with its inputs.  Every reader takes its scores from the two views:

- ``node_results``: every node of every evaluation — code, parent, depth, weight, the reported score
  (printed where the source printed it, else the sum of the reported leaves), the rule score
  (leaves), the rate the rule computed and ``value`` (the score by the rules: the rule score, else the
  reported one; an inner node's is the sum of its children's);
- ``evaluation_scores``: one row per evaluation — the reported total and grade (as printed, else from
  the reported leaves), the total by the rules and its grade by the framework's bands, and whether
  every leaf had a score.

The derived tables are not data: versions do not record them (``row_changes.NOT_DATA``) and they are
rebuilt after every write and restore; their names start with ``row_changes.DERIVED_PREFIX``.
"""
from __future__ import annotations

import json
from functools import lru_cache

import duckdb

from analytics.domain import score_sql
from analytics.domain.loader import load_framework
from analytics.domain.long_tables import Tables
from analytics.domain.model import Framework

STORE_TABLES = Tables(evaluations="score_evaluations", figures="evaluation_figures", leaves="node_inputs",
                      rules="rules", node_scores="score_nodes", leaf_scores="score_leaves",
                      inner_scores="score_inner", inner_nodes="score_inner_nodes", totals="score_totals")

# Money and rate figures kept as columns of ``evaluations`` (the shared vocabulary's figures, as reported).
FIGURE_COLUMNS = (
    "budget_basic", "budget_project", "budget_other", "budget_total",
    "spent_basic", "spent_project", "spent_other", "spent_total",
    "carryover_amount", "carryover_rate_prev",
    "initial_budget_basic", "initial_budget_project", "initial_budget_total",
    "final_account_total",
)

# Created by the schema migration; the derived tables start empty and ``refresh`` fills them.
SCHEMA = [
    "CREATE VIEW score_evaluations AS SELECT id AS evaluation_id, framework_id AS framework FROM evaluations",
    f"""CREATE VIEW evaluation_figures AS
        SELECT evaluation_id, figure, value FROM (
            UNPIVOT (SELECT id AS evaluation_id, {', '.join(FIGURE_COLUMNS)} FROM evaluations)
            ON {', '.join(FIGURE_COLUMNS)} INTO NAME figure VALUE value)
        UNION ALL
        SELECT e.id, p.key, p.value FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN year_params p ON p.region = d.region AND p.year = e.year""",
    """CREATE TABLE score_leaves (evaluation_id BIGINT, parent_column BIGINT, position BIGINT, rule DOUBLE,
        rate DOUBLE, reason VARCHAR, finding VARCHAR, value DOUBLE)""",
    """CREATE TABLE score_inner_nodes (idx INTEGER, framework VARCHAR, code VARCHAR, parent VARCHAR,
        position INTEGER, depth INTEGER, weight DOUBLE, code_column INTEGER)""",
    """CREATE TABLE score_inner (evaluation_id BIGINT, node INTEGER, reported DOUBLE, value DOUBLE, weight DOUBLE)""",
    """CREATE TABLE score_totals (evaluation_id BIGINT, framework VARCHAR, total_reported DOUBLE, total_rule DOUBLE,
        grade_reported VARCHAR, grade_rule VARCHAR)""",
    """CREATE VIEW score_nodes AS
        SELECT NULL::BIGINT evaluation_id, NULL::VARCHAR code, NULL::VARCHAR parent, NULL::INTEGER position,
               NULL::INTEGER depth, NULL::DOUBLE weight, NULL::DOUBLE reported, NULL::DOUBLE rule,
               NULL::DOUBLE rate, NULL::VARCHAR reason, NULL::VARCHAR finding, NULL::DOUBLE value WHERE false""",
    """CREATE VIEW node_results AS
        SELECT n.evaluation_id, n.code, n.parent, n.position, n.depth, n.weight,
               coalesce(p.reported, n.reported) AS reported, p.reported AS printed, n.rule, n.rate, n.reason,
               n.finding, n.value
        FROM score_nodes n LEFT JOIN node_reported p ON p.evaluation_id = n.evaluation_id AND p.node = n.code""",
    """CREATE VIEW evaluation_scores AS
        SELECT e.id AS evaluation_id, e.framework_id,
               coalesce(e.reported_score_total, t.total_reported) AS reported_total,
               coalesce(e.reported_grade, t.grade_reported) AS reported_grade,
               t.total_rule AS rule_total, t.grade_rule AS rule_grade,
               e.id NOT IN (SELECT evaluation_id FROM score_leaves WHERE value IS NULL) AS complete
        FROM evaluations e LEFT JOIN score_totals t ON t.evaluation_id = e.id""",
]


@lru_cache(maxsize=64)
def framework_of(definition: str) -> Framework:
    """The domain model of a stored framework definition (JSON text)."""
    fw, issues = load_framework(json.loads(definition))
    if fw is None:
        raise ValueError(f"stored framework does not load: {[i.code for i in issues]}")
    return fw


def stored_frameworks(cur: duckdb.DuckDBPyConnection) -> dict[str, Framework]:
    """Every framework stored in the database, by its id (the key evaluations name)."""
    return {fid: framework_of(definition)
            for fid, definition in cur.execute("SELECT id, definition FROM frameworks ORDER BY id").fetchall()}


DERIVED = (STORE_TABLES.leaf_scores, STORE_TABLES.inner_scores, STORE_TABLES.totals)
# An incremental refresh scores the changed evaluations into scratch tables of the same layout (derived,
# by their prefix, so never data; dropped before the write commits).
_SCRATCH = Tables(evaluations="score_scratch_evaluations", figures="score_scratch_figures",
                  leaves="score_scratch_leaves", rules=STORE_TABLES.rules, node_scores="score_scratch_nodes",
                  leaf_scores="score_scratch_leaf_scores", inner_scores="score_scratch_inner",
                  inner_nodes="score_scratch_inner_nodes", totals="score_scratch_totals")


def refresh(cur: duckdb.DuckDBPyConnection, evaluation_ids=None) -> dict:
    """Score the stored evaluations into the derived tables, in the caller's transaction: all of them, or
    only ``evaluation_ids`` (those a write added, changed or removed; the others keep their scores)."""
    frameworks = stored_frameworks(cur)
    if not frameworks:           # nothing can be stored without a framework: nothing to score
        for table in (*DERIVED, STORE_TABLES.inner_nodes):
            cur.execute(f"DELETE FROM {table}")
        return {"leaf_rows": 0, "node_rows": 0, "evaluations": 0}
    if evaluation_ids is None:
        return score_sql.score_all(cur, frameworks, STORE_TABLES)
    cur.execute("CREATE OR REPLACE TEMP TABLE _refresh_ids AS SELECT DISTINCT unnest(?::BIGINT[]) AS evaluation_id",
                [sorted({int(i) for i in evaluation_ids})])
    chosen = "evaluation_id IN (SELECT evaluation_id FROM _refresh_ids)"
    for scratch, stored in ((_SCRATCH.evaluations, STORE_TABLES.evaluations), (_SCRATCH.figures, STORE_TABLES.figures),
                            (_SCRATCH.leaves, STORE_TABLES.leaves)):
        cur.execute(f"CREATE OR REPLACE VIEW {scratch} AS SELECT * FROM {stored} WHERE {chosen}")
    counts = score_sql.score_all(cur, frameworks, _SCRATCH)
    same_tree = cur.execute(f"SELECT count(*) FROM (SELECT * FROM {_SCRATCH.inner_nodes} EXCEPT ALL "
                            f"SELECT * FROM {STORE_TABLES.inner_nodes}) UNION ALL SELECT count(*) FROM "
                            f"(SELECT * FROM {STORE_TABLES.inner_nodes} EXCEPT ALL SELECT * FROM "
                            f"{_SCRATCH.inner_nodes})").fetchall()
    if any(n for (n,) in same_tree):      # the frameworks' trees changed: every evaluation's sums move
        counts = score_sql.score_all(cur, frameworks, STORE_TABLES)
    else:
        for table, scratch in ((STORE_TABLES.leaf_scores, _SCRATCH.leaf_scores),
                               (STORE_TABLES.inner_scores, _SCRATCH.inner_scores),
                               (STORE_TABLES.totals, _SCRATCH.totals)):
            cur.execute(f"DELETE FROM {table} WHERE {chosen}")
            cur.execute(f"INSERT INTO {table} SELECT * FROM {scratch}")
    for view in (_SCRATCH.node_scores, _SCRATCH.evaluations, _SCRATCH.figures, _SCRATCH.leaves):
        cur.execute(f"DROP VIEW {view}")
    for table in (_SCRATCH.leaf_scores, _SCRATCH.inner_scores, _SCRATCH.inner_nodes, _SCRATCH.totals, "_refresh_ids"):
        cur.execute(f"DROP TABLE {table}")
    return counts
