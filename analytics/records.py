"""Writes of reference data and evaluations, always inside a caller's transaction cursor."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from analytics import scoring
from analytics.framework import Framework

FIGURE_FIELDS = (
    "budget_basic", "budget_project", "budget_other", "budget_total",
    "spent_basic", "spent_project", "spent_other", "spent_total",
    "carryover_amount", "carryover_rate_prev",
    "initial_budget_basic", "initial_budget_project", "initial_budget_total",
    "final_account_total",
)
REPORTED_FIELDS = (
    "reported_execution_rate", "reported_carryover_rate", "reported_diff_rate",
    "reported_municipal_avg_diff_rate",
    "reported_score_budget_execution", "reported_score_performance_targets",
    "reported_score_budget_management", "reported_score_total", "reported_grade",
)
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
    source_file: str | None = None
    source_sha256: str | None = None


def ensure_framework(cur: duckdb.DuckDBPyConnection, fw: Framework) -> None:
    """Store the framework's tree; a changed file replaces the stored definition of the same id."""
    stored = cur.execute("SELECT sha256 FROM frameworks WHERE id = ?", [fw.id]).fetchall()
    if stored and stored[0][0] == fw.sha256:
        return
    for table, key in (("indicator_checks", "framework_id"), ("grade_bands", "framework_id"),
                       ("indicators", "framework_id"), ("frameworks", "id")):
        cur.execute(f"DELETE FROM {table} WHERE {key} = ?", [fw.id])
    cur.execute("INSERT INTO frameworks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [fw.id, fw.name["zh"], fw.name.get("en"), fw.region, fw.source, fw.sha256,
                 json.dumps(fw.grade_bands, ensure_ascii=False), json.dumps(fw.raw, ensure_ascii=False)])
    cur.executemany("INSERT INTO grade_bands VALUES (?, ?, ?, ?)",
                    [[fw.id, b["grade"], b.get("en"), b["min"]] for b in fw.grade_bands])
    for order, ind in enumerate(fw.indicators):
        l1, l2, rule = fw.level1_of_indicator(ind), fw.level2_of(ind.level2), ind.rule
        tiers = sorted(rule.get("over_target_penalty", []), key=lambda t: t["from"])[:3]
        tiers += [{"from": None, "share": None}] * (3 - len(tiers))
        deduction = rule.get("deduction", rule.get("deduction_per_point", rule.get("deduction_per_step")))
        cur.execute(
            f"INSERT INTO indicators VALUES ({', '.join('?' * 25)})",
            [fw.id, ind.code, order, l1["code"], l1["zh"], l1["en"], l1["weight"],
             l2["code"], l2["zh"], l2["en"], l2["weight"], ind.zh, ind.en, ind.weight, ind.kind,
             json.dumps(rule, ensure_ascii=False), rule.get("direction"), deduction, rule.get("step"),
             *[v for t in tiers for v in (t["from"], t["share"])]])
        for n, check in enumerate(ind.checks, 1):
            cur.execute("INSERT INTO indicator_checks VALUES (?, ?, ?, ?, ?)",
                        [fw.id, ind.code, n, check["zh"], check.get("en")])


def next_id(cur: duckdb.DuckDBPyConnection, table: str) -> int:
    return cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchall()[0][0]


def ensure_department(cur: duckdb.DuckDBPyConnection, region: str, name: str, short_name: str | None = None,
                      category: str | None = None, is_synthetic: bool = False) -> int:
    row = cur.execute("SELECT id FROM departments WHERE region = ? AND name = ?", [region, name]).fetchall()
    if row:
        if not is_synthetic:
            cur.execute("UPDATE departments SET is_synthetic = false WHERE id = ?", [row[0][0]])
        return row[0][0]
    dept_id = next_id(cur, "departments")
    cur.execute("INSERT INTO departments (id, region, name, short_name, category, is_synthetic) VALUES (?, ?, ?, ?, ?, ?)",
                [dept_id, region, name, short_name, category, is_synthetic])
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
    """Give every indicator of the region's year that reads the changed parameter its new value as the
    rule's target, then rescore that year: no evaluation keeps a score computed with the old value."""
    readers = " OR ".join(f"(i.rule_kind = '{kind}' AND json_extract_string(i.rule_params, '$.{name}') = ?)"
                          for kind, name in scoring.PARAMETER_FIELDS.items())
    scope = f"""evaluations e, departments d, indicators i
                WHERE d.id = e.department_id AND i.framework_id = e.framework_id
                  AND d.region = ? AND e.year = ? AND ({readers})"""
    params = [change.region, change.year, *[change.key] * len(scoring.PARAMETER_FIELDS)]
    cur.execute(f"""UPDATE indicator_results AS r SET target = ? FROM {scope}
                    AND r.evaluation_id = e.id AND r.indicator_code = i.code""", [change.new, *params]).fetchall()
    change.rescored = cur.execute(f"SELECT count(DISTINCT e.id) FROM {scope}", params).fetchall()[0][0]
    scoring.rescore_year(cur, change.region, change.year)


def year_params(cur: duckdb.DuckDBPyConnection, region: str, year: int) -> dict[str, float]:
    return dict(cur.execute("SELECT key, value FROM year_params WHERE region = ? AND year = ?",
                            [region, year]).fetchall())


def evaluation_id(cur: duckdb.DuckDBPyConnection, region: str, department: str, year: int) -> int | None:
    rows = cur.execute("""SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
                          WHERE d.region = ? AND d.name = ? AND e.year = ?""", [region, department, year]).fetchall()
    return rows[0][0] if rows else None


def replace_evaluation(cur: duckdb.DuckDBPyConnection, fw: Framework, rec: EvaluationRecord,
                       carry: tuple[str, ...] = ()) -> int:
    """Store ``rec`` in place of the department-year's evaluation, under the same id, so that storing
    the same content again changes no row (see analytics.row_changes).  ``carry``: reported fields
    the source does not hold, kept from the stored evaluation instead of being emptied."""
    kept = evaluation_id(cur, rec.region, rec.department, rec.year)
    if kept is not None and carry:
        stored = cur.execute(f"SELECT {', '.join(carry)} FROM evaluations WHERE id = ?", [kept]).fetchall()[0]
        rec.reported.update({c: v for c, v in zip(carry, stored) if rec.reported.get(c) is None})
    delete_evaluation(cur, rec.region, rec.department, rec.year)
    return insert_evaluation(cur, fw, rec, kept)


def insert_evaluation(cur: duckdb.DuckDBPyConnection, fw: Framework, rec: EvaluationRecord,
                      new_id: int | None = None) -> int:
    """Insert one evaluation with its indicator rows, rule scores computed beside the reported ones."""
    dept_id = ensure_department(cur, rec.region, rec.department, rec.short_name, rec.category,
                                is_synthetic=rec.source_kind == "synthetic")
    columns = ["id", "department_id", "year", "framework_id", "source_kind", "source_file", "source_sha256",
               *FIGURE_FIELDS, *REPORTED_FIELDS]
    evaluation_id = new_id or next_id(cur, "evaluations")
    values = [evaluation_id, dept_id, rec.year, fw.id, rec.source_kind, rec.source_file, rec.source_sha256,
              *[rec.figures.get(f) for f in FIGURE_FIELDS], *[rec.reported.get(f) for f in REPORTED_FIELDS]]
    cur.execute(f"INSERT INTO evaluations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)
    params = year_params(cur, rec.region, rec.year)
    rows = []
    for ind in fw.indicators:
        reported = rec.indicator_scores.get(ind.code)
        inp = scoring.derive_inputs(ind, rec.figures, params, reported)
        if ind.code in rec.failed_checks:
            inp.failed_count = rec.failed_checks[ind.code]
        rate, score = scoring.score_indicator(ind, inp)
        rows.append([evaluation_id, ind.code, reported, ind.code in rec.inferred, inp.target, inp.actual, inp.base,
                     inp.failed_count, inp.given_score, rate, score])
    cur.executemany(
        "INSERT INTO indicator_results (evaluation_id, indicator_code, reported_score, score_inferred, target, actual,"
        " base, failed_count, given_score, rule_rate, rule_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return evaluation_id


def delete_evaluation(cur: duckdb.DuckDBPyConnection, region: str, department: str, year: int) -> int:
    """Delete a department-year's evaluation and its indicator rows; returns how many evaluations went."""
    rows = cur.execute("""SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
                          WHERE d.region = ? AND d.name = ? AND e.year = ?""", [region, department, year]).fetchall()
    for (evaluation_id,) in rows:
        cur.execute("DELETE FROM indicator_results WHERE evaluation_id = ?", [evaluation_id])
        cur.execute("DELETE FROM evaluations WHERE id = ?", [evaluation_id])
    return len(rows)
