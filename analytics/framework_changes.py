"""Where a department's evaluations move to another framework from one evaluation to the next: a trend
across such a change compares only totals out of 100, grades and the concepts both frameworks share."""
from __future__ import annotations

import pandas as pd


def framework_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """(department, year, before, after): each evaluation of ``frame`` (stats.evaluations rows) whose
    framework differs from its department's previous evaluation's."""
    ordered = frame.sort_values(["department_id", "year"])
    previous = ordered.groupby("department_id")["framework_id"].shift(1)
    changed = previous.notna() & (previous != ordered["framework_id"])
    rows = ordered.loc[changed, ["department", "year", "framework_id"]].rename(columns={"framework_id": "after"})
    return rows.assign(before=previous[changed]).reset_index(drop=True)[["department", "year", "before", "after"]]


def shared_rates(frame: pd.DataFrame, rates) -> list[str]:
    """Those of ``rates`` (stats.rates_held columns) that every framework in ``frame`` holds a value of."""
    held = frame.groupby("framework_id")[list(rates)].count()
    return [column for column in rates if (held[column] > 0).all()]
