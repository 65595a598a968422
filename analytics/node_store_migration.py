"""Schema 4: evaluations keep their scores per indicator node instead of in framework-specific columns.

Before: ``indicators`` (Beijing's tree flattened into columns), ``indicator_results`` (one row per
indicator with rule inputs named after Beijing's rules) and three level-1 score columns of
``evaluations``.  After: ``frameworks.definition`` holds the framework as data (format 2, see
``analytics.domain``), ``node_inputs`` one row per leaf of each evaluation's tree, ``node_reported``
the scores printed for inner nodes, and ``analytics.scores`` makes everything above the leaves.

The data versions move with the data: the history rows of the old tables are converted by the same
statements as the live rows (with their version and operation), so every version stays restorable.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from analytics.domain.loader import SHIPPED_DIR, load_framework
from analytics.domain.long_tables import leaf_layout

LEVEL1_COLUMNS = {"reported_score_budget_execution": "budget_execution",
                  "reported_score_performance_targets": "performance_targets",
                  "reported_score_budget_management": "budget_management"}
OLD_TABLES = ("indicator_checks", "grade_bands", "indicators", "indicator_results")

NEW_TABLES = [
    """CREATE TABLE rules (rule_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, params VARCHAR NOT NULL)""",
    """CREATE TABLE node_inputs (
        evaluation_id BIGINT NOT NULL, node VARCHAR NOT NULL, parent VARCHAR NOT NULL, position INTEGER NOT NULL,
        depth INTEGER NOT NULL, weight DOUBLE, rule_id INTEGER NOT NULL, reported DOUBLE,
        failed DOUBLE, given DOUBLE, label VARCHAR, choice VARCHAR, target_text VARCHAR, actual_text VARCHAR,
        comparator VARCHAR, target DOUBLE, actual DOUBLE, coefficient DOUBLE, zh VARCHAR, en VARCHAR,
        unit VARCHAR, deviation_reason VARCHAR,
        inferred BOOLEAN NOT NULL DEFAULT false,      -- the reported score was inferred, not printed
        PRIMARY KEY (evaluation_id, node))""",
    """CREATE TABLE node_reported (evaluation_id BIGINT NOT NULL, node VARCHAR NOT NULL, reported DOUBLE NOT NULL,
        PRIMARY KEY (evaluation_id, node))""",
]


def _has(cur, schema: str, table: str) -> bool:
    return bool(cur.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                            "AND schema_name = ? AND table_name = ?", [schema, table]).fetchall()[0][0])


def _history_like(cur, table: str) -> None:
    cur.execute(f'CREATE TABLE history."{table}" AS SELECT NULL::INTEGER AS version_id, NULL::VARCHAR AS op, * '
                f'FROM main."{table}" LIMIT 0')


def _loaded(code: str, raw: dict):
    """The framework of a stored definition: format 2 as stored, an older format as the shipped format-2
    definition of the same id."""
    source = raw if raw.get("format") == 2 else SHIPPED_DIR / f"{code}.json"
    if isinstance(source, Path) and not source.exists():
        raise duckdb.Error(f"framework {code} has no format-2 definition to migrate to ({source})")
    fw, issues = load_framework(source)
    if fw is None:
        raise duckdb.Error(f"framework {code} does not load: {[i.code for i in issues]}")
    return fw


def _convert_frameworks(cur, table: str) -> dict[str, dict]:
    """Store every framework row as this release stores it (``records.framework_row``: the format-2
    definition, its sha256, names and bands), so that the next write finds it unchanged."""
    from analytics.records import FRAMEWORK_COLUMNS, framework_row
    columns = [c for c in FRAMEWORK_COLUMNS if c != "id"]
    definitions = {}
    for fid, definition in cur.execute(f"SELECT DISTINCT id, definition::VARCHAR FROM {table}").fetchall():
        row = framework_row(_loaded(fid, json.loads(definition)))
        definitions[fid] = json.loads(row["definition"])
        cur.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} "
                    f"WHERE id = ? AND definition::VARCHAR = ?", [*(row[c] for c in columns), fid, definition])
    return definitions


def _leaf_map(cur, definitions: dict[str, dict]) -> None:
    """_leaf_map(framework_id, code, parent, position, depth, weight, rule_id) for every fixed leaf."""
    from analytics.scores import STORE_TABLES
    cur.execute("CREATE TEMP TABLE _leaf_map (framework_id VARCHAR, code VARCHAR, parent VARCHAR, position INTEGER, "
                "depth INTEGER, weight DOUBLE, rule_id INTEGER)")
    for fid, raw in definitions.items():
        fw, _ = load_framework(raw)
        cur.executemany("INSERT INTO _leaf_map VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [[fid, leaf["code"], leaf["parent"], leaf["position"], leaf["depth"], leaf["weight"],
                          leaf["rule_id"]] for leaf in leaf_layout(cur, fw, STORE_TABLES)])


def _convert_results(cur, source: str, target: str, history: bool) -> None:
    keep = "r.version_id, r.op, " if history else ""
    cols = "version_id, op, " if history else ""
    # an evaluation's framework: the live row, else any recorded row of it (it may have been deleted since)
    cur.execute(f"""INSERT INTO {target} ({cols}evaluation_id, node, parent, position, depth, weight, rule_id,
                        reported, failed, given, inferred)
        SELECT {keep}r.evaluation_id, m.code, m.parent, m.position, m.depth, m.weight, m.rule_id,
               r.reported_score, r.failed_count, r.given_score, r.score_inferred
        FROM {source} r
        JOIN (SELECT id, any_value(framework_id) AS framework_id FROM (
                SELECT id, framework_id FROM main.evaluations
                {"UNION ALL SELECT id, framework_id FROM history.evaluations" if _has(cur, "history", "evaluations") else ""})
              GROUP BY id) e ON e.id = r.evaluation_id
        JOIN _leaf_map m ON m.framework_id = e.framework_id AND m.code = r.indicator_code""")


def _convert_level1(cur, source: str, target: str, history: bool) -> None:
    keep, cols = ("version_id, op, ", "version_id, op, ") if history else ("", "")
    for column, node in LEVEL1_COLUMNS.items():
        cur.execute(f"INSERT INTO {target} ({cols}evaluation_id, node, reported) "
                    f"SELECT {keep}id, ?, {column} FROM {source} WHERE {column} IS NOT NULL", [node])


def migrate(cur: duckdb.DuckDBPyConnection) -> None:
    """Convert a schema-3 database (live rows and history) in the migration's transaction."""
    from analytics.scores import SCHEMA, refresh
    cur.execute("DROP VIEW IF EXISTS level1_scores")
    for statement in NEW_TABLES:
        cur.execute(statement)
    definitions = _convert_frameworks(cur, "main.frameworks")
    if _has(cur, "history", "frameworks"):
        definitions.update(_convert_frameworks(cur, "history.frameworks"))
    _leaf_map(cur, definitions)
    _convert_results(cur, "main.indicator_results", "main.node_inputs", history=False)
    _convert_level1(cur, "main.evaluations", "main.node_reported", history=False)
    if _has(cur, "history", "indicator_results"):
        _history_like(cur, "node_inputs")
        _convert_results(cur, "history.indicator_results", "history.node_inputs", history=True)
    if _has(cur, "history", "evaluations"):
        _history_like(cur, "node_reported")
        _convert_level1(cur, "history.evaluations", "history.node_reported", history=True)
    for schema in ("main", "history"):
        for column in LEVEL1_COLUMNS:
            if _has(cur, schema, "evaluations"):
                cur.execute(f'ALTER TABLE {schema}.evaluations DROP COLUMN {column}')
        for table in OLD_TABLES:
            cur.execute(f'DROP TABLE IF EXISTS {schema}."{table}"')
    cur.execute("DROP TABLE _leaf_map")
    for statement in SCHEMA:
        cur.execute(statement)
    refresh(cur)
