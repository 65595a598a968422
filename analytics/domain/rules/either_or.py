"""Either-or (二者择其一): the better of two (or more) options, or the one the evaluation names.

``options``: [{"code": "rate", "zh": "结转结余率", "en": …, "rule": {"kind": …, "params": {…}}}, …], each a
rule of another kind scored against this leaf's weight; ``choose``: "better" (the highest score; the
first on a tie) or "named" (the option whose code the evaluation gives as its choice).
"""
from __future__ import annotations


from analytics.domain.issues import Issue
from analytics.domain.rules import sql
from analytics.domain.rules.base import LIST, TEXT, Param, RuleResult

KIND = "either_or"
PARAMS = {"options": Param(LIST), "choose": Param(TEXT, False, ("better", "named"), "better")}


def _registry():
    from analytics.domain.rules import KINDS
    return KINDS


def check(params: dict, path: str, known_figures: set[str] = frozenset()) -> list[Issue]:
    from analytics.domain.rules import check_rule
    options = params.get("options")
    if not isinstance(options, list):
        return []
    issues = [] if len(options) >= 2 else [Issue("too_few_options", {}, f"{path}.options")]
    for i, option in enumerate(options):
        at = f"{path}.options[{i}]"
        if not isinstance(option, dict) or not isinstance(option.get("code"), str) or "rule" not in option:
            issues.append(Issue("bad_option", {"index": i + 1}, at))
        elif option["rule"].get("kind") == KIND:
            issues.append(Issue("nested_either_or", {}, f"{at}.rule.kind"))
        else:
            issues += check_rule(option["rule"], f"{at}.rule", known_figures)
    return issues


def figures(params: dict) -> list[str]:
    return [f for o in params["options"] for f in _registry()[o["rule"]["kind"]].figures(o["rule"].get("params", {}))]


def inputs(params: dict, weight: float, figs, leaf, reported) -> dict:
    out = {"choice": leaf.choice}
    for i, o in enumerate(params["options"]):
        kind = _registry()[o["rule"]["kind"]]
        out.update({f"{i}:{k}": v for k, v in kind.inputs(o["rule"].get("params", {}), weight, figs, leaf,
                                                          reported).items()})
    return out


def _sub(inp: dict, i: int) -> dict:
    prefix = f"{i}:"
    return {k[len(prefix):]: v for k, v in inp.items() if k.startswith(prefix)}


def score(params: dict, weight: float, inp: dict) -> RuleResult:
    results = [_registry()[o["rule"]["kind"]].score(o["rule"].get("params", {}), weight, _sub(inp, i))
               for i, o in enumerate(params["options"])]
    if params.get("choose", "better") == "named":
        codes_ = [o["code"] for o in params["options"]]
        if inp["choice"] not in codes_:
            return RuleResult(None, None, "no_choice")
        return results[codes_.index(inp["choice"])]
    best = None
    for r in results:
        if r.score is not None and (best is None or r.score > best.score):
            best = r
    return best if best is not None else results[0]


def sql_inputs(params: dict, figure, leaf) -> dict:
    out = {"choice": leaf("choice")}
    for i, o in enumerate(params["options"]):
        kind = _registry()[o["rule"]["kind"]]
        out.update({f"{i}:{k}": v for k, v in kind.sql_inputs(o["rule"].get("params", {}), figure, leaf).items()})
    return out


def score_sql(params: dict, c) -> list[dict]:
    """Each option's stages side by side (its columns prefixed with its index), then the choice."""
    stages: list[dict] = []
    for i, o in enumerate(params["options"]):
        option = _registry()[o["rule"]["kind"]].score_sql(o["rule"].get("params", {}), lambda n, i=i: c(f"{i}:{n}"))
        for depth, stage in enumerate(option):
            while len(stages) <= depth:
                stages.append({})
            stages[depth].update({f"{i}:{name}": expr for name, expr in stage.items()})
    n = len(params["options"])
    if params.get("choose", "better") == "named":
        pick = "CASE " + " ".join(f"WHEN {c('choice')} = {sql.text(o['code'])} THEN {i}"
                                  for i, o in enumerate(params["options"])) + " END"
        stages.append({"pick": pick})
    else:   # the first highest score; option 0 when none scores
        stages.append({"best0": c("0:score"), "pick0": f"CASE WHEN {c('0:score')} IS NOT NULL THEN 0 END"})
        for i in range(1, n):
            better = f"{c(f'{i}:score')} IS NOT NULL AND ({c(f'best{i - 1}')} IS NULL OR {c(f'{i}:score')} > {c(f'best{i - 1}')})"
            stages.append({f"best{i}": f"CASE WHEN {better} THEN {c(f'{i}:score')} ELSE {c(f'best{i - 1}')} END",
                           f"pick{i}": f"CASE WHEN {better} THEN {i} ELSE {c(f'pick{i - 1}')} END"})
        stages.append({"pick": f"coalesce({c(f'pick{n - 1}')}, 0)"})

    def take(name):
        return "CASE " + c("pick") + " " + " ".join(f"WHEN {i} THEN {c(f'{i}:{name}')}" for i in range(n)) + " END"
    stages.append({"score": take("score"), "rate": take("rate"),
                   "reason": f"CASE WHEN {c('pick')} IS NULL THEN 'no_choice' ELSE {take('reason')} END",
                   "finding": take("finding")})
    return stages
