"""The speed section of ``results/README.md`` (issue 14): before and after, side by side.

Read from ``speed.json`` (``python -m benchmarks.run --only speed``); every "after" figure
was measured in the same run as its "before", interleaved (``benchmarks/speed.py``).
"""

from __future__ import annotations

from typing import Any

from benchmarks.report_targets import MET, MISSED, NA, marks

Result = dict[str, Any]

# Issue 14's targets.
TYPING_TARGET_MS = 150.0  # Nano, one 20-word sentence, 2 threads, the typing path
KEYSTROKE_TARGET_MS = 400.0  # keystroke → translation shown in the real GUI, pause included
ULTRA_SPEEDUP_TARGET = 1.5  # Ultra, one sentence, same beam
HF_TARGET = 6.0  # Nano and Large throughput at beam 4, 1 and 2 threads
RAW_TARGET = 0.95  # engine end to end vs raw CTranslate2, the map on both sides

BEFORE, AFTER, RAW = "engine-int8", "engine-int8+vmap", "ct2-int8+vmap"
MAP_GAIN = "map speed-up (engine without / with the map)"
RAW_RATIO = "ours vs raw CTranslate2, both with the map (raw time / our time)"


def _status(ok: bool | None) -> str:
    return NA if ok is None else (MET if ok else MISSED)


def _p(side: Result) -> str:
    return f"{side['p50_ms']:.0f} / {side['p95_ms']:.0f} ms"


def _latency_rows(speed: Result, flag: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for model in speed.get("latency", []):
        configs = {c["beam"]: c for c in model.get("configs", [])}
        arch = model["model"]
        typing, balanced = configs.get(1), configs.get(2)
        if typing and balanced:
            after = typing["sides"][AFTER]
            target = arch == "nano"
            rows.append([
                f"{arch}: one 20-word sentence, 2 thr — before: the app's default (beam 2, no "
                "map) → after: the typing path (beam 1 + map), p50 / p95",
                f"p50 ≤ {TYPING_TARGET_MS:.0f} ms" if target else NA,
                _p(balanced["sides"][BEFORE]), _p(after),
                f"{balanced['sides'][BEFORE]['p50_ms'] / after['p50_ms']:.2f}×",
                _status(after["p50_ms"] <= TYPING_TARGET_MS) if target else NA,
            ])
        for beam, config in sorted(configs.items(), reverse=True):
            speedup = config["ratios"][MAP_GAIN]
            target = arch == "ultra"
            rows.append([
                f"{arch}: one sentence, 2 thr, beam {beam} — without → with the map, p50 / p95",
                f"≥ {ULTRA_SPEEDUP_TARGET}×" if target else NA,
                _p(config["sides"][BEFORE]), _p(config["sides"][AFTER]),
                f"{speedup:.2f}×",
                _status(speedup >= ULTRA_SPEEDUP_TARGET) if target else NA,
            ])
            raw = config["ratios"][RAW_RATIO]
            rows.append([
                f"{arch}: one sentence, beam {beam}, ours vs raw CTranslate2, both with the "
                "map (p50 / p95 of raw)", f"≥ {RAW_TARGET}×", NA, _p(config["sides"][RAW]),
                f"{raw:.2f}×", _status(raw >= RAW_TARGET),
            ])
    return [[*row[:4], row[4] + flag, row[5]] for row in rows]


def _throughput_rows(speed: Result, flag: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for model in speed.get("throughput", []):
        for config in model.get("configs", []):
            sides, ratios = config["sides"], config["ratios"]
            if "hf-float32" not in sides:
                continue
            hf = sides["hf-float32"]["tokens_per_second"]
            before = ratios.get("engine-int8 / hf-float32", {}).get("ratio")
            after = ratios.get("engine-int8+vmap / hf-float32", {}).get("ratio")
            raw = ratios.get("engine-int8+vmap / ct2-int8+vmap", {}).get("ratio")
            where = f"{model['model']}, {config['threads']} thr, beam {config['beam']}"
            if after is not None and before is not None:
                rows.append([
                    f"{where}: throughput vs Hugging Face float32 ({hf:.0f} tokens/s), ours "
                    f"int8 without → with the map ({sides[BEFORE]['tokens_per_second']:.0f} → "
                    f"{sides[AFTER]['tokens_per_second']:.0f} tokens/s)",
                    f"≥ {HF_TARGET:.0f}×", f"{before:.2f}×", f"{after:.2f}×" + flag,
                    f"{after / before:.2f}×", _status(after >= HF_TARGET),
                ])
            if raw is not None:
                rows.append([f"{where}: ours vs raw CTranslate2, both with the map",
                             f"≥ {RAW_TARGET}×", NA, f"{raw:.2f}×" + flag, NA,
                             _status(raw >= RAW_TARGET)])
    return rows


def _threads_rows(speed: Result, flag: str) -> list[list[str]]:
    points = []
    for model in speed.get("threads", []):
        for config in model.get("configs", []):
            side = config["sides"].get(AFTER)
            if side:
                points.append((model["threads"], side))
    if len(points) < 2:
        return []
    points.sort(key=lambda p: p[0])
    (low, slow), (high, fast) = points[0], points[-1]
    return [[
        f"nano typing path (beam 1 + map): {low} → {high} threads, p50 / p95 (default here: "
        f"{speed.get('default_threads')} = physical cores {speed.get('physical_cores')})",
        NA, _p(slow), _p(fast) + flag, f"{slow['p50_ms'] / fast['p50_ms']:.2f}×", NA,
    ]]


def _app_rows(speed: Result) -> list[list[str]]:
    app = speed.get("app") or {}
    before, after = app.get("without the map") or {}, app.get("with the map") or {}
    rows: list[list[str]] = []
    for key, label, target in (
        ("keystroke_to_translation_ms", "keystroke → translation shown (the beam-1 draft)",
         KEYSTROKE_TARGET_MS),
        ("keystroke_to_refined_ms", "keystroke → refined translation shown (chosen quality)",
         None),
    ):
        b, a = before.get(key), after.get(key)
        if not a:
            continue
        rows.append([
            f"app (nano, real GUI offscreen): {label}, p50 / p95, pause included "
            f"({after.get('debounce_ms')} ms)",
            f"p50 ≤ {target:.0f} ms" if target else NA,
            f"{b['p50']:.0f} / {b['p95']:.0f} ms" if b else NA,
            f"{a['p50']:.0f} / {a['p95']:.0f} ms" + marks(speed),
            f"{b['p50'] / a['p50']:.2f}×" if b else NA,
            _status(a["p50"] <= target) if target else NA,
        ])
    return rows


def speed_lines(speed: Result | None) -> list[str]:
    """The section, or nothing when ``speed.json`` is missing."""
    if not speed:
        return []
    flag = marks(speed)
    rows = (_latency_rows(speed, flag) + _threads_rows(speed, flag)
            + _throughput_rows(speed, flag) + _app_rows(speed))
    lines = [
        "## Speed (issue 14): vocabulary maps and the typing path, before → after",
        "",
        "`python -m benchmarks.run --only speed`: every *before* was measured in the same run "
        "as its *after*, interleaved. *Before* is the engine on the int8 package without a "
        "map (the app before issue 14); *after* is the same package with a vocabulary map. "
        f"Map: {speed.get('map', 'n/a')}.",
        "",
        "| figure | target | before | after | gain | status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def vmap_learning_lines(result: Result | None) -> list[str]:
    """How long the on-device map takes to learn (``vmap_learning.json``), or nothing."""
    models = [m for m in (result or {}).get("models", []) if "build_seconds_per_100_rows" in m]
    if not models:
        return []
    lines = [
        "### Learning a vocabulary map on the device (after a Hub install)",
        "",
        "`python -m benchmarks.run --only vmap_learning`: the builder's translations of the "
        "build rows (beams 1, 2, 5; map off) and the held-out check (greedy, one sentence per "
        "call, twice), fixed output length, scaled to the rows the bundled catalog asks for. "
        "A one-time cost, in the background; the model translates meanwhile.",
        "",
        "| model | threads | build s / 100 rows | check s / 100 rows | catalog rows + held out "
        "| estimated minutes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {m['model']} | {m['threads']} | {m['build_seconds_per_100_rows']} | "
        f"{m['check_seconds_per_100_rows']} | {m['catalog_rows']} + {m['catalog_held_out']} | "
        f"{m['estimated_minutes_for_catalog']} |"
        for m in models
    ]
    return [*lines, ""]
