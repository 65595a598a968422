"""Validation of bulk-import sheets before anything is written.

Produces a plan (typed departments, parameters and evaluations) and the list of issues, each naming
file, sheet, row and column.  Issues tied to one evaluation can be skipped with valid-rows-only;
all others block the import.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

from analytics.domain.evaluation import BroughtIndicator, LeafInput, instantiate
from analytics.domain.issues import errors
from analytics.domain.loader import figures_read
from analytics.domain.model import Framework, Node
from analytics.escape import spreadsheet_text
from analytics.ingest.consistency import check_history, check_rates, check_scale
from analytics.ingest.template import AMOUNTS, DEPARTMENTS, EVALUATIONS, INDICATORS, import_frameworks
from analytics.ingest.workbook import Issue, Percent, RawSheet
from analytics.names import DepartmentNames, admission_problem, normalise_name
from analytics.records import MUNICIPAL_AVG_DIFF_RATE

YUAN_SUSPICION = 1e8          # 万元: one trillion yuan, beyond any department's budget
SUM_TOLERANCE = 0.01
KNOWN_PARAMETERS = (MUNICIPAL_AVG_DIFF_RATE,)
SOURCE_KINDS = ("import", "report", "synthetic")
RATE_RANGES = {"execution_rate": (0, 100), "carryover_rate": (0, 100), "carryover_rate_prev": (0, 100),
               "final_account_diff_rate": (-100, 1000), "municipal_avg_diff_rate": (-100, 1000)}
TRUE_WORDS = {"true", "1", "yes", "是", "y"}
FALSE_WORDS = {"false", "0", "no", "否", "n", ""}


class BadValue(ValueError):
    pass


class AmbiguousNumber(BadValue):
    """Digits and separators that do not read one way only, such as "40.290,62" or "1,5"."""


# A number as Chinese reports write it: "." for decimals, "," only between groups of three digits.
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,]+(?:[eE][+-]?\d+)?")
_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u2009\u202f](?=\d)")


def _number_text(value) -> str:
    """The text of a cell with full-width characters folded (，→ , １→ 1 ％→ %) and outer spaces removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def is_percent(value) -> bool:
    """Whether a cell states a percentage: a %-formatted cell, or text ending in %."""
    return isinstance(value, Percent) or (isinstance(value, str) and _number_text(value).endswith("%"))


def parse_number(value) -> float | None:
    """A cell as a number; text must read one way only (see ``_NUMBER``), a %-cell gives what it shows."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Percent):
        return value.points
    if isinstance(value, bool):
        raise BadValue(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise BadValue(value)
        return float(value)
    text = _GROUP_SPACES.sub(",", _number_text(value).removesuffix("%").strip())
    if not _NUMBER.fullmatch(text):
        raise (AmbiguousNumber if _NUMBER_LIKE.fullmatch(text) else BadValue)(value)
    number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise BadValue(value)
    return number


def parse_text(value) -> str | None:
    if value is None:
        return None
    text = spreadsheet_text(str(value).strip())     # the ' our exports put before formula-like text
    return text or None


def parse_value(value) -> str | float | None:
    """A cell that holds a number or a text as written (实际完成值: 230, "230个", "11月底"): a number as it
    is, a %-cell as the percentage it shows, text as text."""
    if isinstance(value, bool):
        raise BadValue(value)
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise BadValue(value)
        return float(value)
    return parse_text(value)


@dataclass
class PlannedEvaluation:
    key: tuple
    file: str
    row: int
    framework: Framework | None          # None when the row names no framework the import knows (an issue)
    source_kind: str
    figures: dict
    reported: dict
    source_file: str | None
    source_sha256: str | None
    indicators: dict = field(default_factory=dict)   # leaf code -> {"score", "inferred", "input", "row"}
    printed: dict = field(default_factory=dict)      # inner node code -> (printed score, row)
    brought: list = field(default_factory=list)      # BroughtIndicator, in the order of their rows


@dataclass
class Plan:
    departments: dict = field(default_factory=dict)  # (region, name) -> {"short_name", "category"}
    parameters: list = field(default_factory=list)   # (region, year, key, value, source, is_synthetic)
    evaluations: dict = field(default_factory=dict)  # key -> PlannedEvaluation
    unknown_departments: set = field(default_factory=set)
    similar_departments: dict = field(default_factory=dict)   # (region, name) -> known names it nearly equals
    issues: list = field(default_factory=list)
    names: DepartmentNames = field(default_factory=lambda: DepartmentNames(()))

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

    def name(self, column: str, required: bool = False) -> str | None:
        value = normalise_name(parse_text(self.record.get(column)))
        if value is None and required:
            self.issue("required_value", column)
        return value

    def number(self, column: str, required: bool = False) -> float | None:
        raw = self.record.get(column)
        if is_percent(raw) and self.raw.sheet.column(column).kind != "rate":
            self.issue("percent_in_amount", column, value=str(raw)[:40])
            return None
        try:
            value = parse_number(raw)
        except AmbiguousNumber as bad:
            self.issue("ambiguous_number", column, value=str(bad.args[0])[:40])
            return None
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
    """(region, department, year), the department by its stored name where a known one is meant."""
    region, department = rows.name("region", True), rows.name("department", True)
    year = rows.integer("year", True, 1990, 2100)
    return (region, rows.plan.names.resolve(region, department).stored, year) if region and department and year \
        else None


def _keyed_rows(plan: Plan, raw: RawSheet):
    """Each row of a sheet keyed by (region, department, year), with its record; keyless rows are
    reported and skipped."""
    for record in raw.frame.to_dict("records"):
        rows = _Rows(plan, raw, record)
        key = _key(rows)
        if key is not None:
            rows.key = key
            yield rows, key, record


def validate(sheets: list[RawSheet], known_departments: set, create_departments: bool = False,
             stored_budgets: dict | None = None, allow_similar_names: bool = False,
             frameworks: dict[str, Framework] | None = None) -> Plan:
    """``stored_budgets`` ({(region, department): {year: budget}}) lets amounts be checked against other years;
    ``frameworks`` ({code: framework}) are those an evaluation may name (default: the shipped ones)."""
    frameworks = import_frameworks({}) if frameworks is None else frameworks
    plan = Plan(names=DepartmentNames(known_departments))
    by_kind = {}
    for raw in sheets:
        by_kind.setdefault(raw.sheet.key, []).append(raw)
    for raw in by_kind.get("departments", []):
        _departments(plan, raw)
    for raw in by_kind.get("parameters", []):
        _parameters(plan, raw)
    for raw in by_kind.get("evaluations", []):
        _evaluations(plan, raw, frameworks)
    for raw in by_kind.get("indicator_scores", []):
        _indicator_rows(plan, raw)
    check_history(plan, stored_budgets or {})
    for evaluation in plan.evaluations.values():
        _check_tree(plan, evaluation)
    _admit_departments(plan, create_departments, allow_similar_names)
    return plan


def _admit_departments(plan: Plan, create: bool, allow_similar: bool) -> None:
    """Departments the database does not know, wherever they are named (部门 sheet or evaluations): each
    is an issue unless the user asked to create it, and a near-duplicate of a known name unless the user
    also confirmed it is new."""
    places = [(key, info["file"], DEPARTMENTS, info["row"], None) for key, info in plan.departments.items()]
    places += [(e.key[:2], e.file, EVALUATIONS, e.row, e.key) for e in plan.evaluations.values()]
    for (region, name), file, sheet, row, evaluation in places:
        match = plan.names.resolve(region, name)
        if match.existing is None:
            plan.unknown_departments.add((region, name))
            if match.similar:
                plan.similar_departments[(region, name)] = match.similar
        problem = admission_problem(match, create, allow_similar)
        if problem is not None:
            plan.issues.append(Issue(file, sheet.name, row, sheet.column("department").header, *problem, evaluation))


def _departments(plan: Plan, raw: RawSheet) -> None:
    for record in raw.frame.to_dict("records"):
        rows = _Rows(plan, raw, record)
        region, name = rows.name("region", True), rows.name("department", True)
        if region and name:
            name = plan.names.resolve(region, name).stored
            if (region, name) in plan.departments:
                rows.issue("duplicate_key", "department", key=f"{region} {name}")
            plan.departments[(region, name)] = {"short_name": rows.name("short_name"),
                                                "category": rows.text("category"),
                                                "is_synthetic": rows.flag("is_synthetic"),
                                                "file": raw.file, "row": record["_row"]}


def _parameters(plan: Plan, raw: RawSheet) -> None:
    seen = set()
    for record in raw.frame.to_dict("records"):
        rows = _Rows(plan, raw, record)
        region, year = rows.name("region", True), rows.integer("year", True, 1990, 2100)
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


def _evaluations(plan: Plan, raw: RawSheet, frameworks: dict[str, Framework]) -> None:
    for rows, key, record in _keyed_rows(plan, raw):
        if key in plan.evaluations:
            rows.issue("duplicate_key", "department", key=f"{key[1]} {key[2]}")
            continue
        framework_id = rows.text("framework_id", True)
        fw = frameworks.get(framework_id) if framework_id else None
        if framework_id and fw is None:
            rows.issue("unknown_framework", "framework_id", value=framework_id, held=", ".join(sorted(frameworks)))
        kind = rows.text("source_kind") or "import"
        if kind not in SOURCE_KINDS:
            rows.issue("bad_source_kind", "source_kind", value=kind, allowed=", ".join(SOURCE_KINDS))
        read = {f.code for figures in figures_read(fw).values() for f in figures if f} if fw else set()
        figures = {name: rows.number(name, name in read) for name in AMOUNTS}
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
        reported["score_total"] = _score(rows, "score_total", fw.total if fw else 100.0)
        grade_text = rows.text("grade", True)
        reported["grade"] = fw.normalise_grade(grade_text) if grade_text and fw else grade_text
        if grade_text and fw and reported["grade"] is None:
            rows.issue("unknown_grade", "grade", value=grade_text, labels="/".join(b.label for b in fw.grade_bands))
        check_scale(rows, key[1], figures)
        check_rates(rows, figures, reported)
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


def _indicator_rows(plan: Plan, raw: RawSheet) -> None:
    """Each row is a node of its evaluation's tree: a leaf of the framework, an inner node with the score its
    source printed, or an indicator the evaluation brings to an open group (``parent``)."""
    seen = set()
    for rows, key, record in _keyed_rows(plan, raw):
        evaluation = plan.evaluations.get(key)
        if evaluation is None:
            rows.issue("indicator_without_evaluation", "department", key=f"{key[1]} {key[2]}")
            continue
        code = rows.text("indicator_code", True)
        if evaluation.framework is None or code is None:
            continue
        if (key, code) in seen:
            rows.issue("duplicate_key", "indicator_code", key=f"{key[1]} {key[2]} {code}")
            continue
        seen.add((key, code))
        fw = evaluation.framework
        places = {node.code: (node, parent) for node, _, parent in fw.walk()}
        parent = rows.text("parent")
        if code in places:
            node, framework_parent = places[code]
            if parent is not None and parent != (framework_parent or ""):
                rows.issue("parent_mismatch", "parent", value=parent, expected=framework_parent or "—", node=code)
                continue
            if node.is_leaf:
                _fixed_leaf(rows, evaluation, node, record["_row"])
            else:
                _printed(rows, evaluation, node, record["_row"])
        elif parent in {group.code for group in fw.open_groups()}:
            _brought(rows, evaluation, fw.node(parent), code, record["_row"])
        else:
            rows.issue("unknown_indicator", "indicator_code", value=code,
                       groups=", ".join(g.code for g in fw.open_groups()) or "—")


def _weight(rows: _Rows, node_weight: float | None) -> None:
    weight = rows.number("weight")
    if weight is not None and node_weight is not None and abs(weight - node_weight) > 1e-9:
        rows.issue("weight_mismatch", "weight", value=weight, expected=node_weight)


def _leaf_input(rows: _Rows, kind: str, params) -> LeafInput:
    """What the row states beside the reported score, as the leaf's rule reads it."""
    checks = len(params.get("checks", ())) if kind == "checklist" else 0
    failed = rows.integer("failed_checks", False, 0, checks) if kind == "checklist" else None
    try:
        actual = parse_value(rows.record.get("actual_text"))
    except BadValue as bad:
        rows.issue("not_a_number", "actual_text", value=str(bad.args[0])[:40])
        actual = None
    return LeafInput(failed=failed, given=rows.number("given"), label=rows.text("label"), choice=rows.text("choice"),
                     target=rows.text("target_text"), actual=actual, coefficient=rows.number("coefficient"))


def _reported(rows: _Rows, evaluation: PlannedEvaluation, code: str, weight: float, kind: str, params,
              row: int) -> None:
    score = rows.number("reported_score")
    if score is not None and not 0 <= score <= weight:
        rows.issue("score_out_of_range", "reported_score", value=score, weight=weight)
    evaluation.indicators[code] = {"score": score, "inferred": rows.flag("score_inferred"),
                                   "input": _leaf_input(rows, kind, params), "row": row}


def _fixed_leaf(rows: _Rows, evaluation: PlannedEvaluation, node: Node, row: int) -> None:
    _weight(rows, node.weight)
    _reported(rows, evaluation, node.code, node.weight, node.rule.kind, node.rule.params, row)


def _printed(rows: _Rows, evaluation: PlannedEvaluation, node: Node, row: int) -> None:
    """An inner node's row: the score its source printed (checked against the node's weight, and against its
    children's scores once the whole tree is read)."""
    _weight(rows, node.weight)
    score = rows.number("reported_score", True)
    if score is not None:
        evaluation.printed[node.code] = (score, row)


def _brought(rows: _Rows, evaluation: PlannedEvaluation, group: Node, code: str, row: int) -> None:
    """An indicator the evaluation brings to the open group ``group``: its names, weight, rule kind and unit."""
    name, weight = rows.text("indicator_name", True), rows.number("weight", True)
    kind = rows.text("rule_kind") or group.open_kinds[0]
    if kind not in group.open_kinds:
        rows.issue("kind_not_allowed", "rule_kind", value=kind, allowed=", ".join(group.open_kinds))
        return
    try:
        params = json.loads(rows.text("rule_params") or "{}")
    except json.JSONDecodeError:
        rows.issue("bad_rule_params", "rule_params")
        return
    if name is None or weight is None or not isinstance(params, dict):
        return
    if weight < 0:
        rows.issue("negative_amount", "weight", value=weight)
        return
    evaluation.brought.append(BroughtIndicator(
        group.code, code, name, weight, kind, rows.text("indicator_name_en") or "", params, rows.text("unit") or "",
        rows.text("deviation_reason") or ""))
    _reported(rows, evaluation, code, weight, kind, params, row)


def _tree_issue(plan: Plan, evaluation: PlannedEvaluation, code: str, params: dict, node: str | None) -> None:
    """An issue of the evaluation's tree, at the row of the node it concerns where there is one, else at the
    evaluation's row."""
    at = evaluation.printed.get(node, (None, None))[1] or evaluation.indicators.get(node, {}).get("row")
    if at is None:
        plan.issues.append(Issue(evaluation.file, EVALUATIONS.name, evaluation.row, None, code, params,
                                 evaluation.key))
        return
    column = INDICATORS.column("weight" if code == "framework_issue" else "reported_score").header
    plan.issues.append(Issue(evaluation.file, INDICATORS.name, at, column, code, params, evaluation.key))


def _check_tree(plan: Plan, evaluation: PlannedEvaluation) -> None:
    """The evaluation's concrete tree (its brought indicators in their groups, weights adding up), every
    printed score against its children's, the total against the level-1 scores, the grade against the total."""
    fw = evaluation.framework
    if fw is None:
        return
    tree, problems = instantiate(fw, tuple(evaluation.brought)) if fw.open_groups() else (fw, [])
    if tree is None:
        for problem in errors(problems):
            _tree_issue(plan, evaluation, "framework_issue", {"problem": problem.code, **problem.params},
                        problem.params.get("node"))
        return
    printed = {code: score for code, (score, _) in evaluation.printed.items()}

    def score_of(node: Node) -> float | None:
        if node.is_leaf:
            return evaluation.indicators.get(node.code, {}).get("score")
        children = [score_of(child) for child in node.children]
        stated = printed.get(node.code)
        if stated is not None and node.weight is not None and not 0 <= stated <= node.weight:
            _tree_issue(plan, evaluation, "score_out_of_range", {"value": stated, "weight": node.weight}, node.code)
        if stated is not None and children and all(c is not None for c in children) \
                and abs(sum(children) - stated) > SUM_TOLERANCE:
            _tree_issue(plan, evaluation, "node_sum", {"node": node.zh, "node_en": node.en or node.zh, "stated": stated,
                                                       "children": round(sum(children), 2)}, node.code)
        if stated is not None:
            return stated
        return sum(children) if children and all(c is not None for c in children) else None

    level1 = [score_of(node) for node in tree.nodes]
    total, grade = evaluation.reported.get("score_total"), evaluation.reported.get("grade")
    column = EVALUATIONS.column("score_total").header
    if total is not None and all(v is not None for v in level1) and abs(sum(level1) - total) > SUM_TOLERANCE:
        plan.issues.append(Issue(evaluation.file, EVALUATIONS.name, evaluation.row, column, "total_sum",
                                 {"total": total, "parts": round(sum(level1), 2)}, evaluation.key))
    if total is not None and grade and fw.normalise_grade(grade) and fw.grade(total) != grade:
        plan.issues.append(Issue(evaluation.file, EVALUATIONS.name, evaluation.row,
                                 EVALUATIONS.column("grade").header, "grade_contradicts",
                                 {"grade": grade, "total": total, "expected": fw.grade(total)}, evaluation.key))
