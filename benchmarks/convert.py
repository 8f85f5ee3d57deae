"""Converting a checkpoint: our torch-free converter against the torch path, time and memory.

Each side converts the same random-weight checkpoint (``benchmarks.models``: Nano, Ultra…,
float32 safetensors as ``trainer.synthetic`` saves them) to int8 in a fresh process:
``terjman_desktop.core.models.convert.convert_checkpoint`` (numpy, CTranslate2's specs, the
streaming ``model.bin`` writer) against ``trainer.convert.convert_checkpoint_with_torch``
(transformers loads the model, CTranslate2's loader, ``spec.optimize`` and ``spec.save``).
A process reports the conversion's wall time (imports excluded, reported apart) and its
peak resident memory (``VmHWM``). The checkpoint is read once before the runs, so every
side finds it in the page cache; sides alternate, in rotating order, and each figure is the
median over the runs. Both outputs are compared byte for byte once.

Published NLLB checkpoints hold two bytes per weight, so ``ultra-f16`` and ``supreme-f16``
are float16 checkpoints with random weights written here by :func:`half_nllb_checkpoint`
(streamed to disk, tokenizer files taken from the Ultra build): building Supreme through
transformers would need about 26 GB. Supreme is converted by our side only; the torch path
would hold its 6.6 GB of weights and their int8 copy at once.

Usage::

    python -m benchmarks.convert --models nano,ultra,ultra-f16,supreme-f16 [--runs 3]
    python -m benchmarks.convert worker SPEC.json      # one side, one conversion
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, log, median, work_dir, write_result
from benchmarks.models import BuiltModel, folder_size
from benchmarks.processes import run_module, worker_env

SIDES = ("terjman-int8", "torch-int8")
MIB = 2**20


# ----------------------------------------------------------------------------- the worker


def convert_once(spec: dict[str, Any]) -> dict[str, Any]:
    """One conversion in this (fresh) process: wall time, peak RSS, what was loaded."""
    from benchmarks.worker import peak_rss_bytes, rss_bytes

    side, checkpoint, output = spec["side"], Path(spec["checkpoint"]), Path(spec["output"])
    started = time.perf_counter()
    rss_start = rss_bytes()
    if side.startswith("terjman"):
        from terjman_desktop.core.models.convert import convert_checkpoint
    else:
        import ctranslate2.converters  # noqa: F401  # what the torch path imports, up front
        import torch  # noqa: F401
        import transformers  # noqa: F401

        from trainer.convert import convert_checkpoint_with_torch
    imported = time.perf_counter()
    rss_imported = rss_bytes()
    if side.startswith("terjman"):
        convert_checkpoint(checkpoint, output, quantization=spec["quantization"])
    else:
        convert_checkpoint_with_torch(checkpoint, output, spec["quantization"])
    finished = time.perf_counter()
    return {
        "import_seconds": imported - started,
        "convert_seconds": finished - imported,
        "rss_start_bytes": rss_start,
        "rss_after_import_bytes": rss_imported,
        "peak_rss_bytes": peak_rss_bytes(),
        "torch_loaded": "torch" in sys.modules,
        "model_bin_bytes": (output / "model.bin").stat().st_size,
    }


def _worker(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text("utf-8"))
    report = convert_once(spec)
    print(json.dumps(report))


# ----------------------------------------------------------------------------- the figure


def _warm(checkpoint: Path) -> None:
    """Read the weights once, so no side pays for the first read from disk."""
    for path in sorted(checkpoint.iterdir()):
        if path.suffix in (".safetensors", ".bin"):
            with open(path, "rb", buffering=0) as handle:
                while handle.read(64 * MIB):
                    pass


def measure(
    model: BuiltModel, *, runs: int = 3, threads: int = 2, quantization: str = "int8",
    sides: Sequence[str] = SIDES,
) -> dict[str, Any]:
    """Both sides on ``model``'s checkpoint, interleaved over ``runs`` runs."""
    _warm(model.checkpoint)
    scratch = Path(tempfile.mkdtemp(prefix=f"convert-{model.arch}-", dir=work_dir()))
    reports: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    identical: bool | None = None
    try:
        for run in range(runs):
            order = list(sides[run % len(sides):]) + list(sides[: run % len(sides)])
            for side in order:
                output = scratch / side
                spec = {"side": side, "checkpoint": str(model.checkpoint),
                        "output": str(output), "quantization": quantization,
                        "threads": threads}
                reports[side].append(run_module(
                    "benchmarks.convert", "worker", spec, name=f"convert-{model.arch}-{side}",
                    env=worker_env(threads), timeout=4 * 3600))
                log(f"convert {model.arch} run {run + 1}/{runs} {side}: "
                    f"{reports[side][-1]['convert_seconds']:.1f} s, peak "
                    f"{reports[side][-1]['peak_rss_bytes'] / MIB:.0f} MiB")
            if identical is None and len(sides) == 2:
                identical = _same_output(*(scratch / side for side in sides))
            for side in sides:
                shutil.rmtree(scratch / side, ignore_errors=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    per_side = {side: _summary(values) for side, values in reports.items()}
    result: dict[str, Any] = {
        "model": model.arch,
        "family": model.family,
        "quantization": quantization,
        "runs": runs,
        "threads": threads,
        "checkpoint_mib": round(folder_size(model.checkpoint) / MIB, 1),
        "sides": per_side,
        "identical_model_bin": identical,
    }
    if set(SIDES) <= set(per_side):
        ours, theirs = per_side["terjman-int8"], per_side["torch-int8"]
        result["peak_ratio_vs_torch"] = round(ours["peak_rss_mib"] / theirs["peak_rss_mib"], 3)
        result["time_ratio_vs_torch"] = round(
            ours["convert_seconds"] / theirs["convert_seconds"], 3)
    return result


def _same_output(ours: Path, theirs: Path) -> bool:
    """Whether the two folders' model.bin, config.json and vocabulary are identical.

    For NLLB the position table may differ in its last bits (see
    terjman_desktop/core/models/convert/positions.py), so NLLB models compare False here.
    """
    names = ("model.bin", "config.json", "shared_vocabulary.json")
    for name in names:
        a, b = ours / name, theirs / name
        if a.stat().st_size != b.stat().st_size:
            return False
        with open(a, "rb") as left, open(b, "rb") as right:
            while True:
                block = left.read(64 * MIB)
                if block != right.read(64 * MIB):
                    return False
                if not block:
                    break
    return True


# ----------------------------------------------------------------------------- half checkpoints

HALF = {"ultra-f16": "ultra", "supreme-f16": "supreme"}
OURS_ONLY = {"supreme-f16"}
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "sentencepiece.bpe.model")


def _nllb_tensors(d: int, layers: int, ffn: int, vocab: int) -> dict[str, tuple[int, ...]]:
    """The stored tensors of an M2M100ForConditionalGeneration (lm_head tied, not stored)."""
    shapes: dict[str, tuple[int, ...]] = {"model.shared.weight": (vocab, d)}
    for side in ("encoder", "decoder"):
        shapes[f"model.{side}.layer_norm.weight"] = (d,)
        shapes[f"model.{side}.layer_norm.bias"] = (d,)
        for i in range(layers):
            prefix = f"model.{side}.layers.{i}."
            for attention in ["self_attn"] + (["encoder_attn"] if side == "decoder" else []):
                for projection in ("q_proj", "k_proj", "v_proj", "out_proj"):
                    shapes[f"{prefix}{attention}.{projection}.weight"] = (d, d)
                    shapes[f"{prefix}{attention}.{projection}.bias"] = (d,)
                shapes[f"{prefix}{attention}_layer_norm.weight"] = (d,)
                shapes[f"{prefix}{attention}_layer_norm.bias"] = (d,)
            shapes[f"{prefix}fc1.weight"] = (ffn, d)
            shapes[f"{prefix}fc1.bias"] = (ffn,)
            shapes[f"{prefix}fc2.weight"] = (d, ffn)
            shapes[f"{prefix}fc2.bias"] = (d,)
            shapes[f"{prefix}final_layer_norm.weight"] = (d,)
            shapes[f"{prefix}final_layer_norm.bias"] = (d,)
    return shapes


def half_nllb_checkpoint(arch: str, tokenizer_from: Path) -> Path:
    """A float16 NLLB checkpoint of ``arch``'s sizes with random weights, built once.

    Weights and biases are N(0, 0.02), layer norms ones and zeros (transformers' init);
    the safetensors file is written tensor by tensor, so building it needs little memory.
    """
    import numpy as np

    from benchmarks.models import _atomic
    from trainer import synthetic

    size = synthetic.ARCHITECTURES[arch]
    vocab_size = size.vocab_size
    assert vocab_size is not None

    def build(out: Path) -> None:
        log(f"writing a random float16 {arch} checkpoint in {out.parent.name}")
        out.mkdir(parents=True)
        for name in _TOKENIZER_FILES:
            shutil.copy2(tokenizer_from / name, out / name)
        config = json.loads((tokenizer_from / "config.json").read_text("utf-8"))
        config.update(d_model=size.d_model, encoder_layers=size.encoder_layers,
                      decoder_layers=size.decoder_layers, encoder_attention_heads=size.heads,
                      decoder_attention_heads=size.heads, encoder_ffn_dim=size.ffn_dim,
                      decoder_ffn_dim=size.ffn_dim, vocab_size=vocab_size,
                      max_position_embeddings=size.max_positions, dtype="float16")
        (out / "config.json").write_text(json.dumps(config, indent=2), "utf-8")
        shutil.copy2(tokenizer_from / "generation_config.json", out / "generation_config.json")
        shapes = _nllb_tensors(size.d_model, size.encoder_layers, size.ffn_dim, vocab_size)
        header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
        offset = 0
        for name, shape in shapes.items():
            count = 2 * int(np.prod(shape))
            header[name] = {"dtype": "F16", "shape": list(shape),
                            "data_offsets": [offset, offset + count]}
            offset += count
        raw = json.dumps(header).encode("utf-8")
        raw += b" " * (-len(raw) % 8)
        rng = np.random.default_rng(0)
        with open(out / "model.safetensors", "wb") as handle:
            handle.write(len(raw).to_bytes(8, "little") + raw)
            for name, shape in shapes.items():
                if name.endswith("norm.weight"):
                    handle.write(np.ones(shape, np.float16).tobytes())
                    continue
                if name.endswith("norm.bias"):
                    handle.write(np.zeros(shape, np.float16).tobytes())
                    continue
                rows = shape[0]
                step = max(1, (8 * MIB) // (4 * int(np.prod(shape[1:]))))
                for start in range(0, rows, step):
                    block = rng.standard_normal((min(rows, start + step) - start, *shape[1:]),
                                                dtype=np.float32) * np.float32(0.02)
                    handle.write(block.astype(np.float16).tobytes())

    return _atomic(work_dir() / "models" / f"{arch}-random-float16" / "hf", build)


def _summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "convert_seconds": round(median([r["convert_seconds"] for r in reports]), 2),
        "convert_seconds_runs": [round(r["convert_seconds"], 2) for r in reports],
        "import_seconds": round(median([r["import_seconds"] for r in reports]), 2),
        "peak_rss_mib": round(median([r["peak_rss_bytes"] for r in reports]) / MIB, 1),
        "rss_after_import_mib": round(
            median([r["rss_after_import_bytes"] for r in reports]) / MIB, 1),
        "torch_loaded": any(r["torch_loaded"] for r in reports),
        "model_bin_mib": round(reports[-1]["model_bin_bytes"] / MIB, 1),
    }


# ----------------------------------------------------------------------------- standalone


def model(arch: str) -> BuiltModel:
    """The checkpoint of ``arch``: a cached benchmark model, or a half one (see above)."""
    from benchmarks.models import build_in_subprocess

    if arch not in HALF:
        return build_in_subprocess(arch, ())
    tokenizer_from = build_in_subprocess("ultra", ()).checkpoint
    return BuiltModel(arch, "nllb", half_nllb_checkpoint(HALF[arch], tokenizer_from), {})


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["worker"]:
        _worker(args[1])
        return 0
    parser = argparse.ArgumentParser(prog="python -m benchmarks.convert",
                                     description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--models", default="nano", help="comma-separated architectures")
    parser.add_argument("--runs", type=int, default=3, help="runs per side (Ultra: 1)")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    parsed = parser.parse_args(args)
    models = []
    for arch in (m.strip() for m in parsed.models.split(",") if m.strip()):
        runs = 1 if arch.startswith(("ultra", "supreme")) else parsed.runs
        models.append(measure(model(arch), runs=runs,
                              sides=SIDES[:1] if arch in OURS_ONLY else SIDES))
    path = write_result("convert", {"models": models}, parsed.results_dir)
    log(f"convert: wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
