"""Figure 3: peak resident memory and model load time, each side in a fresh process.

For each side a new Python process imports its libraries, loads the model (timed), runs one
workload and reports its peak RSS (``getrusage``), so peaks never mix. Two workloads: one
sentence with the app's default preset (interactive use) and the throughput batch at beam 4.
Load times are with the files in the page cache (a warm start), the median of ``runs``
fresh processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks.common import log, median
from benchmarks.models import BuiltModel, folder_size
from benchmarks.processes import run_once
from benchmarks.throughput import side_spec

SIDES = ("engine-int8", "engine-float32", "hf-float32")
MIB = 2**20


def measure(
    model: BuiltModel,
    sentence: str,
    batch: Sequence[str],
    *,
    threads: int = 2,
    length: int = 32,
    runs: int = 3,
    sides: Sequence[str] = SIDES,
) -> dict[str, Any]:
    # Load times come from the one-sentence workload (``runs`` fresh processes); a peak is
    # the same from run to run, so the slow batch workload runs once.
    workloads = {
        "one sentence, beam 2": ([sentence], 2, runs),
        f"{len(batch)} sentences, beam 4": (list(batch), 4, 1),
    }
    sides = [s for s in sides if s.split("-", 1)[1] in model.packages or s.startswith("hf")]
    results: list[dict[str, Any]] = []
    for workload, (sentences, beam, workload_runs) in workloads.items():
        reports: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
        for run in range(workload_runs):
            for side in sides:
                spec = {**side_spec(model, side, threads), "sentences": sentences,
                        "beam": beam, "length": length}
                reports[side].append(run_once("memory", f"memory-{model.arch}-{side}", spec))
            log(f"memory {model.arch} '{workload}' run {run + 1}/{workload_runs}: " + ", ".join(
                f"{s} peak {reports[s][-1]['peak_rss_bytes'] / MIB:.0f} MiB" for s in sides
            ))
        per_side = {side: _summary(values) for side, values in reports.items()}
        entry: dict[str, Any] = {"workload": workload, "sides": per_side}
        if "hf-float32" in per_side:
            hf = per_side["hf-float32"]["peak_rss_mib"]
            entry["peak_ratio_vs_hf"] = {
                side: round(values["peak_rss_mib"] / hf, 3)
                for side, values in per_side.items() if side != "hf-float32"
            }
        results.append(entry)
    return {
        "model": model.arch,
        "threads": threads,
        "runs": runs,
        "sizes_on_disk_mib": {
            "hf-checkpoint": round(folder_size(model.checkpoint) / MIB, 1),
            **{f"package-{q}": round(folder_size(p) / MIB, 1) for q, p in model.packages.items()},
        },
        "workloads": results,
    }


def _summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    def mib(key: str) -> float:
        return round(median([r[key] for r in reports]) / MIB, 1)

    return {
        "peak_rss_mib": mib("peak_rss_bytes"),
        "peak_rss_after_load_mib": mib("peak_rss_after_load_bytes"),
        "rss_after_import_mib": mib("rss_after_import_bytes"),
        "rss_after_load_mib": mib("rss_after_load_bytes"),
        "import_seconds": round(median([r["import_seconds"] for r in reports]), 3),
        "load_seconds": round(median([r["load_seconds"] for r in reports]), 3),
        "load_seconds_runs": [round(r["load_seconds"], 3) for r in reports],
    }
