"""Every table download of a view that holds synthetic demo rows says so in its notes sheet: no page may
hand out a file of synthetic figures under the note that all rows come from real reports."""
from __future__ import annotations

import pytest

import pages.common
from analytics.i18n import t
from apptest import open_app

# views of the whole demo year (every one holds synthetic evaluations)
PAGES = ["rankings", "municipal", "cross_framework", "trends", "rule_change"]


def download_notes(monkeypatch, db, page: str) -> dict[str, str]:
    """{file name: the note its notes sheet carries} of every table download the page offers."""
    notes: dict[str, str] = {}
    real_table_files = pages.common.table_files

    def recording(table, basename, notice_sheet, note):
        notes[basename] = note
        return real_table_files(table, basename, notice_sheet, note)

    monkeypatch.setattr(pages.common, "table_files", recording)
    open_app(monkeypatch, db, page, year="2022")
    return notes


@pytest.mark.parametrize("page", PAGES)
def test_downloads_of_synthetic_views_are_marked_synthetic(demo_db_master, monkeypatch, page):
    notes = download_notes(monkeypatch, demo_db_master, page)
    assert notes, f"{page} offers no table download"
    claimed_real = sorted(name for name, note in notes.items() if note == t("export_real_note", "zh"))
    assert not claimed_real, f"{page}: {claimed_real} say every row is real"
    assert set(notes.values()) == {t("export_synthetic_note", "zh")}


def test_the_method_pages_downloads_say_what_their_rows_are(demo_db_master, monkeypatch):
    """The real report's file list is real; the framework's tree, checks and grade bands are definitions (not
    evaluation results, real or synthetic); the counts and the year parameters hold synthetic rows."""
    notes = download_notes(monkeypatch, demo_db_master, "method")
    kinds = {name: next(kind for kind in ("real", "synthetic", "definition") if note == t(f"export_{kind}_note", "zh"))
             for name, note in notes.items()}
    assert kinds.pop("source_files") == "real"
    definitions = {name for name in kinds if name.startswith(("framework_", "checks_", "grades_"))}
    assert definitions and {kinds[name] for name in definitions} == {"definition"}
    assert {kinds[name] for name in set(kinds) - definitions} == {"synthetic"}, kinds
