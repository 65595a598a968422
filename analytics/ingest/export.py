"""Export in the template's layout (so an export imports back unchanged), as .xlsx or Parquet,
and the blank template with a filled example (the seed evaluation).  Text that a spreadsheet would run
as a formula is written with a leading ' (analytics.escape), which the import takes off again."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.escape import spreadsheet_frame
from analytics.ingest.template import AMOUNTS, SHEETS, Sheet
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
    SELECT d.region, d.name AS department, e.year, e.framework_id, e.source_kind,
           {', '.join(f'e.{a}' for a in AMOUNTS)}, e.carryover_rate_prev,
           e.reported_execution_rate AS execution_rate, e.reported_carryover_rate AS carryover_rate,
           e.reported_diff_rate AS final_account_diff_rate,
           e.reported_score_budget_execution AS score_budget_execution,
           e.reported_score_performance_targets AS score_performance_targets,
           e.reported_score_budget_management AS score_budget_management,
           e.reported_score_total AS score_total, e.reported_grade AS grade, e.source_file, e.source_sha256
    FROM evaluations e JOIN departments d ON d.id = e.department_id
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)
    ORDER BY d.region, e.year, d.name"""

_INDICATOR_SQL = """
    SELECT d.region, d.name AS department, e.year, r.indicator_code, i.name_zh AS indicator_name, i.weight,
           r.reported_score, r.score_inferred, CASE WHEN i.rule_kind = 'checklist' THEN r.failed_count END AS failed_checks
    FROM indicator_results r JOIN evaluations e ON e.id = r.evaluation_id
    JOIN departments d ON d.id = e.department_id
    JOIN indicators i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
    WHERE (? IS NULL OR e.year = ?) AND (? IS NULL OR d.region = ?)
    ORDER BY d.region, e.year, d.name, i.sort_order"""


def export_frames(store: Store, year: int | None = None, region: str | None = None) -> dict[str, pd.DataFrame]:
    """The four template sheets for the whole database, or one year and/or region."""
    params = [year, year, region, region]
    evaluations = store.df(_EVALUATION_SQL, params)
    keys = set(zip(evaluations["region"], evaluations["department"]))
    departments = store.df("SELECT region, name AS department, short_name, category, is_synthetic FROM departments "
                           "ORDER BY region, name")
    departments = departments[[k in keys for k in zip(departments["region"], departments["department"])]]
    parameters = store.df("""SELECT region, year, key, value, source, is_synthetic FROM year_params
                             WHERE (? IS NULL OR year = ?) AND (? IS NULL OR region = ?) ORDER BY 1, 2, 3""", params)
    return {"departments": departments, "parameters": parameters, "evaluations": evaluations,
            "indicator_scores": store.df(_INDICATOR_SQL, params)}


EXCEL_MAX_ROWS = 1_048_576


class TooLargeForExcel(ValueError):
    """A sheet with more rows than Excel holds; export one year, or as Parquet."""

    def __init__(self, sheet: str, rows: int):
        self.sheet, self.rows = sheet, rows
        super().__init__(f"the sheet {sheet} would have {rows:,} rows, more than Excel's {EXCEL_MAX_ROWS - 1:,}; "
                         "export one year (--year) or as Parquet")


def _labelled(frame: pd.DataFrame, sheet: Sheet) -> pd.DataFrame:
    columns = [c for c in sheet.columns if c.key in frame.columns]
    return frame[[c.key for c in columns]].rename(columns={c.key: c.header for c in columns})


def write_workbook(frames: dict[str, pd.DataFrame], out, lang: str = "zh"):
    """Write the sheets to a path or a binary buffer (for downloads)."""
    for sheet in SHEETS:
        rows = len(frames.get(sheet.key, ()))
        if rows >= EXCEL_MAX_ROWS:
            raise TooLargeForExcel(sheet.name, rows)
    if isinstance(out, (str, Path)):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for sheet in SHEETS:
            frame = frames.get(sheet.key, pd.DataFrame(columns=[c.key for c in sheet.columns]))
            spreadsheet_frame(_labelled(frame, sheet)).to_excel(writer, sheet_name=sheet.name, index=False)
        pd.DataFrame({"说明" if lang == "zh" else "Notes": NOTES[lang]}).to_excel(
            writer, sheet_name="说明" if lang == "zh" else "Notes", index=False)
    return out


def export_workbook(store: Store, out: Path, year: int | None = None, region: str | None = None) -> Path:
    return write_workbook(export_frames(store, year, region), out)


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
        frames = export_frames(example, 2022, None)
        keep = frames["evaluations"]["source_kind"] == "report"
        frames["evaluations"] = frames["evaluations"][keep]
        wanted = set(zip(frames["evaluations"]["department"], frames["evaluations"]["year"]))
        for key in ("departments", "indicator_scores"):
            frame = frames[key]
            years = frame["year"] if "year" in frame else [2022] * len(frame)
            frames[key] = frame[[(d, y) in wanted for d, y in zip(frame["department"], years)]]
        frames["parameters"] = frames["parameters"][~frames["parameters"]["is_synthetic"].astype(bool)]
    return write_workbook(frames, out)


