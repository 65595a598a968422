"""`python -m analytics bench`: national-scale figures for the scoring engine, printed as JSON.

The national database mixes two frameworks, built straight in bulk: half the regions on Beijing's
framework (``analytics.synthetic``, as the demo's municipal departments), half on the national
self-evaluation layout with each department's own level-3 indicators (the generator of
``analytics.domain.bench_scoring``, in SQL).  Full rescoring is ``scores.refresh``; the one-evaluation
path (``analytics.domain.score_one``) scores a random sample, compared with the stored results.
Compares within one run (set-based vs one-evaluation path on the same database), since these
machines are shared and noisy; absolute seconds from one run mean little.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analytics import scores, synthetic
from analytics.demo import build_demo
from analytics.domain import bench_scoring
from analytics.domain.loader import shipped_frameworks
from analytics.domain.long_tables import LEAF_COLUMNS, Tables, insert_rows
from analytics.paths import ROOT
from analytics.records import ensure_framework
from analytics.scores import FIGURE_COLUMNS, STORE_TABLES
from analytics.store import Store

BENCH_SEED = 7
PAGE_TARGETS = "demo < 0.3, national < 1"        # seconds of server time per page, after the first render
BEIJING, NATIONAL = bench_scoring.BEIJING, bench_scoring.NATIONAL
# bench_scoring's generator writes its evaluations and figures here; its leaves go to node_inputs' shape
SCRATCH = Tables(evaluations="bench_evaluations", figures="bench_figures", leaves="bench_leaves", rules="rules")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def page_render_times(db_path: Path, rounds: int = 5) -> dict:
    """Server time per page (AppTest) for each framework the database holds, on that framework's largest
    region (tools/render_timing.py), in a subprocess: the engine itself never imports streamlit."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "render_timing.py"), str(db_path), str(rounds)],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


# What a what-if changes per framework: the execution rate everywhere, the carry-over where a rule reads it.
WHAT_IF = {BEIJING: {"execution_rate": 95, "carryover_amount": 0}, NATIONAL: {"execution_rate": 95}}


def what_if_times(store: Store, year: int, sample: int = 20) -> dict:
    """One what-if (load the evaluation, rescore it, re-rank its year) per framework, and a whole-year rule
    change of the Beijing framework's evaluations; wall time and, less inflated by other work on a shared
    machine, the process's CPU time (every thread, DuckDB's included)."""
    from analytics import rule_change, scenario
    figures, cpu = {}, {}
    for framework, overrides in WHAT_IF.items():
        departments = store.rows("""SELECT d.name, d.region FROM evaluations e JOIN departments d ON d.id = e.department_id
                                    WHERE e.year = ? AND e.framework_id = ? ORDER BY e.id LIMIT ?""",
                                 [year, framework, sample])
        started, started_cpu = time.perf_counter(), time.process_time()
        for name, region in departments:
            baseline = scenario.load_baseline(store, name, year, region)
            scenario.apply(baseline, overrides)
        figures[framework] = round((time.perf_counter() - started) / len(departments) * 1000, 1)
        cpu[framework] = round((time.process_time() - started_cpu) / len(departments) * 1000, 1)
    started, started_cpu = time.perf_counter(), time.process_time()
    frame = rule_change.run(store, year, rule_change.RuleChange(municipal_avg_diff_rate=20,
                                                                carryover_deduction_per_point=0.3), framework=BEIJING)
    whole_year, whole_year_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return {"what_if_one_department_ms": figures, "what_if_one_department_cpu_ms": cpu,
            "rule_change_whole_year_s": round(whole_year, 3), "rule_change_whole_year_cpu_s": round(whole_year_cpu, 3),
            "rule_change_evaluations": len(frame)}


def _process_peak_rss_mb() -> float:
    """This process's own peak (VmHWM): unlike ru_maxrss, it does not carry the parent's peak across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return _peak_rss_mb()


def timed_import(db_path: str, report: str) -> None:
    """Child process of ``version_times``: import one report as a new version, print seconds and
    peak memory of this process (a fresh one, so the figure is the import's own)."""
    from analytics import versions
    from analytics.ingest.report_import import import_report
    started = time.perf_counter()
    with versions.new_version(Path(db_path), versions.Change("import", "bench")) as draft:
        import_report(draft.store, Path(report), create_departments=True, allow_similar_names=True)
    print(json.dumps({"s": time.perf_counter() - started, "peak_rss_mb": _process_peak_rss_mb(),
                      "version_id": draft.version_id}))


def _import_in_child(db_path: Path, report: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", "import sys; from analytics.bench import timed_import; "
                             "timed_import(sys.argv[1], sys.argv[2])", str(db_path), str(report)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def version_times(db_path: Path, folder: Path) -> dict:
    """Importing one report into the national database (a new version), the same report again
    (nothing changes), the version storage each import adds, and restoring the version before."""
    from analytics import versions
    from analytics.paths import SEED_REPORT
    reports = []
    for name in ("北京市基准测试甲局", "北京市基准测试乙局"):
        path = folder / f"{name}.txt"
        path.write_text(SEED_REPORT.read_text(encoding="utf-8").replace("北京市商务局", name), encoding="utf-8")
        reports.append(path)
    first = _import_in_child(db_path, reports[0])
    size = db_path.stat().st_size
    one = _import_in_child(db_path, reports[1])
    added = db_path.stat().st_size - size
    same = _import_in_child(db_path, reports[1])
    store = Store(db_path, read_only=True)
    history = store.scalar("SELECT count(*) FROM history.node_inputs WHERE version_id = ?", [one["version_id"]])
    store.close()
    started = time.perf_counter()
    versions.restore(db_path, first["version_id"])
    return {"import_one_report_s": round(one["s"], 2), "import_one_report_peak_rss_mb": round(one["peak_rss_mb"]),
            "import_unchanged_s": round(same["s"], 2), "import_unchanged_recorded_a_version": same["version_id"] is not None,
            "file_growth_per_import_bytes": added, "history_rows_per_report": int(history),
            "database_bytes": db_path.stat().st_size, "restore_previous_version_s": round(time.perf_counter() - started, 2)}


def deck_times(folder: Path, departments: int = 60) -> dict:
    """A year's pack (summary slides and one per department) for ``departments`` departments."""
    from analytics import slides
    from analytics.deck import _images, write_pdf, write_pptx
    path = folder / "deck.duckdb"
    store = Store(path)
    synthetic.generate(store, _beijing(), synthetic.national_departments(1, departments), [2022, 2023], BENCH_SEED)
    synthetic.settle_reported_scores(store, BENCH_SEED)
    started = time.perf_counter()
    deck = slides.year_deck(store, 2023)
    images = _images(deck)
    write_pptx(deck, folder / "pack.pptx", images)
    pptx_s = time.perf_counter() - started
    started = time.perf_counter()
    write_pdf(deck, folder / "pack.pdf", images)
    store.close()
    return {"departments": departments, "slides": len(deck.slides), "pptx_with_charts_s": round(pptx_s, 1),
            "pdf_from_the_same_charts_s": round(time.perf_counter() - started, 1)}


def _beijing():
    return shipped_frameworks()[BEIJING][0]


def national_layout(store: Store, depts: list[synthetic.DepartmentSpec], years: list[int]) -> int:
    """Store evaluations of ``depts`` × ``years`` on the national self-evaluation layout, each department-year
    with its own level-3 indicators, straight in SQL; returns how many.  bench_scoring's generator makes
    twice as many (odd ids on Beijing's framework, even ones on the national layout): the even ones are kept."""
    n = len(depts) * len(years)
    with store.transaction() as cur:
        frameworks = bench_scoring.build(cur, 2 * n, SCRATCH)
        ensure_framework(cur, frameworks[NATIONAL])
        dept_offset = cur.execute("SELECT coalesce(max(id), 0) FROM departments").fetchall()[0][0]
        eval_offset = cur.execute("SELECT coalesce(max(id), 0) FROM evaluations").fetchall()[0][0]
        insert_rows(cur, "departments", ["id", "region", "name", "short_name", "category", "is_synthetic"],
                    [[dept_offset + k + 1, d.region, d.name, d.short_name, d.category, True]
                     for k, d in enumerate(depts)])
        # even generated id 2k is the national evaluation k (1-based): department (k-1) // years, year (k-1) % years
        figures = ", ".join(f"max(f.value) FILTER (WHERE f.figure = '{c}') AS {c}" for c in FIGURE_COLUMNS)
        cur.execute(f"""INSERT INTO evaluations (id, department_id, year, framework_id, source_kind, source_file,
                                                 {', '.join(FIGURE_COLUMNS)})
            SELECT {eval_offset} + e.evaluation_id // 2, {dept_offset} + 1 + (e.evaluation_id // 2 - 1) // {len(years)},
                   {list(years)}[(e.evaluation_id // 2 - 1) % {len(years)} + 1], ?, 'synthetic', ?, {figures}
            FROM {SCRATCH.evaluations} e JOIN {SCRATCH.figures} f USING (evaluation_id)
            WHERE e.evaluation_id % 2 = 0 GROUP BY e.evaluation_id""",
                    [NATIONAL, f"synthetic: generated by {bench_scoring.__name__}"])
        leaf = ", ".join(list(LEAF_COLUMNS)[1:])
        cur.execute(f"""INSERT INTO {STORE_TABLES.leaves} (evaluation_id, {leaf})
            SELECT {eval_offset} + evaluation_id // 2, {leaf} FROM {SCRATCH.leaves} WHERE evaluation_id % 2 = 0""")
        for table in (SCRATCH.evaluations, SCRATCH.figures, SCRATCH.leaves):
            cur.execute(f"DROP TABLE {table}")
    return n


def build_mixed(store: Store, regions: int, departments: int, years: list[int]) -> dict:
    """The national database: the first half of the regions (rounded up) on Beijing's framework, the rest on
    the national self-evaluation layout; {framework: evaluations}."""
    depts = synthetic.national_departments(regions, departments)
    split = (regions + 1) // 2 * departments
    return {BEIJING: synthetic.generate(store, _beijing(), depts[:split], years, BENCH_SEED),
            NATIONAL: national_layout(store, depts[split:], years)}


def mixed_page_times(national_path: Path, folder: Path) -> dict:
    """Page render times on the demo database and on the national one, each on both frameworks."""
    demo_path = folder / "demo.duckdb"
    build_demo(demo_path)
    return {"demo": page_render_times(demo_path), "national": page_render_times(national_path)}


def page_benchmark(regions: int = 370, departments: int = 55, years: int = 10) -> dict:
    """Only the mixed-framework page render times (``bench --pages-only``): the national database is built
    and scored as in the full run, then every page is timed on each framework, demo and national."""
    with tempfile.TemporaryDirectory(prefix="analytics-bench-") as tmp:
        national_path = Path(tmp) / "national.duckdb"
        store = Store(national_path)
        mix = build_mixed(store, regions, departments, list(range(2023 - years + 1, 2024)))
        synthetic.settle_reported_scores(store, BENCH_SEED)
        store.checkpoint()
        store.close()
        return {"frameworks": mix, "page_render_s": mixed_page_times(national_path, Path(tmp)),
                "targets": {"page_render_warm_s": PAGE_TARGETS}}



def run_benchmark(regions: int = 370, departments: int = 55, years: int = 10, sample: int = 200,
                  pages: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="analytics-bench-") as tmp:
        national_path = Path(tmp) / "national.duckdb"
        store = Store(national_path)
        started = time.perf_counter()
        mix = build_mixed(store, regions, departments, list(range(2023 - years + 1, 2024)))
        build_s = time.perf_counter() - started

        started = time.perf_counter()
        with store.transaction() as cur:
            counts = scores.refresh(cur)
        set_based_s = time.perf_counter() - started

        cur = store.cursor()
        one = bench_scoring.one_evaluation_sample(cur, scores.stored_frameworks(cur), sample, BENCH_SEED,
                                                  STORE_TABLES)
        cur.close()
        synthetic.settle_reported_scores(store, BENCH_SEED)
        scenario_times = what_if_times(store, 2023)
        store.close()
        version_figures = version_times(national_path, Path(tmp))
        decks = deck_times(Path(tmp)) if pages else {}
        page_times = mixed_page_times(national_path, Path(tmp)) if pages else {}

    set_rows_per_s = counts["leaf_rows"] / set_based_s
    one_rows_per_s = one["leaf_rows"] / one["seconds"]
    return {
        "evaluations": int(counts["evaluations"]),
        "frameworks": mix,
        "leaf_rows": int(counts["leaf_rows"]),
        "node_rows": int(counts["node_rows"]),
        "build_database_s": round(build_s, 2),
        "set_based_rescore_all_s": round(set_based_s, 3),
        "set_based_leaf_rows_per_s": round(set_rows_per_s),
        "one_evaluation_sample": one["ids"],
        "one_evaluation_ms_each": round(one["seconds"] / one["ids"] * 1000, 2),
        "one_evaluation_leaf_rows_per_s": round(one_rows_per_s),
        "set_based_vs_one_evaluation_ratio": round(set_rows_per_s / one_rows_per_s, 1),
        "sample_identical_between_paths": bool(one["identical"]),
        "peak_memory_mb": round(_peak_rss_mb()),
        **scenario_times,
        "versions": version_figures,
        "page_render_s": page_times,
        "year_pack_deck": decks,
        "targets": {"set_based_rescore_all_s": "< 5", "ratio": ">= 50", "peak_memory_mb": "< 2048",
                    "page_render_warm_s": PAGE_TARGETS, "what_if_one_department_ms": "< 50",
                    "rule_change_whole_year_s": "< 0.5", "year_pack_60_departments_s": "< 60",
                    "import_one_report_s": "< 2", "import_one_report_peak_rss_mb": "well under 870"},
    }
