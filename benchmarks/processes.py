"""Starting and talking to worker processes (``benchmarks/worker.py``)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, work_dir


def logs_dir() -> Path:
    return work_dir() / "logs"


def worker_env(threads: int) -> dict[str, str]:
    """The environment of a worker: thread pools capped before any library starts them."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[name] = str(threads)
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    return env


def spec_file(spec: dict[str, Any]) -> Path:
    logs_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".json", prefix="spec-", dir=logs_dir(), delete=False, encoding="utf-8"
    ) as handle:
        json.dump(spec, handle, ensure_ascii=False)
    return Path(handle.name)


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text("utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class WorkerError(RuntimeError):
    pass


class Worker:
    """A long-lived worker serving one side; commands are answered one at a time."""

    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.spec_path = spec_file(spec)
        self.log_path = logs_dir() / f"{name}.log"
        self._log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", "serve", str(self.spec_path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log, text=True,
            encoding="utf-8", cwd=REPO, env=worker_env(int(spec["threads"])),
        )
        ready = self._read()
        self.load_seconds = float(ready["load_seconds"])

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(30)
            raise WorkerError(
                f"worker {self.name} exited ({self.process.returncode}):\n"
                f"{_log_tail(self.log_path)}"
            )
        reply: dict[str, Any] = json.loads(line)
        return reply

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(WorkerError, OSError):
                self.ask({"op": "quit"})
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        self.spec_path.unlink(missing_ok=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_module(
    module: str, mode: str, spec: dict[str, Any], *, name: str, env: dict[str, str],
    timeout: float,
) -> dict[str, Any]:
    """Run ``python -m module mode SPEC`` in a fresh process and return its JSON report.

    The report is the last line of its stdout; its stderr goes to ``logs/<name>.log``. The
    report gets ``process_started_at`` (``time.time()`` just before the start, comparable with
    times the process takes itself) and ``process_wall_seconds``.
    """
    spec_path = spec_file(spec)
    log_path = logs_dir() / f"{name}.log"
    try:
        with log_path.open("w", encoding="utf-8") as log:
            started_at, started = time.time(), time.perf_counter()
            completed = subprocess.run(
                [sys.executable, "-m", module, mode, str(spec_path)],
                stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8", cwd=REPO,
                env=env, timeout=timeout, check=False,
            )
            wall = time.perf_counter() - started
        if completed.returncode != 0 or not completed.stdout.strip():
            raise WorkerError(
                f"{module} {mode} ({name}) failed ({completed.returncode}):\n"
                f"{_log_tail(log_path)}"
            )
        report: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
        report["process_started_at"] = started_at
        report["process_wall_seconds"] = wall
        return report
    finally:
        spec_path.unlink(missing_ok=True)


def run_once(
    mode: str, name: str, spec: dict[str, Any], timeout: float = 3600
) -> dict[str, Any]:
    """Run one fresh worker in ``mode`` (``memory``, ``finetune``) and return its report."""
    return run_module("benchmarks.worker", mode, spec, name=name,
                      env=worker_env(int(spec["threads"])), timeout=timeout)


def pause() -> None:
    """Let the previous side's idle OpenMP threads stop spinning before the next is timed."""
    time.sleep(0.3)
