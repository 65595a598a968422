"""Writing framework workbooks: ``write_template`` (blank, with the national framework as an example)
and ``export_framework`` (a framework that imports back equal)."""
from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from analytics.domain.authoring import layout as L
from analytics.domain.loader import framework_to_dict, shipped_frameworks
from analytics.domain.rules import BROUGHT_KINDS, KINDS
from analytics.domain.vocabulary import CONCEPTS, FIGURES

INSTRUCTIONS = [
    "评价指标体系（框架）模板 · Framework workbook",
    "1. “框架”表：填写框架编码（字母、数字、短横线）、版本、名称、地区、来源；示例框架填“是”。",
    "2. “指标”表：每行一个指标，按层级从上到下填写。一级指标的“上级编码”留空；二级、三级、四级指标填写上级指标的编码。",
    "   同一上级下的分值之和必须等于上级分值，一级指标之和等于总分（通常 100）。树最少 2 级、最多 4 级。",
    "3. 末级指标选择“规则类型”（下拉）：ratio 比率、target 指标值比较、qualitative 定性分档、bands 分档计分、"
    "deduction 超出扣分、checklist 逐项扣分、judged 评价人打分、either_or 二者择其一、coefficient 得分系数。",
    "4. 由各部门自设三级指标的分组（如 产出指标 → 数量指标）：在“自设三级指标”填“是”，不选规则类型，分值可留空。",
    "5. “参数”表：每行一个参数（指标编码、参数名、值）。列表和对象（如分档、超目标扣分档、检查项）填写 JSON。",
    "   规则读取的数据项使用共享词表中的编码（见“词表”），或先在“数据项”表中定义（编码、名称、单位）。",
    "6. “等级”表：等级名称、英文、下限（含）和同义词（用顿号分隔）。",
    "7. “示例”表是全国通用的部门整体支出绩效自评表，仅供参考，导入时不读取。",
    "导入：python -m analytics framework check 文件.xlsx；错误会指出工作表、行和列。",
]


def _sheet(wb, title, columns, rows):
    ws = wb.create_sheet(title)
    ws.append([header for _, header in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(key) for key, _ in columns])
    return ws


def _tree_rows(data: dict) -> tuple[list[dict], list[dict]]:
    tree, params = [], []

    def visit(nodes, level, parent):
        for n in nodes:
            formula = n.get("formula") or {}
            rule = n.get("rule") or {}
            tree.append({"level": level, "code": n["code"], "parent": parent, "zh": n["zh"], "en": n.get("en") or None,
                         "weight": n.get("weight"), "kind": rule.get("kind"), "concept": n.get("concept"),
                         "open": L.YES if "open" in n else None,
                         "open_kinds": ",".join(n["open"]["kinds"]) if "open" in n else None,
                         "assumed": L.YES if n.get("assumed") else None, "note": n.get("note") or None,
                         "aliases": L.SEPARATOR.join(n.get("aliases", ())) or None, "items": n.get("items"),
                         "formula_zh": formula.get("zh"), "formula_en": formula.get("en")})
            for name, value in rule.get("params", {}).items():
                shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
                params.append({"code": n["code"], "name": name, "value": shown})
            visit(n.get("children", ()), level + 1, n["code"])
    visit(data["nodes"], 1, None)
    return tree, params


def _write(wb: Workbook, data: dict, example: dict | None) -> None:
    meta = wb.create_sheet(L.META)
    for key, header in L.META_ROWS:
        value = data["name"].get(key[5:]) if key.startswith("name_") else data.get(key)
        meta.append([header, (L.YES if value else L.NO) if key == "example" else value])
    tree, params = _tree_rows(data)
    tree_ws = _sheet(wb, L.TREE, L.TREE_COLUMNS, tree)
    _sheet(wb, L.PARAMS, L.PARAM_COLUMNS, params)
    _sheet(wb, L.GRADES, L.GRADE_COLUMNS, [{**b, "synonyms": L.SEPARATOR.join(b["synonyms"]) or None}
                                           for b in data["grade_bands"]])
    _sheet(wb, L.FIGURES, L.FIGURE_COLUMNS, data.get("figures", []))
    if example:
        rows, example_params = _tree_rows(example)
        ws = _sheet(wb, L.EXAMPLE, L.TREE_COLUMNS, rows)
        ws.append([])
        ws.append([header for _, header in L.PARAM_COLUMNS])
        for row in example_params:
            ws.append([row[key] for key, _ in L.PARAM_COLUMNS])
    _dropdowns(wb, tree_ws)


def _dropdowns(wb: Workbook, tree_ws) -> None:
    lists = wb.create_sheet(L.LISTS)
    lists.sheet_state = "hidden"
    columns = [list(KINDS), list(CONCEPTS), [L.YES, L.NO], list(FIGURES), list(BROUGHT_KINDS)]
    for c, values in enumerate(columns, start=1):
        for r, value in enumerate(values, start=1):
            lists.cell(row=r, column=c, value=value)
    for key, list_column, n in (("kind", "A", len(KINDS)), ("concept", "B", len(CONCEPTS)), ("open", "C", 2),
                                ("assumed", "C", 2)):
        dv = DataValidation(type="list", formula1=f"'{L.LISTS}'!${list_column}$1:${list_column}${n}", allow_blank=True)
        tree_ws.add_data_validation(dv)
        dv.add(f"{L.column_letter(L.TREE_COLUMNS, key)}2:{L.column_letter(L.TREE_COLUMNS, key)}500")


def _new_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = L.INSTRUCTIONS
    for line in INSTRUCTIONS:
        ws.append([line])
    ws.column_dimensions["A"].width = 120
    return wb


def write_template(path: Path) -> None:
    """A blank framework workbook: instructions, empty sheets with dropdowns, the national example."""
    national, _ = shipped_frameworks()["national-self-evaluation"]
    blank = {"code": "", "name": {"zh": "", "en": ""}, "total": 100, "nodes": [],
             "grade_bands": [{"label": "优", "en": "Excellent", "min": 90, "synonyms": ["优秀"]},
                             {"label": "良", "en": "Good", "min": 80, "synonyms": ["良好"]},
                             {"label": "中", "en": "Fair", "min": 60, "synonyms": ["中等", "合格", "一般"]},
                             {"label": "差", "en": "Poor", "min": 0, "synonyms": ["不合格"]}]}
    wb = _new_workbook()
    _write(wb, blank, framework_to_dict(national))
    wb.save(path)


def export_framework(fw, path: Path) -> None:
    wb = _new_workbook()
    _write(wb, framework_to_dict(fw), None)
    wb.save(path)
