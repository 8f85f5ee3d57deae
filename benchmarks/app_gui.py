"""Figure 4: the desktop app, offscreen: start to main window, keystroke to translation.

Each run is a fresh process of the real app (``terjman_desktop.app.main``) with
``QT_QPA_PLATFORM=offscreen`` and a ``TERJMAN_HOME`` holding only the Nano benchmark package
(int8, the app's default) and settings that select it with the benchmark's thread count.
``benchmarks/app_driver.py`` does the watching from inside the app's event loop. When the
GUI is not there (``terjman_desktop.gui`` or ``terjman_desktop.app`` missing) the figure is
skipped with a note.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Sequence
from typing import Any

from benchmarks.common import log, median, percentile
from benchmarks.models import BuiltModel
from benchmarks.processes import run_module, worker_env

DRIVER = "benchmarks.app_driver"


def gui_missing() -> str | None:
    """Why the app benchmark cannot run, or None."""
    for module in ("PySide6.QtWidgets", "PySide6.QtTest", "terjman_desktop.app",
                   "terjman_desktop.gui.main_window"):
        try:
            if importlib.util.find_spec(module) is None:
                return f"not run: {module} is missing"
        except ModuleNotFoundError:
            return f"not run: {module} is missing"
    return None


def measure(
    model: BuiltModel,
    sentences: Sequence[str],
    *,
    threads: int = 2,
    length: int = 32,
    runs: int = 3,
    timeout: float = 300,
) -> dict[str, Any]:
    missing = gui_missing()
    if missing:
        log(f"app: {missing}")
        return {"status": missing}
    starts: list[float] = []
    first: list[float] = []
    keystrokes: list[float] = []
    refined: list[float] = []
    problems: list[str] = []
    debounce = None
    with tempfile.TemporaryDirectory(prefix="terjman-bench-app-") as home:
        env = worker_env(threads)
        env.update({"TERJMAN_HOME": home, "QT_QPA_PLATFORM": "offscreen"})
        spec: dict[str, Any] = {"package": str(model.packages["int8"]), "threads": threads,
                                "length": length, "sentences": list(sentences),
                                "timeout": timeout / 2}
        run_module(DRIVER, "setup", spec, name="app-setup", env=env, timeout=timeout)
        for run in range(runs):
            report = run_module(DRIVER, "run", spec, name=f"app-run-{run}", env=env,
                                timeout=timeout)
            if report.get("problem"):
                problems.append(str(report["problem"]))
            if "window_shown_at" in report:
                starts.append(report["window_shown_at"] - report["process_started_at"])
            times = report.get("keystroke_seconds", [])
            if times:
                first.append(times[0])
                keystrokes += times[1:]
            refined += report.get("refined_seconds", [])[1:]
            debounce = report.get("debounce_ms", debounce)
            log(f"app run {run + 1}/{runs}: window after "
                f"{starts[-1] if starts else float('nan'):.2f} s, keystrokes "
                + ", ".join(f"{1000 * t:.0f}" for t in times) + " ms"
                + (f" ({report['problem']})" if report.get("problem") else ""))
    result: dict[str, Any] = {
        "status": "ok" if starts and keystrokes and not problems else "incomplete",
        "model": model.arch,
        "quantization": "int8",
        "threads": threads,
        "runs": runs,
        "debounce_ms": debounce,
        "output_tokens": length,
        "problems": problems,
    }
    if starts:
        result["start_to_window_seconds"] = {
            "median": round(median(starts), 3), "runs": [round(s, 3) for s in starts]}
    if first:
        result["first_translation_seconds"] = {
            "median": round(median(first), 3), "runs": [round(s, 3) for s in first],
            "what": "first keystroke-to-translation of a run: includes loading the model"}
    if keystrokes:
        result["keystroke_to_translation_ms"] = {
            "p50": round(1000 * median(keystrokes), 1),
            "p95": round(1000 * percentile(keystrokes, 95), 1),
            "samples": len(keystrokes),
            "what": "model loaded; the first translation shown (while typing, the beam-1 "
                    "draft); includes the as-you-type pause",
        }
        if debounce is not None:
            result["keystroke_to_translation_ms"]["p50_minus_debounce"] = round(
                1000 * median(keystrokes) - float(debounce), 1)
    if refined:
        result["keystroke_to_refined_ms"] = {
            "p50": round(1000 * median(refined), 1),
            "p95": round(1000 * percentile(refined, 95), 1),
            "samples": len(refined),
            "what": "model loaded; the translation with the chosen quality shown (the "
                    "draft's refine once typing pauses)",
        }
    return result


def app_sentences(count: int) -> list[str]:
    """Distinct realistic sentences of 12 to 20 words (no cache can answer them)."""
    from benchmarks.common import single_sentences

    pool = [s for s in single_sentences() if 12 <= len(s.split()) <= 20]
    if len(pool) < count:
        pool = single_sentences()
    return pool[:count]

