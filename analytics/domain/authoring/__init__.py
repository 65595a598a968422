"""Framework workbooks: a blank template, export of a framework, and import with per-cell errors."""
