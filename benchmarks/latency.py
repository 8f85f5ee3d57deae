"""Figure 2: latency of one 20-word sentence, as a person typing sees it.

One real 20-word English sentence is translated again and again (``SentenceCache(0)``, so our
engine really translates it each time) with the "balanced" preset (beam 2, the app's default)
and the "fast" one (beam 1), a fixed output length, on 2 threads. Raw CTranslate2 and Hugging
Face run the same sentence interleaved with ours, for context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks.common import log, median, percentile
from benchmarks.models import BuiltModel
from benchmarks.processes import Worker, pause
from benchmarks.throughput import side_spec

SIDES = ("engine-int8", "ct2-int8", "hf-float32")
PRESETS = {2: "balanced", 1: "fast"}


def measure(
    model: BuiltModel,
    sentence: str,
    *,
    threads: int = 2,
    beams: Sequence[int] = (2, 1),
    length: int = 32,
    repeats: int = 30,
    warmup: int = 3,
    sides: Sequence[str] = SIDES,
) -> dict[str, Any]:
    log(f"latency {model.arch}: {len(sides)} workers, {threads} threads, {repeats} repeats")
    workers: dict[str, Worker] = {}
    configs: list[dict[str, Any]] = []
    try:
        for side in sides:
            workers[side] = Worker(
                f"latency-{model.arch}-{side}-t{threads}", side_spec(model, side, threads)
            )
        for beam in beams:
            command = {"op": "repeat", "sentence": sentence, "beam": beam, "length": length}
            for worker in workers.values():
                worker.ask({**command, "count": warmup})
            times: dict[str, list[float]] = {side: [] for side in sides}
            for _ in range(repeats):  # interleaved one call at a time
                for side in sides:
                    # The previous side's idle OpenMP threads spin for a while after each call;
                    # without the pause they steal the cores from the side being timed, and
                    # the shorter a call (a vocabulary map's), the more of it they take.
                    pause()
                    times[side] += workers[side].ask({**command, "count": 1})["seconds"]
            configs.append({
                "beam": beam,
                "preset": PRESETS.get(beam, f"beam {beam}"),
                "sides": {
                    side: {
                        "p50_ms": round(1000 * median(values), 1),
                        "p95_ms": round(1000 * percentile(values, 95), 1),
                        "min_ms": round(1000 * min(values), 1),
                        "samples_ms": [round(1000 * v, 1) for v in values],
                    }
                    for side, values in times.items()
                },
            })
            summary = ", ".join(
                f"{s} p50 {configs[-1]['sides'][s]['p50_ms']} ms" for s in sides
            )
            log(f"  beam {beam}: {summary}")
    finally:
        for worker in workers.values():
            worker.close()
    return {
        "model": model.arch,
        "threads": threads,
        "sentence": sentence,
        "words": len(sentence.split()),
        "output_tokens": length,
        "repeats": repeats,
        "configs": configs,
    }
