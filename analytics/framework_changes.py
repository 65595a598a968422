"""Where evaluations move to another framework from one year to the next — a department's, or a region's:
a trend across such a change compares only totals out of 100, grades and the concepts both frameworks share."""
from __future__ import annotations

import pandas as pd


def held_changes(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """(``by``, year, before, after): each year in which the frameworks that ``by``'s evaluations (rows of
    ``frame`` with year and framework_id) are on differ from those of its previous year with evaluations;
    before and after are sorted tuples of framework ids (a region's year may hold several)."""
    held = (frame.groupby([by, "year"])["framework_id"].agg(lambda ids: tuple(sorted(set(ids))))
            .rename("after").reset_index().sort_values([by, "year"]))
    held["before"] = held.groupby(by)["after"].shift(1)
    changed = [isinstance(before, tuple) and before != after for before, after in zip(held["before"], held["after"])]
    return held.loc[changed, [by, "year", "before", "after"]].reset_index(drop=True)


def framework_changes(frame: pd.DataFrame) -> pd.DataFrame:
    """(department, year, before, after): each evaluation of ``frame`` (stats.evaluations rows) whose
    framework differs from its department's previous evaluation's."""
    changes = held_changes(frame, "department_id")
    names = frame.drop_duplicates("department_id").set_index("department_id")["department"]
    return pd.DataFrame({"department": changes["department_id"].map(names), "year": changes["year"],
                         "before": changes["before"].str[0], "after": changes["after"].str[0]})


def shared_rates(frame: pd.DataFrame, rates) -> list[str]:
    """Those of ``rates`` (stats.rates_held columns) that every framework in ``frame`` holds a value of."""
    held = frame.groupby("framework_id")[list(rates)].count()
    return [column for column in rates if (held[column] > 0).all()]
