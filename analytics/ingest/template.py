"""The bulk import/export workbook: its sheets and columns, as data.

Header cells read "中文名 (key)"; on import a header may be that, the bare key or the bare Chinese
name.  The same layout is used to export, so an export imports back unchanged.

Units: "amount" columns are in 万元; "rate" columns hold percentage points, as the reports print
them (86.17 means 86.17 %).  A number in a %-formatted cell is read as the percentage the cell shows
(a cell holding 0.8617 and showing 86.17 % gives 86.17); text may end in "%" ("86.17%" gives 86.17).
A percentage in any other column is refused, never rescaled.
"""
from __future__ import annotations

from dataclasses import dataclass

from analytics.framework import load_all


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    kind: str          # "text", "int", "amount" (万元), "rate" (percentage points), "score", "bool"
    required: bool = False

    @property
    def header(self) -> str:
        return f"{self.zh} ({self.key})"


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = True

    @property
    def name(self) -> str:
        return f"{self.zh} ({self.key})"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


KEY_COLUMNS = (Column("region", "地区", "text", True), Column("department", "部门名称", "text", True),
               Column("year", "年度", "int", True))

DEPARTMENTS = Sheet("departments", "部门", (
    Column("region", "地区", "text", True), Column("department", "部门名称", "text", True),
    Column("short_name", "简称", "text"), Column("category", "类别", "text"),
    Column("is_synthetic", "合成数据", "bool"),
), required=False)

PARAMETERS = Sheet("parameters", "年度参数", (
    Column("region", "地区", "text", True), Column("year", "年度", "int", True),
    Column("key", "参数", "text", True), Column("value", "数值", "rate", True), Column("source", "来源", "text", True),
    Column("is_synthetic", "合成数据", "bool"),
), required=False)

AMOUNTS = ("budget_basic", "budget_project", "budget_other", "budget_total", "spent_basic", "spent_project",
           "spent_other", "spent_total", "carryover_amount", "initial_budget_basic", "initial_budget_project",
           "initial_budget_total", "final_account_total")
AMOUNT_NAMES = ("全年预算数-基本支出", "全年预算数-项目支出", "全年预算数-其他支出", "全年预算数", "执行数-基本支出",
                "执行数-项目支出", "执行数-其他支出", "执行数", "结转结余总额", "年初预算数-基本支出",
                "年初预算数-项目支出", "年初预算数", "决算数")
REQUIRED_AMOUNTS = ("budget_total", "spent_total", "carryover_amount", "initial_budget_total", "final_account_total")
# A printed level-1 score is the column "score_<node code>" (as in parse-report's JSON); the sheet below
# lays out Beijing 2022's level-1 nodes.
SCORE_PREFIX = "score_"


def level1_column(l1: dict) -> str:
    """The column of a level-1 node's printed score."""
    return SCORE_PREFIX + l1["code"]


EVALUATIONS = Sheet("evaluations", "评价", (
    *KEY_COLUMNS,
    Column("framework_id", "指标体系", "text"),
    Column("source_kind", "数据来源", "text"),
    *(Column(key, name, "amount", key in REQUIRED_AMOUNTS) for key, name in zip(AMOUNTS, AMOUNT_NAMES)),
    Column("carryover_rate_prev", "上年结转结余率", "rate"),
    Column("execution_rate", "预算执行率(报告)", "rate"),
    Column("carryover_rate", "结转结余率(报告)", "rate"),
    Column("final_account_diff_rate", "部门预决算差异率(报告)", "rate"),
    Column("score_budget_execution", "当年预算执行情况得分", "score", True),
    Column("score_performance_targets", "整体绩效目标实现情况得分", "score", True),
    Column("score_budget_management", "预算管理情况得分", "score", True),
    Column("score_total", "总分", "score", True),
    Column("grade", "等级", "text", True),
    Column("source_file", "来源文件", "text"),
    Column("source_sha256", "来源文件SHA256", "text"),
))

INDICATORS = Sheet("indicator_scores", "指标得分", (
    *KEY_COLUMNS,
    Column("indicator_code", "指标代码", "text", True),
    Column("indicator_name", "指标名称", "text"),
    Column("weight", "分值", "score"),
    Column("reported_score", "报告得分", "score"),
    Column("score_inferred", "得分为推断", "bool"),
    Column("failed_checks", "不合格项数", "int"),
))

SHEETS = (DEPARTMENTS, PARAMETERS, EVALUATIONS, INDICATORS)


def template_frameworks() -> dict:
    """{id: framework} of the frameworks whose evaluations this layout holds: those the import reads
    (analytics.framework) with a score column for each of their level-1 nodes.  An evaluation of any
    other framework (e.g. the national self-evaluation table) has no place in the workbook yet."""
    columns = {c.key for c in EVALUATIONS.columns}
    return {key: fw for key, fw in load_all().items() if all(level1_column(l1) in columns for l1 in fw.level1)}


def sheet_for(name: str) -> Sheet | None:
    """The sheet a worksheet or CSV file name stands for: "评价 (evaluations)", "evaluations", "评价"."""
    name = name.strip()
    for sheet in SHEETS:
        if name in (sheet.name, sheet.key, sheet.zh):
            return sheet
    return None


def column_for(sheet: Sheet, header) -> Column | None:
    text = str(header).strip() if header is not None else ""
    for column in sheet.columns:
        if text in (column.header, column.key, column.zh):
            return column
    return None
