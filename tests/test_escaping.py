"""User text is data: names, file names and URL parameters never become Markdown, Plotly HTML or a
spreadsheet formula, and an export with such names imports back unchanged."""
import csv
import io
import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics import compare, stats
from analytics.charts import municipal, ranking, trends
from analytics.escape import markdown, plotly, spreadsheet_cell, spreadsheet_text
from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import export_workbook
from analytics.ingest.messages import issue_table
from analytics.store import Store
from apptest import open_app
from hostile import LIVE_MARKDOWN, rename_department, unescaped

PHISHING = "[请重新登录](https://evil.example)"
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-1+2"]


def rename(db, names: dict) -> None:
    for old, new in names.items():
        rename_department(db, old, new)


def department_names(db, count: int) -> list[str]:
    store = Store(db, read_only=True)
    names = list(store.df("""SELECT DISTINCT d.name FROM departments d JOIN evaluations e ON e.department_id = d.id
                             WHERE d.name <> '北京市商务局' ORDER BY d.name""")["name"][:count])
    store.close()
    return names


# -- the escaping functions -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [PHISHING, "**粗体**", "$x^2$", ":red[红]", "`code`", "<b>x</b>", "# 标题",
                                  "- 列表", "1. 列表", "~~删~~", "> 引用", "a | b", ":material/lock:",
                                  "www.evil.example", "a@evil.example", "x\n\n[a](b)"])
def test_markdown_escapes_every_construct(text):
    escaped = markdown(text)
    assert not re.search(r"(?<!\\)[\[\]`*$<>#|~]", escaped), escaped
    for raw in ("https://", "www.", "a@", ":red", ":material/"):
        if raw in text:
            assert raw not in escaped, (text, escaped)
    assert "\n" not in escaped
    assert markdown(escaped) == escaped          # escaped text is not escaped twice


def test_plotly_escapes_its_html_subset():
    assert plotly('<b>x</b> & <a href="h">') == '&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href="h"&gt;'


@pytest.mark.parametrize("text", [*FORMULA_NAMES, "\t=1", "\r=1", "'=1", "'", "''", "'x", "x", "", "-1.5", "+3"])
def test_spreadsheet_cells_are_neutralised_and_restored_exactly(text):
    cell = spreadsheet_cell(text)
    assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell in ("+3",)
    assert not cell.startswith("-") or cell == "-1.5"          # a number is a number, not a formula
    assert spreadsheet_text(cell) == text
    assert spreadsheet_cell(-1.5) == -1.5


# -- pages ------------------------------------------------------------------------------------------------

def live(body: str) -> list[str]:
    return [raw for raw in LIVE_MARKDOWN if raw in unescaped(body)]


def markdown_bodies(at) -> list[str]:
    kinds = ("markdown", "caption", "warning", "info", "success", "error", "title", "header", "subheader")
    return [e.value for kind in kinds for e in getattr(at, kind)]


def test_a_markdown_link_in_the_url_is_shown_as_text_not_as_a_link(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "department", department=PHISHING)
    bodies = markdown_bodies(at)
    assert not [b for b in bodies if live(b)], bodies
    assert any(markdown(PHISHING) in b for b in bodies)    # said, escaped, in the page's own notice


def test_an_unknown_url_value_is_rejected_with_a_notice_that_does_not_echo_markup(demo_db_master, monkeypatch):
    at = open_app(monkeypatch, demo_db_master, "municipal", department=PHISHING, year="**2022**", measure=PHISHING)
    bodies = markdown_bodies(at)
    assert not [b for b in bodies if live(b) or "**2022**" in b], bodies
    assert at.selectbox(key="department").value == "北京市商务局"
    notices = [w.value for w in at.warning if "measure" in w.value]
    assert notices and markdown(PHISHING) in notices[0]
    notices = [w.value for w in at.warning if "department" in w.value]        # the shared context's fields too
    assert notices and markdown(PHISHING) in notices[0], [w.value for w in at.warning]
    rankings = open_app(monkeypatch, demo_db_master, year="**2022**")        # the first page to read the year
    assert [w.value for w in rankings.warning if "year" in w.value and markdown("**2022**") in w.value]


def test_a_department_named_in_markup_is_text_on_the_department_and_method_pages(demo_db, monkeypatch):
    rename(demo_db, {"北京市商务局": "**粗**[链接](https://evil.example)$x$"})
    for page in ("department", "method", "municipal"):
        at = open_app(monkeypatch, demo_db, page, department="**粗**[链接](https://evil.example)$x$", year="2022")
        bodies = markdown_bodies(at)
        assert not [b for b in bodies if live(b)], (page, bodies)


# -- charts -----------------------------------------------------------------------------------------------

def strings(node):
    """Every string in a figure's JSON."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def test_a_department_named_in_html_is_escaped_in_every_chart_label(demo_db, tmp_path):
    rename(demo_db, {"北京市商务局": "<b>x</b>"})
    store = Store(demo_db, read_only=True)
    frame = compare.ranking_with_changes(store, 2022, compare.default_region(store))
    framework = frame["framework_id"].mode().iloc[0]
    bands = compare.grade_bands(store, framework)
    evaluations = stats.evaluations(store, compare.default_region(store))
    year = evaluations[evaluations["year"] == 2022]
    figures = [ranking.totals_bars(frame, bands, 80, 80, "zh", "t"),
               ranking.ranking_dots(frame, bands, compare.level1_nodes(store, framework), 80, 80, "zh"),
               municipal.distribution_chart(year, "total", "<b>x</b>", "总分", "zh"),
               trends.trend_chart(evaluations[evaluations["department"] == "<b>x</b>"],
                                  stats.municipal_summary(evaluations, ("total",)), "total", "zh")]
    risers, fallers = compare.movers(frame)
    figures.append(ranking.movers_chart(risers, fallers, "zh"))
    store.close()
    for n, fig in enumerate(figures):
        text = list(strings(json.loads(fig.to_json())))
        assert not [s for s in text if "<b>x" in s], fig.layout.title
        assert n == 4 or [s for s in text if "&lt;b&gt;x" in s], fig.layout.title      # the movers may not include it


# -- exports ----------------------------------------------------------------------------------------------

def test_an_export_holds_no_formula_and_imports_back_unchanged(demo_db, tmp_path):
    rename(demo_db, dict(zip(department_names(demo_db, 3), FORMULA_NAMES)))
    out = tmp_path / "export.xlsx"
    source = Store(demo_db, read_only=True)
    export_workbook(source, out)
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "@"))]
    assert {f"'{n}" for n in FORMULA_NAMES} <= {c.value for c in cells}
    target = tmp_path / "copy.duckdb"
    result = import_files(target, [(out.name, out.read_bytes())], create_departments=True)
    assert result.accepted, issue_table(result.issues, "en")
    copy = Store(target, read_only=True)
    query = """SELECT d.name, d.short_name, d.category, e.year, e.reported_score_total, e.source_file
               FROM evaluations e JOIN departments d ON d.id = e.department_id ORDER BY ALL"""
    pd.testing.assert_frame_equal(source.df(query), copy.df(query))
    assert set(FORMULA_NAMES) <= set(copy.df("SELECT name FROM departments")["name"])
    source.close()
    copy.close()


def test_table_downloads_neutralise_formula_names():
    from pages.common import table_files
    table = pd.DataFrame({"部门": FORMULA_NAMES + ["北京市商务局"], "总分": [-1.5, 2.0, 3.0, 4.0]})
    csv_bytes, xlsx_bytes = table_files(table, "ranking", "说明", "note")
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [f"'{n}" for n in FORMULA_NAMES] + ["北京市商务局"]
    assert rows[1][1] == "-1.5"
    book = load_workbook(io.BytesIO(xlsx_bytes))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert book.worksheets[0]["B2"].value == -1.5
