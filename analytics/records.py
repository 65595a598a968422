"""Writes of reference data and evaluations, always inside a caller's transaction cursor."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import duckdb

from analytics.domain import long_tables
from analytics.domain.evaluation import EvaluationInputs, LeafInput
from analytics.domain.loader import framework_to_dict
from analytics.domain.model import Framework
from analytics.names import normalise_name
from analytics.scores import FIGURE_COLUMNS, STORE_TABLES

FIGURE_FIELDS = FIGURE_COLUMNS
REPORTED_FIELDS = (
    "reported_execution_rate", "reported_carryover_rate", "reported_diff_rate",
    "reported_municipal_avg_diff_rate", "reported_score_total", "reported_grade",
)
# ``reported["reported_score_<node code>"]``: the score a source printed for an inner node (a level-1 or
# level-2 score); stored per node in ``node_reported``.
NODE_SCORE_PREFIX = "reported_score_"
MUNICIPAL_AVG_DIFF_RATE = "municipal_avg_diff_rate"


@dataclass
class EvaluationRecord:
    """One department-year as it enters the store."""
    region: str
    department: str
    year: int
    source_kind: str
    figures: dict
    reported: dict
    indicator_scores: dict[str, float | None]   # reported score per indicator code
    inferred: set[str] = field(default_factory=set)  # codes whose reported score was inferred
    failed_checks: dict[str, int] = field(default_factory=dict)  # checklist code -> failed checks, if known
    short_name: str | None = None
    category: str | None = None
    department_en: str | None = None               # the department's English name, if the source gives one
    source_file: str | None = None
    source_sha256: str | None = None
    brought: tuple = ()                         # level-3 indicators the evaluation brings (domain BroughtIndicator)
    leaf_inputs: dict = field(default_factory=dict)  # leaf code -> domain LeafInput (targets, labels, given scores)

    @property
    def node_scores(self) -> dict[str, float | None]:
        """Scores printed for inner nodes, by node code."""
        return {key[len(NODE_SCORE_PREFIX):]: value for key, value in self.reported.items()
                if key.startswith(NODE_SCORE_PREFIX) and key not in REPORTED_FIELDS}


def framework_model(fw) -> Framework:
    """The engine's framework for ``fw``: a domain Framework as it is, or the shipped format-2 definition of
    an old-format framework's id (the report parser and the bulk template still speak the old format)."""
    if isinstance(fw, Framework):
        return fw
    from analytics.domain.loader import SHIPPED_DIR, load_framework
    model, issues = load_framework(SHIPPED_DIR / f"{fw.id}.json")
    if model is None:
        raise ValueError(f"framework {fw.id} has no valid format-2 definition: {[i.code for i in issues]}")
    return model


def framework_key(fw) -> str:
    return fw.code if isinstance(fw, Framework) else fw.id


FRAMEWORK_COLUMNS = ("id", "name_zh", "name_en", "region", "source", "sha256", "grade_bands", "definition")


def framework_row(fw) -> dict:
    """The ``frameworks`` row of a framework, by column: its definition as data and that text's sha256."""
    model = framework_model(fw)
    definition = json.dumps(framework_to_dict(model), ensure_ascii=False, sort_keys=True)
    bands = [{"grade": b.label, "en": b.en, "min": b.min} for b in model.grade_bands]
    return {"id": framework_key(fw), "name_zh": model.name_zh, "name_en": model.name_en, "region": model.region,
            "source": model.source, "sha256": hashlib.sha256(definition.encode()).hexdigest(),
            "grade_bands": json.dumps(bands, ensure_ascii=False), "definition": definition}


def ensure_framework(cur: duckdb.DuckDBPyConnection, fw) -> None:
    """Store the framework as data; a changed definition replaces the stored one of the same id."""
    row = framework_row(fw)
    stored = cur.execute("SELECT sha256 FROM frameworks WHERE id = ?", [row["id"]]).fetchall()
    if stored and stored[0][0] == row["sha256"]:
        return
    cur.execute("INSERT OR REPLACE INTO frameworks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [row[c] for c in FRAMEWORK_COLUMNS])


def next_id(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    return cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchall()[0][0]


def ensure_department(cur: duckdb.DuckDBPyConnection, region: str, name: str, short_name: str | None = None,
                      category: str | None = None, is_synthetic: bool = False, name_en: str | None = None) -> int:
    """The department's id, stored first if new; ``name_en`` (its English name), when given, is stored
    or replaces the one stored (in the normal form of analytics.names; blank counts as not given)."""
    name_en = normalise_name(name_en)
    row = cur.execute("SELECT id FROM departments WHERE region = ? AND name = ?", [region, name]).fetchall()
    if row:
        if not is_synthetic:
            cur.execute("UPDATE departments SET is_synthetic = false WHERE id = ?", [row[0][0]])
        if name_en is not None:
            cur.execute("UPDATE departments SET name_en = ? WHERE id = ? AND name_en IS DISTINCT FROM ?",
                        [name_en, row[0][0], name_en])
        return row[0][0]
    dept_id = next_id(cur, "departments")
    cur.execute("INSERT INTO departments (id, region, name, short_name, category, is_synthetic, name_en) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", [dept_id, region, name, short_name, category, is_synthetic, name_en])
    return dept_id


@dataclass
class ParameterChange:
    """A year parameter whose value an import changed; ``rescored`` counts the evaluations that read it."""
    region: str
    year: int
    key: str
    old: float | None
    new: float
    rescored: int = 0

    def notice(self) -> tuple[str, dict]:
        return "param_changed", {"region": self.region, "year": self.year, "parameter": self.key, "old": self.old,
                                 "new": self.new, "count": self.rescored}


def stored_year_param(cur: duckdb.DuckDBPyConnection, region: str, year: int, key: str) -> tuple | None:
    """(value, source, is_synthetic) of a stored year parameter, or None."""
    rows = cur.execute("SELECT value, source, is_synthetic FROM year_params WHERE region = ? AND year = ? AND key = ?",
                       [region, year, key]).fetchall()
    return rows[0] if rows else None


def set_year_param(cur: duckdb.DuckDBPyConnection, region: str, year: int, key: str, value: float,
                   source: str, is_synthetic: bool = False) -> ParameterChange | None:
    """Store a year parameter; returns the change when its value is new or different.  The caller then
    calls ``rescore_parameter_readers`` once the import's evaluations are written."""
    old = stored_year_param(cur, region, year, key)
    cur.execute("INSERT OR REPLACE INTO year_params VALUES (?, ?, ?, ?, ?, ?)",
                [region, year, key, value, source, is_synthetic])
    if old is not None and old[0] == value:
        return None
    return ParameterChange(region, year, key, None if old is None else old[0], value)


def rescore_parameter_readers(cur: duckdb.DuckDBPyConnection, change: ParameterChange) -> None:
    """Count the evaluations of the region's year whose rules read the changed parameter: their scores
    follow it when ``analytics.scores`` refreshes at the end of the write (figures are a view that reads
    the year parameters), so none keeps a score computed with the old value."""
    from analytics.domain.rules import KINDS
    readers = [rid for rid, kind, params in cur.execute("SELECT rule_id, kind, params FROM rules").fetchall()
               if change.key in KINDS[kind].figures(json.loads(params))]
    change.rescored = cur.execute("""
        SELECT count(DISTINCT e.id) FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN node_inputs n ON n.evaluation_id = e.id
        WHERE d.region = ? AND e.year = ? AND n.rule_id IN (SELECT unnest(?))""",
                                  [change.region, change.year, readers]).fetchall()[0][0]


def year_params(cur: duckdb.DuckDBPyConnection, region: str, year: int) -> dict[str, float]:
    return dict(cur.execute("SELECT key, value FROM year_params WHERE region = ? AND year = ?",
                            [region, year]).fetchall())


def evaluation_id(cur: duckdb.DuckDBPyConnection, region: str, department: str, year: int) -> int | None:
    rows = cur.execute("""SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
                          WHERE d.region = ? AND d.name = ? AND e.year = ?""", [region, department, year]).fetchall()
    return rows[0][0] if rows else None


def replace_evaluation(cur: duckdb.DuckDBPyConnection, fw: Framework, rec: EvaluationRecord) -> int:
    """Store ``rec`` in place of the department-year's evaluation, under the same id, so that storing
    the same content again changes no row (see analytics.row_changes)."""
    return replace_evaluations(cur, fw, [rec])[0]


def replace_evaluations(cur: duckdb.DuckDBPyConnection, fw: Framework, recs: list[EvaluationRecord]) -> list[int]:
    """``replace_evaluation`` for many evaluations of one framework, inserted in one statement per table."""
    kept = []
    for rec in recs:
        kept.append(evaluation_id(cur, rec.region, rec.department, rec.year))
        delete_evaluation(cur, rec.region, rec.department, rec.year)
    fresh = iter(range(max([next_id(cur, "evaluations"), *(k + 1 for k in kept if k is not None)]), 2**62))
    return insert_evaluations(cur, fw, recs, [k if k is not None else next(fresh) for k in kept])


def insert_evaluation(cur: duckdb.DuckDBPyConnection, fw, rec: EvaluationRecord, new_id: int | None = None) -> int:
    """Insert one evaluation (see ``insert_evaluations``) under ``new_id``, else the next free id."""
    return insert_evaluations(cur, fw, [rec], None if new_id is None else [new_id])[0]


def insert_evaluations(cur: duckdb.DuckDBPyConnection, fw, recs: list[EvaluationRecord],
                       ids: list[int] | None = None) -> list[int]:
    """Insert evaluations of one framework: their figures, one input row per leaf of each one's tree (reported
    score beside the inputs its rule reads) and the scores printed for inner nodes, in one statement per
    table; ``analytics.scores`` scores them.  ``ids``: the evaluations' ids, else the next free ones."""
    ensure_framework(cur, fw)
    key, model = framework_key(fw), stored_framework(cur, framework_key(fw))
    inner = {node.code for node, _, _ in model.walk() if not node.is_leaf}
    first = next_id(cur, "evaluations")
    ids = list(ids) if ids is not None else list(range(first, first + len(recs)))
    evaluations, leaves, printed, rule_ids, departments = [], [], [], {}, {}
    for evaluation_id, rec in zip(ids, recs):
        place = (rec.region, rec.department, rec.source_kind == "synthetic")
        if place not in departments:
            departments[place] = ensure_department(cur, rec.region, rec.department, rec.short_name, rec.category,
                                                   is_synthetic=place[2], name_en=rec.department_en)
        dept_id = departments[place]
        evaluations.append([evaluation_id, dept_id, rec.year, key, rec.source_kind, rec.source_file,
                            rec.source_sha256, *[rec.figures.get(f) for f in FIGURE_FIELDS],
                            *[rec.reported.get(f) for f in REPORTED_FIELDS]])
        inputs = EvaluationInputs(
            leaves={**{code: LeafInput(failed=count) for code, count in rec.failed_checks.items()},
                    **rec.leaf_inputs},
            reported={code: score for code, score in rec.indicator_scores.items() if score is not None},
            brought=tuple(rec.brought))
        leaves += long_tables.leaf_rows(cur, model, evaluation_id, inputs, STORE_TABLES, rec.inferred, rule_ids)
        printed += [[evaluation_id, code, score] for code, score in rec.node_scores.items()
                    if score is not None and code in inner]
    long_tables.insert_rows(cur, "evaluations", ["id", "department_id", "year", "framework_id", "source_kind",
                                                 "source_file", "source_sha256", *FIGURE_FIELDS, *REPORTED_FIELDS],
                            evaluations)
    long_tables.insert_rows(cur, STORE_TABLES.leaves, [*long_tables.LEAF_COLUMNS, "inferred"], leaves)
    long_tables.insert_rows(cur, "node_reported", ["evaluation_id", "node", "reported"], printed)
    return ids


def stored_framework(cur: duckdb.DuckDBPyConnection, key: str) -> Framework:
    from analytics.scores import stored_frameworks
    return stored_frameworks(cur)[key]


def delete_evaluation(cur: duckdb.DuckDBPyConnection, region: str, department: str, year: int) -> int:
    """Delete a department-year's evaluation and its indicator rows; returns how many evaluations went."""
    rows = cur.execute("""SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
                          WHERE d.region = ? AND d.name = ? AND e.year = ?""", [region, department, year]).fetchall()
    for (evaluation_id,) in rows:
        cur.execute("DELETE FROM node_inputs WHERE evaluation_id = ?", [evaluation_id])
        cur.execute("DELETE FROM node_reported WHERE evaluation_id = ?", [evaluation_id])
        cur.execute("DELETE FROM evaluations WHERE id = ?", [evaluation_id])
    return len(rows)
