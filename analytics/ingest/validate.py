"""Validation of bulk-import sheets before anything is written.

Produces a plan (typed departments, parameters and evaluations) and the list of issues, each naming
file, sheet, row and column.  Issues tied to one evaluation can be skipped with valid-rows-only;
all others block the import.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from analytics.escape import spreadsheet_text
from analytics.framework import Framework, default_framework, load_all
from analytics.ingest.template import AMOUNTS, LEVEL1_SCORES
from analytics.ingest.workbook import Issue, RawSheet
from analytics.records import MUNICIPAL_AVG_DIFF_RATE

YUAN_SUSPICION = 1e8          # 万元: one trillion yuan, beyond any department's budget
SUM_TOLERANCE = 0.01
KNOWN_PARAMETERS = (MUNICIPAL_AVG_DIFF_RATE,)
SOURCE_KINDS = ("import", "report", "synthetic")
RATE_RANGES = {"execution_rate": (0, 100), "carryover_rate": (0, 100), "carryover_rate_prev": (0, 100),
               "final_account_diff_rate": (-100, 1000)}
TRUE_WORDS = {"true", "1", "yes", "是", "y"}
FALSE_WORDS = {"false", "0", "no", "否", "n", ""}


class BadValue(ValueError):
    pass


def parse_number(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise BadValue(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise BadValue(value)
        return float(value)
    text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "").rstrip("%％")
    try:
        number = float(text)
    except ValueError:
        raise BadValue(value) from None
    if not math.isfinite(number):
        raise BadValue(value)
    return number


def parse_text(value) -> str | None:
    if value is None:
        return None
    text = spreadsheet_text(str(value).strip())     # the ' our exports put before formula-like text
    return text or None


@dataclass
class PlannedEvaluation:
    key: tuple
    file: str
    row: int
    framework: Framework
    source_kind: str
    figures: dict
    reported: dict
    source_file: str | None
    source_sha256: str | None
    indicators: dict = field(default_factory=dict)   # code -> {"score", "inferred", "failed"}


@dataclass
class Plan:
    departments: dict = field(default_factory=dict)  # (region, name) -> {"short_name", "category"}
    parameters: list = field(default_factory=list)   # (region, year, key, value, source, is_synthetic)
    evaluations: dict = field(default_factory=dict)  # key -> PlannedEvaluation
    unknown_departments: set = field(default_factory=set)
    issues: list = field(default_factory=list)

    def blocking(self, valid_rows_only: bool) -> list[Issue]:
        return [i for i in self.issues if i.blocks_file or not valid_rows_only]

    def rejected_keys(self) -> set:
        return {i.evaluation for i in self.issues if i.evaluation is not None}


class _Rows:
    """Reads typed cells of one sheet row, turning bad ones into issues."""

    def __init__(self, plan: Plan, raw: RawSheet, record: dict, key=None):
        self.plan, self.raw, self.record, self.key = plan, raw, record, key

    def issue(self, code: str, column: str | None = None, **params) -> None:
        header = self.raw.sheet.column(column).header if column else None
        self.plan.issues.append(Issue(self.raw.file, self.raw.sheet.name, self.record["_row"], header, code, params,
                                      self.key))

    def text(self, column: str, required: bool = False) -> str | None:
        value = parse_text(self.record.get(column))
        if value is None and required:
            self.issue("required_value", column)
        return value

    def number(self, column: str, required: bool = False) -> float | None:
        try:
            value = parse_number(self.record.get(column))
        except BadValue as bad:
            self.issue("not_a_number", column, value=str(bad.args[0])[:40])
            return None
        if value is None and required:
            self.issue("required_value", column)
        return value

    def integer(self, column: str, required: bool = False, low: int = 0, high: int = 10**6) -> int | None:
        value = self.number(column, required)
        if value is None:
            return None
        if value != int(value) or not low <= value <= high:
            self.issue("not_an_integer", column, value=value, low=low, high=high)
            return None
        return int(value)

    def flag(self, column: str) -> bool:
        value = self.record.get(column)
        text = str(value).strip().lower() if value is not None else ""
        if isinstance(value, bool):
            return value
        if text in TRUE_WORDS:
            return True
        if text not in FALSE_WORDS:
            self.issue("not_a_flag", column, value=text[:20])
        return False


def _key(rows: _Rows) -> tuple | None:
    region, department = rows.text("region", True), rows.text("department", True)
    year = rows.integer("year", True, 1990, 2100)
    return (region, department, year) if region and department and year else None


def _keyed_rows(plan: Plan, raw: RawSheet):
    """Each row of a sheet keyed by (region, department, year), with its record; keyless rows are
    reported and skipped."""
    for record in raw.frame.to_dict("records"):
        rows = _Rows(plan, raw, record)
        key = _key(rows)
        if key is not None:
            rows.key = key
            yield rows, key, record


def validate(sheets: list[RawSheet], known_departments: set, create_departments: bool = False) -> Plan:
    plan = Plan()
    by_kind = {}
    for raw in sheets:
        by_kind.setdefault(raw.sheet.key, []).append(raw)
    for raw in by_kind.get("departments", []):
        _departments(plan, raw)
    for raw in by_kind.get("parameters", []):
        _parameters(plan, raw)
    for raw in by_kind.get("evaluations", []):
        _evaluations(plan, raw)
    for raw in by_kind.get("indicator_scores", []):
        _indicator_rows(plan, raw)
    for evaluation in plan.evaluations.values():
        _check_sums(plan, evaluation)
        region, name, _ = evaluation.key
        if (region, name) not in known_departments and (region, name) not in plan.departments:
            plan.unknown_departments.add((region, name))
            if not create_departments:
                plan.issues.append(Issue(evaluation.file, "评价 (evaluations)", evaluation.row, "部门名称 (department)",
                                         "unknown_department", {"department": name, "region": region}, evaluation.key))
    return plan


def _departments(plan: Plan, raw: RawSheet) -> None:
    for record in raw.frame.to_dict("records"):
        rows = _Rows(plan, raw, record)
        region, name = rows.text("region", True), rows.text("department", True)
        if region and name:
            if (region, name) in plan.departments:
                rows.issue("duplicate_key", "department", key=f"{region} {name}")
            plan.departments[(region, name)] = {"short_name": rows.text("short_name"),
                                                "category": rows.text("category"),
                                                "is_synthetic": rows.flag("is_synthetic")}


def _parameters(plan: Plan, raw: RawSheet) -> None:
    seen = set()
    for record in raw.frame.to_dict("records"):
        rows = _Rows(plan, raw, record)
        region, year = rows.text("region", True), rows.integer("year", True, 1990, 2100)
        key, value, source = rows.text("key", True), rows.number("value", True), rows.text("source", True)
        if key and key not in KNOWN_PARAMETERS:
            rows.issue("unknown_parameter", "key", value=key, known=", ".join(KNOWN_PARAMETERS))
            continue
        if value is not None and not -100 <= value <= 1000:
            rows.issue("rate_out_of_range", "value", value=value, low=-100, high=1000)
            continue
        if (region, year, key) in seen:
            rows.issue("duplicate_key", "key", key=f"{region} {year} {key}")
        seen.add((region, year, key))
        synthetic = rows.flag("is_synthetic")
        if region and year and key and value is not None and source:
            plan.parameters.append((region, year, key, value, source, synthetic))


def _evaluations(plan: Plan, raw: RawSheet) -> None:
    frameworks = load_all()
    for rows, key, record in _keyed_rows(plan, raw):
        if key in plan.evaluations:
            rows.issue("duplicate_key", "department", key=f"{key[1]} {key[2]}")
            continue
        framework_id = rows.text("framework_id") or default_framework().id
        fw = frameworks.get(framework_id)
        if fw is None:
            rows.issue("unknown_framework", "framework_id", value=framework_id)
            fw = default_framework()
        kind = rows.text("source_kind") or "import"
        if kind not in SOURCE_KINDS:
            rows.issue("bad_source_kind", "source_kind", value=kind, allowed=", ".join(SOURCE_KINDS))
        figures = {name: rows.number(name, raw.sheet.column(name).required) for name in AMOUNTS}
        for name, value in figures.items():
            if value is not None and value < 0:
                rows.issue("negative_amount", name, value=value)
            elif value is not None and value >= YUAN_SUSPICION:
                rows.issue("amount_in_yuan", name, value=value)
        _check_money(rows, figures)
        figures["carryover_rate_prev"] = rows.number("carryover_rate_prev")
        reported = {}
        for name, (low, high) in RATE_RANGES.items():
            value = figures["carryover_rate_prev"] if name == "carryover_rate_prev" else rows.number(name)
            if value is not None and not low <= value <= high:
                rows.issue("rate_out_of_range", name, value=value, low=low, high=high)
            reported[name] = value
        for l1, name in zip(fw.level1, LEVEL1_SCORES):
            reported[name] = _score(rows, name, float(l1["weight"]))
        reported["score_total"] = _score(rows, "score_total", 100.0)
        grade_text = rows.text("grade", True)
        reported["grade"] = fw.normalise_grade(grade_text) if grade_text else None
        if grade_text and reported["grade"] is None:
            rows.issue("unknown_grade", "grade", value=grade_text)
        _check_total(rows, fw, reported)
        plan.evaluations[key] = PlannedEvaluation(
            key, raw.file, record["_row"], fw, kind, figures, reported, rows.text("source_file"),
            rows.text("source_sha256"))


def _score(rows: _Rows, name: str, weight: float) -> float | None:
    value = rows.number(name, True)
    if value is not None and not 0 <= value <= weight:
        rows.issue("score_out_of_range", name, value=value, weight=weight)
    return value


def _check_money(rows: _Rows, figures: dict) -> None:
    budget, spent = figures.get("budget_total"), figures.get("spent_total")
    if budget is not None and spent is not None and spent > budget + SUM_TOLERANCE:
        rows.issue("spent_above_budget", "spent_total", spent=spent, budget=budget)
    carryover = figures.get("carryover_amount")
    if budget is not None and carryover is not None and carryover > budget + SUM_TOLERANCE:
        rows.issue("carryover_above_budget", "carryover_amount", carryover=carryover, budget=budget)
    for total, parts in (("budget_total", ("budget_basic", "budget_project", "budget_other")),
                         ("spent_total", ("spent_basic", "spent_project", "spent_other"))):
        values = [figures.get(p) for p in parts]
        if figures.get(total) is not None and all(v is not None for v in values):
            if abs(sum(values) - figures[total]) > SUM_TOLERANCE:
                rows.issue("parts_not_sum", total, parts=round(sum(values), 2), total=figures[total])


def _check_total(rows: _Rows, fw: Framework, reported: dict) -> None:
    level1 = [reported.get(name) for name in LEVEL1_SCORES]
    total = reported.get("score_total")
    if total is not None and all(v is not None for v in level1) and abs(sum(level1) - total) > SUM_TOLERANCE:
        rows.issue("total_sum", "score_total", total=total, parts=round(sum(level1), 2))
    if total is not None and reported.get("grade") and fw.grade(total) != reported["grade"]:
        rows.issue("grade_contradicts", "grade", grade=reported["grade"], total=total, expected=fw.grade(total))


def _indicator_rows(plan: Plan, raw: RawSheet) -> None:
    for rows, key, record in _keyed_rows(plan, raw):
        evaluation = plan.evaluations.get(key)
        if evaluation is None:
            rows.issue("indicator_without_evaluation", "department", key=f"{key[1]} {key[2]}")
            continue
        code = rows.text("indicator_code", True)
        try:
            ind = evaluation.framework.indicator(code) if code else None
        except KeyError:
            rows.issue("unknown_indicator", "indicator_code", value=code)
            continue
        if ind is None:
            continue
        if code in evaluation.indicators:
            rows.issue("duplicate_key", "indicator_code", key=f"{key[1]} {key[2]} {code}")
            continue
        weight = rows.number("weight")
        if weight is not None and abs(weight - ind.weight) > 1e-9:
            rows.issue("weight_mismatch", "weight", value=weight, expected=ind.weight)
        score = rows.number("reported_score")
        if score is not None and not 0 <= score <= ind.weight:
            rows.issue("score_out_of_range", "reported_score", value=score, weight=ind.weight)
        failed = rows.integer("failed_checks", False, 0, len(ind.checks)) if ind.kind == "checklist" else None
        evaluation.indicators[code] = {"score": score, "inferred": rows.flag("score_inferred"), "failed": failed,
                                       "weight": weight, "row": record["_row"], "file": raw.file}


def _check_sums(plan: Plan, evaluation: PlannedEvaluation) -> None:
    if not evaluation.indicators:
        return
    fw = evaluation.framework
    weights = [row["weight"] for row in evaluation.indicators.values()]
    if len(evaluation.indicators) == len(fw.indicators) and all(w is not None for w in weights) \
            and abs(sum(weights) - 100) > 1e-6:
        plan.issues.append(Issue(evaluation.file, "指标得分 (indicator_scores)", None, "分值 (weight)",
                                 "weights_sum", {"total": round(sum(weights), 2)}, evaluation.key))
    for l1, name in zip(fw.level1, LEVEL1_SCORES):
        children = [evaluation.indicators.get(ind.code, {}).get("score") for ind in fw.indicators
                    if ind.level1 == l1["code"]]
        stated = evaluation.reported.get(name)
        if stated is not None and all(c is not None for c in children) and abs(sum(children) - stated) > SUM_TOLERANCE:
            plan.issues.append(Issue(evaluation.file, "评价 (evaluations)", evaluation.row,
                                     f"{l1['zh']}得分 ({name})", "level1_sum",
                                     {"level1": l1["zh"], "stated": stated, "children": round(sum(children), 2)},
                                     evaluation.key))
