"""What every benchmark shares: paths, sentences, the environment record, statistics.

Sentences come from the Darija Open Dataset (DODa, CC BY-NC 4.0) in ``../shared/data/doda``
when it is there (read at run time, never copied into the repository), else from the
synthetic template corpus in ``trainer.synthetic_corpus``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "benchmarks"
RESULTS = BENCH / "results"
DODA_DIR = Path(os.environ.get("TERJMAN_DODA_DIR", REPO.parent / "shared" / "data" / "doda"))
DODA_SENTENCES = DODA_DIR / "sentences.csv"

Pair = tuple[str, str]


def work_dir() -> Path:
    """Where models, logs and quick results go (gitignored); ``TERJMAN_BENCH_WORK`` overrides."""
    return Path(os.environ.get("TERJMAN_BENCH_WORK", BENCH / "work"))


# ----------------------------------------------------------------------------- sentences


@cache
def corpus() -> tuple[str, tuple[Pair, ...]]:
    """``(name, (English, Darija) pairs)``: DODa when present, the synthetic corpus otherwise."""
    if DODA_SENTENCES.is_file():
        with DODA_SENTENCES.open(encoding="utf-8", newline="") as handle:
            pairs = tuple(
                (row["eng"].strip(), row["darija_ar"].strip())
                for row in csv.DictReader(handle)
                if row.get("eng", "").strip() and row.get("darija_ar", "").strip()
            )
        if pairs:
            return "doda", pairs
    from trainer.synthetic_corpus import parallel_pairs

    return "synthetic", tuple(parallel_pairs())


def single_sentences() -> list[str]:
    """Distinct English sentences that the app's segmenter keeps as exactly one sentence.

    Joined with newlines they are then one text whose segmentation yields the same
    sentences, so ``Translator.translate`` on it does exactly the work that raw CTranslate2
    and Hugging Face do on the list.
    """
    from terjman_desktop.core.translate.segment import clean_for_model, segment

    seen: set[str] = set()
    chosen: list[str] = []
    for english, _ in corpus()[1]:
        line = " ".join(english.split())
        pieces = segment(line).sentences
        if len(pieces) != 1 or pieces[0] != line or clean_for_model(line) != line:
            continue
        if line not in seen:
            seen.add(line)
            chosen.append(line)
    return chosen


def batch_sentences(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct, realistic English sentences (a seeded sample)."""
    pool = single_sentences()
    rng = random.Random(seed)
    if len(pool) >= count:
        return rng.sample(pool, count)
    # The synthetic corpus is small; it has enough for every mode used here.
    raise RuntimeError(f"only {len(pool)} distinct sentences available, {count} asked for")


def sentence_of_words(words: int = 20) -> str:
    """One real sentence of exactly ``words`` words (the latency figure's input)."""
    pool = single_sentences()
    exact = sorted(s for s in pool if len(s.split()) == words)
    if exact:
        return exact[0]
    # The synthetic corpus has short sentences only: chain their words, without the
    # sentence-ending marks, so the segmenter keeps the result as one sentence.
    chained = [w.strip(".!?;:,") for w in " ".join(pool).split()]
    return " ".join([w for w in chained if w][:words]) + "."


# ----------------------------------------------------------------------------- environment


def load_average() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _version(module: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:  # not installed
        return None


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10,
                          check=True).stdout


def git_state() -> dict[str, Any]:
    """The commit the code was measured at, and whether tracked files differed from it.

    Every result keeps it, so the report can say which commit each figure comes from and
    flag figures that predate a change to the code they measure. A dirty tree names its
    changed files (a few), since in a shared checkout "dirty" alone says little.
    """
    try:
        commit = _git("rev-parse", "HEAD").strip()
        # Porcelain lines are "XY path": two status columns, a space, the path.
        changed = _git("status", "--porcelain", "--untracked-files=no").splitlines()
    except (OSError, subprocess.SubprocessError):
        return {"git": None, "git_commit": None, "git_dirty": None, "git_dirty_paths": []}
    paths = [line[3:] for line in changed]
    return {
        "git": commit[:7] + ("+dirty" if paths else ""),  # short form, for people
        "git_commit": commit,
        "git_dirty": bool(paths),
        "git_dirty_paths": paths[:20],
    }


@cache
def environment() -> dict[str, Any]:
    """The machine and versions a result was measured with (load average is per result)."""
    return {
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "gpu": _gpu(),
        "python": platform.python_version(),
        "versions": {
            name: _version(name)
            for name in ("terjman-desktop", "ctranslate2", "torch", "transformers",
                         "sentencepiece", "PySide6-Essentials", "numpy")
        },
        **git_state(),
        "corpus": corpus()[0],
    }


def _gpu() -> str | None:
    try:
        import ctranslate2

        if ctranslate2.get_cuda_device_count() > 0:
            return f"{ctranslate2.get_cuda_device_count()} CUDA device(s)"
    except Exception:  # ctranslate2 without CUDA support
        pass
    return None


# ----------------------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, ``q`` in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def rounded(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}") if value else 0.0


# ----------------------------------------------------------------------------- results


def write_result(name: str, result: dict[str, Any], results_dir: Path = RESULTS) -> Path:
    """Write ``results_dir/<name>.json`` with the environment and the load average."""
    results_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "load_average_after": load_average(),
        "environment": environment(),
        **result,
    }
    path = results_dir / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
