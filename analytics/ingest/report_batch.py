"""Several report files (text, .docx or .pdf) imported together: all parse, or none is written."""
from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from analytics.ingest.report_import import ImportOutcome, ReportImportError, import_report
from analytics.ingest.report_parser import ReportParseError, parse_report
from analytics.versions import Change, new_version

REPORT_SUFFIXES = (".txt", ".docx", ".pdf")


@dataclass
class ReportBatchResult:
    accepted: bool
    errors: dict = field(default_factory=dict)         # file name -> the error (messages.error_text words it)
    outcomes: list[ImportOutcome] = field(default_factory=list)
    version_id: int | None = None


def is_report(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES)


def import_reports(db_path: Path, files: list[tuple[str, bytes]], note: str = "", replace: bool = False,
                   create_departments: bool = False, allow_similar_names: bool = False,
                   replace_parameters: bool = False) -> ReportBatchResult:
    """Import reports as one version; the options mean what they mean for ``import_report``."""
    with tempfile.TemporaryDirectory(prefix="reports-") as folder:
        paths = []
        for name, data in files:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            paths.append(path)
        errors = {}
        for path in paths:
            try:
                parse_report(path)
            except ReportParseError as error:
                errors[path.name] = error
        if errors:
            return ReportBatchResult(False, errors)
        change = Change("import", note, [{"name": n, "sha256": hashlib.sha256(d).hexdigest()} for n, d in files])
        outcomes, current = [], None
        try:
            with new_version(Path(db_path), change) as draft:
                for path in paths:
                    current = path.name
                    outcomes.append(import_report(
                        draft.store, path, replace=replace, create_departments=create_departments,
                        allow_similar_names=allow_similar_names, replace_parameters=replace_parameters))
        except ReportImportError as error:
            return ReportBatchResult(False, {current: error})
        return ReportBatchResult(True, {}, outcomes, draft.version_id)
