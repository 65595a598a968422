"""Store a parsed evaluation report: reported scores as reported, rule scores beside them, atomically."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analytics.framework import Framework, default_framework
from analytics.ingest.report_parser import parse_report
from analytics.records import (FIGURE_FIELDS, MUNICIPAL_AVG_DIFF_RATE, EvaluationRecord, delete_evaluation,
                               ensure_framework, insert_evaluation, set_year_param)
from analytics.store import Store

# parse-report JSON key -> evaluations column
_REPORTED_KEYS = {
    "execution_rate": "reported_execution_rate",
    "carryover_rate": "reported_carryover_rate",
    "final_account_diff_rate": "reported_diff_rate",
    "municipal_avg_diff_rate": "reported_municipal_avg_diff_rate",
    "score_budget_execution": "reported_score_budget_execution",
    "score_performance_targets": "reported_score_performance_targets",
    "score_budget_management": "reported_score_budget_management",
    "score_total": "reported_score_total",
    "grade": "reported_grade",
}


class ReportImportError(ValueError):
    """The report parsed, but storing it would conflict with what the database holds."""


@dataclass
class ImportOutcome:
    evaluation_id: int
    department: str
    year: int
    status: str  # "added", "replaced" or "unchanged"


def record_from_parsed(parsed: dict, region: str, source_kind: str) -> EvaluationRecord:
    rows = parsed["indicators"]
    return EvaluationRecord(
        region=region, department=parsed["department"], year=int(parsed["year"]), source_kind=source_kind,
        figures={f: parsed.get(f) for f in FIGURE_FIELDS},
        reported={column: parsed.get(key) for key, column in _REPORTED_KEYS.items()},
        indicator_scores={row["code"]: row["score"] for row in rows},
        inferred={row["code"] for row in rows if row.get("inferred")},
        source_file=parsed.get("source_file"), source_sha256=parsed.get("source_sha256"))


def import_report(store: Store, path: Path, source_kind: str = "import", region: str | None = None,
                  replace: bool = False, framework: Framework | None = None) -> ImportOutcome:
    """Parse and store one report in a single transaction; nothing is written when anything fails.

    Importing a file whose sha256 is already stored for that department-year changes nothing.
    A synthetic evaluation of the same department-year is replaced by the real one; an evaluation
    from another real source is replaced only with ``replace=True``.
    """
    fw = framework or default_framework()
    parsed = parse_report(Path(path), fw)
    rec = record_from_parsed(parsed, region or fw.region, source_kind)
    with store.transaction() as cur:
        ensure_framework(cur, fw)
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
                raise ReportImportError(
                    f"{rec.department} {rec.year} already has an evaluation from another file "
                    f"(source {old_kind}, sha256 {str(old_sha)[:12]}…); import with --replace to replace it")
            delete_evaluation(cur, rec.region, rec.department, rec.year)
            status = "replaced"
        _store_municipal_average(cur, rec, parsed)
        evaluation_id = insert_evaluation(cur, fw, rec)
    return ImportOutcome(evaluation_id, rec.department, rec.year, status)


def _store_municipal_average(cur, rec: EvaluationRecord, parsed: dict) -> None:
    value = parsed.get(MUNICIPAL_AVG_DIFF_RATE)
    if value is None:
        return
    stored = cur.execute("SELECT value, source, is_synthetic FROM year_params WHERE region = ? AND year = ? AND key = ?",
                         [rec.region, rec.year, MUNICIPAL_AVG_DIFF_RATE]).fetchall()
    stored = stored[0] if stored else None
    if stored and not stored[2] and abs(stored[0] - value) > 1e-9:
        raise ReportImportError(
            f"the report gives 市级平均差异率 {value}% for {rec.region} {rec.year}, but {stored[0]}% is already "
            f"stored from {stored[1]}")
    if not stored or stored[2]:
        set_year_param(cur, rec.region, rec.year, MUNICIPAL_AVG_DIFF_RATE, value,
                       source=f"{parsed.get('source_file')} · sha256 {str(parsed.get('source_sha256'))[:12]}…")
