"""Generated hostile department names through every page (AppTest), the exports and one real browser:
no name ever becomes Markdown, Plotly HTML or a live spreadsheet formula."""
from csv import reader as csv_rows
import io
import json
import re
import shutil
from urllib.parse import quote, unquote

import pytest
import streamlit as st
from hypothesis import HealthCheck, Phase, given, settings, strategies as some
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

from analytics import compare
from analytics.escape import markdown, plotly
from analytics.ingest.export import export_frames, write_workbook
from analytics.store import Store
from apptest import APP
from hostile import LIVE_MARKDOWN, rename_department, unescaped
from live_app import SIZES, open_page, start_server, stop_server, wait_for_app

REAL = "北京市商务局"          # the one real evaluation: every page can show it, the method page lists its file
PAGES = ("department", "trends", "municipal", "present", "whatif", "rule_change", "data", "method")
FRAGMENTS = ("[点我](https://evil.example/x)", "**粗**", "$x^2$", ":red[红]", "<b>粗</b>", "<a href='https://evil.example'>点</a>",
             "`码`", "~~删~~", ":material/lock:", "www.evil.example", "a@evil.example", '=HYPERLINK("http://x","y")',
             "+1+2", "-1+2", "@SUM(1)", "# title", "- item", "1. item", "> quote", "| cell |", "局")
LIVE_HTML = ("<b>粗", "<a href", "<i>")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Names as the app stores them (normalised: no tabs, no spaces beside Chinese characters), so that every
# page finds the department by the name it shows.
hostile_names = some.lists(some.sampled_from(FRAGMENTS), min_size=2, max_size=4).map("".join).filter(
    lambda name: name.strip() and name != "局局")


def markdown_texts(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown: bodies, alerts, headings, metrics and widget labels."""
    texts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info",
                                  "success", "error") for e in at.get(kind) if not getattr(e.proto, "allow_html", False)]
    texts += [str(v) for m in at.get("metric") for v in (m.label, m.value, m.delta) if v]
    texts += [w.label for kind in ("selectbox", "multiselect", "number_input", "checkbox", "radio", "button",
                                   "text_input", "toggle") for w in at.get(kind)]
    texts += [b.label for b in (*at.expander, *at.tabs)]
    return texts


def html_blocks(at: AppTest) -> list[str]:
    """Markdown bodies with HTML allowed (the slides): one HTML block each, whose text is never Markdown."""
    return [e.value for e in at.get("markdown") if e.proto.allow_html]


def figure_texts(at: AppTest) -> list[str]:
    def strings(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, (dict, list)):
            for value in node.values() if isinstance(node, dict) else node:
                yield from strings(value)
    return [s for chart in at.get("plotly_chart") for s in strings(json.loads(chart.proto.spec))]


def every_page(monkeypatch, db, name: str):
    """(page, AppTest) for the rankings page and then every other page, with ``name`` chosen."""
    monkeypatch.setenv("ANALYTICS_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(department=name, year="2022")
    yield "rankings", at.run()
    for page in PAGES:
        at.session_state["departments"] = [name]         # trends: a comma in a name would split the URL list
        yield page, at.switch_page(f"pages/{page}.py").run()


def live_formulas(frame_bytes: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(frame_bytes))
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book.worksheets for row in sheet.iter_rows()
            for cell in row if cell.data_type == "f"
            or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS))]


# every example runs all nine pages: no shrinking (minutes per step), the failing name is printed whole
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_names)
def test_hostile_names_stay_text_on_every_page_and_in_every_export(name, demo_db_master, tmp_path_factory, monkeypatch):
    db = tmp_path_factory.mktemp("hostile") / "demo.duckdb"
    shutil.copy(demo_db_master, db)
    rename_department(db, REAL, name)
    shown_escaped = shown_in_charts = False
    for page, at in every_page(monkeypatch, db, name):
        assert not at.exception, (page, at.exception)
        texts = markdown_texts(at)
        live = [(raw, text) for text in texts for raw in LIVE_MARKDOWN if raw in name and raw in unescaped(text)]
        assert not live, (page, name, live)
        shown_escaped |= any(markdown(name) in text for text in texts)
        for block in html_blocks(at):           # an HTML block ends at a blank line, and Markdown resumes
            assert block.lstrip().startswith("<") and "\n\n" not in block.strip(), (page, block)
            assert not [raw for raw in LIVE_HTML if raw in name and raw in block], (page, block)
        figures = figure_texts(at)
        assert not [s for s in figures for raw in LIVE_HTML if raw in name and raw in s], (page, name)
        shown_in_charts |= any(plotly(name) in s for s in figures)
    assert shown_escaped and shown_in_charts, name     # the name was on screen, as text

    store = Store(db, read_only=True)
    frames = export_frames(store, 2022)
    ranking = compare.ranking(store, 2022)[["department", "total"]]
    store.close()
    workbook = io.BytesIO()
    write_workbook(frames, workbook)
    assert not live_formulas(workbook.getvalue()), name
    from pages.common import table_files
    csv, xlsx = table_files(ranking, "ranking", "说明", "note")
    assert not live_formulas(xlsx), name
    cells = [row[0] for row in csv_rows(io.StringIO(csv.decode("utf-8-sig")))][1:]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], name


# -- one pass in a real browser ---------------------------------------------------------------------------------

BROWSER_NAME = "[点我](https://evil.example/x)**粗**<b>粗</b>$x^2$:red[红]"


@pytest.fixture(scope="module")
def hostile_server(demo_db_master, tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile-browser") / "demo.duckdb"
    shutil.copy(demo_db_master, db)
    rename_department(db, REAL, BROWSER_NAME)
    url, proc = start_server(db)
    yield url
    stop_server(proc)


@pytest.mark.browser
def test_a_hostile_name_injects_no_link_bold_or_formula_in_a_real_browser(page: Page, hostile_server, screenshot_dir):
    page.set_viewport_size(SIZES["1366"])
    asked = quote(BROWSER_NAME)
    chart = ".js-plotly-plot"
    for path, ready in ((f"department?department={asked}&year=2022", chart),
                        (f"municipal?department={asked}&year=2022", chart), (f"trends?departments={asked}", chart),
                        ("rankings?year=2022", chart), ("method", "text=beijing-commerce-2022.txt"),
                        (f"present?department={asked}&year=2022", ".slide-title"),
                        (f"department?department={quote('[请重新登录](https://evil.example)')}", chart)):
        open_page(page, f"{hostile_server}/{path}")
        expect(page.locator(ready).first).to_be_visible(timeout=60000)
        wait_for_app(page)
        page.screenshot(path=str(screenshot_dir / f"hostile-{path.split('?')[0]}-{len(unquote(path))}.png"))
        assert page.locator("[data-testid='stException']").count() == 0, path
        assert page.locator("a[href*='evil.example']").count() == 0, path
        assert page.locator("b, strong", has_text=re.compile("^粗$")).count() == 0, path     # the name's own bold
        assert page.locator(".katex, .stMarkdownColoredText").count() == 0, path
        shown = " ".join(page.locator("[data-testid='stMarkdownContainer'], .slide-title").all_text_contents())
        if path.startswith(("municipal", "method", "present")) or "evil.example)" in unquote(path):
            assert ("[点我](https://evil.example/x)**粗**<b>粗</b>$x^2$" in shown.replace("\u2060", "")
                    or "[请重新登录](https://evil.example)" in shown.replace("\u2060", "")), (path, shown[:300])
