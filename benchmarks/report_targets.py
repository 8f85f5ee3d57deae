"""The targets of issue 7 as table rows, where each figure comes from, and why a target is missed.

Used by :mod:`benchmarks.report`. Every row is ``[figure number, what, target, measured,
status]``. Every number in a row or an explanation is read or computed here from the results
JSON (or from the model architectures the benchmarks build): nothing is quoted from memory,
so a re-run can never leave stale prose behind. An explanation whose inputs are missing from
the results is left out.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

Result = dict[str, Any]
Results = dict[str, Result | None]

REPO = Path(__file__).resolve().parents[1]

# The benchmark itself keeps up to one CPU busy per thread it uses (2 at most), so the 1-minute
# load average only says "something else was running" once it exceeds the CPU count; timings
# taken then are flagged as noisy.
BUSY_MARGIN = 0.5
MET, MISSED, NA = "✅ met", "❌ not met", "—"

# Figures measured before this commit time an engine that asked CTranslate2 for scores it
# never read (a log-softmax over the vocabulary at every greedy step): they need re-running.
STALE_BEFORE = "c741b4e"
STALE_WHY = "the engine asks CTranslate2 for scores only when they are read"
STALE_MARK = " (stale)"

# Targets (issue 7 and the packaging issue); measured values always come from the JSON.
HF_TARGET, RAW_TARGET, LATENCY_TARGET_MS, PEAK_TARGET = 4.0, 0.95, 150.0, 0.5
LATENCY_MODEL = "nano"  # the latency target is for Nano
BUNDLE_TARGET_MB = 270  # tests/packaging/test_frozen_app.py SIZE_LIMIT_BYTES (with the converter)
TRAINER_TARGET, MFU_TARGET = 1.5, 0.35
TRAINER_SIDE_LABELS = {"terjman": "ours (trainer.train)", "baseline": "plain Seq2SeqTrainer",
                       "baseline-equal-batch": "plain Seq2SeqTrainer, ours' batch"}


# ----------------------------------------------------------------------------- small helpers


def busy_limit(result: Result) -> float:
    cpus = (result.get("environment") or {}).get("cpu_count") or 2
    return float(cpus) + BUSY_MARGIN


def busy(result: Result | None) -> bool:
    if not result:
        return False
    loads = [result.get("load_average_before"), result.get("load_average_after")]
    # [1, 5, 15]-minute averages, or only the 1-minute one (older download.json)
    ones = [load[0] if isinstance(load, list) else load for load in loads if load]
    return any(one > busy_limit(result) for one in ones)


def times(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}×"


def span(values: Iterable[float], digits: int = 2) -> str:
    """``a–b×`` (or ``a×`` when all equal): the range a statement is about."""
    ordered = sorted(values)
    low, high = f"{ordered[0]:.{digits}f}", f"{ordered[-1]:.{digits}f}"
    return f"{low}×" if low == high else f"{low}–{high}×"


def status_text(ok: bool | None) -> str:
    return NA if ok is None else (MET if ok else MISSED)


def ratio(config: Result, name: str) -> float | None:
    value = config.get("ratios", {}).get(name, {}).get("ratio")
    return None if value is None else float(value)


def per_run_speeds(side: Result) -> list[float]:
    """Tokens/s of each run of one throughput side (the JSON keeps the per-run seconds)."""
    return [side["tokens"] / s for s in side.get("seconds", []) if s]


# ----------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Provenance:
    """The commit a figure was measured at, and whether it predates :data:`STALE_BEFORE`."""

    commit: str | None  # None: the results file does not record it
    dirty: bool | None
    stale: bool | None  # None: git cannot tell (unknown commit, no repository)

    @property
    def needs_rerun(self) -> bool:
        return self.stale is not False


def measured_at(result: Result) -> tuple[str | None, bool | None]:
    """``(commit, dirty)`` from a result: ``git_commit``/``git_dirty``, or the older
    ``git`` string (``"a6fd453"`` or ``"a6fd453+dirty"``)."""
    env = result.get("environment") or {}
    if env.get("git_commit"):
        return str(env["git_commit"]), env.get("git_dirty")
    short = env.get("git")
    if not short:
        return None, None
    commit, _, dirty = str(short).partition("+")
    return commit, dirty == "dirty"


@cache
def descends_from(ancestor: str, commit: str) -> bool | None:
    """Whether ``commit`` contains ``ancestor`` (git); None when git cannot tell."""
    try:
        done = subprocess.run(["git", "merge-base", "--is-ancestor", ancestor, commit],
                              cwd=REPO, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: True, 1: False}.get(done.returncode)  # other codes: an unknown commit


def provenance(result: Result) -> Provenance:
    commit, dirty = measured_at(result)
    if commit is None:
        return Provenance(None, None, None)
    after = descends_from(STALE_BEFORE, commit)
    return Provenance(commit, dirty, None if after is None else not after)


def marks(result: Result | None) -> str:
    """What a measured value carries: ⚠ for a busy machine, (stale) for a figure to re-run."""
    if not result:
        return ""
    return (" ⚠" if busy(result) else "") + (STALE_MARK if provenance(result).needs_rerun
                                              else "")


def provenance_lines(results: Results) -> list[str]:
    """A table of every results file: commit, tree, machine, when, and what to re-run."""
    rows = []
    for name, result in results.items():
        if not result:
            continue
        where = provenance(result)
        env = result.get("environment") or {}
        if where.commit is None:
            note = "commit not recorded: re-run"
        elif where.stale is None:
            note = f"git cannot tell whether it includes {STALE_BEFORE}: re-run"
        elif where.stale:
            note = f"stale: measured before {STALE_BEFORE} ({STALE_WHY}): re-run"
        else:
            note = "current"
        tree = "n/a" if where.dirty is None else ("dirty" if where.dirty else "clean")
        machine = f"{env['cpu']}, {env['cpu_count']} CPUs" if "cpu" in env else "n/a"
        rows.append(f"| {name} | `{name}.json` | {(where.commit or 'n/a')[:7]} | {tree} | "
                    f"{machine} | {result.get('finished', 'n/a')} | {note} |")
    if not rows:
        return []
    return ["## Where each figure comes from", "",
            "| figure | file | commit | tree | machine | finished | note |",
            "| --- | --- | --- | --- | --- | --- | --- |", *rows, ""]


def stale_note(results: Results) -> list[str]:
    names = [n for n, r in results.items() if r is not None and provenance(r).needs_rerun]
    if not names:
        return []
    return [f"> ⟲ **To re-run**: {', '.join(names)} were measured before {STALE_BEFORE} "
            f"({STALE_WHY}) or at an unrecorded commit; their values are marked (stale). "
            "See *Where each figure comes from* below.", ""]


# ----------------------------------------------------------------------------- target rows


def targets(results: Results) -> tuple[list[list[str]], set[str]]:
    """The targets table and the keys of the targets that are missed."""
    rows: list[list[str]] = []
    missed: set[str] = set()
    for build in (_throughput_rows, _latency_rows, _memory_rows, _app_rows, _download_rows,
                  _trainer_rows):
        rows += build(results, missed)
    return rows, missed


def _throughput_rows(results: Results, missed: set[str]) -> list[list[str]]:
    tp = results.get("throughput")
    if not tp or "models" not in tp:
        return []
    flag, rows = marks(tp), []
    for model in tp["models"]:
        if "configs" not in model:
            rows.append(["1", f"{model['model']}: throughput", "", model.get("status", ""), NA])
            continue
        for config in model["configs"]:
            where = f"{model['model']}, {config['threads']} thr, beam {config['beam']}"
            hf = ratio(config, "engine-int8 / hf-float32")
            if config["beam"] == 4 and hf is not None:
                ok = hf >= HF_TARGET
                missed |= set() if ok else {"hf_speedup"}
                rows.append(["1", f"ours (int8) vs HF float32 — {where}", f"≥ {HF_TARGET:g}×",
                             f"{times(hf)} (float32 vs float32: {_like_for_like(config)}){flag}",
                             status_text(ok)])
            best = ratio(config, "engine-int8 / best raw int8")
            if best is not None:
                ok = best >= RAW_TARGET
                missed |= set() if ok else {"engine_vs_raw"}
                rows.append([
                    "1", f"ours vs raw CTranslate2 — {where}", f"≥ {RAW_TARGET}×",
                    f"{times(best)} vs the faster raw call (int8: "
                    f"{times(ratio(config, 'engine-int8 / ct2-int8'))} vs one call, "
                    f"{times(ratio(config, 'engine-int8 / ct2tok-int8'))} vs CT2's batching; "
                    f"float32 vs one call: {times(ratio(config, 'engine-float32 / ct2-float32'))}"
                    f"){flag}", status_text(ok),
                ])
    return rows


def _like_for_like(config: Result) -> str:
    if "engine-float32" not in config["sides"]:
        return "not measured, int8 package only at this size"
    return times(ratio(config, "engine-float32 / hf-float32"))


def _latency_rows(results: Results, missed: set[str]) -> list[list[str]]:
    lat = results.get("latency")
    if not lat or "models" not in lat:
        return []
    flag, rows = marks(lat), []
    for model in lat["models"]:
        if "configs" not in model:
            rows.append(["2", f"{model['model']}: latency", NA, model.get("status", ""), NA])
        for config in model.get("configs", []):
            ours = config["sides"]["engine-int8"]
            target = model["model"] == LATENCY_MODEL and config["beam"] == 2
            ok = ours["p50_ms"] <= LATENCY_TARGET_MS if target else None
            if ok is False:
                missed.add("latency")
            rows.append([
                "2", f"{model['model']} one {model['words']}-word sentence, {model['threads']} "
                f"thr, {config['preset']} (beam {config['beam']}): p50 / p95",
                f"p50 ≤ {LATENCY_TARGET_MS:.0f} ms" if target else NA,
                f"{ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} ms{flag}", status_text(ok),
            ])
    return rows


def _memory_rows(results: Results, missed: set[str]) -> list[list[str]]:
    mem = results.get("memory")
    if not mem or "models" not in mem:
        return []
    flag, rows = marks(mem), []
    for model in mem["models"]:
        if "workloads" not in model:
            rows.append(["3", f"{model['model']}: memory", NA, model.get("status", ""), NA])
        for workload in model.get("workloads", []):
            peak = workload.get("peak_ratio_vs_hf", {}).get("engine-int8")
            sides = workload["sides"]
            ok = peak <= PEAK_TARGET if peak is not None else None
            if ok is False:
                missed.add("memory")
            hf_peak = sides.get("hf-float32", {}).get("peak_rss_mib")
            rows.append([
                "3", f"{model['model']} peak RSS, {workload['workload']}: ours (int8) / HF",
                f"≤ {PEAK_TARGET}×",
                f"{times(peak)} ({sides['engine-int8']['peak_rss_mib']:.0f} / "
                f"{f'{hf_peak:.0f}' if hf_peak is not None else 'n/a'} MiB){flag}",
                status_text(ok),
            ])
        first = model.get("workloads", [{}])[0].get("sides", {})
        if "engine-int8" in first:
            hf_load = first.get("hf-float32", {}).get("load_seconds")
            rows.append([
                "3", f"{model['model']} model load time: ours (int8) / HF", NA,
                f"{first['engine-int8']['load_seconds']:.2f} s / "
                f"{f'{hf_load:.2f}' if hf_load is not None else 'n/a'} s{flag}", NA,
            ])
    return rows


def _app_rows(results: Results, missed: set[str]) -> list[list[str]]:
    rows: list[list[str]] = []
    app = results.get("app")
    if app:
        flag = marks(app)
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
    return rows + _frozen_rows(results.get("cold_start"), missed)


def _frozen_rows(cold: Result | None, missed: set[str]) -> list[list[str]]:
    """The frozen app (``benchmarks/cold_start.py``): start → first frame, bundle size."""
    if not cold or "frozen_median_seconds" not in cold:
        return []
    flag = marks(cold)
    seconds, target = cold["frozen_median_seconds"], cold.get("target_seconds")
    ok = seconds <= target if target is not None else None
    size = cold.get("bundle_bytes")
    small = size / 1e6 <= BUNDLE_TARGET_MB if size else None
    if ok is False or small is False:
        missed.add("frozen")
    rows = [["4", "frozen app (PyInstaller): process start → main window painted",
             f"≤ {target:g} s" if target is not None else NA, f"{seconds:.2f} s{flag}",
             status_text(ok)]]
    if size:
        rows.append(["4", "frozen app (PyInstaller): bundle size", f"≤ {BUNDLE_TARGET_MB} MB",
                     f"{size / 1e6:.0f} MB{flag}", status_text(small)])
    return rows


def _download_rows(results: Results, missed: set[str]) -> list[list[str]]:
    """One row per scenario, side by side: the capped server and unthrottled loopback."""
    dl = results.get("download")
    if not dl or "ratio" not in dl:
        return [["5", "downloads", "≥ 0.9×", "not in this results folder "
                 "(benchmarks/download_throughput.py)", NA]]
    target, flag, rows = dl.get("target_ratio", 0.9), marks(dl), []
    scenarios = dl.get("scenarios") or {"loopback": {"ratio": dl["ratio"]}}
    for name, scenario in scenarios.items():
        ok = scenario["ratio"] >= target
        if not ok:
            missed.add("download")
        speed = scenario.get("plain_requests_median_mb_per_s")
        label = download_label(name, scenario)
        where = f"{label}, plain copy at {speed:.0f} MB/s" if speed else label
        rows.append(["5", f"verified download vs plain streaming copy ({where})",
                     f"≥ {target}×", f"{times(scenario['ratio'])}{flag}", status_text(ok)])
    return rows


def download_label(name: str, scenario: Result) -> str:
    """What a download scenario is: loopback, or the server's cap from its arguments."""
    args = [str(a) for a in scenario.get("server_args") or []]
    if not args:
        return "unthrottled loopback" if name == "loopback" else name
    try:  # the test server's pacing: --chunk BYTES --delay SECONDS between chunks
        cap = float(args[args.index("--chunk") + 1]) / float(args[args.index("--delay") + 1])
    except (ValueError, IndexError, ZeroDivisionError):
        return name
    return f"server capped at {cap / 1e6:.0f} MB/s"


def _trainer_rows(results: Results, missed: set[str]) -> list[list[str]]:
    tr = results.get("trainer")
    if not tr or "models" not in tr:
        status = (tr or {}).get("status", "not run")
        return [["6", "trainer: ours vs plain Seq2SeqTrainer", f"≥ {TRAINER_TARGET}×", status,
                 NA]]
    rows: list[list[str]] = []
    if tr.get("gpu"):
        rows.append(["6", "trainer on a GPU: ours vs Seq2SeqTrainer; MFU at 1.3B",
                     f"≥ {TRAINER_TARGET}×; ≥ {MFU_TARGET:.0%}", tr["gpu"], NA])
    for model in tr["models"]:
        rows += _trainer_model_rows(model, marks(tr), missed)
    return rows


def _trainer_model_rows(model: Result, flag: str, missed: set[str]) -> list[list[str]]:
    ours, base = model["sides"]["terjman"], model["sides"]["baseline"]
    where = (f"{model['model']} ({model['parameters'] / 1e6:.0f}M), {ours['device']}, "
             f"{ours['precision']}")
    on_gpu = ours["device"] != "cpu"
    ok = model["speedup"] >= TRAINER_TARGET if on_gpu else None
    if ok is False:
        missed.add("trainer")
    rows = [[
        "6", f"trainer tokens/s, ours (batch {ours['batch_size']}, length grouping) vs "
        f"Seq2SeqTrainer (batch {base['batch_size']}) — {where}",
        f"≥ {TRAINER_TARGET}×" if on_gpu else NA,
        f"{times(model['speedup'])} ({ours['tokens_per_second']:.0f} vs "
        f"{base['tokens_per_second']:.0f} tokens/s; padding {ours['padding_share']:.0%} vs "
        f"{base['padding_share']:.0%}); {_equal_batch(model)}{flag}", status_text(ok),
    ]]
    if ours.get("mfu") is not None:
        big = model["parameters"] > 1e9
        ok = ours["mfu"] >= MFU_TARGET if big else None
        if ok is False:
            missed.add("mfu")
        rows.append(["6", f"trainer MFU — {where}", f"≥ {MFU_TARGET:.0%}" if big else NA,
                     f"{ours['mfu']:.0%} (baseline {base['mfu']:.0%}){flag}", status_text(ok)])
    else:
        rows.append(["6", f"trainer model TFLOP/s — {where} (no peak figure, so no MFU)",
                     NA, f"{ours['model_tflops_per_second'] * 1e3:.3g} GFLOP/s (baseline "
                     f"{base['model_tflops_per_second'] * 1e3:.3g}){flag}", NA])
    return rows


def _equal_batch(model: Result) -> str:
    """The like-for-like companion of the batch-4 headline: both at ours' batch size."""
    equal = model["sides"].get("baseline-equal-batch")
    if equal is None or model.get("speedup_equal_batch") is None:
        return "at equal batch: not measured in this run"
    return (f"at equal batch {equal['batch_size']}: {times(model['speedup_equal_batch'])} "
            f"(vs {equal['tokens_per_second']:.0f} tokens/s)")


# ----------------------------------------------------------------------------- explanations


def explanations(results: Results, missed: set[str]) -> list[str]:
    """Why each missed target is missed, as paragraphs filled from the results.

    A paragraph whose inputs are not in the results is left out rather than guessed.
    """
    # In the order of the figures, not of the keys.
    paragraphs = [_filled(explain, results) for key, explain in EXPLAINERS.items()
                  if key in missed]
    return [text for text in paragraphs if text]


def _filled(explain: Callable[[Results], str | None], results: Results) -> str | None:
    """One explanation, or None when a value it needs is absent from (older) results."""
    try:
        return explain(results)
    except (KeyError, IndexError, TypeError, ZeroDivisionError, StopIteration):
        return None


def _beam_configs(tp: Result, name: str) -> list[tuple[str, Result]]:
    return [(model["model"], config) for model in tp.get("models", [])
            for config in model.get("configs", []) if ratio(config, name) is not None]


def _spread_sentence(tp: Result) -> str | None:
    """Run-to-run spread of the same side and batch, from the per-run times in the JSON."""
    spreads = []  # (max/min - 1, model, config, side, low, high)
    for model in tp.get("models", []):
        for config in model.get("configs", []):
            for side, values in config["sides"].items():
                speeds = per_run_speeds(values)
                if len(speeds) >= 2:
                    spreads.append((max(speeds) / min(speeds) - 1, model["model"], config,
                                    side, min(speeds), max(speeds)))
    raw = [s for s in spreads if s[3].startswith("ct2")]
    if not raw:
        return None
    worst = max(raw, key=lambda s: s[0])
    middle = sorted(s[0] for s in spreads)[len(spreads) // 2]
    return (f"Noise: between runs the same side on the same batch varied by {middle:.0%} "
            f"(the median over sides) and raw CTranslate2 alone by up to {worst[0]:.0%} "
            f"({worst[4]:.0f} to {worst[5]:.0f} tokens/s: {worst[3]}, {worst[1]}, "
            f"{worst[2]['threads']} thr, beam {worst[2]['beam']}), so with "
            f"{tp['models'][0].get('runs', '?')} runs a ratio a few percent under 1 is "
            "within noise.")


def _single_call_sentence(tp: Result) -> str | None:
    """The misses where the engine made one call, the same call as raw CTranslate2."""
    misses = [(name, c) for name, c in _beam_configs(tp, "engine-int8 / best raw int8")
              if (ratio(c, "engine-int8 / best raw int8") or 0) < RAW_TARGET]
    single = [f"{name} {c['threads']} thr beam {c['beam']}: "
              f"{times(ratio(c, 'engine-int8 / best raw int8'))}" for name, c in misses
              if c["sides"].get("engine-int8", {}).get("ct2_calls_per_batch") == 1]
    if not single:
        return None
    return (f"{len(single)} of the {len(misses)} misses are where the engine made a single "
            f"`translate_batch` call, the very call raw CTranslate2 makes ({'; '.join(single)}).")


def _chunking_sentence(tp: Result) -> str | None:
    """Ours vs one raw call where the engine cut the batch into several calls."""
    groups: dict[tuple[str, int, int], dict[str, list[float]]] = {}
    for name, config in _beam_configs(tp, "engine-int8 / ct2-int8"):
        calls = config["sides"]["engine-int8"].get("ct2_calls_per_batch") or 1
        if calls > 1:
            group = groups.setdefault((name, config["beam"], calls), {"int8": [], "float32": []})
            group["int8"].append(ratio(config, "engine-int8 / ct2-int8") or 0)
            f32 = ratio(config, "engine-float32 / ct2-float32")
            if f32 is not None:
                group["float32"].append(f32)
    if not groups:
        return None
    parts = [f"{name} beam {beam} ({calls} calls): int8 {span(r['int8'])}"
             + (f", float32 {span(r['float32'])}" if r["float32"] else "")
             for (name, beam, calls), r in sorted(groups.items())]
    return ("Chunking: the engine cuts a batch by its token budget (`max_batch_tokens / "
            "beam` padded source tokens per call) where one raw call takes the whole batch; "
            f"ours vs one raw call where it made several calls: {'; '.join(parts)}.")


def _scores_sentence(results: Results) -> str | None:
    tp = results.get("throughput")
    if not tp or provenance(tp).stale is not True:
        return None
    return (f"Scores: this throughput run predates {STALE_BEFORE}, after which {STALE_WHY} "
            "(before, a log-softmax over the vocabulary at every greedy step): it needs "
            "re-running.")


def _sweep_sentence(results: Results) -> str | None:
    """The batch sweep's engine at the default budget against one raw call."""
    sweep = results.get("batching")
    if not sweep or not sweep.get("configs"):
        return None
    from terjman_desktop.core.translate.options import TranslationOptions

    budget = TranslationOptions().max_batch_tokens
    parts = []
    for config in sweep["configs"]:
        name = f"engine, chunks of {budget // config['beam']} tokens"
        if name in config["candidates"]:
            parts.append(f"{config['candidates'][name]['ratio_to_one_raw_call']:.2f}× on "
                         f"{config['threads']} thr at beam {config['beam']}")
    if not parts:
        return None
    commit = (provenance(sweep).commit or "an unrecorded commit")[:7]
    return (f"`python -m benchmarks.batch_sweep` (measured at {commit}{marks(sweep)}, "
            f"{sweep['runs']} runs; the Batch sizes section below) puts the engine at its "
            f"default budget against one raw call: {', '.join(parts)}.")


def explain_engine_vs_raw(results: Results) -> str | None:
    tp = results.get("throughput")
    if not tp or not _beam_configs(tp, "engine-int8 / best raw int8"):
        return None
    sentences = [_spread_sentence(tp), _single_call_sentence(tp), _chunking_sentence(tp),
                 _scores_sentence(results), _sweep_sentence(results)]
    body = " ".join(s for s in sentences if s)
    return f"**Ours vs raw CTranslate2.** {body}" if body else None


def explain_hf_speedup(results: Results) -> str | None:
    tp = results.get("throughput")
    if not tp:
        return None
    beam4 = [(n, c) for n, c in _beam_configs(tp, "engine-int8 / hf-float32") if c["beam"] == 4]
    if not beam4:
        return None
    int8 = [ratio(c, "engine-int8 / hf-float32") or 0 for _, c in beam4]
    pairs = [(ratio(c, "engine-int8 / hf-float32") or 0, r) for _, c in beam4
             if (r := ratio(c, "engine-float32 / hf-float32")) is not None]
    text = f"**Against Hugging Face.** At beam 4 ours (int8) is {span(int8)} Hugging Face float32"
    if pairs:
        text += (f"; like for like, our float32 package is {span(r for _, r in pairs)}, so "
                 "int8 (against float32) contributes a factor of "
                 f"{span(a / b for a, b in pairs)} to the headline")
    text += "."
    for name, config in beam4:
        if (ratio(config, "engine-int8 / hf-float32") or 0) < HF_TARGET:
            text += " " + _thread_scaling(tp, name, config)
    return text


def _thread_scaling(tp: Result, name: str, missed: Result) -> str:
    """How each side gains from 1 thread to the missed row's threads (same model, beam)."""
    headline = times(ratio(missed, "engine-int8 / hf-float32"))
    where = f"{name} on {missed['threads']} thr ({headline})"
    model = next(m for m in tp["models"] if m["model"] == name)
    one = next((c for c in model["configs"]
                if c["threads"] == 1 and c["beam"] == missed["beam"]), None)
    if one is None or missed["threads"] == 1:
        return f"The miss is {where}."
    gains = {side: missed["sides"][side]["tokens_per_second"] / one["sides"][side]
             ["tokens_per_second"] for side in ("engine-int8", "engine-float32", "hf-float32")
             if side in missed["sides"] and side in one["sides"]}
    ours = ", ".join(f"{side.split('-')[1]} {gain:.2f}×" for side, gain in gains.items()
                     if side.startswith("engine"))
    theirs = f"; Hugging Face {gains['hf-float32']:.2f}×" if "hf-float32" in gains else ""
    return (f"The miss is {where}: from 1 to {missed['threads']} threads ours gains {ours}"
            f"{theirs}; on 1 thread it is {times(ratio(one, 'engine-int8 / hf-float32'))}.")


def decoder_step_bytes(model: str) -> float | None:
    """Weights one int8 decoding step reads at batch 1: the decoder layers (self-attention,
    cross-attention, feed-forward) and the output projection, one byte each.

    From the architecture the benchmarks build (``trainer.synthetic.ARCHITECTURES``).
    """
    from trainer.synthetic import ARCHITECTURES

    arch = ARCHITECTURES.get(model)
    if arch is None or arch.vocab_size is None:
        return None
    d = arch.d_model
    layers = arch.decoder_layers * (8 * d * d + 2 * d * arch.ffn_dim)
    return float(layers + arch.vocab_size * d)


def explain_latency(results: Results) -> str | None:
    lat = results.get("latency")
    model = next((m for m in (lat or {}).get("models", [])
                  if m["model"] == LATENCY_MODEL and m.get("configs")), None)
    step_bytes = decoder_step_bytes(LATENCY_MODEL)
    if model is None or step_bytes is None:
        return None
    from trainer.synthetic import ARCHITECTURES

    arch = ARCHITECTURES[LATENCY_MODEL]
    fastest = min(model["configs"], key=lambda c: c["beam"])
    p50 = fastest["sides"]["engine-int8"]["p50_ms"]
    per_token = p50 / model["output_tokens"]
    text = (f"**Latency.** One sentence decodes its {model['output_tokens']} tokens one step "
            f"at a time: at beam {fastest['beam']} {LATENCY_MODEL}'s p50 of {p50:.0f} ms is "
            f"{per_token:.1f} ms per generated token (the encoder included). At batch 1 each "
            f"step reads the int8 decoder ({arch.decoder_layers} layers of width {arch.d_model}"
            f", feed-forward {arch.ffn_dim}) and the {arch.vocab_size:,} × {arch.d_model} "
            f"output projection, {step_bytes / 1e6:.0f} MB of weights: "
            f"{step_bytes / per_token / 1e6:.1f} GB/s of weights read, the rate this machine "
            "sustains if, as usual at batch 1, decoding is bound by memory bandwidth (not "
            "measured separately here).")
    gaps = [abs(c["sides"]["engine-int8"]["p50_ms"] - c["sides"]["ct2-int8"]["p50_ms"])
            for c in model["configs"] if "ct2-int8" in c["sides"]]
    if gaps:
        text += (f" Raw CTranslate2's p50 is within {max(gaps):.0f} ms of ours at every "
                 "preset, so the engine adds little of its own.")
    return text


def explain_download(results: Results) -> str | None:
    dl = results.get("download")
    loop = ((dl or {}).get("scenarios") or {}).get("loopback")
    if not dl or not loop or "sha256_mb_per_s" not in dl:
        return None
    plain, ours, sha = (loop["plain_requests_median_mb_per_s"],
                        loop["download_files_median_mb_per_s"], dl["sha256_mb_per_s"])
    text = (f"**Downloads.** A verified download hashes every byte (SHA-256) as it writes. Over "
            f"unthrottled loopback the plain copy runs at {plain:.0f} MB/s and ours at "
            f"{ours:.0f} MB/s ({times(loop['ratio'])}), while SHA-256 runs at {sha:.0f} MB/s "
            "on one core")
    text += (": the plain copy outruns the hash, so there the hash is the limit."
             if plain > sha else ": the hash is faster than the copy, so the cost is elsewhere.")
    for name, scenario in dl["scenarios"].items():
        if name != "loopback":
            text += (f" With the {download_label(name, scenario)} (plain copy at "
                     f"{scenario['plain_requests_median_mb_per_s']:.0f} MB/s) ours is "
                     f"{times(scenario['ratio'])} the plain copy.")
    return text


def explain_memory(results: Results) -> str | None:
    mem = results.get("memory")
    for model in (mem or {}).get("models", []):
        first = (model.get("workloads") or [{}])[0].get("sides", {})
        hf, disk = first.get("hf-float32", {}), model.get("sizes_on_disk_mib", {})
        if "rss_after_import_mib" in hf and "hf-checkpoint" in disk and "package-int8" in disk:
            return (f"**Memory.** Our peak is the int8 weights ({model['model']}: "
                    f"{disk['package-int8']:.0f} MiB on disk) plus CTranslate2's work buffers; "
                    f"Hugging Face's is PyTorch itself ({hf['rss_after_import_mib']:.0f} MiB "
                    "after import, before any model) plus float32 weights "
                    f"({disk['hf-checkpoint']:.0f} MiB on disk).")
    return None


EXPLAINERS: dict[str, Callable[[Results], str | None]] = {
    "hf_speedup": explain_hf_speedup,
    "engine_vs_raw": explain_engine_vs_raw,
    "latency": explain_latency,
    "memory": explain_memory,
    "download": explain_download,
}
