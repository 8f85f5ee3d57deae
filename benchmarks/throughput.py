"""Figure 1: throughput (target tokens/s) of a batch of real sentences, side by side.

Sides, each in its own process with the same thread count, beam and sentences:

* ``engine-int8``: our engine end to end (``Translator.translate`` on the sentences joined by
  newlines: segmentation, tokenization, batching, translation, detokenization), with the
  app's default int8 package and ``SentenceCache(0)`` (the sentences are distinct anyway, so
  neither the sentence cache nor de-duplication helps us).
* ``ct2-int8``: raw ``ctranslate2.Translator.translate_batch`` on pre-tokenized input, one
  call for the whole batch, same package and decoding options.
* ``ct2tok-int8``: the same call with CTranslate2's own length-sorted batching at the
  engine's token budget (``max_batch_size=max_batch_tokens, batch_type="tokens"``), so the
  difference from ours is the engine's own work, not its batch sizes. The target ratio is
  taken against the faster of the two raw sides.
* ``engine-float32`` / ``ct2-float32``: the same with a float32 package, for a like-for-like
  comparison with Hugging Face (int8 against float32 would flatter us).
* ``hf-float32``: Hugging Face ``generate`` (PyTorch float32) with its tokenizer and
  ``batch_decode``, all sentences in one call.

Every side generates exactly ``length`` tokens per sentence. Runs are interleaved (the order
rotates each run) and ratios are the median of the per-run ratios.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks.common import log, median, rounded
from benchmarks.models import BuiltModel
from benchmarks.processes import Worker, pause

SIDES = ("engine-int8", "ct2-int8", "ct2tok-int8", "engine-float32", "ct2-float32",
         "hf-float32")
RATIOS = (
    ("engine-int8", "hf-float32", "ours (int8, app default) vs Hugging Face float32"),
    ("engine-float32", "hf-float32", "ours float32 vs Hugging Face float32 (like for like)"),
    ("ct2-int8", "hf-float32", "raw CTranslate2 int8 vs Hugging Face float32"),
    ("engine-int8", "ct2-int8", "ours vs raw CTranslate2 (int8), one call"),
    ("engine-int8", "ct2tok-int8", "ours vs raw CTranslate2 (int8), CTranslate2's batching"),
    ("engine-float32", "ct2-float32", "ours vs raw CTranslate2 (float32)"),
    # Issue 14 (benchmarks/speed.py): the same package with a vocabulary map.
    ("engine-int8+vmap", "hf-float32", "ours (int8, vocabulary map) vs Hugging Face float32"),
    ("engine-int8+vmap", "ct2-int8+vmap", "ours vs raw CTranslate2, both with the map"),
    ("engine-int8+vmap", "engine-int8", "the vocabulary map's gain (ours with / without)"),
)


def side_spec(model: BuiltModel, side: str, threads: int) -> dict[str, Any]:
    kind, quantization = side.split("-", 1)  # "engine-int8", "ct2-int8+vmap"...
    return {
        "side": kind,
        "vmap": quantization.endswith("+vmap"),
        "threads": threads,
        "family": model.family,
        "package": str(model.packages.get(quantization, "")),
        "checkpoint": str(model.checkpoint),
    }


def _rotated(items: Sequence[str], shift: int) -> list[str]:
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


def _paired_ratio(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> float:
    """Median over runs of (tokens/s of a) / (tokens/s of b), runs paired in time."""
    return median([
        (x["tokens"] / x["seconds"]) / (y["tokens"] / y["seconds"])
        for x, y in zip(a, b, strict=True)
    ])


def measure(
    model: BuiltModel,
    sentences: Sequence[str],
    *,
    threads: Sequence[int] = (1, 2),
    beams: Sequence[int] = (1, 4),
    length: int = 32,
    runs: int = 3,
    sides: Sequence[str] = SIDES,
) -> dict[str, Any]:
    sides = [s for s in sides if s.split("-", 1)[1] in model.packages or s.startswith("hf")]
    configs: list[dict[str, Any]] = []
    for thread_count in threads:
        log(f"throughput {model.arch}: starting {len(sides)} workers, {thread_count} thread(s)")
        workers: dict[str, Worker] = {}
        try:
            for side in sides:
                workers[side] = Worker(
                    f"throughput-{model.arch}-{side}-t{thread_count}",
                    side_spec(model, side, thread_count),
                )
            for beam in beams:
                warmup = {"op": "batch", "sentences": list(sentences[:8]), "beam": beam,
                          "length": length}
                for worker in workers.values():
                    worker.ask(warmup)
                samples: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
                command = {"op": "batch", "sentences": list(sentences), "beam": beam,
                           "length": length}
                for run in range(runs):
                    for side in _rotated(sides, run):
                        pause()
                        samples[side].append(workers[side].ask(command))
                    log(
                        f"  {model.arch} t{thread_count} beam {beam} run {run + 1}/{runs}: "
                        + ", ".join(
                            f"{s} {samples[s][-1]['tokens'] / samples[s][-1]['seconds']:.0f}"
                            for s in sides
                        )
                        + " tok/s"
                    )
                configs.append(_summary(model, thread_count, beam, sides, samples, workers))
        finally:
            for worker in workers.values():
                worker.close()
    return {
        "model": model.arch,
        "family": model.family,
        "sentences": len(sentences),
        "output_tokens_per_sentence": length,
        "runs": runs,
        "configs": configs,
    }


def _summary(
    model: BuiltModel,
    threads: int,
    beam: int,
    sides: Sequence[str],
    samples: dict[str, list[dict[str, Any]]],
    workers: dict[str, Worker],
) -> dict[str, Any]:
    per_side: dict[str, Any] = {}
    for side in sides:
        runs = samples[side]
        seconds = [r["seconds"] for r in runs]
        tokens = runs[0]["tokens"]
        per_side[side] = {
            "tokens": tokens,
            "seconds": [round(s, 4) for s in seconds],
            "median_seconds": round(median(seconds), 4),
            "tokens_per_second": rounded(tokens / median(seconds)),
            # CPU seconds / wall seconds: below the thread count means the side waited
            # (other processes on the machine, or serial Python work).
            "cpu_utilisation": round(median([r["cpu_seconds"] / r["seconds"] for r in runs]), 2),
            "load_seconds": round(workers[side].load_seconds, 3),
        }
        if "ct2_calls" in runs[0]:  # how many translate_batch calls the engine made
            per_side[side]["ct2_calls_per_batch"] = runs[0]["ct2_calls"]
    ratios = {
        f"{a} / {b}": {"ratio": round(_paired_ratio(samples[a], samples[b]), 3), "what": what}
        for a, b, what in RATIOS
        if a in samples and b in samples
    }
    raw = [r for r in ("ct2-int8", "ct2tok-int8") if r in samples]
    if "engine-int8" in samples and raw:
        # Per run, against whichever raw call was faster in that run: the stricter figure.
        best = [max(runs, key=lambda r: r["tokens"] / r["seconds"])
                for runs in zip(*(samples[r] for r in raw), strict=True)]
        ratios["engine-int8 / best raw int8"] = {
            "ratio": round(_paired_ratio(samples["engine-int8"], best), 3),
            "what": "ours vs the faster raw CTranslate2 call (int8), the target's figure",
        }
    return {"threads": threads, "beam": beam, "sides": per_side, "ratios": ratios}
