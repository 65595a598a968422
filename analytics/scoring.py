"""Applies a framework's rules to inputs.

Two paths that must agree to the last bit:
- ``score_inputs`` / ``rescore_evaluation``: one evaluation, in Python (what-if, imports);
- ``rescore_all``: every evaluation in the database at once, as one set-based SQL statement that
  repeats the float arithmetic of ``analytics.rules`` operation for operation.
"""
from __future__ import annotations

from dataclasses import dataclass

from analytics import rules
from analytics.framework import Framework, Indicator
from analytics.store import Store


# The rule field that names the year parameter a rule kind reads (its value is the rule's target).
PARAMETER_FIELDS = {"diff_rate": "threshold_param"}


@dataclass
class IndicatorInputs:
    """What a rule needs; which fields matter depends on the rule kind (see indicator_results)."""
    target: float | None = None
    actual: float | None = None
    base: float | None = None
    failed_count: int | None = None
    given_score: float | None = None


def derive_inputs(ind: Indicator, figures: dict, params: dict, reported_score: float | None) -> IndicatorInputs:
    """Rule inputs of one indicator from an evaluation's money figures and the year's parameters."""
    rule = ind.rule
    if ind.kind == "ratio":
        return IndicatorInputs(target=figures.get(rule["target"]), actual=figures.get(rule["actual"]))
    if ind.kind == "carryover":
        return IndicatorInputs(target=figures.get(rule["previous_rate"]), actual=figures.get(rule["amount"]),
                               base=figures.get(rule["base"]))
    if ind.kind == "diff_rate":
        return IndicatorInputs(target=params.get(rule[PARAMETER_FIELDS["diff_rate"]]), actual=figures.get(rule["final"]),
                               base=figures.get(rule["initial"]))
    if ind.kind == "checklist":
        return IndicatorInputs(failed_count=failed_count_from_score(ind, reported_score))
    return IndicatorInputs(given_score=reported_score)


def failed_count_from_score(ind: Indicator, score: float | None) -> int | None:
    """The fewest failed checks that explain a reported checklist score; None if no whole number does."""
    if score is None:
        return None
    lost = (ind.weight - score) / ind.rule["deduction"]
    count = round(lost)
    if abs(lost - count) > 1e-6 or not 0 <= count <= len(ind.checks):
        return None
    return count


def score_indicator(ind: Indicator, inp: IndicatorInputs) -> tuple[float | None, float | None]:
    """(rate in percent or None, rule score or None) for one indicator."""
    rule, w = ind.rule, ind.weight
    if ind.kind == "ratio":
        if rule.get("direction") == "reverse":
            rate = rules.rate_percent(inp.target, inp.actual)
        else:
            rate = rules.rate_percent(inp.actual, inp.target)
        return rate, rules.score_ratio(inp.target, inp.actual, w, rule.get("direction", "positive"),
                                       rule.get("over_target_penalty", ()))
    if ind.kind == "checklist":
        if inp.failed_count is None:
            return None, None
        return None, rules.score_checklist(inp.failed_count, w, rule["deduction"])
    if ind.kind == "carryover":
        rate = rules.rate_percent(inp.actual, inp.base)
        return rate, rules.score_carryover(rate, inp.target, w, rule["deduction_per_point"])
    if ind.kind == "diff_rate":
        rate = rules.change_rate_percent(inp.actual, inp.base)
        return rate, rules.score_diff_rate(rate, inp.target, w, rule["step"], rule["deduction_per_step"])
    return None, rules.score_judged(inp.given_score, w)


def score_inputs(fw: Framework, inputs: dict[str, IndicatorInputs]) -> dict[str, tuple[float | None, float | None]]:
    return {ind.code: score_indicator(ind, inputs[ind.code]) for ind in fw.indicators if ind.code in inputs}


def level1_totals(fw: Framework, scores: dict[str, float | None]) -> dict[str, float]:
    """Sum indicator scores into level-1 scores and the total (missing scores count 0)."""
    totals = {l1["code"]: 0.0 for l1 in fw.level1}
    for ind in fw.indicators:
        totals[ind.level1] += scores.get(ind.code) or 0.0
    totals = {k: rules.round2(v) for k, v in totals.items()}
    totals["total"] = rules.round2(sum(totals.values()))
    return totals


# -- one evaluation, read from and written to the store ------------------------------------------

_RESULT_COLUMNS = "indicator_code, target, actual, base, failed_count, given_score"


def rescore_evaluation(store: Store, fw: Framework, evaluation_id: int) -> dict[str, tuple]:
    """Score one stored evaluation with the Python rules and write the rule columns back."""
    rows = store.rows(f"SELECT {_RESULT_COLUMNS} FROM indicator_results WHERE evaluation_id = ?", [evaluation_id])
    inputs = {code: IndicatorInputs(t, a, b, f, g) for code, t, a, b, f, g in rows}
    results = score_inputs(fw, inputs)
    if not results:
        return results
    values = ", ".join("(?, ?::DOUBLE, ?::DOUBLE)" for _ in results)
    params = [v for code, (rate, score) in results.items() for v in (code, rate, score)]
    with store.transaction() as cur:
        cur.execute(f"""
            UPDATE indicator_results AS r SET rule_rate = v.rate, rule_score = v.score
            FROM (VALUES {values}) AS v(code, rate, score)
            WHERE r.evaluation_id = ? AND r.indicator_code = v.code""", [*params, evaluation_id]).fetchall()
    return results


# -- every evaluation at once ---------------------------------------------------------------------

def _r2(expr: str) -> str:
    """SQL twin of rules.round2: the same float operations in the same order."""
    return (f"(CASE WHEN isfinite(({expr}) * 100) THEN floor(({expr}) * 100 + 0.5 + {rules.ROUND_EPSILON!r}) / 100 "
            f"ELSE ({expr}) END)")


def _c2(expr: str) -> str:
    """SQL twin of rules.cut2."""
    return (f"(CASE WHEN isfinite(({expr}) * 100) THEN "
            f"sign({expr}) * floor(abs({expr}) * 100 + {rules.ROUND_EPSILON!r}) / 100 END)")


def _clamp(expr: str) -> str:
    return _r2(f"least(greatest({expr}, 0.0), weight)")


_RATE_SQL = f"""
    CASE rule_kind
      WHEN 'ratio' THEN CASE WHEN direction = 'reverse'
                             THEN CASE WHEN actual > 0 THEN {_c2('target / actual * 100')} END
                             ELSE CASE WHEN target > 0 THEN {_c2('actual / target * 100')} END END
      WHEN 'carryover' THEN CASE WHEN base > 0 THEN {_c2('actual / base * 100')} END
      WHEN 'diff_rate' THEN CASE WHEN base > 0 THEN {_c2('(actual - base) / base * 100')} END
    END"""

_OVERSHOOT_SQL = f"""
    CASE WHEN direction = 'reverse'
         THEN CASE WHEN actual > 0 THEN {_c2('(target - actual) / actual * 100')} END
         ELSE CASE WHEN target > 0 THEN {_c2('(actual - target) / target * 100')} END END"""

_PENALTY_SQL = """
    (CASE WHEN overshoot >= penalty_from_3 THEN penalty_share_3
          WHEN overshoot >= penalty_from_2 THEN penalty_share_2
          WHEN overshoot >= penalty_from_1 THEN penalty_share_1
          ELSE 0.0 END)"""

_SCORE_SQL = f"""
    CASE rule_kind
      WHEN 'ratio' THEN
        CASE WHEN direction = 'reverse' AND actual <= 0 THEN CASE WHEN target > 0 THEN {_clamp('weight')} END
             WHEN rate IS NULL THEN NULL
             ELSE {_clamp(_r2('least(rate, 100.0) / 100 * weight') + ' - coalesce(weight * ' + _PENALTY_SQL + ', 0.0)')}
        END
      WHEN 'checklist' THEN CASE WHEN failed_count IS NOT NULL
                                 THEN {_clamp('weight - greatest(failed_count, 0) * deduction')} END
      WHEN 'carryover' THEN
        CASE WHEN rate IS NULL OR target IS NULL THEN NULL
             WHEN rate <= target THEN {_clamp('weight')}
             ELSE {_clamp('weight - ' + _r2('rate - target') + ' * deduction')} END
      WHEN 'diff_rate' THEN
        CASE WHEN rate IS NULL OR target IS NULL THEN NULL
             WHEN {_r2('rate - target')} <= 0 THEN {_clamp('weight')}
             ELSE {_clamp('weight - floor(' + _r2('rate - target') + f' / step + {rules.ROUND_EPSILON!r}) * deduction')} END
      ELSE CASE WHEN given_score IS NOT NULL THEN {_clamp('given_score')} END
    END"""

def rescore_sql(results: str = "indicator_results", indicators: str = "indicators",
                evaluations: str = "evaluations") -> str:
    """The set-based scorer as a SELECT over any relations shaped like indicator_results, indicators and
    evaluations (rule-change scenarios pass modified copies, a rescore of one year a subset of the
    evaluations); rows: evaluation_id, indicator_code, rate, score."""
    return f"""
    WITH joined AS (
        SELECT r.evaluation_id, r.indicator_code, r.target, r.actual, r.base, r.failed_count, r.given_score,
               i.rule_kind, i.direction, i.weight, i.deduction, i.step,
               i.penalty_from_1, i.penalty_share_1, i.penalty_from_2, i.penalty_share_2,
               i.penalty_from_3, i.penalty_share_3
        FROM {results} r
        JOIN {evaluations} e ON e.id = r.evaluation_id
        JOIN {indicators} i ON i.framework_id = e.framework_id AND i.code = r.indicator_code
    ),
    rated AS (SELECT *, {_RATE_SQL} AS rate, {_OVERSHOOT_SQL} AS overshoot FROM joined)
    SELECT evaluation_id, indicator_code, rate, {_SCORE_SQL} AS score FROM rated
"""


def rescore_all(store: Store) -> int:
    """Recompute every rule score in the database in one statement; returns the rows scored."""
    with store.transaction() as cur:
        return _rescore(cur, "evaluations")


def rescore_year(cur, region: str, year: int) -> int:
    """Recompute the rule scores of one region's year inside the caller's transaction; returns the rows."""
    return _rescore(cur, "(SELECT * FROM evaluations WHERE year = ? AND department_id IN "
                         "(SELECT id FROM departments WHERE region = ?))", [year, region])


def _rescore(cur, evaluations: str, params: list | None = None) -> int:
    cur.execute(f"""
        UPDATE indicator_results AS r SET rule_rate = s.rate, rule_score = s.score
        FROM ({rescore_sql(evaluations=evaluations)}) AS s
        WHERE r.evaluation_id = s.evaluation_id AND r.indicator_code = s.indicator_code""", params or [])
    return cur.fetchall()[0][0]
