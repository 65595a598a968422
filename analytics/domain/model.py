"""A framework version as data: frozen dataclasses built by ``loader`` from JSON or a workbook.

The tree is 2 to 4 levels deep (leaves at depth 2–4; the root is not a level).  A leaf has a rule; an
inner node has children; an *open group* has neither: each evaluation brings its own leaves there
(the national self-evaluation table's department-written 三级指标), of the kinds ``open_kinds`` allows,
and its weight (and its ancestors') may then be left to the evaluation (None).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterator, Mapping

from analytics.domain.rounding import finite
from analytics.domain.vocabulary import FIGURES, GRADE_SYNONYMS, Figure


def freeze(value):
    """Deep read-only copy of JSON data (dicts → mapping proxies, lists → tuples)."""
    if isinstance(value, dict):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value):
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Rule:
    kind: str
    params: Mapping


@dataclass(frozen=True)
class Node:
    code: str
    zh: str
    en: str
    weight: float | None
    children: tuple["Node", ...] = ()
    rule: Rule | None = None
    open_kinds: tuple[str, ...] | None = None    # set on an open group: the kinds brought leaves may use
    concept: str | None = None
    aliases: tuple[str, ...] = ()
    items: int = 1
    formula: Mapping | None = None               # {"zh": …, "en": …}: the rule in words
    assumed: bool = False                        # the rule is an assumption, not published text
    note: str = ""

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None

    @property
    def is_open(self) -> bool:
        return self.open_kinds is not None


@dataclass(frozen=True)
class GradeBand:
    label: str
    en: str
    min: float
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Framework:
    code: str
    version: str
    name_zh: str
    name_en: str
    nodes: tuple[Node, ...]
    grade_bands: tuple[GradeBand, ...]
    total: float = 100.0
    figures: tuple[Figure, ...] = ()             # the framework's own figures beyond the shared vocabulary
    region: str = ""
    source: str = ""
    example: bool = False                        # an example framework (some rules assumed), not an official one
    note: str = ""

    def walk(self) -> Iterator[tuple[Node, int, str | None]]:
        """(node, depth, parent code) in pre-order; depth 1 is level 1."""
        def visit(nodes, depth, parent):
            for node in nodes:
                yield node, depth, parent
                yield from visit(node.children, depth + 1, node.code)
        yield from visit(self.nodes, 1, None)

    def node(self, code: str) -> Node:
        for node, _, _ in self.walk():
            if node.code == code:
                return node
        raise KeyError(code)

    def leaves(self) -> list[Node]:
        return [node for node, _, _ in self.walk() if node.is_leaf]

    def open_groups(self) -> list[Node]:
        return [node for node, _, _ in self.walk() if node.is_open]

    def figure(self, code: str) -> Figure | None:
        own = {f.code: f for f in self.figures}
        return own.get(code) or FIGURES.get(code)

    def known_figures(self) -> set[str]:
        return set(FIGURES) | {f.code for f in self.figures}

    def grade(self, total: float | None) -> str | None:
        """Grade of a total: bands carry inclusive lower bounds; below every band is the lowest band."""
        if not finite(total):
            return None
        ordered = sorted(self.grade_bands, key=lambda b: b.min, reverse=True)
        for band in ordered:
            if total >= band.min:
                return band.label
        return ordered[-1].label

    def grade_label(self, grade: str | None, lang: str) -> str:
        """A grade in this framework's words (优秀/Excellent, 优/…): its band's label, or its English name;
        "—" for none; a grade no band knows, as written."""
        if grade is None or grade != grade:      # None or NaN
            return "—"
        label = self.normalise_grade(grade)
        band = next((b for b in self.grade_bands if b.label == label), None)
        if band is None:
            return grade
        return band.en if lang == "en" and band.en else band.label

    def normalise_grade(self, text: str | None) -> str | None:
        """A grade as written in a report (优/良好/中等/合格/不合格/Excellent …) → this framework's label."""
        if text is None:
            return None
        text = text.strip().strip("“”\"'「」").replace(" ", "")
        for band in self.grade_bands:
            family = next((set((k, *v)) for k, v in GRADE_SYNONYMS.items() if band.label in (k, *v)), set())
            if text in {band.label, band.en, *band.synonyms, *family}:
                return band.label
        return None
