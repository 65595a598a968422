"""The data page: open to view, gated to change; validation report, confirm, versions, restore."""
from apptest import open_app


PASSWORD = "s3cret-测试"


def open_data_page(db, monkeypatch, password=None):
    if password:
        monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", password)
    else:
        monkeypatch.delenv("ANALYTICS_ADMIN_PASSWORD", raising=False)
    return open_app(monkeypatch, db, "data")


def sign_in(at, password):
    at.text_input(key="password").input(password)
    at.button(key="login").click().run()
    return at


def test_without_a_password_the_page_is_read_only_and_says_how_to_enable(demo_db, monkeypatch):
    at = open_data_page(demo_db, monkeypatch)
    assert any("ANALYTICS_ADMIN_PASSWORD" in i.value for i in at.info)
    assert not [w for w in at.text_input if w.key == "password"]
    assert len(at.dataframe) >= 2          # versions and the first version's changes are open to all


def test_wrong_password_is_refused_and_right_one_opens_import(demo_db, monkeypatch):
    at = open_data_page(demo_db, monkeypatch, PASSWORD)
    sign_in(at, "guess")
    assert any("密码错误" in e.value for e in at.error)
    sign_in(at, PASSWORD)
    assert not at.exception and at.session_state["admin"] is True
    assert [c for c in at.checkbox if c.key == "valid_rows_only"]


def test_versions_list_and_changes(demo_db, monkeypatch):
    at = open_data_page(demo_db, monkeypatch)
    versions_table = at.dataframe[0].value
    assert versions_table.iloc[0]["类型"] == "init" and versions_table.iloc[0]["新增"] == 330
    changes = at.dataframe[1].value
    assert len(changes) == 330 and set(changes["change"]) == {"added"}


def test_exports_are_prepared_on_request(demo_db, monkeypatch):
    at = open_data_page(demo_db, monkeypatch)
    assert not [b for b in at.get("download_button") if "export" in b.proto.id]
    at.button(key="prepare_export_xlsx").click().run()
    assert not at.exception
    assert any(b.proto.label == "导出 Excel（模板格式，可重新导入）" for b in at.get("download_button"))
