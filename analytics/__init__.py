"""绩效驾驶舱 analytics engine: store, framework, rules, scoring, comparisons and ingest.

Nothing in this package imports streamlit; pages and the CLI are clients of it.
"""
