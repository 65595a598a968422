"""A framework (a workbook or JSON file) stored in the database as a new data version, and the list of the
stored ones: shared by ``python -m analytics framework import|list`` and the data page."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analytics import catalog, evaluation_tree, records, scores
from analytics.domain.authoring.reader import read_framework_file
from analytics.domain.issues import Issue
from analytics.domain.model import Framework
from analytics.store import Store
from analytics.versions import Change, new_version

SUFFIXES = (".xlsx", ".json")


class FrameworkInUse(Exception):
    """An import that would change the definition of a stored framework that evaluations are scored by."""

    def __init__(self, code: str, evaluations: int):
        super().__init__(code, evaluations)
        self.code, self.evaluations = code, evaluations


def store_framework(cur, fw: Framework) -> None:
    """Store ``fw``; a changed definition may replace a stored one only while no evaluation is scored by it."""
    stored = scores.stored_frameworks(cur).get(fw.code)
    if stored is not None and stored != fw:
        used = cur.execute("SELECT count(*) FROM evaluations WHERE framework_id = ?", [fw.code]).fetchall()[0][0]
        if used:
            raise FrameworkInUse(fw.code, used)
    records.ensure_framework(cur, fw)


def read_framework(name: str, data: bytes) -> tuple[Framework | None, list[Issue]]:
    """The framework in an uploaded file (its name says .xlsx or .json), validated; issues name cells."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return None, [Issue("not_a_workbook", {}, "$")]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"framework{suffix}"
        path.write_bytes(data)
        return read_framework_file(path)


@dataclass
class FrameworkImport:
    """What importing a framework file did: the framework read (None when it has errors), every issue found,
    the new data version (None when refused or unchanged), and the evaluations that refused a change."""
    framework: Framework | None
    issues: list[Issue] = field(default_factory=list)
    version_id: int | None = None
    unchanged: bool = False
    in_use: FrameworkInUse | None = None

    @property
    def stored(self) -> bool:
        return self.framework is not None and self.in_use is None


def import_framework(db_path: Path, name: str, data: bytes, sha256: str, note: str = "") -> FrameworkImport:
    """Validate the file and store its framework as a new data version; nothing is written on any error."""
    fw, issues = read_framework(name, data)
    if fw is None:
        return FrameworkImport(None, issues)
    change = Change("framework", note or f"framework {fw.code} {fw.version} from {name}",
                    [{"name": name, "sha256": sha256}])
    try:
        with new_version(Path(db_path), change) as draft:
            with draft.store.transaction() as cur:
                store_framework(cur, fw)
    except FrameworkInUse as refused:
        return FrameworkImport(fw, issues, in_use=refused)
    return FrameworkImport(fw, issues, None if draft.unchanged else draft.version_id, draft.unchanged)


def stored_list(store: Store) -> pd.DataFrame:
    """The frameworks stored in the database: code, names, version, region, indicators, open groups and how
    many evaluations each scores, with their years."""
    counts = catalog.frameworks(store).set_index("id")["evaluations"]
    years = store.df("SELECT framework_id, min(year) AS first, max(year) AS last FROM evaluations GROUP BY ALL")
    years = years.set_index("framework_id")
    rows = [{"code": code, "name_zh": fw.name_zh, "name_en": fw.name_en, "version": fw.version, "region": fw.region,
             "indicators": len(fw.leaves()), "open_groups": len(fw.open_groups()),
             "evaluations": int(counts.get(code, 0)),
             "first_year": years["first"].get(code), "last_year": years["last"].get(code)}
            for code, fw in evaluation_tree.frameworks(store).items()]
    return pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "version", "region", "indicators", "open_groups",
                                       "evaluations", "first_year", "last_year"])
