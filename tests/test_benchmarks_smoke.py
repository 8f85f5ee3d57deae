"""The benchmark code paths run end to end on the tiny architecture (structure only).

Timings are never asserted: these tests only prove that ``python -m benchmarks.run`` can
build a model, run every side in its worker processes, and write JSON and the table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


def _read(folder: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    assert data["benchmark"] == name
    assert "git_commit" in data["environment"]  # the report says which commit each figure is
    assert "load_average_before" in data
    assert not str(data.get("status", "")).startswith("failed"), data.get("traceback")
    return data


def test_percentile_and_median() -> None:
    from benchmarks.common import median, percentile

    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert median(values) == 3.0
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 50) == 3.0
    assert 4.0 < percentile(values, 95) < 5.0


def test_report_on_missing_and_partial_results(tmp_path: Path) -> None:
    from benchmarks import report

    (tmp_path / "app.json").write_text(json.dumps({"status": "not run: no GUI"}), "utf-8")
    table = report.write(tmp_path).read_text(encoding="utf-8")
    assert "## Targets" in table
    assert "not run: no GUI" in table


@pytest.mark.slow
def test_benchmarks_run_on_tiny(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("ctranslate2")
    cache = getattr(request.config, "cache", None)
    work = Path(cache.mkdir("benchmarks-smoke")) if cache else tmp_path / "work"
    monkeypatch.setenv("TERJMAN_BENCH_WORK", str(work))
    from benchmarks import run

    results = tmp_path / "results"
    assert run.main([
        "--quick", "--models", "tiny", "--sentences", "4", "--runs", "1", "--threads", "1",
        "--results-dir", str(results), "--only",
        "throughput,latency,memory,app,download,trainer",
    ]) == 0

    throughput = _read(results, "throughput")
    (model,) = throughput["models"]
    assert model["model"] == "tiny"
    assert {c["beam"] for c in model["configs"]} == {1, 4}
    for config in model["configs"]:
        assert set(config["sides"]) == {
            "engine-int8", "ct2-int8", "ct2tok-int8", "engine-float32", "ct2-float32",
            "hf-float32"}
        for side in config["sides"].values():
            assert side["tokens"] == 4 * model["output_tokens_per_sentence"]
            assert side["tokens_per_second"] > 0
        assert config["ratios"]
        assert all(r["ratio"] > 0 for r in config["ratios"].values())

    latency = _read(results, "latency")
    for config in latency["models"][0]["configs"]:
        for side in config["sides"].values():
            assert 0 < side["p50_ms"] <= side["p95_ms"]

    memory = _read(results, "memory")
    for workload in memory["models"][0]["workloads"]:
        assert workload["peak_ratio_vs_hf"]
        for side in workload["sides"].values():
            assert side["peak_rss_mib"] > 0
            assert side["load_seconds"] > 0

    app = _read(results, "app")
    assert app["status"] == "ok" or app["status"].startswith("not run"), app
    if app["status"] == "ok":
        assert app["start_to_window_seconds"]["median"] > 0
        assert app["keystroke_to_translation_ms"]["p50"] > 0

    trainer = _read(results, "trainer")
    assert trainer["device"] in {"cpu", "cuda"}
    (model,) = trainer["models"]
    assert model["model"] == "tiny"
    ours, baseline = model["sides"]["terjman"], model["sides"]["baseline"]
    equal = model["sides"]["baseline-equal-batch"]  # the like-for-like side
    assert ours["group_by_length"] and not baseline["group_by_length"]
    assert not equal["group_by_length"]
    assert (ours["batch_size"], baseline["batch_size"], equal["batch_size"]) == (64, 4, 64)
    for side in (ours, baseline, equal):
        assert side["tokens_per_second"] > 0
        assert side["model_tflops_per_second"] > 0
        assert 0 <= side["padding_share"] < 1
    assert model["speedup"] > 0
    assert model["speedup_equal_batch"] > 0

    download = _read(results, "download")
    assert set(download["scenarios"]) == {"loopback", "paced"}
    assert download["sha256_mb_per_s"] > 0

    table = (results / "README.md").read_text(encoding="utf-8")
    assert "## Targets" in table
    assert "| 1 |" in table
    assert "at equal batch 64:" in table
    assert "## Where each figure comes from" in table
