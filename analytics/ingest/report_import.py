"""Store a parsed evaluation report: reported scores as reported, rule scores beside them, atomically."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analytics.domain.evaluation import BroughtIndicator, LeafInput
from analytics.domain.targets import parse_target
from analytics.framework import Framework, default_framework
from analytics.i18n import DEFAULT_LANGUAGE, t
from analytics.ingest import report_national as national
from analytics.ingest.report_parser import parse_report
from analytics.ingest.template import level1_column
from analytics.names import DepartmentNames, admission_problem, normalise_name
from analytics.records import (FIGURE_FIELDS, MUNICIPAL_AVG_DIFF_RATE, NODE_SCORE_PREFIX, EvaluationRecord,
                               ensure_framework, replace_evaluation, rescore_parameter_readers, set_year_param,
                               stored_year_param)
from analytics.store import Store

# parse-report JSON key -> evaluations column; a printed level-1 score "score_<code>" goes to node_reported
_REPORTED_KEYS = {
    "execution_rate": "reported_execution_rate",
    "carryover_rate": "reported_carryover_rate",
    "final_account_diff_rate": "reported_diff_rate",
    "municipal_avg_diff_rate": "reported_municipal_avg_diff_rate",
    "score_total": "reported_score_total",
    "grade": "reported_grade",
}


class ReportImportError(ValueError):
    """The report parsed, but storing it would conflict with what the database holds.  ``code`` and
    ``params`` name the problem; ``message(lang)`` puts it into words (the v_<code> translation)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(self.message())

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"v_{self.code}", lang, **self.params)


@dataclass
class ImportOutcome:
    evaluation_id: int
    department: str
    year: int
    status: str  # "added", "replaced" or "unchanged"
    findings: list[tuple[str, dict]] = field(default_factory=list)   # (code, params) worth telling the user


def record_from_parsed(parsed: dict, fw: Framework, region: str, source_kind: str) -> EvaluationRecord:
    rows = parsed["indicators"]
    printed = {NODE_SCORE_PREFIX + l1["code"]: parsed.get(level1_column(l1)) for l1 in fw.level1}
    return EvaluationRecord(
        region=region, department=parsed["department"], year=int(parsed["year"]), source_kind=source_kind,
        figures={f: parsed.get(f) for f in FIGURE_FIELDS},
        reported={**{column: parsed.get(key) for key, column in _REPORTED_KEYS.items()}, **printed},
        indicator_scores={row["code"]: row["score"] for row in rows},
        inferred={row["code"] for row in rows if row.get("inferred")},
        source_file=parsed.get("source_file"), source_sha256=parsed.get("source_sha256"))


def national_record(parsed: dict, region: str, source_kind: str) -> EvaluationRecord:
    """A national-layout report as an evaluation: its own level-3 indicators brought to their open groups
    (target, actual and 偏差原因 as printed, the printed score as the reported and the evaluator's score), the
    printed execution score, total and grade as reported (the parser refuses an indicator it cannot place)."""
    brought, leaves = [], {}
    for row in parsed["indicators"]:
        target, actual = row["target"].replace(",", ""), row["actual"].replace(",", "")
        unit = getattr(parse_target(target), "unit", "") or ""
        brought.append(BroughtIndicator(row["group"], row["code"], row["level3"], row["weight"], "target",
                                        unit=unit, deviation_reason=row["deviation_reason"]))
        leaves[row["code"]] = LeafInput(target=target, actual=actual, given=row["score"])
    scores = {row["code"]: row["score"] for row in parsed["indicators"]}
    return EvaluationRecord(
        region=region, department=parsed["department"], year=int(parsed["year"]), source_kind=source_kind,
        figures={f: parsed.get(f) for f in FIGURE_FIELDS},
        reported={column: parsed.get(key) for key, column in _REPORTED_KEYS.items()},
        indicator_scores={**scores, national.EXECUTION: parsed.get("score_execution_rate")},
        brought=tuple(brought), leaf_inputs=leaves,
        source_file=parsed.get("source_file"), source_sha256=parsed.get("source_sha256"))


def import_report(store: Store, path: Path, source_kind: str = "import", region: str | None = None,
                  replace: bool = False, framework: Framework | None = None, create_departments: bool = False,
                  allow_similar_names: bool = False, replace_parameters: bool = False) -> ImportOutcome:
    """Parse and store one report in a single transaction; nothing is written when anything fails.

    Importing a file whose sha256 is already stored for that department-year changes nothing.
    A synthetic evaluation of the same department-year is replaced by the real one; an evaluation
    from another real source is replaced only with ``replace=True``.  The title's department is
    matched by its normalised name; an unknown one is created only with ``create_departments``, one
    nearly equal to a known name only with ``allow_similar_names`` too.  A stated 市级平均差异率 that
    contradicts a published (non-synthetic) stored one leaves the stored one in force and is reported,
    unless ``replace_parameters``; any change of it rescores the whole year.
    """
    fw = framework or default_framework()
    parsed = parse_report(Path(path), fw)
    if parsed["framework"] == national.CODE:
        fw = national.model()
        rec = national_record(parsed, normalise_name(region) or fw.region, source_kind)
    elif parsed["framework"] == fw.id:
        rec = record_from_parsed(parsed, fw, normalise_name(region) or fw.region, source_kind)
    else:
        raise ReportImportError("report_framework_not_importable", file=Path(path).name,
                                framework=parsed["framework"], expected=fw.id)
    with store.transaction() as cur:
        ensure_framework(cur, fw)
        rec.department = _department(cur, rec, create_departments, allow_similar_names)
        existing = cur.execute("""
            SELECT e.id, e.source_kind, e.source_sha256 FROM evaluations e JOIN departments d ON d.id = e.department_id
            WHERE d.region = ? AND d.name = ? AND e.year = ?""", [rec.region, rec.department, rec.year]).fetchall()
        existing = existing[0] if existing else None
        status = "added"
        if existing:
            old_id, old_kind, old_sha = existing
            if old_sha == rec.source_sha256 and old_kind != "synthetic":
                return ImportOutcome(old_id, rec.department, rec.year, "unchanged")
            if old_kind != "synthetic" and not replace:
                raise ReportImportError("report_replace_needed", department=rec.department, year=rec.year,
                                        source_kind=old_kind, sha256=str(old_sha)[:12])
            status = "replaced"
        change, findings = _store_municipal_average(cur, rec, parsed, replace_parameters)
        evaluation_id = replace_evaluation(cur, fw, rec)
        if change is not None:
            rescore_parameter_readers(cur, change)
            findings.append(change.notice())
    return ImportOutcome(evaluation_id, rec.department, rec.year, status, findings)


def _department(cur, rec: EvaluationRecord, create: bool, allow_similar: bool) -> str:
    """The stored name of the report's department; refuses one the user has not asked to create."""
    known = cur.execute("SELECT region, name FROM departments WHERE region = ?", [rec.region]).fetchall()
    match = DepartmentNames(known).resolve(rec.region, rec.department)
    problem = admission_problem(match, create, allow_similar)
    if problem is not None:
        code, params = problem
        raise ReportImportError(code, **params)
    return match.stored


def _store_municipal_average(cur, rec: EvaluationRecord, parsed: dict, replace: bool) -> tuple:
    """(the parameter change or None, findings).  A published stored value wins unless ``replace``; a
    synthetic one gives way to the report's."""
    value = parsed.get(MUNICIPAL_AVG_DIFF_RATE)
    if value is None:
        return None, []
    stored = stored_year_param(cur, rec.region, rec.year, MUNICIPAL_AVG_DIFF_RATE)
    if stored is not None and not stored[2]:
        if abs(stored[0] - value) <= 1e-9:
            return None, []
        if not replace:
            return None, [("param_conflict", {"region": rec.region, "year": rec.year, "stated": value,
                                              "stored": stored[0], "source": stored[1]})]
    source = f"{parsed.get('source_file')} · sha256 {str(parsed.get('source_sha256'))[:12]}…"
    return set_year_param(cur, rec.region, rec.year, MUNICIPAL_AVG_DIFF_RATE, value, source=source), []
