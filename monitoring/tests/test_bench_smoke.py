from benchmarks.bench_matcher import run


def test_matcher_benchmark_runs_small_and_asserts_identical_match_sets(capsys):
    figures = run(size_mb=1, organisations_count=8, items=200)
    assert figures["patterns"] == 20 and figures["hits"] > 0
    assert figures["items_kept"] + figures["items_merged"] == 200
    assert "ratio" in capsys.readouterr().out
