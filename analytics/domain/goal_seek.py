"""What-if, goal seek and sensitivity on any framework and any rule kind (pure: no store).

- ``numeric_inputs(fw, ev)``: every numeric input an evaluation's score depends on: each figure a rule
  reads (unit from the vocabulary or the framework), and each leaf's own numeric inputs (failed checks,
  the evaluator's score, the score coefficient, the actual value of a numeric target), each with its
  natural step, its search range and, where the rules say so, the direction in which it helps.
- ``seek(fw, ev, ref, target_total)``: the value of one input, on its natural step (the cent, a whole
  check, a month), nearest to its current value that brings the scenario total to the target.
- ``seek_grade``: the same with the framework's own grade band as the target.
- ``sensitivity(fw, ev, refs, step)``: the total's change for a +/- change of each input (a tornado).

Scenario semantics are ``score_one.what_if``: leaves whose inputs change are rescored by their rule;
every other leaf keeps its reported score.  The search samples the input's range from the current
value outward in each helpful direction (one sample, the range's end, where the direction is known;
evenly spaced samples where it is not, e.g. a figure read by rules that pull both ways or a stepped
band whose scores go up and down), then bisects between the last sample that falls short and the first
that reaches.  So every answer is verified by re-scoring: applied, it reaches the target, and the value
one step less helpful either falls short or is no longer a move away from the current value.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Mapping

from analytics.domain.evaluation import EvaluationInputs
from analytics.domain.model import Framework, Node
from analytics.domain.rounding import finite, round2
from analytics.domain.rules import KINDS
from analytics.domain.score_one import EvaluationScore, concrete, leaf_inputs, score_evaluation, what_if
from analytics.domain.targets import parse_target

MORE, LESS = "more", "less"
CENT = 0.01
WHOLE_UNITS = ("人", "个", "项", "次", "户", "家", "月", "天")
SCAN_SAMPLES = 200            # samples over the range of an input whose direction is not known …
WALK_SAMPLES = 16             # … and of one whose direction is known (a ratio's over-target tiers may still cut)
LEAF_FIELDS = ("failed", "given", "coefficient", "actual")


class SeekError(ValueError):
    """A goal seek that cannot be asked: ``code`` and ``params`` are put into words at the edge."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(f"{code} {params}")


@dataclass(frozen=True)
class InputRef:
    """A figure (``field`` None) or one numeric field of a leaf's inputs."""
    code: str
    field: str | None = None

    def __str__(self) -> str:
        return self.code if self.field is None else f"{self.code}:{self.field}"

    @classmethod
    def parse(cls, text: str) -> "InputRef":
        """"spent_total" → a figure; "fund_compliance:failed" → a leaf's field."""
        code, _, field = str(text).strip().partition(":")
        return cls(code, field or None)


@dataclass(frozen=True)
class NumericInput:
    ref: InputRef
    unit: str
    current: float | None
    direction: str | None        # MORE / LESS: which way helps the score; None where not known
    step: float                  # the natural step: the cent, a whole check, a month …
    low: float                   # the search range
    high: float
    leaves: tuple[str, ...]      # the leaves whose rules read it
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class SeekAnswer:
    ref: InputRef
    target_total: float
    reachable: bool
    current: float | None                 # the input's current value
    base_total: float                     # the scenario total with nothing changed
    value: float | None = None            # the value that reaches the target (None: unreachable or already met)
    total: float | None = None            # the total reached with that value
    grade: str | None = None              # the grade of that total
    already: bool = False                 # met without any change
    best_value: float | None = None       # the best value found for this input alone …
    best_total: float | None = None       # … and the total it gives
    shortfall: float | None = None        # points still missing at best
    rule_gain: float = 0.0                # points the input's leaves gain by being rescored by their rule
    other_room: dict | None = None        # unreachable: other leaf → points it still lacks, largest first
    searched: str = "bisection"           # "bisection" (direction known) or "scan" (sampled, then bisected)

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["ref"] = str(self.ref)
        return out


# -- the inputs --------------------------------------------------------------------------------------

def _measure_signs(measure: dict, sign: int) -> dict[str, int]:
    if measure["of"] == "figure":
        return {measure["figure"]: sign}
    first, second = ("numerator", "denominator") if measure["of"] == "ratio" else ("final", "initial")
    return _merge({measure[first]: sign}, {measure[second]: -sign})


def _band_sign(bands) -> int:
    """+1 when the bands' scores never fall as the value rises, −1 when they never rise, else 0."""
    ordered = sorted(bands, key=lambda b: (-math.inf if b.get("low") is None else b["low"],
                                           math.inf if b.get("high") is None else b["high"]))
    scores = [b["score"] for b in ordered]
    rising = all(a <= b for a, b in zip(scores, scores[1:]))
    falling = all(a >= b for a, b in zip(scores, scores[1:]))
    return 0 if rising == falling else (1 if rising else -1)


def _merge(*parts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in parts:
        for code, sign in part.items():
            out[code] = sign if out.get(code, sign) == sign else 0
    return out


def figure_signs(kind: str, params) -> dict[str, int]:
    """Figure → +1 (more helps), −1 (less helps) or 0 (either way) for one rule."""
    if kind == "ratio":
        sign = -1 if params.get("direction") == "reverse" else 1
        return _merge({params["numerator"]: sign}, {params["denominator"]: -sign})
    if kind == "bands":
        return _measure_signs(params["measure"], _band_sign(params["bands"]))
    if kind == "deduction":
        sign = -1 if params.get("side", "above") == "above" else 1
        limit = params["limit"]
        return _merge(_measure_signs(params["measure"], sign), {limit: -sign} if isinstance(limit, str) else {})
    if kind == "either_or":
        return _merge(*(figure_signs(o["rule"]["kind"], o["rule"].get("params", {})) for o in params["options"]))
    return {}


def _leaf_fields(kind: str, params, leaf, inputs: dict) -> dict[str, int]:
    """A leaf's own numeric inputs → +1 (more helps), −1 (less helps) or 0 (not known: an "=" target
    whose actual is missing or met)."""
    if kind == "checklist":
        return {"failed": -1}
    if kind == "coefficient":
        return {"coefficient": 1}
    if kind in ("judged", "qualitative"):
        return {"given": 1}
    if kind == "target":
        target = parse_target(leaf.target)
        if target is None:
            return {"given": 1}
        actual = inputs.get("actual")
        if target.comparator == "=":
            sign = 0 if not finite(actual) or actual == target.value else (1 if actual < target.value else -1)
        else:
            sign = -1 if target.comparator in ("≤", "<") else 1
        # an actual value that does not read as a number leaves the leaf judged: its score counts too
        return {"actual": sign} if finite(actual) else {"actual": sign, "given": 1}
    if kind == "either_or":
        return _merge(*(_leaf_fields(o["rule"]["kind"], o["rule"].get("params", {}), leaf, {})
                        for o in params["options"]))
    return {}


def _current_field(inputs: dict, field: str):
    """The field's value among a leaf's flat inputs (an either-or option's inputs are prefixed "i:")."""
    for name, value in inputs.items():
        if name == field or name.endswith(f":{field}"):
            return value
    return None


def _checks(node: Node) -> int:
    params = node.rule.params
    if node.rule.kind == "checklist":
        return len(params["checks"])
    return max((len(o["rule"]["params"]["checks"]) for o in params.get("options", ())
                if o["rule"]["kind"] == "checklist"), default=0)


def _direction(sign: int) -> str | None:
    return {1: MORE, -1: LESS}.get(sign)


def _span(current, low: float, high: float) -> tuple[float, float]:
    if finite(current):
        return min(low, current), max(high, current)
    return low, high


def _figure_input(fw: Framework, ev: EvaluationInputs, code: str, sign: int, leaves: tuple[str, ...]) -> NumericInput:
    figure = fw.figure(code)
    unit = figure.unit if figure else ""
    current = ev.figures.get(code)
    current = float(current) if finite(current) else None
    if unit == "万元":
        money = [abs(v) for k, v in ev.figures.items() if finite(v) and (f := fw.figure(k)) and f.unit == "万元"]
        high = 2 * max(money, default=0.0) or 100.0
    else:
        high = max(100.0, 2 * abs(current)) if current is not None else 100.0
    low, high = _span(current, 0.0, high)
    step = 1.0 if unit in WHOLE_UNITS else CENT
    return NumericInput(InputRef(code), unit, current, _direction(sign), step, low, high, leaves,
                        figure.zh if figure else code, figure.en if figure else code)


def _leaf_input(node: Node, ev: EvaluationInputs, field: str, sign: int) -> NumericInput:
    inputs = leaf_inputs(node, ev)
    current = _current_field(inputs, field)
    current = float(current) if finite(current) else None
    unit, step = "", CENT
    if field == "failed":
        unit, step, low, high = "项", 1.0, 0.0, float(_checks(node))
    elif field == "given":
        unit, low, high = "分", 0.0, node.weight
    elif field == "coefficient":
        unit, low, high = "%", 0.0, 100.0
    else:
        target = parse_target(ev.leaf(node.code).target)
        unit = target.unit
        if unit == "月":
            step, low, high = 1.0, 1.0, 12.0
        else:
            step = 1.0 if unit in WHOLE_UNITS else CENT
            low, high = 0.0, max(2 * abs(target.value), 100.0 if unit == "%" else 1.0)
    low, high = _span(current, low, high)
    return NumericInput(InputRef(node.code, field), unit, current, _direction(sign), step, low, high, (node.code,),
                        node.zh, node.en)


def numeric_inputs(fw: Framework, ev: EvaluationInputs) -> list[NumericInput]:
    """Every numeric input the evaluation's score depends on: the figures its rules read (in the order
    the leaves first read them), then each leaf's own fields, in tree order."""
    tree = concrete(fw, ev)
    signs: dict[str, int] = {}
    readers: dict[str, list[str]] = {}
    own = []
    for leaf in tree.leaves():
        leaf_signs = figure_signs(leaf.rule.kind, leaf.rule.params)
        for code in KINDS[leaf.rule.kind].figures(leaf.rule.params):
            readers.setdefault(code, []).append(leaf.code)
            signs = _merge(signs, {code: leaf_signs.get(code, 0)})
        fields = _leaf_fields(leaf.rule.kind, leaf.rule.params, ev.leaf(leaf.code), leaf_inputs(leaf, ev))
        own += [_leaf_input(leaf, ev, field, sign) for field, sign in fields.items()]
    figures = [_figure_input(fw, ev, code, signs[code], tuple(dict.fromkeys(leaves)))
               for code, leaves in readers.items()]
    return figures + own


def find_input(fw: Framework, ev: EvaluationInputs, ref: InputRef | str) -> NumericInput:
    ref = InputRef.parse(ref) if isinstance(ref, str) else ref
    for item in numeric_inputs(fw, ev):
        if item.ref == ref:
            return item
    raise SeekError("unknown_input", input=str(ref))


# -- scenarios ---------------------------------------------------------------------------------------

Settings = Mapping[InputRef | str, float]


def _refs(settings: Settings | None) -> dict[InputRef, float]:
    return {(InputRef.parse(r) if isinstance(r, str) else r): v for r, v in (settings or {}).items()}


def changed(ev: EvaluationInputs, settings: Settings) -> EvaluationInputs:
    """The evaluation with some inputs set to new values."""
    figures, leaves = dict(ev.figures), dict(ev.leaves)
    for ref, value in _refs(settings).items():
        if ref.field is None:
            figures[ref.code] = value
        else:
            value = int(value) if ref.field == "failed" else value
            leaves[ref.code] = replace(leaves.get(ref.code) or ev.leaf(ref.code), **{ref.field: value})
    return replace(ev, figures=figures, leaves=leaves)


def check_settings(fw: Framework, ev: EvaluationInputs, settings: Settings) -> None:
    """Raise ``SeekError`` for an input the evaluation does not have or a value it cannot take: a money
    figure or a count below 0, failed checks not a whole number within the checklist, a score outside
    [0, weight], a negative coefficient, anything not a finite number."""
    inputs = {item.ref: item for item in numeric_inputs(fw, ev)}
    for ref, value in _refs(settings).items():
        item = inputs.get(ref)
        if item is None:
            raise SeekError("unknown_input", input=str(ref))
        low, high = {"failed": (0.0, item.high), "given": (0.0, item.high), "coefficient": (0.0, math.inf),
                     "actual": (-math.inf, math.inf)}.get(ref.field, (0.0 if item.unit != "%" else -math.inf, math.inf))
        whole = ref.field == "failed"
        if not finite(value) or not low <= value <= high or (whole and value != int(value)):
            raise SeekError("bad_value", input=str(ref), value=value, low=low, high=high, whole=whole)


def apply(fw: Framework, ev: EvaluationInputs, settings: Settings) -> EvaluationScore:
    """The scenario with some inputs changed (``score_one.what_if``)."""
    return what_if(fw, ev, changed(ev, settings))


def settle(fw: Framework, ev: EvaluationInputs, held: Settings | None) -> EvaluationInputs:
    """The scenario with ``held`` inputs changed, as an evaluation of its own: its reported scores are the
    scenario's, so that a further change rescores only the leaves it moves (seek with other inputs held)."""
    if not held:
        return ev
    check_settings(fw, ev, held)
    return settle_to(fw, ev, changed(ev, held))


def settle_to(fw: Framework, ev: EvaluationInputs, moved: EvaluationInputs) -> EvaluationInputs:
    """``settle`` for a scenario given as the changed evaluation itself."""
    scenario = what_if(fw, ev, moved)
    reported = {leaf.code: scenario.nodes[leaf.code].reported for leaf in concrete(fw, moved).leaves()
                if scenario.nodes[leaf.code].reported is not None}
    return replace(moved, reported=reported)


def base_total(fw: Framework, ev: EvaluationInputs) -> float:
    return what_if(fw, ev, ev).total_reported


def rescored(fw: Framework, ev: EvaluationInputs, leaves) -> EvaluationInputs:
    """The evaluation with the given leaves' reported scores replaced by their rule scores (where the rule
    gives one), so that a change is measured from the rule and not from a report that disagrees with it."""
    scores = score_evaluation(fw, ev)
    reported = dict(ev.reported)
    for code in leaves:
        if scores.nodes[code].rule is not None:
            reported[code] = scores.nodes[code].rule
    return replace(ev, reported=reported)


# -- goal seek ---------------------------------------------------------------------------------------

def _value(k: int, step: float) -> float:
    return k / 100 if step == CENT else float(k * step)


def _walk(item: NumericInput, sign: int) -> tuple[int, int] | None:
    """The grid positions (in steps) from the first one beyond the current value to the range's end."""
    scale = 100 if item.step == CENT else 1 / item.step
    low, high = math.ceil(item.low * scale - 1e-9), math.floor(item.high * scale + 1e-9)
    if item.current is None:
        first = low if sign > 0 else high
    elif sign > 0:       # the first grid point beyond the current value (at worst the current value itself)
        first = math.floor(item.current * scale) + 1
    else:
        first = math.ceil(item.current * scale) - 1
    last = high if sign > 0 else low
    return (first, last) if (last - first) * sign >= 0 else None


def _search(total_at, first: int, last: int, target: float, samples: int):
    """(answer k or None, best k, best total) walking from ``first`` to ``last``."""
    sign = 1 if last >= first else -1
    length = abs(last - first)
    points = sorted({round(length * i / samples) for i in range(1, samples + 1)} | ({0} if samples > 1 else set()))
    best = None
    bad = -1                                  # positions along the walk; -1 is the current value
    for p in points:
        total = total_at(first + sign * p)
        if best is None or total > best[1]:
            best = (first + sign * p, total)
        if total >= target:
            good = p
            while good - bad > 1:
                mid = (good + bad) // 2
                if total_at(first + sign * mid) >= target:
                    good = mid
                else:
                    bad = mid
            k = first + sign * good
            return k, k, max(best[1], total_at(k))
        bad = p
    return None, best[0], best[1]


def seek(fw: Framework, ev: EvaluationInputs, ref: InputRef | str, target_total: float,
         held: Settings | None = None) -> SeekAnswer:
    """The value of one input, on its natural step and nearest to its current value, that brings the
    scenario total to at least ``target_total``; or, where none does, the best it can do and the shortfall.
    ``held``: other inputs changed first and kept (the sought input's own setting is its current value)."""
    ev = settle(fw, ev, held)
    item = find_input(fw, ev, ref)
    base = base_total(fw, ev)
    gain = round2(base_total(fw, rescored(fw, ev, item.leaves)) - base)
    answer = SeekAnswer(item.ref, target_total, True, item.current, base, rule_gain=gain,
                        searched="bisection" if item.direction else "scan")
    if base >= target_total:
        return replace(answer, already=True, total=base, grade=fw.grade(base))

    cache: dict[int, float] = {}

    def total_at(k: int) -> float:
        if k not in cache:
            cache[k] = apply(fw, ev, {item.ref: _value(k, item.step)}).total_reported
        return cache[k]

    signs = {MORE: (1,), LESS: (-1,), None: (1, -1)}[item.direction]
    found, best = [], (None, base)
    for sign in signs:
        walk = _walk(item, sign)
        if walk is None:
            continue
        k, best_k, best_total = _search(total_at, *walk, target_total, WALK_SAMPLES if item.direction else SCAN_SAMPLES)
        if k is not None:
            found.append(k)
        if best_total > best[1]:
            best = (best_k, best_total)
    if not found:
        value = None if best[0] is None else _value(best[0], item.step)
        return replace(answer, reachable=False, best_value=value, best_total=best[1],
                       shortfall=round2(target_total - best[1]), other_room=room_elsewhere(fw, ev, item.leaves))
    scale = 100 if item.step == CENT else 1 / item.step
    here = (item.current or 0.0) * scale
    k = min(found, key=lambda k: (abs(k - here), -k))
    total = total_at(k)
    return replace(answer, value=_value(k, item.step), total=total, grade=fw.grade(total),
                   best_value=_value(best[0], item.step) if best[0] is not None else None,
                   best_total=max(best[1], total))


def room_elsewhere(fw: Framework, ev: EvaluationInputs, leaves) -> dict[str, float]:
    """Points each other leaf still lacks in the scenario as it stands (weight − score), largest first."""
    scores = what_if(fw, ev, ev)
    room = {leaf.code: round2(leaf.weight - (scores.nodes[leaf.code].reported or 0.0))
            for leaf in concrete(fw, ev).leaves() if leaf.code not in leaves}
    return dict(sorted(((code, points) for code, points in room.items() if points > 0), key=lambda r: -r[1]))


def grade_target(fw: Framework, grade: str) -> float:
    """The lower bound of a grade band of the framework (any synonym the framework accepts)."""
    label = fw.normalise_grade(grade)
    for band in fw.grade_bands:
        if band.label == label:
            return float(band.min)
    raise SeekError("unknown_grade", grade=str(grade), grades="|".join(b.label for b in fw.grade_bands))


def next_grade(fw: Framework, total: float) -> tuple[str, float] | None:
    """The next better grade than a total's, with its lower bound; None at the top grade."""
    for band in sorted(fw.grade_bands, key=lambda b: b.min):
        if band.min > total:
            return band.label, float(band.min)
    return None


def seek_grade(fw: Framework, ev: EvaluationInputs, ref: InputRef | str, grade: str,
               held: Settings | None = None) -> SeekAnswer:
    return seek(fw, ev, ref, grade_target(fw, grade), held)


# -- sensitivity -------------------------------------------------------------------------------------

def unit_change(item: NumericInput) -> float:
    """One unit of change: one point of a rate, a score or a coefficient; one whole check, person or month;
    for a money figure 1 % of the evaluation's largest money figure (about one percentage point of the
    rates it enters), for a target's actual value 1 % of the target."""
    if item.step != CENT or item.unit in ("%", "分"):
        return max(item.step, 1.0)
    if item.unit == "万元" or item.ref.field == "actual":
        return round(item.high / 200, 2) or CENT
    return 1.0


def sensitivity(fw: Framework, ev: EvaluationInputs, refs=None, step: float = 1.0,
                held: Settings | None = None) -> list[dict]:
    """For each input (all by default): the total's change when it moves ``step`` units up and down
    (``unit_change``), within its range, measured from its leaves' rule scores at the current value so
    that a report that disagrees with a rule does not pose as an effect; inputs without a value are left
    out.  ``held``: other inputs changed first, as for ``seek``.  Largest effect first."""
    ev = settle(fw, ev, held)
    items = numeric_inputs(fw, ev)
    if refs is not None:
        items = [find_input(fw, ev, r) for r in refs]
    rows = []
    for item in items:
        if item.current is None:
            continue
        base_ev = rescored(fw, ev, item.leaves)
        base = base_total(fw, base_ev)
        delta = unit_change(item) * step
        row = {"input": str(item.ref), "unit": item.unit, "current": item.current, "delta": delta,
               "direction": item.direction, "leaves": list(item.leaves)}
        for name, moved in (("up", item.current + delta), ("down", item.current - delta)):
            moved = round(min(max(moved, item.low), item.high), 2)
            row[f"{name}_value"] = moved
            row[name] = round2(apply(fw, base_ev, {item.ref: moved}).total_reported - base)
        rows.append(row)
    return sorted(rows, key=lambda r: -max(abs(r["up"]), abs(r["down"])))
