"""Framework data (JSON, or a dict read from a workbook) → a validated ``Framework``, and back.

``load_framework`` never raises on bad data: it returns (framework or None, issues), each issue with a
code, parameters and the JSON path of the value at fault.  Weights must add up at every level (to the
parent's weight, rounded to 2 decimals, tolerance 1e-9); where some weights are left to evaluations
(open groups), the fixed ones must not exceed their parent's.
"""
from __future__ import annotations

import json
from pathlib import Path

from analytics.domain.issues import Issue, errors
from analytics.domain.model import Framework, GradeBand, Node, Rule, freeze, thaw
from analytics.domain.rounding import round2
from analytics.domain.rules import BROUGHT_KINDS, KINDS, check_rule
from analytics.domain.rules.base import is_number
from analytics.domain.vocabulary import CONCEPTS, FIGURES, Figure

FORMAT = 2
WEIGHT_TOLERANCE = 1e-9
MIN_DEPTH, MAX_DEPTH = 2, 4
TOTAL = "total"      # the root's code in issues and in scores
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "data" / "frameworks" / "v2"


def weights_add_up(parts: list[float], whole: float) -> bool:
    acc = 0.0
    for part in parts:
        acc += part
    return abs(round2(acc) - round2(whole)) <= WEIGHT_TOLERANCE


def _weight(raw: dict, path: str, issues: list[Issue]) -> float | None:
    weight = raw.get("weight")
    if weight is None:
        return None
    if not is_number(weight) or weight < 0:
        issues.append(Issue("bad_weight", {"node": str(raw.get("code")), "value": str(weight)}, f"{path}.weight"))
        return None
    return float(weight)


def _check_children(node: Node, at: str, issues: list[Issue]) -> None:
    if node.weight is None or not node.children:
        return
    fixed = [c.weight for c in node.children if c.weight is not None]
    acc = 0.0
    for w in fixed:
        acc += w
    if len(fixed) == len(node.children):
        ok = weights_add_up(fixed, node.weight)
    else:
        ok = round2(acc) <= node.weight + WEIGHT_TOLERANCE
    if not ok:
        issues.append(Issue("weights_do_not_add_up", {"node": node.code, "sum": round2(acc), "weight": node.weight},
                            at))


def _node(raw, path: str, depth: int, known: set[str], seen: set[str], issues: list[Issue]) -> Node | None:
    if not isinstance(raw, dict):
        issues.append(Issue("bad_node", {}, path))
        return None
    code = raw.get("code")
    if not isinstance(code, str) or not code.strip():
        issues.append(Issue("missing_code", {}, f"{path}.code"))
        code = f"?{path}"
    elif code in seen:
        issues.append(Issue("duplicate_code", {"node": code}, f"{path}.code"))
    seen.add(code)
    if not isinstance(raw.get("zh"), str) or not raw["zh"].strip():
        issues.append(Issue("missing_name", {"node": code}, f"{path}.zh"))
    concept = raw.get("concept")
    if concept is not None and concept not in CONCEPTS:
        issues.append(Issue("unknown_concept", {"node": code, "concept": str(concept)}, f"{path}.concept"))
    weight = _weight(raw, path, issues)
    children, rule, open_kinds = (), None, None
    if "open" in raw:
        kinds = raw["open"].get("kinds", list(BROUGHT_KINDS)) if isinstance(raw["open"], dict) else None
        bad = [k for k in kinds or [None] if k not in BROUGHT_KINDS]
        if bad:
            issues.append(Issue("unknown_rule_kind", {"kind": str(bad[0]), "kinds": "|".join(BROUGHT_KINDS)},
                                f"{path}.open.kinds"))
        open_kinds = tuple(kinds or ())
        if depth + 1 > MAX_DEPTH:
            issues.append(Issue("tree_too_deep", {"node": code, "depth": depth + 1}, path))
    elif raw.get("children"):
        children = tuple(n for i, c in enumerate(raw["children"])
                         if (n := _node(c, f"{path}.children[{i}]", depth + 1, known, seen, issues)) is not None)
        if depth + 1 > MAX_DEPTH:
            issues.append(Issue("tree_too_deep", {"node": code, "depth": depth + 1}, path))
    elif "rule" in raw:
        found = check_rule(raw["rule"], f"{path}.rule", known)
        issues += found
        if not errors(found):
            rule = Rule(raw["rule"]["kind"], freeze(raw["rule"].get("params", {})))
        if depth < MIN_DEPTH:
            issues.append(Issue("leaf_too_shallow", {"node": code, "depth": depth}, path))
    else:
        issues.append(Issue("missing_rule", {"node": code}, f"{path}.rule"))
    if weight is None and open_kinds is None and not any(c.weight is None for c in children):
        issues.append(Issue("missing_weight", {"node": code}, f"{path}.weight"))
    node = Node(code=code, zh=str(raw.get("zh", "")), en=str(raw.get("en", "")), weight=weight, children=children,
                rule=rule, open_kinds=open_kinds, concept=concept, aliases=tuple(raw.get("aliases", ())),
                items=int(raw.get("items", 1)), formula=freeze(raw["formula"]) if raw.get("formula") else None,
                assumed=bool(raw.get("assumed", False)), note=str(raw.get("note", "")))
    _check_children(node, f"{path}.children", issues)
    return node


def _bands(raw, issues: list[Issue]) -> tuple[GradeBand, ...]:
    if not isinstance(raw, list) or not raw:
        issues.append(Issue("no_grade_bands", {}, "$.grade_bands"))
        return ()
    bands = []
    for i, band in enumerate(raw):
        if not isinstance(band, dict) or not isinstance(band.get("label"), str) or not is_number(band.get("min")):
            issues.append(Issue("bad_grade_band", {"index": i + 1}, f"$.grade_bands[{i}]"))
            continue
        bands.append(GradeBand(band["label"], str(band.get("en", "")), float(band["min"]),
                               tuple(band.get("synonyms", ()))))
    if len({b.label for b in bands}) < len(bands):
        issues.append(Issue("duplicate_grade_band", {}, "$.grade_bands"))
    return tuple(bands)


def _figures(raw, issues: list[Issue]) -> tuple[Figure, ...]:
    figures = []
    for i, f in enumerate(raw or ()):
        if not isinstance(f, dict) or not isinstance(f.get("code"), str) or not isinstance(f.get("unit"), str):
            issues.append(Issue("bad_figure", {"index": i + 1}, f"$.figures[{i}]"))
            continue
        figures.append(Figure(f["code"], f["unit"], str(f.get("zh", "")), str(f.get("en", "")),
                              str(f.get("scope", "evaluation"))))
    return tuple(figures)


def _unused_figures(fw: Framework, raw_figures) -> list[Issue]:
    read = {f for leaf in fw.leaves() for f in KINDS[leaf.rule.kind].figures(thaw(leaf.rule.params))}
    return [Issue("unused_figure", {"figure": f.code}, f"$.figures[{i}]", severity="warning")
            for i, f in enumerate(fw.figures) if f.code not in read]


def load_framework(data) -> tuple[Framework | None, list[Issue]]:
    """A framework from a dict, JSON text or a path; (None, issues) when it has errors."""
    if isinstance(data, Path):
        data = data.read_text(encoding="utf-8")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            return None, [Issue("not_json", {"line": exc.lineno, "column": exc.colno}, "$")]
    if not isinstance(data, dict):
        return None, [Issue("not_an_object", {}, "$")]
    issues: list[Issue] = []
    for key in ("code", "name", "nodes", "grade_bands"):
        if key not in data:
            issues.append(Issue("missing_key", {"key": key}, f"$.{key}"))
    if issues:
        return None, issues
    if not str(data["code"] or "").strip():
        issues.append(Issue("missing_key", {"key": "code"}, "$.code"))
    if not isinstance(data["nodes"], list) or not data["nodes"]:
        issues.append(Issue("no_nodes", {}, "$.nodes"))
    figures = _figures(data.get("figures"), issues)
    known = set(FIGURES) | {f.code for f in figures}
    seen: set[str] = set()
    nodes = tuple(n for i, raw in enumerate(data["nodes"] if isinstance(data["nodes"], list) else ())
                  if (n := _node(raw, f"$.nodes[{i}]", 1, known, seen, issues)) is not None)
    total = float(data.get("total", 100))
    _check_children(Node(TOTAL, "", "", total, nodes), "$.nodes", issues)
    name = data["name"] if isinstance(data["name"], dict) else {"zh": str(data["name"])}
    fw = Framework(code=str(data["code"]), version=str(data.get("version", "")), name_zh=str(name.get("zh", "")),
                   name_en=str(name.get("en", "")), nodes=nodes, grade_bands=_bands(data["grade_bands"], issues),
                   total=total, figures=figures, region=str(data.get("region", "")), source=str(data.get("source", "")),
                   example=bool(data.get("example", False)), note=str(data.get("note", "")))
    if not errors(issues):
        issues += _unused_figures(fw, data.get("figures"))
    return (None if errors(issues) else fw), issues


def framework_to_dict(fw: Framework) -> dict:
    """The inverse of ``load_framework``: loading the result gives an equal framework."""
    def node(n: Node) -> dict:
        out = {"code": n.code, "zh": n.zh, "en": n.en, "weight": n.weight}
        for key, value in (("concept", n.concept), ("aliases", list(n.aliases)), ("formula", thaw(n.formula)),
                           ("assumed", n.assumed), ("note", n.note)):
            if value:
                out[key] = value
        if n.items != 1:
            out["items"] = n.items
        if n.is_open:
            out["open"] = {"kinds": list(n.open_kinds)}
        elif n.children:
            out["children"] = [node(c) for c in n.children]
        else:
            out["rule"] = {"kind": n.rule.kind, "params": thaw(n.rule.params)}
        return out
    return {"format": FORMAT, "code": fw.code, "version": fw.version, "name": {"zh": fw.name_zh, "en": fw.name_en},
            "region": fw.region, "source": fw.source, "example": fw.example, "note": fw.note, "total": fw.total,
            "grade_bands": [{"label": b.label, "en": b.en, "min": b.min, "synonyms": list(b.synonyms)}
                            for b in fw.grade_bands],
            "figures": [{"code": f.code, "unit": f.unit, "zh": f.zh, "en": f.en, "scope": f.scope} for f in fw.figures],
            "nodes": [node(n) for n in fw.nodes]}


def shipped_frameworks(directory: Path = SHIPPED_DIR) -> dict[str, tuple[Framework | None, list[Issue]]]:
    """Every framework file shipped under data/frameworks/v2, by file stem."""
    return {path.stem: load_framework(path) for path in sorted(directory.glob("*.json"))}


def figures_read(fw: Framework) -> dict[str, tuple[Figure, ...]]:
    """Leaf code → the named figures its rule reads, with their units (shared vocabulary or the framework's)."""
    return {leaf.code: tuple(fw.figure(code) for code in KINDS[leaf.rule.kind].figures(thaw(leaf.rule.params)))
            for leaf in fw.leaves()}
