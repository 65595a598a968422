"""A write rescores only the evaluations it touched; what it leaves in the derived tables must be what a
full rescoring gives, for every kind of write (import, parameter change, delete, restore)."""
from __future__ import annotations

import duckdb

from analytics import scores
from analytics.versions import Change, new_version, restore

DERIVED = ("score_leaves", "score_inner", "score_totals", "score_inner_nodes")


def derived_rows(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in DERIVED}
    finally:
        con.close()


def fully_rescored(path, tmp_path) -> dict:
    copy = tmp_path / "full.duckdb"
    copy.write_bytes(path.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        scores.refresh(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return derived_rows(copy)


def test_each_write_leaves_the_scores_a_full_rescoring_gives(demo_db, tmp_path):
    seed = "(SELECT id FROM evaluations WHERE source_kind = 'report')"
    with new_version(demo_db, Change("import", "changed carry-over")) as draft:
        with draft.store.transaction() as cur:
            cur.execute(f"UPDATE evaluations SET carryover_amount = 30290.62 WHERE id = {seed}")
            cur.execute(f"UPDATE node_inputs SET failed = 1 WHERE node = 'fund_compliance' AND evaluation_id = {seed}")
    assert derived_rows(demo_db) == fully_rescored(demo_db, tmp_path)
    changed_total = duckdb.connect(str(demo_db), read_only=True).execute(
        f"SELECT rule_total FROM evaluation_scores WHERE evaluation_id = {seed}").fetchall()
    assert changed_total != [(92.42,)]          # the write did move the seed's score by the rules

    with new_version(demo_db, Change("import", "average")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("UPDATE year_params SET value = value + 7 WHERE year = 2021")
    assert derived_rows(demo_db) == fully_rescored(demo_db, tmp_path)

    with new_version(demo_db, Change("delete", "one")) as draft:
        with draft.store.transaction() as cur:
            gone = cur.execute("SELECT min(id) FROM evaluations WHERE year = 2020").fetchall()[0][0]
            cur.execute("DELETE FROM node_inputs WHERE evaluation_id = ?", [gone])
            cur.execute("DELETE FROM node_reported WHERE evaluation_id = ?", [gone])
            cur.execute("DELETE FROM evaluations WHERE id = ?", [gone])
    assert derived_rows(demo_db) == fully_rescored(demo_db, tmp_path)

    assert restore(demo_db, 1) is not None
    assert derived_rows(demo_db) == fully_rescored(demo_db, tmp_path)
    seed = duckdb.connect(str(demo_db), read_only=True).execute(
        "SELECT reported_total, rule_total FROM evaluation_scores s JOIN evaluations e ON e.id = s.evaluation_id "
        "WHERE e.source_kind = 'report'").fetchall()
    assert seed == [(90.73, 92.42)]
