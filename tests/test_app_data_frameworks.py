"""The data page lists the stored frameworks (code, names, version, evaluation counts) and lets an admin, and
only an admin, import a framework file; a file with errors names them and writes nothing."""
import hashlib
import json

from analytics.domain.loader import SHIPPED_DIR, load_framework
from analytics.store import Store
from apptest import open_app

PASSWORD = "s3cret-框架"
JSON = "application/json"


def frameworks_table(at):
    return next(d.value for d in at.dataframe if "评价数" in d.value.columns or "Evaluations" in d.value.columns)


def stored_counts(db) -> dict:
    store = Store(db, read_only=True)
    try:
        return dict(store.rows("SELECT f.id, count(e.id) FROM frameworks f LEFT JOIN evaluations e "
                               "ON e.framework_id = f.id GROUP BY ALL"))
    finally:
        store.close()


def signed_in(db, monkeypatch):
    monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", PASSWORD)
    at = open_app(monkeypatch, db, "data")
    at.text_input(key="password").input(PASSWORD)
    at.button(key="login").click().run()
    assert at.session_state["admin"] is True
    return at


def test_the_frameworks_stored_are_listed_with_their_evaluations(demo_db, monkeypatch):
    monkeypatch.delenv("ANALYTICS_ADMIN_PASSWORD", raising=False)
    at = open_app(monkeypatch, demo_db, "data")
    table = frameworks_table(at).set_index("代码")
    counts = stored_counts(demo_db)
    assert table["评价数"].to_dict() == counts and len(counts) == 2
    national, _ = load_framework(SHIPPED_DIR / "national-self-evaluation.json")
    assert table.loc["national-self-evaluation", "指标体系"] == national.name_zh
    assert table.loc["national-self-evaluation", "版本"] == national.version
    assert table.loc["national-self-evaluation", "部门自带指标组"] > 0
    # nobody signed in: no framework upload
    assert not [u for u in at.get("file_uploader") if "framework_upload" in u.proto.id]

    en = open_app(monkeypatch, demo_db, "data", lang="en")
    assert frameworks_table(en).set_index("Code").loc["national-self-evaluation", "Framework"] == national.name_en


def test_an_admin_imports_a_framework_file_and_finds_it_listed(demo_db, monkeypatch):
    at = signed_in(demo_db, monkeypatch)
    data = (SHIPPED_DIR / "sichuan-example.json").read_bytes()
    code = json.loads(data)["code"]
    assert code not in stored_counts(demo_db)
    at.file_uploader(key="framework_upload").set_value(("sichuan.json", data, JSON)).run()
    at.button(key="framework_confirm").click().run()
    assert not at.exception
    assert [s.value for s in at.success if code in s.value and "数据版本" in s.value], [s.value for s in at.success]
    assert stored_counts(demo_db)[code] == 0
    assert code in set(frameworks_table(at)["代码"])
    store = Store(demo_db, read_only=True)
    files = json.loads(store.scalar("SELECT files FROM data_versions ORDER BY id DESC LIMIT 1"))
    store.close()
    assert files == [{"name": "sichuan.json", "sha256": hashlib.sha256(data).hexdigest()}]


def test_a_framework_file_with_errors_names_them_and_writes_nothing(demo_db, monkeypatch):
    at = signed_in(demo_db, monkeypatch)
    broken = json.loads((SHIPPED_DIR / "sichuan-example.json").read_text(encoding="utf-8"))
    broken["nodes"][0]["weight"] = 999
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    at.file_uploader(key="framework_upload").set_value(
        ("broken.json", json.dumps(broken, ensure_ascii=False).encode(), JSON)).run()
    at.button(key="framework_confirm").click().run()
    assert not at.exception
    assert [e.value for e in at.error if "未写入任何数据" in e.value]
    problems = next(d.value for d in at.dataframe if list(d.value.columns) == ["问题"])
    assert problems["问题"].str.contains("999|100", regex=True).any(), problems
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before
