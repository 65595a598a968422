"""The evaluation's part of a document of several parts (a 部门决算: "第四部分 2022年度部门绩效评价情况" after the
决算 tables), so that only its figures are read."""
from __future__ import annotations

import re
from typing import Callable, TypeVar

Item = TypeVar("Item")

PART_HEADING = re.compile(r"^\s*第[一二三四五六七八九十]+部分\s*(.*)$")
EVALUATION_WORDS = ("绩效评价", "绩效自评")
YEAR_IN_LINE = re.compile(r"(?:19|20)\d{2}\s*年")


def evaluation_slice(lines: list[str | None]) -> slice | None:
    """Of a document's lines (None for a table), those of the evaluation's part, or None when the
    document has no such part."""
    heads = [(i, match.group(1)) for i, line in enumerate(lines)
             if line is not None and (match := PART_HEADING.match(line))]
    at = next((k for k, (_, title) in enumerate(heads) if any(word in title for word in EVALUATION_WORDS)), None)
    if at is None:
        return None
    return slice(heads[at][0] + 1, heads[at + 1][0] if at + 1 < len(heads) else len(lines))


def lacks_title(lines: list[str | None]) -> bool:
    """The part opens without a title line naming the year (so the document's title names department and year)."""
    opening = next((line for line in lines if line is not None and line.strip()), "")
    return not YEAR_IN_LINE.search(opening)


def evaluation_items(items: list[Item], text_of: Callable[[Item], str | None]) -> list[Item]:
    """Of a document's items in reading order (lines, paragraphs, tables: ``text_of`` gives a line's text,
    None for a table), those of the evaluation's part, led by the document's title when the part has
    none; all of them when the document has no such part."""
    texts = [text_of(item) for item in items]
    part = evaluation_slice(texts)
    if part is None:
        return items
    title = next((item for item, text in zip(items, texts) if text is not None and text.strip()), None)
    body = items[part]
    return [title, *body] if title is not None and lacks_title(texts[part]) else body
