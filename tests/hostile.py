"""Hostile names for escaping tests: markup and formulas that must stay text wherever a name lands."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb


def rename_department(db: Path, old: str, new: str) -> None:
    """Rename a department in a private copy of a database, its short name too (tests only: pages never
    write).  DuckDB refuses to update a referenced row's unique name, so the evaluations move to a new row."""
    con = duckdb.connect(str(db))
    try:
        new_id = con.execute("SELECT max(id) + 1 FROM departments").fetchone()[0]
        old_id = con.execute("SELECT id FROM departments WHERE name = ?", [old]).fetchone()[0]
        con.execute("""INSERT INTO departments (id, region, name, short_name, category, is_synthetic)
                       SELECT ?, region, ?, ?, category, is_synthetic FROM departments WHERE id = ?""",
                    [new_id, new, new, old_id])
        con.execute("UPDATE evaluations SET department_id = ? WHERE department_id = ?", [new_id, old_id])
        con.execute("DELETE FROM departments WHERE id = ?", [old_id])
    finally:
        con.close()


def unescaped(body: str) -> str:
    """A Markdown body with every backslash-escaped character (and the word joiner that breaks autolinks
    and shortcodes) replaced by "·": what is left of a construct is live Markdown."""
    return re.sub(r"\\.", "·", body).replace("\u2060", "·")


# Markup that must never survive unescaped in a Markdown body or a Plotly label.
LIVE_MARKDOWN = ("](", "**粗", "$x", ":red[", "https://", "`码", "~~删", "<b>", ":material/", "www.", "a@evil")
