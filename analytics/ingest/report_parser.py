"""Parses a 部门整体绩效评价报告 (text or .docx) into the figures, scores and grade it states.

Money figures come from the narrative, each anchored on the section that states it: the "全年预算数"
of 二、当年预算执行情况 is the adjusted full-year budget, while the "全年预算数" of 四（五）部门预决算差异率
is the initial budget.  Indicator scores come from the scoring table (see ``read_score``); scores the
table leaves out are inferred as full marks only where a reported level-1 score proves it.  Each score
the engine can recompute from the figures is checked against its rule (``rule_checks``).

Amounts are in 万元 and rates in percent, as floats; a figure the report does not give is None.
"""
from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

from analytics.domain.evaluation import EvaluationInputs
from analytics.domain.issues import FrameworkInvalid, Issue
from analytics.domain.messages import issue_words
from analytics.domain.rules.base import is_number
from analytics.domain.score_one import score_leaf
from analytics.framework import Framework, Indicator, default_framework
from analytics.i18n import DEFAULT_LANGUAGE, t
from analytics.rules import round2
from analytics.records import framework_model
from analytics.ingest import report_checks
from analytics.ingest import report_generic as generic
from analytics.ingest import report_national as national
from analytics.ingest.report_document import ReportDocument, document_kind, read_report_document
from analytics.ingest.report_errors import UnreadableReport

NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
SIGNED_NUM = r"(-?\s*(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?))"   # rates may be negative
LINK = r"\s*(?:为|是|达|:)?\s*"  # between a label and its number: "预算数为 1,234.56 万元"
AMOUNT = LINK + NUM + r"\s*万元"
PERCENT = LINK + SIGNED_NUM + r"\s*%"

REQUIRED = ("department", "year", "budget_total", "spent_total", "carryover_amount",
            "initial_budget_total", "final_account_total", "score_total")
LABELS = {"department": "部门名称", "year": "年度", "budget_total": "全年预算数", "spent_total": "执行数",
          "carryover_amount": "结转结余总额", "initial_budget_total": "年初预算数",
          "final_account_total": "决算数", "score_total": "评价总分"}

SCORE_TOLERANCE = 0.005
WEIGHT_TOLERANCE = 1e-9
RECOMPUTED_KINDS = ("ratio", "carryover", "diff_rate")


class ReportParseError(ValueError):
    """A file that is not an evaluation report of the expected form; ``missing`` names what is lacking,
    ``code`` and ``params`` say why in a form the edge can put into words."""

    def __init__(self, file_name: str, missing: list[str], reason: str | None = None,
                 code: str = "report_not_readable", **params):
        self.file_name = file_name
        self.missing = list(missing)
        self.code, self.params = code, {"file": file_name, **params}
        self.reason = reason
        parts = [reason] if reason else []
        if self.missing:
            parts.append("could not find " + ", ".join(f"{key} ({LABELS.get(key, key)})" for key in self.missing))
        super().__init__(f"{file_name} is not an evaluation report of the expected form: {'; '.join(parts)}")

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """Why, in the user's language: a reader's reason (``why``) and a framework problem (``problem``)
        are worded from their codes, never quoted."""
        missing = ("、" if lang == "zh" else ", ").join(LABELS.get(key, key) if lang == "zh" else key
                                                       for key in self.missing)
        titles = "; ".join(f"{department} {year}" for department, year in self.params.get("titles", ()))
        why, problem = self.params.get("why"), self.params.get("problem")
        words = {"missing": missing, "titles": titles,
                 "reason": UnreadableReport(why, **self.params).message(lang) if why else "",
                 "problem": issue_words(Issue(problem, self.params), lang) if problem else ""}
        return t(f"v_{self.code}", lang, **{**self.params, **words})


# -- narrative sections ----------------------------------------------------------------------------

TOP_HEADING = re.compile(r"^[ \t]*[一二三四五六七八九十]+[、.][ \t]*([^\n]{1,40})$", re.M)
SUB_HEADING = re.compile(r"^[ \t]*\([一二三四五六七八九十]+\)[ \t]*([^\n]{1,40})$", re.M)
TITLE = re.compile(r"(.*?)\s*((?:19|20)\d{2})\s*年")
# A report's title line: "[关于]北京市商务局[(…)]2022年度部门整体绩效评价[的]报告"
TITLE_LINE = re.compile(r"^[ \t]*(\S{2,60}?)\s*((?:19|20)\d{2})\s*年度?\S{0,30}?(?:评价|自评)\S{0,4}报告[ \t]*$", re.M)
ABOUT = "关于"
SECOND_NAME = re.compile(r"\s*\([^()]*\)$")   # "北京市商务局(北京市人民政府口岸办公室)"


def find_section(text: str, headings: re.Pattern, keywords: tuple[str, ...]) -> str | None:
    """From the first heading whose title holds a keyword up to the next heading of that level."""
    matches = list(headings.finditer(text))
    for i, match in enumerate(matches):
        if any(keyword in match.group(1) for keyword in keywords):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            return text[match.start():end]
    return None


def report_scopes(document: ReportDocument) -> dict[str, str]:
    """The stretches of text figures are searched in; a section the report lacks is empty."""
    narrative = document.narrative
    management = find_section(narrative, TOP_HEADING, ("预算管理",)) or narrative
    return {
        "execution": find_section(narrative, TOP_HEADING, ("预算执行",)) or "",
        "carryover": find_section(management, SUB_HEADING, ("结转结余",)) or "",
        "difference": find_section(management, SUB_HEADING, ("预决算差异",)) or "",
        "conclusion": find_section(narrative, TOP_HEADING, ("评价结论", "总体评价")) or "",
        "narrative": narrative,
        "document": "\n".join((narrative, *document.cells)),
    }


def department_of_title(words: str) -> str | None:
    """The department named before the year: without "关于" either side or a second name in brackets."""
    name = words.strip().removeprefix(ABOUT).removesuffix(ABOUT).strip()
    return SECOND_NAME.sub("", name).strip() or None


def read_title(narrative: str) -> tuple[str | None, int | None]:
    """Department and year from the title line, "北京市商务局2022年度部门整体绩效评价报告"."""
    line = next((line.strip() for line in narrative.split("\n") if line.strip()), "")
    match = TITLE.match(line)
    if not match:
        return None, None
    return department_of_title(match.group(1)), int(match.group(2))


def report_titles(text: str) -> list[tuple[str | None, int]]:
    """Every distinct (department, year) a title line of the text names, in order."""
    titles = []
    for match in TITLE_LINE.finditer(text):
        title = (department_of_title(match.group(1)), int(match.group(2)))
        if title not in titles:
            titles.append(title)
    return titles


# -- figures stated in the narrative ---------------------------------------------------------------

def _patterns(*pairs: tuple[str, str]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((scope, re.compile(pattern)) for scope, pattern in pairs)


CARRYOVER_AMOUNT = r"结转结余(?:资金)?(?:总额|总金额|金额)?" + AMOUNT
FINAL_ACCOUNT = r"决算(?:数|总额|支出数)" + AMOUNT
DIFF_RATE = r"预决算差异率" + PERCENT

# Tried in order; the first match wins.  Scopes are the keys of report_scopes.
FIGURE_PATTERNS = {
    "budget_total": _patterns(("execution", r"(?:全年|年度|调整后)预算(?:数|总额)" + AMOUNT)),
    "budget_basic": _patterns(("execution", r"基本支出预算数?" + AMOUNT)),
    "budget_project": _patterns(("execution", r"项目支出预算数?" + AMOUNT)),
    "budget_other": _patterns(("execution", r"其他支出预算数?" + AMOUNT)),
    "spent_total": _patterns(("execution", r"(?:资金总体支出|总体支出|全年执行数|执行数|实际支出数?|支出总额)" + AMOUNT)),
    "spent_basic": _patterns(("execution", r"基本支出" + AMOUNT)),
    "spent_project": _patterns(("execution", r"项目支出" + AMOUNT)),
    "spent_other": _patterns(("execution", r"其他支出" + AMOUNT), ("difference", r"其他支出" + AMOUNT)),
    "execution_rate": _patterns(("execution", r"预算执行率" + PERCENT)),
    "carryover_amount": _patterns(("carryover", CARRYOVER_AMOUNT), ("difference", CARRYOVER_AMOUNT),
                                  ("narrative", CARRYOVER_AMOUNT)),
    "carryover_rate": _patterns(("carryover", r"(?<!上年)(?<!上年度)结转结余率" + PERCENT)),
    "carryover_rate_prev": _patterns(("narrative", r"上一?年度?的?结转结余率" + PERCENT)),
    "initial_budget_total": _patterns(("difference", r"(?:年初|全年)(?:部门)?预算(?:数|总额)" + AMOUNT),
                                      ("narrative", r"年初(?:部门)?预算(?:数|总额)" + AMOUNT)),
    "initial_budget_basic": _patterns(("difference", r"基本支出预算数?" + AMOUNT)),
    "initial_budget_project": _patterns(("difference", r"项目支出预算数?" + AMOUNT)),
    "final_account_total": _patterns(("difference", FINAL_ACCOUNT), ("narrative", FINAL_ACCOUNT)),
    "final_account_diff_rate": _patterns(("difference", DIFF_RATE), ("narrative", DIFF_RATE)),
    "municipal_avg_diff_rate": _patterns(("document", r"市级平均差异率\s*(?:为|是|:)?\s*\(?\s*" + NUM + r"\s*%")),
}
TOTAL_SCORE = re.compile(r"绩效评价(?:总)?得分" + LINK + NUM)


PREVIOUS_YEAR_KEYS = ("carryover_rate_prev",)   # their label says the year ("上年结转结余率")
YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年|(上一?年度?|去年)|(本年度?|当年|今年)")
SENTENCE_END = re.compile(r"[。;\n]")


def to_number(text: str) -> float | None:
    value = float(re.sub(r"[,\s]", "", text))
    return value if math.isfinite(value) else None


def stated_year(text: str, at: int, year: int) -> int | None:
    """The year the sentence around ``at`` names last before it ("2021年…", "上年…"), None if none."""
    start = max((m.end() for m in SENTENCE_END.finditer(text, 0, at)), default=0)
    mentions = list(YEAR_MENTION.finditer(text, start, at))
    if not mentions:
        return None
    last = mentions[-1]
    return int(last.group(1)) if last.group(1) else year - 1 if last.group(2) else year


def find_figure(scopes: dict[str, str], patterns: tuple[tuple[str, re.Pattern], ...],
                year: int | None = None) -> float | None:
    """The first match of the first pattern that matches in a sentence about ``year`` (or no year)."""
    for scope, pattern in patterns:
        for match in pattern.finditer(scopes[scope]):
            if year is None or stated_year(scopes[scope], match.start(), year) in (None, year):
                return to_number(match.group(1))
    return None


def remainder(total: float | None, *parts: float | None) -> float | None:
    """total − parts to 2 decimals (the unstated 其他 share); None when unknown or negative."""
    if total is None or None in parts:
        return None
    rest = round(total - sum(parts), 2) + 0.0
    return rest if rest >= 0 else None


def level1_scores(fw: Framework, conclusion: str) -> dict[str, float | None]:
    """"当年预算执行情况总分为20分，评价得分为17.23分" → {"budget_execution": 17.23, ...}."""
    scores = {}
    for l1 in fw.level1:
        match = re.search(re.escape(l1["zh"]) + r"[^。;\n]{0,30}?得分" + LINK + NUM, conclusion)
        scores[l1["code"]] = to_number(match.group(1)) if match else None
    return scores


def total_score(fw: Framework, conclusion: str, cells: tuple[str, ...]) -> float | None:
    """"…整体绩效评价得分为90.73分", or else the table's 合计 row."""
    match = TOTAL_SCORE.search(conclusion)
    return to_number(match.group(1)) if match else table_total(fw, cells)


GRADE_LEAD = r"(?:等级|等次|评价结果|评定结果|评价结论|评定|评为|评价为)"


def grade_in_text(words: list[str], text: str) -> str | None:
    """The grade word stated in ``text`` ("评分等级为“优秀”", "评价结果为优秀", "评定为优秀等级")."""
    words = sorted(set(words), key=len, reverse=True)
    pattern = (GRADE_LEAD + r"\s*(?:为|是|:)?\s*[\"'“”‘’「『]?\s*(" + "|".join(map(re.escape, words))
               + r")(?:(?![\u4e00-\u9fff])|(?=等级|等次))")
    match = re.search(pattern, text)
    return match.group(1) if match else None


def read_grade(fw: Framework, conclusion: str) -> str | None:
    """The stated grade, canonical; synonyms such as 优 or 合格 are accepted."""
    return fw.normalise_grade(grade_in_text(
        [w for band in fw.grade_bands for w in (band["grade"], *band.get("synonyms", ()))], conclusion))


# -- the scoring table -----------------------------------------------------------------------------

CELL_NUMBER = re.compile(NUM + r"\s*分?")
CELL_PERCENT = re.compile(SIGNED_NUM + r"\s*%")
NAME_PREFIX = r"(?:指标\s*\d+\s*:|\(\d+\)|\d+[.、])?\s*"   # "指标1:产出数量"
NAME_SUFFIX = r"\s*(?:\(\s*\d+(?:\.\d+)?\s*分?\s*\))?"      # "结转结余率(4)"
TOTAL_CELLS = ("合计", "总计", "总分")
SUBTOTAL_CELLS = ("小计",)
YEAR_CELL = re.compile(r"((?:19|20)\d{2})\s*年度?")
YEAR_HEADER_REACH = 40   # cells searched back from an indicator's name for its year columns


def cell_number(cell: str) -> float | None:
    """A plain number cell ("20", "9.5", "20分"); percentages and text are not numbers here."""
    match = CELL_NUMBER.fullmatch(cell)
    return to_number(match.group(1)) if match else None


def cell_percent(cell: str) -> float | None:
    match = CELL_PERCENT.fullmatch(cell)
    return to_number(match.group(1)) if match else None


def indicator_rows(fw: Framework, cells: tuple[str, ...]) -> dict[str, list[str]]:
    """Each located indicator's cells: those after its name cell, up to the next name or total cell."""
    starts = {}
    for ind in fw.indicators:
        name = re.compile(NAME_PREFIX + "(?:" + "|".join(map(re.escape, ind.names)) + ")" + NAME_SUFFIX)
        at = next((i for i, cell in enumerate(cells) if name.fullmatch(cell)), None)
        if at is not None:
            starts[ind.code] = at
    totals = (i for i, cell in enumerate(cells) if cell in TOTAL_CELLS + SUBTOTAL_CELLS)
    boundaries = sorted({*starts.values(), *totals, len(cells)})
    return {code: (at, list(cells[at + 1:next(b for b in boundaries if b > at)])) for code, at in starts.items()}


def year_columns(cells: tuple[str, ...], at: int) -> list[int]:
    """The years of the nearest header run of year cells ("2021年", "2022年") before cell ``at``."""
    years: list[int] = []
    for cell in reversed(cells[max(0, at - YEAR_HEADER_REACH):at]):
        match = YEAR_CELL.fullmatch(cell)
        if match:
            years.insert(0, int(match.group(1)))
        elif years:
            break
    return years


def weight_score_pairs(numbers: list[float | None], weight: float, limit: float) -> list[float | None]:
    """For every cell equal to ``weight``, the number in the next cell when it is a score in
    [0, limit], else None (not printed)."""
    scores, i = [], 0
    while i < len(numbers):
        if numbers[i] is not None and abs(numbers[i] - weight) < WEIGHT_TOLERANCE:
            following = numbers[i + 1] if i + 1 < len(numbers) else None
            scores.append(following if following is not None and following <= limit else None)
            i += 2
        else:
            i += 1
    return scores


def read_score(ind: Indicator, row: list[str], group_weight: float) -> float | None:
    """The score printed after the indicator's weight cell.

    An indicator of several items (经济效益: 4 × 2) has a weight cell per item; its score is their
    sum when every item's score is printed.  When no weight cell is printed, a merged level-2 weight
    cell (产出数量's row reads "30", "9.5") followed by a score within the weight gives the score.
    """
    numbers = [cell_number(cell) for cell in row]
    whole = weight_score_pairs(numbers, ind.weight, ind.weight)
    if whole:
        return whole[0]
    if ind.items > 1:
        per_item = ind.weight / ind.items
        items = weight_score_pairs(numbers, per_item, per_item)
        if items:
            return round(sum(items), 2) if len(items) == ind.items and None not in items else None
    return next((s for s in weight_score_pairs(numbers, group_weight, ind.weight) if s is not None), None)


def rule_indicator(fw: Framework, kind: str, **rule_fields: str) -> Indicator | None:
    return next((ind for ind in fw.indicators if ind.kind == kind
                 and all(ind.rule.get(k) == v for k, v in rule_fields.items())), None)


def rates_by_year(cells: tuple[str, ...], located: tuple[int, list[str]] | None) -> dict[int | None, float]:
    """An indicator row's rates by the year of their column; a lone rate under no year header is
    filed under None, several such rates are not guessed at."""
    if located is None:
        return {}
    at, row = located
    years = year_columns(cells, at)
    if years:
        return {year: rate for year, rate in zip(years, map(cell_percent, row)) if rate is not None}
    rates = [rate for rate in map(cell_percent, row) if rate is not None]
    return {None: rates[0]} if len(rates) == 1 else {}


def table_rates(fw: Framework, cells: tuple[str, ...], rows: dict[str, tuple[int, list[str]]],
                year: int | None) -> dict[str, float | None]:
    """Rates printed in the indicators' rows, read by the year of their column (结转结余率 prints last
    year's rate and this year's)."""
    def located(ind: Indicator | None) -> tuple[int, list[str]] | None:
        return rows.get(ind.code) if ind else None

    execution = rates_by_year(cells, located(rule_indicator(fw, "ratio", target="budget_total",
                                                            actual="spent_total")))
    carryover = rates_by_year(cells, located(rule_indicator(fw, "carryover")))
    difference = rates_by_year(cells, located(rule_indicator(fw, "diff_rate")))
    this_year = (year, None)
    return {"execution_rate": next((execution[y] for y in this_year if y in execution), None),
            "carryover_rate": carryover.get(year) if year is not None else None,
            "carryover_rate_prev": carryover.get(year - 1) if year is not None else None,
            "final_account_diff_rate": next((difference[y] for y in this_year if y in difference), None)}


def level1_cell(fw: Framework, cell: str) -> dict | None:
    """The level-1 indicator a heading cell names ("一、当年预算执行情况(20分)", "预算管理情况(20)")."""
    return next((l1 for l1 in fw.level1 if re.fullmatch(
        r"(?:[一二三四五六七八九十]+[、.])?\s*" + re.escape(l1["zh"]) + NAME_SUFFIX, cell)), None)


def table_level1_scores(fw: Framework, cells: tuple[str, ...]) -> dict[str, float | None]:
    """Level-1 scores printed in the table's 小计 rows, each under its level-1 heading."""
    scores: dict[str, float | None] = {}
    current = None
    for i, cell in enumerate(cells):
        current = level1_cell(fw, cell) or current
        if cell in SUBTOTAL_CELLS and current is not None:
            numbers = [cell_number(c) for c in cells[i + 1:i + 3]]
            found = [s for s in weight_score_pairs(numbers, current["weight"], current["weight"]) if s is not None]
            if found:
                scores.setdefault(current["code"], found[0])
    return scores


def table_total(fw: Framework, cells: tuple[str, ...]) -> float | None:
    """The 合计 row: the number after the cell holding the total weight (100)."""
    at = next((i for i, cell in enumerate(cells) if cell in TOTAL_CELLS), None)
    if at is None:
        return None
    total_weight = sum(l1["weight"] for l1 in fw.level1)
    numbers = [cell_number(cell) for cell in cells[at + 1:]]
    return next((s for s in weight_score_pairs(numbers, total_weight, total_weight) if s is not None), None)


def infer_full_marks(fw: Framework, scores: dict[str, float | None],
                     reported_level1: dict[str, float | None]) -> set[str]:
    """Codes of unread scores that must be full marks: the reported level-1 score minus the read
    scores of its group equals the weights of the unread ones (59.50 − 9.5 = 50)."""
    inferred = set()
    for l1 in fw.level1:
        reported = reported_level1[l1["code"]]
        group = [ind for ind in fw.indicators if ind.level1 == l1["code"]]
        unread = [ind for ind in group if scores[ind.code] is None]
        if reported is None or not unread:
            continue
        read_sum = sum(scores[ind.code] for ind in group if scores[ind.code] is not None)
        if abs(reported - read_sum - sum(ind.weight for ind in unread)) < SCORE_TOLERANCE:
            inferred.update(ind.code for ind in unread)
    return inferred


def indicator_entries(fw: Framework, rows: dict[str, tuple[int, list[str]]],
                      reported_level1: dict[str, float | None]) -> list[dict]:
    scores = {ind.code: read_score(ind, rows[ind.code][1], fw.level2_of(ind.level2)["weight"])
              if ind.code in rows else None for ind in fw.indicators}
    inferred = infer_full_marks(fw, scores, reported_level1)
    return [{"code": ind.code, "level1": fw.level1_of_indicator(ind)["zh"], "level2": fw.level2_of(ind.level2)["zh"],
             "level3": ind.zh, "weight": ind.weight,
             "score": ind.weight if ind.code in inferred else scores[ind.code], "inferred": ind.code in inferred}
            for ind in fw.indicators]


def rule_checks(fw: Framework, figures: dict, indicators: list[dict]) -> list[dict]:
    """Reported score beside the rule's score, for every indicator the figures let the engine recompute."""
    reported_scores = {entry["code"]: entry["score"] for entry in indicators}
    model = framework_model(fw)
    known = {f: v for f, v in figures.items() if is_number(v)}
    inputs = EvaluationInputs(figures=known, reported={c: s for c, s in reported_scores.items() if s is not None})
    checks = []
    for ind in fw.indicators:
        if ind.kind not in RECOMPUTED_KINDS:
            continue
        reported = reported_scores[ind.code]
        rule = score_leaf(model.node(ind.code), inputs).score
        if rule is None:
            continue
        checks.append(check(ind.zh, ind.code, reported, rule))
    return checks


def check(indicator: str, code: str, reported: float | None, rule: float) -> dict:
    """A reported score beside its rule's; ``agrees`` is None when no score is reported."""
    return {"indicator": indicator, "code": code, "reported": reported, "rule": rule,
            "agrees": None if reported is None else abs(reported - rule) < SCORE_TOLERANCE}


def indicator_checks(indicators: list[dict]) -> list[dict]:
    """A check for every indicator row a rule recomputes."""
    return [check(row["level3"], row["code"], row["score"], row["rule_score"])
            for row in indicators if row["rule_score"] is not None]


# -- the whole report ------------------------------------------------------------------------------

def read_figures(fw: Framework, document: ReportDocument, scopes: dict[str, str],
                 rows: dict[str, tuple[int, list[str]]]) -> dict:
    """Department, year, money figures and rates: the narrative's, else the table's; a narrative
    figure is taken only from a sentence about the report's year (or no year)."""
    department, year = read_title(document.narrative)
    figures = {"department": department, "year": year}
    figures.update({key: find_figure(scopes, patterns, None if key in PREVIOUS_YEAR_KEYS else year)
                    for key, patterns in FIGURE_PATTERNS.items()})
    for key, value in table_rates(fw, document.cells, rows, year).items():
        if figures[key] is None:
            figures[key] = value
    if figures["budget_other"] is None:
        figures["budget_other"] = remainder(figures["budget_total"], figures["budget_basic"], figures["budget_project"])
    if figures["spent_other"] is None:
        figures["spent_other"] = remainder(figures["spent_total"], figures["spent_basic"], figures["spent_project"])
    return figures


def require(result: dict, required: tuple[str, ...], file_name: str) -> None:
    missing = [key for key in required if result[key] is None]
    if missing:
        raise ReportParseError(file_name, missing, code="report_figures_missing")


def rule_total(indicators: list[dict]) -> float | None:
    """The total by the rules: each indicator's rule score, its reported score where no rule recomputes it."""
    scores = [row["rule_score"] if row["rule_score"] is not None else row["score"] for row in indicators]
    return None if None in scores else round2(sum(scores))


def beijing_findings(fw: Framework, result: dict, indicators: list[dict], checks: list[dict]) -> list[dict]:
    by_level1 = {f"score_{l1['code']}": [row["score"] for row in indicators if row["level1"] == l1["zh"]]
                 for l1 in fw.level1}
    level1_scores_ = {"score_total": [result[key] for key in by_level1]}
    return (report_checks.parts_findings(result) + report_checks.rate_findings(result)
            + report_checks.sum_findings({**by_level1, **level1_scores_}, result)
            + report_checks.grade_findings(result["grade"], result["score_total"], fw.grade)
            + report_checks.rule_findings(checks))


def beijing_report(fw: Framework, document: ReportDocument, file_name: str) -> dict:
    """A report on Beijing's template (or another framework of the same form): figures from the narrative,
    scores from the 评分表."""
    scopes = report_scopes(document)
    rows = indicator_rows(fw, document.cells)
    in_table = table_level1_scores(fw, document.cells)
    reported_level1 = {code: score if score is not None else in_table.get(code)
                       for code, score in level1_scores(fw, scopes["conclusion"]).items()}
    result = {**read_figures(fw, document, scopes, rows),
              **{f"score_{code}": score for code, score in reported_level1.items()},
              "score_total": total_score(fw, scopes["conclusion"], document.cells),
              "grade": read_grade(fw, scopes["conclusion"])}
    require(result, REQUIRED, file_name)
    result["missing"] = [key for key, value in result.items() if value is None]
    indicators = indicator_entries(fw, rows, reported_level1)
    checks = rule_checks(fw, result, indicators)
    rules = {check["code"]: check["rule"] for check in checks}
    for row in indicators:
        row["rule_score"] = rules.get(row["code"])
    result["missing"] += [f"indicator:{row['code']}" for row in indicators if row["score"] is None]
    result.update(indicators=indicators, checks=checks, rule_total=rule_total(indicators),
                  findings=beijing_findings(fw, result, indicators, checks), framework=fw.id)
    return result


def parse_report(path: Path, framework: Framework | None = None, stored: dict | None = None) -> dict:
    """Everything a report states, as one JSON-serialisable dict; ReportParseError when it is not one.

    The layout is recognised from the table's headers and indicator names: the national self-evaluation
    table (``report_national``), a framework of ``stored`` (code → domain model, e.g. the database's)
    whose indicators the table names (``report_generic``), else ``framework`` (Beijing's by default)."""
    fw = framework or default_framework()
    path = Path(path)
    data = path.read_bytes()
    try:
        document = read_report_document(data, document_kind(path.name))
    except UnreadableReport as exc:
        raise ReportParseError(path.name, list(REQUIRED), str(exc), code="report_not_readable", why=exc.code,
                               **exc.params) from exc
    titles = report_titles("\n".join((document.narrative, *document.cells)))
    if len(titles) > 1:
        raise ReportParseError(path.name, [], "it holds several reports (" + "; ".join(
            f"{department} {year}" for department, year in titles) + "), to be given as separate files",
            code="several_reports", titles=titles)
    others = {code: model for code, model in (stored or {}).items() if code not in (fw.id, national.CODE)}
    generic_model = generic.recognise(others, document.rows, cell_number,
                                      at_least=len(indicator_rows(fw, document.cells)))
    if national.is_national(document.rows):
        result = national_report(document, path.name)
    elif generic_model is not None:
        result = generic_report(generic_model, document, path.name)
    else:
        result = beijing_report(fw, document, path.name)
    result.update(source_file=path.name, source_sha256=hashlib.sha256(data).hexdigest())
    return result


# -- the national self-evaluation table ------------------------------------------------------------

NATIONAL_REQUIRED = ("department", "year", "budget_total", "spent_total", "score_total")
NATIONAL_FIGURES = ("initial_budget_total", "budget_total", "budget_basic", "budget_project", "budget_other",
                    "spent_total", "spent_basic", "spent_project", "spent_other")
NATIONAL_TOTAL = re.compile(r"(?:自评|评价)(?:总)?得分" + LINK + NUM)


def national_report(document: ReportDocument, file_name: str) -> dict:
    """A report on the national layout: figures from the self-evaluation table (the narrative's where the
    table lacks them, a finding where both differ), the department's own indicators scored by the rules."""
    fw = national.model()
    department, year = read_title(document.narrative)
    scopes = report_scopes(document)
    money = national.money_figures(document.rows, cell_number)
    told = {key: find_figure(scopes, FIGURE_PATTERNS[key], year) for key in ("budget_total", "spent_total",
                                                                           "execution_rate")}
    table = {**{key: money.get(key) for key in NATIONAL_FIGURES},
             "execution_rate": cell_percent(money.get("execution_rate_printed", ""))}
    narrative_total = NATIONAL_TOTAL.search(scopes["narrative"])
    table["score_total"], grade_word = national.closing_rows(document.rows, cell_number)
    told["score_total"] = to_number(narrative_total.group(1)) if narrative_total else None
    findings = [f for key, value in told.items() for f in report_checks.differing(key, table[key], value)]
    figures = {key: told.get(key) if value is None else value for key, value in table.items()}
    execution_score = cell_number(money.get("execution_score_printed", ""))
    grade = national.normalise_grade(fw, grade_word) or national.normalise_grade(
        fw, grade_in_text([w for band in fw.grade_bands for w in (band.label, *band.synonyms)], scopes["narrative"]))
    result = {"department": department, "year": year, **figures, "score_execution_rate": execution_score,
              "grade": grade}
    require(result, NATIONAL_REQUIRED, file_name)
    result["missing"] = [key for key, value in result.items() if value is None]
    found = national.indicator_rows(fw, document.rows, cell_number)
    unplaced = next((row for row in found if row.group is None), None)
    if unplaced is not None:
        raise ReportParseError(file_name, [], f"the level-2 cell {unplaced.level2!r} of {unplaced.name!r} names no "
                               "indicator group", code="report_indicator_unplaced", indicator=unplaced.name,
                               level2=unplaced.level2)
    try:
        score = national.scored(fw, result, found, execution_score)
    except FrameworkInvalid as invalid:
        issue = invalid.issues[0]
        raise ReportParseError(file_name, [], str(invalid), code="report_table_invalid", problem=issue.code,
                               **issue.params) from invalid
    indicators = national.national_entries(fw, found, score)
    execution = score.nodes[national.EXECUTION]
    checks = [check(fw.node(national.EXECUTION).zh, national.EXECUTION, execution_score, execution.rule),
              *indicator_checks(indicators)]
    result["missing"] += [f"indicator:{row['code']}" for row in indicators if row["score"] is None]
    sums = {"score_total": [execution_score, *(row["score"] for row in indicators)]}
    findings += (report_checks.parts_findings(result) + report_checks.rate_findings(result)
                 + report_checks.sum_findings(sums, result)
                 + report_checks.grade_findings(grade, result["score_total"],
                                                lambda total: national.grade_of(fw, total))
                 + report_checks.rule_findings(checks))
    result.update(indicators=indicators, checks=checks, rule_total=national.total_node(score), findings=findings,
                  framework=national.CODE)
    return result


# -- a framework stored in the database ------------------------------------------------------------

GENERIC_REQUIRED = ("department", "year", "score_total")


def generic_report(model, document: ReportDocument, file_name: str) -> dict:
    """A report scored on a stored framework: amounts from the narrative, each leaf's score from the table."""
    department, year = read_title(document.narrative)
    scopes = report_scopes(document)
    figures = {key: find_figure(scopes, FIGURE_PATTERNS[key], year)
               for key in ("budget_total", "budget_basic", "budget_project", "spent_total", "spent_basic",
                           "spent_project", "execution_rate")}
    stated_total = TOTAL_SCORE.search(scopes["narrative"]) or NATIONAL_TOTAL.search(scopes["narrative"])
    table_total, grade_word = national.closing_rows(document.rows, cell_number)
    words = [w for band in model.grade_bands for w in (band.label, *band.synonyms)]
    result = {"department": department, "year": year, **figures,
              "score_total": to_number(stated_total.group(1)) if stated_total else table_total,
              "grade": national.normalise_grade(model, grade_word or grade_in_text(words, scopes["narrative"]))}
    require(result, GENERIC_REQUIRED, file_name)
    result["missing"] = [key for key, value in result.items() if value is None]
    indicators, by_rules = generic.generic_entries(model, generic.leaf_rows(model, document.rows, cell_number), result)
    checks = indicator_checks(indicators)
    result["missing"] += [f"indicator:{row['code']}" for row in indicators if row["score"] is None]
    findings = (report_checks.parts_findings(result) + report_checks.rate_findings(result)
                + report_checks.sum_findings({"score_total": [row["score"] for row in indicators]}, result)
                + report_checks.grade_findings(result["grade"], result["score_total"],
                                               lambda total: national.grade_of(model, total))
                + report_checks.rule_findings(checks))
    result.update(indicators=indicators, checks=checks, rule_total=by_rules, findings=findings, framework=model.code)
    return result
