"""Department and region names as typed by people: normalised before they are matched or stored.

A name read from a workbook, a report's title or the command line is normalised (Unicode NFKC,
invisible and format characters removed, whitespace collapsed, and dropped next to Chinese characters,
which no word space separates), so a zero-width space, a full-width space or a compatibility
ideograph cannot make a second department that looks identical.  A name that is not known but
nearly the same as a known one (北京市商务厅 for 北京市商务局) is a suspected typo: importers refuse to
create it unless the user says it really is new.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# difflib ratio at or above which an unknown name counts as a near-duplicate of a known one:
# one character different in a six-character name (北京市商务厅 / 北京市商务局) is 0.83; two
# different characters (北京市新设局 / 北京市商务局) are 0.67.
SIMILAR_NAME_RATIO = 0.8

# invisible characters outside category Cf: variation selectors and the Hangul fillers
_INVISIBLE = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u115f\u1160\u3164\uffa0]")
_WHITESPACE = re.compile(r"\s+")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")


def normalise_name(text: str | None) -> str | None:
    """The canonical form of a name; None or a name with nothing visible gives None."""
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", str(text))
    text = "".join(" " if ch.isspace() else ch for ch in text
                   if ch.isspace() or unicodedata.category(ch) not in ("Cf", "Cc"))
    text = _INVISIBLE.sub("", text)
    text = _SPACE_BY_CJK.sub("", _WHITESPACE.sub(" ", text).strip())
    return text or None


@dataclass(frozen=True)
class NameMatch:
    """What a typed department name is: ``existing`` is the stored name it denotes (None if unknown),
    ``similar`` the stored names it nearly equals when it is unknown."""
    region: str
    name: str                      # normalised
    existing: str | None = None
    similar: tuple[str, ...] = ()

    @property
    def stored(self) -> str:
        return self.existing or self.name


@dataclass
class DepartmentNames:
    """The departments a database knows, looked up by normalised name within a region."""
    known: Iterable[tuple[str, str]]
    _by_key: dict = field(default_factory=dict, init=False)
    _by_region: dict = field(default_factory=dict, init=False)

    def __post_init__(self):
        for region, name in sorted(self.known, key=lambda pair: (pair[0], pair[1] != normalise_name(pair[1]))):
            key = (normalise_name(region), normalise_name(name))
            if key not in self._by_key:       # a stored name already in normal form wins a tie
                self._by_key[key] = name
                self._by_region.setdefault(key[0], []).append((key[1], name))

    def resolve(self, region: str, name: str) -> NameMatch:
        region, name = normalise_name(region), normalise_name(name)
        existing = self._by_key.get((region, name))
        if existing is not None:
            return NameMatch(region, name, existing)
        similar = []
        for normal, stored in self._by_region.get(region, ()):
            matcher = difflib.SequenceMatcher(None, name, normal, autojunk=False)
            if matcher.real_quick_ratio() >= SIMILAR_NAME_RATIO and matcher.quick_ratio() >= SIMILAR_NAME_RATIO \
                    and matcher.ratio() >= SIMILAR_NAME_RATIO:
                similar.append((matcher.ratio(), stored))
        return NameMatch(region, name, None, tuple(s for _, s in sorted(similar, key=lambda p: (-p[0], p[1]))))


def admission_problem(match: NameMatch, create: bool, allow_similar: bool) -> tuple[str, dict] | None:
    """Why an import may not use this department, as (issue code, params); None if it may.

    A known name may always be used.  An unknown one is created only when asked (``create``), and one
    that nearly equals a known name only when the user also confirms it is new (``allow_similar``).
    """
    if match.existing is not None:
        return None
    if match.similar and not allow_similar:
        return "similar_department", {"department": match.name, "region": match.region,
                                      "existing": "、".join(match.similar)}
    if not create:
        return "unknown_department", {"department": match.name, "region": match.region}
    return None
