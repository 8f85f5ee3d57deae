"""How long a model converted on the device takes to learn its vocabulary map (issue 14).

After a Hub install the app learns the model's map (``terjman_desktop/core/models/speedup.py``):
it translates the build rows with each of the builder's search settings (beams 1, 2 and 5,
up to 3 alternatives; the map off), then the held-out rows greedily, one sentence per model
call, without and with the map. This figure times exactly those calls on the benchmark's
random-weight packages. Random weights write whatever length they are allowed, so — as in
the other speed figures — every output is fixed at ``length`` tokens (about a 20-word Darija
sentence); the time per 100 rows is then scaled to the rows the bundled catalog asks for at
each size (``resources/catalog.json``, ``vmap_corpus``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from benchmarks.common import log
from benchmarks.models import BuiltModel


def _catalog_rows() -> dict[str, tuple[int, int]]:
    """Per tier, (build rows, held-out rows) of the bundled catalog's ``vmap_corpus``."""
    import json
    from pathlib import Path

    catalog = json.loads((Path(__file__).resolve().parents[1] / "resources" / "catalog.json")
                         .read_text("utf-8"))
    rows: dict[str, tuple[int, int]] = {}
    for entry in catalog["models"]:
        corpus = entry.get("source", {}).get("vmap_corpus")
        if corpus:
            rows.setdefault(entry["tier"], (corpus["rows"], corpus["held_out"]))
    return rows


def measure(model: BuiltModel, sentences: Sequence[str], *, held_out: int = 20,
            threads: int = 2, length: int = 32) -> dict[str, Any]:
    """Time the build's translations of ``sentences`` and the check of ``held_out`` of them."""
    from terjman_desktop.core.translate import (
        Direction,
        SentenceCache,
        TranslationOptions,
        Translator,
        VocabularyMapParameters,
    )

    package = model.packages["int8"]
    translator = Translator(package, device="cpu", threads=threads, cache=SentenceCache(0))
    direction = Direction("en", "ary")
    parameters = VocabularyMapParameters()
    # As benchmarks/worker.py: the target prefix and a forced </s> take positions too.
    prefix = len(translator.tokenizer.target_prefix("en", "ary"))
    total = length + prefix + int(translator.manifest.forced_eos)
    fixed = TranslationOptions(min_length=total, max_length=total, max_length_ratio=1e6,
                               use_vmap=False)
    build: dict[str, float] = {}
    try:
        translator.translate_sentences(sentences[:4], direction,
                                       replace(fixed, beam_size=1))  # warm up
        for beam in sorted(set(parameters.beams)):
            options = replace(fixed, beam_size=beam,
                              alternatives=min(beam, parameters.alternatives))
            started = time.perf_counter()
            translator.translate_sentences(sentences, direction, options)
            build[f"beam {beam}"] = time.perf_counter() - started
            log(f"vmap learning {model.arch}: beam {beam} {build[f'beam {beam}']:.1f} s "
                f"for {len(sentences)} rows")
        greedy = replace(fixed, beam_size=1, max_batch_tokens=1)
        started = time.perf_counter()
        # Without and with the map; the pass with it is faster in truth, counted at full cost.
        for _ in range(2):
            translator.translate_sentences(sentences[:held_out], direction, greedy)
        check = time.perf_counter() - started
    finally:
        translator.unload()
    build_per_100 = 100 * sum(build.values()) / len(sentences)
    check_per_100 = 100 * check / held_out
    tier = {"nano": "nano", "large": "large", "ultra": "ultra"}.get(model.arch, model.arch)
    rows, checked = _catalog_rows().get(tier, (2000, 200))
    return {
        "model": model.arch, "threads": threads, "length": length,
        "rows_measured": len(sentences), "held_out_measured": held_out,
        "build_seconds": {k: round(v, 1) for k, v in build.items()},
        "build_seconds_per_100_rows": round(build_per_100, 1),
        "check_seconds_per_100_rows": round(check_per_100, 1),
        "catalog_rows": rows, "catalog_held_out": checked,
        "estimated_minutes_for_catalog": round(
            (rows * build_per_100 + checked * check_per_100) / 100 / 60, 1),
    }
