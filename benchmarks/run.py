"""Run the benchmarks that fit this machine and write the results table.

Usage::

    python -m benchmarks.run                 # full run: results/*.json + results/README.md
    python -m benchmarks.run --quick         # a few minutes, written to benchmarks/work/
    python -m benchmarks.run --only latency  # one figure (comma-separated list), table redone
    python -m benchmarks.run --large-models  # also try Ultra (NLLB 1.3B), minutes and ~15 GB

Figures (issue 7): ``throughput`` (1), ``latency`` (2), ``memory`` (3), ``app`` (4),
``download`` (5, ``benchmarks/download_throughput.py``), ``trainer`` (6), ``convert``
(checkpoint → CTranslate2: ours against the torch path, ``benchmarks/convert.py``) and
``speed`` (issue 14: vocabulary maps and the typing path, before and after). Models
are random-weight checkpoints at the real Terjman architectures, built once under
``benchmarks/work/``.
Timings are medians of several runs, interleaved side by side; the machine, thread counts,
versions and load average are recorded with every result.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.common import (
    BENCH,
    REPO,
    RESULTS,
    batch_sentences,
    environment,
    load_average,
    log,
    sentence_of_words,
    work_dir,
    write_result,
)

FIGURES = ("throughput", "latency", "memory", "app", "download", "trainer", "convert", "speed",
           "vmap_learning")
SUPREME_NOTE = (
    "not run: a random 3.3B float32 checkpoint is 13 GB and converting it needs about twice "
    "that in memory, more than this kind of machine has"
)


@dataclass
class Plan:
    """How much of everything to run."""

    models: list[str]
    sentences: dict[str, int]
    runs: int
    threads: tuple[int, ...] = (1, 2)
    beams: tuple[int, ...] = (1, 4)
    length: int = 32
    latency_repeats: int = 30
    memory_runs: int = 3
    memory_batch: int = 64
    app_runs: int = 3
    app_sentences: int = 6
    train_models: list[str] = field(default_factory=lambda: ["tiny", "nano"])
    train_runs: int = 3
    train_tokens: int = 6000  # target tokens trained per side and run
    download_args: list[str] | None = field(default_factory=list)
    large_models: list[str] = field(default_factory=list)
    convert_runs: int = 3

    def batch_size(self, model: str) -> int:
        return self.sentences.get(model, self.sentences.get("default", 64))


def full_plan() -> Plan:
    # 256 sentences for Nano as the issue suggests; Large at 64, because Hugging Face beam 4
    # on 256 sentences takes minutes per measurement at the Large size on 2 cores.
    return Plan(models=["nano", "large"], sentences={"nano": 256, "large": 64, "ultra": 16},
                runs=3)


def quick_plan() -> Plan:
    return Plan(
        models=["nano"], sentences={"default": 16}, runs=2, latency_repeats=10,
        memory_runs=1, memory_batch=16, app_runs=1, app_sentences=3, train_runs=1,
        convert_runs=1,
        train_tokens=800, train_models=["tiny"],
        download_args=["--size-mb", "32", "--runs", "2"],
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true",
                        help="small batches, few runs, Nano only; results under benchmarks/work")
    parser.add_argument("--only", default="",
                        help=f"comma-separated figures to run: {', '.join(FIGURES)}")
    parser.add_argument("--large-models", action="store_true",
                        help="also build and measure Ultra (NLLB 1.3B) if it fits")
    parser.add_argument("--models", help="comma-separated architectures (nano,large,tiny...)")
    parser.add_argument("--sentences", type=int, help="batch size for every model")
    parser.add_argument("--runs", type=int, help="timed runs per measurement")
    parser.add_argument("--threads", help="comma-separated thread counts, e.g. 1,2")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild the cached models under benchmarks/work/models")
    parser.add_argument("--results-dir", type=Path,
                        help="where JSON and README.md go (default: benchmarks/results, "
                             "or benchmarks/work/results-quick with --quick)")
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> Plan:
    plan = quick_plan() if args.quick else full_plan()
    if args.models:
        plan.models = [m.strip() for m in args.models.split(",") if m.strip()]
        plan.train_models = [m for m in plan.models if m in ("tiny", "tiny-nllb", "nano", "large")]
    if args.sentences:
        plan.sentences = {"default": args.sentences}
        plan.memory_batch = min(plan.memory_batch, args.sentences)
    if args.runs:
        plan.runs = args.runs
        plan.memory_runs = min(plan.memory_runs, args.runs)
        plan.app_runs = min(plan.app_runs, args.runs)
    if args.threads:
        plan.threads = tuple(int(t) for t in args.threads.split(","))
    if args.large_models:
        plan.large_models = ["ultra"]
    return plan


class Runner:
    def __init__(self, plan: Plan, results_dir: Path, *, rebuild: bool = False) -> None:
        self.plan = plan
        self.results_dir = results_dir
        self.rebuild = rebuild
        self.rebuilt: set[str] = set()
        self.built: dict[str, Any] = {}
        self.failures: dict[str, str] = {}

    def model(self, arch: str, quantizations: tuple[str, ...] = ("int8", "float32")) -> Any:
        from benchmarks.models import build_in_subprocess

        key = f"{arch}:{','.join(quantizations)}"
        if key not in self.built:
            started = time.perf_counter()
            fresh = self.rebuild and arch not in self.rebuilt
            self.rebuilt.add(arch)
            self.built[key] = build_in_subprocess(arch, quantizations, rebuild=fresh)
            log(f"model {arch} ready ({time.perf_counter() - started:.0f} s)")
        return self.built[key]

    def guarded(self, name: str, action: Callable[[], dict[str, Any]]) -> None:
        """Run one figure; a failure is recorded in its JSON instead of stopping the run."""
        before = load_average()
        started = time.perf_counter()
        try:
            result = action()
        except Exception as error:  # keep the other figures
            log(f"{name} failed: {error}")
            result = {"status": f"failed: {type(error).__name__}: {error}",
                      "traceback": traceback.format_exc()}
        result["load_average_before"] = before
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        path = write_result(name, result, self.results_dir)
        log(f"{name}: wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")

    # ------------------------------------------------------------------ figures

    def throughput(self) -> dict[str, Any]:
        from benchmarks import throughput

        models = []
        for arch in self.plan.models:
            sentences = batch_sentences(self.plan.batch_size(arch))
            models.append(throughput.measure(
                self.model(arch), sentences, threads=self.plan.threads, beams=self.plan.beams,
                length=self.plan.length, runs=self.plan.runs,
            ))
        for arch in self.plan.large_models:
            def large(model: Any, arch: str = arch) -> dict[str, Any]:
                return throughput.measure(
                    model, batch_sentences(self.plan.batch_size(arch)),
                    threads=(max(self.plan.threads),), beams=self.plan.beams,
                    length=self.plan.length, runs=self.plan.runs,
                    sides=("engine-int8", "ct2-int8", "hf-float32"),
                )

            models.append(self._large(arch, large))
        return {"models": models, "supreme": SUPREME_NOTE}

    def _large(self, arch: str, action: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        try:
            model = self.model(arch, ("int8",))
        except Exception as error:  # out of memory or disk: say what happened
            self.failures[arch] = f"{type(error).__name__}: {error}"
            return {"model": arch, "status": f"not run: building failed ({self.failures[arch]})"}
        return action(model)

    def latency(self) -> dict[str, Any]:
        from benchmarks import latency

        sentence = sentence_of_words(20)
        models = [latency.measure(
            self.model(arch), sentence, threads=2, length=self.plan.length,
            repeats=self.plan.latency_repeats,
        ) for arch in self.plan.models]
        for arch in self.plan.large_models:
            models.append(self._large(arch, lambda m: latency.measure(
                m, sentence, threads=2, length=self.plan.length,
                repeats=max(3, self.plan.latency_repeats // 3),
            )))
        return {"models": models}

    def memory(self) -> dict[str, Any]:
        from benchmarks import memory

        sentence = sentence_of_words(20)
        models = [memory.measure(
            self.model(arch), sentence, batch_sentences(self.plan.memory_batch), threads=2,
            length=self.plan.length, runs=self.plan.memory_runs,
        ) for arch in self.plan.models]
        for arch in self.plan.large_models:
            models.append(self._large(arch, lambda m: memory.measure(
                m, sentence, batch_sentences(min(16, self.plan.memory_batch)), threads=2,
                length=self.plan.length, runs=1, sides=("engine-int8", "hf-float32"),
            )))
        return {"models": models}

    def app(self) -> dict[str, Any]:
        from benchmarks import app_gui

        missing = app_gui.gui_missing()
        if missing:
            return {"status": missing}
        arch = "nano" if "nano" in self.plan.models else self.plan.models[0]
        return app_gui.measure(
            self.model(arch), app_gui.app_sentences(self.plan.app_sentences), threads=2,
            length=self.plan.length, runs=self.plan.app_runs,
        )

    def trainer(self) -> dict[str, Any]:
        from benchmarks import trainer_speed

        archs = self.plan.train_models
        if trainer_speed.gpu_available():
            archs = ["nano", "ultra"]  # the sizes; they fit one modern GPU
        models = [self.model(arch, ()) for arch in archs]
        return trainer_speed.measure(models, threads=2, runs=self.plan.train_runs,
                                     tokens_per_run=self.plan.train_tokens)

    def convert(self) -> dict[str, Any]:
        from benchmarks import convert

        # The checkpoints alone (no packages): conversion is what is measured.
        models = [convert.measure(self.model(arch, ()), runs=self.plan.convert_runs)
                  for arch in self.plan.models]
        for arch in self.plan.large_models:
            models.append(self._large(arch, lambda m: convert.measure(m, runs=1)))
        return {"models": models}

    def speed(self) -> dict[str, Any]:
        """Issue 14, before and after, side by side: the same figures without and with a map."""
        from benchmarks import speed

        archs = [*self.plan.models, *self.plan.large_models]
        models = {}
        for arch in archs:
            if arch in self.plan.large_models:
                try:
                    models[arch] = self.model(arch, ("int8",))
                except Exception as error:  # out of memory or disk: say what happened
                    self.failures[arch] = f"{type(error).__name__}: {error}"
                    continue
            else:
                models[arch] = self.model(arch)
        return speed.measure(
            models, sentence_of_words(20),
            {arch: batch_sentences(self.plan.batch_size(arch)) for arch in models},
            large=set(self.plan.large_models), length=self.plan.length,
            runs=self.plan.runs, repeats=self.plan.latency_repeats,
            app_runs=self.plan.app_runs, app_sentences=self.plan.app_sentences,
            threads=self.plan.threads,
        )

    def vmap_learning(self) -> dict[str, Any]:
        """Issue 14: the time a model converted on the device takes to learn its map."""
        from benchmarks import vmap_learning

        # Enough rows for a stable rate; Ultra's beams are slow on 2 cores.
        rows = {"nano": 200, "large": 100, "ultra": 24}
        models = [vmap_learning.measure(self.model(arch, ("int8",)),
                                        batch_sentences(rows.get(arch, 100)),
                                        length=self.plan.length)
                  for arch in self.plan.models]
        for arch in self.plan.large_models:
            def large(model: Any, arch: str = arch) -> dict[str, Any]:
                return vmap_learning.measure(model, batch_sentences(rows.get(arch, 24)),
                                             held_out=8, length=self.plan.length)

            models.append(self._large(arch, large))
        return {"models": models}

    def download(self) -> dict[str, Any] | None:
        """Issue 5's benchmark is its own script; it writes download.json itself."""
        script = BENCH / "download_throughput.py"
        if self.plan.download_args is None:
            log("download: skipped by the plan")
            return None
        log("download: running benchmarks/download_throughput.py")
        subprocess.run([sys.executable, str(script), *self.plan.download_args,
                        "--results-dir", str(self.results_dir)], cwd=REPO, check=False)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plan = make_plan(args)
    results_dir = args.results_dir or (
        work_dir() / "results-quick" if args.quick else RESULTS
    )
    only = [f.strip() for f in args.only.split(",") if f.strip()] or list(FIGURES)
    unknown = set(only) - set(FIGURES)
    if unknown:
        raise SystemExit(f"unknown figure(s): {', '.join(sorted(unknown))}; use {FIGURES}")
    runner = Runner(plan, results_dir, rebuild=args.rebuild)
    environment()  # cached: every figure records the git state at the start of the run
    log(f"benchmarks: {', '.join(only)}; models {plan.models}; load average {load_average()}")
    mode = "quick" if args.quick else "full"
    for figure in only:
        if figure == "download":
            runner.download()
            continue
        def measure(figure: str = figure) -> dict[str, Any]:
            return {"mode": mode, "plan": _plan_record(plan), **getattr(runner, figure)()}

        runner.guarded(figure, measure)
    table = report.write(results_dir, command=_command(argv))
    log(f"table: {table}")
    print(table.read_text(encoding="utf-8"))
    return 0


def _plan_record(plan: Plan) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(json.dumps(plan.__dict__))
    return record


def _command(argv: Sequence[str] | None) -> str:
    args = list(sys.argv[1:] if argv is None else argv)
    return " ".join(["python -m benchmarks.run", *args])


if __name__ == "__main__":
    raise SystemExit(main())
