"""What every rule kind module shares: its result type and the checking of its parameters.

A rule kind module defines:
- ``KIND`` and ``PARAMS`` (name → ``Param``): its parameters, checked by ``check_params``;
- ``figures(params)``: the figures it reads;
- ``inputs(params, weight, figures, leaf, reported)``: the flat named inputs of one evaluation's leaf;
- ``score(params, weight, inputs) -> RuleResult``: the scalar rule (the one-evaluation path, ``score_one``);
- ``sql_inputs(params, figure, leaf)`` and ``score_sql(params, column) -> [stage, …]``: the same inputs and
  rule as SQL expressions (the set-based path, ``score_sql``), float operation for float operation, so
  that both paths agree bit for bit (tests/test_domain_scoring_paths.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from analytics.domain.issues import Issue

NUMBER = "number"
FIGURE = "figure"
TEXT = "text"
LIST = "list"
MEASURE = "measure"
LIMIT = "limit"                 # a figure name or a number


@dataclass(frozen=True)
class Param:
    type: str
    required: bool = True
    choices: tuple[str, ...] = ()
    default: Any = None


@dataclass(frozen=True)
class RuleResult:
    score: float | None
    rate: float | None = None
    reason: str | None = None       # why there is no score (missing_input, zero_denominator …)
    finding: str | None = None      # a remark on an applied rule (score_outside_band, judged_target …)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_params(kind: str, spec: dict[str, Param], params: dict, path: str, known_figures: set[str],
                 extra: Callable[[dict, str], list[Issue]] | None = None) -> list[Issue]:
    issues = []
    for name in params:
        if name not in spec:
            issues.append(Issue("unknown_parameter", {"kind": kind, "name": name}, f"{path}.{name}"))
    for name, p in spec.items():
        at = f"{path}.{name}"
        if name not in params:
            if p.required:
                issues.append(Issue("missing_parameter", {"kind": kind, "name": name}, at))
            continue
        value = params[name]
        if p.type == NUMBER and not is_number(value):
            issues.append(Issue("parameter_not_number", {"name": name, "value": str(value)}, at))
        elif p.type == FIGURE or (p.type == LIMIT and isinstance(value, str)):
            if value not in known_figures:
                issues.append(Issue("unknown_figure", {"figure": str(value)}, at))
        elif p.type == LIMIT and not is_number(value):
            issues.append(Issue("parameter_not_number", {"name": name, "value": str(value)}, at))
        elif p.type == TEXT and p.choices and value not in p.choices:
            issues.append(Issue("parameter_choice", {"name": name, "value": str(value),
                                                     "choices": "|".join(p.choices)}, at))
        elif p.type in (LIST, MEASURE) and not isinstance(value, list if p.type == LIST else dict):
            issues.append(Issue("parameter_shape", {"name": name}, at))
    if extra:
        issues.extend(extra(params, path))
    return issues


def get(params: dict, spec: dict[str, Param], name: str):
    return params.get(name, spec[name].default)
