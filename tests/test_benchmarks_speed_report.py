"""The speed section of the results table (issue 14) is computed from ``speed.json`` alone."""

from __future__ import annotations

from typing import Any

from benchmarks.report_speed import MAP_GAIN, RAW_RATIO, speed_lines


def _latency(model: str, before: float, after: float, raw: float) -> dict[str, Any]:
    def side(p50: float) -> dict[str, Any]:
        return {"p50_ms": p50, "p95_ms": p50 + 10, "samples_ms": [p50] * 3}

    configs = []
    for beam, scale in ((2, 1.5), (1, 1.0)):
        configs.append({
            "beam": beam,
            "sides": {"engine-int8": side(before * scale), "engine-int8+vmap": side(after * scale),
                      "ct2-int8+vmap": side(raw * scale)},
            "ratios": {MAP_GAIN: round(before / after, 3), RAW_RATIO: round(raw / after, 3)},
        })
    return {"model": model, "configs": configs}


def _speed() -> dict[str, Any]:
    return {
        "default_threads": 2, "physical_cores": 2, "map": "counted from references",
        "latency": [_latency("nano", 500.0, 100.0, 98.0), _latency("ultra", 3000.0, 2400.0,
                                                                    2500.0)],
        "threads": [
            {"threads": 1, "configs": [{"beam": 1, "sides": {"engine-int8+vmap":
                                                             {"p50_ms": 90.0, "p95_ms": 95.0}}}]},
            {"threads": 2, "configs": [{"beam": 1, "sides": {"engine-int8+vmap":
                                                             {"p50_ms": 60.0, "p95_ms": 70.0}}}]},
        ],
        "throughput": [{"model": "nano", "configs": [{
            "threads": 1, "beam": 4,
            "sides": {"engine-int8": {"tokens_per_second": 250.0},
                      "engine-int8+vmap": {"tokens_per_second": 700.0},
                      "ct2-int8+vmap": {"tokens_per_second": 400.0},
                      "hf-float32": {"tokens_per_second": 70.0}},
            "ratios": {"engine-int8 / hf-float32": {"ratio": 3.57},
                       "engine-int8+vmap / hf-float32": {"ratio": 10.0},
                       "engine-int8+vmap / ct2-int8+vmap": {"ratio": 1.75}},
        }]}],
        "app": {
            "without the map": {"keystroke_to_translation_ms": {"p50": 900.0, "p95": 950.0}},
            "with the map": {"keystroke_to_translation_ms": {"p50": 300.0, "p95": 320.0},
                             "keystroke_to_refined_ms": {"p50": 500.0, "p95": 520.0},
                             "debounce_ms": 150},
        },
    }


def test_each_target_row_is_judged_from_the_results() -> None:
    table = "\n".join(speed_lines(_speed()))
    rows = [line for line in table.splitlines() if line.startswith("| nano: one 20-word")]
    assert len(rows) == 1 and "750 / 760 ms | 100 / 110 ms | 7.50×" in rows[0]
    assert rows[0].endswith("✅ met |")  # 100 ms ≤ 150 ms
    ultra = [line for line in table.splitlines()
             if line.startswith("| ultra: one sentence, 2 thr, beam 2")]
    assert ultra and "1.25×" in ultra[0] and ultra[0].endswith("❌ not met |")  # < 1.5×
    hf = [line for line in table.splitlines() if "throughput vs Hugging Face" in line]
    assert hf and "3.57× | 10.00×" in hf[0] and hf[0].endswith("✅ met |")
    assert "1 → 2 threads" in table and "1.50×" in table  # 90 ms → 60 ms
    app = [line for line in table.splitlines() if "keystroke → translation shown" in line]
    assert app and "900 / 950 ms | 300 / 320 ms" in app[0] and app[0].endswith("✅ met |")


def test_no_results_no_section() -> None:
    assert speed_lines(None) == []
    assert speed_lines({}) == []


def test_the_map_learning_table_shows_each_model_and_skips_failed_ones() -> None:
    from benchmarks.report_speed import vmap_learning_lines

    result = {"models": [
        {"model": "nano", "threads": 2, "build_seconds_per_100_rows": 12.5,
         "check_seconds_per_100_rows": 3.1, "catalog_rows": 2000, "catalog_held_out": 200,
         "estimated_minutes_for_catalog": 4.3},
        {"model": "ultra", "status": "not run: building failed (MemoryError)"},
    ]}
    lines = vmap_learning_lines(result)
    assert "| nano | 2 | 12.5 | 3.1 | 2000 + 200 | 4.3 |" in lines
    assert not any("ultra" in line for line in lines)
    assert vmap_learning_lines(None) == [] and vmap_learning_lines({"models": []}) == []
