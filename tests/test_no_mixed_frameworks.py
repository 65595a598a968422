"""No page shows a ranking, mean or percentile that mixes frameworks.

The store holds two frameworks in the same region and year (tests/mixed_frameworks.py: three departments
on Beijing's template, three on the national layout).  Every page registered in app.py is run in AppTest
with each framework asked for in the URL, and everything it shows (tables, charts, metrics, text) is read:

- the departments shown belong to one framework (the cross-framework view: each of its groups does);
- every rank is among that framework's three evaluations (ranks restart per framework);
- every mean, median and percentile of the total or the execution rate equals that framework's own,
  computed here independently from the database, and never the mixed one.
"""
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from apptest import APP, open_app
from mixed_frameworks import BEIJING, BEIJING_NAMES, NATIONAL, NATIONAL_NAMES, YEAR, build_mixed
from analytics.store import Store

PAGES = re.findall(r'st\.Page\("pages/(\w+)\.py"', Path(APP).read_text())
NAMES = {BEIJING: set(BEIJING_NAMES), NATIONAL: set(NATIONAL_NAMES)}
MEAN_HEADERS = ("同体系均值", "本地区均值", "同体系中位数", "本地区中位数", "均值", "中位数")
ROW_MEASURES = {"总分": "total", "预算执行率（%）": "execution_rate"}
NUMBER = re.compile(r"^(?:同体系|本地区)?(?:均值|中位数) (-?\d+\.\d+)")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    return build_mixed(tmp_path_factory.mktemp("mixed") / "mixed.duckdb")


@pytest.fixture(scope="module")
def truth(mixed) -> pd.DataFrame:
    """Per evaluation: department, framework, reported total and execution rate, from the views."""
    store = Store(mixed, read_only=True)
    frame = store.df("""
        SELECT d.name AS department, e.framework_id, s.reported_total AS total, r.rate AS execution_rate
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        JOIN evaluation_scores s ON s.evaluation_id = e.id
        LEFT JOIN node_results r ON r.evaluation_id = e.id AND r.code = 'execution_rate'
        WHERE e.year = ?""", [YEAR])
    store.close()
    return frame


def statistics(frame: pd.DataFrame) -> dict:
    """{(measure, "mean" | "median"): value} of a set of evaluations."""
    return {(measure, kind): round(float(getattr(frame[measure], kind)()), 2)
            for measure in ROW_MEASURES.values() for kind in ("mean", "median")}


def page_output(at) -> dict:
    """What a page shows: its tables, chart specs, metrics, texts and the values chosen in its selectors."""
    texts = [e.value for kind in ("markdown", "caption", "subheader", "header", "info", "warning", "title")
             for e in getattr(at, kind)]
    texts += [str(box.value) for box in at.selectbox] + [str(box.value) for box in at.multiselect]
    return {"tables": [frame.value for frame in at.dataframe],
            "charts": [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")],
            "metrics": {m.label: m.value for m in at.metric}, "texts": texts}


def names_in(output: dict) -> set[str]:
    blob = " ".join([*(t.to_string() for t in output["tables"]), *(json.dumps(c, ensure_ascii=False)
                     for c in output["charts"]), *output["texts"], *map(str, output["metrics"].values())])
    return {name for names in NAMES.values() for name in names if name in blob}


def framework_shown(output: dict, asked: str) -> str:
    """The one framework whose departments the page shows (the one asked for when it shows none)."""
    shown = names_in(output)
    held = [fid for fid, names in NAMES.items() if shown & names]
    assert len(held) <= 1, f"departments of two frameworks on one page: {sorted(shown)}"
    return held[0] if held else asked


def check_ranks(output: dict) -> None:
    for table in output["tables"]:
        for column in table.columns:
            if "排名" in column and "变化" not in column:
                ranks = pd.to_numeric(table[column], errors="coerce").dropna()
                assert (ranks <= 3).all(), (column, list(ranks))
    for label, value in output["metrics"].items():
        if "排名" in label and "/" in str(value):
            assert str(value).split("/")[1].strip() == "3", (label, value)


def check_means(output: dict, own: dict, mixed: dict) -> int:
    """Every mean or median of the total or the execution rate shown is the framework's own; returns how
    many were checked."""
    checked = 0
    for table in output["tables"]:
        label = table.columns[0]
        # rows named by measure, or by year (the trends page's yearly statistics of the total, its default)
        measures = {YEAR: "total"} if label == "年度" else ROW_MEASURES
        for column in (c for c in table.columns if c in MEAN_HEADERS):
            for row_label, measure in measures.items():
                rows = table[table[label] == row_label]
                if len(rows) and pd.notna(rows[column].iloc[0]):
                    kind = "median" if "中位数" in column else "mean"
                    assert float(rows[column].iloc[0]) == pytest.approx(own[(measure, kind)], abs=0.006), column
                    checked += 1
    for spec in output["charts"]:
        for trace in spec["data"]:
            found = NUMBER.match(str(trace.get("name") or ""))
            if found:
                value = float(found.group(1))
                assert any(value == pytest.approx(v, abs=0.006) for v in own.values()), trace["name"]
                assert not any(value == pytest.approx(v, abs=0.006) for v in mixed.values()
                               if v not in own.values()), trace["name"]
                checked += 1
    return checked


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("asked", [BEIJING, NATIONAL])
def test_no_page_mixes_frameworks(mixed, truth, monkeypatch, page, asked):
    at = open_app(monkeypatch, mixed, page, framework=asked)
    output = page_output(at)
    if page == "cross_framework":     # frameworks side by side: each group holds one framework
        for spec in output["charts"]:
            for trace in spec["data"]:
                shown = set(trace.get("text") or ()) & (NAMES[BEIJING] | NAMES[NATIONAL])
                assert shown <= NAMES[BEIJING] or shown <= NAMES[NATIONAL], trace.get("name")
        return
    framework = framework_shown(output, asked)
    check_ranks(output)
    own = statistics(truth[truth["framework_id"] == framework])
    check_means(output, own, statistics(truth))


def test_the_municipal_standing_is_the_frameworks_own(mixed, truth, monkeypatch):
    """Means, percentiles and ranks of the chosen department against its own framework's departments."""
    for framework, names in ((BEIJING, BEIJING_NAMES), (NATIONAL, NATIONAL_NAMES)):
        at = open_app(monkeypatch, mixed, "municipal", framework=framework)
        at.selectbox(key="department").set_value(names[1]).run()
        standing = at.dataframe[0].value.set_index("指标").loc["总分"]
        own = truth[truth["framework_id"] == framework]["total"]
        value = own[truth["department"] == names[1]].iloc[0]
        assert standing["本部门"] == value
        assert standing["本地区均值"] == round(own.mean(), 2) != round(truth["total"].mean(), 2)
        assert standing["百分位"] == round((own <= value).mean() * 100, 1)
        assert standing["排名"] == int((own > value).sum()) + 1
        assert np.isclose(at.dataframe[0].value.set_index("指标").loc["总分", "本地区中位数"], own.median())


def test_means_are_checked_somewhere(mixed, truth, monkeypatch):
    """The page-by-page test is not empty: the rankings, trends and municipal pages show means it checks."""
    for page in ("rankings", "trends", "municipal"):
        at = open_app(monkeypatch, mixed, page, framework=NATIONAL)
        own = statistics(truth[truth["framework_id"] == NATIONAL])
        assert check_means(page_output(at), own, statistics(truth)) > 0, page
