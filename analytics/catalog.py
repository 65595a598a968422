"""Facts about the data and the method: what is real and what synthetic, where it came from, and how
every score is made (the framework tree, each rule in words, year parameters, grade bands).

Rules are described from the framework definition stored with the data (``evaluation_tree.frameworks``), so
the page always explains the framework the scores were actually computed with, whatever its tree.
"""
from __future__ import annotations

import pandas as pd

from analytics import evaluation_tree
from analytics.domain.model import Framework, thaw
from analytics.domain.vocabulary import FIGURES
from analytics.i18n import TEXT, parameter_source, t
from analytics.store import Store

# Real sources first, then imports, then synthetic data.
SOURCE_ORDER = "CASE source_kind WHEN 'report' THEN 0 WHEN 'import' THEN 1 ELSE 2 END"


def source_overview(store: Store) -> pd.DataFrame:
    """Per source kind: how many evaluations and departments, and the years covered."""
    return store.df(f"""
        SELECT source_kind, count(*) AS evaluations, count(DISTINCT department_id) AS departments,
               min(year) AS first_year, max(year) AS last_year
        FROM evaluations GROUP BY source_kind ORDER BY {SOURCE_ORDER}""")


def synthetic_evaluations(overview: pd.DataFrame) -> int:
    """How many evaluations of a source_overview are synthetic (0 when none are)."""
    return int(overview.loc[overview["source_kind"] == "synthetic", "evaluations"].sum())


def source_by_year(store: Store) -> pd.DataFrame:
    """Per year and source kind: how many evaluations and departments."""
    return store.df(f"""
        SELECT year, source_kind, count(*) AS evaluations, count(DISTINCT department_id) AS departments
        FROM evaluations GROUP BY year, source_kind ORDER BY year, {SOURCE_ORDER}""")


def source_files(store: Store) -> pd.DataFrame:
    """Every evaluation from a real report or an imported file, with the file's name and sha256."""
    return store.df("""
        SELECT d.name AS department, e.year, e.source_kind, e.source_file, e.source_sha256, e.loaded_at
        FROM evaluations e JOIN departments d ON d.id = e.department_id
        WHERE e.source_kind <> 'synthetic' ORDER BY e.year, d.name""")


def department_count(store: Store) -> int:
    """Departments with at least one evaluation."""
    return store.scalar("SELECT count(DISTINCT department_id) FROM evaluations")


def meta(store: Store) -> dict[str, str]:
    """The database's notes on itself (demo_seed, built_at, contains_synthetic …)."""
    return dict(store.rows("SELECT key, value FROM meta"))


def synthetic_county(store: Store) -> dict | None:
    """The demo's synthetic county (analytics.domain.synthetic_county), if the database holds one: its
    name, the generator's seed, and the departments and years stored for it."""
    noted = meta(store)
    if "synthetic_county" not in noted:
        return None
    departments, first_year, last_year = store.rows(
        "SELECT count(DISTINCT d.id), min(e.year), max(e.year) FROM evaluations e "
        "JOIN departments d ON d.id = e.department_id WHERE d.region = ?", [noted["synthetic_county"]])[0]
    return {"name": noted["synthetic_county"], "seed": noted.get("synthetic_county_seed", "—"),
            "departments": departments, "first_year": first_year, "last_year": last_year}


def frameworks(store: Store) -> pd.DataFrame:
    """The stored frameworks with their source, the definition file's sha256 and how many evaluations use them."""
    return store.df("""
        SELECT f.id, f.name_zh, f.name_en, f.region, f.source, f.sha256, count(e.id) AS evaluations
        FROM frameworks f LEFT JOIN evaluations e ON e.framework_id = f.id
        GROUP BY ALL ORDER BY evaluations DESC, f.id""")


def _framework(store: Store, framework_id: str) -> Framework:
    return evaluation_tree.frameworks(store)[framework_id]


def _name(node, lang: str) -> str:
    return (node.en or node.zh) if lang == "en" else node.zh


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _figure(code, lang: str) -> str:
    """A figure or a fixed number in words (the shared vocabulary's name of the figure)."""
    if not isinstance(code, str):
        return _number(code)
    figure = FIGURES.get(code)
    return code if figure is None else (figure.en if lang == "en" else figure.zh)


def measure_in_words(measure: dict, lang: str) -> str:
    if measure["of"] == "ratio":
        return f"{_figure(measure['numerator'], lang)} / {_figure(measure['denominator'], lang)}"
    if measure["of"] == "change":
        final, initial = _figure(measure["final"], lang), _figure(measure["initial"], lang)
        return f"({final} − {initial}) / {initial}"
    return _figure(measure["figure"], lang)


def _tiers(params: dict, lang: str) -> str:
    tiers = sorted(params.get("tiers", []), key=lambda tier: tier["from"])
    if not tiers:
        return ""
    listed = t("me_separator", lang).join(
        t("me_tier", lang, start=_number(tier["from"]), share=_number(tier["share"] * 100)) for tier in tiers)
    return t("me_rule_over_target", lang, tiers=listed)


def rule_in_words(rule: dict, weight: float, lang: str, items: int = 1) -> str:
    """A rule's scoring method in plain words, from its kind and parameters (format-2 framework data)."""
    kind, params, w = rule["kind"], rule.get("params", {}), _number(weight)
    if kind == "ratio":
        direction = t(f"me_direction_{params.get('direction', 'positive')}", lang)
        return t("me_rule_ratio", lang, weight=w, direction=direction) + _tiers(params, lang)
    if kind == "checklist":
        return t("me_rule_checklist", lang, weight=w, count=len(params["checks"]),
                 deduction=_number(params["deduction"]))
    if kind == "deduction":
        side = params.get("side", "above")
        step = (t("me_deduction_per_point", lang, side=t(f"me_side_{side}", lang)) if params.get("mode") != "full_steps"
                else t("me_deduction_full_steps", lang, side=t(f"me_side_{side}", lang), step=_number(params["step"])))
        return t("me_rule_deduction", lang, weight=w, measure=measure_in_words(params["measure"], lang),
                 limit=_figure(params["limit"], lang), side=t(f"me_side_{side}", lang), step=step,
                 per=_number(params["per"]), reading=t(f"me_reading_{params.get('reading', 'points')}", lang))
    if kind == "bands":
        bands = t("me_separator", lang).join(
            t("me_band", lang, low=_number(b.get("low")), high=_number(b.get("high")), score=_number(b["score"]))
            for b in params["bands"])
        return t("me_rule_bands", lang, weight=w, measure=measure_in_words(params["measure"], lang), bands=bands)
    if kind == "either_or":
        options = t("me_separator", lang).join(
            f"{(o.get('en') or o['zh']) if lang == 'en' else o['zh']}: {rule_in_words(o['rule'], weight, lang)}"
            for o in params["options"])
        return t(f"me_rule_either_or_{params.get('choose', 'better')}", lang, options=options)
    words = t(f"me_rule_{kind}", lang, weight=w)
    if items > 1:
        words += t("me_rule_items", lang, items=items, each=_number(weight / items))
    return words


def framework_tree(store: Store, framework_id: str, lang: str) -> pd.DataFrame:
    """One row per leaf (or open group, where each evaluation brings its own indicators) under its level-1
    and level-2 ancestors, with weights and rules in words; a leaf at level 2 has no level-2 parent."""
    fw = _framework(store, framework_id)
    rows = []

    def visit(nodes, ancestors):
        for node in nodes:
            if node.is_leaf or node.is_open:
                level1, level2 = ancestors[0] if ancestors else node, ancestors[1] if len(ancestors) > 1 else None
                rows.append({
                    "level1": _name(level1, lang), "level1_weight": level1.weight,
                    "level1_label": t("me_named_weight", lang, name=_name(level1, lang), weight=_number(level1.weight)),
                    "level2": _name(level2, lang) if level2 else "", "level2_weight": level2.weight if level2 else None,
                    "level2_label": t("me_named_weight", lang, name=_name(level2, lang), weight=_number(level2.weight))
                    if level2 else "",
                    "code": node.code, "indicator": _name(node, lang), "weight": node.weight,
                    "rule_kind": t(f"me_kind_{node.rule.kind}", lang) if node.is_leaf else t("me_kind_open", lang),
                    "formula": ((node.formula.get("en") or node.formula["zh"]) if lang == "en" else node.formula["zh"])
                    if node.formula else "",
                    "rule": rule_in_words({"kind": node.rule.kind, "params": thaw(node.rule.params)}, node.weight, lang,
                                           node.items) if node.is_leaf
                    else t("me_rule_open", lang, kinds=" / ".join(t(f"me_kind_{k}", lang) for k in node.open_kinds))})
            else:
                visit(node.children, [*ancestors, node])
    visit(fw.nodes, [])
    return pd.DataFrame(rows)


def checklist(store: Store, framework_id: str, lang: str) -> pd.DataFrame:
    """Every check of every checklist indicator, with the deduction when it fails."""
    rows = [{"indicator": _name(leaf, lang), "check_no": number,
             "check": (check.get("en") or check["zh"]) if lang == "en" else check["zh"],
             "deduction": leaf.rule.params["deduction"]}
            for leaf in _framework(store, framework_id).leaves() if leaf.rule.kind == "checklist"
            for number, check in enumerate(leaf.rule.params["checks"], 1)]
    return pd.DataFrame(rows, columns=["indicator", "check_no", "check", "deduction"])


def grade_bands(store: Store, framework_id: str, lang: str) -> pd.DataFrame:
    """The grade bands, best first, with the score range in words and the synonyms accepted on import."""
    bands = sorted(_framework(store, framework_id).grade_bands, key=lambda b: b.min, reverse=True)
    rows, upper = [], None
    for band in bands:
        low = _number(band.min)
        rows.append({"grade": band.label if lang == "zh" else band.en or band.label, "min_score": band.min,
                     "range": t("me_range_top", lang, low=low) if upper is None
                     else t("me_range_band", lang, low=low, high=_number(upper)),
                     "synonyms": "、".join(band.synonyms) or "—"})
        upper = band.min
    return pd.DataFrame(rows)


def parameter_label(key: str, lang: str) -> str:
    """A year parameter's name; an unknown key is shown as stored."""
    return t(f"me_param_{key}", lang) if f"me_param_{key}" in TEXT else key


def year_params(store: Store, lang: str) -> pd.DataFrame:
    """Per-year parameters the rules consume, with their source; source_kind marks synthetic ones."""
    frame = store.df("SELECT region, year, key, value, source, is_synthetic FROM year_params "
                     "ORDER BY region, year, key")
    frame.insert(2, "parameter", [parameter_label(key, lang) for key in frame["key"]])
    # a parameter not generated comes from a real source (today: the report that states it)
    frame["source_kind"] = frame["is_synthetic"].map({True: "synthetic", False: "report"})
    frame["source"] = [parameter_source(s, synthetic, lang) for s, synthetic in zip(frame["source"], frame["is_synthetic"])]
    return frame.drop(columns="is_synthetic")
