"""Batches of reports: a mix of good, duplicate and bad files, loose or in a .zip, from the command line too.
All-or-nothing leaves the database as it was; --valid-only imports the good ones; every file gets its row."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from analytics.ingest.report_batch import file_table, import_reports
from analytics.store import Store
from national_variants import NationalReport
from report_variants import SEED_TEXT, write_docx

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("departments", "year_params", "evaluations", "node_inputs", "node_reported", "data_versions")


def snapshot(db) -> dict:
    store = Store(db, read_only=True)
    try:
        return {table: store.df(f"SELECT * FROM {table} ORDER BY ALL") for table in TABLES}
    finally:
        store.close()


def report(name: str) -> bytes:
    return SEED_TEXT.replace("北京市商务局", name).encode("utf-8")


def mixed_batch(seed_report) -> list[tuple[str, bytes]]:
    return [("good.txt", report("北京市地震局")), ("again.txt", report("北京市地震局")),
            ("stored.txt", seed_report.read_bytes()), ("notes.txt", "会议纪要".encode("utf-8")),
            ("second.txt", report("北京市档案馆"))]


def statuses(result) -> dict[str, str]:
    return {row.name: row.status for row in result.files}


def test_a_batch_with_a_bad_file_writes_nothing_and_says_why_for_each_file(demo_db, seed_report):
    before = snapshot(demo_db)
    result = import_reports(demo_db, mixed_batch(seed_report), create_departments=True)
    assert not result.accepted and result.version_id is None
    assert statuses(result) == {"good.txt": "withheld", "again.txt": "duplicate", "stored.txt": "duplicate",
                                "notes.txt": "rejected", "second.txt": "withheld"}
    table = {row["文件"]: row for row in file_table(result, "zh")}
    assert table["again.txt"]["原因"] == "与 good.txt 相同" and table["stored.txt"]["原因"] == "与已存的报告相同"
    assert table["notes.txt"]["结果"] == "已拒绝" and "找不到" in table["notes.txt"]["原因"]
    assert "could not find" in {row["File"]: row for row in file_table(result, "en")}["notes.txt"]["Reason"]
    after = snapshot(demo_db)
    assert all(before[table].equals(after[table]) for table in TABLES)


def test_valid_only_imports_the_good_files_and_lists_the_rest(demo_db, seed_report):
    seen = []
    result = import_reports(demo_db, mixed_batch(seed_report), create_departments=True, valid_only=True,
                            progress=lambda i, n, name: seen.append((i, n, name)))
    assert result.accepted and result.version_id is not None
    stored = {"added", "replaced"}          # replaced: the demo's synthetic evaluation gives way to a report
    assert {name: "stored" if status in stored else status for name, status in statuses(result).items()} == {
        "good.txt": "stored", "again.txt": "duplicate", "stored.txt": "duplicate", "notes.txt": "rejected",
        "second.txt": "stored"}
    assert seen == [(i, 5, name) for i, (name, _) in enumerate(mixed_batch(seed_report), 1)]
    store = Store(demo_db, read_only=True)
    names = set(store.df("SELECT name FROM departments")["name"])
    store.close()
    assert {"北京市地震局", "北京市档案馆"} <= names


def test_a_zip_of_reports_in_several_formats(demo_db, tmp_path):
    docx_bytes = write_docx(SEED_TEXT.replace("北京市商务局", "北京市气象服务中心"), tmp_path / "c.docx").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("reports/a.txt", report("北京市方志馆"))
        archive.writestr("reports/c.docx", docx_bytes)
        archive.writestr("reports/county.txt", NationalReport().text())
        archive.writestr("reports/readme.md", "not a report")
    files = [("batch.zip", buffer.getvalue()), ("broken.zip", b"PK\x03\x04 not a zip")]
    result = import_reports(demo_db, files, create_departments=True, valid_only=True)
    assert statuses(result) == {"batch.zip/reports/a.txt": "added", "batch.zip/reports/c.docx": "added",
                                "batch.zip/reports/county.txt": "added", "batch.zip/reports/readme.md": "rejected",
                                "broken.zip": "rejected"}
    reasons = {row["File"]: row["Reason"] for row in file_table(result, "en")}
    assert reasons["batch.zip/reports/county.txt"] == ""
    assert "not a readable .zip" in reasons["broken.zip"]


def test_two_reports_of_one_department_year_in_a_batch(demo_db):
    other = SEED_TEXT.replace("北京市商务局", "北京市老龄工作委员会").replace("评价得分为90.73分", "评价得分为90.74分")
    result = import_reports(demo_db, [("a.txt", report("北京市老龄工作委员会")), ("b.txt", other.encode("utf-8"))],
                            create_departments=True)
    assert statuses(result) == {"a.txt": "withheld", "b.txt": "rejected"}
    assert "a.txt" in file_table(result, "en")[1]["Reason"]


def run_cli(*args, db):
    return subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "ANALYTICS_DB": str(db)}, timeout=300)


def test_the_command_line_imports_a_folder_all_or_nothing_or_valid_only(demo_db, seed_report, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, data in mixed_batch(seed_report):
        (folder / name).write_bytes(data)
    before = snapshot(demo_db)
    refused = run_cli("import-report", str(folder), "--create-departments", "--lang", "en", db=demo_db)
    assert refused.returncode == 2 and "[5/5] reading" in refused.stderr
    assert "rejected" in refused.stderr and "notes.txt" in refused.stderr and "nothing was written" in refused.stderr
    after = snapshot(demo_db)
    assert all(before[table].equals(after[table]) for table in TABLES)
    done = run_cli("import-report", str(folder), "--create-departments", "--valid-only", db=demo_db)
    assert done.returncode == 0, done.stderr
    assert ("已导入" in done.stdout or "已替换" in done.stdout) and "已拒绝" in done.stdout
    assert "重复，已跳过" in done.stdout and "notes.txt" in done.stdout


def test_the_command_line_imports_a_national_report_on_the_national_framework(demo_db, tmp_path):
    path = tmp_path / "county.txt"
    path.write_text(NationalReport(department="示例县卫生健康局").text(), encoding="utf-8")
    done = run_cli("import-report", str(path), "--create-departments", "--lang", "en", db=demo_db)
    assert done.returncode == 0 and "imported" in done.stdout, done.stderr
    store = Store(demo_db, read_only=True)
    stored = store.rows("SELECT e.framework_id, s.reported_total FROM evaluations e JOIN departments d "
                        "ON d.id = e.department_id JOIN evaluation_scores s ON s.evaluation_id = e.id "
                        "WHERE d.name = '示例县卫生健康局' AND e.year = 2023")
    store.close()
    assert stored == [("national-self-evaluation", NationalReport().expected()["score_total"])]


def test_an_empty_archive_is_rejected_with_its_reason(demo_db):
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    before = snapshot(demo_db)
    result = import_reports(demo_db, [("empty.zip", empty.getvalue())], create_departments=True)
    assert not result.accepted and statuses(result) == {"empty.zip": "rejected"}
    assert file_table(result, "en")[0]["Reason"] == "empty.zip: the archive holds no files"
    after = snapshot(demo_db)
    assert all(before[table].equals(after[table]) for table in TABLES)
