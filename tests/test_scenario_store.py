"""Saved scenarios: save, list, reopen, delete — in their own file, never touching evaluations."""
import hashlib

import pytest

from analytics import scenario
from analytics.scenario_store import ScenarioStore, ScenarioStoreError
from analytics.store import Store


def test_save_list_reopen_delete(demo_db_master, tmp_path):
    before = hashlib.sha256(demo_db_master.read_bytes()).hexdigest()
    db = Store(demo_db_master, read_only=True)
    baseline = scenario.load_baseline(db, "北京市商务局", 2022)
    saved = ScenarioStore(tmp_path / "scenarios.duckdb")
    overrides = {"execution_rate": 95, "failed:performance_management": 1}
    scenario_id = saved.save("执行率95%", baseline, overrides, scenario.apply(baseline, overrides))
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
    saved.delete(scenario_id)
    assert saved.list().empty
    with pytest.raises(ScenarioStoreError):
        saved.get(scenario_id)
    saved.close()
    db.close()
    assert hashlib.sha256(demo_db_master.read_bytes()).hexdigest() == before
