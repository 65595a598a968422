"""The national-scale benchmark's generated tables score the same in SQL as on the one-evaluation path."""
from analytics.domain.bench_scoring import run


def test_benchmark_at_small_scale_reports_identical_paths_over_two_frameworks():
    figures = run(evaluations=400, sample=60, memory_limit="256MB")
    assert figures["evaluations"] == 400
    assert figures["frameworks"] == {"beijing-2022": 200, "national-self-evaluation": 200}
    assert figures["sample_identical_between_paths"] is True
    assert figures["leaf_rows"] > 400 * 12 and figures["node_rows"] > figures["leaf_rows"]


def test_benchmark_whose_leaves_span_several_arrow_batches_reports_identical_paths():
    """DuckDB hands the scored leaves over in batches of 131,072 rows; the sums read them batch by batch,
    so a parent's children lie in different batches here."""
    figures = run(evaluations=25_000, sample=200, memory_limit="512MB")
    assert figures["leaf_rows"] > 2 * 131_072
    assert figures["sample_identical_between_paths"] is True
