"""The rule kinds: one module each, holding its parameters, its scalar rule and its SQL twin.

``KINDS`` maps a rule kind (as written in framework data) to its module; ``check_rule`` validates a
leaf's ``{"kind": …, "params": {…}}`` and returns coded issues.
"""
from __future__ import annotations

from analytics.domain.issues import Issue
from analytics.domain.rules import (bands, checklist, coefficient, deduction, either_or, judged, qualitative, ratio,
                                    target)
from analytics.domain.rules.base import check_params

KINDS = {m.KIND: m for m in (ratio, target, qualitative, bands, deduction, checklist, judged, either_or, coefficient)}

# Kinds an evaluation may give to the indicators it brings under an open group.
BROUGHT_KINDS = ("target", "qualitative", "judged", "coefficient")


def check_rule(rule, path: str, known_figures: set[str]) -> list[Issue]:
    if not isinstance(rule, dict):
        return [Issue("missing_rule", {}, path)]
    kind = rule.get("kind")
    if kind not in KINDS:
        return [Issue("unknown_rule_kind", {"kind": str(kind), "kinds": "|".join(KINDS)}, f"{path}.kind")]
    params = rule.get("params", {})
    if not isinstance(params, dict):
        return [Issue("parameter_shape", {"name": "params"}, f"{path}.params")]
    module = KINDS[kind]
    extra = getattr(module, "check", None)
    return check_params(kind, module.PARAMS, params, f"{path}.params", known_figures,
                        (lambda p, at: extra(p, at, known_figures)) if extra else None)
