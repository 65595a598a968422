"""Department names as shown to the reader: the stored Chinese name stays the identifier (URLs, lookups);
in English the department's English name (departments.name_en) is shown where one is stored."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analytics.store import Store


def english_names(store: Store) -> dict[str, str]:
    """Chinese name → English name of every department with one stored.  A name stored in two regions
    with different English names is left out (shown in Chinese) rather than shown with the wrong one."""
    rows = store.df("SELECT DISTINCT name, name_en FROM departments "
                    "WHERE name_en IS NOT NULL AND trim(name_en) <> ''")
    single = rows.groupby("name")["name_en"].transform("nunique") == 1
    return dict(zip(rows.loc[single, "name"], rows.loc[single, "name_en"]))


def in_language(name: str, name_en: str | None, lang: str) -> str:
    """A department's name in ``lang``: its English name ``name_en`` where the language is English and one
    is stored, else its (Chinese) name."""
    return name_en if lang == "en" and isinstance(name_en, str) and name_en.strip() else name


def shown_name(name: str, english: Mapping[str, str], lang: str) -> str:
    """The name to display in ``lang``: the English one where the language is English and one is known."""
    return in_language(name, english.get(name), lang)


def shown_departments(frame: pd.DataFrame, english: Mapping[str, str], lang: str,
                      column: str = "department") -> pd.DataFrame:
    """A copy of ``frame`` for display: ``column`` holds the names to show in ``lang``; in English a
    translated department's short name (Chinese) gives way to its English name.  Only for tables and
    figures: anything that looks a department up keeps the stored names."""
    if lang != "en" or frame.empty:
        return frame
    shown = frame.copy()
    translated = shown[column].isin(english.keys())
    shown[column] = shown[column].map(lambda name: shown_name(name, english, lang))
    if "short_name" in shown:
        shown["short_name"] = shown["short_name"].mask(translated, shown[column])
    return shown
