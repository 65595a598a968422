"""评价结论: deterministic, official-style text from one evaluation's data, in Chinese or English.

Every number in a sentence comes from ``facts``, which is built from the database alone, so a test
can check each quoted number against the store.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics import breakdown, compare, evaluation_tree, region_names
from analytics.department_names import in_language
from analytics.domain.rounding import round2
from analytics.i18n import t
from analytics.records import MUNICIPAL_AVG_DIFF_RATE
from analytics.store import Store

TOP_LOSSES = 3
STATEMENTS = ("note", "score", "rank", "change", "losses", "shortfall", "disagreement", "advice")
RATE_CONCEPTS = ("execution_rate", "carryover_rate", "final_account_diff_rate")


@dataclass
class Conclusion:
    sentences: list[str]
    facts: dict = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)   # what each sentence states (STATEMENTS), in order

    def said(self, *kinds: str) -> list[str]:
        """The sentences stating one of ``kinds``."""
        return [s for s, kind in zip(self.sentences, self.kinds) if kind in kinds]

    @property
    def text(self) -> str:
        return "".join(self.sentences) if self.sentences and self.sentences[0][-1] in "。）" else " ".join(self.sentences)


def _ranked(store: Store, year: int, region: str, framework: str):
    """The year's ranking within the framework, or an empty frame when the year has none."""
    try:
        return compare.ranking(store, year, region, framework)
    except compare.NotFoundError:
        return pd.DataFrame(columns=["department_id", "total", "rank", "source_kind"])


def gather_facts(store: Store, department: str, year: int, region: str | None = None) -> dict:
    """What the conclusion may say, from the store alone: total, grade, rank and mean within the evaluation's
    framework and year (``compare.ranking``, i.e. ``evaluation_scores``), last year's, and every leaf."""
    evaluation_id = compare.find_evaluation(store, department, year, region)
    summary = compare.evaluation_summary(store, evaluation_id)
    region, framework = summary["region"], summary["framework_id"]
    year_rows = compare.ranking(store, year, region, framework)
    row = year_rows[year_rows["evaluation_id"] == evaluation_id].iloc[0]
    previous_year = _ranked(store, year - 1, region, framework)
    previous = previous_year[previous_year["department_id"] == row["department_id"]]
    tree = compare.indicator_tree(store, evaluation_id)
    leaves = tree[tree["leaf"]].copy()
    leaves["score"] = leaves["reported"].fillna(leaves["rule"]).fillna(0.0)
    leaves["lost"] = (leaves["weight"] - leaves["score"]).clip(lower=0).round(2)
    param = compare.year_param(store, region, year, MUNICIPAL_AVG_DIFF_RATE)
    return {
        "evaluation_id": evaluation_id, "department": summary["department"], "department_en": summary["department_en"],
        "year": year, "region": region, "region_en": region_names.english_names(store).get(region),
        "framework": evaluation_tree.frameworks(store)[framework],
        "source_kind": summary["source_kind"], "total": float(row["total"]), "grade": row["grade"],
        "rank": int(row["rank"]), "count": len(year_rows), "mean": round2(float(year_rows["total"].mean())),
        "comparison_synthetic": bool((year_rows["source_kind"] == "synthetic").any()
                                     or (previous["source_kind"] == "synthetic").any()),
        "previous_total": float(previous["total"].iloc[0]) if len(previous) else None,
        "previous_rank": int(previous["rank"].iloc[0]) if len(previous) else None,
        "indicators": leaves,
        "rates": {concept: rate for concept, rate in zip(leaves["concept"], leaves["rate"])
                  if concept in RATE_CONCEPTS and pd.notna(rate)},
        "carryover_rate_prev": summary.get("carryover_rate_prev"),
        "municipal_avg_diff_rate": param["value"] if param else None,
    }


def write(facts: dict, lang: str = "zh") -> Conclusion:
    grade = facts["framework"].grade_label(facts["grade"], lang)
    said: list[tuple[str, str]] = []
    if facts["source_kind"] == "synthetic":
        said.append(("note", t("c_synthetic", lang)))
    elif facts["comparison_synthetic"]:
        said.append(("note", t("c_synthetic_peers", lang)))
    said.append(("score", t("c_score", lang, department=in_language(facts["department"], facts["department_en"], lang), year=facts["year"], total=facts["total"],
                            grade=grade)))
    gap = round2(facts["total"] - facts["mean"])
    key = "c_rank_above" if gap > 0 else "c_rank_below" if gap < 0 else "c_rank_equal"
    said.append(("rank", t(key, lang, region=in_language(facts["region"], facts["region_en"], lang), count=facts["count"], rank=facts["rank"],
                           mean=facts["mean"], gap=abs(gap))))
    said.append(("change", _change(facts, lang)))
    said.append(("losses", _losses(facts, lang)))
    said += [("shortfall", sentence) for sentence in _shortfalls(facts, lang)]
    said += [("disagreement", sentence) for sentence in _disagreements(facts, lang)]
    advice = _advice(facts, lang)
    if advice:
        joiner = "；" if lang == "zh" else "; "
        said.append(("advice", t("c_advice", lang, items=joiner.join(advice)) + ("。" if lang == "zh" else ".")))
    return Conclusion([sentence for _, sentence in said], facts, [kind for kind, _ in said])


def conclusion(store: Store, department: str, year: int, lang: str = "zh", region: str | None = None) -> Conclusion:
    return write(gather_facts(store, department, year, region), lang)


def _name(row, lang: str) -> str:
    english = row["en"]
    return english if lang == "en" and isinstance(english, str) and english else row["zh"]


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


def _shortfalls(facts: dict, lang: str) -> list[str]:
    """The indicators that lost points against a written target (the department's own, usually; a judged
    one only where it gives a reason), most points lost first: the first TOP_LOSSES each with its target
    and actual value as the department wrote them and its reason quoted (or that none was given), the rest
    named in one sentence."""
    tree = facts["indicators"]
    reasons = tree["deviation_reason"].fillna("").str.strip()
    written = tree["target_text"].notna() | tree["actual_text"].notna()
    lost = tree[(tree["lost"] > 0) & written & ((tree["rule_kind"] == "target") | (reasons != ""))]
    lost = lost.sort_values(["lost", "weight"], ascending=[False, False], kind="stable")
    sentences = []
    for _, row in lost.head(TOP_LOSSES).iterrows():
        target = breakdown.written(row["target_text"], row["target"], row["unit"], row["comparator"] or "")
        actual = breakdown.written(row["actual_text"], row["actual"], row["unit"])
        reason = (row["deviation_reason"] or "").strip().rstrip("。.")
        key = "c_shortfall" if reason else "c_shortfall_no_reason"
        sentences.append(t(key, lang, name=_name(row, lang), target=target or "—", actual=actual or "—", reason=reason))
    rest = lost.iloc[TOP_LOSSES:]
    if len(rest):
        joiner = "、" if lang == "zh" else ", "
        sentences.append(t("c_shortfall_more", lang, names=joiner.join(_name(row, lang) for _, row in rest.iterrows())))
    return sentences


def _disagreements(facts: dict, lang: str) -> list[str]:
    tree = facts["indicators"]
    return [t("c_disagreement", lang, name=_name(row, lang), reported=row["reported"], rule=row["rule"],
              difference=row["difference"], total=round2(facts["total"] + row["difference"]))
            for _, row in tree[tree["disagrees"]].iterrows()]


def _advice(facts: dict, lang: str) -> list[str]:
    """One improvement point per top loss, chosen by the indicator's concept (the shared vocabulary, the same
    in every framework) or else its rule kind."""
    items = []
    rates = facts["rates"]
    for _, row in _top_losses(facts).iterrows():
        concept, kind = row["concept"], row["rule_kind"]
        if concept == "execution_rate" and concept in rates:
            items.append(t("c_advice_ratio", lang, rate=rates[concept]))
        elif concept == "carryover_rate" and concept in rates and facts["carryover_rate_prev"] is not None:
            items.append(t("c_advice_carryover", lang, rate=rates[concept], previous=facts["carryover_rate_prev"]))
        elif (concept == "final_account_diff_rate" and concept in rates
              and facts["municipal_avg_diff_rate"] is not None):
            items.append(t("c_advice_diff_rate", lang, rate=rates[concept], average=facts["municipal_avg_diff_rate"]))
        elif kind == "checklist" and pd.notna(row["failed"]) and row["failed"]:
            items.append(t("c_advice_checklist", lang, name=_name(row, lang), failed=int(row["failed"])))
        elif kind == "target":
            items.append(t("c_advice_target", lang, name=_name(row, lang)))
        elif kind in ("judged", "qualitative"):
            items.append(t("c_advice_judged", lang, name=_name(row, lang)))
    return [f"{n}. {item}" for n, item in enumerate(items, 1)]
