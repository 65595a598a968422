"""The domain: evaluation frameworks as data, the rule kinds, and scoring on any framework.

- ``vocabulary``: the shared figures (with units) rules read, and the concepts that make indicators of
  different frameworks comparable.
- ``model``: a framework version as frozen dataclasses (tree 2–4 levels deep, weights, rules, grade bands).
- ``loader``: JSON (or a dict) → Framework, validated, errors as coded ``issues`` with a JSON path.
- ``rules/``: one module per rule kind, holding its scalar function and its SQL twin.
- ``targets``: reading self-evaluation targets such as "≥95%", "11月底前", "显著".
- ``evaluation``: one evaluation's inputs, and the level-3 indicators an evaluation brings to open groups.
- ``score_one`` / ``score_sql``: the one-evaluation path and the set-based path (generated SQL over the
  evaluations stored by ``long_tables``); bit-identical.
- ``authoring/``: framework workbooks (blank template, import with per-cell errors, export).
"""
