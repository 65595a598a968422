"""The municipal comparison page builds its figures and download files once per distinct content:
rendering it again builds nothing, a new department rebuilds only what shows that department, and a
changed input (even one row of a large frame) always gives a new result."""
import io
import json
from collections import Counter

import pandas as pd
import pytest

from analytics.charts import municipal as charts
from apptest import open_app
from pages import common

BUILDERS = ("indicator_heatmap", "distribution_chart", "indicator_distribution", "peer_chart")


@pytest.fixture
def built(monkeypatch):
    """How often each chart builder and the workbook writer ran."""
    counts = Counter()

    def counted(name, build):
        def run(*args, **kwargs):
            counts[name] += 1
            return build(*args, **kwargs)
        return run

    for name in BUILDERS:
        monkeypatch.setattr(charts, name, counted(name, getattr(charts, name)))
    monkeypatch.setattr(pd.DataFrame, "to_excel", counted("workbook_sheet", pd.DataFrame.to_excel))
    return counts


def specs(at) -> dict[str, str]:
    return {chart.proto.id: chart.proto.spec for chart in at.get("plotly_chart")}


def test_a_second_render_builds_no_figure_and_no_workbook(monkeypatch, demo_db_master, built):
    at = open_app(monkeypatch, demo_db_master, "municipal")
    assert all(built[name] == 1 for name in BUILDERS), built
    assert built["workbook_sheet"] > 0
    first = specs(at)
    built.clear()
    at.switch_page("pages/municipal.py").run()
    assert not at.exception
    assert not built, f"rebuilt on a second render: {dict(built)}"
    assert specs(at) == first


def test_another_department_rebuilds_only_its_own_figures(monkeypatch, demo_db_master, built):
    at = open_app(monkeypatch, demo_db_master, "municipal")
    before = [json.loads(spec) for spec in specs(at).values()]
    options = at.selectbox(key="department").options
    other = next(o for o in options if o != at.selectbox(key="department").value)
    built.clear()
    at.selectbox(key="department").select(other).run()
    assert not at.exception
    assert built["indicator_heatmap"] == 0          # the heatmap shows every department alike
    assert all(built[name] == 1 for name in ("distribution_chart", "indicator_distribution", "peer_chart")), built
    after = [json.loads(spec) for spec in specs(at).values()]
    assert after[0] == before[0]
    assert all(a != b for a, b in zip(after[1:], before[1:]))


def test_one_changed_row_of_a_large_frame_is_a_new_figure_and_a_new_file():
    big = pd.DataFrame({"department": [f"部门{i}" for i in range(60_000)], "total": [80.0] * 60_000})
    changed = big.copy()
    changed.loc[59_999, "total"] = 99.0
    assert common.figure(_last_total, big) == 80.0
    assert common.figure(_last_total, changed) == 99.0
    _, first = common.table_files(big, "big", "说明", "note")
    _, second = common.table_files(changed, "big", "说明", "note")
    assert pd.read_excel(io.BytesIO(first))["total"].iloc[-1] == 80.0
    assert pd.read_excel(io.BytesIO(second))["total"].iloc[-1] == 99.0


def _last_total(frame: pd.DataFrame) -> float:
    return float(frame["total"].iloc[-1])


def test_a_frame_pandas_cannot_hash_is_keyed_by_its_content():
    lists = pd.DataFrame({"department": ["甲", "乙"], "total": [[80.0], [90.0]]})
    other = pd.DataFrame({"department": ["甲", "乙"], "total": [[80.0], [95.0]]})
    assert common.figure(_last_total_of_lists, lists) == 90.0
    assert common.figure(_last_total_of_lists, other) == 95.0


def _last_total_of_lists(frame: pd.DataFrame) -> float:
    return float(frame["total"].iloc[-1][0])
