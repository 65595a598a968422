"""What a version changed, per evaluation, when the change is in its indicator rows (node_inputs) or in the
scores it printed for inner nodes (node_reported)."""
from analytics.ingest.messages import change_detail_text
from analytics.store import Store
from analytics.versions import Change, new_version, version_changes


def _changes(db, version_id):
    store = Store(db, read_only=True)
    try:
        return version_changes(store, version_id)
    finally:
        store.close()


def test_a_changed_indicator_row_and_a_changed_printed_score_name_their_evaluation(demo_db):
    with new_version(demo_db, Change("import", "hand edit")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("UPDATE node_inputs SET reported = 1.69 WHERE evaluation_id = 1 AND node = 'carryover_rate'")
            cur.execute("UPDATE node_reported SET reported = 15.69 WHERE evaluation_id = 1 AND node = 'budget_management'")
    lines = _changes(demo_db, draft.version_id)
    assert [(r.department, r.year, r.change, list(r.detail)) for r in lines.itertuples()] == [
        ("北京市商务局", 2022, "changed", ["node_inputs", "node_reported"])]
    assert change_detail_text(["node_inputs", "node_reported"], "en") == [
        "indicator scores and inputs", "printed level-1/level-2 scores"]


def test_an_evaluation_whose_only_change_is_a_printed_score(demo_db):
    with new_version(demo_db, Change("import", "hand edit")) as draft:
        with draft.store.transaction() as cur:
            cur.execute("DELETE FROM node_reported WHERE evaluation_id = 1 AND node = 'performance_targets'")
    lines = _changes(demo_db, draft.version_id)
    assert [(r.department, r.change, list(r.detail)) for r in lines.itertuples()] == [
        ("北京市商务局", "changed", ["node_reported"])]
