"""Figure 6: trainer throughput. GPU figures need a GPU; on CPU, report what runs.

The issue's trainer figures (tokens/s and MFU of full fine-tuning at the Nano and Ultra
architectures against a plain ``Seq2SeqTrainer`` baseline, on a GPU) cannot be measured
without a GPU; the result says so. What runs on CPU is timed instead: full fine-tuning steps
(forward, backward, AdamW) at batch 4 — the public Terjman training scripts' batch size —
on real sentence pairs, with the plain PyTorch loop that ``trainer.synthetic`` uses (the
trainer has no fine-tuning module of its own yet, so there is nothing of ours to compare).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from typing import Any

from benchmarks.common import corpus, log, median, rounded
from benchmarks.models import BuiltModel
from benchmarks.processes import run_once


def gpu_available() -> bool:
    try:
        import ctranslate2

        return bool(ctranslate2.get_cuda_device_count() > 0)
    except Exception:  # no CUDA runtime at all
        return False


def measure(
    models: Sequence[BuiltModel],
    *,
    threads: int = 2,
    steps: int = 10,
    warmup: int = 2,
    batch_size: int = 4,
) -> dict[str, Any]:
    _, pairs = corpus()
    sample = [list(p) for p in pairs[:: max(1, len(pairs) // 2000)]]
    cpu: list[dict[str, Any]] = []
    for model in models:
        spec = {
            "threads": threads, "family": model.family, "checkpoint": str(model.checkpoint),
            "pairs": sample, "batch_size": batch_size, "steps": steps, "warmup": warmup,
        }
        report = run_once("train", f"train-{model.arch}-t{threads}", spec)
        cpu.append({
            "model": model.arch,
            "threads": threads,
            "parameters": report["parameters"],
            "batch_size": batch_size,
            "steps": steps,
            "median_step_seconds": round(median(report["step_seconds"]), 4),
            "tokens_per_second": rounded(report["tokens_per_second"]),
            "target_tokens_per_second": rounded(report["target_tokens_per_second"]),
            "peak_rss_mib": round(report["peak_rss_bytes"] / 2**20, 1),
            "what": "plain PyTorch full fine-tuning step (AdamW), float32, CPU",
        })
        log(f"trainer {model.arch} on CPU: {cpu[-1]['tokens_per_second']} tokens/s "
            f"({cpu[-1]['median_step_seconds']} s/step)")
    has_finetune = importlib.util.find_spec("trainer.finetune") is not None
    gpu_note = (
        "not run: no GPU on this machine"
        if not gpu_available()
        else "not run: the GPU benchmark is not written yet"
    )
    return {
        "gpu": {
            "status": gpu_note,
            "targets": {"speedup_vs_seq2seqtrainer": ">= 1.5x", "mfu_at_1.3b": ">= 35%"},
        },
        "trainer_finetune_module": has_finetune,
        "cpu": cpu,
    }
