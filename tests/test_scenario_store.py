"""Saved scenarios: save, list, reopen, delete — in their own file, never touching evaluations."""
import hashlib

import pytest

from analytics import scenario
from analytics.scenario_store import SCENARIO_MIGRATIONS, ScenarioNotYours, ScenarioStore, ScenarioStoreError
from analytics.store import Store


def test_save_list_reopen_delete(demo_db_master, tmp_path):
    before = hashlib.sha256(demo_db_master.read_bytes()).hexdigest()
    db = Store(demo_db_master, read_only=True)
    baseline = scenario.load_baseline(db, "北京市商务局", 2022)
    saved = ScenarioStore(tmp_path / "scenarios.duckdb")
    overrides = {"execution_rate": 95, "failed:performance_management": 1}
    scenario_id = saved.save("执行率95%", baseline, overrides, scenario.apply(baseline, overrides), owner="session")
    listed = saved.list("北京市商务局", 2022)
    assert listed["name"].tolist() == ["执行率95%"] and listed["total"].iloc[0] == 90.5
    reopened = saved.get(scenario_id)
    assert reopened["overrides"] == overrides and reopened["framework_id"] == "beijing-2022"
    assert reopened["data_version"].startswith("report 674aacc64f44")
    assert scenario.apply(baseline, reopened["overrides"]).total == 90.5
    with pytest.raises(ScenarioStoreError, match="already exists"):
        saved.save("执行率95%", baseline, {}, scenario.apply(baseline, {}))
    with pytest.raises(ScenarioStoreError, match="needs a name"):
        saved.save("  ", baseline, {}, scenario.apply(baseline, {}))
    saved.delete(scenario_id, owner="session")
    assert saved.list().empty
    with pytest.raises(ScenarioStoreError):
        saved.get(scenario_id)
    saved.close()
    db.close()
    assert hashlib.sha256(demo_db_master.read_bytes()).hexdigest() == before


@pytest.fixture
def commerce_baseline(demo_db_master):
    db = Store(demo_db_master, read_only=True)
    yield scenario.load_baseline(db, "北京市商务局", 2022)
    db.close()


def save(store, name, baseline, owner, **kwargs):
    overrides = {"execution_rate": 95}
    return store.save(name, baseline, overrides, scenario.apply(baseline, overrides), owner=owner, **kwargs)


def test_only_the_owner_or_the_admin_may_delete_or_overwrite(commerce_baseline, tmp_path):
    saved = ScenarioStore(tmp_path / "scenarios.duckdb")
    mine = save(saved, "我的", commerce_baseline, owner="session-a")
    with pytest.raises(ScenarioNotYours):
        saved.delete(mine, owner="session-b")
    with pytest.raises(ScenarioNotYours):
        save(saved, "我的", commerce_baseline, owner="session-b", overwrite=True)
    assert saved.get(mine)["owner"] == "session-a"
    replaced = save(saved, "我的", commerce_baseline, owner="session-a", overwrite=True)
    assert saved.list()["name"].tolist() == ["我的"] and saved.get(replaced)["owner"] == "session-a"
    saved.delete(replaced, owner="session-a")
    theirs = save(saved, "别人的", commerce_baseline, owner="session-a")
    saved.delete(theirs, owner="session-b", admin=True)
    assert saved.list().empty
    saved.close()


def test_scenarios_saved_before_owners_were_recorded_are_the_admins(commerce_baseline, tmp_path):
    path = tmp_path / "scenarios.duckdb"
    old = Store(path, migrations=SCENARIO_MIGRATIONS[:1])        # a file written by the previous version
    with old.transaction() as cur:
        cur.execute("""INSERT INTO scenarios (id, name, region, department, year, evaluation_id, overrides,
                       framework_id, framework_sha256, data_version) VALUES
                       (1, '旧情景', '北京市', '北京市商务局', 2022, 1, '{}', 'beijing-2022', 'x', 'v')""")
    old.close()
    saved = ScenarioStore(path)
    assert saved.get(1)["owner"] is None and saved.list()["name"].tolist() == ["旧情景"]
    with pytest.raises(ScenarioNotYours):
        saved.delete(1, owner="session-a")
    saved.delete(1, owner=None, admin=True)
    assert saved.list().empty
    saved.close()
