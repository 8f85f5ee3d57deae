"""Cold start of the frozen app: process start → main window shown (target ≤ 2 s).

The frozen executable (``packaging/build.py``'s one-folder app) is started ``--runs`` times,
each with a fresh ``TERJMAN_HOME`` (so a first start: settings created, welcome offered) and
``QT_QPA_PLATFORM=offscreen`` (no display is needed, and no window manager's animation is
counted). "Shown" is the moment Qt flushes the main window's first painted frame, read from
Qt's own ``qt.widgets.painting`` debug log on stderr, so the app needs no benchmark hook. One
uncounted warm-up run fills the OS file cache, as after the first start of a session; the
median of the counted runs is the figure. ``python -m terjman_desktop`` from the source tree is
measured the same way, side by side.

Usage::

    python benchmarks/cold_start.py                   # uses dist/terjman-desktop, builds if absent
    python benchmarks/cold_start.py --app PATH/terjman-desktop --runs 9
    python benchmarks/cold_start.py --build           # (re)build into benchmarks/work/frozen

Writes ``benchmarks/results/cold_start.json`` (with the load average: the machine is shared, so
timings are noisy) and prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.common import (  # noqa: E402
    load_average,
    log,
    median,
    rounded,
    work_dir,
    write_result,
)

FROZEN_WORK = work_dir() / "frozen"  # gitignored (benchmarks/work/)
BUILD_DIST = FROZEN_WORK / "dist"
TARGET_SECONDS = 2.0
TIMEOUT_SECONDS = 120.0
SHOWN_RULES = "qt.widgets.painting.info=false;qt.widgets.painting.debug=true"
SHOWN = re.compile(r"Flushing .* of MainWindow\(")


def executable_in(dist: Path) -> Path:
    name = "terjman-desktop-console.exe" if sys.platform == "win32" else "terjman-desktop"
    return dist / "terjman-desktop" / name


def build() -> Path:
    log("building the frozen app (packaging/build.py --bundle-only)")
    subprocess.run([sys.executable, str(REPO / "packaging" / "build.py"), "--bundle-only",
                    "--dist", str(BUILD_DIST), "--work", str(FROZEN_WORK / "build")],
                   cwd=REPO, check=True)
    return executable_in(BUILD_DIST)


def time_to_window(command: list[str]) -> float:
    """Seconds from starting ``command`` to Qt flushing the main window's first frame."""
    with tempfile.TemporaryDirectory(prefix="terjman-cold-") as home:
        env = {**os.environ, "TERJMAN_HOME": home, "QT_QPA_PLATFORM": "offscreen",
               "QT_LOGGING_RULES": SHOWN_RULES}
        shown = threading.Event()
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, errors="replace", env=env, cwd=home)
        elapsed: list[float] = []

        def read() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                if not elapsed and SHOWN.search(line):
                    elapsed.append(time.perf_counter() - started)
                    shown.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            if not shown.wait(TIMEOUT_SECONDS):
                raise SystemExit(
                    f"{command[0]}: no main window within {TIMEOUT_SECONDS:.0f} s (no Qt log "
                    f"line matching {SHOWN.pattern!r}; did it crash, or did Qt reword it?)")
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            reader.join(timeout=15)
            if process.stderr is not None:
                process.stderr.close()
        return elapsed[0]


def series(name: str, command: list[str], runs: int) -> dict[str, Any]:
    load_before = load_average()
    warmup = time_to_window(command)
    seconds = []
    for index in range(runs):
        seconds.append(time_to_window(command))
        log(f"{name} run {index + 1}/{runs}: {seconds[-1]:.3f} s")
    return {
        "command": [Path(command[0]).name, *command[1:]],
        "warmup_seconds": rounded(warmup, 4),
        "seconds": [rounded(value, 4) for value in seconds],
        "median_seconds": rounded(median(seconds), 4),
        "min_seconds": rounded(min(seconds), 4),
        "max_seconds": rounded(max(seconds), 4),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }


def bundle_bytes(app: Path) -> int:
    return sum(entry.lstat().st_size for entry in app.parent.rglob("*")
               if entry.is_file() and not entry.is_symlink())


def pyinstaller_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("pyinstaller")
    except Exception:  # not installed: the app was built elsewhere
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--app", type=Path, help="the frozen executable (default: "
                        "dist/terjman-desktop/terjman-desktop, built when absent)")
    parser.add_argument("--build", action="store_true", help="build a fresh app first")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-source", action="store_true",
                        help="skip the `python -m terjman_desktop` comparison")
    args = parser.parse_args()

    default = executable_in(REPO / "dist")  # where `python packaging/build.py` puts it
    app = args.app or (default if default.exists() else executable_in(BUILD_DIST))
    if args.build or not app.exists():
        app = build()
    app = app.resolve()
    log(f"frozen app: {app}")

    scenarios = {"frozen": series("frozen", [str(app)], args.runs)}
    if not args.no_source:
        scenarios["source"] = series("source", [sys.executable, "-m", "terjman_desktop"],
                                     args.runs)
    frozen = scenarios["frozen"]["median_seconds"]
    result = {
        "what": "process start -> main window's first frame flushed (Qt offscreen, fresh home)",
        "runs": args.runs,
        "frozen_median_seconds": frozen,
        "target_seconds": TARGET_SECONDS,
        "meets_target": frozen <= TARGET_SECONDS,
        "load_average_before": scenarios["frozen"]["load_average_before"],
        "bundle_bytes": bundle_bytes(app),
        "pyinstaller": pyinstaller_version(),
        "scenarios": scenarios,
    }
    path = write_result("cold_start", result)

    print("\n| start | median s | min s | max s | warm-up s | load before → after |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, row in scenarios.items():
        print(f"| {name} | {row['median_seconds']} | {row['min_seconds']} | "
              f"{row['max_seconds']} | {row['warmup_seconds']} | "
              f"{row['load_average_before']} → {row['load_average_after']} |")
    print(f"\nfrozen median {frozen} s (target ≤ {TARGET_SECONDS} s); "
          f"bundle {result['bundle_bytes'] / 1e6:.0f} MB; written to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
