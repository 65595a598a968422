"""Chinese mode shows Chinese: every page is rendered in zh under AppTest and every text it sends to the
browser (labels, placeholders, help, messages, table headers and cells) is scanned for English words.
Data values that are English by nature (file names, hashes, identifiers, units) are allowed by pattern."""
import re
from collections.abc import Sequence

import pytest
from google.protobuf.message import Message

from analytics import catalog
from analytics.escape import markdown
from apptest import open_app

PAGES = ["rankings", "department", "trends", "municipal", "cross_framework", "present", "whatif", "rule_change", "data",
         "method"]
# not words of the interface: file names, hashes, ids, URLs, environment variables, CLI commands, formats
ALLOWED = re.compile(r"""[\w.-]+\.(txt|xlsx|csv|docx|json|duckdb|pptx|pdf|png|zip)\b | \b[0-9a-f]{12,64}\b
                         | \bbeijing-\d{4}\b | \bANALYTICS_\w+ | python\s+-m\s+analytics[\w\s-]* | --[\w-]+
                         | \b(CSV|XLSX|Excel|Parquet|PDF|PNG|PPT|PPTX|CLI|URL|sha256|SHA256|SHA-256|ID|KaTeX|DuckDB|Plotly)\b
                         | \banalytics(\.\w+)+ | \b(min|max)\(
                         | :material/\w+: | \bhttps?://\S+ | \#[0-9A-Fa-f]{3,8}\b | \b(English|Language|Streamlit|secrets|admin_password|SYNTHETIC)\b
                         | \b(Home|End)\b        # key caps""",
                     re.VERBOSE)
MARKUP = re.compile(r"<(style|script)>.*?</\1>|<[^>]*>", re.S)      # the page's own HTML and scripts, not text
WORD = re.compile(r"[A-Za-z]{3,}")
# proto fields that carry text the user reads
TEXT_FIELDS = {"body", "label", "placeholder", "help", "options", "value", "text", "caption"}


def _strings(message: Message):
    for field, value in message.ListFields():
        for item in (value if isinstance(value, Sequence) and not isinstance(value, str) else [value]):
            if isinstance(item, Message):
                yield from _strings(item)
            elif isinstance(item, str) and field.name in TEXT_FIELDS:
                yield field.name, item


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def shown_texts(at) -> list[str]:
    """Every text of the rendered page: element protos' text fields, and tables' headers and text cells."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and getattr(node, "type", "") not in ("plotly_chart", "arrow_data_frame",
                                                                              "dataframe"):
            found += [text for _, text in _strings(proto)]
    for frame in at.dataframe:
        table = frame.value
        found += [str(c) for c in table.columns]
        for column in table.columns:
            found += [v for v in table[column].tolist() if isinstance(v, str)]
    return found


def english_words(texts: list[str], data_values: list[str]) -> dict[str, str]:
    """English words outside markup, allowed patterns and the given data values (e.g. a framework's citation)."""
    leaks = {}
    for text in texts:
        for value in data_values:
            text = text.replace(value, " ")
        for word in WORD.findall(ALLOWED.sub(" ", MARKUP.sub(" ", text))):
            leaks.setdefault(word, text[:120])
    return leaks


@pytest.mark.parametrize("page", PAGES)
def test_chinese_pages_show_no_english(page, demo_db_master, demo_store, monkeypatch, tmp_path):
    monkeypatch.setenv("ANALYTICS_SCENARIO_DB", str(tmp_path / "scenarios.duckdb"))
    monkeypatch.setenv("ANALYTICS_ADMIN_PASSWORD", "s3cret")
    at = open_app(monkeypatch, demo_db_master, page, department="北京市商务局", year="2022")
    # Streamlit's own placeholder ("Choose options") is drawn by the browser when none is given
    assert all(box.proto.placeholder for box in at.multiselect), [box.label for box in at.multiselect]
    citations = catalog.frameworks(demo_store)["source"].tolist()
    citations += [markdown(c) for c in citations]          # as Markdown shows them
    codes = catalog.frameworks(demo_store)["id"].tolist()   # identifiers, as `framework show CODE` takes them
    leaks = english_words(shown_texts(at), citations + codes)
    assert not leaks, "\n".join(f"{word}: {text}" for word, text in leaks.items())
