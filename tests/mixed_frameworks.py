"""A database whose one region and year hold evaluations of two frameworks: Beijing's 2022 template and
the national self-evaluation layout (with each department's own level-3 indicators)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from analytics import records, scores
from analytics.domain import synthetic_county
from analytics.domain.loader import shipped_frameworks
from analytics.records import EvaluationRecord
from analytics.store import Store

REGION = "测试市"
YEAR = 2022
BEIJING, NATIONAL = "beijing-2022", "national-self-evaluation"
BEIJING_NAMES = ("北京模板局0", "北京模板局1", "北京模板局2")
NATIONAL_NAMES = ("全国模板局0", "全国模板局1", "全国模板局2")
# 北京模板局2's report prints budget management 17.5, above its leaves' 17.0, and the total that follows
PRINTED = {"reported_score_budget_management": 17.5, "reported_score_total": 91.5}


def beijing_record(name: str, lost: float, fw, reported: dict | None = None) -> EvaluationRecord:
    """A Beijing-template evaluation whose reported leaf scores lose ``lost`` points on the first and
    the last leaf."""
    leaves = fw.leaves()
    leaf_scores = {leaf.code: leaf.weight for leaf in leaves}
    leaf_scores[leaves[0].code] -= lost
    leaf_scores[leaves[-1].code] -= 3.0
    return EvaluationRecord(region=REGION, department=name, year=YEAR, source_kind="synthetic", figures={},
                            reported=reported or {}, indicator_scores=leaf_scores, category="经济发展")


def county_record(name: str, evaluation) -> EvaluationRecord:
    return EvaluationRecord(region=REGION, department=name, year=YEAR, source_kind="synthetic",
                            figures=dict(evaluation.inputs.figures), reported={},
                            indicator_scores=dict(evaluation.inputs.reported), brought=evaluation.inputs.brought,
                            category="经济发展")


def build_mixed(path: Path) -> Path:
    shipped = shipped_frameworks()
    beijing, national = shipped[BEIJING][0], shipped[NATIONAL][0]
    county = synthetic_county.generate(seed=11, years=(YEAR,), departments=synthetic_county.DEPARTMENTS[:3])
    store = Store(path)
    with store.transaction() as cur:
        for name, lost in zip(BEIJING_NAMES, (1.0, 3.0, 6.0)):
            printed = PRINTED if name == BEIJING_NAMES[2] else {}
            records.insert_evaluation(cur, beijing, beijing_record(name, lost, beijing, printed))
        for name, evaluation in zip(NATIONAL_NAMES, county.evaluations):
            records.insert_evaluation(cur, national, county_record(name, evaluation))
        scores.refresh(cur)
    store.close()
    return path


def add_evaluations(path: Path, beijing_rows: list[tuple[str, int]], national_rows: list[tuple[str, int]]) -> Path:
    """More evaluations in build_mixed's region: (department, year) on Beijing's template, and on the national
    layout (one synthetic county department's indicators each)."""
    shipped = shipped_frameworks()
    beijing, national = shipped[BEIJING][0], shipped[NATIONAL][0]
    county = synthetic_county.generate(seed=5, years=(YEAR,), departments=synthetic_county.DEPARTMENTS[:1])
    store = Store(path)
    with store.transaction() as cur:
        for name, year in beijing_rows:
            records.insert_evaluation(cur, beijing, replace(beijing_record(name, 2.0, beijing), year=year))
        for name, year in national_rows:
            records.insert_evaluation(cur, national, replace(county_record(name, county.evaluations[0]), year=year))
        scores.refresh(cur)
    store.close()
    return path
