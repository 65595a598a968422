"""The bulk import/export workbook: its sheets and columns, as data.

Header cells read "中文名 (key)"; on import a header may be that, the bare key or the bare Chinese
name.  The same layout is used to export, so an export imports back unchanged.

Units: "amount" columns are in 万元; "rate" columns hold percentage points, as the reports print
them (86.17 means 86.17 %).  A number in a %-formatted cell is read as the percentage the cell shows
(a cell holding 0.8617 and showing 86.17 % gives 86.17); text may end in "%" ("86.17%" gives 86.17).
A percentage in any other column is refused, never rescaled.

The layout holds an evaluation of any framework: the 评价 sheet names each evaluation's framework
(``framework_id``, a format-2 framework shipped or stored in the database), and the 指标得分 sheet holds one
row per node of the evaluation's tree that has a figure: a leaf with its reported score and the inputs its
rule reads (failed checks, the evaluator's score and label, 年度指标值/实际完成值, coefficient), an inner node
with the score its source printed (the level-1 scores), and each indicator the evaluation brings to an open
group (the national layout's department-written 三级指标) with its parent group, names, weight, rule kind,
unit and 偏差原因.
"""
from __future__ import annotations

from dataclasses import dataclass

from analytics.domain.loader import shipped_frameworks
from analytics.domain.model import Framework


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
# The report parser's key of a printed level-1 score (as in parse-report's JSON): "score_<node code>".
SCORE_PREFIX = "score_"


def level1_column(l1: dict) -> str:
    """The report parser's key of a level-1 node's printed score."""
    return SCORE_PREFIX + l1["code"]


EVALUATIONS = Sheet("evaluations", "评价", (
    *KEY_COLUMNS,
    Column("framework_id", "指标体系", "text"),
    Column("source_kind", "数据来源", "text"),
    *(Column(key, name, "amount") for key, name in zip(AMOUNTS, AMOUNT_NAMES)),     # required: those its rules read
    Column("carryover_rate_prev", "上年结转结余率", "rate"),
    Column("execution_rate", "预算执行率(报告)", "rate"),
    Column("carryover_rate", "结转结余率(报告)", "rate"),
    Column("final_account_diff_rate", "部门预决算差异率(报告)", "rate"),
    Column("municipal_avg_diff_rate", "市级平均差异率(报告)", "rate"),
    Column("score_total", "总分", "score", True),
    Column("grade", "等级", "text", True),
    Column("source_file", "来源文件", "text"),
    Column("source_sha256", "来源文件SHA256", "text"),
))

INDICATORS = Sheet("indicator_scores", "指标得分", (
    *KEY_COLUMNS,
    Column("indicator_code", "指标代码", "text", True),
    Column("parent", "上级指标", "text"),
    Column("indicator_name", "指标名称", "text"),
    Column("indicator_name_en", "指标英文名称", "text"),
    Column("weight", "分值", "score"),
    Column("reported_score", "报告得分", "score"),
    Column("score_inferred", "得分为推断", "bool"),
    Column("rule_kind", "计分方法", "text"),
    Column("rule_params", "计分参数", "text"),
    Column("failed_checks", "不合格项数", "int"),
    Column("given", "评价得分", "score"),
    Column("label", "评价结论", "text"),
    Column("choice", "选项", "text"),
    Column("target_text", "年度指标值", "text"),
    Column("actual_text", "实际完成值", "value"),
    Column("unit", "计量单位", "text"),
    Column("coefficient", "得分系数", "rate"),
    Column("deviation_reason", "偏差原因", "text"),
))

SHEETS = (DEPARTMENTS, PARAMETERS, EVALUATIONS, INDICATORS)


def import_frameworks(stored: dict[str, Framework]) -> dict[str, Framework]:
    """{code: framework} an evaluation in the workbook may name: the frameworks shipped with the product
    (format 2) and those stored in the database, a stored one before a shipped one of the same code."""
    shipped = {fw.code: fw for fw, _ in shipped_frameworks().values() if fw is not None}
    return {**shipped, **stored}


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
