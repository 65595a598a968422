"""Plotly figures built from data frames; pages place them, exports reuse them unchanged."""
