"""排名总览 / Rankings: a chosen year's departments ranked by score."""
import streamlit as st

from analytics import compare
from pages.common import page_start, synthetic_notice, tr

db = page_start("page_rankings")
region = compare.default_region(db)
available = compare.years(db, region)
year = st.selectbox(tr("year"), available[::-1], key="year")
frame = compare.ranking(db, year, region)
synthetic_notice(int((frame["source_kind"] == "synthetic").sum()))
st.caption(tr("ranking_caption", region=region, year=year))
columns = ["rank", "department", "total", "grade", "budget_execution", "performance_targets",
           "budget_management", "gap_to_mean", "rule_total", "source_kind"]
view = frame[columns].copy()
view["source_kind"] = view["source_kind"].map(lambda kind: tr(f"source_{kind}"))
st.dataframe(view.rename(columns={c: tr(c) for c in columns}), hide_index=True, width="stretch")
