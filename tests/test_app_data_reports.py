"""The data page imports a batch of reports (.txt, .docx, .pdf, .zip): progress, then one row per file
(imported, skipped as duplicate, rejected with the reason); all-or-nothing unless "valid only" is ticked."""
from __future__ import annotations

import io
import zipfile

from analytics.store import Store
from apptest import open_app
from national_variants import NationalReport
from report_variants import SEED_TEXT
from test_report_batch import TABLES, snapshot

PASSWORD = "s3cret-测试"


def signed_in(demo_db, monkeypatch, lang: str | None = None):
    monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", PASSWORD)
    at = open_app(monkeypatch, demo_db, "data", **({"lang": lang} if lang else {}))
    at.text_input(key="password").input(PASSWORD)
    at.button(key="login").click().run()
    return at


def batch(seed_report) -> list[tuple[str, bytes, str]]:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("in/<b>notes</b>.txt", "会议纪要，不是报告。".encode("utf-8"))
    good = SEED_TEXT.replace("北京市商务局", "北京市测试局").encode("utf-8")
    return [("good.txt", good, "text/plain"), ("seed.txt", seed_report.read_bytes(), "text/plain"),
            ("bad.zip", archive.getvalue(), "application/zip")]


def upload(at, files, columns=("文件", "结果", "部门", "年度", "原因")):
    at.file_uploader(key="upload").set_value(files).run()
    at.checkbox(key="create_departments").check().run()
    at.button(key="confirm_reports").click().run()
    assert not at.exception, at.exception
    return next(d.value for d in at.dataframe if tuple(d.value.columns) == columns)


def test_a_rejected_batch_lists_every_file_and_writes_nothing(demo_db, seed_report, monkeypatch):
    at = signed_in(demo_db, monkeypatch)
    before = snapshot(demo_db)
    table = upload(at, batch(seed_report)).set_index("文件")
    assert table["结果"].to_dict() == {"good.txt": "未导入（本批被拒绝）", "seed.txt": "重复，已跳过",
                                      "bad.zip/in/<b>notes</b>.txt": "已拒绝"}
    assert "找不到" in table.loc["bad.zip/in/<b>notes</b>.txt", "原因"]
    assert [e.value for e in at.error if "未写入任何数据" in e.value]
    after = snapshot(demo_db)
    assert all(before[name].equals(after[name]) for name in TABLES)


def test_valid_only_imports_the_good_file_and_lists_the_rest(demo_db, seed_report, monkeypatch):
    at = signed_in(demo_db, monkeypatch, "en")
    at.checkbox(key="valid_rows_only").check().run()
    table = upload(at, batch(seed_report), ("File", "Result", "Department", "Year", "Reason")).set_index("File")
    assert table["Result"].to_dict() == {"good.txt": "imported", "seed.txt": "skipped as duplicate",
                                        "bad.zip/in/<b>notes</b>.txt": "rejected"}
    assert "could not find" in table.loc["bad.zip/in/<b>notes</b>.txt", "Reason"]
    assert [s.value for s in at.success if "version" in s.value.lower()], [s.value for s in at.success]
    store = Store(demo_db, read_only=True)
    assert store.scalar("SELECT count(*) FROM departments WHERE name = '北京市测试局'") == 1
    store.close()


def test_the_uploader_takes_pdf_and_zip(demo_db, monkeypatch):
    at = signed_in(demo_db, monkeypatch)
    accepted = set(at.file_uploader(key="upload").proto.type)
    assert {".txt", ".docx", ".pdf", ".zip"} <= accepted


def test_a_national_report_goes_into_the_region_chosen(demo_db, monkeypatch):
    county = Store(demo_db, read_only=True)
    region = county.scalar("SELECT value FROM meta WHERE key = 'synthetic_county'")
    county.close()
    report = NationalReport(department="县测试局", year=2023)
    at = signed_in(demo_db, monkeypatch)
    at.file_uploader(key="upload").set_value([("national.txt", report.text().encode("utf-8"), "text/plain")]).run()
    assert at.selectbox(key="report_region").value is None          # by default, the framework's own region
    at.selectbox(key="report_region").set_value(region).run()
    at.checkbox(key="create_departments").check().run()
    at.button(key="confirm_reports").click().run()
    assert not at.exception, at.exception
    store = Store(demo_db, read_only=True)
    stored = store.rows("""SELECT d.region, s.reported_total FROM evaluations e JOIN departments d ON d.id = e.department_id
                           JOIN evaluation_scores s ON s.evaluation_id = e.id WHERE d.name = '县测试局'""")
    store.close()
    assert stored == [(region, report.expected()["score_total"])]
