"""Why a report is refused, in the user's language: a zh message quotes no English reason (codes and
parameters are put into words at the edge), an en message says the same in English."""
from __future__ import annotations

import re

import pytest

from analytics.ingest.messages import error_text
from analytics.ingest.report_parser import ReportParseError, parse_report
from report_pdfs import write_scanned_pdf
from report_variants import SEED_TEXT

# Latin words a zh message may carry: format names
FORMAT_NAMES = {"PDF", "UTF", "GBK", "OCR", "docx", "Word"}


def latin_words(message: str, file_name: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", message.replace(file_name, ""))) - FORMAT_NAMES


def refused(path):
    with pytest.raises(ReportParseError) as caught:
        parse_report(path)
    return caught.value


CASES = {
    "empty.txt": (b"", "empty"),
    "binary.txt": (b"\x00\x01\x02 binary", "binary"),
    "latin.txt": (SEED_TEXT.encode("utf-8") + b"\xff\xfe", "neither UTF-8 nor GBK"),
    "broken.docx": (b"PK\x03\x04 not really a zip", "not a readable .docx"),
    "broken.pdf": (b"%PDF-1.4\n garbage", "not a readable PDF"),
    "notes.txt": ("随便写的一段文字。".encode("utf-8"), "could not find"),
    "two.txt": ((SEED_TEXT + "\n" + SEED_TEXT.replace("北京市商务局", "北京市档案馆")).encode("utf-8"), "several"),
}


@pytest.mark.parametrize("name", CASES)
def test_a_refusal_reason_is_in_the_users_language(tmp_path, name):
    content, english = CASES[name]
    path = tmp_path / name
    path.write_bytes(content)
    error = refused(path)
    zh, en = error.message("zh"), error.message("en")
    assert not latin_words(zh, name), zh
    assert name in zh and english in en, en
    assert error_text(error, "zh") == zh and error_text(error, "en") == en


def test_a_scanned_pdf_is_refused_in_chinese_for_want_of_a_text_layer(tmp_path):
    error = refused(write_scanned_pdf(SEED_TEXT, tmp_path / "scanned.pdf"))
    assert "文字层" in error.message("zh") and not latin_words(error.message("zh"), "scanned.pdf"), error.message("zh")
    assert "without a text layer" in error.message("en")


def test_national_weights_that_do_not_add_up_are_refused_not_a_crash(tmp_path):
    from national_variants import NationalReport
    path = tmp_path / "weights.txt"
    path.write_text(NationalReport().text().replace("\t720人次\n\t10\n", "\t720人次\n\t5\n"), encoding="utf-8")
    error = refused(path)
    assert error.code == "report_table_invalid" and error.params["sum"] == 95.0
    assert "分值合计 95" in error.message("zh") and "add up to 95" in error.message("en")
