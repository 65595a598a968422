"""Slides for the presentation page and the decks: one department-year, or a whole year's pack.

Charts come from the same chart functions as the pages, with type made large enough to project
(analytics.slide_charts), so screen and paper agree.  Names, the tree and grade words are the
evaluation's framework's.  No slide holds a lone sentence: a slide shows a chart, a table, figures or
several statements.
"""
from __future__ import annotations

import pandas as pd

from analytics import breakdown, compare, conclusions, evaluation_tree, region_names, scenario, stats
from analytics.charts import department as department_charts
from analytics.charts import ranking as ranking_charts
from analytics.charts.scenario import moved_waterfall
from analytics.charts.trends import measure_label, trend_chart
from analytics.department_names import english_names, in_language, shown_departments
from analytics.domain.model import Framework
from analytics.domain.rounding import round2
from analytics.i18n import t
from analytics.scenario_text import describe_overrides, indicator_name
from analytics.slide_charts import RANKING_ROWS, grade_counts, projected, ranking_bars
from analytics.slide_model import Deck, Slide
from analytics.store import Store

TABLE_ROWS = 8          # rows of a table slide: the reasons for a shortfall run to two lines at projected size
PACK_HIGHLIGHTS = 3     # departments named at each end of the year pack's summary


def data_version(store: Store) -> str | None:
    rows = store.rows("SELECT id, created_at FROM data_versions ORDER BY id DESC LIMIT 1")
    return f"v{rows[0][0]} ({rows[0][1]:%Y-%m-%d %H:%M})" if rows else None


def _stamp(store: Store, year: int, filters: str, lang: str) -> str:
    return t("s_stamp", lang, version=data_version(store) or t("s_no_version", lang), year=year, filters=filters)


def _signed(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:+.2f}"


def _chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[start:start + size] for start in range(0, len(frame), size)]


def _part(title: str, index: int, count: int, lang: str) -> str:
    return title if count == 1 else t("s_part", lang, title=title, part=index + 1, parts=count)


def _text(value, missing: str) -> str:
    return value if isinstance(value, str) and value.strip() else missing


def own_indicator_slides(tree: pd.DataFrame, lang: str) -> list[Slide]:
    """The indicators the department brought to the framework's open groups (the national layout's
    level-3 indicators), as table slides: name, target, actual value, unit, score and the reason given
    for a shortfall."""
    brought = tree[tree["leaf"].astype(bool) & tree["brought"].astype(bool)]
    if brought.empty:
        return []
    names = breakdown.localized(brought, None, lang)
    missing = t("s_not_given", lang)
    shortfall = brought["reported"].fillna(brought["rule"]) < brought["weight"]
    reasons = [_text(reason, t("s_reason_missing", lang) if short else "")
               for reason, short in zip(brought["deviation_reason"], shortfall)]
    table = pd.DataFrame({
        t("s_col_indicator", lang): list(names),
        t("s_col_target", lang): [_text(v, missing) for v in brought["target_text"]],
        t("s_col_actual", lang): [_text(v, missing) for v in brought["actual_text"]],
        t("s_col_unit", lang): [_text(v, "") for v in brought["unit"]],
        t("s_col_score", lang): [f"{s:.2f} / {w:g}" if pd.notna(s) else f"{missing} / {w:g}"
                                 for s, w in zip(brought["reported"].fillna(brought["rule"]), brought["weight"])],
        t("s_col_reason", lang): reasons})
    parts = _chunks(table, TABLE_ROWS)
    return [Slide(_part(t("s_own_indicators", lang), index, len(parts), lang), table=part.reset_index(drop=True))
            for index, part in enumerate(parts)]


def _checks_slide(tree: pd.DataFrame, summary: dict, writing: conclusions.Conclusion, lang: str) -> Slide | None:
    """The indicators whose rule score differs from the reported one, as a table under the sentences that
    say so; None when every rule agrees (the conclusion slide then says that)."""
    rows = breakdown.disagreements(tree, summary["reported_total"], lang)
    if rows.empty:
        return None
    table = pd.DataFrame({
        t("s_col_indicator", lang): list(rows["indicator"]),
        t("s_col_reported", lang): [f"{v:.2f}" for v in rows["reported"]],
        t("s_col_rule", lang): [f"{v:.2f}" for v in rows["rule"]],
        t("s_col_difference", lang): [f"{v:+.2f}" for v in rows["difference"]],
        t("s_col_total_if_rule", lang): [f"{v:.2f}" for v in rows["total_if_rule"]]})
    return Slide(t("s_checks", lang), table=table, bullets=writing.said("disagreement"))


def department_deck(store: Store, department: str, year: int, lang: str = "zh", region: str | None = None,
                    what_if: dict | None = None) -> Deck:
    """Title, score tree, losses, the department's own indicators (where it brings any), trend,
    comparison, reported-vs-rule (where they differ), conclusion.  The department is compared with the
    evaluations of its own framework only (ranks, means, trend band, level-2 rates).

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
    shown = in_language(name, summary["department_en"], lang)
    place = region_names.region_name(store, region, lang)
    writing = conclusions.conclusion(store, name, year, lang, region)
    slides = [Slide(shown, t("s_department_subtitle", lang, year=year, framework=_framework_name(fw, lang)), [
        (t("s_total", lang), f"{position['total']:.2f}"),
        (t("s_grade", lang), fw.grade_label(position["grade"], lang)),
        (t("s_rank", lang), t("s_rank_value", lang, rank=position["rank"], count=position["count"])),
        (t("s_gap", lang), _signed(position["gap_to_mean"])), (t("s_change", lang), _signed(position["total_change"]))],
        bullets=writing.said("score", "rank", "change"))]
    if what_if:
        slides.append(_scenario_slide(store, name, year, region, what_if, fw, lang))
    slides.append(Slide(t("s_tree", lang, total=f"{fw.total:g}"), figure=projected(
        department_charts.score_tree(breakdown.score_tree(tree, summary, lang), lang))))
    slides.append(Slide(t("s_losses", lang), figure=projected(
        department_charts.waterfall(breakdown.waterfall_steps(tree, summary, lang), lang)),
        bullets=writing.said("losses")))
    slides += own_indicator_slides(tree, lang)
    own = evaluations[evaluations["department"] == name]
    summary_frame = stats.municipal_summary(evaluations, ["total"])
    slides.append(Slide(t("s_trend", lang, region=place), figure=projected(
        trend_chart(shown_departments(own, {name: shown}, lang), summary_frame, "total", lang))))
    year_frame = evaluations[evaluations["year"] == year]
    rates = breakdown.rate_comparison(year_frame, name, compare.year_param(store, region, year,
                                                                           breakdown.DIFF_RATE_PARAM))
    level2 = breakdown.level2_comparison(stats.level2_scores(store, region, [year]), evaluation_id, lang)
    slides.append(Slide(t("s_municipal", lang, region=place), figure=projected(department_charts.level2_rates(level2, lang)),
                        bullets=[t("s_rate_line", lang, name=measure_label(key, lang), value=row.department, mean=row.mean)
                                 for key, row in zip(rates["key"], rates.itertuples()) if pd.notna(row.department)]))
    checks = _checks_slide(tree, summary, writing, lang)
    slides += [checks] if checks else []
    slides.append(Slide(t("s_conclusion", lang), bullets=writing.sentences + ([] if checks else [t("s_checks_agree", lang)])))
    synthetic = bool((year_frame["source_kind"] == "synthetic").any() or summary["source_kind"] == "synthetic")
    return Deck(f"{shown} {year}", slides, _stamp(store, year, shown, lang), synthetic, t("s_watermark", lang),
                t("s_scenario_stamp", lang, name=what_if["name"]) if what_if else None)


def _framework_name(fw: Framework, lang: str) -> str:
    return (fw.name_en or fw.name_zh) if lang == "en" else fw.name_zh


def _scenario_slide(store: Store, department: str, year: int, region: str, what_if: dict, fw: Framework,
                    lang: str) -> Slide:
    baseline = scenario.load_baseline(store, department, year, region)
    result = scenario.apply(baseline, what_if["overrides"])
    actual = scenario.actual(baseline)
    items = describe_overrides(what_if["overrides"], lang, baseline.tree)
    return Slide(t("s_scenario", lang, name=what_if["name"]), metrics=[
        (t("s_scenario_total", lang), f"{result.total:.2f} ({result.deltas['total']:+.2f})"),
        (t("s_grade", lang), fw.grade_label(result.grade, lang)),
        (t("s_rank", lang), t("s_rank_value", lang, rank=result.rank, count=result.rank_of))],
        figure=projected(moved_waterfall(baseline.tree, result.changed, actual.total, result.total, lang)),
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


def pack_rows(ranked: pd.DataFrame, categories: list[str] | None = None, grades: list[str] | None = None,
              top: int | None = None, bottom: int | None = None) -> pd.DataFrame:
    """The departments a year pack holds, in rank order: those of ``categories`` and ``grades`` (all when
    empty), then of those the ``top`` best and/or the ``bottom`` worst ranked (both: the two ends)."""
    frame = ranked.sort_values(["rank", "department"])
    if categories:
        frame = frame[frame["category"].isin(categories)]
    if grades:
        frame = frame[frame["grade"].isin(grades)]
    if top or bottom:
        ends = pd.concat([frame.head(top or 0), frame.tail(bottom or 0)])
        frame = frame[frame.index.isin(ends.index)]
    return frame


def pack_filters(categories, grades, top, bottom, lang: str) -> str:
    """The pack's filters in words (for the stamp and the summary)."""
    parts = [*(categories or []), *(grades or [])]
    parts += [t("s_top_n", lang, count=top)] if top else []
    parts += [t("s_bottom_n", lang, count=bottom)] if bottom else []
    return ", ".join(parts) or t("s_all", lang)


def _pack_summary(frame: pd.DataFrame, full: pd.DataFrame, fw: Framework, bands: pd.DataFrame, filters: str,
                  place: str, year: int, lang: str) -> Slide:
    """The pack on one page: how many, the framework's mean and median, the grades held, the best and the
    worst, the biggest moves, and what the filters left in."""
    counts = frame["grade"].value_counts()
    metrics = [(t("s_count", lang), f"{len(frame)} / {len(full)}"), (t("s_mean", lang), f"{full['total'].mean():.2f}"),
               (t("s_median", lang), f"{full['total'].median():.2f}"),
               *[(fw.grade_label(b, lang), str(int(counts.get(b, 0)))) for b in bands["grade"]]]
    subtitle = f"{_framework_name(fw, lang)} · {t('s_filters', lang, text=filters)}"
    if frame.empty:
        return Slide(t("s_year_title", lang, region=place, year=year), subtitle, metrics,
                     bullets=[t("s_pack_empty", lang), t("s_pack_filters", lang, text=filters)])
    joiner = "、" if lang == "zh" else "; "

    def named(rows: pd.DataFrame, value: str) -> str:
        return joiner.join(t("s_named", lang, name=r.department, value=format(getattr(r, value), "+.2f" if value ==
                                                                             "total_change" else ".2f"))
                           for r in rows.itertuples())
    bullets = [t("s_pack_best", lang, items=named(frame.head(PACK_HIGHLIGHTS), "total")),
               t("s_pack_worst", lang, items=named(frame.tail(PACK_HIGHLIGHTS).iloc[::-1], "total")),
               t("s_pack_mean", lang, mean=frame["total"].mean(), overall=full["total"].mean())]
    risers, fallers = compare.movers(frame, PACK_HIGHLIGHTS)
    bullets += [t("s_pack_risers", lang, items=named(risers, "total_change"))] if len(risers) else []
    bullets += [t("s_pack_fallers", lang, items=named(fallers, "total_change"))] if len(fallers) else []
    bullets += [] if len(risers) or len(fallers) else [t("s_no_movers", lang)]
    return Slide(t("s_year_title", lang, region=place, year=year), subtitle, metrics, bullets=bullets)


def year_deck(store: Store, year: int, lang: str = "zh", region: str | None = None,
              categories: list[str] | None = None, grades: list[str] | None = None,
              framework: str | None = None, top: int | None = None, bottom: int | None = None) -> Deck:
    """A one-page summary, the ranking (a slide per RANKING_ROWS departments), the grades, the movers, and
    one slide per department (its figures and where it lost points), for the year's evaluations of one
    framework (``framework``: needed when the region's year holds several), filtered by pack_rows.  Ranks
    and means are the framework's."""
    region = region or compare.default_region(store)
    full = compare.ranking_with_changes(store, year, region, framework)
    framework = full["framework_id"].iloc[0]
    fw = evaluation_tree.frameworks(store)[framework]
    frame = shown_departments(pack_rows(full, categories, grades, top, bottom), english_names(store), lang)
    bands = compare.grade_bands(store, framework)
    filters = pack_filters(categories, grades, top, bottom, lang)
    place = region_names.region_name(store, region, lang)
    slides = [_pack_summary(frame, full, fw, bands, filters, place, year, lang)]
    parts = _chunks(frame, RANKING_ROWS)
    slides += [Slide(_part(t("s_ranking", lang), index, len(parts), lang),
                     figure=ranking_bars(part, fw, round2(full["total"].mean()), lang)) for index, part in enumerate(parts)]
    if not frame.empty:
        slides.append(Slide(t("s_distribution", lang), figure=grade_counts(frame, fw, bands, lang)))
    risers, fallers = compare.movers(frame)
    if len(risers) or len(fallers):
        slides.append(Slide(t("s_movers", lang), figure=projected(ranking_charts.movers_chart(risers, fallers, lang))))
    # every department's tree in one read: a pack of 55 read one by one took a minute
    trees = compare.with_differences(evaluation_tree.nodes(store, frame["evaluation_id"].tolist())) if len(frame) else None
    for row in frame.itertuples():
        tree = trees[trees["evaluation_id"] == row.evaluation_id]
        steps = breakdown.waterfall_steps(tree, {"reported_total": row.total}, lang)
        slides.append(Slide(t("s_department_rank", lang, rank=row.rank, department=row.department), metrics=[
            (t("s_total", lang), f"{row.total:.2f}"), (t("s_grade", lang), fw.grade_label(row.grade, lang)),
            (t("s_rank", lang), t("s_rank_value", lang, rank=row.rank, count=len(full))),
            (t("s_change", lang), _signed(row.total_change))],
            figure=projected(department_charts.waterfall(steps, lang))))
    synthetic = bool((frame["source_kind"] == "synthetic").any())
    return Deck(t("s_year_title", lang, region=place, year=year), slides,
                _stamp(store, year, t("s_filters", lang, text=filters), lang), synthetic, t("s_watermark", lang))
