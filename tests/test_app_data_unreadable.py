"""The data page with an unreadable or hostile upload: one line saying why, no traceback, and the
restore and delete controls still there."""
import pytest

from apptest import open_app
from test_workbook_limits import CASES, base_xlsx  # noqa: F401  (base_xlsx is a fixture)

PASSWORD = "s3cret-测试"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("case", ["styles", "content_types", "xxe", "declared_dimension", "huge_cell"])
def test_an_unreadable_upload_gets_one_line_and_the_page_goes_on(demo_db, monkeypatch, base_xlsx, case):
    monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", PASSWORD)
    at = open_app(monkeypatch, demo_db, "data")
    at.text_input(key="password").input(PASSWORD)
    at.button(key="login").click().run()
    at.file_uploader(key="upload").set_value(("hostile.xlsx", CASES[case][0](base_xlsx), XLSX)).run()
    assert not at.exception, at.exception
    assert any("发现 1 个问题" in e.value for e in at.error)
    report = at.dataframe[-1].value
    assert len(report) == 1 and "\n" not in report["问题"].iloc[0] and report["文件"].iloc[0] == "hostile.xlsx"
    assert {"restore", "delete"} <= {b.key for b in at.button}
