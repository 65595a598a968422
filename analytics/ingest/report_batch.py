"""Several report files (text, .docx or .pdf, loose or in .zip archives) imported together as one version.

Every file gets a row: added or replaced, a duplicate (of a stored report or of an earlier file of the
batch), rejected with the reason, or withheld (valid, but its batch was rejected).  By default the batch is
all-or-nothing: one rejected file and nothing is written.  With ``valid_only`` the valid files are imported
and the rejected ones listed.
"""
from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from analytics.i18n import DEFAULT_LANGUAGE, t
from analytics.ingest.report_errors import CodedRefusal
from analytics.ingest.report_import import ImportOutcome, ReportImportError, import_report
from analytics.ingest.report_parser import ReportParseError, parse_report
from analytics.store import Store
from analytics.versions import Change, new_version

REPORT_SUFFIXES = (".txt", ".docx", ".pdf")
ARCHIVE_SUFFIX = ".zip"
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024     # unpacked size of one archive's reports


@dataclass
class FileRow:
    name: str
    status: str                                   # added, replaced, duplicate, rejected, withheld
    department: str | None = None
    year: int | None = None
    error: Exception | None = None                # why it was rejected (messages.error_text words it)
    duplicate_of: str | None = None               # the earlier file of the batch it repeats


@dataclass
class ReportBatchResult:
    accepted: bool
    errors: dict = field(default_factory=dict)         # file name -> the error (messages.error_text words it)
    outcomes: list[ImportOutcome] = field(default_factory=list)
    version_id: int | None = None
    files: list[FileRow] = field(default_factory=list)


class BatchFileError(CodedRefusal):
    """A file of the batch that cannot be one of its reports (code and params, worded at the edge)."""


def is_report(name: str) -> bool:
    return name.lower().endswith(REPORT_SUFFIXES + (ARCHIVE_SUFFIX,))


def unpacked(files: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[FileRow]]:
    """The report files, those inside archives named "archive.zip/inner.pdf"; rows for what cannot be one."""
    reports, rejected = [], []
    for name, data in files:
        if not name.lower().endswith(ARCHIVE_SUFFIX):
            reports.append((name, data))
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
                if not members:
                    raise BatchFileError("archive_empty", file=name)
                if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
                    raise BatchFileError("archive_too_large", file=name, limit_mb=MAX_ARCHIVE_BYTES // 2 ** 20)
                for member in members:
                    inner = f"{name}/{member.filename}"
                    if member.filename.lower().endswith(REPORT_SUFFIXES):
                        reports.append((inner, archive.read(member)))
                    else:
                        error = BatchFileError("not_a_report_file", file=inner)
                        rejected.append(FileRow(inner, "rejected", error=error))
        except BatchFileError as error:
            rejected.append(FileRow(name, "rejected", error=error))
        except (zipfile.BadZipFile, OSError, ValueError):
            rejected.append(FileRow(name, "rejected", error=BatchFileError("archive_unreadable", file=name)))
    return reports, rejected


def stored_reports(db_path: Path) -> set[str]:
    """The sha256 of every report file the database holds (a real, not synthetic, evaluation's source)."""
    store = Store(Path(db_path), read_only=True)
    try:
        return {sha for (sha,) in store.rows("SELECT source_sha256 FROM evaluations WHERE source_kind <> 'synthetic' "
                                             "AND source_sha256 IS NOT NULL")}
    finally:
        store.close()


def _check(paths: dict[str, Path], data: dict[str, bytes], rows: dict[str, FileRow], stored: set[str],
           progress: Callable[[int, int, str], None] | None) -> None:
    """Parse every file; a copy of a stored report or of an earlier file, or a second report of a
    department-year, is marked."""
    seen_sha: dict[str, str] = {}
    seen_year: dict[tuple, str] = {}
    for i, (name, path) in enumerate(paths.items(), 1):
        if progress:
            progress(i, len(paths), name)
        sha = hashlib.sha256(data[name]).hexdigest()
        if sha in stored:
            rows[name] = FileRow(name, "duplicate")
            continue
        if sha in seen_sha:
            rows[name] = FileRow(name, "duplicate", duplicate_of=seen_sha[sha])
            continue
        seen_sha[sha] = name
        try:
            parsed = parse_report(path)
        except ReportParseError as error:
            rows[name] = FileRow(name, "rejected", error=error)
            continue
        key = (parsed["department"], parsed["year"])
        if key in seen_year:
            rows[name] = FileRow(name, "rejected", *key, error=BatchFileError(
                "same_department_year", file=name, other=seen_year[key], department=key[0], year=key[1]))
            continue
        seen_year[key] = name
        rows[name] = FileRow(name, "withheld", *key)


class _Rejected(Exception):
    """Leaves the draft version unwritten when a file of an all-or-nothing batch cannot be stored."""


def import_reports(db_path: Path, files: list[tuple[str, bytes]], note: str = "", replace: bool = False,
                   create_departments: bool = False, allow_similar_names: bool = False,
                   replace_parameters: bool = False, valid_only: bool = False, region: str | None = None,
                   progress: Callable[[int, int, str], None] | None = None) -> ReportBatchResult:
    """Import reports as one version; the options mean what they mean for ``import_report``.
    ``progress(i, n, name)`` is called as each file is read."""
    reports, rejected = unpacked(files)
    rows: dict[str, FileRow] = {row.name: row for row in rejected}
    with tempfile.TemporaryDirectory(prefix="reports-") as folder:
        paths, data = {}, dict(reports)
        for i, (name, content) in enumerate(reports):
            path = Path(folder) / str(i) / Path(name).name
            path.parent.mkdir()
            path.write_bytes(content)
            paths[name] = path
        _check(paths, data, rows, stored_reports(db_path), progress)
        valid = [name for name in paths if rows[name].status == "withheld"]
        if any(row.status == "rejected" for row in rows.values()) and not valid_only:
            return _result(False, rows, [], None)
        change = Change("import", note, [{"name": n, "sha256": hashlib.sha256(data[n]).hexdigest()} for n in valid])
        outcomes: list[ImportOutcome] = []
        try:
            with new_version(Path(db_path), change) as draft:
                for name in valid:
                    try:
                        outcome = import_report(
                            draft.store, paths[name], region=region, replace=replace,
                            create_departments=create_departments,
                            allow_similar_names=allow_similar_names, replace_parameters=replace_parameters)
                    except ReportImportError as error:
                        rows[name] = FileRow(name, "rejected", rows[name].department, rows[name].year, error)
                        continue
                    outcomes.append(outcome)
                    status = "duplicate" if outcome.status == "unchanged" else outcome.status
                    rows[name] = FileRow(name, status, outcome.department, outcome.year)
                if not valid_only and any(row.status == "rejected" for row in rows.values()):
                    raise _Rejected
        except _Rejected:
            for name in valid:
                if rows[name].status != "rejected":
                    rows[name] = FileRow(name, "withheld", rows[name].department, rows[name].year)
            return _result(False, rows, [], None)
        return _result(True, rows, outcomes, draft.version_id)


def _result(accepted: bool, rows: dict[str, FileRow], outcomes: list[ImportOutcome],
            version_id: int | None) -> ReportBatchResult:
    return ReportBatchResult(accepted, {name: row.error for name, row in rows.items() if row.status == "rejected"},
                             outcomes, version_id, list(rows.values()))


def reason_text(row: FileRow, lang: str = DEFAULT_LANGUAGE) -> str:
    if row.error is not None:
        return row.error.message(lang)
    if row.status == "duplicate":
        return t("batch_duplicate_of", lang, file=row.duplicate_of) if row.duplicate_of else \
            t("batch_duplicate_stored", lang)
    return ""


def file_table(result: ReportBatchResult, lang: str = DEFAULT_LANGUAGE) -> list[dict[str, str]]:
    """One row per file, its columns named in the user's language: file, result, department, year, reason."""
    return [{t("batch_col_file", lang): row.name, t("batch_col_status", lang): t(f"batch_status_{row.status}", lang),
             t("batch_col_department", lang): row.department or "",
             t("batch_col_year", lang): "" if row.year is None else str(row.year),
             t("batch_col_reason", lang): reason_text(row, lang)} for row in result.files]
