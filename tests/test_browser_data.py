"""Imports through the app and beside it, with real Chromium and a real `streamlit run`."""
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from analytics.ingest.export import export_frames, write_workbook
from analytics.store import Store
from live_app import ROOT, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "browser-test-密码"


@pytest.fixture
def admin_app(demo_db_master, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db_master, db)
    url, proc = start_server(db, {"ANALYTICS_ADMIN_PASSWORD": PASSWORD})
    yield url, db
    stop_server(proc)


def new_department_workbook(db, tmp_path, name):
    store = Store(db, read_only=True)
    frames = export_frames(store, 2022)
    store.close()
    keep = frames["evaluations"]["department"] == "北京市商务局"
    frames["evaluations"] = frames["evaluations"][keep].replace({"北京市商务局": name})
    frames["evaluations"]["source_kind"] = "import"
    frames["indicator_scores"] = frames["indicator_scores"][frames["indicator_scores"]["department"] == "北京市商务局"] \
        .replace({"北京市商务局": name})
    frames["departments"] = frames["departments"].iloc[0:0]
    path = tmp_path / "upload.xlsx"
    write_workbook(frames, path)
    return path


def test_upload_validate_confirm_and_find_it_on_the_rankings(page: Page, admin_app, tmp_path, screenshot_dir):
    url, db = admin_app
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/data")          # a page link as the very first request of a fresh server
    wait_for_app(page)
    expect(page.get_by_role("link", name="排名总览")).to_be_visible()    # app.py's navigation, not the file list
    page.locator("input[type='password']").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.locator("input[type='file']").first.set_input_files(str(new_department_workbook(db, tmp_path, "北京市上传测试局")))
    wait_for_app(page)
    expect(page.get_by_text("北京市上传测试局").first).to_be_visible(timeout=30000)   # the report names it
    page.get_by_text("创建新部门", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("校验通过")).to_be_visible(timeout=30000)
    page.screenshot(path=str(screenshot_dir / "data-validated.png"), full_page=True)
    page.get_by_role("button", name="确认导入").click()
    wait_for_app(page)
    expect(page.get_by_text("已导入 1 条评价")).to_be_visible(timeout=30000)
    page.goto(f"{url}/rankings?year=2022")
    wait_for_app(page)
    expect(page.get_by_text("北京市上传测试局").first).to_be_attached(timeout=30000)


def test_a_command_line_import_while_the_app_serves_users(page: Page, admin_app, seed_report, tmp_path):
    url, db = admin_app
    page.goto(f"{url}/rankings?year=2022")
    wait_for_app(page)
    expect(page.get_by_text("北京市商务局").first).to_be_attached(timeout=30000)
    report = tmp_path / "并行导入.txt"
    report.write_text(seed_report.read_text(encoding="utf-8").replace("北京市商务局", "北京市并行导入局"), encoding="utf-8")
    env = {"ANALYTICS_DB": str(db)}
    bad = tmp_path / "bad.txt"
    bad.write_text("不是报告", encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "analytics", "import-report", str(bad)], cwd=ROOT,
                            capture_output=True, text=True, env={**__import__("os").environ, **env})
    assert failed.returncode == 2 and "lock" not in failed.stderr.lower()
    done = subprocess.run([sys.executable, "-m", "analytics", "import-report", str(report), "--create-departments"], cwd=ROOT,
                          capture_output=True, text=True, env={**__import__("os").environ, **env})
    assert done.returncode == 0, done.stderr
    assert "lock" not in done.stderr.lower()
    page.reload()          # the next interaction sees the new data
    wait_for_app(page)
    expect(page.get_by_text("北京市并行导入局").first).to_be_attached(timeout=30000)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_a_near_duplicate_department_name_is_flagged_until_confirmed(page: Page, admin_app, tmp_path):
    url, db = admin_app
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.locator("input[type='password']").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.locator("input[type='file']").first.set_input_files(str(new_department_workbook(db, tmp_path, "北京市商务厅")))
    wait_for_app(page)
    page.get_by_text("创建新部门", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("北京市商务厅 ≈ 北京市商务局")).to_be_visible(timeout=30000)
    expect(page.get_by_text("校验通过")).to_have_count(0)
    page.get_by_text("允许相近名称（确认与已有部门名称相近的确为新部门）", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("校验通过")).to_be_visible(timeout=30000)


def test_an_export_is_built_in_the_background_with_progress_and_downloads(page: Page, admin_app, tmp_path,
                                                                         screenshot_dir):
    url, _ = admin_app
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.get_by_role("button", name="准备 Excel 导出").click()
    expect(page.locator("[data-testid='stProgress']").first).to_be_visible(timeout=30000)
    page.screenshot(path=str(screenshot_dir / "data-export-progress.png"), full_page=True)
    download_button = page.get_by_role("button", name="导出 Excel（模板格式，可重新导入）")
    expect(download_button).to_be_visible(timeout=180000)
    with page.expect_download() as download:
        download_button.click()
    saved = tmp_path / "export.xlsx"
    download.value.save_as(saved)
    from openpyxl import load_workbook
    regions = {row[0] for row in load_workbook(saved, read_only=True)["评价 (evaluations)"].iter_rows(
        min_row=2, values_only=True)}
    assert {"北京市", "示例县(合成)"} <= regions
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    # a fresh visit to the same data version offers the file at once
    page.goto(f"{url}/data")
    wait_for_app(page)
    expect(page.get_by_role("button", name="导出 Excel（模板格式，可重新导入）")).to_be_visible(timeout=10000)


def test_a_zip_of_reports_is_imported_valid_files_only_with_a_row_per_file(page: Page, admin_app, seed_report,
                                                                          tmp_path, screenshot_dir):
    import zipfile
    url, db = admin_app
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("good.txt", seed_report.read_text(encoding="utf-8").replace("北京市商务局", "北京市压缩包测试局"))
        zipped.writestr("notes.txt", "会议纪要，不是报告。")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{url}/data")
    wait_for_app(page)
    page.locator("input[type='password']").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    page.locator("input[type='file']").first.set_input_files(str(archive))
    wait_for_app(page)
    page.get_by_text("创建新部门", exact=True).click()
    wait_for_app(page)
    page.get_by_text("仅导入无问题的评价（其余跳过）", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="确认导入").click()
    wait_for_app(page)
    expect(page.get_by_text("已导入 1 条评价")).to_be_visible(timeout=60000)
    table = page.locator("[data-testid='stDataFrame']").last
    expect(table).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "data-report-batch.png"), full_page=True)
    store = Store(db, read_only=True)
    assert store.scalar("SELECT count(*) FROM departments WHERE name = '北京市压缩包测试局'") == 1
    store.close()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
