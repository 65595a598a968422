"""Reports as GBK text and as PDF printed by Chromium: ruled tables over several pages, a table without
lines (text fallback), a scanned PDF without a text layer, a broken PDF."""
from __future__ import annotations

import pdfplumber
import pytest

from analytics.ingest.report_parser import ReportParseError, parse_report
from analytics.paths import SEED_REPORT
from report_pdfs import write_pdf, write_scanned_pdf
from report_variants import SEED_TEXT, to_fullwidth, variant_figures, variant_report

IGNORED = {"source_file": None, "source_sha256": None}
FIGURES = variant_figures(department="广州市番禺区教育局", year=2024, budget_basic=123456.78,
                          budget_project=1111111.11, spent_basic=100000.0, spent_project=765432.1,
                          initial_budget_basic=98765.43, initial_budget_project=543210.99,
                          carryover_rate_prev=5.25, municipal_avg_diff_rate=31.7)
VARIANT_TEXT = to_fullwidth(variant_report(FIGURES, thousands=True))
SEED = parse_report(SEED_REPORT) | IGNORED


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    return {"seed": write_pdf(SEED_TEXT, folder / "seed.pdf"),
            "variant": write_pdf(VARIANT_TEXT, folder / "variant.pdf"),
            "plain": write_pdf(SEED_TEXT, folder / "plain.pdf", ruled=False)}


def test_gbk_text_parses_like_the_utf8_seed(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(SEED_TEXT.replace("\xa0", " ").encode("gbk"))   # GBK has no no-break space
    assert parse_report(path) | IGNORED == SEED


def test_text_in_neither_utf8_nor_gbk_is_refused_with_that_reason(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(SEED_TEXT.encode("utf-8") + b"\xff\xfe")
    with pytest.raises(ReportParseError) as refused:
        parse_report(path)
    assert "neither UTF-8 nor GBK" in str(refused.value) and refused.value.code == "report_not_readable"


def test_the_pdf_table_runs_over_several_pages(pdfs):
    with pdfplumber.open(pdfs["seed"]) as pdf:
        pages_with_tables = [page.page_number for page in pdf.pages if page.find_tables()]
    assert len(pages_with_tables) >= 2


def test_a_ruled_pdf_parses_like_the_text(pdfs):
    assert parse_report(pdfs["seed"]) | IGNORED == SEED


def test_a_variant_pdf_parses_to_its_own_figures_to_the_cent(pdfs, tmp_path):
    parsed = parse_report(pdfs["variant"])
    keys = [key for key in FIGURES if key in parsed]
    assert {key: parsed[key] for key in keys} == {key: FIGURES[key] for key in keys}
    text = tmp_path / "variant.txt"
    text.write_text(VARIANT_TEXT, encoding="utf-8")
    assert parsed | IGNORED == parse_report(text) | IGNORED


def test_a_pdf_table_without_lines_gives_the_narratives_figures_and_names_the_rest(pdfs):
    parsed = parse_report(pdfs["plain"])
    stated = [key for key in SEED if key not in ("indicators", "checks", "missing", "findings", "rule_total",
                                                 "carryover_rate_prev", "source_file", "source_sha256")]
    assert {key: parsed[key] for key in stated} == {key: SEED[key] for key in stated}
    assert parsed["carryover_rate_prev"] is None and "carryover_rate_prev" in parsed["missing"]
    assert parsed["rule_total"] is None            # not a total of scores the table did not give
    unscored = [row["code"] for row in parsed["indicators"] if row["score"] is None]
    assert [f"indicator:{code}" for code in unscored] == [m for m in parsed["missing"] if m.startswith("indicator:")]


def test_a_scanned_pdf_is_refused_for_having_no_text_layer(tmp_path):
    path = write_scanned_pdf(SEED_TEXT, tmp_path / "scanned.pdf")
    with pytest.raises(ReportParseError) as refused:
        parse_report(path)
    assert "without a text layer" in str(refused.value) and refused.value.code == "report_not_readable"


def test_a_broken_pdf_is_refused_in_one_line(tmp_path, pdfs):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n" + pdfs["seed"].read_bytes()[9:4000])
    with pytest.raises(ReportParseError) as refused:
        parse_report(path)
    message = str(refused.value)
    assert "PDF" in message and "\n" not in message and str(tmp_path) not in message
