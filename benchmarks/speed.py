"""Figure 7 (issue 14): vocabulary maps and the typing path, before and after, side by side.

Every "after" figure is measured in the same run as its "before", interleaved:

* **latency** (2 threads, one 20-word sentence, beams 2 and 1): our engine on the int8 package
  without a map (before), the same package with a map (after: beam 1 with the map is the
  app's typing path), and raw CTranslate2 with the same map (the engine's own cost);
* **threads**: the typing path at each thread count of the plan (the app's default is the
  physical cores, :func:`terjman_desktop.core.hardware.default_threads`);
* **throughput** at beam 4 (1 and 2 threads, Nano and Large): our engine with and without
  the map, raw CTranslate2 with the map and Hugging Face float32;
* **app**: the real desktop app (offscreen), keystroke → draft shown and → refined shown,
  with the plain package and with the mapped one.

The maps are counted the builder's way from the corpus's reference translations
(:mod:`benchmarks.vocabulary_maps`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from benchmarks import app_gui, latency, throughput
from benchmarks.common import log, median
from benchmarks.models import BuiltModel
from benchmarks.report_speed import MAP_GAIN, RAW_RATIO
from benchmarks.vocabulary_maps import with_vocabulary_maps

LATENCY_SIDES = ("engine-int8", "engine-int8+vmap", "ct2-int8+vmap")
THROUGHPUT_SIDES = ("engine-int8+vmap", "ct2-int8+vmap", "engine-int8", "hf-float32")
TYPING_SIDE = "engine-int8+vmap"


def paired_latency_ratio(config: Mapping[str, Any], slower: str, faster: str) -> float | None:
    """Median over repeats of ``slower`` time / ``faster`` time (repeats interleaved)."""
    sides = config["sides"]
    if slower not in sides or faster not in sides:
        return None
    pairs = zip(sides[slower]["samples_ms"], sides[faster]["samples_ms"], strict=True)
    return round(median([a / b for a, b in pairs if b > 0]), 3)


def _with_ratios(result: dict[str, Any]) -> dict[str, Any]:
    for config in result.get("configs", []):
        config["ratios"] = {
            MAP_GAIN: paired_latency_ratio(config, "engine-int8", "engine-int8+vmap"),
            RAW_RATIO: paired_latency_ratio(config, "ct2-int8+vmap", "engine-int8+vmap"),
        }
    return result


def measure(
    models: Mapping[str, BuiltModel],
    sentence: str,
    batches: Mapping[str, Sequence[str]],
    *,
    large: set[str],
    length: int = 32,
    runs: int = 3,
    repeats: int = 30,
    app_runs: int = 3,
    app_sentences: int = 6,
    threads: Sequence[int] = (1, 2),
) -> dict[str, Any]:
    from terjman_desktop.core.hardware import default_threads, physical_cores

    mapped = {arch: with_vocabulary_maps(model) for arch, model in models.items()}
    result: dict[str, Any] = {
        "default_threads": default_threads(),
        "physical_cores": physical_cores(),
        "map": "counted the builder's way (default parameters) from the corpus's reference "
               "translations (benchmarks/vocabulary_maps.py)",
    }
    result["latency"] = [
        _with_ratios(latency.measure(
            model, sentence, threads=2, beams=(2, 1), length=length,
            repeats=max(3, repeats // 3) if arch in large else repeats, sides=LATENCY_SIDES,
        ))
        for arch, model in mapped.items()
    ]
    typing_model = mapped.get("nano") or next(iter(mapped.values()))
    result["threads"] = [
        latency.measure(typing_model, sentence, threads=count, beams=(1,), length=length,
                        repeats=repeats, sides=(TYPING_SIDE,))
        for count in threads
    ]
    result["throughput"] = [
        throughput.measure(model, batches[arch], threads=threads, beams=(4,), length=length,
                           runs=runs, sides=THROUGHPUT_SIDES)
        for arch, model in mapped.items() if arch not in large
    ]
    sentences = app_gui.app_sentences(app_sentences)
    result["app"] = {}
    for label, package in (("without the map", "int8"), ("with the map", "int8+vmap")):
        log(f"speed: the app {label}")
        model = replace(typing_model, packages={"int8": typing_model.packages[package]})
        result["app"][label] = app_gui.measure(model, sentences, threads=2, length=length,
                                               runs=app_runs)
    return result
