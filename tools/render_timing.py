"""Server time to render each page with Streamlit's AppTest, for `python -m analytics bench`.

Run as `python tools/render_timing.py DB_PATH [ROUNDS]`; prints JSON.  It lives outside analytics/
because it drives Streamlit, which the engine never imports, and outside pages/ so that Streamlit
never offers it as a page; the bench calls it in a subprocess.

Mixed frameworks: every page is timed once per framework the database holds, on the region with the most
evaluations of that framework (opened through the URL's ``region``, which the page context then keeps from
page to page), so a database holding Beijing's template and the national self-evaluation layout is timed on
both.  The first render of each page (cold caches) is reported apart from the warm ones; beside the wall
time, the CPU time of the process (every thread, DuckDB's included), which other work on a shared machine
inflates far less.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = ("pages/rankings.py", "pages/department.py", "pages/trends.py", "pages/municipal.py", "pages/cross_framework.py",
         "pages/whatif.py", "pages/rule_change.py", "pages/data.py", "pages/method.py")
ROOT = Path(__file__).resolve().parent.parent


def regions_by_framework(db_path: str) -> dict[str, str]:
    """{framework id: the region holding the most of its evaluations}."""
    sys.path.insert(0, str(ROOT))
    from analytics.store import Store
    store = Store(Path(db_path), read_only=True)
    try:
        rows = store.rows("""SELECT framework_id, region, n FROM (
                                 SELECT e.framework_id, d.region, count(*) AS n FROM evaluations e
                                 JOIN departments d ON d.id = e.department_id GROUP BY 1, 2)
                             QUALIFY row_number() OVER (PARTITION BY framework_id ORDER BY n DESC, region) = 1
                             ORDER BY 1""")
    finally:
        store.close()
    return {framework: region for framework, region, _ in rows}


def time_pages(region: str, rounds: int = 5) -> dict:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    results = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["region"] = region
    at.run()
    for page in PAGES:
        timings, cpu = [], []
        for _ in range(rounds + 1):
            at.switch_page(page)
            started, started_cpu = time.perf_counter(), time.process_time()
            at.run()
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            if at.exception:
                raise RuntimeError(f"{page} raised: {at.exception[0].value}")
        shown = at.session_state["context"].get("region") if "context" in at.session_state else None
        if shown not in (None, region):
            raise RuntimeError(f"{page} showed region {shown}, not {region}")
        results[Path(page).stem] = {"first_s": round(timings[0], 3),
                                    "warm_median_s": round(statistics.median(timings[1:]), 3),
                                    "warm_max_s": round(max(timings[1:]), 3),
                                    "warm_cpu_median_s": round(statistics.median(cpu[1:]), 3)}
    return results


def time_every_framework(db_path: str, rounds: int = 5) -> dict:
    """{framework id: {"region": …, "pages": {page: timings}}} for every framework the database holds."""
    os.environ["ANALYTICS_DB"] = db_path
    return {framework: {"region": region, "pages": time_pages(region, rounds)}
            for framework, region in regions_by_framework(db_path).items()}


if __name__ == "__main__":
    print(json.dumps(time_every_framework(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5),
                     ensure_ascii=False))
