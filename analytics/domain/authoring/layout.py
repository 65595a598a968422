"""The framework workbook's layout: sheet names and columns, shared by the writer and the reader."""
from __future__ import annotations

from openpyxl.utils import get_column_letter

INSTRUCTIONS = "说明"
META = "框架"
TREE = "指标"
PARAMS = "参数"
GRADES = "等级"
FIGURES = "数据项"
EXAMPLE = "示例"
LISTS = "词表"          # hidden: the dropdowns' lists

# (JSON key, header) in column order
META_ROWS = [("code", "框架编码 code"), ("version", "版本 version"), ("name_zh", "名称"), ("name_en", "英文名称"),
             ("region", "地区"), ("source", "来源"), ("example", "示例框架（是/否）"), ("note", "说明"),
             ("total", "总分")]
TREE_COLUMNS = [("level", "层级"), ("code", "编码"), ("parent", "上级编码"), ("zh", "名称"), ("en", "英文名称"),
                ("weight", "分值"), ("kind", "规则类型"), ("concept", "概念"), ("open", "自设三级指标（是/否）"),
                ("open_kinds", "允许的规则类型"), ("assumed", "规则为假设（是/否）"), ("note", "说明"),
                ("aliases", "别名"), ("items", "条目数"), ("formula_zh", "计分公式"), ("formula_en", "英文计分公式")]
PARAM_COLUMNS = [("code", "指标编码"), ("name", "参数"), ("value", "值")]
GRADE_COLUMNS = [("label", "等级"), ("en", "英文"), ("min", "下限（含）"), ("synonyms", "同义词")]
FIGURE_COLUMNS = [("code", "编码"), ("zh", "名称"), ("en", "英文名称"), ("unit", "单位"), ("scope", "范围")]
YES, NO = "是", "否"
SEPARATOR = "、"


def column_letter(columns: list[tuple[str, str]], key: str) -> str:
    return get_column_letter([k for k, _ in columns].index(key) + 1)
