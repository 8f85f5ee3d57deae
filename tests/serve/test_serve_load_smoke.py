"""The load benchmark's code path, small: a child server, a few clients, its record."""

from __future__ import annotations

from pathlib import Path

from benchmarks import serve_load


def test_serve_load_measures_both_sides(nllb_package: Path) -> None:
    result = serve_load.measure(nllb_package, clients=3, seconds=0.3, runs=1, threads=1, length=4)
    assert set(result["sides"]) == {"batching", "one at a time"}
    for side in result["sides"].values():
        assert side["errors"] == 0
        assert side["requests_answered"] >= 1
        assert side["p50_ms"] <= side["p95_ms"] <= side["max_ms"]
    assert result["sides"]["one at a time"]["largest_call"] == 1
    lines = serve_load.table(result)
    assert lines[2].startswith("| side |") and len(lines) == 8
