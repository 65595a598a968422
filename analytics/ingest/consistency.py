"""Checks that an evaluation's figures agree with each other, so a value typed with the wrong meaning
(元 for 万元, a rate as a fraction) is refused instead of stored.

- A stated rate must match the rate its amounts give.  Reports print rates cut to 2 decimals
  (README, "Scoring conventions"), some round instead, so a stated rate may differ from the cut rate
  computed here by at most 0.01 percentage points.
- A department's amounts must be of one scale: the budget, spending, initial budget and final account
  of one year never differ a thousandfold, while 元 beside 万元 differ ten-thousandfold.
- A department's budget must be of the scale of its other years (stored or in the same import):
  budgets grow or shrink, but not a thousandfold from one year to another.  A department without any
  other year cannot be checked this way; its amounts still have to agree with each other and with its
  stated rates.
"""
from __future__ import annotations

from pathlib import Path

from analytics.ingest.template import EVALUATIONS
from analytics.ingest.workbook import Issue
from analytics.rules import change_rate_percent, rate_percent
from analytics.store import Store

RATE_TOLERANCE = 0.01 + 1e-9        # percentage points: cut vs rounded to 2 decimals
SCALE_FACTOR = 1_000                # amounts of one department this far apart are in different units
STATED_RATES = (                    # (rate column, numerator, denominator, how the rate is computed)
    ("execution_rate", "spent_total", "budget_total", rate_percent),
    ("carryover_rate", "carryover_amount", "budget_total", rate_percent),
    ("final_account_diff_rate", "final_account_total", "initial_budget_total", change_rate_percent),
)
SAME_SCALE = (("budget_total", "spent_total"), ("budget_total", "initial_budget_total"),
              ("budget_total", "final_account_total"), ("initial_budget_total", "final_account_total"))


def check_rates(rows, figures: dict, reported: dict) -> None:
    """Every stated rate against the rate computed from its amounts."""
    for rate, numerator, denominator, compute in STATED_RATES:
        stated, computed = reported.get(rate), compute(figures.get(numerator), figures.get(denominator))
        if stated is not None and computed is not None and abs(stated - computed) > RATE_TOLERANCE:
            rows.issue("rate_contradicts_amounts", rate, stated=stated, computed=computed,
                       formula=f"{numerator} {figures[numerator]} / {denominator} {figures[denominator]}")


def _factor(a: float | None, b: float | None) -> float | None:
    if not a or not b or a <= 0 or b <= 0:
        return None
    return max(a, b) / min(a, b)


def check_scale(rows, department: str, figures: dict) -> None:
    """The amounts of one evaluation against each other: one issue for the first pair a thousandfold apart."""
    for first, second in SAME_SCALE:
        factor = _factor(figures.get(first), figures.get(second))
        if factor is not None and factor >= SCALE_FACTOR:
            rows.issue("amount_scale_mismatch", second, department=department, first=first,
                       first_value=figures[first], second=second, second_value=figures[second], factor=factor)
            return


def check_history(plan, stored: dict) -> None:
    """Each evaluation's budget against the nearest other year of the same department.

    ``stored`` is {(region, department): {year: budget_total}} from the database; years in the import
    take the place of stored ones."""
    budgets = {department: dict(years) for department, years in stored.items()}
    for (region, name, year), evaluation in plan.evaluations.items():
        budgets.setdefault((region, name), {})[year] = evaluation.figures.get("budget_total")
    for (region, name, year), evaluation in plan.evaluations.items():
        value = evaluation.figures.get("budget_total")
        others = [(abs(other - year), other, budget) for other, budget in budgets[(region, name)].items()
                  if other != year and _factor(value, budget) is not None]
        if not others:
            continue
        _, other_year, other_value = min(others)
        factor = _factor(value, other_value)
        if factor >= SCALE_FACTOR:
            plan.issues.append(Issue(evaluation.file, EVALUATIONS.name, evaluation.row,
                                     EVALUATIONS.column("budget_total").header, "amount_scale_history",
                                     {"department": name, "year": year, "value": value, "other_year": other_year,
                                      "other_value": other_value, "factor": factor}, evaluation.key))


def stored_budgets(db_path: Path) -> dict:
    """{(region, department): {year: budget_total}} of the evaluations in the database."""
    if not Path(db_path).exists():
        return {}
    store = Store(db_path, read_only=True)
    try:
        rows = store.rows("SELECT d.region, d.name, e.year, e.budget_total FROM evaluations e "
                          "JOIN departments d ON d.id = e.department_id WHERE e.budget_total IS NOT NULL")
    finally:
        store.close()
    budgets = {}
    for region, name, year, budget in rows:
        budgets.setdefault((region, name), {})[year] = budget
    return budgets
