"""The one translation table for every user-visible string (zh-CN default, English)."""
from __future__ import annotations

from analytics.texts import (cli, common, conclusions, data, department, ingest, method, municipal, rankings, scenario,
                             slides,
                             trends, whatif)
from analytics.texts import reports as report_texts

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# Each page or export keeps its strings in its own module under analytics/texts; together they are
# the one table.  A key defined twice is an error, so sections cannot silently override each other.
SECTIONS = (common.TEXT, rankings.TEXT, department.TEXT, trends.TEXT, municipal.TEXT, method.TEXT, scenario.TEXT,
            whatif.TEXT, ingest.TEXT, data.TEXT, conclusions.TEXT, slides.TEXT, cli.TEXT)
SECTIONS += (report_texts.TEXT,)


def _merge(sections) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for section in sections:
        for key, entry in section.items():
            if key in merged:
                raise KeyError(f"translation key '{key}' is defined twice")
            missing = [lang for lang in LANGUAGES if lang not in entry]
            if missing:
                raise KeyError(f"translation key '{key}' lacks {', '.join(missing)}")
            merged[key] = entry
    return merged


TEXT: dict[str, dict[str, str]] = _merge(SECTIONS)


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **values) -> str:
    entry = TEXT[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def parameter_source(source: str, is_synthetic: bool, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where a year parameter comes from: a generated one says so in the reader's language; a real one cites
    its source as stored."""
    return t("param_source_synthetic", lang) if is_synthetic else source


def grade_name(grade: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A grade (优秀/良好/中/差, 优/良/中/差) in the chosen language; "—" where there is none; a framework's
    own label the table does not know, as written."""
    if not grade:
        return "—"
    return t(f"grade_{grade}", lang) if f"grade_{grade}" in TEXT else grade


def category_name(category: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A department category in the chosen language; categories without a translation show as given."""
    if not category:
        return "—"
    entry = TEXT.get(f"category_{category}")
    return entry[lang] if entry else category
