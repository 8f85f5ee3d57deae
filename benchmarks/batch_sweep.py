"""How big should the engine's batches be on CPU? A sweep behind ``engine.plan_batches``.

The engine sorts sentences by length and cuts them into chunks of at most
``max_batch_tokens // beam_size`` padded source tokens, one ``translate_batch`` per chunk.
This sweep translates the same sentences with several chunk sizes (set through
``max_batch_tokens``) and, interleaved with them, with one raw ``translate_batch`` call for
the whole batch, and reports tokens/s and the ratio to the raw call (median of per-run
ratios). It is not part of ``benchmarks.run``; run it on a quiet machine::

    python -m benchmarks.batch_sweep --model nano --threads 1 --beams 1,2,4 \\
        --chunks 256,512,1024,2048 --sentences 256

Writes ``benchmarks/results/batching.json``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from benchmarks.common import RESULTS, batch_sentences, log, median, write_result


def sweep(
    package: str,
    sentences: Sequence[str],
    *,
    threads: int,
    beams: Sequence[int],
    chunks: Sequence[int],
    length: int = 32,
    runs: int = 3,
) -> list[dict[str, Any]]:
    import ctranslate2

    from terjman_desktop.core.translate import engine
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.options import TranslationOptions
    from terjman_desktop.core.translate.package import load_package
    from terjman_desktop.core.translate.sentence_cache import SentenceCache
    from terjman_desktop.core.translate.tokenize import load_tokenizer

    translator = engine.Translator(package, device="cpu", threads=threads,
                                   cache=SentenceCache(0))
    raw = ctranslate2.Translator(package, device="cpu", intra_threads=threads, inter_threads=1)
    tokenizer = load_tokenizer(load_package(package))
    tokens = [tokenizer.encode(s, "en", "ary") for s in sentences]
    results = []
    for beam in beams:
        # The engine's limits count like max_new_tokens (engine.ct2_length_limits): a model
        # that forces </s> at the cap spends one position on it, so it gets one more.
        engine_length = length + int(translator.manifest.forced_eos)
        base = TranslationOptions(beam_size=beam, min_length=engine_length,
                                  max_length=engine_length, max_length_ratio=1e6)
        candidates: dict[str, Callable[[], object]] = {
            "raw, one call": partial(raw.translate_batch, tokens, beam_size=beam,
                                     min_decoding_length=length, max_decoding_length=length),
        }
        calls: dict[str, int] = {"raw, one call": 1}
        for chunk in chunks:
            options = replace(base, max_batch_tokens=chunk * beam)
            name = f"engine, chunks of {chunk} tokens"
            candidates[name] = partial(translator.translate_sentences, sentences,
                                       Direction("en", "ary"), options)
            calls[name] = len(engine.plan_batches([len(t) for t in tokens], options))
        seconds: dict[str, list[float]] = {name: [] for name in candidates}
        names = list(candidates)
        for run in range(runs):
            # Rotate the order each run so drift and warm-up hit every candidate alike.
            for name in names[run % len(names):] + names[:run % len(names)]:
                action = candidates[name]
                started = time.perf_counter()
                action()
                seconds[name].append(time.perf_counter() - started)
        total = len(sentences) * length
        rows = {
            name: {
                "tokens_per_second": round(total / median(values)),
                "ratio_to_one_raw_call": round(median(
                    [r / v for r, v in zip(seconds["raw, one call"], values, strict=True)]), 3),
                "translate_batch_calls": calls[name],
                "seconds": [round(v, 3) for v in values],
            }
            for name, values in seconds.items()
        }
        log(f"threads {threads} beam {beam}: " + ", ".join(
            f"{n}: {r['ratio_to_one_raw_call']}×" for n, r in rows.items()))
        results.append({"threads": threads, "beam": beam, "candidates": rows,
                        "load_average": [round(x, 2) for x in os.getloadavg()]})
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", default="nano")
    parser.add_argument("--threads", default="1", help="comma-separated, e.g. 1,2")
    parser.add_argument("--beams", default="1,2,4")
    parser.add_argument("--chunks", default="256,512,1024,2048")
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from benchmarks.models import build_in_subprocess

    model = build_in_subprocess(args.model, ("int8",))
    sentences = batch_sentences(args.sentences)
    configs = []
    for threads in (int(t) for t in args.threads.split(",")):
        os.environ["OMP_NUM_THREADS"] = str(threads)
        configs += sweep(
            str(model.packages["int8"]), sentences, threads=threads,
            beams=[int(b) for b in args.beams.split(",")],
            chunks=[int(c) for c in args.chunks.split(",")], runs=args.runs,
        )
    path = write_result("batching", {
        "model": args.model, "quantization": "int8", "sentences": len(sentences),
        "output_tokens_per_sentence": 32, "runs": args.runs, "configs": configs,
    }, RESULTS)
    log(f"wrote {path}")


if __name__ == "__main__":
    main()
