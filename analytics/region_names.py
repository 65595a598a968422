"""Region names as shown to the reader.  A region's stored Chinese name (departments.region, e.g. 北京市)
stays its identifier (URLs, lookups); its English name is data, in the table ``regions(name, name_en)``
(migration 6), shown when the interface speaks English.  A region without one is shown by its Chinese name."""
from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from analytics.department_names import in_language
from analytics.domain.synthetic_county import COUNTY_EN, COUNTY_ZH
from analytics.store import Store

# English names of the regions the product ships data for: Beijing's template and the demo's county.
KNOWN = {"北京市": "Beijing", COUNTY_ZH: COUNTY_EN}


def english_names(store: Store) -> dict[str, str]:
    """Chinese name → English name of every region with one stored."""
    return dict(store.rows("SELECT name, name_en FROM regions WHERE name_en IS NOT NULL AND trim(name_en) <> ''"))


def shown_region(name: str, english: Mapping[str, str], lang: str) -> str:
    """The region's name to display in ``lang``: the English one where the language is English and one is known."""
    return in_language(name, english.get(name), lang)


def region_name(store: Store, name: str, lang: str) -> str:
    """One region's name in ``lang``, looked up in the store."""
    return shown_region(name, english_names(store) if lang == "en" else {}, lang)


def shown_regions(frame: pd.DataFrame, english: Mapping[str, str], lang: str, column: str = "region") -> pd.DataFrame:
    """A copy of ``frame`` for display whose ``column`` holds the region names to show in ``lang``; anything
    that looks a region up keeps the stored names."""
    if lang != "en" or frame.empty:
        return frame
    return frame.assign(**{column: frame[column].map(lambda name: shown_region(name, english, lang))})


def name_known_regions(cur: duckdb.DuckDBPyConnection) -> None:
    """Give the regions the store holds departments of their English names where KNOWN has one and the store
    has none yet (the demo's build and migration 6 on an older store)."""
    cur.executemany("""INSERT INTO regions (name, name_en)
                       SELECT ?, ? WHERE EXISTS (SELECT 1 FROM departments WHERE region = ?)
                       ON CONFLICT (name) DO UPDATE SET name_en = coalesce(regions.name_en, excluded.name_en)""",
                    [[zh, en, zh] for zh, en in KNOWN.items()])
