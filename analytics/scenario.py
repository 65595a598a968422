"""What-if: change one evaluation's inputs and see its scores, grade and rank move, on any framework.

Semantics (issue 4): a scenario starts from the **reported** scores.  An indicator whose rule inputs
the user changes is rescored by its rule; every other indicator keeps its reported score (or its
rule score where the source reported none): ``analytics.domain.score_one.what_if`` on the evaluation's
stored inputs (``node_inputs``, ``evaluation_figures``, read back as domain ``EvaluationInputs``).
Other departments stay as they are.  Inner nodes and the total start from the store's scores
(``node_results`` / ``evaluation_scores``, printed where printed) and move by what the rescored leaves
move, so with nothing changed the result is the stored evaluation exactly.

Inputs (override keys): any figure the evaluation's rules read (``budget_total``, ``spent_total`` …,
year parameters such as ``municipal_avg_diff_rate``), ``execution_rate`` (sets the numerator of the
budget execution rate's ratio), and per leaf ``failed:<code>`` (checklist), ``score:<code>`` (the
evaluator's score of a judged or qualitative indicator), ``actual:<code>`` (a target indicator's
实际完成值) and ``coefficient:<code>`` (得分系数, %).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd

from analytics import compare, scores
from analytics.domain import long_tables
from analytics.domain.evaluation import EvaluationInputs
from analytics.domain.loader import TOTAL
from analytics.domain.model import Framework, Node
from analytics.domain.rounding import round2
from analytics.domain.rules import KINDS
from analytics.domain.score_one import EvaluationScore, concrete, leaf_inputs, score_leaf, what_if
from analytics.domain.vocabulary import FIGURES
from analytics.store import Store

EXECUTION_RATE = "execution_rate"      # the input that sets spending as a rate of its denominator
FAILED_PREFIX = "failed:"              # failed:<indicator code> = number of failed checks
SCORE_PREFIX = "score:"                # score:<indicator code> = the evaluator's score
ACTUAL_PREFIX = "actual:"              # actual:<indicator code> = a target indicator's actual value
COEFFICIENT_PREFIX = "coefficient:"    # coefficient:<indicator code> = 得分系数 in %
# The leaf input each prefix sets, and the rule kinds that read it.
LEAF_KEYS = {FAILED_PREFIX: ("failed", ("checklist",)), SCORE_PREFIX: ("given", ("judged", "qualitative")),
             ACTUAL_PREFIX: ("actual", ("target",)), COEFFICIENT_PREFIX: ("coefficient", ("coefficient",))}
MAX_SHARE = 100.0                      # a rate that is a share of something (carry-over, satisfaction …)
MAX_CHANGE = 1000.0                    # a rate of change (a difference rate) may exceed 100 %
NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?|[+-]?\.\d+")


class FieldError(str):
    """What is wrong with one input: an English sentence (``str``) carrying a code and its parameters,
    which the page puts into the user's words (``wi_err_<code>``)."""

    def __new__(cls, code: str, message: str, **params):
        error = super().__new__(cls, message)
        error.code, error.params = code, params
        return error


class NotANumber(ValueError):
    """Typed text that is not a plain number; ``error`` says what is wrong (a FieldError)."""

    def __init__(self, error: FieldError):
        self.error = error
        super().__init__(error)


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
    framework_id: str
    framework_sha256: str
    definition: str         # the stored framework's definition (JSON): pickled, unlike the model
    inputs: EvaluationInputs  # the evaluation's stored inputs
    stored: dict            # node code (TOTAL too) -> the store's reported score (node_results, evaluation_scores)
    rule: dict              # leaf code -> the store's rule score
    grade: str | None       # the store's reported grade
    others: tuple           # reported totals of the other evaluations of the region-year-framework
    data_version: str = ""  # which stored evaluation this baseline is: source, sha256, load time

    @cached_property
    def framework(self) -> Framework:
        return scores.framework_of(self.definition)

    @cached_property
    def tree(self) -> Framework:
        """The evaluation's concrete tree (its brought indicators in place)."""
        return concrete(self.framework, self.inputs)

    @cached_property
    def start(self) -> EvaluationScore:
        """The scenario with nothing changed, as the engine sums it (the offsets of inner nodes)."""
        return what_if(self.framework, self.inputs, self.inputs)

    def __getstate__(self) -> dict:
        """The fields only: the models derived from them (read-only mappings) are rebuilt on use."""
        return {name: value for name, value in self.__dict__.items() if name not in CACHED}

    @property
    def figures(self) -> dict:
        return dict(self.inputs.figures)

    @property
    def reported(self) -> dict:
        return dict(self.inputs.reported)

    @property
    def level1(self) -> dict:
        """Level-1 code -> the stored reported score, plus "total" and "grade"."""
        return {**{node.code: self.stored.get(node.code) for node in self.tree.nodes},
                "total": self.stored.get(TOTAL), "grade": self.grade}

    def score(self, code: str) -> float:
        """The score a scenario starts a leaf from: reported, else the rule's, else 0."""
        value = self.start.nodes[code].reported
        return 0.0 if value is None else value

    def rank_of(self, total: float) -> int:
        return 1 + sum(1 for other in self.others if other > total)

    def leaves(self, *kinds: str) -> list[Node]:
        return [leaf for leaf in self.tree.leaves() if not kinds or leaf.rule.kind in kinds]

    def by_concept(self, concept: str) -> Node | None:
        return next((leaf for leaf in self.tree.leaves() if leaf.concept == concept), None)


CACHED = ("framework", "tree", "start")


@dataclass
class ScenarioResult:
    level1: dict
    total: float
    grade: str | None
    rank: int
    rank_of: int
    scores: dict                                   # leaf code -> scenario score
    changed: dict = field(default_factory=dict)    # leaf code -> (before, after)
    deltas: dict = field(default_factory=dict)     # level-1 codes, total, rank: scenario − actual

    def as_dict(self) -> dict:
        return {"total": self.total, "grade": self.grade, "rank": self.rank, "rank_of": self.rank_of,
                **{code: value for code, value in self.level1.items()},
                "change": self.deltas,
                "changed_indicators": {code: {"before": b, "after": a} for code, (b, a) in self.changed.items()}}


def evaluations(store: Store, region: str) -> list[tuple[str, int]]:
    """(department, year) of every evaluation of a region: what a scenario can start from."""
    return store.rows("""SELECT d.name, e.year FROM evaluations e JOIN departments d ON d.id = e.department_id
                         WHERE d.region = ? ORDER BY d.name, e.year""", [region])


def load_baseline(store: Store, department: str, year: int, region: str | None = None) -> Baseline:
    """The stored evaluation a scenario starts from: one cursor, each query on the evaluation's id (a view
    filtered by ``= ?`` reads only its rows; ``compare.evaluation_summary`` would score ``complete`` too)."""
    evaluation_id = compare.find_evaluation(store, department, year, region)
    cur = store.cursor()
    try:
        name, region, source_kind, source_sha256, loaded_at = cur.execute("""
            SELECT d.name, d.region, e.source_kind, e.source_sha256, e.loaded_at FROM evaluations e
            JOIN departments d ON d.id = e.department_id WHERE e.id = ?""", [evaluation_id]).fetchone()
        frameworks = scores.stored_frameworks(cur)
        key, inputs = long_tables.read(cur, frameworks, [evaluation_id], scores.STORE_TABLES)[evaluation_id]
        sha256, definition = cur.execute("SELECT sha256, definition FROM frameworks WHERE id = ?",
                                         [key]).fetchall()[0]
        nodes = cur.execute("SELECT code, reported, rule FROM node_results WHERE evaluation_id = ?",
                            [evaluation_id]).fetchall()
        peers = [i for (i,) in cur.execute("""
            SELECT e.id FROM evaluations e JOIN departments d ON d.id = e.department_id
            WHERE d.region = ? AND e.year = ? AND e.framework_id = ?""", [region, year, key]).fetchall()]
        # by a list of ids: joined to evaluations, the view would be scored whole first
        year_scores = cur.execute(f"""
            SELECT evaluation_id, reported_total, reported_grade FROM evaluation_scores
            WHERE evaluation_id IN ({long_tables.placeholders(peers)})""", peers).fetchall()
    finally:
        cur.close()
    own = next(row for row in year_scores if row[0] == evaluation_id)
    return Baseline(
        evaluation_id=evaluation_id, department=name, region=region, year=year,
        source_kind=source_kind, framework_id=key, framework_sha256=sha256, definition=definition,
        inputs=inputs, stored={code: reported for code, reported, _ in nodes} | {TOTAL: own[1]},
        rule={code: rule for code, _, rule in nodes if rule is not None}, grade=own[2],
        others=tuple(total for i, total, _ in year_scores if i != evaluation_id and total is not None),
        data_version=f"{source_kind} {str(source_sha256 or '')[:12]} loaded {pd.Timestamp(loaded_at)}")


# -- the inputs a scenario may change --------------------------------------------------------------

def execution_leaf(baseline: Baseline) -> Node | None:
    """The budget execution rate's ratio leaf, if the framework has one: ``execution_rate`` sets its numerator."""
    leaf = baseline.by_concept(EXECUTION_RATE)
    return leaf if leaf is not None and leaf.rule.kind == "ratio" else None


def figures_read(leaf: Node) -> list[str]:
    """The figures a leaf's rule reads, the judged value first (e.g. carryover_amount, budget_total, the limit)."""
    return KINDS[leaf.rule.kind].figures(leaf.rule.params)


def figure_keys(baseline: Baseline) -> tuple[str, ...]:
    """Every figure the evaluation's rules read, in tree order, then ``execution_rate`` where it applies."""
    read = []
    for leaf in baseline.tree.leaves():
        read += [code for code in figures_read(leaf) if code not in read]
    return (*read, *((EXECUTION_RATE,) if execution_leaf(baseline) else ()))


def is_rate(baseline: Baseline, key: str) -> bool:
    figure = baseline.framework.figure(key)
    return key == EXECUTION_RATE or (figure is not None and figure.unit == "%")


def _leaf_key(baseline: Baseline, key: str) -> tuple[str, Node] | tuple[None, None]:
    """(the LeafInput field, the leaf) a prefixed key sets, or (None, None)."""
    for prefix, (name, kinds) in LEAF_KEYS.items():
        if key.startswith(prefix):
            leaf = next((n for n in baseline.leaves(*kinds) if n.code == key[len(prefix):]), None)
            return (name, leaf) if leaf is not None else (None, None)
    return None, None


def is_leaf_input(baseline: Baseline, key: str) -> bool:
    """Whether a prefixed key names an input of one of the evaluation's leaves (of a kind that reads it)."""
    return _leaf_key(baseline, key)[1] is not None


def _leaf_error(key: str, name: str, leaf: Node, value: float) -> FieldError | None:
    if name == "failed":
        checks = len(leaf.rule.params["checks"])
        if value != int(value) or not 0 <= value <= checks:
            return FieldError("failed_range", f"failed checks must be a whole number from 0 to {checks}", checks=checks)
    elif name == "given" and not 0 <= value <= leaf.weight:
        return FieldError("score_range", f"score must be between 0 and {leaf.weight:g}", weight=f"{leaf.weight:g}")
    elif name == "coefficient" and not 0 <= value <= 100:
        return FieldError("coefficient_range", "coefficient must be between 0 and 100%")
    return None


def _unknown(baseline: Baseline, key: str) -> FieldError:
    for prefix, (_, kinds) in LEAF_KEYS.items():
        if key.startswith(prefix):
            return FieldError("unknown", f"'{key[len(prefix):]}' is not a {'/'.join(kinds)} indicator", key=key)
    return FieldError("unknown", f"unknown input; use one of {', '.join(figure_keys(baseline))}, "
                      + ", ".join(f"{prefix}<code>" for prefix in LEAF_KEYS), key=key)


def rate_cap(baseline: Baseline, key: str) -> float:
    """The largest value a rate input may take: 100 % for a share (spending, carry-over, satisfaction …),
    1000 % for a rate of change (the limit a difference rate is judged against)."""
    if key == EXECUTION_RATE:
        return MAX_SHARE
    for leaf in baseline.tree.leaves():
        params = leaf.rule.params
        if leaf.rule.kind == "deduction" and params.get("limit") == key and params["measure"]["of"] == "change":
            return MAX_CHANGE
    return MAX_SHARE


def parse_number(text) -> float:
    """A number typed into an input: digits with an optional sign, decimal point and thousands commas.
    Anything else ("12万", "1.2e3", "") is refused (NotANumber) rather than guessed at."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    typed = str(text or "").strip().replace("，", ",")
    if not typed:
        raise NotANumber(FieldError("empty", "empty or not a number"))
    if not NUMBER.fullmatch(typed):
        raise NotANumber(FieldError("not_a_number", f"'{typed}' is not a plain number", text=typed))
    return float(typed.replace(",", ""))


def field_errors(baseline: Baseline, overrides: dict) -> dict[str, FieldError]:
    """Every input that is empty, negative, out of range or unknown, with what is wrong with it."""
    errors = {}
    known = figure_keys(baseline)
    for key, value in overrides.items():
        name, leaf = _leaf_key(baseline, key)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            errors[key] = FieldError("empty", "empty or not a number")
        elif leaf is not None:
            if (message := _leaf_error(key, name, leaf, value)) is not None:
                errors[key] = message
        elif key not in known:
            errors[key] = _unknown(baseline, key)
        elif value < 0:
            errors[key] = FieldError("negative", "must not be negative")
        elif key == EXECUTION_RATE and value > MAX_SHARE:
            errors[key] = FieldError("rate_over", "a rate above 100% means spending above budget")
        elif is_rate(baseline, key) and value > (cap := rate_cap(baseline, key)):
            errors[key] = FieldError("rate_range", f"rate out of range (0–{cap:g}%)", cap=f"{cap:g}")
    return errors or _figure_errors(baseline, overrides)


def validate(baseline: Baseline, overrides: dict) -> None:
    """Raise ScenarioInputError naming every input that is empty, negative, out of range or unknown."""
    if errors := field_errors(baseline, overrides):
        raise ScenarioInputError(errors)


def valid_part(baseline: Baseline, overrides: dict) -> tuple[dict, dict[str, FieldError]]:
    """The overrides without the inputs in error, and those errors: a scenario of the valid inputs can
    still be scored while the bad ones are marked (an error between two inputs drops the one it names)."""
    errors: dict[str, FieldError] = {}
    valid = dict(overrides)
    while found := field_errors(baseline, valid):
        errors |= found
        dropped = {key: valid.pop(key) for key in found if key in valid}
        if not dropped:      # an error on an input that was not changed (the budget below the spending)
            break
    return valid, errors


def _figure_errors(baseline: Baseline, overrides: dict) -> dict:
    """Budgets that must be above 0 and amounts that may not exceed the full-year budget, where read."""
    errors = {}
    known = set(figure_keys(baseline))
    figures = scenario_figures(baseline, overrides)
    if "budget_total" in known:
        budget = figures.get("budget_total")
        if not budget or budget <= 0:
            errors["budget_total"] = FieldError("budget_zero", "the full-year budget must be above 0")
        elif "spent_total" in known and (figures.get("spent_total") or 0) > budget + 1e-9:
            field = next((k for k in ("spent_total", EXECUTION_RATE, "budget_total") if k in overrides), "budget_total")
            errors[field] = FieldError("spent_over", f"spending {figures['spent_total']:.2f} is above the full-year "
                                       f"budget {budget:.2f}", spent=f"{figures['spent_total']:,.2f}",
                                       budget=f"{budget:,.2f}")
        elif "carryover_amount" in known and (figures.get("carryover_amount") or 0) > budget + 1e-9:
            errors["carryover_amount"] = FieldError("carry_over", f"the carry-over is above the full-year budget "
                                                    f"{budget:.2f}", budget=f"{budget:,.2f}")
    if "initial_budget_total" in overrides and overrides["initial_budget_total"] <= 0:
        errors["initial_budget_total"] = FieldError("initial_zero", "the initial budget must be above 0")
    return errors


def scenario_figures(baseline: Baseline, overrides: dict) -> dict:
    """The evaluation's figures with the overrides applied (``execution_rate`` sets spending)."""
    figures = baseline.figures
    figures.update({k: v for k, v in overrides.items() if k in FIGURES or baseline.framework.figure(k)})
    leaf = execution_leaf(baseline)
    if EXECUTION_RATE in overrides and leaf is not None:
        params = leaf.rule.params
        figures[params["numerator"]] = overrides[EXECUTION_RATE] / 100 * figures[params["denominator"]]
    return figures


def spending_as_amount(baseline: Baseline, overrides: dict) -> dict:
    """The overrides with a spending rate replaced by the amount it sets.  A rate wins over an amount in
    ``scenario_figures``, so an input varied as an amount (goal seek, sensitivity) would otherwise stay
    pinned to the rate."""
    leaf = execution_leaf(baseline)
    if EXECUTION_RATE not in overrides or leaf is None:
        return dict(overrides)
    numerator = leaf.rule.params["numerator"]
    spent = scenario_figures(baseline, overrides)[numerator]
    return {**{k: v for k, v in overrides.items() if k != EXECUTION_RATE}, numerator: spent}


def scenario_inputs(baseline: Baseline, overrides: dict) -> EvaluationInputs:
    """The evaluation's inputs under the overrides (unchanged ones equal the stored inputs)."""
    leaves = dict(baseline.inputs.leaves)
    for key, value in overrides.items():
        name, leaf = _leaf_key(baseline, key)
        if leaf is not None:
            leaves[leaf.code] = replace(baseline.inputs.leaf(leaf.code),
                                        **{name: int(value) if name == "failed" else float(value)})
    return replace(baseline.inputs, figures=scenario_figures(baseline, overrides), leaves=leaves)


def failed_checks(baseline: Baseline, code: str) -> int:
    """A checklist leaf's failed checks as stored (or as its reported score explains them), 0 if unknown."""
    return int(leaf_inputs(baseline.tree.node(code), baseline.inputs)["failed"] or 0)


def leaf_input_values(baseline: Baseline) -> dict:
    """Every per-leaf input a scenario may change, by override key, at its actual value: failed checks,
    judged and qualitative scores, a numeric target's actual value (as its rule reads it), a coefficient."""
    values = {}
    for leaf in baseline.tree.leaves():
        kind, flat = leaf.rule.kind, leaf_inputs(leaf, baseline.inputs)
        if kind == "checklist":
            values[f"{FAILED_PREFIX}{leaf.code}"] = failed_checks(baseline, leaf.code)
        elif kind in ("judged", "qualitative"):
            values[f"{SCORE_PREFIX}{leaf.code}"] = baseline.score(leaf.code) if kind == "judged" else flat["given"]
        elif kind == "target" and flat["comparator"] is not None:
            values[f"{ACTUAL_PREFIX}{leaf.code}"] = flat["actual"]
        elif kind == "coefficient":
            values[f"{COEFFICIENT_PREFIX}{leaf.code}"] = flat["coefficient"]
    return values


def leaf_rate(baseline: Baseline, code: str, overrides: dict) -> float | None:
    """The rate (in %) a leaf's rule computes at the scenario's inputs, e.g. 结转结余率 for a carry-over."""
    return score_leaf(baseline.tree.node(code), scenario_inputs(baseline, overrides)).rate


# -- scoring -------------------------------------------------------------------------------------------

def apply(baseline: Baseline, overrides: dict, force_rescore: frozenset = frozenset()) -> ScenarioResult:
    """Score the scenario; ``force_rescore`` names indicators to rescore even when their inputs did not change."""
    validate(baseline, overrides)
    after = what_if(baseline.framework, baseline.inputs, scenario_inputs(baseline, overrides),
                    rescore=frozenset(force_rescore))
    before = baseline.start

    def moved(code: str) -> float:
        """The stored score of a node plus what the scenario moved it by."""
        return round2((baseline.stored.get(code) or 0.0) + (after.nodes[code].reported - before.nodes[code].reported))

    scores_, changed = {}, {}
    for leaf in baseline.tree.leaves():
        start, now = baseline.score(leaf.code), after.nodes[leaf.code].reported
        scores_[leaf.code] = start if now is None else now
        if scores_[leaf.code] != start:
            changed[leaf.code] = (start, scores_[leaf.code])
    level1 = {node.code: moved(node.code) for node in baseline.tree.nodes}
    total = moved(TOTAL)
    result = ScenarioResult(level1=level1, total=total, grade=baseline.framework.grade(total),
                            rank=baseline.rank_of(total), rank_of=len(baseline.others) + 1, scores=scores_,
                            changed=changed)
    actual_total = baseline.stored.get(TOTAL) or 0.0
    result.deltas = {**{code: round2(level1[code] - (baseline.stored.get(code) or 0.0)) for code in level1},
                     "total": round2(total - actual_total), "rank": baseline.rank_of(actual_total) - result.rank}
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
    return {"indicator": code, "reported": start, "rule": rule, "points": round2(rule - start)}


def actual(baseline: Baseline) -> ScenarioResult:
    return apply(baseline, {})
