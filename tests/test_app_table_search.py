"""The search box over a table keeps the rows that contain the typed text, on every page that lists
departments or records (rankings and trends have their own tests): the rule-change ranking, the municipal
peer table and the data page's audit log."""
from apptest import open_app

ACTION = "操作"


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def search(at, key: str, text: str):
    at.text_input(key=f"{key}_search").input(text).run()
    assert not at.exception, at.exception
    return at


def test_the_rule_change_ranking_is_searched_by_department(demo_db_master, demo_store, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "rule_change", year="2022")
    everyone = table_with(at, "新排名")
    search(at, "rule_change_ranking", "商务")
    found = table_with(at, "新排名")
    expected = [name for name in everyone["部门"] if "商务" in name]
    assert list(found["部门"]) == expected and 0 < len(found) < len(everyone)
    search(at, "rule_change_ranking", "没有这个部门")
    assert table_with(at, "新排名").empty


def test_the_peer_table_and_the_audit_log_are_searched(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "municipal", year="2022", department="北京市商务局")
    peers = table_with(at, "同类排名")
    name = peers["部门"].iloc[-1]
    search(at, "peer_table", name)
    assert list(table_with(at, "同类排名")["部门"]) == [n for n in peers["部门"] if name in n]
    data = open_app(monkeypatch, demo_db_master, "data")
    log = table_with(data, ACTION)
    word = str(log[ACTION].iloc[0])
    search(data, "audit_log", word)
    texts = log.select_dtypes(exclude="number").astype(str)
    expected = log[texts.apply(lambda column: column.str.contains(word, case=False, regex=False)).any(axis=1)]
    assert len(table_with(data, ACTION)) == len(expected) > 0
