"""The data page: open to view, gated to change; validation report, confirm, versions, restore."""
import hashlib

from analytics import admin
from analytics.paths import SEED_REPORT
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


def test_versions_list_and_changes(demo_db, demo_store, monkeypatch):
    built = demo_store.rows("SELECT count(*), list(DISTINCT d.region ORDER BY d.region) FROM evaluations e "
                            "JOIN departments d ON d.id = e.department_id")[0]
    at = open_data_page(demo_db, monkeypatch)
    versions_table = at.dataframe[0].value
    assert versions_table.iloc[0]["类型"] == "建库" and versions_table.iloc[0]["新增"] == built[0]
    assert versions_table.iloc[0]["说明"] == "演示数据库：真实报告与合成评价"
    seed_sha = hashlib.sha256(SEED_REPORT.read_bytes()).hexdigest()
    assert versions_table.iloc[0]["文件（名称与 SHA256）"] == f"beijing-commerce-2022.txt ({seed_sha[:12]})"
    changes = at.dataframe[1].value
    assert len(changes) == built[0] and set(changes["改动"]) == {"新增"}
    assert sorted(set(changes["地区"])) == built[1]           # Beijing's and the synthetic county's
    assert set(changes.columns) == {"地区", "部门", "年度", "改动", "改动内容"}


def test_repeated_wrong_passwords_lock_the_sign_in_with_a_translated_wait(demo_db, monkeypatch):
    monkeypatch.setattr(admin, "THROTTLE", admin.LoginThrottle(free_failures=5, first_lockout_s=600))
    at = open_data_page(demo_db, monkeypatch, PASSWORD)
    for _ in range(5):
        sign_in(at, "guess")
    sign_in(at, PASSWORD)
    assert "admin" not in at.session_state or not at.session_state["admin"]
    assert any("尝试次数过多" in e.value and "秒后再试" in e.value for e in at.error), [e.value for e in at.error]
    # a new session from the same address is locked too, and told so in English
    monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", PASSWORD)
    again = sign_in(open_app(monkeypatch, demo_db, "data", lang="en"), PASSWORD)
    assert "admin" not in again.session_state or not again.session_state["admin"]
    assert any("Too many attempts" in e.value for e in again.error)
