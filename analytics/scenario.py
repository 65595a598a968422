"""What-if: change one evaluation's inputs and see its scores, grade and rank move.

Semantics (issue 4): a scenario starts from the **reported** scores.  An indicator whose rule inputs
the user changes is rescored by its rule; every other indicator keeps its reported score (or its
rule score where the source reported none).  Other departments stay as they are.  With nothing
changed, the result equals the stored evaluation exactly, because level-1 scores are the stored ones
plus the changes of the rescored indicators.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from analytics import compare, rules, scoring
from analytics.framework import Framework, default_framework, load_all
from analytics.records import FIGURE_FIELDS, MUNICIPAL_AVG_DIFF_RATE
from analytics.scoring import IndicatorInputs
from analytics.store import Store

# Figure keys a scenario may set, as named by parse-report; "execution_rate" sets spent_total.
FIGURE_KEYS = ("budget_total", "spent_total", "execution_rate", "carryover_amount", "carryover_rate_prev",
               "initial_budget_total", "final_account_total", MUNICIPAL_AVG_DIFF_RATE)
FAILED_PREFIX = "failed:"   # failed:<indicator code> = number of failed checks
SCORE_PREFIX = "score:"     # score:<indicator code> = the evaluator's score of a qualitative indicator
AMOUNT_KEYS = ("budget_total", "spent_total", "carryover_amount", "initial_budget_total", "final_account_total")
RATE_KEYS = ("execution_rate", "carryover_rate_prev", MUNICIPAL_AVG_DIFF_RATE)


class ScenarioInputError(ValueError):
    """Inputs that cannot be scored; ``errors`` maps each input key to what is wrong with it."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))


@dataclass(frozen=True)
class Baseline:
    evaluation_id: int
    department: str
    region: str
    year: int
    source_kind: str
    framework: Framework
    figures: dict
    params: dict
    reported: dict          # indicator code -> reported score (None where the source gave none)
    rule: dict              # indicator code -> stored rule score
    inputs: dict            # indicator code -> IndicatorInputs as stored
    level1: dict            # level-1 code -> stored reported score, plus "total" and "grade"
    others: tuple           # the other departments' reported totals in the same region-year
    data_version: str = ""  # which stored evaluation this baseline is: source, sha256, load time

    def score(self, code: str) -> float:
        """The score a scenario starts from: reported, else the rule's, else 0."""
        for value in (self.reported.get(code), self.rule.get(code)):
            if value is not None:
                return value
        return 0.0

    def rank_of(self, total: float) -> int:
        return 1 + sum(1 for other in self.others if other > total)


@dataclass
class ScenarioResult:
    level1: dict
    total: float
    grade: str | None
    rank: int
    rank_of: int
    scores: dict                                   # indicator code -> scenario score
    changed: dict = field(default_factory=dict)    # indicator code -> (before, after)
    deltas: dict = field(default_factory=dict)     # level-1 codes, total, rank: scenario − actual

    def as_dict(self) -> dict:
        return {"total": self.total, "grade": self.grade, "rank": self.rank, "rank_of": self.rank_of,
                **{code: value for code, value in self.level1.items()},
                "change": self.deltas,
                "changed_indicators": {code: {"before": b, "after": a} for code, (b, a) in self.changed.items()}}


def load_baseline(store: Store, department: str, year: int, region: str | None = None) -> Baseline:
    evaluation_id = compare.find_evaluation(store, department, year, region)
    summary = compare.evaluation_summary(store, evaluation_id)
    fw = load_all().get(summary["framework_id"]) or default_framework()
    rows = store.rows("""SELECT indicator_code, reported_score, rule_score, target, actual, base, failed_count,
                                given_score FROM indicator_results WHERE evaluation_id = ?""", [evaluation_id])
    params = dict(store.rows("SELECT key, value FROM year_params WHERE region = ? AND year = ?",
                             [summary["region"], year]))
    others = store.rows("""SELECT e.reported_score_total FROM evaluations e JOIN departments d ON d.id = e.department_id
                           WHERE d.region = ? AND e.year = ? AND e.id <> ?""", [summary["region"], year, evaluation_id])
    level1 = {l1["code"]: _number(summary.get(f"reported_score_{l1['code']}")) for l1 in fw.level1}
    level1["total"] = _number(summary.get("reported_score_total"))
    level1["grade"] = summary.get("reported_grade")
    return Baseline(
        evaluation_id=evaluation_id, department=summary["department"], region=summary["region"], year=year,
        source_kind=summary["source_kind"], framework=fw,
        figures={key: _number(summary.get(key)) for key in FIGURE_FIELDS}, params=params,
        reported={r[0]: r[1] for r in rows}, rule={r[0]: r[2] for r in rows},
        inputs={r[0]: IndicatorInputs(*r[3:]) for r in rows}, level1=level1,
        others=tuple(o[0] for o in others if o[0] is not None),
        data_version=f"{summary['source_kind']} {str(summary.get('source_sha256') or '')[:12]} "
                     f"loaded {summary['loaded_at']}")


def _number(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def validate(baseline: Baseline, overrides: dict) -> None:
    """Raise ScenarioInputError naming every input that is empty, negative, out of range or unknown."""
    errors = {}
    fw = baseline.framework
    for key, value in overrides.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            errors[key] = "empty or not a number"
        elif key.startswith(FAILED_PREFIX):
            code = key[len(FAILED_PREFIX):]
            checks = _indicator_or_none(fw, code, "checklist")
            if checks is None:
                errors[key] = f"'{code}' is not a checklist indicator"
            elif value != int(value) or not 0 <= value <= len(checks.checks):
                errors[key] = f"failed checks must be a whole number from 0 to {len(checks.checks)}"
        elif key.startswith(SCORE_PREFIX):
            code = key[len(SCORE_PREFIX):]
            ind = _indicator_or_none(fw, code, "judged")
            if ind is None:
                errors[key] = f"'{code}' is not a qualitative indicator"
            elif not 0 <= value <= ind.weight:
                errors[key] = f"score must be between 0 and {ind.weight:g}"
        elif key not in FIGURE_KEYS:
            errors[key] = f"unknown input; use one of {', '.join(FIGURE_KEYS)}, failed:<code>, score:<code>"
        elif value < 0:
            errors[key] = "must not be negative"
        elif key == "execution_rate" and value > 100:
            errors[key] = "a rate above 100% means spending above budget"
        elif key in ("carryover_rate_prev", MUNICIPAL_AVG_DIFF_RATE) and value > 1000:
            errors[key] = "rate out of range (0–1000%)"
    if not errors:
        figures = scenario_figures(baseline, overrides)
        budget = figures.get("budget_total")
        if not budget or budget <= 0:
            errors["budget_total"] = "the full-year budget must be above 0"
        elif (figures.get("spent_total") or 0) > budget + 1e-9:
            field = next((k for k in ("spent_total", "execution_rate", "budget_total") if k in overrides), "budget_total")
            errors[field] = \
                f"spending {figures['spent_total']:.2f} is above the full-year budget {budget:.2f}"
        elif (figures.get("carryover_amount") or 0) > budget + 1e-9:
            errors["carryover_amount"] = f"the carry-over is above the full-year budget {budget:.2f}"
        if "initial_budget_total" in overrides and overrides["initial_budget_total"] <= 0:
            errors["initial_budget_total"] = "the initial budget must be above 0"
    if errors:
        raise ScenarioInputError(errors)


def _indicator_or_none(fw: Framework, code: str, kind: str):
    try:
        ind = fw.indicator(code)
    except KeyError:
        return None
    return ind if ind.kind == kind else None


def scenario_figures(baseline: Baseline, overrides: dict) -> dict:
    """The evaluation's money figures with the overrides applied (execution_rate sets spent_total)."""
    figures = dict(baseline.figures)
    figures.update({k: v for k, v in overrides.items() if k in FIGURE_FIELDS})
    if "execution_rate" in overrides:
        figures["spent_total"] = overrides["execution_rate"] / 100 * figures["budget_total"]
    return figures


def spending_as_amount(baseline: Baseline, overrides: dict) -> dict:
    """The overrides with a spending rate replaced by the amount it sets.  A rate wins over an amount in
    ``scenario_figures``, so an input varied as an amount (goal seek, sensitivity) would otherwise stay
    pinned to the rate."""
    if "execution_rate" not in overrides:
        return dict(overrides)
    spent = scenario_figures(baseline, overrides)["spent_total"]
    return {**{k: v for k, v in overrides.items() if k != "execution_rate"}, "spent_total": spent}


def scenario_inputs(baseline: Baseline, overrides: dict, fw: Framework | None = None) -> dict[str, IndicatorInputs]:
    """Every indicator's rule inputs under the overrides (unchanged ones equal the stored inputs)."""
    fw = fw or baseline.framework
    figures = scenario_figures(baseline, overrides)
    params = {**baseline.params, **{k: v for k, v in overrides.items() if k == MUNICIPAL_AVG_DIFF_RATE}}
    inputs = {}
    for ind in fw.indicators:
        stored = baseline.inputs.get(ind.code, IndicatorInputs())
        if ind.kind in ("ratio", "carryover", "diff_rate"):
            inp = scoring.derive_inputs(ind, figures, params, baseline.reported.get(ind.code))
        else:
            inp = stored
        if ind.kind == "checklist" and f"{FAILED_PREFIX}{ind.code}" in overrides:
            inp = replace(stored, failed_count=int(overrides[f"{FAILED_PREFIX}{ind.code}"]))
        if ind.kind == "judged" and f"{SCORE_PREFIX}{ind.code}" in overrides:
            inp = replace(stored, given_score=float(overrides[f"{SCORE_PREFIX}{ind.code}"]))
        inputs[ind.code] = inp
    return inputs


def apply(baseline: Baseline, overrides: dict, fw: Framework | None = None,
          force_rescore: set[str] = frozenset()) -> ScenarioResult:
    """Score the scenario.  ``fw`` may be a framework with changed parameters (rule-change scenarios);
    ``force_rescore`` names indicators to rescore even when their inputs did not change."""
    validate(baseline, overrides)
    fw = fw or baseline.framework
    inputs = scenario_inputs(baseline, overrides, fw)
    scores, changed = {}, {}
    level1 = {l1["code"]: baseline.level1.get(l1["code"]) or 0.0 for l1 in fw.level1}
    total = baseline.level1.get("total") or 0.0
    for ind in fw.indicators:
        before = baseline.score(ind.code)
        if inputs[ind.code] == baseline.inputs.get(ind.code) and ind.code not in force_rescore:
            scores[ind.code] = before
            continue
        _, after = scoring.score_indicator(ind, inputs[ind.code])
        after = before if after is None else after
        scores[ind.code] = after
        if after != before:
            changed[ind.code] = (before, after)
            level1[ind.level1] += after - before
            total += after - before
    level1 = {code: rules.round2(value) for code, value in level1.items()}
    total = rules.round2(total)
    result = ScenarioResult(level1=level1, total=total, grade=fw.grade(total), rank=baseline.rank_of(total),
                            rank_of=len(baseline.others) + 1, scores=scores, changed=changed)
    actual_total = baseline.level1.get("total") or 0.0
    result.deltas = {**{code: rules.round2(level1[code] - (baseline.level1.get(code) or 0.0)) for code in level1},
                     "total": rules.round2(total - actual_total),
                     "rank": baseline.rank_of(actual_total) - result.rank}
    return result


def rule_gain(baseline: Baseline, overrides: dict, code: str) -> dict | None:
    """What scoring ``code`` by its rule gives over the score the scenario starts it from, at the
    scenario's inputs: {indicator, reported, rule, points}, or None where they agree.  Changing any input
    of an indicator rescores it by its rule, so where the report and the rule disagree (the seed's
    结转结余率: 0.00 reported, 1.69 by the rule) this part of the move comes from the rule, not the input."""
    start = apply(baseline, overrides).scores[code]
    rule = apply(baseline, overrides, force_rescore={code}).scores[code]
    if abs(rule - start) < 0.005:
        return None
    return {"indicator": code, "reported": start, "rule": rule, "points": rules.round2(rule - start)}


def actual(baseline: Baseline) -> ScenarioResult:
    return apply(baseline, {})
