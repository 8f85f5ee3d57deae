"""Figure 6: our trainer against a plain ``Seq2SeqTrainer`` baseline, in tokens/s and MFU.

Each side runs full fine-tuning steps in a fresh process (``benchmarks/finetune_worker.py``)
on the same real sentence pairs; runs alternate between the sides and the speed-up is the
median of the per-run ratios. Ours uses the recipe's batch size (``trainer/configs``) with
length grouping; the baseline uses batch 4 without it, as the issue describes the public
Terjman scripts. On a GPU the sizes are Nano and Ultra (bf16 where supported); on CPU, what
runs in minutes: the tiny and Nano sizes in float32, with MFU left out (no peak figure for a
CPU) and the model TFLOP/s reported instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks.common import corpus, log, median, rounded
from benchmarks.models import BuiltModel
from benchmarks.processes import run_once

# Our recipes' per-device batch sizes (trainer/configs/*.yaml) and the baseline's.
RECIPE_BATCH = {"tiny": 64, "nano": 64, "large": 32, "ultra": 16, "supreme": 8}
RECIPE_CHECKPOINTING = {"ultra": True, "supreme": True}
BASELINE_BATCH = 4
TARGETS = {"speedup_vs_seq2seqtrainer": ">= 1.5x", "mfu_at_1.3b": ">= 35%"}


def gpu_available() -> bool:
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:  # no torch at all: nothing to train with
        return False


def measure(
    models: Sequence[BuiltModel],
    *,
    threads: int = 2,
    runs: int = 3,
    tokens_per_run: int = 6000,
    warmup: int = 2,
) -> dict[str, Any]:
    """Time both sides on every model; each run trains ~``tokens_per_run`` target tokens."""
    _, pairs = corpus()
    sample = [list(p) for p in pairs[:: max(1, len(pairs) // 4000)]]
    device = "cuda" if gpu_available() else "cpu"
    results = [
        _measure_model(model, sample, threads=threads, runs=runs, warmup=warmup,
                       tokens_per_run=tokens_per_run)
        for model in models
    ]
    return {"device": device, "targets": TARGETS, "models": results,
            "gpu": None if device == "cuda" else "not run: no GPU on this machine"}


def _measure_model(
    model: BuiltModel, pairs: list[list[str]], *, threads: int, runs: int, warmup: int,
    tokens_per_run: int,
) -> dict[str, Any]:
    mean_target = sum(len(p[1].split()) for p in pairs) / len(pairs) * 1.6  # ~pieces per word
    batches = {"terjman": RECIPE_BATCH.get(model.arch, 64), "baseline": BASELINE_BATCH}
    reports: dict[str, list[dict[str, Any]]] = {side: [] for side in batches}
    order = list(batches)
    for run in range(runs):
        for side in order[run % 2:] + order[:run % 2]:  # alternate who goes first
            batch = batches[side]
            steps = max(3, round(tokens_per_run / (batch * mean_target)))
            spec = {
                "threads": threads, "checkpoint": str(model.checkpoint), "pairs": pairs,
                "side": side, "batch_size": batch, "warmup": warmup, "steps": steps,
                "gradient_checkpointing": RECIPE_CHECKPOINTING.get(model.arch, False)
                if side == "terjman" else False,
            }
            reports[side].append(run_once("finetune", f"finetune-{model.arch}-{side}-{run}",
                                          spec))
    ratios = [ours["tokens_per_second"] / base["tokens_per_second"]
              for ours, base in zip(reports["terjman"], reports["baseline"], strict=True)]
    sides = {side: _summary(runs_) for side, runs_ in reports.items()}
    log(f"trainer {model.arch}: ours {sides['terjman']['tokens_per_second']} tokens/s, "
        f"baseline {sides['baseline']['tokens_per_second']}; speed-up {median(ratios):.2f}x")
    return {
        "model": model.arch,
        "parameters": reports["terjman"][0]["parameters"],
        "threads": threads,
        "sides": sides,
        "speedup": round(median(ratios), 3),
        "speedup_runs": [round(r, 3) for r in ratios],
    }


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    first = runs[0]
    mfu = [r["mfu"] for r in runs if r.get("mfu") is not None]
    return {
        "device": first["device"],
        "precision": first["precision"],
        "optimizer": first["optimizer"],
        "group_by_length": first["group_by_length"],
        "gradient_checkpointing": first.get("gradient_checkpointing", False),
        "batch_size": first["batch_size"],
        "steps_per_run": first["steps"],
        "tokens_per_second": rounded(median([r["tokens_per_second"] for r in runs])),
        "target_tokens_per_second": rounded(median([r["target_tokens_per_second"]
                                                    for r in runs])),
        "model_tflops_per_second": round(median([r["model_tflops_per_second"]
                                                 for r in runs]), 4),
        "mfu": round(median(mfu), 4) if mfu else None,
        "padding_share": round(median([1 - (r["source_tokens"] + r["target_tokens"])
                                       / r["positions_computed"] for r in runs]), 3),
        "median_step_seconds": round(median([median(r["step_seconds"]) for r in runs]), 4),
        "peak_gpu_memory_gib": (round(first["peak_gpu_memory_bytes"] / 2**30, 2)
                                if first.get("peak_gpu_memory_bytes") else None),
        "runs": len(runs),
    }
