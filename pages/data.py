"""数据管理 / Data: versions and their changes, template and export downloads for everyone; import,
restore and delete behind the admin password.  Every change is written as a new data version
(analytics.versions), so users viewing other pages never meet a lock or half-written data."""
import hashlib
import io
import json

import pandas as pd
import streamlit as st

from analytics import catalog, compare, framework_import, i18n, versions
from analytics.domain.messages import describe
from analytics.ingest.bulk_import import check_files, import_files
from analytics.ingest.export import TooLargeForExcel, export_bytes, write_template
from analytics.ingest.messages import change_detail_text, issue_table, notice_text
from analytics.ingest.report_batch import file_table, import_reports, is_report
from analytics.escape import markdown, spreadsheet_frame
from analytics.i18n import t
from analytics.paths import database_path
from analytics.records import delete_evaluation
from analytics.store import StoreError
from pages import admin_gate
from pages.background import background_download
from pages.common import (department_name_format, language, load, page_start, searchable_table, shown_departments,
                          synthetic_notice, tr)
from pages.common import shown_regions

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

db = page_start("page_data")
synthetic_notice(catalog.synthetic_evaluations(load(catalog.source_overview)))


def _word(prefix: str, value, untranslated: str | None = None) -> str:
    """A stored code (a version kind, a change) in the user's language; one without a translation as stored."""
    key = f"{prefix}_{value}"
    return tr(key) if key in i18n.TEXT else (str(value) if untranslated is None else untranslated)


def _files_text(raw: str | None) -> str:
    files = json.loads(raw) if raw else []
    return "; ".join(f"{f['name']} ({str(f['sha256'])[:12] if f.get('sha256') else tr('not_recorded')})"
                     for f in files)


def _versions_table(frame: pd.DataFrame) -> pd.DataFrame:
    view = frame.copy()
    view["files"] = view["files"].map(_files_text)
    view["note"] = [note or _word("version_note", kind, "") for note, kind in zip(view["note"], view["kind"])]
    view["kind"] = view["kind"].map(lambda kind: _word("version_kind", kind))
    view["unrestorable"] = view["unrestorable"].fillna("")
    names = {"id": "version_id", "created_at": "version_created_at", "kind": "version_kind", "note": "version_note",
             "files": "version_files", "rows_added": "version_added", "rows_changed": "version_changed",
             "rows_removed": "version_removed", "unrestorable": "version_unrestorable"}
    return view[list(names)].rename(columns={k: tr(v) for k, v in names.items()})


def _changes_table(frame: pd.DataFrame) -> pd.DataFrame:
    view = shown_regions(shown_departments(frame)).assign(change=frame["change"].map(lambda change: _word("change", change)),
                        detail=frame["detail"].map(lambda codes: "、".join(change_detail_text(codes, language()))))
    return view.rename(columns={"region": tr("region"), "department": tr("department"), "year": tr("year"),
                                "change": tr("change_kind"), "detail": tr("change_detail")})


def _audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    view = frame.assign(action=frame["action"].map(lambda action: _word("version_kind", action)))
    return view.rename(columns={"id": tr("audit_id"), "logged_at": tr("audit_logged_at"), "action": tr("audit_action"),
                                "version_id": tr("version_id"), "detail": tr("audit_detail")})


def show_versions() -> pd.DataFrame:
    st.subheader(tr("data_versions"))
    listed = load(versions.list_versions)
    searchable_table(_versions_table(listed), "versions_table")
    if listed.empty:
        return listed
    chosen = st.selectbox(tr("data_choose_version"), listed["id"].tolist(), key="version")
    changes = load(versions.version_changes, int(chosen))
    st.caption(tr("data_version_changes"))
    if changes.empty:
        st.info(tr("data_no_changes"))
    else:
        searchable_table(_changes_table(changes), "version_changes")
    with st.expander(tr("data_audit_log")):
        searchable_table(_audit_table(load(versions.audit_log)), "audit_log")
    return listed


def data_page_template(store, with_example: bool) -> bytes:
    buffer = io.BytesIO()
    write_template(buffer, store if with_example else None)
    return buffer.getvalue()


def _export(kind: str, year, lang: str):
    """The builder of an export for the background: a workbook too large for Excel says so in words."""
    def build(report) -> bytes:
        try:
            return export_bytes(database_path(), kind, year, lang, report)
        except TooLargeForExcel as error:
            raise ValueError(t("data_export_too_large", lang, rows=error.rows)) from error
    return build


def show_downloads() -> None:
    st.subheader(tr("data_downloads"))
    left, right = st.columns(2)
    left.download_button(tr("data_template_blank"), load(data_page_template, False), "template.xlsx", XLSX,
                         key="tpl_blank")
    right.download_button(tr("data_template_example"), load(data_page_template, True), "template-example.xlsx",
                          XLSX, key="tpl_example")
    years = compare.years(db)
    scope = st.selectbox(tr("data_export_scope"), [0, *years[::-1]], key="export_year",
                         format_func=lambda y, everything=tr("data_export_all"): everything if y == 0 else str(y))
    year, suffix = (None, "all") if scope == 0 else (scope, str(scope))
    version = (str(database_path()), db.scalar("SELECT max(id) FROM data_versions"))
    left, right = st.columns(2)
    with left:
        background_download("export_xlsx", ("export_xlsx", *version, year, language()),
                            _export("xlsx", year, language()), f"export-{suffix}.xlsx", XLSX,
                            tr("data_prepare_xlsx"), tr("data_export_xlsx"))
    with right:
        background_download("export_parquet", ("export_parquet", *version, year), _export("parquet", year, "zh"),
                            f"export-{suffix}-parquet.zip", "application/zip", tr("data_prepare_parquet"),
                            tr("data_export_parquet"))


def _frameworks_table(frame: pd.DataFrame) -> pd.DataFrame:
    lang = language()
    view = shown_regions(frame).assign(name=frame["name_en" if lang == "en" else "name_zh"],
                        years=[f"{first:.0f}–{last:.0f}" if first == first and first is not None else "—"
                               for first, last in zip(frame["first_year"], frame["last_year"])])
    names = {"code": "data_fw_code", "name": "framework", "version": "data_fw_version", "region": "region",
             "indicators": "data_fw_indicators", "open_groups": "data_fw_open_groups",
             "evaluations": "data_fw_evaluations", "years": "data_fw_years"}
    return view[list(names)].rename(columns={k: tr(v) for k, v in names.items()})


def show_frameworks(box) -> None:
    """The stored frameworks, in ``box`` (filled last, so a framework imported in this run is listed)."""
    box.subheader(tr("data_frameworks"))
    with box:
        searchable_table(_frameworks_table(load(framework_import.stored_list)), "frameworks_table")


def show_framework_import() -> None:
    st.markdown(f"**{tr('data_framework_import')}**")
    upload = st.file_uploader(tr("data_framework_upload"), type=["xlsx", "json"], key="framework_upload")
    if upload is None or not st.button(tr("data_framework_confirm"), key="framework_confirm", type="primary"):
        return
    data = upload.getvalue()
    done = framework_import.import_framework(database_path(), upload.name, data, hashlib.sha256(data).hexdigest(),
                                             st.session_state.get("note") or "")
    problems = [describe(issue, language()) for issue in done.issues]
    if done.framework is None:
        st.error(tr("data_framework_refused", count=len(problems)))
    elif done.in_use is not None:
        st.error(tr("cli_framework_in_use", code=done.in_use.code, count=done.in_use.evaluations))
    elif done.unchanged:
        st.info(tr("cli_framework_unchanged", code=done.framework.code, version=done.framework.version))
    else:
        st.success(tr("cli_framework_stored", code=done.framework.code, version=done.framework.version,
                      indicators=len(done.framework.leaves()), data_version=done.version_id))
    if problems:
        st.dataframe(pd.DataFrame({tr("issue_message"): problems}), hide_index=True, width="stretch",
                     key="framework_problems")


def admin_signed_in() -> bool:
    st.subheader(tr("data_admin"))
    if admin_gate.configured_password() is None:
        st.info(tr("data_admin_disabled"))
        return False
    if admin_gate.signed_in():
        if st.button(tr("data_logout"), key="logout"):
            st.session_state["admin"] = False
            st.rerun()
        return True
    given = st.text_input(tr("data_password"), type="password", key="password")
    if st.button(tr("data_login"), key="login"):
        outcome = admin_gate.check_password(given)
        if outcome.code == "ok":
            st.session_state["admin"] = True
            st.rerun()
        for message in admin_gate.refusals(outcome):
            st.error(message)
    return False


def show_import() -> None:
    uploads = st.file_uploader(tr("data_upload"), type=["xlsx", "csv", "txt", "docx", "pdf", "zip"],
                               accept_multiple_files=True,
                               key="upload")
    note = st.text_input(tr("data_note"), key="note")
    valid_only = st.checkbox(tr("data_valid_rows_only"), key="valid_rows_only")
    create = st.checkbox(tr("data_create_departments"), key="create_departments")
    allow_similar = st.checkbox(tr("data_allow_similar_names"), key="allow_similar_names")
    replace = st.checkbox(tr("data_replace_reports"), key="replace_reports")
    replace_parameters = st.checkbox(tr("data_replace_parameters"), key="replace_parameters")
    if not uploads:
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    reports = [is_report(name) for name, _ in files]
    if any(reports) and not all(reports):
        st.error(tr("data_mixed"))
        return
    if all(reports):
        region = st.selectbox(tr("data_report_region"), [None, *load(compare.regions)], key="report_region",
                              format_func=lambda name: tr("data_report_region_auto") if name is None else name,
                              help=tr("data_report_region_help"))
        if st.button(tr("data_confirm"), key="confirm_reports", type="primary"):
            _import_report_batch(files, note, valid_only, replace, create, allow_similar, replace_parameters, region)
        return
    result, _ = check_files(database_path(), files, valid_only, create, allow_similar)
    _validation_report(result)
    if result.accepted and st.button(tr("data_confirm"), key="confirm_import", type="primary"):
        done = import_files(database_path(), files, note, valid_only, create, allow_similar)
        _done(len(done.imported), done.version_id, [change.notice() for change in done.parameter_changes])


def _import_report_batch(files, note, valid_only, replace, create, allow_similar, replace_parameters,
                         region: str | None) -> None:
    """Reports (.zip archives unpacked) imported as one version with a progress bar, then one row per file;
    into ``region``, or (None) the region of each report's framework."""
    bar = st.progress(0.0)
    result = import_reports(database_path(), files, note, replace, create, allow_similar, replace_parameters,
                            valid_only=valid_only, region=region, progress=lambda i, n, name: bar.progress(
                                i / n, text=markdown(tr("batch_progress", i=i, n=n, file=name))))
    bar.empty()
    if not result.accepted:
        st.error(tr("batch_rejected", count=len(result.errors)))
    else:
        _done(len(result.outcomes), result.version_id,
              [finding for outcome in result.outcomes for finding in outcome.findings])
    st.dataframe(pd.DataFrame(file_table(result, language())), hide_index=True, width="stretch", key="report_files")


def _validation_report(result) -> None:
    if result.issues:
        table = issue_table(result.issues, language())
        skippable = {i.evaluation for i in result.issues if i.evaluation is not None}
        if result.accepted:
            st.warning(tr("data_report_skippable", count=len(result.issues), rows=len(skippable)))
        elif all(i.evaluation is not None for i in result.issues):
            st.error(tr("data_report_skippable", count=len(result.issues), rows=len(skippable)))
        else:
            st.error(tr("data_report_issues", count=len(result.issues)))
        if result.unknown_departments:
            st.text(t("data_unknown_departments", language(), names="、".join(n for _, n in result.unknown_departments)))
        if result.similar_departments:
            st.text(t("data_similar_departments", language(),
                      names="；".join(f"{name} ≈ {known}" for _, name, known in result.similar_departments)))
        st.dataframe(table, hide_index=True, width="stretch")
        buffer = io.BytesIO()
        spreadsheet_frame(table).to_excel(buffer, index=False)
        st.download_button(tr("data_download_report"), buffer.getvalue(), "validation-report.xlsx", XLSX,
                           key="report_download")
    if result.accepted:
        st.success(tr("data_report_ok", count=len(result.imported)))


def _done(count: int, version_id: int | None, findings: list) -> None:
    if version_id is None:
        st.info(tr("data_unchanged", count=count))
    else:
        st.success(tr("data_imported", count=count, version=version_id))
    if findings:
        st.caption(tr("data_findings"))
        st.text("\n".join(notice_text(finding, language()) for finding in findings))


def show_restore(listed: pd.DataFrame) -> None:
    if listed.empty:
        return
    chosen = int(st.session_state.get("version", listed["id"].iloc[0]))
    st.markdown(f"**{tr('data_restore')}**")
    reason = listed.loc[listed["id"] == chosen, "unrestorable"].dropna()
    if not reason.empty:
        st.text(f"{tr('version_unrestorable')}: {reason.iloc[0]}")
    sure = st.checkbox(tr("data_confirm_check"), key="restore_sure")
    if st.button(f"{tr('data_restore')} ({tr('version_id')} {chosen})", key="restore",
                 disabled=not sure or not reason.empty):
        try:
            new_id = versions.restore(database_path(), chosen)
        except StoreError as error:
            st.error(str(error))
            return
        st.success(tr("data_restored", old=chosen, new=new_id) if new_id else
                   tr("data_restore_unchanged", old=chosen))


def show_delete() -> None:
    st.markdown(f"**{tr('data_delete')}**")
    region = compare.default_region(db)
    year = st.selectbox(tr("year"), compare.years(db, region)[::-1], key="delete_year")
    names = compare.ranking(db, year, region)["department"].tolist()
    department = st.selectbox(tr("department"), names, key="delete_department", format_func=department_name_format())
    sure = st.checkbox(tr("data_confirm_check"), key="delete_sure")
    if st.button(tr("data_delete_button"), key="delete", disabled=not sure):
        change = versions.Change("delete", f"{department} {year}")
        with versions.new_version(database_path(), change) as draft:
            with draft.store.transaction() as cur:
                delete_evaluation(cur, region, department, year)
        st.success(tr("data_deleted", version=draft.version_id))


listed = show_versions()
frameworks_box = st.container()
show_downloads()
if admin_signed_in():
    show_import()
    show_framework_import()
    show_restore(listed)
    show_delete()
show_frameworks(frameworks_box)
