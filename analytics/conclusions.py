"""评价结论: deterministic, official-style text from one evaluation's data, in Chinese or English.

Every number in a sentence comes from ``facts``, which is built from the database alone, so a test
can check each quoted number against the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from analytics import compare, stats
from analytics.framework import default_framework
from analytics.i18n import grade_name, t
from analytics.rules import round2
from analytics.store import Store

TOP_LOSSES = 3


@dataclass
class Conclusion:
    sentences: list[str]
    facts: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "".join(self.sentences) if self.sentences and self.sentences[0][-1] in "。）" else " ".join(self.sentences)


def gather_facts(store: Store, department: str, year: int, region: str | None = None) -> dict:
    region = region or compare.default_region(store)
    evaluation_id = compare.find_evaluation(store, department, year, region)
    summary = compare.evaluation_summary(store, evaluation_id)
    history = stats.year_on_year(stats.evaluations(store, region, [year - 1, year]))
    row = history[history["evaluation_id"] == evaluation_id].iloc[0]
    year_rows = history[history["year"] == year]
    tree = compare.indicator_tree(store, evaluation_id)
    tree["score"] = tree["reported_score"].fillna(tree["rule_score"]).fillna(0.0)
    tree["lost"] = (tree["weight"] - tree["score"]).clip(lower=0).round(2)
    previous = history[(history["department_id"] == row["department_id"]) & (history["year"] == year - 1)]
    param = compare.year_param(store, region, year, "municipal_avg_diff_rate")
    return {
        "evaluation_id": evaluation_id, "department": summary["department"], "year": year,
        "source_kind": summary["source_kind"], "total": float(row["total"]), "grade": row["grade"],
        "rank": int(row["rank"]), "count": len(year_rows), "mean": round2(float(year_rows["total"].mean())),
        "comparison_synthetic": bool((year_rows["source_kind"] == "synthetic").any()
                                     or (previous["source_kind"] == "synthetic").any()),
        "previous_total": float(previous["total"].iloc[0]) if len(previous) else None,
        "previous_rank": int(previous["rank"].iloc[0]) if len(previous) else None,
        "indicators": tree, "rates": {"execution_rate": row["execution_rate"], "carryover_rate": row["carryover_rate"],
                                      "diff_rate": row["diff_rate"]},
        "carryover_rate_prev": summary.get("carryover_rate_prev"),
        "municipal_avg_diff_rate": param["value"] if param else None,
    }


def write(facts: dict, lang: str = "zh") -> Conclusion:
    grade = grade_name(facts["grade"], lang)
    sentences = []
    if facts["source_kind"] == "synthetic":
        sentences.append(t("c_synthetic", lang))
    elif facts["comparison_synthetic"]:
        sentences.append(t("c_synthetic_peers", lang))
    sentences.append(t("c_score", lang, department=facts["department"], year=facts["year"], total=facts["total"],
                       grade=grade))
    gap = round2(facts["total"] - facts["mean"])
    key = "c_rank_above" if gap > 0 else "c_rank_below" if gap < 0 else "c_rank_equal"
    sentences.append(t(key, lang, count=facts["count"], rank=facts["rank"], mean=facts["mean"], gap=abs(gap)))
    sentences.append(_change(facts, lang))
    sentences.append(_losses(facts, lang))
    sentences.extend(_disagreements(facts, lang))
    advice = _advice(facts, lang)
    if advice:
        joiner = "；" if lang == "zh" else "; "
        sentences.append(t("c_advice", lang, items=joiner.join(advice)) + ("。" if lang == "zh" else "."))
    return Conclusion(sentences, facts)


def conclusion(store: Store, department: str, year: int, lang: str = "zh", region: str | None = None) -> Conclusion:
    return write(gather_facts(store, department, year, region), lang)


def _name(row, lang: str) -> str:
    return row["name_en"] if lang == "en" and row["name_en"] else row["name_zh"]


def _change(facts: dict, lang: str) -> str:
    if facts["previous_total"] is None:
        return t("c_no_previous", lang)
    change = round2(facts["total"] - facts["previous_total"])
    places = facts["previous_rank"] - facts["rank"]
    rank_text = (t("c_rank_up", lang, places=places) if places > 0 else
                 t("c_rank_down", lang, places=-places) if places < 0 else t("c_rank_same", lang))
    key = "c_change_up" if change > 0 else "c_change_down" if change < 0 else "c_change_same"
    return t(key, lang, previous=facts["previous_total"], previous_rank=facts["previous_rank"], change=abs(change),
             rank_text=rank_text)


def _top_losses(facts: dict):
    tree = facts["indicators"]
    return tree[tree["lost"] > 0].sort_values(["lost", "weight"], ascending=[False, False]).head(TOP_LOSSES)


def _losses(facts: dict, lang: str) -> str:
    top = _top_losses(facts)
    if top.empty:
        return t("c_no_losses", lang)
    joiner = "、" if lang == "zh" else "; "
    return t("c_losses", lang, items=joiner.join(
        t("c_loss_item", lang, name=_name(row, lang), score=row["score"], lost=row["lost"]) for _, row in top.iterrows()))


def _disagreements(facts: dict, lang: str) -> list[str]:
    tree = facts["indicators"]
    return [t("c_disagreement", lang, name=_name(row, lang), reported=row["reported_score"], rule=row["rule_score"],
              difference=row["difference"], total=round2(facts["total"] + row["difference"]))
            for _, row in tree[tree["disagrees"]].iterrows()]


def _advice(facts: dict, lang: str) -> list[str]:
    fw = default_framework()
    items = []
    for _, row in _top_losses(facts).iterrows():
        kind = fw.indicator(row["code"]).kind
        rates = facts["rates"]
        if kind == "ratio" and rates["execution_rate"] is not None:
            items.append(t("c_advice_ratio", lang, rate=rates["execution_rate"]))
        elif kind == "carryover" and rates["carryover_rate"] is not None and facts["carryover_rate_prev"] is not None:
            items.append(t("c_advice_carryover", lang, rate=rates["carryover_rate"], previous=facts["carryover_rate_prev"]))
        elif kind == "diff_rate" and rates["diff_rate"] is not None and facts["municipal_avg_diff_rate"] is not None:
            items.append(t("c_advice_diff_rate", lang, rate=rates["diff_rate"], average=facts["municipal_avg_diff_rate"]))
        elif kind == "checklist" and row["failed_count"] == row["failed_count"] and row["failed_count"]:
            items.append(t("c_advice_checklist", lang, name=_name(row, lang), failed=int(row["failed_count"])))
        elif kind == "judged":
            items.append(t("c_advice_judged", lang, name=_name(row, lang)))
    return [f"{n}. {item}" for n, item in enumerate(items, 1)]
