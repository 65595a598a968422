"""Every table download of a view that holds synthetic demo rows says so in its notes sheet: no page may
hand out a file of synthetic figures under the note that all rows come from real reports."""
from __future__ import annotations

import pytest

import pages.common
from analytics.i18n import t
from apptest import open_app

# views of the whole demo year (every one holds synthetic evaluations)
PAGES = ["rankings", "municipal", "cross_framework", "trends", "rule_change"]


@pytest.mark.parametrize("page", PAGES)
def test_downloads_of_synthetic_views_are_marked_synthetic(demo_db_master, monkeypatch, page):
    notes: dict[str, str] = {}
    real_table_files = pages.common.table_files

    def recording(table, basename, notice_sheet, note):
        notes[basename] = note
        return real_table_files(table, basename, notice_sheet, note)

    monkeypatch.setattr(pages.common, "table_files", recording)
    open_app(monkeypatch, demo_db_master, page, year="2022")
    assert notes, f"{page} offers no table download"
    claimed_real = sorted(name for name, note in notes.items() if note == t("export_real_note", "zh"))
    assert not claimed_real, f"{page}: {claimed_real} say every row is real"
    assert set(notes.values()) == {t("export_synthetic_note", "zh")}
