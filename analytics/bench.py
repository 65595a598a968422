"""`python -m analytics bench`: national-scale figures for the scoring engine, printed as JSON.

Compares within one run (set-based vs one-evaluation path on the same database), since these
machines are shared and noisy; absolute seconds from one run mean little.
"""
from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from analytics import scoring, synthetic
from analytics.framework import default_framework
from analytics.records import ensure_framework
from analytics.store import Store

BENCH_SEED = 7


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_benchmark(regions: int = 370, departments: int = 55, years: int = 10, sample: int = 200) -> dict:
    fw = default_framework()
    with tempfile.TemporaryDirectory(prefix="analytics-bench-") as tmp:
        store = Store(Path(tmp) / "national.duckdb")
        with store.transaction() as cur:
            ensure_framework(cur, fw)
        started = time.perf_counter()
        synthetic.generate(store, fw, synthetic.national_departments(regions, departments),
                           list(range(2023 - years + 1, 2024)), BENCH_SEED)
        build_s = time.perf_counter() - started

        started = time.perf_counter()
        rows_scored = scoring.rescore_all(store)
        set_based_s = time.perf_counter() - started

        n_evaluations = store.scalar("SELECT count(*) FROM evaluations")
        ids = np.random.default_rng(BENCH_SEED).choice(n_evaluations, size=min(sample, n_evaluations),
                                                       replace=False) + 1
        before = store.df("SELECT evaluation_id, indicator_code, rule_rate, rule_score FROM indicator_results "
                          "WHERE evaluation_id IN (SELECT unnest(?)) ORDER BY 1, 2", [ids.tolist()])
        started = time.perf_counter()
        for evaluation_id in ids:
            scoring.rescore_evaluation(store, fw, int(evaluation_id))
        one_path_s = time.perf_counter() - started
        after = store.df("SELECT evaluation_id, indicator_code, rule_rate, rule_score FROM indicator_results "
                         "WHERE evaluation_id IN (SELECT unnest(?)) ORDER BY 1, 2", [ids.tolist()])
        store.close()

    set_rows_per_s = rows_scored / set_based_s
    one_rows_per_s = len(before) / one_path_s
    return {
        "evaluations": int(n_evaluations),
        "indicator_rows": int(rows_scored),
        "build_database_s": round(build_s, 2),
        "set_based_rescore_all_s": round(set_based_s, 3),
        "set_based_rows_per_s": round(set_rows_per_s),
        "one_evaluation_sample": int(len(ids)),
        "one_evaluation_ms_each": round(one_path_s / len(ids) * 1000, 2),
        "one_evaluation_rows_per_s": round(one_rows_per_s),
        "set_based_vs_one_evaluation_ratio": round(set_rows_per_s / one_rows_per_s, 1),
        "sample_identical_between_paths": bool(before.equals(after)),
        "peak_memory_mb": round(_peak_rss_mb()),
        "targets": {"set_based_rescore_all_s": "< 5", "ratio": ">= 50", "peak_memory_mb": "< 2048"},
    }
