"""Department names on every import path: normalised, matched to the stored department, near-duplicates
flagged, and new departments created only when the user asks."""
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from analytics import compare, department_names
from analytics.ingest.bulk_import import import_files
from analytics.ingest.messages import issue_table
from analytics.ingest.report_import import ReportImportError, import_report
from analytics.ingest.template import DEPARTMENTS
from analytics.names import DepartmentNames, normalise_name
from analytics.store import Store
from test_bulk_import import digest, frames_2022, workbook_bytes  # noqa: F401  (frames_2022 is a fixture)

COMMERCE = "北京市商务局"
LOOK_ALIKES = {
    "zero-width space": "北京市\u200b商务局",
    "byte-order mark and word joiner": "\ufeff北京市商务\u2060局",
    "full-width space": "北京市\u3000商务局",
    "compatibility ideograph": "\uf963京市商务局",
    "surrounding spaces and a tab": "  北京市商务局\t",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def departments(db):
    store = Store(db, read_only=True)
    try:
        return [r[0] for r in store.rows("SELECT name FROM departments ORDER BY id")]
    finally:
        store.close()


def commerce_frames(frames, name=COMMERCE, department_row=True):
    """The 2022 export cut to the commerce bureau, renamed to ``name`` in every sheet."""
    out = {}
    for key, frame in frames.items():
        if "department" in frame:
            frame = frame[frame["department"] == COMMERCE].copy()
            frame["department"] = name
        out[key] = frame
    if not department_row:
        out["departments"] = out["departments"].iloc[0:0]
    return out


def report_variant(tmp_path, seed_report, name, filename="variant.txt"):
    path = tmp_path / filename
    path.write_text(seed_report.read_text(encoding="utf-8").replace(COMMERCE, name), encoding="utf-8")
    return path


# -- the normal form --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,name", LOOK_ALIKES.items())
def test_look_alikes_normalise_to_the_plain_name(kind, name):
    assert normalise_name(name) == COMMERCE


def test_normal_form_keeps_word_spaces_and_maps_full_width_forms():
    assert normalise_name("Ｂｅｉｊｉｎｇ   Commerce\u00a0Bureau") == "Beijing Commerce Bureau"
    assert normalise_name("北京市第１局（试点）") == "北京市第1局(试点)"
    assert normalise_name("\u200b \u3000") is None and normalise_name(None) is None


def test_matching_maps_look_alikes_and_flags_near_duplicates():
    names = DepartmentNames([("北京市", COMMERCE), ("北京市", "北京市水务局"), ("北京市", "北京市财政局")])
    assert names.resolve("北京市", "北京市\u200b商务局").existing == COMMERCE
    typo = names.resolve("北京市", "北京市商务厅")
    assert typo.existing is None and typo.similar == (COMMERCE,)
    assert names.resolve("北京市", "北京市新设局").similar == ()          # two characters apart: a new name
    assert names.resolve("天津市", "北京市商务厅").similar == ()          # other regions are other departments


# -- template workbooks -------------------------------------------------------------------------------

def test_a_department_sheet_alone_does_not_create_a_department(demo_db, frames_2022):
    frames = commerce_frames(frames_2022)
    extra = frames["departments"].iloc[[0]].assign(department="北京市新设局", short_name="新设局")
    frames["departments"] = pd.concat([frames["departments"], extra])
    before = digest(demo_db)
    refused = import_files(demo_db, [("dept.xlsx", workbook_bytes(frames))])
    assert not refused.accepted and digest(demo_db) == before
    issue = next(i for i in refused.issues if i.code == "unknown_department")
    assert (issue.file, issue.sheet, issue.row, issue.column) == \
        ("dept.xlsx", DEPARTMENTS.name, 3, DEPARTMENTS.column("department").header)
    assert refused.unknown_departments == [("北京市", "北京市新设局")]
    assert "--create-departments" in issue_table(refused.issues, "en")["Problem"].str.cat()
    assert "创建新部门" in issue_table(refused.issues, "zh")["问题"].str.cat()


def test_a_new_department_is_created_when_asked(demo_db, frames_2022):
    frames = commerce_frames(frames_2022, "北京市新设局")
    frames["departments"]["short_name"] = "新设局"
    data = workbook_bytes(frames)
    assert not import_files(demo_db, [("new.xlsx", data)]).accepted
    created = import_files(demo_db, [("new.xlsx", data)], create_departments=True)
    assert created.accepted, issue_table(created.issues, "en")
    store = Store(demo_db, read_only=True)
    assert store.rows("SELECT short_name FROM departments WHERE name = '北京市新设局'") == [("新设局",)]
    store.close()


@pytest.mark.parametrize("kind,name", LOOK_ALIKES.items())
def test_a_look_alike_in_a_workbook_is_the_existing_department(demo_db, frames_2022, kind, name):
    before = departments(demo_db)
    frames = commerce_frames(frames_2022, name)
    result = import_files(demo_db, [("alike.xlsx", workbook_bytes(frames))])
    assert result.accepted, issue_table(result.issues, "en")
    assert result.imported == [("北京市", COMMERCE, 2022)]
    assert departments(demo_db) == before


def test_a_typo_of_an_existing_department_is_flagged_not_created(demo_db, frames_2022):
    data = workbook_bytes(commerce_frames(frames_2022, "北京市商务厅"))
    before = digest(demo_db)
    refused = import_files(demo_db, [("typo.xlsx", data)], create_departments=True)
    assert not refused.accepted and digest(demo_db) == before
    similar = [i for i in refused.issues if i.code == "similar_department"]
    assert similar and {i.sheet for i in similar} == {DEPARTMENTS.name, "评价 (evaluations)"}
    assert all(i.params["existing"] == COMMERCE for i in similar)
    zh = issue_table(refused.issues, "zh")["问题"].str.cat()
    en = issue_table(refused.issues, "en")["Problem"].str.cat()
    assert "北京市商务局" in zh and "北京市商务厅" in zh and "--allow-similar-names" in en
    assert refused.similar_departments == [("北京市", "北京市商务厅", COMMERCE)]
    confirmed = import_files(demo_db, [("typo.xlsx", data)], create_departments=True, allow_similar_names=True)
    assert confirmed.accepted and "北京市商务厅" in departments(demo_db)


def test_allowing_similar_names_still_needs_create_departments(demo_db, frames_2022):
    data = workbook_bytes(commerce_frames(frames_2022, "北京市商务厅", department_row=False))
    refused = import_files(demo_db, [("typo.xlsx", data)], allow_similar_names=True)
    assert not refused.accepted and {i.code for i in refused.issues} == {"unknown_department"}


# -- reports -------------------------------------------------------------------------------------------

def test_a_report_title_does_not_create_a_department_unless_asked(demo_db, seed_report, tmp_path):
    store = Store(demo_db)
    path = report_variant(tmp_path, seed_report, "北京市测试局")
    with pytest.raises(ReportImportError) as refused:
        import_report(store, path)
    assert refused.value.code == "unknown_department" and "北京市测试局" not in departments_of(store)
    assert "--create-departments" in refused.value.message("en") and "北京市测试局" in refused.value.message("zh")
    assert import_report(store, path, create_departments=True).status == "added"
    assert "北京市测试局" in departments_of(store)
    store.close()


def departments_of(store):
    return [r[0] for r in store.rows("SELECT name FROM departments")]


@pytest.mark.parametrize("kind,name", LOOK_ALIKES.items())
def test_a_look_alike_report_title_is_the_existing_department(demo_db, seed_report, tmp_path, kind, name):
    store = Store(demo_db)
    before = departments_of(store)
    outcome = import_report(store, report_variant(tmp_path, seed_report, name), replace=True,
                            create_departments=True)
    assert outcome.department == COMMERCE and outcome.status == "replaced"
    assert departments_of(store) == before
    store.close()


def test_a_typo_in_a_report_title_is_flagged(demo_db, seed_report, tmp_path):
    store = Store(demo_db)
    path = report_variant(tmp_path, seed_report, "北京市商务厅")
    with pytest.raises(ReportImportError) as refused:
        import_report(store, path, create_departments=True)
    assert refused.value.code == "similar_department" and refused.value.params["existing"] == COMMERCE
    assert "北京市商务厅" not in departments_of(store)
    assert import_report(store, path, create_departments=True, allow_similar_names=True).status == "added"
    store.close()


# -- the command line ----------------------------------------------------------------------------------

def run_cli(*args, db):
    return subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "ANALYTICS_DB": str(db)}, timeout=120)


@pytest.mark.parametrize("command", ["import-report", "import"])
def test_the_command_line_creates_report_departments_only_with_the_flag(demo_db, seed_report, tmp_path, command):
    path = str(report_variant(tmp_path, seed_report, "北京市命令行局", "cli.txt"))
    refused = run_cli(command, path, db=demo_db)
    assert refused.returncode == 2 and "北京市命令行局" in refused.stderr and "--create-departments" in refused.stderr
    assert "北京市命令行局" not in departments(demo_db)
    done = run_cli(command, path, "--create-departments", db=demo_db)
    assert done.returncode == 0, done.stderr
    assert "北京市命令行局" in departments(demo_db)


def test_a_department_named_on_the_command_line_is_normalised(demo_db):
    result = run_cli("show", "北京市\u200b商务局", "--year", "2022", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["department"] == COMMERCE


def test_finding_an_evaluation_normalises_the_name(demo_store):
    assert compare.find_evaluation(demo_store, "\uf963京市商务局", 2022) == \
        compare.find_evaluation(demo_store, COMMERCE, 2022)


# -- English names (departments.name_en) ------------------------------------------------------------------------

def _english_names(store) -> dict:
    return dict(store.rows("SELECT name, name_en FROM departments"))


def test_an_evaluation_record_stores_its_departments_english_name(tmp_path):
    """A record's ``department_en`` is stored with a new department, replaces a stored one when given (in
    the normal form of names), and a record without one (or a blank one) keeps what is stored."""
    from analytics import records
    from analytics.domain.loader import shipped_frameworks
    from mixed_frameworks import beijing_record                   # tests/ is on sys.path

    fw = shipped_frameworks()["beijing-2022"][0]
    store = Store(tmp_path / "names.duckdb")

    def insert(name: str, year: int, english) -> None:
        rec = beijing_record(name, 1.0, fw)
        rec.year, rec.department_en = year, english
        with store.transaction() as cur:
            records.insert_evaluation(cur, fw, rec)

    insert("北京市甲局", 2021, "Bureau\u3000A ")
    insert("北京市乙局", 2021, None)
    assert _english_names(store) == {"北京市甲局": "Bureau A", "北京市乙局": None}
    insert("北京市甲局", 2022, None)
    insert("北京市乙局", 2022, "  ")
    assert _english_names(store) == {"北京市甲局": "Bureau A", "北京市乙局": None}
    insert("北京市甲局", 2023, "Bureau A of Beijing")
    assert _english_names(store) == {"北京市甲局": "Bureau A of Beijing", "北京市乙局": None}
    store.close()


NAMES = [("北京市商务局", "Beijing Municipal Commerce Bureau"), ("北京市甲局", None), ("北京市乙局", float("nan")),
         ("北京市丙局", "")]


@pytest.mark.parametrize("lang, shown", [
    ("en", ["Beijing Municipal Commerce Bureau", "北京市甲局", "北京市乙局", "北京市丙局"]),
    ("zh", ["北京市商务局", "北京市甲局", "北京市乙局", "北京市丙局"])])
def test_a_department_is_named_in_english_in_english_where_an_english_name_is_stored(lang, shown):
    """department_names.in_language, what the pages (through shown_name), conclusions and slides call."""
    assert [department_names.in_language(name, name_en, lang) for name, name_en in NAMES] == shown
