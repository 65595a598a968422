"""Reading a framework workbook (or a JSON file) and validating it, every issue named by sheet, row and column.

The workbook becomes the same dict a JSON file holds, remembering which cell each value came from; the
loader validates that dict, and each issue's JSON path is traced back to its cell.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from analytics.domain.authoring import layout as L
from analytics.domain.issues import Issue
from analytics.domain.loader import load_framework
from analytics.domain.model import Framework


def _rows(ws, columns) -> list[tuple[int, dict]]:
    out = []
    for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        row = {key: (values[i] if i < len(values) else None) for i, (key, _) in enumerate(columns)}
        row = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in row.items()}
        if any(v is not None for v in row.values()):
            out.append((r, row))
    return out


class _Cells:
    """JSON path → (sheet, row, column letter)."""

    def __init__(self):
        self.cells: dict[str, tuple[str, int | None, str | None]] = {}

    def put(self, path: str, sheet: str, row: int | None, columns=None, key: str | None = None):
        self.cells[path] = (sheet, row, L.column_letter(columns, key) if key else None)

    def locate(self, issue: Issue) -> Issue:
        path = issue.path
        while path:
            if path in self.cells:
                return issue.at_cell(*self.cells[path])
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return issue


def _meta(wb, cells: _Cells) -> dict:
    ws = wb[L.META]
    values = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_col=2, values_only=True), start=1):
        for key, header in L.META_ROWS:
            if row[0] == header:
                values[key] = row[1]
                cells.put(f"$.{key}", L.META, r, [("k", ""), ("v", "")], "v")
    data = {"code": values.get("code") or "", "version": str(values.get("version") or ""),
            "name": {"zh": values.get("name_zh") or "", "en": values.get("name_en") or ""},
            "region": values.get("region") or "", "source": values.get("source") or "",
            "example": values.get("example") == L.YES, "note": values.get("note") or "",
            "total": values.get("total") if values.get("total") is not None else 100}
    cells.cells["$.name"] = cells.cells.get("$.name_zh", (L.META, None, None))
    return data


def _param_value(value, issues, at):
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            issues.append(Issue("bad_parameter_value", {"name": at[1]}, at[0]))
    return value


def _tree(wb, cells: _Cells, issues: list[Issue]) -> list[dict]:
    C = L.TREE_COLUMNS
    nodes, by_code, top = {}, {}, []
    params: dict[str, list] = {}
    for r, row in _rows(wb[L.PARAMS], L.PARAM_COLUMNS):
        params.setdefault(row["code"], []).append((r, row))
    for r, row in _rows(wb[L.TREE], C):
        node = {"code": row["code"], "zh": row["zh"] or "", "en": row["en"] or "", "weight": row["weight"]}
        for key in ("concept", "note"):
            if row[key]:
                node[key] = row[key]
        if row["aliases"]:
            node["aliases"] = row["aliases"].split(L.SEPARATOR)
        if row["items"] is not None:
            node["items"] = row["items"]
        if row["assumed"] == L.YES:
            node["assumed"] = True
        if row["formula_zh"] or row["formula_en"]:
            node["formula"] = {"zh": row["formula_zh"] or "", "en": row["formula_en"] or ""}
        if row["open"] == L.YES:
            node["open"] = {"kinds": row["open_kinds"].split(",")} if row["open_kinds"] else {}
        elif row["kind"]:
            node["rule"] = {"kind": row["kind"], "params": {}}
            for pr, prow in params.pop(row["code"], []):
                node["rule"]["params"][prow["name"]] = _param_value(prow["value"], issues,
                                                                    (f"@{L.PARAMS}!{pr}", prow["name"]))
                cells.put(f"@{row['code']}.{prow['name']}", L.PARAMS, pr, L.PARAM_COLUMNS, "value")
        node["_row"] = r
        parent = row["parent"]
        if parent is None:
            top.append(node)
        elif parent in by_code:
            by_code[parent].setdefault("children", []).append(node)
        else:
            issues.append(Issue("unknown_parent", {"parent": str(parent)}, f"@{L.TREE}!{r}"))
            cells.put(f"@{L.TREE}!{r}", L.TREE, r, C, "parent")
        by_code[row["code"]] = node
        nodes[r] = node
    for code, rows in params.items():
        for pr, _ in rows:
            issues.append(Issue("unknown_node_in_parameters", {"node": str(code)}, f"@{L.PARAMS}!{pr}"))
            cells.put(f"@{L.PARAMS}!{pr}", L.PARAMS, pr, L.PARAM_COLUMNS, "code")
    for i in range(len(issues)):
        if issues[i].code == "bad_parameter_value":
            sheet_row = int(issues[i].path.split("!")[1])
            cells.put(issues[i].path, L.PARAMS, sheet_row, L.PARAM_COLUMNS, "value")
    _register(top, "$.nodes", cells)
    return top


def _register(nodes: list[dict], path: str, cells: _Cells) -> None:
    C = L.TREE_COLUMNS
    for i, node in enumerate(nodes):
        at, r = f"{path}[{i}]", node.pop("_row")
        for suffix, key in (("", "code"), (".code", "code"), (".zh", "zh"), (".weight", "weight"), (".children", "weight"),
                            (".rule", "kind"), (".concept", "concept"), (".open", "open"), (".open.kinds", "open_kinds")):
            cells.put(at + suffix, L.TREE, r, C, key)
        for name in node.get("rule", {}).get("params", {}):
            cells.cells[f"{at}.rule.params.{name}"] = cells.cells[f"@{node['code']}.{name}"]
        _register(node.get("children", []), f"{at}.children", cells)


def _list_sheet(wb, sheet, columns, key, cells: _Cells, convert) -> list[dict]:
    out = []
    for i, (r, row) in enumerate(_rows(wb[sheet], columns)):
        out.append(convert(row))
        cells.put(f"$.{key}[{i}]", sheet, r, columns, columns[0][0])
    cells.put(f"$.{key}", sheet, None)
    return out


def read_workbook(path: Path) -> tuple[dict | None, list[Issue], _Cells]:
    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None, [Issue("not_a_workbook", {}, "$")], _Cells()
    missing = [name for name in (L.META, L.TREE, L.PARAMS, L.GRADES) if name not in wb.sheetnames]
    if missing:
        return None, [Issue("missing_sheet", {"name": name}, "$", sheet=name) for name in missing], _Cells()
    cells, issues = _Cells(), []
    data = _meta(wb, cells)
    data["nodes"] = _tree(wb, cells, issues)
    cells.put("$.nodes", L.TREE, None)
    data["grade_bands"] = _list_sheet(wb, L.GRADES, L.GRADE_COLUMNS, "grade_bands", cells, lambda row: {
        "label": row["label"], "en": row["en"] or "", "min": row["min"],
        "synonyms": row["synonyms"].split(L.SEPARATOR) if row["synonyms"] else []})
    if L.FIGURES in wb.sheetnames:
        data["figures"] = _list_sheet(wb, L.FIGURES, L.FIGURE_COLUMNS, "figures", cells, lambda row: {
            "code": row["code"], "zh": row["zh"] or "", "en": row["en"] or "", "unit": row["unit"],
            "scope": row["scope"] or "evaluation"})
    return data, [cells.locate(i) for i in issues], cells


def read_framework_file(path: Path) -> tuple[Framework | None, list[Issue]]:
    """A framework from a .xlsx workbook or a .json file, validated; issues name cells in a workbook."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            return load_framework(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None, [Issue("not_json", {"line": 1, "column": 1}, "$")]
    data, issues, cells = read_workbook(path)
    if data is None:
        return None, issues
    fw, found = load_framework(data)
    issues += [cells.locate(i) for i in found]
    return (fw if not [i for i in issues if i.severity == "error"] else None), issues
