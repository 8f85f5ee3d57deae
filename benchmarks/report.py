"""Turn ``results/*.json`` into ``results/README.md``: the targets first, then the details.

``python -m benchmarks.report [RESULTS_DIR]`` rewrites the table without measuring anything.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS
from benchmarks.report_speed import speed_lines, vmap_learning_lines
from benchmarks.report_targets import (
    TRAINER_SIDE_LABELS,
    busy,
    explanations,
    provenance_lines,
    stale_note,
    targets,
    times,
)


def _load(results_dir: Path, name: str) -> dict[str, Any] | None:
    path = results_dir / f"{name}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _load_text(result: dict[str, Any] | None) -> str:
    if not result:
        return ""
    before = (result.get("load_average_before") or [None])[0]
    after = (result.get("load_average_after") or [None])[0]
    flag = " ⚠ busy machine" if busy(result) else ""
    return f"load {before} → {after}{flag}"


def _rows(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


# ----------------------------------------------------------------------------- details


def _throughput_details(tp: dict[str, Any]) -> list[str]:
    lines = ["## 1. Throughput (target tokens/s, higher is better)", ""]
    for model in tp.get("models", []):
        if "configs" not in model:
            lines += [f"**{model['model']}**: {model.get('status')}", ""]
            continue
        lines += [
            f"**{model['model']}** — {model['sentences']} DODa sentences in one batch, "
            f"{model['output_tokens_per_sentence']} output tokens each, median of "
            f"{model['runs']} interleaved runs",
            "",
        ]
        sides = list(model["configs"][0]["sides"])
        header = ["threads", "beam", *sides, "ours int8/HF", "ours float32/HF (like for like)",
                  "ours/best raw", "engine CT2 calls"]
        rows = []
        for config in model["configs"]:
            ratios = config["ratios"]
            rows.append([
                config["threads"], config["beam"],
                *(f"{config['sides'][s]['tokens_per_second']:.0f}" for s in sides),
                times(ratios.get("engine-int8 / hf-float32", {}).get("ratio")),
                times(ratios.get("engine-float32 / hf-float32", {}).get("ratio")),
                times(ratios.get("engine-int8 / best raw int8", {}).get("ratio")),
                config["sides"].get("engine-int8", {}).get("ct2_calls_per_batch", ""),
            ])
        lines += [*_rows(header, rows), ""]
    return lines


def _latency_details(lat: dict[str, Any]) -> list[str]:
    lines = ["## 2. Latency of one sentence (ms, lower is better)", ""]
    for model in lat.get("models", []):
        if "configs" not in model:
            lines += [f"**{model['model']}**: {model.get('status')}", ""]
            continue
        lines += [f"**{model['model']}**, {model['threads']} threads, {model['words']} words "
                  f"→ {model['output_tokens']} tokens, {model['repeats']} calls each "
                  f"(interleaved): “{model['sentence']}”", ""]
        sides = list(model["configs"][0]["sides"])
        rows = [[f"{c['preset']} (beam {c['beam']})",
                 *(f"{c['sides'][s]['p50_ms']:.0f} / {c['sides'][s]['p95_ms']:.0f}"
                   for s in sides)] for c in model["configs"]]
        lines += [*_rows(["preset", *(f"{s} p50 / p95" for s in sides)], rows), ""]
    return lines


def _memory_details(mem: dict[str, Any]) -> list[str]:
    lines = ["## 3. Memory and load time (fresh process per side)", ""]
    for model in mem.get("models", []):
        if "workloads" not in model:
            lines += [f"**{model['model']}**: {model.get('status')}", ""]
            continue
        sizes = ", ".join(f"{k} {v:.0f} MiB" for k, v in model["sizes_on_disk_mib"].items())
        lines += [f"**{model['model']}** ({model['threads']} threads; on disk: {sizes})", ""]
        header = ["workload", "side", "peak RSS MiB", "RSS after load MiB", "import s",
                  "load s"]
        rows = []
        for workload in model["workloads"]:
            for side, values in workload["sides"].items():
                rows.append([workload["workload"], side, f"{values['peak_rss_mib']:.0f}",
                             f"{values['rss_after_load_mib']:.0f}",
                             f"{values['import_seconds']:.2f}", f"{values['load_seconds']:.2f}"])
        lines += [*_rows(header, rows), ""]
    return lines


def _trainer_details(tr: dict[str, Any]) -> list[str]:
    lines = ["## 6. Trainer (full fine-tuning, tokens/s = source + target tokens, no padding)",
             ""]
    header = ["model", "side", "device", "precision", "batch", "length grouping", "tokens/s",
              "target tokens/s", "model GFLOP/s", "MFU", "padding", "s/step"]
    rows = []
    for model in tr.get("models", []):
        for name, side in model["sides"].items():
            label = TRAINER_SIDE_LABELS.get(name, name)
            rows.append([
                f"{model['model']} ({model['parameters'] / 1e6:.0f}M)", label, side["device"],
                side["precision"], side["batch_size"], "yes" if side["group_by_length"] else "no",
                f"{side['tokens_per_second']:.0f}", f"{side['target_tokens_per_second']:.0f}",
                f"{side['model_tflops_per_second'] * 1e3:.3g}",
                "n/a" if side.get("mfu") is None else f"{side['mfu']:.1%}",
                f"{side['padding_share']:.0%}", f"{side['median_step_seconds']:.3f}",
            ])
    runs = tr["models"][0]["sides"]["terjman"]["runs"] if tr.get("models") else 0
    return [*lines, *_rows(header, rows), "",
            f"Median of {runs} runs per side, in rotating order; speed-up = median of the "
            "per-run ratios, against the batch-4 baseline (the headline) and, like for like, "
            "against the plain trainer at our batch. On CPU there is no peak FLOP/s figure, "
            "so no MFU.", ""]


def _convert_details(conv: dict[str, Any]) -> list[str]:
    lines = ["## Converting a checkpoint to int8 (fresh process per side, `benchmarks/convert.py`)",
             "", "Ours: `terjman_desktop.core.models.convert` (numpy, no torch; the app and "
             "`trainer export` use it). Torch path: transformers loads the model, then "
             "CTranslate2's `spec.optimize` and `spec.save` (what it replaced). Target: peak "
             "RSS ≤ 1 GB converting Ultra to int8.", ""]
    header = ["model", "checkpoint MiB", "side", "convert s", "import s", "peak RSS MiB",
              "torch loaded", "model.bin MiB"]
    rows = []
    for model in conv.get("models", []):
        if "sides" not in model:
            lines += [f"**{model['model']}**: {model.get('status')}", ""]
            continue
        for side, values in model["sides"].items():
            rows.append([f"{model['model']} ({model['runs']} run(s))",
                         f"{model['checkpoint_mib']:.0f}", side,
                         f"{values['convert_seconds']:.1f}", f"{values['import_seconds']:.1f}",
                         f"{values['peak_rss_mib']:.0f}",
                         "yes" if values["torch_loaded"] else "no",
                         f"{values['model_bin_mib']:.0f}"])
    lines += [*_rows(header, rows), ""]
    ratios = [f"{m['model']}: peak {m['peak_ratio_vs_torch']:.2f}×, time "
              f"{m['time_ratio_vs_torch']:.2f}× the torch path"
              + (", identical model.bin" if m.get("identical_model_bin") else "")
              for m in conv.get("models", []) if "peak_ratio_vs_torch" in m]
    if ratios:
        lines += ["; ".join(ratios) + ". (NLLB's position table differs from the torch "
                  "path's in its last bits, so its model.bin is not byte-identical.)", ""]
    return lines


def _batching_details(sweep: dict[str, Any]) -> list[str]:
    lines = [
        "## Batch sizes on CPU (`python -m benchmarks.batch_sweep`)",
        "",
        f"{sweep['model']} int8, {sweep['sentences']} sentences, "
        f"{sweep['output_tokens_per_sentence']} tokens each; ratio to one raw "
        "`translate_batch` call for the whole batch (median of per-run ratios, "
        f"{sweep['runs']} runs).",
        "",
    ]
    names = list(sweep["configs"][0]["candidates"])
    rows = [[c["threads"], c["beam"],
             *(f"{c['candidates'][n]['ratio_to_one_raw_call']:.2f}× "
               f"({c['candidates'][n]['translate_batch_calls']})" for n in names)]
            for c in sweep["configs"]]
    return [*lines, *_rows(["threads", "beam", *(f"{n} (calls)" for n in names)], rows), ""]


def _environment(results: dict[str, dict[str, Any] | None]) -> list[str]:
    env = next((r["environment"] for r in results.values() if r and "environment" in r), None)
    if env is None:
        return []
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    loads = [f"{name}: {_load_text(r)}" for name, r in results.items()
             if r and name != "download"]
    return [
        "## Machine",
        "",
        f"- {env['cpu']}, {env['cpu_count']} CPUs, {env['memory_gib']} GiB RAM, "
        f"GPU: {env['gpu'] or 'none'}; {env['machine']}; Python {env['python']}",
        f"- {versions}; sentences: {env['corpus']} (each figure's commit and machine: "
        "*Where each figure comes from*)",
        "- 1-minute load average before → after each figure: " + "; ".join(loads),
        "",
    ]


def write(results_dir: Path = RESULTS, command: str = "python -m benchmarks.run") -> Path:
    names = ("throughput", "latency", "memory", "app", "download", "trainer", "convert",
             "speed", "vmap_learning")
    results = {name: _load(results_dir, name) for name in names}
    if results["download"] is None and results_dir.resolve() != RESULTS.resolve():
        results["download"] = None
    # Not figures of the run, but the report reads them like one (targets, explanations,
    # where each figure comes from).
    results.update({name: _load(results_dir, name)
                    for name in ("cold_start", "batching", "serve")})
    rows, missed = targets(results)
    noisy = [name for name, result in results.items() if busy(result)]
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` (see [benchmarks/README.md](../README.md)); every figure is "
        "the median of several runs, with the sides interleaved in one run. Models: random "
        "weights at the real Terjman architectures, exported by `trainer.package` (int8 is the "
        "app's default), fixed output length.",
        "",
    ]
    if noisy:
        lines += [
            "> ⚠ **Busy machine**: the 1-minute load average exceeded the CPU count during "
            f"{', '.join(noisy)} (other jobs were running), so those timings are noisy and "
            "pessimistic; ratios, measured side by side, suffer less than absolute figures. "
            "Re-run on a quiet machine for publishable numbers.",
            "",
        ]
    lines += stale_note(results)
    lines += speed_lines(results["speed"])
    lines += vmap_learning_lines(results["vmap_learning"])
    lines += ["## Targets (issue 7)", ""]
    lines += [*_rows(["#", "figure", "target", "measured", "status"], rows), ""]
    reasons = explanations(results, missed)
    if reasons:
        lines += ["### Where we are behind, and why", ""]
        lines += [text + "\n" for text in reasons]
    for name, details in (("throughput", _throughput_details), ("latency", _latency_details),
                          ("memory", _memory_details), ("trainer", _trainer_details),
                          ("convert", _convert_details)):
        result = results[name]
        if result and "models" in result:
            lines += details(result)
    serve = results["serve"]
    if serve:  # python -m benchmarks.serve_load (issue 16)
        from benchmarks import serve_load

        lines += ["## Classroom server (issue 16)", "", *serve_load.table(serve), ""]
    sweep = results["batching"]
    if sweep and sweep.get("configs"):
        lines += _batching_details(sweep)
    lines += provenance_lines(results)
    lines += _environment(results)
    path = results_dir / "README.md"
    results_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS).read_text("utf-8"))
