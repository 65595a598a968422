"""Export in the template's layout (so an export imports back unchanged), as .xlsx or Parquet,
and the blank template with a filled example (the seed evaluation).  Text that a spreadsheet would run
as a formula is written with a leading ' (analytics.escape), which the import takes off again."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.escape import spreadsheet_frame
from analytics.ingest.template import AMOUNTS, INDICATORS, SCORE_PREFIX, SHEETS, Sheet, template_frameworks
from analytics.scores import stored_frameworks
from analytics.store import Store

NOTES = {
    "zh": ["本工作簿按绩效驾驶舱导入模板排列：部门、年度参数、评价、指标得分四张表。",
           "金额单位：万元；比率单位：%（如 86.17 表示 86.17%）；得分保留两位小数。",
           "表头为“中文名 (key)”，导入时也接受仅写 key 或仅写中文名。",
           "“数据来源”为 synthetic 的行、“合成数据”为是的行是合成演示数据，并非真实评价结果。"],
    "en": ["This workbook follows the import template: departments, parameters, evaluations, indicator scores.",
           "Amounts in 10k yuan (万元); rates in percent (86.17 means 86.17 %); scores to 2 decimals.",
           "Headers read '中文名 (key)'; on import the bare key or the bare Chinese name also works.",
           "Rows whose source kind is 'synthetic' or flagged synthetic are synthetic demo data, not real results."],
}

_EVALUATION_SQL = f"""
    SELECT e.id AS evaluation_id, d.region, d.name AS department, e.year, e.framework_id, e.source_kind,
           {', '.join(f'e.{a}' for a in AMOUNTS)}, e.carryover_rate_prev,
           e.reported_execution_rate AS execution_rate, e.reported_carryover_rate AS carryover_rate,
           e.reported_diff_rate AS final_account_diff_rate,
           e.reported_score_total AS score_total, e.reported_grade AS grade, e.source_file, e.source_sha256
    FROM evaluations e JOIN departments d ON d.id = e.department_id
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)
      AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], e.framework_id))
    ORDER BY d.region, e.year, d.name"""

# The scores the sources printed for inner nodes, as they were stored (never a sum made here).
_PRINTED_SQL = """
    SELECT p.evaluation_id, p.node, p.reported FROM node_reported p
    JOIN evaluations e ON e.id = p.evaluation_id JOIN departments d ON d.id = e.department_id
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)
      AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], e.framework_id))"""

_INDICATOR_SQL = """
    SELECT d.region, d.name AS department, e.year, e.framework_id, n.node AS indicator_code, n.zh, n.parent,
           n.position, n.weight, n.reported AS reported_score, n.inferred AS score_inferred,
           CASE WHEN r.kind = 'checklist' THEN n.failed END AS failed_checks
    FROM node_inputs n JOIN evaluations e ON e.id = n.evaluation_id
    JOIN departments d ON d.id = e.department_id JOIN rules r ON r.rule_id = n.rule_id
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)
      AND (?::VARCHAR[] IS NULL OR list_contains(?::VARCHAR[], e.framework_id))"""

# The evaluations of the frameworks a selection of them leaves out, counted per framework.
_LEFT_OUT_SQL = """
    SELECT e.framework_id, f.name_zh, f.name_en, count(*) AS evaluations, list(DISTINCT d.region ORDER BY d.region)
    FROM evaluations e JOIN departments d ON d.id = e.department_id LEFT JOIN frameworks f ON f.id = e.framework_id
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?) AND NOT list_contains(?::VARCHAR[], e.framework_id)
    GROUP BY ALL ORDER BY e.framework_id"""


def _with_printed_scores(evaluations: pd.DataFrame, printed: pd.DataFrame) -> pd.DataFrame:
    """One ``score_<node>`` column per inner node a source printed a score for (the template's level-1
    score columns)."""
    if printed.empty:
        return evaluations.drop(columns="evaluation_id")
    wide = printed.assign(node=SCORE_PREFIX + printed["node"]).pivot(
        index="evaluation_id", columns="node", values="reported")
    merged = evaluations.merge(wide, how="left", left_on="evaluation_id", right_index=True)
    return merged.drop(columns="evaluation_id")


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


def _indicator_frame(store: Store, params: list) -> pd.DataFrame:
    rows = store.df(_INDICATOR_SQL, params)
    cur = store.cursor()
    try:
        frameworks = stored_frameworks(cur)
    finally:
        cur.close()
    paths = _tree_order(frameworks)
    rows["indicator_name"] = [zh if isinstance(zh, str) else frameworks[fid].node(code).zh
                              for fid, code, zh in zip(rows["framework_id"], rows["indicator_code"], rows["zh"])]
    rows["_order"] = [(*paths[(fid, parent)], position)
                      for fid, parent, position in zip(rows["framework_id"], rows["parent"], rows["position"])]
    rows = rows.sort_values(["region", "year", "department", "_order"], kind="stable")
    return rows[[c.key for c in INDICATORS.columns]].reset_index(drop=True)


def export_frames(store: Store, year: int | None = None, region: str | None = None,
                  frameworks: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """The four template sheets for the whole database, or one year and/or region, and only the
    evaluations of ``frameworks`` when given (the Parquet export holds every framework's)."""
    params = [year, year, region, region]
    scoped = [*params, frameworks, frameworks]
    evaluations = _with_printed_scores(store.df(_EVALUATION_SQL, scoped), store.df(_PRINTED_SQL, scoped))
    keys = set(zip(evaluations["region"], evaluations["department"]))
    departments = store.df("SELECT region, name AS department, short_name, category, is_synthetic FROM departments "
                           "ORDER BY region, name")
    departments = departments.loc[[k in keys for k in zip(departments["region"], departments["department"])]]
    parameters = store.df("""SELECT region, year, key, value, source, is_synthetic FROM year_params
                             WHERE (? IS NULL OR year = ?) AND (? IS NULL OR region = ?) ORDER BY 1, 2, 3""", params)
    return {"departments": departments, "parameters": parameters, "evaluations": evaluations,
            "indicator_scores": _indicator_frame(store, scoped)}


@dataclass(frozen=True)
class LeftOut:
    """The evaluations of one framework that the workbook's layout cannot hold, so an export leaves out."""
    framework_id: str
    name_zh: str | None
    name_en: str | None
    evaluations: int
    regions: tuple[str, ...]


@dataclass(frozen=True)
class WorkbookExport:
    """The template sheets of what the workbook holds, and what it left out (for the caller to say)."""
    frames: dict[str, pd.DataFrame]
    left_out: tuple[LeftOut, ...]


def left_out_of_workbook(store: Store, year: int | None = None, region: str | None = None) -> tuple[LeftOut, ...]:
    """Per framework the template has no layout for: its evaluations in the scope, which an export
    in the template's layout leaves out."""
    rows = store.rows(_LEFT_OUT_SQL, [year, year, region, region, sorted(template_frameworks())])
    return tuple(LeftOut(key, zh, en, int(count), tuple(regions)) for key, zh, en, count, regions in rows)


def workbook_export(store: Store, year: int | None = None, region: str | None = None) -> WorkbookExport:
    """The sheets of the evaluations the template holds, and a count of those it cannot hold."""
    return WorkbookExport(export_frames(store, year, region, sorted(template_frameworks())),
                          left_out_of_workbook(store, year, region))


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


class NotInTemplate(ValueError):
    """Evaluations of frameworks the template has no layout for were given to the workbook writer:
    written, they would lose their level-1 scores and not import back (use ``workbook_export``)."""

    def __init__(self, frameworks: list[str]):
        self.frameworks = frameworks
        super().__init__(f"the template has no layout for the frameworks {', '.join(frameworks)}")


def _check_template_holds(frames: dict[str, pd.DataFrame]) -> None:
    evaluations = frames.get("evaluations")
    if evaluations is None or "framework_id" not in evaluations:
        return
    held = template_frameworks()
    foreign = sorted({f for f in evaluations["framework_id"].dropna() if f not in held})
    if foreign:
        raise NotInTemplate(foreign)


def write_workbook(frames: dict[str, pd.DataFrame], out, lang: str = "zh", left_out: tuple[LeftOut, ...] = ()):
    """Write the sheets to a path or a binary buffer (for downloads); the notes sheet names what the
    export ``left_out``."""
    from analytics.ingest.messages import left_out_text
    _check_template_holds(frames)
    for sheet in SHEETS:
        rows = len(frames.get(sheet.key, ()))
        if rows >= EXCEL_MAX_ROWS:
            raise TooLargeForExcel(sheet.name, rows)
    if isinstance(out, (str, Path)):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    notes = [*NOTES[lang], *(left_out_text(item, lang) for item in left_out)]
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for sheet in SHEETS:
            frame = frames.get(sheet.key, pd.DataFrame(columns=[c.key for c in sheet.columns]))
            spreadsheet_frame(_labelled(frame, sheet)).to_excel(writer, sheet_name=sheet.name, index=False)
        spreadsheet_frame(pd.DataFrame({"说明" if lang == "zh" else "Notes": notes})).to_excel(
            writer, sheet_name="说明" if lang == "zh" else "Notes", index=False)
    return out


def export_workbook(store: Store, out: Path, year: int | None = None, region: str | None = None,
                    lang: str = "zh") -> tuple[LeftOut, ...]:
    """Write the evaluations the template holds to ``out``; returns what it left out, for the caller to say."""
    export = workbook_export(store, year, region)
    write_workbook(export.frames, out, lang, export.left_out)
    return export.left_out


def export_parquet(store: Store, out_dir: Path, year: int | None = None, region: str | None = None) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, frame in export_frames(store, year, region).items():
        path = out_dir / f"{key}.parquet"
        frame.to_parquet(path, index=False)
        written.append(path)
    return written


def write_template(out: Path, example: Store | None = None) -> Path:
    """The blank template, with the seed evaluation filled in as an example when a store is given."""
    if example is None:
        frames = {sheet.key: pd.DataFrame(columns=[c.key for c in sheet.columns]) for sheet in SHEETS}
    else:
        frames = workbook_export(example, 2022, None).frames
        keep = frames["evaluations"]["source_kind"] == "report"
        frames["evaluations"] = frames["evaluations"][keep]
        wanted = set(zip(frames["evaluations"]["department"], frames["evaluations"]["year"]))
        for key in ("departments", "indicator_scores"):
            frame = frames[key]
            years = frame["year"] if "year" in frame else [2022] * len(frame)
            frames[key] = frame[[(d, y) in wanted for d, y in zip(frame["department"], years)]]
        frames["parameters"] = frames["parameters"][~frames["parameters"]["is_synthetic"].astype(bool)]
    return write_workbook(frames, out)


