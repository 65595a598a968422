"""情景模拟 / What-if: change one department-year's inputs and see score, grade and rank move; goal seek,
sensitivity, and saved scenarios compared side by side.  Scenarios never change the evaluation data."""
import json
import secrets

import pandas as pd
import streamlit as st

from analytics import compare, scenario
from analytics.charts import scenario as charts
from analytics.escape import markdown
from analytics.scenario_text import indicator_name
from analytics.scenario import ScenarioInputError
from analytics.scenario_store import MAX_COMPARED, ScenarioNotYours, ScenarioStore, ScenarioStoreError
from analytics.store import StoreError
from pages import admin_gate, context, whatif_panels as panels
from pages.common import (department_name, download_buttons, language, load, page_start, scenario_store,
                          synthetic_notice, tr)

FLASH_KEY = "wi_flash"
REOPENED_KEY = "wi_reopened"


# -- choosing the evaluation ---------------------------------------------------------------------------

def choose(evaluations: pd.DataFrame) -> tuple[str, int]:
    """Department and year, on the context shared by every page."""
    left, right = st.columns([3, 1])
    with left:
        department = context.selectbox("department", tr("department"), sorted(evaluations["department"].unique()))
    own = evaluations[evaluations["department"] == department]
    with right:
        year = context.selectbox("year", tr("year"), sorted(own["year"], reverse=True))
    return department, int(year)


# -- saved scenarios -----------------------------------------------------------------------------------

def flash(kind: str, message: str) -> None:
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def _owner() -> str:
    """This session's token: the scenarios it saves are its own to delete or overwrite."""
    return st.session_state.setdefault("wi_owner", secrets.token_hex(16))


def _admin_rights() -> bool:
    """Signed in as admin, or the admin password typed beside the saved scenarios (throttled like sign-in)."""
    given = st.session_state.get("wi_admin_password")
    if admin_gate.signed_in() or not given:
        return admin_gate.signed_in()
    outcome = admin_gate.check_password(given)
    for message in admin_gate.refusals(outcome):
        flash("error", message)
    return outcome.code == "ok"


def _save(store: ScenarioStore, baseline: scenario.Baseline) -> None:
    name = st.session_state.get("wi_save_name", "")
    overrides = panels.current_overrides(baseline)
    overwrite = bool(st.session_state.get("wi_overwrite"))
    try:
        store.save(name, baseline, overrides, scenario.apply(baseline, overrides), owner=_owner(),
                   overwrite=overwrite, admin=overwrite and _admin_rights())
    except ScenarioNotYours as refused:
        flash("error", tr("wi_not_yours", name=refused.name))
    except ScenarioInputError:
        flash("error", tr("wi_save_invalid"))
    except ScenarioStoreError as error:
        flash("error", panels.localized(str(error)))
    else:
        flash("success", tr("wi_saved_ok", name=name.strip()))
        st.session_state["wi_save_name"] = ""


def _reopen(store: ScenarioStore, scenario_id: int) -> None:
    row = store.get(scenario_id)
    context.put("department", row["department"])
    context.put("year", int(row["year"]))
    st.session_state[panels.PENDING_KEY] = row["overrides"]
    st.session_state[REOPENED_KEY] = (row["name"], row["data_version"])
    flash("success", tr("wi_reopened", name=row["name"], department=department_name(row["department"]), year=row["year"]))


def _delete(store: ScenarioStore, scenario_id: int) -> None:
    name = store.get(scenario_id)["name"]
    try:
        store.delete(scenario_id, owner=_owner(), admin=_admin_rights())
    except ScenarioNotYours:
        flash("error", tr("wi_not_yours", name=name))
    else:
        flash("success", tr("wi_deleted", name=name))


def data_status(saved: pd.DataFrame, region: str) -> list[str]:
    """Whether each saved scenario's evaluation still holds the data it was saved against."""
    status = []
    for row in saved.itertuples():
        try:
            current = load(scenario.load_baseline, row.department, int(row.year), region).data_version
        except compare.NotFoundError:
            status.append(tr("wi_data_missing"))
            continue
        status.append(tr("wi_data_same" if current == row.data_version else "wi_data_differs"))
    return status


def saved_list(store: ScenarioStore, baseline: scenario.Baseline) -> None:
    show_all = st.toggle(tr("wi_show_all"), key="wi_show_all")
    saved = store.list(None if show_all else baseline.department, None if show_all else baseline.year)
    if saved.empty:
        st.info(tr("wi_no_saved"))
        return
    table = pd.DataFrame({
        tr("wi_col_name"): saved["name"], tr("department"): saved["department"].map(department_name), tr("year"): saved["year"],
        tr("total"): saved["total"], tr("grade"): saved["grade"].map(lambda grade: panels.grade_name(baseline, grade)), tr("rank"): saved["rank"],
        tr("wi_col_inputs"): saved["overrides"].map(lambda raw: panels.describe_overrides(json.loads(raw), baseline)),
        tr("wi_col_saved_at"): saved["created_at"],
        tr("wi_col_framework"): saved["framework_id"], tr("wi_col_data_version"): saved["data_version"],
        tr("wi_col_data_status"): data_status(saved, baseline.region)})
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={tr("total"): st.column_config.NumberColumn(format="%.2f"),
                                tr("wi_col_saved_at"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")})
    labels = {int(r.id): f"{r.name} · {department_name(r.department)} {r.year}" for r in saved.itertuples()}
    if st.session_state.get("wi_pick") not in labels:
        st.session_state["wi_pick"] = next(iter(labels))
    pick, reopen, delete = st.columns([4, 1, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(tr("wi_pick_saved"), list(labels), format_func=labels.get, key="wi_pick")
    reopen.button(tr("wi_reopen"), key="wi_reopen", on_click=_reopen, args=(store, chosen), width="stretch")
    delete.button(tr("wi_delete"), key="wi_delete", on_click=_delete, args=(store, chosen), width="stretch")
    if saved.set_index("id").loc[chosen, "owner"] != _owner() and not admin_gate.signed_in():
        st.text_input(tr("wi_admin_password"), type="password", key="wi_admin_password",
                      help=tr("wi_admin_password_help"))


def comparison(store: ScenarioStore, baseline: scenario.Baseline) -> None:
    """Up to four saved scenarios of this department-year beside the actual: table and grouped bars."""
    saved = store.list(baseline.department, baseline.year)
    if saved.empty:
        return
    names = dict(zip(saved["id"].astype(int), saved["name"]))
    st.session_state["wi_compare"] = [i for i in st.session_state.get("wi_compare", []) if i in names]
    chosen = st.multiselect(tr("wi_compare", count=MAX_COMPARED), list(names), format_func=names.get,
                            max_selections=MAX_COMPARED, key="wi_compare", placeholder=tr("choose_options"))
    rows = [("wi_actual", tr("wi_actual"), scenario.actual(baseline))]
    for scenario_id in chosen:
        row = store.get(scenario_id)
        if row["data_version"] != baseline.data_version:
            st.warning(tr("wi_data_changed", name=row["name"], saved=row["data_version"],
                          current=baseline.data_version))
        try:
            rows.append((row["name"], row["name"], scenario.apply(baseline, row["overrides"])))
        except ScenarioInputError as error:
            st.error(f"{markdown(row['name'])}: " + " ".join(panels.localized(m) for m in error.errors.values()))
    if len(rows) == 1:
        return
    level1 = [node.code for node in baseline.tree.nodes]
    frame = pd.DataFrame([{"name": label, **result.level1, "total": result.total, "grade": result.grade,
                           "rank": result.rank} for _, label, result in rows])
    st.plotly_chart(charts.scenario_comparison(frame, baseline.tree, language(), tr("wi_compare_title")),
                    width="stretch", key="wi_compare_chart")
    headers = {"name": tr("wi_col_name"), **{c: indicator_name(c, language(), baseline.tree) for c in level1},
               "total": tr("total"), "grade": tr("grade"), "rank": tr("rank")}
    table = frame.assign(grade=frame["grade"].map(lambda grade: panels.grade_name(baseline, grade))).rename(columns=headers)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={headers[c]: st.column_config.NumberColumn(format="%.2f") for c in [*level1, "total"]})
    download_buttons(table, f"whatif_compare_{baseline.year}", key="whatif_compare",
                     source_kinds=pd.Series(baseline.source_kind, index=table.index))


def saved_section(baseline: scenario.Baseline) -> None:
    st.divider()
    st.subheader(tr("wi_saved_title"))
    st.caption(tr("wi_saved_note"))
    try:
        store = scenario_store()
    except StoreError as error:
        st.warning(tr("wi_store_unavailable", error=error))
        return
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(message)
    name, overwrite, save = st.columns([4, 1, 2], vertical_alignment="bottom")
    name.text_input(tr("wi_save_name"), key="wi_save_name", max_chars=80)
    overwrite.checkbox(tr("wi_overwrite"), key="wi_overwrite")
    save.button(tr("wi_save"), key="wi_save", on_click=_save, args=(store, baseline), type="primary",
                width="stretch", icon=":material/save:")
    saved_list(store, baseline)
    comparison(store, baseline)


# -- the page --------------------------------------------------------------------------------------------

db = page_start("page_whatif")
region = context.region()
department, year = choose(pd.DataFrame(load(scenario.evaluations, region), columns=["department", "year"]))
baseline = load(scenario.load_baseline, department, year, region)
if baseline.source_kind == "synthetic":
    synthetic_notice(1)
st.caption(tr("wi_intro"))
reopened = st.session_state.pop(REOPENED_KEY, None)
if reopened and reopened[1] != baseline.data_version:
    st.warning(tr("wi_data_changed", name=reopened[0], saved=reopened[1], current=baseline.data_version))
panels.studio(baseline)
saved_section(baseline)
