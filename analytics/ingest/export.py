"""Export in the template's layout (so an export imports back unchanged), as .xlsx or Parquet,
and the blank template with a filled example (the seed evaluation).  Text that a spreadsheet would run
as a formula is written with a leading ' (analytics.escape), which the import takes off again."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from analytics.background import Report

from analytics.escape import spreadsheet_frame
from analytics.ingest.template import AMOUNTS, INDICATORS, SHEETS, Sheet
from analytics.scores import stored_frameworks
from analytics.store import Store, open_store

NOTES = {
    "zh": ["本工作簿按绩效驾驶舱导入模板排列：部门、年度参数、评价、指标得分四张表；任何指标体系的评价都可导入，“评价”表的“指标体系”列注明所用体系。",
           "金额单位：万元；比率单位：%（如 86.17 表示 86.17%）；得分保留两位小数。",
           "表头为“中文名 (key)”，导入时也接受仅写 key 或仅写中文名。",
           "“指标得分”表每行是评价指标树的一个节点：末级指标的报告得分及计分所需数据；上级指标（如一级指标）的报告得分；"
           "部门自带的三级指标（“上级指标”填所属的开放指标组，并填名称、分值、计分方法、年度指标值、实际完成值、计量单位、偏差原因）。",
           "“数据来源”为 synthetic 的行、“合成数据”为是的行是合成演示数据，并非真实评价结果。"],
    "en": ["This workbook follows the import template: departments, parameters, evaluations, indicator scores; evaluations of any framework import, the evaluations sheet names each one's framework.",
           "Amounts in 10k yuan (万元); rates in percent (86.17 means 86.17 %); scores to 2 decimals.",
           "Headers read '中文名 (key)'; on import the bare key or the bare Chinese name also works.",
           "Each indicator row is a node of the evaluation's tree: a leaf's reported score and the inputs its rule reads; "
           "an inner node's printed score (level-1 scores); an indicator the department brings (parent: its open group, "
           "with name, weight, rule kind, target, actual value, unit and reason for deviation).",
           "Rows whose source kind is 'synthetic' or flagged synthetic are synthetic demo data, not real results."],
}

_EVALUATION_SQL = f"""
    SELECT e.id AS evaluation_id, d.region, d.name AS department, e.year, e.framework_id, e.source_kind,
           {', '.join(f'e.{a}' for a in AMOUNTS)}, e.carryover_rate_prev,
           e.reported_execution_rate AS execution_rate, e.reported_carryover_rate AS carryover_rate,
           e.reported_diff_rate AS final_account_diff_rate, e.reported_municipal_avg_diff_rate AS municipal_avg_diff_rate,
           e.reported_score_total AS score_total, e.reported_grade AS grade, e.source_file, e.source_sha256
    FROM evaluations e JOIN departments d ON d.id = e.department_id
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)
    ORDER BY d.region, e.year, d.name"""

_SCOPE = "(? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)"

# The scores the sources printed for inner nodes, as they were stored (never a sum made here).
_PRINTED_SQL = f"""
    SELECT d.region, d.name AS department, e.year, e.framework_id, p.node AS indicator_code,
           p.reported AS reported_score
    FROM node_reported p JOIN evaluations e ON e.id = p.evaluation_id JOIN departments d ON d.id = e.department_id
    WHERE {_SCOPE}"""

# Every leaf's stored inputs, as the import reads them back.
_LEAF_SQL = f"""
    SELECT d.region, d.name AS department, e.year, e.framework_id, n.node AS indicator_code, n.parent, n.position,
           n.zh, n.en, n.weight, n.reported AS reported_score, n.inferred AS score_inferred, r.kind, r.params,
           CASE WHEN r.kind = 'checklist' THEN n.failed END AS failed_checks, n.given, n.label, n.choice,
           n.target_text, coalesce(n.actual_text, CAST(n.actual AS VARCHAR)) AS actual_text, n.actual_text IS NULL
           AS actual_is_number, n.actual, n.unit, n.coefficient, n.deviation_reason
    FROM node_inputs n JOIN evaluations e ON e.id = n.evaluation_id
    JOIN departments d ON d.id = e.department_id JOIN rules r ON r.rule_id = n.rule_id
    WHERE {_SCOPE}"""


def _tree_order(frameworks: dict) -> dict:
    """(framework, node code) -> the node's path of positions from the root: sorting leaves by
    (their parent's path, their position) lists them in the framework's tree order."""
    paths = {}
    for key, fw in frameworks.items():
        def visit(nodes, prefix):
            for position, node in enumerate(nodes):
                paths[(key, node.code)] = (*prefix, position)
                visit(node.children, paths[(key, node.code)])
        visit(fw.nodes, ())
    return paths


def _leaf_rows(leaves: pd.DataFrame, frameworks: dict) -> pd.DataFrame:
    """The leaves with their names and, for the indicators an evaluation brought to an open group, what
    they state about themselves (names, rule kind and parameters, unit, 偏差原因)."""
    open_groups = {(key, g.code) for key, fw in frameworks.items() for g in fw.open_groups()}
    brought = [(fid, parent) in open_groups for fid, parent in zip(leaves["framework_id"], leaves["parent"])]
    fixed = [None if b else frameworks[fid].node(code) for b, fid, code
             in zip(brought, leaves["framework_id"], leaves["indicator_code"])]
    leaves = leaves.assign(
        indicator_name=[node.zh if node else zh for node, zh in zip(fixed, leaves["zh"])],
        indicator_name_en=[node.en if node else en for node, en in zip(fixed, leaves["en"])],
        rule_kind=[kind if b else None for b, kind in zip(brought, leaves["kind"])],
        rule_params=[params if b and params != "{}" else None for b, params in zip(brought, leaves["params"])],
        actual_text=[actual if is_number else text for text, actual, is_number
                     in zip(leaves["actual_text"], leaves["actual"], leaves["actual_is_number"])])
    return leaves


def _indicator_frame(store: Store, params: list) -> pd.DataFrame:
    """One row per node of each evaluation's tree that holds a figure: every leaf with its inputs, every
    inner node its source printed a score for; in the tree's order."""
    cur = store.cursor()
    try:
        frameworks = stored_frameworks(cur)
    finally:
        cur.close()
    paths = _tree_order(frameworks)
    leaves = _leaf_rows(store.df(_LEAF_SQL, params), frameworks)
    leaves["_order"] = [(*paths[(fid, parent)], position)
                        for fid, parent, position in zip(leaves["framework_id"], leaves["parent"], leaves["position"])]
    printed = store.df(_PRINTED_SQL, params)
    places = {(key, node.code): (node, parent) for key, fw in frameworks.items() for node, _, parent in fw.walk()}
    inner = [places[(fid, code)] for fid, code in zip(printed["framework_id"], printed["indicator_code"])]
    printed = printed.assign(parent=[parent for _, parent in inner], indicator_name=[node.zh for node, _ in inner],
                             indicator_name_en=[node.en for node, _ in inner],
                             weight=[node.weight for node, _ in inner],
                             _order=[paths[key] for key in zip(printed["framework_id"], printed["indicator_code"])])
    rows = pd.concat([frame for frame in (printed, leaves) if not frame.empty] or [leaves], ignore_index=True)
    rows = rows.sort_values(["region", "year", "department", "_order"], kind="stable")
    return rows.reindex(columns=[c.key for c in INDICATORS.columns]).reset_index(drop=True)


def _silent(fraction: float, stage: str, **params) -> None:
    """A progress report nobody listens to."""


def export_frames(store: Store, year: int | None = None, region: str | None = None,
                  report: Report = _silent) -> dict[str, pd.DataFrame]:
    """The four template sheets for the whole database, or one year and/or region: every evaluation of every
    framework, as the import reads it back.  ``report`` hears of each sheet read (the first half of an export)."""
    params = [year, year, region, region]
    report(0.0, "export_reading", sheet=SHEETS[2].name)
    evaluations = store.df(_EVALUATION_SQL, params).drop(columns="evaluation_id")
    keys = set(zip(evaluations["region"], evaluations["department"]))
    departments = store.df("SELECT region, name AS department, short_name, category, is_synthetic FROM departments "
                           "ORDER BY region, name")
    departments = departments.loc[[k in keys for k in zip(departments["region"], departments["department"])]]
    parameters = store.df("""SELECT region, year, key, value, source, is_synthetic FROM year_params
                             WHERE (? IS NULL OR year = ?) AND (? IS NULL OR region = ?) ORDER BY 1, 2, 3""", params)
    report(0.1, "export_reading", sheet=INDICATORS.name)
    indicators = _indicator_frame(store, params)
    return {"departments": departments, "parameters": parameters, "evaluations": evaluations,
            "indicator_scores": indicators}


EXCEL_MAX_ROWS = 1_048_576


class TooLargeForExcel(ValueError):
    """A sheet with more rows than Excel holds; export one year, or as Parquet."""

    def __init__(self, sheet: str, rows: int):
        self.sheet, self.rows = sheet, rows
        super().__init__(f"the sheet {sheet} would have {rows:,} rows, more than Excel's {EXCEL_MAX_ROWS - 1:,}; "
                         "export one year (--year) or as Parquet")


def _labelled(frame: pd.DataFrame, sheet: Sheet) -> pd.DataFrame:
    """The sheet's columns in its order, every one of them (a column no row fills stays empty)."""
    headers = {c.key: c.header for c in sheet.columns}
    return frame.reindex(columns=list(headers)).rename(columns=headers)


def write_workbook(frames: dict[str, pd.DataFrame], out, lang: str = "zh", report: Report = _silent):
    """Write the sheets to a path or a binary buffer (for downloads), with a sheet of notes; ``report`` hears
    of each sheet written (the second half of an export)."""
    for sheet in SHEETS:
        rows = len(frames.get(sheet.key, ()))
        if rows >= EXCEL_MAX_ROWS:
            raise TooLargeForExcel(sheet.name, rows)
    if isinstance(out, (str, Path)):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    notes = NOTES[lang]
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for number, sheet in enumerate(SHEETS):
            report(0.5 + 0.5 * number / len(SHEETS), "export_writing", sheet=sheet.name)
            frame = frames.get(sheet.key, pd.DataFrame(columns=[c.key for c in sheet.columns]))
            spreadsheet_frame(_labelled(frame, sheet)).to_excel(writer, sheet_name=sheet.name, index=False)
        spreadsheet_frame(pd.DataFrame({"说明" if lang == "zh" else "Notes": notes})).to_excel(
            writer, sheet_name="说明" if lang == "zh" else "Notes", index=False)
    return out


def export_workbook(store: Store, out: Path, year: int | None = None, region: str | None = None,
                    lang: str = "zh") -> Path:
    """Write every evaluation in the scope to ``out`` in the template's layout."""
    return write_workbook(export_frames(store, year, region), out, lang)


def parquet_zip(frames: dict[str, pd.DataFrame], out, report: Report = _silent) -> None:
    """The sheets as Parquet files in one zip archive, written to a path or a binary buffer."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (key, frame) in enumerate(frames.items()):
            report(0.5 + 0.5 * number / len(frames), "export_writing", sheet=key)
            data = io.BytesIO()
            frame.to_parquet(data, index=False)
            archive.writestr(f"{key}.parquet", data.getvalue())


def export_bytes(db_path: Path, kind: str, year: int | None, lang: str, report: Report = _silent) -> bytes:
    """The whole export of one year (None: every year) as a file's bytes, ``kind`` "xlsx" (the template's
    layout) or "parquet" (a zip), from a connection of its own (it may run in a background thread)."""
    store = open_store(db_path, read_only=True)
    try:
        frames = export_frames(store, year, report=report)
    finally:
        store.close()
    buffer = io.BytesIO()
    if kind == "xlsx":
        write_workbook(frames, buffer, lang, report)
    else:
        parquet_zip(frames, buffer, report)
    return buffer.getvalue()


def export_parquet(store: Store, out_dir: Path, year: int | None = None, region: str | None = None) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in export_frames(store, year, region).items():
        path = out_dir / f"{key}.parquet"
        frame.to_parquet(path, index=False)
        written.append(path)
    return written


def _examples(evaluations: pd.DataFrame) -> set:
    """(region, department, year) of one evaluation per framework: the real one where there is one, else the
    first (synthetic, and marked so) of the framework's latest year."""
    keys = set()
    for _, group in evaluations.groupby("framework_id", sort=True):
        real = group[group["source_kind"] == "report"]
        row = (real if not real.empty else group[group["year"] == group["year"].max()]).iloc[0]
        keys.add((row["region"], row["department"], row["year"]))
    return keys


def write_template(out: Path, example: Store | None = None) -> Path:
    """The blank template; with a store, one evaluation of each framework it holds filled in as an example
    (the seed report for Beijing's)."""
    if example is None:
        frames = {sheet.key: pd.DataFrame(columns=[c.key for c in sheet.columns]) for sheet in SHEETS}
        return write_workbook(frames, out)
    wanted = _examples(example.df("""SELECT d.region, d.name AS department, e.year, e.framework_id, e.source_kind
                                     FROM evaluations e JOIN departments d ON d.id = e.department_id
                                     ORDER BY d.region, e.year, d.name"""))
    scopes = [export_frames(example, int(year), region) for region, year in sorted({(r, y) for r, _, y in wanted})]
    frames = {sheet.key: pd.concat([scope[sheet.key] for scope in scopes], ignore_index=True) if scopes else
              pd.DataFrame(columns=[c.key for c in sheet.columns]) for sheet in SHEETS}
    for key in ("evaluations", "indicator_scores"):
        frame = frames[key]
        frames[key] = frame[[k in wanted for k in zip(frame["region"], frame["department"], frame["year"])]]
    places = {(region, name) for region, name, _ in wanted}
    departments = frames["departments"].drop_duplicates()
    frames["departments"] = departments[[k in places for k in zip(departments["region"], departments["department"])]]
    parameters = frames["parameters"]
    frames["parameters"] = parameters[~parameters["is_synthetic"].astype(bool)]
    return write_workbook(frames, out)
