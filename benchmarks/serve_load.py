"""Classroom load: 30 students at once against ``terjman serve``, with and without batching.

``python -m benchmarks.serve_load`` starts the server in a child process (as ``terjman
serve`` runs it) on the Nano architecture (random weights, int8, fixed output length like
every figure here) and 30 client threads on 127.0.0.1, each sending one real DODa sentence
after another on a kept-alive connection for a bounded time. Two sides, interleaved:

* **batching** — the server as it ships: requests arriving within 5 ms, and all that wait
  while the model works, go to the model together (at most 64 texts per call);
* **one at a time** — the same server with batches of one request (``max_texts=1``).

Every request must be answered 200 or 429; anything else is counted as an error. Reported:
p50/p95 latency, requests per second, and how many requests a model call held. The sentence
cache is off, so nothing is answered from memory. Results: ``results/serve.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import (
    REPO,
    RESULTS,
    batch_sentences,
    load_average,
    log,
    median,
    percentile,
    write_result,
)

SIDES = {"batching": 64, "one at a time": 1}  # side -> Batching.max_texts


# ----------------------------------------------------------------------------- the server


def serve_child(package: str, max_texts: int, threads: int, length: int) -> None:
    """The server process: print the port, serve until stdin closes, print the batch stats."""
    from terjman_desktop.core.translate import (
        QUALITY_PRESETS,
        SentenceCache,
        TranslationOptions,
        Translator,
    )
    from terjman_desktop.serve import (
        Batching,
        Limits,
        LoadedEngine,
        ServeConfig,
        TranslationServer,
    )

    # A fixed output length (random weights stop anywhere), at the app's default beam.
    QUALITY_PRESETS["fixed"] = TranslationOptions(
        beam_size=2, min_length=length, max_length=length, max_length_ratio=1000.0
    )
    translator = Translator(package, device="cpu", threads=threads, cache=SentenceCache(0))
    config = ServeConfig(
        port=0,
        quality="fixed",
        limits=Limits(requests_per_minute=0, queue_texts=256),
        batching=Batching(window_ms=5.0, max_texts=max_texts),
    )
    with TranslationServer(LoadedEngine(translator), config) as server:
        print(server.port, flush=True)
        sys.stdin.read()
        stats = server.batcher.stats
        print(
            json.dumps(
                {
                    "jobs": stats.jobs,
                    "model_calls": stats.model_calls,
                    "largest_call": stats.largest_call,
                }
            ),
            flush=True,
        )


class Server:
    def __init__(self, package: Path, max_texts: int, threads: int, length: int) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.serve_load",
                "--child",
                str(package),
                "--max-texts",
                str(max_texts),
                "--threads",
                str(threads),
                "--length",
                str(length),
            ],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def finish(self) -> dict[str, Any]:
        out, _ = self.process.communicate(timeout=120)
        stats: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return stats


# ----------------------------------------------------------------------------- the clients


def load(port: int, sentences: Sequence[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads send requests for ``seconds``; latencies of the answered ones."""
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(10**9))
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        while time.perf_counter() < stop_at[0]:
            with lock:
                text = sentences[next(counter) % len(sentences)]
            body = json.dumps({"q": text, "source": "en", "target": "ary"})
            began = time.perf_counter()
            try:
                connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            took = time.perf_counter() - began
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == "200":
                    latencies.append(took)
            if status == "429":
                time.sleep(0.05)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at.append(began + seconds)
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return {"seconds": round(elapsed, 2), "statuses": statuses, "latencies_s": latencies}


def measure(
    package: Path,
    *,
    clients: int = 30,
    seconds: float = 15.0,
    runs: int = 2,
    threads: int = 2,
    length: int = 32,
) -> dict[str, Any]:
    sentences = batch_sentences(2000, seed=16)
    per_side: dict[str, list[dict[str, Any]]] = {side: [] for side in SIDES}
    before = load_average()
    for run in range(runs):
        order = list(SIDES) if run % 2 == 0 else list(reversed(SIDES))
        for side in order:
            log(f"serve load: {side}, run {run + 1}/{runs}, {clients} clients, {seconds:.0f} s")
            server = Server(package, SIDES[side], threads, length)
            try:
                # One request first, so loading the model is not timed.
                load(server.port, sentences[:1], 1, 0.0)
                outcome = load(server.port, sentences, clients, seconds)
            finally:
                outcome_stats = server.finish()
            per_side[side].append({**outcome, "server": outcome_stats})
    sides: dict[str, Any] = {}
    for side, outcomes in per_side.items():
        latencies = [v for o in outcomes for v in o["latencies_s"]]
        answered = sum(len(o["latencies_s"]) for o in outcomes)
        statuses: dict[str, int] = {}
        for outcome in outcomes:
            for status, count in outcome["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        calls = sum(o["server"]["model_calls"] for o in outcomes)
        jobs = sum(o["server"]["jobs"] for o in outcomes)
        sides[side] = {
            "max_texts_per_call": SIDES[side],
            "requests_answered": answered,
            "statuses": statuses,
            "errors": sum(c for s, c in statuses.items() if s not in ("200", "429")),
            "p50_ms": round(1000 * median(latencies), 1),
            "p95_ms": round(1000 * percentile(latencies, 95), 1),
            "max_ms": round(1000 * max(latencies), 1),
            "requests_per_second": round(answered / sum(o["seconds"] for o in outcomes), 2),
            "per_run_requests_per_second": [
                round(len(o["latencies_s"]) / o["seconds"], 2) for o in outcomes
            ],
            "requests_per_model_call": round(jobs / calls, 2) if calls else None,
            "largest_call": max(o["server"]["largest_call"] for o in outcomes),
        }
    gain = [
        b / s
        for b, s in zip(
            sides["batching"]["per_run_requests_per_second"],
            sides["one at a time"]["per_run_requests_per_second"],
            strict=True,
        )
        if s
    ]
    return {
        "model": "nano int8 (random weights)",
        "clients": clients,
        "seconds_per_run": seconds,
        "runs": runs,
        "threads": threads,
        "output_tokens_per_sentence": length,
        "beam": 2,
        "load_average_before": before,
        "sides": sides,
        "throughput_gain": round(median(gain), 2) if gain else None,
    }


def table(result: dict[str, Any]) -> list[str]:
    """The figure as markdown lines (for the README and the results table)."""
    lines = [
        f"**Classroom server** — {result['clients']} clients on 127.0.0.1 for "
        f"{result['seconds_per_run']:.0f} s × {result['runs']} runs per side, "
        f"{result['model']}, beam {result['beam']}, {result['output_tokens_per_sentence']} "
        f"output tokens per sentence, {result['threads']} threads",
        "",
        "| side | requests/s | p50 ms | p95 ms | requests per model call | answered | 429 | "
        "errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for side, values in result["sides"].items():
        lines.append(
            f"| {side} | {values['requests_per_second']:.1f} | {values['p50_ms']:.0f} | "
            f"{values['p95_ms']:.0f} | {values['requests_per_model_call']} | "
            f"{values['requests_answered']} | {values['statuses'].get('429', 0)} | "
            f"{values['errors']} |"
        )
    lines += [
        "",
        f"Dynamic batching: ×{result['throughput_gain']} requests per second "
        "(median of the per-run ratios).",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.serve_load", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--max-texts", type=int, default=64, help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--model", default="nano", help="benchmark architecture (nano, tiny…)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.child:
        serve_child(args.child, args.max_texts, args.threads, args.length)
        return 0
    from benchmarks.models import build_in_subprocess

    package = build_in_subprocess(args.model, ("int8",)).packages["int8"]
    result = measure(
        package,
        clients=args.clients,
        seconds=args.seconds,
        runs=args.runs,
        threads=args.threads,
        length=args.length,
    )
    result["model"] = f"{args.model} int8 (random weights)"
    for side in result["sides"].values():
        side.pop("latencies_s", None)
    path = write_result("serve", result, args.results_dir)
    print("\n".join(table(result)))
    log(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
