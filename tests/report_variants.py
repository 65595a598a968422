"""Builds variant evaluation reports from the seed, for the report parser's tests.

The seed is turned into a template once: every printed figure becomes a placeholder (⟦budget_total⟧),
figures that share a printed value (the 全年预算数 and the 决算数 are both 291435.79) told apart by
their context.  A variant is the template rendered with other values, in narrative and table alike,
then optionally re-punctuated or re-spaced.  ``variant_figures`` makes a consistent set of values and
the parse the variant must give.
"""
from __future__ import annotations

import re
from pathlib import Path

import docx

from analytics import rules
from analytics.domain.evaluation import EvaluationInputs
from analytics.domain.rules.base import is_number
from analytics.domain.score_one import score_evaluation
from analytics.records import framework_model
from analytics.framework import default_framework
from analytics.paths import SEED_REPORT

SEED_TEXT = SEED_REPORT.read_text(encoding="utf-8")

# Printings told apart by context; each named group becomes a placeholder.
CONTEXTS = (
    r"全年决算数(?P<final_account_total>291435\.79)",
    r"评分等级为“(?P<grade>优秀)”",
    r"\t30\n\t(?P<score_output_quantity>9\.5)\n",
    r"\t其他\n\t(?P<budget_other>0)\n\t(?P<spent_other>0)\n",
    r"其他支出预算数(?P<budget_other>0\.00)万元",
    r"其他支出(?P<spent_other>0\.00)万元",
    r"\t(?P<carryover_rate_prev>8\.04)%\n\t(?P<carryover_rate>13\.82)%\n\t4\n\t(?P<score_carryover_rate>0)\n",
    r"\t(?P<final_account_diff_rate>82\.62)%\n\t4\n\t(?P<score_final_account_diff_rate>2)\n",
)
# Printings that mean one figure wherever they stand as a whole number.
PLAIN = {
    "department": "北京市商务局", "year": "2022", "prev_year": "2021",
    "budget_total": "291435.79", "budget_basic": "35584.55", "budget_project": "255851.24",
    "spent_total": "251145.17", "spent_basic": "29475.09", "spent_project": "221670.08",
    "execution_rate": "86.17", "carryover_amount": "40290.62", "carryover_rate": "13.82",
    "initial_budget_total": "159584.73", "initial_budget_basic": "27010.27", "initial_budget_project": "132574.46",
    "final_account_diff_rate": "82.62", "municipal_avg_diff_rate": "28.3",
    "score_budget_execution": "17.23", "score_performance_targets": "59.50",
    "score_budget_management": "14.00", "score_total": "90.73",
}
AMOUNTS = ("budget_total", "budget_basic", "budget_project", "budget_other", "spent_total", "spent_basic",
           "spent_project", "spent_other", "carryover_amount", "initial_budget_total", "initial_budget_basic",
           "initial_budget_project", "final_account_total")
PLACEHOLDER = re.compile(r"⟦(\w+)⟧")


def _placeholder_groups(match: re.Match) -> str:
    text, start = match.group(0), match.start()
    for name in sorted(match.re.groupindex, key=lambda n: match.start(n), reverse=True):
        a, b = match.start(name) - start, match.end(name) - start
        text = text[:a] + f"⟦{name}⟧" + text[b:]
    return text


def make_template(seed: str) -> str:
    for context in CONTEXTS:
        seed = re.sub(context, _placeholder_groups, seed)
    for name, printed in PLAIN.items():
        whole = rf"(?<![\d.]){re.escape(printed)}(?!\d)" if printed[0].isdigit() else re.escape(printed)
        seed = re.sub(whole, f"⟦{name}⟧", seed)
    return seed


TEMPLATE = make_template(SEED_TEXT)


def seed_figures() -> dict:
    """The seed's own figures and scores, in the form variant_figures returns."""
    return {
        "department": "北京市商务局", "year": 2022,
        "budget_total": 291435.79, "budget_basic": 35584.55, "budget_project": 255851.24, "budget_other": 0.0,
        "spent_total": 251145.17, "spent_basic": 29475.09, "spent_project": 221670.08, "spent_other": 0.0,
        "execution_rate": 86.17, "carryover_amount": 40290.62, "carryover_rate": 13.82, "carryover_rate_prev": 8.04,
        "initial_budget_total": 159584.73, "initial_budget_basic": 27010.27, "initial_budget_project": 132574.46,
        "final_account_total": 291435.79, "final_account_diff_rate": 82.62, "municipal_avg_diff_rate": 28.3,
        "score_budget_execution": 17.23, "score_performance_targets": 59.5, "score_budget_management": 14.0,
        "score_total": 90.73, "grade": "优秀",
        "score_output_quantity": 9.5, "score_carryover_rate": 0.0, "score_final_account_diff_rate": 2.0,
    }


def variant_figures(*, department: str, year: int, budget_basic: float, budget_project: float,
                    spent_basic: float, spent_project: float, initial_budget_basic: float,
                    initial_budget_project: float, carryover_rate_prev: float,
                    municipal_avg_diff_rate: float) -> dict:
    """A consistent department-year: totals add up, rates and scores are the engine's, the rule scores
    are the reported ones, other indicators keep the seed's scores (产出数量 9.5, the rest full)."""
    fw = default_framework()
    budget_total = round(budget_basic + budget_project, 2)
    spent_total = round(spent_basic + spent_project, 2)
    figures = {
        "department": department, "year": year,
        "budget_total": budget_total, "budget_basic": budget_basic, "budget_project": budget_project,
        "budget_other": 0.0, "spent_total": spent_total, "spent_basic": spent_basic,
        "spent_project": spent_project, "spent_other": 0.0,
        "carryover_amount": round(budget_total - spent_total, 2), "carryover_rate_prev": carryover_rate_prev,
        "initial_budget_total": round(initial_budget_basic + initial_budget_project, 2),
        "initial_budget_basic": initial_budget_basic, "initial_budget_project": initial_budget_project,
        "final_account_total": budget_total, "municipal_avg_diff_rate": municipal_avg_diff_rate,
    }
    scored = score_evaluation(framework_model(fw), EvaluationInputs(
        figures={k: v for k, v in figures.items() if k != "year" and is_number(v)}))
    for code in ("execution_rate", "carryover_rate", "final_account_diff_rate"):
        figures[code] = scored.nodes[code].rate
        figures[f"score_{code}"] = scored.nodes[code].rule
    management = rules.round2(12 + figures["score_carryover_rate"] + figures["score_final_account_diff_rate"])
    total = rules.round2(figures["score_execution_rate"] + 59.5 + management)
    figures.update(score_budget_execution=figures.pop("score_execution_rate"), score_performance_targets=59.5,
                   score_budget_management=management, score_total=total, grade=fw.grade(total),
                   score_output_quantity=9.5)
    return figures


def printed_values(figures: dict, thousands: bool = False) -> dict[str, str]:
    """How each placeholder is printed: amounts to 2 decimals (with thousands separators if asked)."""
    printed = {"department": figures["department"], "year": str(figures["year"]),
               "prev_year": str(figures["year"] - 1), "grade": figures["grade"],
               "municipal_avg_diff_rate": f"{figures['municipal_avg_diff_rate']:g}"}
    for name in {m.group(1) for m in PLACEHOLDER.finditer(TEMPLATE)} - printed.keys():
        printed[name] = f"{figures[name]:,.2f}" if thousands and name in AMOUNTS else f"{figures[name]:.2f}"
    return printed


def render(printed: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: printed[m.group(1)], TEMPLATE)


def variant_report(figures: dict, thousands: bool = False, grade_word: str | None = None) -> str:
    printed = printed_values(figures, thousands)
    if grade_word:
        printed["grade"] = grade_word
    return render(printed)


# -- re-punctuation and re-spacing -----------------------------------------------------------------

FULL_TO_HALF = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20, 0x201C: 0x22, 0x201D: 0x22}


def to_halfwidth(text: str) -> str:
    """（）：，；％ and “” as ASCII, digits too; 、 and 。 have no ASCII form and stay."""
    return text.translate(FULL_TO_HALF)


def to_fullwidth(text: str) -> str:
    """Every printable ASCII character (digits, '.', ',', '%', parentheses …) in its full-width form."""
    return text.translate({0x21 + i: 0xFF01 + i for i in range(0x5E)})


def space_numbers(text: str) -> str:
    """A space either side of every number: "预算数 291435.79 万元", "( 28.3 %)"."""
    return re.sub(r"\d[\d,.]*\d|\d", lambda m: f" {m.group(0)} ", text)


# -- the same report as a Word document ------------------------------------------------------------

def split_text_report(text: str) -> tuple[list[str], list[list[str]]]:
    """Narrative lines and table rows of extracted text: a row ends with a cell followed by a blank line."""
    table_at = text.index("\t", text.index("评分表"))
    rows: list[list[str]] = [[]]
    for raw in text[table_at:].split("\t")[1:]:
        rows[-1].append(raw.strip())
        if raw.endswith("\n\n"):
            rows.append([])
    return text[:table_at].split("\n"), [row for row in rows if row]


def write_docx(text: str, path: Path) -> Path:
    """The report as .docx: paragraphs, then the scoring table as a real Word table.  Short rows end
    in a horizontally merged cell; the 产出 block's 分值 cell ("30") is merged down its four rows."""
    lines, rows = split_text_report(text)
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for values, row in zip(rows, table.rows):
        cells = row.cells
        for cell, value in zip(cells, values):
            cell.text = value
        if len(values) < width:
            cells[len(values) - 1].merge(cells[width - 1])
    outputs = next(i for i, values in enumerate(rows) if any(v.endswith("产出数量") for v in values))
    table.cell(outputs, 5).merge(table.cell(outputs + 3, 5))
    document.save(path)
    return path
