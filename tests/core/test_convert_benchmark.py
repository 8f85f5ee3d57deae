"""The conversion benchmark's code path, end to end on the tiny architecture (structure only).

Timings are never asserted; this proves ``benchmarks/convert.py`` runs both sides in their
own processes, that ours never loads torch, and that the report renders its figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_convert_benchmark_runs_on_tiny(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    cache = getattr(request.config, "cache", None)
    work = Path(cache.mkdir("benchmarks-smoke")) if cache else tmp_path / "work"
    monkeypatch.setenv("TERJMAN_BENCH_WORK", str(work))
    from benchmarks import convert, report
    from benchmarks.common import write_result
    from benchmarks.models import build_in_subprocess

    result = convert.measure(build_in_subprocess("tiny", ()), runs=1)
    assert result["model"] == "tiny" and result["runs"] == 1
    ours, theirs = result["sides"]["terjman-int8"], result["sides"]["torch-int8"]
    assert not ours["torch_loaded"] and theirs["torch_loaded"]
    for side in (ours, theirs):
        assert side["convert_seconds"] > 0 and side["peak_rss_mib"] > 0
        assert side["model_bin_mib"] == ours["model_bin_mib"]
    assert result["identical_model_bin"] is True  # Marian: byte for byte
    assert result["peak_ratio_vs_torch"] > 0

    results = tmp_path / "results"
    write_result("convert", {"models": [result]}, results)
    table = report.write(results).read_text(encoding="utf-8")
    assert "## Converting a checkpoint to int8" in table
    assert "| tiny (1 run(s)) |" in table
