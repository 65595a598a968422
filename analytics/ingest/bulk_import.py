"""Bulk import of template workbooks: validate everything, then write all of it in one new version.

Nothing is written while any blocking issue remains.  With ``valid_rows_only`` the evaluations that
have issues of their own are left out and the rest is imported; file-level problems still block.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from analytics.ingest.consistency import stored_budgets
from analytics.ingest.template import import_frameworks
from analytics.ingest.validate import Plan, PlannedEvaluation, validate
from analytics.ingest.workbook import Issue, read_files
from analytics.records import (NODE_SCORE_PREFIX, EvaluationRecord, ParameterChange,
                               ensure_department, ensure_framework, replace_evaluations, rescore_parameter_readers,
                               set_year_param)
from analytics.scores import stored_frameworks
from analytics.store import Store
from analytics.versions import Change, new_version

_REPORTED_COLUMNS = {
    "execution_rate": "reported_execution_rate", "carryover_rate": "reported_carryover_rate",
    "final_account_diff_rate": "reported_diff_rate", "municipal_avg_diff_rate": "reported_municipal_avg_diff_rate",
    "score_total": "reported_score_total", "grade": "reported_grade",
}


@dataclass
class ImportResult:
    accepted: bool
    issues: list[Issue]
    version_id: int | None = None
    imported: list[tuple] = field(default_factory=list)
    skipped: list[tuple] = field(default_factory=list)
    unknown_departments: list[tuple] = field(default_factory=list)
    similar_departments: list[tuple] = field(default_factory=list)    # (region, name, known names it nearly equals)
    parameter_changes: list[ParameterChange] = field(default_factory=list)


def known_departments(db_path: Path) -> set:
    if not Path(db_path).exists():
        return set()
    store = Store(db_path, read_only=True)
    try:
        return set(store.rows("SELECT region, name FROM departments"))
    finally:
        store.close()


def known_frameworks(db_path: Path) -> dict:
    """{code: framework} an import may name: the shipped ones and those stored in the database."""
    if not Path(db_path).exists():
        return import_frameworks({})
    store = Store(db_path, read_only=True)
    cur = store.cursor()
    try:
        return import_frameworks(stored_frameworks(cur))
    finally:
        cur.close()
        store.close()


def check_files(db_path: Path, files: list[tuple[str, bytes]], valid_rows_only: bool = False,
                create_departments: bool = False, allow_similar_names: bool = False) -> tuple[ImportResult, Plan]:
    """Validate without writing: ``accepted`` says whether importing would go ahead."""
    sheets, issues = read_files(files)
    plan = validate(sheets, known_departments(db_path), create_departments, stored_budgets(db_path),
                    allow_similar_names, known_frameworks(db_path))
    plan.issues[:0] = issues
    names = {"unknown_departments": sorted(plan.unknown_departments),
             "similar_departments": sorted((*key, "、".join(known)) for key, known in plan.similar_departments.items())}
    if plan.blocking(valid_rows_only):
        return ImportResult(False, plan.issues, **names), plan
    skip = plan.rejected_keys() if valid_rows_only else set()
    accepted = [key for key in plan.evaluations if key not in skip]
    if not accepted and not plan.parameters and not plan.departments:
        nothing = Issue(files[0][0] if files else "", None, None, None, "nothing_to_import")
        return ImportResult(False, plan.issues + [nothing], **names), plan
    return ImportResult(True, plan.issues, None, accepted, sorted(skip, key=str), **names), plan


def import_files(db_path: Path, files: list[tuple[str, bytes]], note: str = "", valid_rows_only: bool = False,
                 create_departments: bool = False, allow_similar_names: bool = False) -> ImportResult:
    """Validate ``files`` ((name, bytes) pairs) and, if nothing blocks, import them as one version."""
    result, plan = check_files(db_path, files, valid_rows_only, create_departments, allow_similar_names)
    if not result.accepted:
        return result
    change = Change("import", note, [{"name": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in files])
    with new_version(Path(db_path), change) as draft:
        result.parameter_changes = _apply(draft.store, plan, set(result.skipped))
    result.version_id = draft.version_id
    return result


def _apply(store: Store, plan: Plan, skip: set) -> list[ParameterChange]:
    """Write the plan; a changed year parameter rescores every evaluation of its year that reads it."""
    with store.transaction() as cur:
        for evaluation in plan.evaluations.values():
            ensure_framework(cur, evaluation.framework)
        for (region, name), info in plan.departments.items():
            dept_id = ensure_department(cur, region, name, info["short_name"], info["category"], info["is_synthetic"])
            cur.execute("UPDATE departments SET short_name = coalesce(?, short_name), category = coalesce(?, category) "
                        "WHERE id = ?", [info["short_name"], info["category"], dept_id])
        changes = [set_year_param(cur, *parameter) for parameter in plan.parameters]
        by_framework: dict = {}
        for key, evaluation in plan.evaluations.items():
            if key not in skip:
                by_framework.setdefault(evaluation.framework.code, (evaluation.framework, []))[1].append(
                    _record(evaluation))
        for fw, recs in by_framework.values():
            replace_evaluations(cur, fw, recs)
        changes = [change for change in changes if change is not None]
        for change in changes:
            rescore_parameter_readers(cur, change)
    return changes


def _record(evaluation: PlannedEvaluation) -> EvaluationRecord:
    region, name, year = evaluation.key
    rows = evaluation.indicators
    return EvaluationRecord(
        region=region, department=name, year=year, source_kind=evaluation.source_kind,
        figures=dict(evaluation.figures),
        reported={**{column: evaluation.reported.get(key) for key, column in _REPORTED_COLUMNS.items()},
                  **{NODE_SCORE_PREFIX + code: score for code, (score, _) in evaluation.printed.items()}},
        indicator_scores={code: row["score"] for code, row in rows.items()},
        inferred={code for code, row in rows.items() if row["inferred"]},
        leaf_inputs={code: row["input"] for code, row in rows.items()},
        brought=tuple(evaluation.brought), source_file=evaluation.source_file,
        source_sha256=evaluation.source_sha256)


def read_paths(paths: list[Path]) -> list[tuple[str, bytes]]:
    return [(Path(p).name, Path(p).read_bytes()) for p in paths]
