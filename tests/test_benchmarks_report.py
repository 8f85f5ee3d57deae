"""The benchmark report says nothing its results files do not say.

A fixture results folder (small JSON files written here, with distinctive values) is turned
into ``README.md`` by :mod:`benchmarks.report`; every number in the markdown must be a value
of the fixture, or computed from it by a derivation written out below (independently of the
report's own code), or one of the report's target constants. Explanations whose inputs are
missing must disappear rather than fall back to prose. Git is replaced by a fake, so which
figures are stale does not depend on this clone's history.
"""

from __future__ import annotations

import copy
import json
import re
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks import report, report_targets
from trainer.synthetic import ARCHITECTURES

OLD, NEW = "0ldc0mmit0000000000000000000000000000000", "beefcafe00000000000000000000000000000000"
NUMBER = re.compile(r"(?<![\w.\-:/+])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w\-:])")
SIDES = ("engine-int8", "ct2-int8", "ct2tok-int8", "engine-float32", "ct2-float32",
         "hf-float32")


def _environment(commit: str | None, dirty: bool = False) -> dict[str, Any]:
    env: dict[str, Any] = {"machine": "Linux test x86_64", "cpu": "Test CPU", "cpu_count": 2,
                           "memory_gib": 7.25, "gpu": None, "python": "3.11.7",
                           "versions": {"ctranslate2": "4.8.5"}, "corpus": "doda"}
    if commit:
        env |= {"git": commit[:7], "git_commit": commit, "git_dirty": dirty}
    return env


def _side(tokens: int, seconds: list[float], calls: int | None = None) -> dict[str, Any]:
    side: dict[str, Any] = {"tokens": tokens, "seconds": seconds,
                            "median_seconds": statistics.median(seconds),
                            "tokens_per_second": round(tokens / statistics.median(seconds), 1)}
    if calls is not None:
        side["ct2_calls_per_batch"] = calls
    return side


def _config(threads: int, beam: int, seconds: dict[str, list[float]], calls: int,
            ratios: dict[str, float]) -> dict[str, Any]:
    sides = {name: _side(8192, seconds[name], calls if name.startswith("engine") else None)
             for name in SIDES}
    return {"threads": threads, "beam": beam, "sides": sides,
            "ratios": {name: {"ratio": value, "what": name} for name, value in ratios.items()}}


def _throughput() -> dict[str, Any]:
    ratios_beam1 = {"engine-int8 / hf-float32": 4.613, "engine-float32 / hf-float32": 2.347,
                    "engine-int8 / ct2-int8": 0.917, "engine-int8 / ct2tok-int8": 0.943,
                    "engine-float32 / ct2-float32": 0.871, "engine-int8 / best raw int8": 0.908}
    ratios_beam4 = {"engine-int8 / hf-float32": 6.127, "engine-float32 / hf-float32": 2.913,
                    "engine-int8 / ct2-int8": 1.487, "engine-int8 / ct2tok-int8": 1.277,
                    "engine-float32 / ct2-float32": 1.093, "engine-int8 / best raw int8": 1.277}
    ratios_2t4 = {**ratios_beam4, "engine-int8 / hf-float32": 3.871,
                  "engine-float32 / hf-float32": 1.123}
    slow = {"engine-int8": [7.1, 6.7, 6.3], "ct2-int8": [7.9, 5.3, 5.9],
            "ct2tok-int8": [6.1, 6.2, 6.4], "engine-float32": [13.3, 13.9, 13.1],
            "ct2-float32": [12.7, 12.9, 13.3], "hf-float32": [33.1, 35.7, 34.3]}
    fast = {name: [s * 0.61 for s in values] for name, values in slow.items()}
    configs = [_config(1, 1, slow, 2, ratios_beam1), _config(1, 4, slow, 6, ratios_beam4),
               _config(2, 1, fast, 1, ratios_beam1), _config(2, 4, fast, 6, ratios_2t4)]
    configs[3]["sides"]["hf-float32"] = _side(8192, [s * 0.47 for s in slow["hf-float32"]])
    return {"benchmark": "throughput", "finished": "2031-02-03 04:05:06 +0000",
            "environment": _environment(OLD), "load_average_before": [0.41, 0.3, 0.2],
            "load_average_after": [1.37, 0.9, 0.5],
            "models": [{"model": "nano", "family": "marian", "sentences": 256,
                        "output_tokens_per_sentence": 32, "runs": 3, "configs": configs}]}


def _latency() -> dict[str, Any]:
    def config(beam: int, preset: str, ours: float, raw: float) -> dict[str, Any]:
        return {"beam": beam, "preset": preset, "sides": {
            "engine-int8": {"p50_ms": ours, "p95_ms": ours + 41.3},
            "ct2-int8": {"p50_ms": raw, "p95_ms": raw + 37.9},
            "hf-float32": {"p50_ms": 1311.7, "p95_ms": 1409.9}}}

    return {"benchmark": "latency", "finished": "2031-02-03 05:06:07 +0000",
            "environment": _environment(NEW), "load_average_before": [0.52],
            "load_average_after": [1.13],
            "models": [{"model": "nano", "threads": 2, "sentence": "A sentence.", "words": 20,
                        "output_tokens": 32, "repeats": 30,
                        "configs": [config(2, "balanced", 383.3, 391.9),
                                    config(1, "fast", 247.1, 243.7)]}]}


def _memory() -> dict[str, Any]:
    def side(peak: float, after_import: float, load: float) -> dict[str, Any]:
        return {"peak_rss_mib": peak, "rss_after_load_mib": peak - 13.3,
                "rss_after_import_mib": after_import, "import_seconds": 0.07,
                "load_seconds": load}

    sides = {"engine-int8": side(419.3, 57.1, 0.13), "hf-float32": side(733.9, 243.7, 2.71)}
    return {"benchmark": "memory", "finished": "2031-02-03 06:07:08 +0000",
            "environment": _environment(NEW), "load_average_before": [0.5],
            "load_average_after": [0.9],
            "models": [{"model": "nano", "threads": 2, "runs": 3,
                        "sizes_on_disk_mib": {"hf-checkpoint": 293.7, "package-int8": 76.9},
                        "workloads": [{"workload": "one sentence, beam 2", "sides": sides,
                                       "peak_ratio_vs_hf": {"engine-int8": 0.571}}]}]}


def _download() -> dict[str, Any]:
    def scenario(args: list[str], plain: float, ours: float) -> dict[str, Any]:
        return {"server_args": args, "plain_requests_median_mb_per_s": plain,
                "download_files_median_mb_per_s": ours, "ratio": round(ours / plain, 3)}

    return {"benchmark": "download", "finished": "2031-02-03 07:08:09 +0000",
            "environment": _environment(NEW, dirty=True), "file_bytes": 64_000_000,
            "runs": 3, "ratio": 0.613, "target_ratio": 0.9, "load_average_before": [0.33],
            "scenarios": {"loopback": scenario([], 1873.1, 1148.2),
                          "paced": scenario(["--chunk", "524288", "--delay", "0.004"],
                                            117.3, 116.9)},
            "sha256_mb_per_s": 1747.9, "sha256_mb_per_s_runs": [1747.9, 1733.1, 1761.3]}


def _trainer() -> dict[str, Any]:
    def side(batch: int, grouping: bool, tokens: float, padding: float) -> dict[str, Any]:
        return {"device": "cpu", "precision": "fp32", "batch_size": batch,
                "group_by_length": grouping, "tokens_per_second": tokens,
                "target_tokens_per_second": round(tokens * 0.45, 1),
                "model_tflops_per_second": 0.0613, "mfu": None, "padding_share": padding,
                "median_step_seconds": 3.37, "runs": 3}

    sides = {"terjman": side(64, True, 311.3, 0.261),
             "baseline": side(4, False, 127.9, 0.357),
             "baseline-equal-batch": side(64, False, 233.7, 0.413)}
    return {"benchmark": "trainer", "finished": "2031-02-03 08:09:10 +0000",
            "environment": _environment(NEW), "device": "cpu", "gpu": "not run: no GPU",
            "models": [{"model": "nano", "parameters": 76_961_152, "threads": 2,
                        "sides": sides, "speedup": 2.431, "speedup_runs": [2.431],
                        "speedup_equal_batch": 1.327, "speedup_equal_batch_runs": [1.327]}]}


def _batching() -> dict[str, Any]:
    def candidate(ratio: float, calls: int) -> dict[str, Any]:
        return {"tokens_per_second": 1511, "ratio_to_one_raw_call": ratio,
                "translate_batch_calls": calls, "seconds": [5.3, 5.1]}

    return {"benchmark": "batching", "finished": "2031-02-03 09:10:11 +0000",
            "environment": _environment(NEW), "model": "nano", "sentences": 256,
            "output_tokens_per_sentence": 32, "runs": 7,
            "configs": [{"threads": t, "beam": 1, "candidates": {
                "raw, one call": candidate(1.0, 1),
                "engine, chunks of 2048 tokens": candidate(r, 2)}}
                for t, r in ((1, 1.073), (2, 0.987))]}


def _cold_start() -> dict[str, Any]:
    return {"benchmark": "cold_start", "finished": "2031-02-03 10:11:12 +0000",
            "environment": _environment(OLD), "frozen_median_seconds": 0.4127,
            "target_seconds": 2.0, "bundle_bytes": 217_300_000,
            "load_average_before": [0.71]}


FIXTURE = {"throughput": _throughput, "latency": _latency, "memory": _memory,
           "download": _download, "trainer": _trainer, "batching": _batching,
           "cold_start": _cold_start}


# ----------------------------------------------------------------------------- derivations


def _leaves(value: Any) -> Iterator[float]:
    """Every number in a JSON value: numeric leaves, and numbers inside keys and strings."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        yield from (_number(m) for m in NUMBER.finditer(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(key)
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)


def _number(match: re.Match[str]) -> float:
    whole, fraction = match.group(1).replace(",", ""), match.group(2)
    return float(f"{whole}.{fraction}" if fraction else whole)


def _derived(data: dict[str, dict[str, Any]]) -> set[float]:
    """What the report may compute from the fixture, derived here independently."""
    values: set[float] = set()
    tp = data.get("throughput")
    if tp:
        for model in tp["models"]:
            by_key = {(c["threads"], c["beam"]): c for c in model["configs"]}
            spreads = []
            for config in model["configs"]:
                for name, side in config["sides"].items():
                    speeds = [side["tokens"] / s for s in side["seconds"]]
                    values |= set(speeds)
                    spreads.append(100 * (max(speeds) / min(speeds) - 1))
                    one = by_key.get((1, config["beam"]))
                    if one and config["threads"] > 1:  # thread scaling
                        values.add(side["tokens_per_second"]
                                   / one["sides"][name]["tokens_per_second"])
                ratios = {k: v["ratio"] for k, v in config["ratios"].items()}
                values.add(ratios["engine-int8 / hf-float32"]
                           / ratios["engine-float32 / hf-float32"])
            values |= set(spreads) | {sorted(spreads)[len(spreads) // 2]}
    lat = data.get("latency")
    if lat:
        arch = ARCHITECTURES["nano"]
        assert arch.vocab_size is not None
        step = (arch.decoder_layers * (8 * arch.d_model**2 + 2 * arch.d_model * arch.ffn_dim)
                + arch.vocab_size * arch.d_model)
        values |= {arch.d_model, arch.decoder_layers, arch.ffn_dim, arch.vocab_size, step / 1e6}
        for model in lat["models"]:
            for config in model["configs"]:
                ours = config["sides"]["engine-int8"]["p50_ms"]
                per_token = ours / model["output_tokens"]
                values |= {per_token, step / per_token / 1e6,
                           abs(ours - config["sides"]["ct2-int8"]["p50_ms"])}
    dl = data.get("download")
    if dl:
        for scenario in dl["scenarios"].values():
            args = scenario["server_args"]
            if args:
                values.add(float(args[1]) / float(args[3]) / 1e6)
    tr = data.get("trainer")
    if tr:
        for model in tr["models"]:
            for side in model["sides"].values():
                values |= {side["model_tflops_per_second"] * 1e3, side["padding_share"] * 100}
    cold = data.get("cold_start")
    if cold:
        values.add(cold["bundle_bytes"] / 1e6)
    return values


def _constants() -> set[float]:
    """The report's targets: fixed by the issues, not measured."""
    t = report_targets
    return {t.HF_TARGET, t.RAW_TARGET, t.LATENCY_TARGET_MS, t.PEAK_TARGET, t.BUNDLE_TARGET_MB,
            t.TRAINER_TARGET, t.MFU_TARGET * 100}


def _explained(token: re.Match[str], allowed: set[float]) -> bool:
    """The token is some allowed value rounded to the token's own number of decimals."""
    digits = len(token.group(2) or "")
    shown = _number(token)
    tolerance = 0.5 * 10**-digits + 1e-9
    small_integer = digits == 0 and shown <= 10  # figure and section numbers, counts
    return small_integer or any(abs(value - shown) <= tolerance for value in allowed)


# ----------------------------------------------------------------------------- helpers


@pytest.fixture
def fake_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """OLD predates the scores change, NEW comes after it; nothing else is known."""
    known = {OLD: False, NEW: True}
    monkeypatch.setattr(report_targets, "descends_from",
                        lambda ancestor, commit: known.get(commit))


def _write(folder: Path, data: dict[str, dict[str, Any]]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for name, result in data.items():
        (folder / f"{name}.json").write_text(json.dumps(result), encoding="utf-8")
    return report.write(folder).read_text(encoding="utf-8")


def _fixture() -> dict[str, dict[str, Any]]:
    return {name: make() for name, make in FIXTURE.items()}


def _paragraph(markdown: str, title: str) -> str | None:
    found = [line for line in markdown.splitlines() if line.startswith(f"**{title}.**")]
    return found[0] if found else None


# ----------------------------------------------------------------------------- tests


@pytest.mark.usefixtures("fake_git")
def test_every_number_in_the_report_comes_from_the_results(tmp_path: Path) -> None:
    data = _fixture()
    markdown = _write(tmp_path, data)
    allowed = set(_leaves(data)) | _derived(data) | _constants()
    unexplained = [(m.group(0), markdown[max(0, m.start() - 60):m.end() + 20])
                   for m in NUMBER.finditer(markdown) if not _explained(m, allowed)]
    assert not unexplained, unexplained
    # The explanations are there, filled from this fixture (not from an older run).
    for title in ("Against Hugging Face", "Ours vs raw CTranslate2", "Latency", "Memory",
                  "Downloads"):
        assert _paragraph(markdown, title), title
    assert "1873 MB/s" in markdown and "1748 MB/s" in markdown  # copy vs SHA-256 speed
    assert "7.7 ms per generated token" in markdown  # 247.1 ms p50 / 32 tokens
    for stale in ("324", "175", "1,045", "1,491", "7.8 ms", "~7 GB/s", "250 MB before"):
        assert stale not in markdown, stale


@pytest.mark.usefixtures("fake_git")
def test_headline_ratios_carry_their_like_for_like_companions(tmp_path: Path) -> None:
    markdown = _write(tmp_path, _fixture())
    assert "6.13× (float32 vs float32: 2.91×)" in markdown
    assert "at equal batch 64: 1.33× (vs 234 tokens/s)" in markdown
    assert "plain Seq2SeqTrainer, ours' batch" in markdown  # its row in the details
    rows = [line for line in markdown.splitlines() if line.startswith("| 5 |")]
    assert len(rows) == 2  # both download scenarios, side by side
    assert "unthrottled loopback, plain copy at 1873 MB/s" in rows[0]
    assert "server capped at 131 MB/s, plain copy at 117 MB/s" in rows[1]


@pytest.mark.usefixtures("fake_git")
def test_each_figure_names_its_commit_and_stale_ones_are_flagged(tmp_path: Path) -> None:
    data = _fixture()
    del data["download"]["environment"]  # an older download.json: no commit recorded
    markdown = _write(tmp_path, data)
    table = markdown[markdown.index("## Where each figure comes from"):]
    lines = {line.split(" | ")[0].strip("| "): line for line in table.splitlines()
             if line.startswith("| ") and "`" in line}
    assert OLD[:7] in lines["throughput"] and "stale" in lines["throughput"]
    assert NEW[:7] in lines["latency"] and "current" in lines["latency"]
    assert "commit not recorded" in lines["download"]
    assert "stale: measured before c741b4e" in lines["cold_start"]
    target_rows = [line for line in markdown.splitlines() if line.startswith("| 1 | ours")]
    assert target_rows and all("(stale)" in line for line in target_rows)
    latency_rows = [line for line in markdown.splitlines() if line.startswith("| 2 | nano")]
    assert latency_rows and not any("(stale)" in line for line in latency_rows)
    assert "> ⟲ **To re-run**: throughput, download, cold_start" in markdown


@pytest.mark.usefixtures("fake_git")
@pytest.mark.parametrize(("title", "remove"), [
    ("Downloads", lambda d: d["download"].pop("sha256_mb_per_s")),
    ("Downloads", lambda d: d["download"]["scenarios"]["loopback"].pop(
        "plain_requests_median_mb_per_s")),
    ("Latency", lambda d: d.pop("latency")),
    ("Memory", lambda d: d["memory"]["models"][0]["sizes_on_disk_mib"].pop("hf-checkpoint")),
    ("Against Hugging Face", lambda d: [c["ratios"].pop("engine-int8 / hf-float32")
                                        for c in d["throughput"]["models"][0]["configs"]]),
])
def test_an_explanation_without_its_inputs_is_left_out(
    tmp_path: Path, title: str, remove: Any
) -> None:
    data = _fixture()
    assert _paragraph(_write(tmp_path / "all", copy.deepcopy(data)), title)
    remove(data)
    assert _paragraph(_write(tmp_path / "less", data), title) is None


@pytest.mark.usefixtures("fake_git")
def test_sentences_without_their_inputs_are_left_out(tmp_path: Path) -> None:
    data = _fixture()
    for config in data["throughput"]["models"][0]["configs"]:
        for side in config["sides"].values():
            side["seconds"] = side["seconds"][:1]  # one run: no spread to report
    del data["batching"]
    paragraph = _paragraph(_write(tmp_path, data), "Ours vs raw CTranslate2")
    assert paragraph is not None
    assert "Noise" not in paragraph and "batch_sweep" not in paragraph
    assert "Chunking" in paragraph and "predates c741b4e" in paragraph
