"""Slides for the presentation page and the decks: one department-year, or a whole year's pack.

Charts come from the same chart functions as the pages, so screen and paper agree.
"""
from __future__ import annotations

import pandas as pd

from analytics import breakdown, compare, conclusions, evaluation_tree, scenario, stats
from analytics.charts import department as department_charts
from analytics.charts import ranking as ranking_charts
from analytics.charts.scenario import moved_waterfall
from analytics.charts.trends import measure_label, trend_chart
from analytics.domain.rounding import round2
from analytics.i18n import grade_name, t
from analytics.scenario_text import describe_overrides, indicator_name
from analytics.slide_model import Deck, Slide
from analytics.store import Store


def data_version(store: Store) -> str | None:
    rows = store.rows("SELECT id, created_at FROM data_versions ORDER BY id DESC LIMIT 1")
    return f"v{rows[0][0]} ({rows[0][1]:%Y-%m-%d %H:%M})" if rows else None


def _stamp(store: Store, year: int, filters: str, lang: str) -> str:
    return t("s_stamp", lang, version=data_version(store) or t("s_no_version", lang), year=year, filters=filters)


def _signed(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:+.2f}"


def department_deck(store: Store, department: str, year: int, lang: str = "zh", region: str | None = None,
                    what_if: dict | None = None) -> Deck:
    """Title, score tree, losses, trend, comparison, reported-vs-rule, conclusion.  The department is
    compared with the evaluations of its own framework only (ranks, means, trend band, level-2 rates).

    ``what_if`` ({"name", "overrides"}) adds a scenario slide, stamped as a simulation.
    """
    region = region or compare.default_region(store)
    evaluation_id = compare.find_evaluation(store, department, year, region)
    summary = compare.evaluation_summary(store, evaluation_id)
    fw = evaluation_tree.frameworks(store)[summary["framework_id"]]
    everything = stats.evaluations(store, region)
    evaluations = everything[everything["framework_id"] == summary["framework_id"]]
    position = breakdown.position(stats.year_on_year(evaluations), evaluation_id)
    tree = compare.indicator_tree(store, evaluation_id)
    name = summary["department"]
    slides = [Slide(name, t("s_department_subtitle", lang, year=year), [
        (t("s_total", lang), f"{position['total']:.2f}"),
        (t("s_grade", lang), fw.grade_label(position["grade"], lang)),
        (t("s_rank", lang), t("s_rank_value", lang, rank=position["rank"], count=position["count"])),
        (t("s_gap", lang), _signed(position["gap_to_mean"])), (t("s_change", lang), _signed(position["total_change"]))])]
    if what_if:
        slides.append(_scenario_slide(store, name, year, region, what_if, lang))
    writing = conclusions.conclusion(store, name, year, lang, region)
    slides.append(Slide(t("s_tree", lang, total=f"{fw.total:g}"),
                        figure=department_charts.score_tree(breakdown.score_tree(tree, summary, lang), lang)))
    slides.append(Slide(t("s_losses", lang), figure=department_charts.waterfall(breakdown.waterfall_steps(tree, summary, lang),
                                                                                  lang),
                        bullets=writing.said("losses")))
    own = evaluations[evaluations["department"] == name]
    summary_frame = stats.municipal_summary(evaluations, ["total"])
    slides.append(Slide(t("s_trend", lang, region=region), figure=trend_chart(own, summary_frame, "total", lang)))
    year_frame = evaluations[evaluations["year"] == year]
    rates = breakdown.rate_comparison(year_frame, name, compare.year_param(store, region, year,
                                                                           breakdown.DIFF_RATE_PARAM))
    level2 = breakdown.level2_comparison(stats.level2_scores(store, region, [year]), evaluation_id, lang)
    slides.append(Slide(t("s_municipal", lang, region=region), figure=department_charts.level2_rates(level2, lang),
                        bullets=[t("s_rate_line", lang, name=measure_label(key, lang), value=row.department, mean=row.mean)
                                 for key, row in zip(rates["key"], rates.itertuples()) if pd.notna(row.department)]))
    slides.append(Slide(t("s_checks", lang), bullets=writing.said("disagreement") or [t("s_checks_agree", lang)]))
    slides.append(Slide(t("s_conclusion", lang), bullets=writing.sentences))
    synthetic = bool((year_frame["source_kind"] == "synthetic").any() or summary["source_kind"] == "synthetic")
    return Deck(f"{name} {year}", slides, _stamp(store, year, name, lang), synthetic, t("s_watermark", lang),
                t("s_scenario_stamp", lang, name=what_if["name"]) if what_if else None)


def _scenario_slide(store: Store, department: str, year: int, region: str, what_if: dict, lang: str) -> Slide:
    baseline = scenario.load_baseline(store, department, year, region)
    result = scenario.apply(baseline, what_if["overrides"])
    actual = scenario.actual(baseline)
    items = describe_overrides(what_if["overrides"], lang, baseline.tree)
    return Slide(t("s_scenario", lang, name=what_if["name"]), metrics=[
        (t("s_scenario_total", lang), f"{result.total:.2f} ({result.deltas['total']:+.2f})"),
        (t("s_grade", lang), grade_name(result.grade, lang)),
        (t("s_rank", lang), t("s_rank_value", lang, rank=result.rank, count=result.rank_of))],
        figure=moved_waterfall(baseline.tree, result.changed, actual.total, result.total, lang),
        bullets=[t("s_scenario_inputs", lang, items=items), *_rule_parts(baseline, result, lang)], scenario=True)


def _rule_parts(baseline: scenario.Baseline, result: scenario.ScenarioResult, lang: str) -> list[str]:
    """For each moved indicator whose rule disagrees with its reported score at the actual figures: how
    much of its move is the rule and how much the changed inputs (more carry-over can look like a gain)."""
    lines = []
    for code, (before, after) in result.changed.items():
        gain = scenario.rule_gain(baseline, {}, code)
        if gain:
            lines.append(t("s_scenario_rule", lang, name=indicator_name(code, lang, baseline.tree), before=before, after=after,
                           points=gain["points"], rule=gain["rule"], reported=gain["reported"],
                           input_points=round2(after - gain["rule"])))
    return lines


def year_deck(store: Store, year: int, lang: str = "zh", region: str | None = None,
              categories: list[str] | None = None, grades: list[str] | None = None,
              framework: str | None = None) -> Deck:
    """Summary slides (ranking, grade distribution, movers) and one slide per department, for the year's
    evaluations of one framework (``framework``: needed when the region's year holds several)."""
    region = region or compare.default_region(store)
    full = compare.ranking_with_changes(store, year, region, framework)
    framework = full["framework_id"].iloc[0]
    fw = evaluation_tree.frameworks(store)[framework]
    frame = full
    if categories:
        frame = frame[frame["category"].isin(categories)]
    if grades:
        frame = frame[frame["grade"].isin(grades)]
    bands = compare.grade_bands(store, framework)
    counts = frame["grade"].value_counts()
    slides = [Slide(t("s_year_title", lang, region=region, year=year), (fw.name_en or fw.name_zh) if lang == "en"
                    else fw.name_zh, metrics=[
        (t("s_count", lang), str(len(frame))), (t("mean", lang), f"{full['total'].mean():.2f}"),
        (t("median", lang), f"{full['total'].median():.2f}"),
        *[(fw.grade_label(b, lang), str(int(counts.get(b, 0)))) for b in bands["grade"]]])]
    slides.append(Slide(t("s_ranking", lang), figure=ranking_charts.totals_bars(
        frame, bands, full["total"].mean(), full["total"].median(), lang)))
    slides.append(Slide(t("s_distribution", lang), figure=ranking_charts.grade_distribution(frame, bands, lang)))
    risers, fallers = compare.movers(frame)
    slides.append(Slide(t("s_movers", lang), figure=ranking_charts.movers_chart(risers, fallers, lang)
                        if len(risers) or len(fallers) else None,
                        bullets=[] if len(risers) or len(fallers) else [t("s_no_movers", lang)]))
    for row in frame.sort_values(["rank", "department"]).itertuples():
        tree = compare.indicator_tree(store, int(row.evaluation_id))
        summary = compare.evaluation_summary(store, int(row.evaluation_id))
        writing = conclusions.conclusion(store, row.department, year, lang, region)
        slides.append(Slide(t("s_department_rank", lang, rank=row.rank, department=row.department), metrics=[
            (t("s_total", lang), f"{row.total:.2f}"), (t("s_grade", lang), fw.grade_label(row.grade, lang)),
            (t("s_rank", lang), t("s_rank_value", lang, rank=row.rank, count=len(full))),
            (t("s_change", lang), _signed(row.total_change))],
            figure=department_charts.waterfall(breakdown.waterfall_steps(tree, summary, lang), lang),
            bullets=writing.said("score", "rank", "change")))
    filters = ", ".join([*(categories or []), *(grades or [])]) or t("s_all", lang)
    synthetic = bool((frame["source_kind"] == "synthetic").any())
    return Deck(t("s_year_title", lang, region=region, year=year), slides,
                _stamp(store, year, t("s_filters", lang, text=filters), lang), synthetic, t("s_watermark", lang))
