"""The cross-framework view on a year of many regions (more groups than a chart can hold side by side): each
framework's regions fold into one group, "framework · N regions", whose figures are the framework's own over
every region (computed here with SQL), and the page says that it folded them."""
import json

import numpy as np

from analytics import records
from analytics.cross_framework import MAX_GROUPS
from analytics.store import Store
from analytics.versions import Change, new_version
from apptest import open_app, values
from county import county_records

YEAR = 2023
PER_FRAMEWORK = """SELECT f.id, f.name_zh, count(DISTINCT d.region) AS regions, count(*) AS n,
                          avg(s.reported_total) AS mean, median(s.reported_total) AS median
                   FROM evaluations e JOIN departments d ON d.id = e.department_id
                   JOIN frameworks f ON f.id = e.framework_id JOIN evaluation_scores s ON s.evaluation_id = e.id
                   WHERE e.year = ? GROUP BY ALL ORDER BY n DESC, f.id"""


def with_many_regions(db):
    """The demo and, in YEAR, MAX_GROUPS more counties on the national layout (two departments each)."""
    with new_version(db, Change("import", "many counties for a test")) as draft:
        with draft.store.transaction() as cur:
            for k in range(MAX_GROUPS):
                fw, recs = county_records(years=(YEAR,), departments=2, seed=k, region=f"测试县{k + 1}")
                for rec in recs:
                    records.insert_evaluation(cur, fw, rec)
    return db


def test_many_regions_fold_into_their_framework(demo_db, monkeypatch):
    db = with_many_regions(demo_db)
    store = Store(db, read_only=True)
    expected = store.df(PER_FRAMEWORK, [YEAR])
    store.close()
    assert len(expected) == 2 and expected["regions"].sum() > MAX_GROUPS
    at = open_app(monkeypatch, db, "cross_framework", year=str(YEAR))
    totals = at.dataframe[0].value
    assert list(totals["指标体系 · 地区"]) == [f"{r.name_zh} · {r.regions} 个地区" for r in expected.itertuples()]
    assert list(totals["评价数"]) == list(expected["n"])
    assert np.allclose(totals["均值"].astype(float), expected["mean"])
    assert np.allclose(totals["中位数"].astype(float), expected["median"])
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [len(values(trace["x"])) for trace in spec["data"]] == list(expected["n"])
    assert [c.value for c in at.caption if "合并" in c.value]
    at.radio(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert all(label.endswith(f" · {n} regions") for label, n in zip(at.dataframe[0].value.iloc[:, 0], expected["regions"]))
