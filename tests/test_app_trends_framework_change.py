"""Trends across a year in which a department's framework changed: only totals, grades and shared concepts
compare, the change is marked on the chart and said in words; the one-framework view says what it leaves out."""
import json

import pytest

from analytics import stats
from analytics.framework_changes import framework_changes
from analytics.store import Store
from apptest import open_app, values
from mixed_frameworks import BEIJING, BEIJING_NAMES, NATIONAL, REGION, YEAR, add_evaluations, build_mixed

MOVER = BEIJING_NAMES[0]     # Beijing's template in YEAR - 1 and YEAR, the national layout in YEAR + 1


@pytest.fixture
def changed_db(tmp_path):
    return add_evaluations(build_mixed(tmp_path / "changed.duckdb"), [(MOVER, YEAR - 1)], [(MOVER, YEAR + 1)])


def test_framework_changes_names_the_year_and_both_frameworks(changed_db):
    store = Store(changed_db, read_only=True)
    changes = framework_changes(stats.evaluations(store, REGION))
    store.close()
    assert changes.to_dict("records") == [{"department": MOVER, "year": YEAR + 1, "before": BEIJING, "after": NATIONAL}]


def trends(monkeypatch, db, **query):
    return open_app(monkeypatch, db, "trends", departments=MOVER, **query)


@pytest.mark.parametrize("lang, words", [("zh", f"{MOVER} 自 {YEAR + 1} 年起由"), ("en", f"{MOVER} moved from")])
def test_across_frameworks_compares_only_totals_and_shared_concepts_and_marks_the_change(changed_db, monkeypatch,
                                                                                      lang, words):
    at = trends(monkeypatch, changed_db, lang=lang)
    at.toggle(key="tr_across").set_value(True).run()
    assert not at.exception, at.exception
    note = " ".join(i.value for i in at.info)
    assert words in note and ("一级指标得分不可比" in note if lang == "zh" else "level-1 scores do not" in note)
    measures = at.selectbox(key="metric").options
    # the total, and only the rates both frameworks hold (the Beijing records here have no figures)
    assert measures[0] in ("总分", "Total score") and all(m.endswith("%)") or m.endswith("（%）") for m in measures[1:])
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert ("跨指标体系" if lang == "zh" else "across frameworks") in chart["layout"]["title"]["text"]
    marks = [s for s in chart["layout"]["shapes"] if s.get("type") == "line"]
    assert [s["x0"] for s in marks] == [YEAR + 0.5]
    years = sorted(x for trace in chart["data"] if trace.get("name") == MOVER for x in values(trace["x"]))
    assert years == [YEAR - 1, YEAR, YEAR + 1]                   # the whole history, both frameworks
    assert len(at.get("plotly_chart")) == 1                      # no level-1 small multiples
    table = at.dataframe[0].value
    assert len(table) == 3 and table.iloc[:, 2].nunique() == 2    # the framework column says which


def test_the_one_framework_view_says_which_years_it_leaves_out(changed_db, monkeypatch):
    at = trends(monkeypatch, changed_db, framework=BEIJING)
    assert at.sidebar.selectbox(key="framework").value == BEIJING
    captions = " ".join(c.value for c in at.caption)
    assert f"{MOVER} 在 {YEAR + 1} 年采用" in captions
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert sorted(x for trace in chart["data"] if trace.get("name") == MOVER for x in values(trace["x"])) == [YEAR - 1, YEAR]
