"""Facts about the data and the method: what is real and what synthetic, where it came from, and how
every score is made (the framework tree, each rule in words, year parameters, grade bands).

Rules are described from the framework definition stored with the data, so the page always explains
the framework the scores were actually computed with.
"""
from __future__ import annotations

import json

import pandas as pd

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


def frameworks(store: Store) -> pd.DataFrame:
    """The stored frameworks with their source, the definition file's sha256 and how many evaluations use them."""
    return store.df("""
        SELECT f.id, f.name_zh, f.name_en, f.region, f.source, f.sha256, count(e.id) AS evaluations
        FROM frameworks f LEFT JOIN evaluations e ON e.framework_id = f.id
        GROUP BY ALL ORDER BY evaluations DESC, f.id""")


def _definition(store: Store, framework_id: str) -> dict:
    return json.loads(store.scalar("SELECT definition FROM frameworks WHERE id = ?", [framework_id]))


def _name(entry: dict, lang: str) -> str:
    return entry.get(lang) or entry["zh"]


def _number(value: float) -> str:
    return f"{value:g}"


def rule_in_words(rule: dict, weight: float, lang: str, items: int = 1) -> str:
    """A rule's scoring method in plain words, from its kind and parameters."""
    kind, w = rule["kind"], _number(weight)
    if kind == "ratio":
        direction = t(f"me_direction_{rule.get('direction', 'positive')}", lang)
        words = t("me_rule_ratio", lang, weight=w, direction=direction)
        tiers = sorted(rule.get("over_target_penalty", []), key=lambda tier: tier["from"])
        if tiers:
            listed = t("me_separator", lang).join(
                t("me_tier", lang, start=_number(tier["from"]), share=_number(tier["share"] * 100)) for tier in tiers)
            words += t("me_rule_over_target", lang, tiers=listed)
        return words
    if kind == "checklist":
        return t("me_rule_checklist", lang, weight=w, count=len(rule["checks"]), deduction=_number(rule["deduction"]))
    if kind == "carryover":
        return t("me_rule_carryover", lang, weight=w, deduction=_number(rule["deduction_per_point"]))
    if kind == "diff_rate":
        return t("me_rule_diff_rate", lang, weight=w, step=_number(rule["step"]),
                 deduction=_number(rule["deduction_per_step"]))
    words = t("me_rule_judged", lang, weight=w)
    if items > 1:
        words += t("me_rule_items", lang, items=items, each=_number(weight / items))
    return words


def framework_tree(store: Store, framework_id: str, lang: str) -> pd.DataFrame:
    """One row per level-3 indicator under its level-2 and level-1 parents, with weights and rules in words."""
    raw = _definition(store, framework_id)
    level1 = {l1["code"]: l1 for l1 in raw["level1"]}
    level2 = {l2["code"]: l2 for l2 in raw["level2"]}
    rows = []
    for ind in raw["indicators"]:
        l2 = level2[ind["level2"]]
        l1 = level1[l2["level1"]]
        rows.append({"level1": _name(l1, lang), "level1_weight": l1["weight"],
                     "level1_label": t("me_named_weight", lang, name=_name(l1, lang), weight=_number(l1["weight"])),
                     "level2": _name(l2, lang), "level2_weight": l2["weight"],
                     "level2_label": t("me_named_weight", lang, name=_name(l2, lang), weight=_number(l2["weight"])),
                     "code": ind["code"], "indicator": _name(ind, lang), "weight": ind["weight"],
                     "rule_kind": t(f"me_kind_{ind['rule']['kind']}", lang),
                     "formula": _name(ind["formula"], lang) if ind.get("formula") else "",
                     "rule": rule_in_words(ind["rule"], ind["weight"], lang, int(ind.get("items", 1)))})
    return pd.DataFrame(rows)


def checklist(store: Store, framework_id: str, lang: str) -> pd.DataFrame:
    """Every check of every checklist indicator, with the deduction when it fails."""
    frame = store.df("""
        SELECT i.name_zh, i.name_en, c.check_no, c.text_zh, c.text_en, i.deduction
        FROM indicator_checks c
        JOIN indicators i ON i.framework_id = c.framework_id AND i.code = c.indicator_code
        WHERE c.framework_id = ? ORDER BY i.sort_order, c.check_no""", [framework_id])
    suffix = "en" if lang == "en" else "zh"
    return pd.DataFrame({"indicator": frame[f"name_{suffix}"].fillna(frame["name_zh"]),
                         "check_no": frame["check_no"],
                         "check": frame[f"text_{suffix}"].fillna(frame["text_zh"]),
                         "deduction": frame["deduction"]})


def grade_bands(store: Store, framework_id: str, lang: str) -> pd.DataFrame:
    """The grade bands, best first, with the score range in words and the synonyms accepted on import."""
    bands = sorted(_definition(store, framework_id)["grade_bands"], key=lambda b: b["min"], reverse=True)
    rows, upper = [], None
    for band in bands:
        low = _number(band["min"])
        rows.append({"grade": band["grade"] if lang == "zh" else band.get("en") or band["grade"],
                     "min_score": band["min"],
                     "range": t("me_range_top", lang, low=low) if upper is None
                     else t("me_range_band", lang, low=low, high=_number(upper)),
                     "synonyms": "、".join(band.get("synonyms", ())) or "—"})
        upper = band["min"]
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
