"""The targets of issue 7 as table rows, each with its status, and why a missed one is missed.

Used by :mod:`benchmarks.report`; every row is ``[figure number, what, target, measured,
status]``.
"""

from __future__ import annotations

from typing import Any

# The benchmark itself keeps up to one CPU busy per thread it uses (2 at most), so the 1-minute
# load average only says "something else was running" once it exceeds the CPU count; timings
# taken then are flagged as noisy.
BUSY_MARGIN = 0.5
MET, MISSED, NA = "✅ met", "❌ not met", "—"

# Why a target is missed, shown under the table when it is. Figures quoted here come from the
# published run (benchmarks/results/*.json) or, where marked, from side experiments on the
# same 2-core machine (AMD EPYC under KVM); re-check them when the machine changes.
EXPLANATIONS = {
    "engine_vs_raw": (
        "**Ours vs raw CTranslate2.** The engine's own work — segmentation, SentencePiece "
        "encoding (twice: to sort and cut batches, then to translate), detokenization, the "
        "Python around each `translate_batch` — is a few milliseconds per batch of 256 "
        "sentences, under 1% of the time. Three things move the ratio. (1) Noise: this VM's "
        "run-to-run spread is ±10–20% (raw CTranslate2 alone gave 1,045 to 1,491 tokens/s "
        "for the same Nano batch), so with 3 runs a ratio of 0.91–0.95 is within noise; the "
        "misses are where the engine made the very same single call as raw CTranslate2 "
        "(Large beam 1, Ultra), which shows it. (2) Chunking: the engine cuts the batch into "
        "`max_batch_tokens / beam` (2048 / beam) padded source tokens per call, which is "
        "what makes it 1.2–1.6× faster than one raw call at beam 4 (smaller decoder batches "
        "keep the 62,802-wide score matrices in cache), and costs a little at beam 1, where "
        "one big call is best (Nano float32 0.83–0.90×). (3) Scores: the engine asked "
        "CTranslate2 for scores it never read, a log-softmax over the vocabulary at every "
        "greedy step; since this run it asks only when they are shown (`--json`, "
        "alternatives): ~4% faster at beam 1 in an interleaved A/B of raw calls. After that "
        "fix, `python -m benchmarks.batch_sweep` (7 runs, order rotated; the Batch sizes "
        "section below) measures the engine at its default budget against one raw call at "
        "beam 1: 1.09× on 1 thread, 1.00× on 2."
    ),
    "latency": (
        "**Latency.** One sentence decodes its 32 tokens one step at a time, and at batch 1 "
        "each step streams the int8 decoder and the 62,802 × 512 output projection from "
        "memory, about 57 MB per step: ~7.8 ms per step at beam 1 here, i.e. the ~7 GB/s this "
        "VM gives two cores. The engine adds nothing measurable (raw CTranslate2 is within a "
        "few ms in the latency table), so the gap is the machine: a laptop with dual-channel "
        "DDR5 (~40–60 GB/s) and a large L3 should be several times faster per step, but that "
        "is not measured here. The known lever on our side is the output projection (~45% "
        "of a step): a CTranslate2 vocabulary map (`use_vmap`) restricted to the target "
        "SentencePiece pieces cut beam 2 from 324 to 175 ms in a side experiment, but on the "
        "benchmark's small target vocabulary; with the real model it needs a vocabulary map "
        "in the package and a quality check, so it is not done."
    ),
    "hf_speedup": (
        "**Against Hugging Face.** int8 against float32 is where most of the ≥ 4× comes "
        "from; like for like (float32 against float32) both run similar GEMMs and the "
        "difference is PyTorch's per-step overhead and beam search in Python, which matters "
        "less as the model grows. The miss is Large on 2 threads: CTranslate2's float32 and "
        "int8 GEMMs gain little from the second core of this VM (int8 1.5×, float32 1.05×) "
        "while PyTorch gains 1.8×; on 1 thread Large is 4.65×."
    ),
    "download": (
        "**Downloads.** Over unthrottled loopback a plain copy runs at ~1.9 GB/s, as fast as "
        "SHA-256 on one core (1.8 GB/s), so any verified download is hash-bound on 2 cores; "
        "at 100 MB/s, faster than any real link our users have, the verified download keeps "
        "pace with the plain copy."
    ),
    "memory": (
        "**Memory.** Our peak is the int8 weights plus CTranslate2's work buffers; Hugging "
        "Face's is PyTorch itself (about 250 MB before any model) plus float32 weights."
    ),
}


def busy_limit(result: dict[str, Any]) -> float:
    cpus = (result.get("environment") or {}).get("cpu_count") or 2
    return float(cpus) + BUSY_MARGIN


def busy(result: dict[str, Any] | None) -> bool:
    if not result:
        return False
    loads = [result.get("load_average_before"), result.get("load_average_after")]
    # [1, 5, 15]-minute averages, or only the 1-minute one (download.json)
    ones = [load[0] if isinstance(load, list) else load for load in loads if load]
    return any(one > busy_limit(result) for one in ones)


def times(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}×"


def status_text(ok: bool | None) -> str:
    return NA if ok is None else (MET if ok else MISSED)


def targets(results: dict[str, dict[str, Any] | None]) -> tuple[list[list[str]], set[str]]:
    rows: list[list[str]] = []
    missed: set[str] = set()
    tp = results.get("throughput")
    if tp and "models" in tp:
        flag = " ⚠" if busy(tp) else ""
        for model in tp["models"]:
            if "configs" not in model:
                rows.append(["1", f"{model['model']}: throughput", "", model.get("status", ""),
                             NA])
                continue
            for config in model["configs"]:
                where = f"{model['model']}, {config['threads']} thr, beam {config['beam']}"
                ratios = config["ratios"]
                hf = ratios.get("engine-int8 / hf-float32", {}).get("ratio")
                if config["beam"] == 4 and hf is not None:
                    ok = hf >= 4
                    missed |= set() if ok else {"hf_speedup"}
                    like = ratios.get("engine-float32 / hf-float32", {}).get("ratio")
                    rows.append(["1", f"ours (int8) vs HF float32 — {where}", "≥ 4×",
                                 f"{times(hf)} (float32 vs float32: {times(like)}){flag}",
                                 status_text(ok)])
                best = ratios.get("engine-int8 / best raw int8", {}).get("ratio")
                if best is not None:
                    ok = best >= 0.95
                    missed |= set() if ok else {"engine_vs_raw"}
                    one = ratios.get("engine-int8 / ct2-int8", {}).get("ratio")
                    tok = ratios.get("engine-int8 / ct2tok-int8", {}).get("ratio")
                    raw32 = ratios.get("engine-float32 / ct2-float32", {}).get("ratio")
                    rows.append([
                        "1", f"ours vs raw CTranslate2 — {where}", "≥ 0.95×",
                        f"{times(best)} vs the faster raw call (int8: {times(one)} vs one call, "
                        f"{times(tok)} vs CT2's batching; float32 vs one call: "
                        f"{times(raw32)}){flag}",
                        status_text(ok),
                    ])
    lat = results.get("latency")
    if lat and "models" in lat:
        flag = " ⚠" if busy(lat) else ""
        for model in lat["models"]:
            if "configs" not in model:
                rows.append(["2", f"{model['model']}: latency", NA, model.get("status", ""), NA])
            for config in model.get("configs", []):
                ours = config["sides"]["engine-int8"]
                target = model["model"] == "nano" and config["beam"] == 2
                ok = ours["p50_ms"] <= 150 if target else None
                if ok is False:
                    missed.add("latency")
                rows.append([
                    "2", f"{model['model']} one 20-word sentence, {model['threads']} thr, "
                    f"{config['preset']} (beam {config['beam']}): p50 / p95",
                    "p50 ≤ 150 ms" if target else NA,
                    f"{ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} ms{flag}", status_text(ok),
                ])
    mem = results.get("memory")
    if mem and "models" in mem:
        flag = " ⚠" if busy(mem) else ""
        for model in mem["models"]:
            if "workloads" not in model:
                rows.append(["3", f"{model['model']}: memory", NA, model.get("status", ""), NA])
            for workload in model.get("workloads", []):
                ratio = workload.get("peak_ratio_vs_hf", {}).get("engine-int8")
                sides = workload["sides"]
                ok = ratio <= 0.5 if ratio is not None else None
                if ok is False:
                    missed.add("memory")
                hf_peak = sides.get("hf-float32", {}).get("peak_rss_mib")
                rows.append([
                    "3", f"{model['model']} peak RSS, {workload['workload']}: ours (int8) / HF",
                    "≤ 0.5×",
                    f"{times(ratio)} ({sides['engine-int8']['peak_rss_mib']:.0f} / "
                    f"{f'{hf_peak:.0f}' if hf_peak is not None else 'n/a'} MiB)",
                    status_text(ok),
                ])
            first = model.get("workloads", [{}])[0].get("sides", {})
            if "engine-int8" in first:
                hf_load = first.get("hf-float32", {}).get("load_seconds")
                rows.append([
                    "3", f"{model['model']} model load time: ours (int8) / HF", NA,
                    f"{first['engine-int8']['load_seconds']:.2f} s / "
                    f"{hf_load if hf_load is not None else 'n/a'} s{flag}", NA,
                ])
    app = results.get("app")
    if app:
        flag = " ⚠" if busy(app) else ""
        if "start_to_window_seconds" in app:
            rows.append(["4", f"app ({app['model']}): process start → main window shown", NA,
                         f"{app['start_to_window_seconds']['median']:.2f} s{flag}", NA])
            keys = app.get("keystroke_to_translation_ms")
            if keys:
                rows.append([
                    "4", f"app: keystroke → translation shown (p50 / p95; includes the "
                    f"{app.get('debounce_ms')} ms debounce)", NA,
                    f"{keys['p50']:.0f} / {keys['p95']:.0f} ms{flag}", NA,
                ])
        else:
            rows.append(["4", "app: start → window, keystroke → translation", NA,
                         app.get("status", "not run"), NA])
    dl = results.get("download")
    if dl and "ratio" in dl:
        target = dl.get("target_ratio", 0.9)
        flag = " ⚠" if busy(dl) else ""
        scenarios = dl.get("scenarios") or {"loopback": {"ratio": dl["ratio"]}}
        for name, scenario in scenarios.items():
            ok = scenario["ratio"] >= target
            if not ok:
                missed.add("download")
            speed = scenario.get("plain_requests_median_mb_per_s")
            where = f"{name}, plain copy at {speed:.0f} MB/s" if speed else name
            rows.append(["5", f"verified download vs plain streaming copy ({where})",
                         f"≥ {target}×", f"{times(scenario['ratio'])}{flag}",
                         status_text(ok)])
    else:
        rows.append(["5", "downloads", "≥ 0.9×", "not in this results folder "
                     "(benchmarks/download_throughput.py)", NA])
    rows += _trainer_rows(results.get("trainer"), missed)
    return rows, missed


def _trainer_rows(tr: dict[str, Any] | None, missed: set[str]) -> list[list[str]]:
    if not tr or "models" not in tr:
        status = (tr or {}).get("status", "not run")
        return [["6", "trainer: ours vs plain Seq2SeqTrainer", "≥ 1.5×", status, NA]]
    rows: list[list[str]] = []
    flag = " ⚠" if busy(tr) else ""
    if tr.get("gpu"):
        rows.append(["6", "trainer on a GPU: ours vs Seq2SeqTrainer; MFU at 1.3B",
                     "≥ 1.5×; ≥ 35%", tr["gpu"], NA])
    for model in tr["models"]:
        ours, base = model["sides"]["terjman"], model["sides"]["baseline"]
        where = (f"{model['model']} ({model['parameters'] / 1e6:.0f}M), {ours['device']}, "
                 f"{ours['precision']}")
        on_gpu = ours["device"] != "cpu"
        ok = model["speedup"] >= 1.5 if on_gpu else None
        if ok is False:
            missed.add("trainer")
        rows.append([
            "6", f"trainer tokens/s, ours (batch {ours['batch_size']}, length grouping) vs "
            f"Seq2SeqTrainer (batch {base['batch_size']}) — {where}",
            "≥ 1.5×" if on_gpu else NA,
            f"{times(model['speedup'])} ({ours['tokens_per_second']:.0f} vs "
            f"{base['tokens_per_second']:.0f} tokens/s; padding {ours['padding_share']:.0%} vs "
            f"{base['padding_share']:.0%}){flag}", status_text(ok),
        ])
        if ours.get("mfu") is not None:
            big = model["parameters"] > 1e9
            ok = ours["mfu"] >= 0.35 if big else None
            if ok is False:
                missed.add("mfu")
            rows.append(["6", f"trainer MFU — {where}", "≥ 35%" if big else NA,
                         f"{ours['mfu']:.0%} (baseline {base['mfu']:.0%})", status_text(ok)])
        else:
            rows.append(["6", f"trainer model TFLOP/s — {where} (no peak figure, so no MFU)",
                         NA, f"{ours['model_tflops_per_second'] * 1e3:.3g} GFLOP/s (baseline "
                         f"{base['model_tflops_per_second'] * 1e3:.3g})", NA])
    return rows
