"""Indicator trees, weights, rule parameters and grade bands, loaded from data/frameworks/*.json.

A framework version is data: adding a province's template is adding a file, not editing code.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analytics import rules
from analytics.paths import FRAMEWORK_DIR

RULE_KINDS = {"ratio", "checklist", "carryover", "diff_rate", "judged"}
WEIGHT_TOLERANCE = 1e-6


class FrameworkError(ValueError):
    """A framework file that cannot be used, with the file and the place that is wrong."""


@dataclass(frozen=True)
class Indicator:
    code: str
    level1: str
    level2: str
    zh: str
    en: str
    weight: float
    rule: dict
    aliases: tuple[str, ...] = ()
    items: int = 1
    formula: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.rule["kind"]

    @property
    def checks(self) -> list[dict]:
        return self.rule.get("checks", [])

    @property
    def names(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases)


@dataclass(frozen=True)
class Framework:
    id: str
    name: dict
    region: str
    source: str
    grade_bands: tuple[dict, ...]
    level1: tuple[dict, ...]
    level2: tuple[dict, ...]
    indicators: tuple[Indicator, ...]
    sha256: str
    raw: dict

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def level2_of(self, code: str) -> dict:
        return next(l2 for l2 in self.level2 if l2["code"] == code)

    def level1_of_indicator(self, ind: Indicator) -> dict:
        return next(l1 for l1 in self.level1 if l1["code"] == ind.level1)

    def grade(self, total: float | None) -> str | None:
        return rules.grade_for(total, self.grade_bands)

    def normalise_grade(self, text: str | None) -> str | None:
        """Map 优/良/中等/合格/不合格 … and English names to the canonical band name."""
        if text is None:
            return None
        text = text.strip().strip("“”\"'「」")
        for band in self.grade_bands:
            if text in (band["grade"], band.get("en"), *band.get("synonyms", ())):
                return band["grade"]
        return None


def _fail(path: Path, message: str) -> FrameworkError:
    return FrameworkError(f"{path.name}: {message}")


def _validate(path: Path, raw: dict) -> None:
    for key in ("id", "name", "grade_bands", "level1", "level2", "indicators"):
        if key not in raw:
            raise _fail(path, f"missing key '{key}'")
    total = sum(l1["weight"] for l1 in raw["level1"])
    if abs(total - 100) > WEIGHT_TOLERANCE:
        raise _fail(path, f"level-1 weights sum to {total}, not 100")
    l1_codes = {l1["code"] for l1 in raw["level1"]}
    for l1 in raw["level1"]:
        children = sum(l2["weight"] for l2 in raw["level2"] if l2["level1"] == l1["code"])
        if abs(children - l1["weight"]) > WEIGHT_TOLERANCE:
            raise _fail(path, f"level-2 weights under '{l1['code']}' sum to {children}, not {l1['weight']}")
    for l2 in raw["level2"]:
        if l2["level1"] not in l1_codes:
            raise _fail(path, f"level-2 '{l2['code']}' names unknown level-1 '{l2['level1']}'")
        children = sum(i["weight"] for i in raw["indicators"] if i["level2"] == l2["code"])
        if abs(children - l2["weight"]) > WEIGHT_TOLERANCE:
            raise _fail(path, f"indicator weights under '{l2['code']}' sum to {children}, not {l2['weight']}")
    l2_codes = {l2["code"] for l2 in raw["level2"]}
    seen = set()
    for ind in raw["indicators"]:
        if ind["code"] in seen:
            raise _fail(path, f"indicator '{ind['code']}' appears twice")
        seen.add(ind["code"])
        if ind["level2"] not in l2_codes:
            raise _fail(path, f"indicator '{ind['code']}' names unknown level-2 '{ind['level2']}'")
        kind = ind.get("rule", {}).get("kind")
        if kind not in RULE_KINDS:
            raise _fail(path, f"indicator '{ind['code']}' has unknown rule kind '{kind}'")
        if kind == "checklist" and not ind["rule"].get("checks"):
            raise _fail(path, f"checklist indicator '{ind['code']}' lists no checks")
    if not raw["grade_bands"]:
        raise _fail(path, "no grade bands")


def load_framework(path: Path) -> Framework:
    data = path.read_bytes()
    try:
        raw = json.loads(data)
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON ({exc})") from exc
    _validate(path, raw)
    l2_parent = {l2["code"]: l2["level1"] for l2 in raw["level2"]}
    indicators = tuple(
        Indicator(code=i["code"], level1=l2_parent[i["level2"]], level2=i["level2"], zh=i["zh"], en=i["en"],
                  weight=float(i["weight"]), rule=i["rule"], aliases=tuple(i.get("aliases", ())),
                  items=int(i.get("items", 1)), formula=i.get("formula", {}))
        for i in raw["indicators"])
    return Framework(id=raw["id"], name=raw["name"], region=raw.get("region", ""), source=raw.get("source", ""),
                     grade_bands=tuple(raw["grade_bands"]), level1=tuple(raw["level1"]), level2=tuple(raw["level2"]),
                     indicators=indicators, sha256=hashlib.sha256(data).hexdigest(), raw=raw)


@lru_cache(maxsize=None)
def load_all(directory: Path = FRAMEWORK_DIR) -> dict[str, Framework]:
    frameworks = {}
    for path in sorted(directory.glob("*.json")):
        fw = load_framework(path)
        frameworks[fw.id] = fw
    return frameworks


DEFAULT_FRAMEWORK_ID = "beijing-2022"


def default_framework() -> Framework:
    return load_all()[DEFAULT_FRAMEWORK_ID]
