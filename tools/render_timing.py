"""Server time to render each page with Streamlit's AppTest, for `python -m analytics bench`.

Run as `python tools/render_timing.py DB_PATH [ROUNDS]`; prints JSON.  It lives outside analytics/
because it drives Streamlit, which the engine never imports, and outside pages/ so that Streamlit
never offers it as a page; the bench calls it in a subprocess.  The first render of each page
(cold caches) is reported apart from the warm ones.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = ("pages/rankings.py", "pages/department.py", "pages/trends.py", "pages/municipal.py", "pages/whatif.py",
         "pages/rule_change.py", "pages/data.py", "pages/method.py")
ROOT = Path(__file__).resolve().parent.parent


def time_pages(rounds: int = 5) -> dict:
    from streamlit.testing.v1 import AppTest

    results = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    for page in PAGES:
        timings = []
        for _ in range(rounds + 1):
            at.switch_page(page)
            started = time.perf_counter()
            at.run()
            timings.append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"{page} raised: {at.exception[0].value}")
        results[Path(page).stem] = {"first_s": round(timings[0], 3),
                                    "warm_median_s": round(statistics.median(timings[1:]), 3),
                                    "warm_max_s": round(max(timings[1:]), 3)}
    return results


if __name__ == "__main__":
    os.environ["ANALYTICS_DB"] = sys.argv[1]
    print(json.dumps(time_pages(int(sys.argv[2]) if len(sys.argv) > 2 else 5)))
