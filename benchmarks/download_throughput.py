"""Download throughput: ``download_files`` against a plain streaming copy of the same URL.

A file of random bytes (256 MB by default) is served by the test suite's HTTP server, run in
a separate process so that server and client do not share a GIL. Each method downloads it
``--runs`` times, interleaved; the median times are compared. ``download_files`` also hashes
(SHA-256), reports progress, checks pause/cancel and can resume, so the question is what
that costs.

Two scenarios:

* ``loopback``: as fast as the machine can move bytes through 127.0.0.1, nothing capping
  either side (target >= 0.9). When loopback is faster than SHA-256 on one core,
  verification becomes the limit; SHA-256 speed on one core is measured too
  (``sha256_mb_per_s``, the median of ``sha256_mb_per_s_runs``) to tell.
* ``paced``: the server sends 1 MiB, then waits 8 ms (at most 131 MB/s, a gigabit-class
  classroom mirror), which caps both sides alike: a realistic upper bound for real
  downloads. The report shows both scenarios side by side, since the paced one alone would
  hide the hashing cost.

Usage::

    python benchmarks/download_throughput.py [--size-mb 256] [--runs 3] [--no-paced]
        [--results-dir DIR]

Writes ``download.json`` (default: ``benchmarks/results/``, with the machine, versions and
git commit like every other figure) and prints a markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.common import RESULTS, load_average, median, write_result  # noqa: E402
from terjman_desktop.core.models.download import CHUNK_SIZE, download_files  # noqa: E402
from terjman_desktop.core.translate.manifest import FileEntry  # noqa: E402

SERVER = REPO / "tests" / "core" / "http_server.py"
NAME = "payload.bin"
PACED = ["--chunk", str(1 << 20), "--delay", "0.008"]


def make_payload(folder: Path, size: int) -> FileEntry:
    digest = hashlib.sha256()
    with open(folder / NAME, "wb") as handle:
        left = size
        while left:
            block = os.urandom(min(left, 8 << 20))
            handle.write(block)
            digest.update(block)
            left -= len(block)
    return FileEntry(NAME, size, digest.hexdigest())


def plain_copy(url: str, target: Path) -> None:
    """The baseline: what a straightforward requests download does, same chunk size."""
    with requests.get(url, stream=True, timeout=(10, 30)) as response:
        response.raise_for_status()
        with open(target, "wb") as handle:
            for chunk in response.iter_content(CHUNK_SIZE):
                handle.write(chunk)


def ours(url_base: str, remote: FileEntry, staging: Path) -> None:
    download_files([remote], [url_base], staging, progress=lambda _report: None)


def timed(action: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process, all threads) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def sha256_speed(size: int = 256 << 20) -> float:
    """This machine's SHA-256 throughput on one core, in MB/s."""
    block = os.urandom(1 << 20)
    digest = hashlib.sha256()
    started = time.perf_counter()
    for _ in range(size >> 20):
        digest.update(block)
    return size / (time.perf_counter() - started) / 1e6


def measure(root: Path, remote: FileEntry, runs: int, server_args: list[str]) -> dict[str, Any]:
    server = subprocess.Popen(
        [sys.executable, str(SERVER), str(root / "served"), *server_args],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base = server.stdout.readline().strip()
        url = f"{base}/{NAME}"
        target, staging = root / "plain.bin", root / "staging"
        plain_runs: list[tuple[float, float]] = []
        our_runs: list[tuple[float, float]] = []
        plain_copy(url, target)  # warm the page cache and the server
        for _ in range(runs):  # interleaved, so drifting load hits both alike
            target.unlink()
            plain_runs.append(timed(lambda: plain_copy(url, target)))
            our_runs.append(timed(lambda: ours(base, remote, staging)))
            shutil.rmtree(staging)
    finally:
        server.terminate()
        server.wait(10)
    plain = statistics.median(wall for wall, _ in plain_runs)
    mine = statistics.median(wall for wall, _ in our_runs)
    return {
        "server_args": server_args,
        "plain_requests_seconds": [round(w, 4) for w, _ in plain_runs],
        "download_files_seconds": [round(w, 4) for w, _ in our_runs],
        "plain_requests_cpu_seconds": [round(c, 4) for _, c in plain_runs],
        "download_files_cpu_seconds": [round(c, 4) for _, c in our_runs],
        "plain_requests_median_mb_per_s": round(remote.size / plain / 1e6, 1),
        "download_files_median_mb_per_s": round(remote.size / mine / 1e6, 1),
        "ratio": round(plain / mine, 3),  # download_files throughput / plain throughput
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-paced", action="store_true", help="only the loopback scenario")
    parser.add_argument("--results-dir", type=Path, default=RESULTS,
                        help="where download.json goes (default: benchmarks/results)")
    args = parser.parse_args(argv)
    size = args.size_mb * 1_000_000
    load_before = load_average()

    scenarios: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="terjman-bench-") as temp:
        root = Path(temp)
        (root / "served").mkdir()
        remote = make_payload(root / "served", size)
        scenarios["loopback"] = measure(root, remote, args.runs, [])
        if not args.no_paced:
            scenarios["paced"] = measure(root, remote, args.runs, PACED)

    # Per run, so the report can show its spread like the download times'.
    sha256_runs = [round(sha256_speed(), 1) for _ in range(args.runs)]
    result = {
        "file_bytes": size,
        "chunk_size": CHUNK_SIZE,
        "runs": args.runs,
        "ratio": scenarios["loopback"]["ratio"],
        "target_ratio": 0.9,
        "scenarios": scenarios,
        "sha256_mb_per_s": round(median(sha256_runs), 1),
        "sha256_mb_per_s_runs": sha256_runs,
        "load_average_before": load_before,
        "python": platform.python_version(),
        "requests": requests.__version__,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
    }
    path = write_result("download", result, args.results_dir)

    print(f"{size / 1e6:.0f} MB from a local server, median of {args.runs} runs each\n")
    print("| scenario | plain requests MB/s | download_files MB/s | ratio |")
    print("| --- | --- | --- | --- |")
    for name, figures in scenarios.items():
        print(
            f"| {name} | {figures['plain_requests_median_mb_per_s']} | "
            f"{figures['download_files_median_mb_per_s']} | {figures['ratio']} |"
        )
    print(
        f"\nSHA-256 on one core: {result['sha256_mb_per_s']} MB/s; target ratio >= 0.9; "
        f"written to {path}"
    )


if __name__ == "__main__":
    main()
