"""Exports are built in the background with progress and kept per data version: the second ask, from any
session, is instant; a new data version builds anew; a build that fails says why and is not kept."""
import io
import time

from openpyxl import load_workbook

from analytics.background import JOBS
from analytics.domain.synthetic_county import COUNTY_ZH
from analytics.ingest.template import EVALUATIONS
from analytics.store import Store
from apptest import open_app


def wait(job, seconds=240):
    deadline = time.monotonic() + seconds
    while not job.done and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.done


def export_jobs():
    return [job for key, job in list(JOBS._jobs.items()) if key[0] == "export_xlsx"]


def test_the_data_page_builds_the_export_in_the_background_and_offers_it_again_at_once(demo_db, monkeypatch):
    monkeypatch.delenv("ANALYTICS_ADMIN_PASSWORD", raising=False)
    at = open_app(monkeypatch, demo_db, "data")
    assert not [b for b in at.get("download_button") if "export" in b.proto.id]
    at.button(key="prepare_export_xlsx").click().run()
    assert not at.exception
    jobs = [job for job in export_jobs() if str(demo_db) in job.identity]
    assert len(jobs) == 1
    wait(jobs[0])
    at.run()
    assert any(b.proto.label == "导出 Excel（模板格式，可重新导入）" for b in at.get("download_button"))
    book = load_workbook(io.BytesIO(jobs[0].result), read_only=True)
    regions = {row[0] for row in book[EVALUATIONS.name].iter_rows(min_row=2, values_only=True)}
    assert COUNTY_ZH in regions and "北京市" in regions

    # another session, same data version: the file is offered at once, nothing is built again
    other = open_app(monkeypatch, demo_db, "data")
    assert any(b.proto.label == "导出 Excel（模板格式，可重新导入）" for b in other.get("download_button"))
    assert [job for job in export_jobs() if str(demo_db) in job.identity] == jobs

    # a new data version: the old file is not offered
    store = Store(demo_db, read_only=True)
    version = store.scalar("SELECT max(id) FROM data_versions")
    store.close()
    assert jobs[0].identity[2] == version
    from analytics import versions
    with versions.new_version(demo_db, versions.Change("delete", "test")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("DELETE FROM year_params WHERE year = 2018")
    fresh = open_app(monkeypatch, demo_db, "data")
    assert not [b for b in fresh.get("download_button") if "export" in b.proto.id]
    assert [b for b in fresh.button if b.key == "prepare_export_xlsx"]


def test_an_export_that_fails_says_why_and_is_built_again_when_asked(demo_db, monkeypatch):
    """A workbook too large for Excel is said in the user's words, with the button to try again; the next
    try builds (nothing of the failure is kept)."""
    from analytics.ingest import export
    calls = []

    def export_bytes(db_path, kind, year, lang, report):
        calls.append(kind)
        if len(calls) == 1:
            raise export.TooLargeForExcel("评价", 2_000_000)
        report(0.5, "export_writing", sheet="评价")
        return b"xlsx"
    monkeypatch.setattr(export, "export_bytes", export_bytes)
    monkeypatch.delenv("ANALYTICS_ADMIN_PASSWORD", raising=False)
    at = open_app(monkeypatch, demo_db, "data")

    def settle():
        deadline = time.monotonic() + 30
        while at.get("progress"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
            at.run()
    at.button(key="prepare_export_xlsx").click().run()
    settle()
    assert "2,000,000" in at.get("error")[0].proto.body and "Excel" in at.get("error")[0].proto.body
    assert not [b for b in at.get("download_button") if "export" in b.proto.id]
    at.button(key="prepare_export_xlsx").click().run()
    settle()
    assert not at.get("error") and len(calls) == 2
    assert [b for b in at.get("download_button") if "download_export_xlsx" in b.proto.id]
