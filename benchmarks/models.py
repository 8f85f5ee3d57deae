"""Random-weight models at the real Terjman architectures, built once and cached.

Each model is a Hugging Face checkpoint built by ``trainer.synthetic`` (real SentencePiece
models trained on the benchmark corpus, vocabulary padded to the real size, random weights)
and its packages exported through our own export path (``trainer.package.export_package``)
at int8 (the app's default) and float32. Everything lives under ``benchmarks/work/models``
(gitignored), keyed by architecture, corpus, the converter's versions and
:data:`BUILD_VERSION` (bump it when the builders change in a way that matters), so re-runs
reuse it; ``python -m benchmarks.run --rebuild`` builds afresh.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import corpus, log, work_dir

BUILD_VERSION = 1
# ``tiny-nllb``: the tiny sizes as an NLLB model, to check the NLLB code paths in seconds.
FAMILIES = {"tiny": "marian", "tiny-nllb": "nllb", "nano": "marian", "large": "marian",
            "ultra": "nllb", "supreme": "nllb"}
# Marian models have one SentencePiece model per language, NLLB one for both; these sizes
# give DODa sentences a realistic number of pieces (a few thousand pieces per language).
SPM_VOCAB = {"marian": 8000, "nllb": 16000}
SPM_VOCAB_SYNTHETIC = {"marian": 400, "nllb": 600}


@dataclass(frozen=True)
class BuiltModel:
    arch: str
    family: str
    checkpoint: Path  # Hugging Face folder (float32 safetensors + tokenizer)
    packages: dict[str, Path]  # quantization -> Terjman package folder


def _key(arch: str) -> str:
    import ctranslate2
    import transformers

    versions = f"ct2-{ctranslate2.__version__}-tf-{transformers.__version__}"
    return f"{arch}-{corpus()[0]}-{versions}-v{BUILD_VERSION}"


def _atomic(final: Path, build: Callable[[Path], None]) -> Path:
    """Build into a temporary sibling and rename: an interrupted build leaves nothing."""
    if final.exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        build(work / final.name)
        (work / final.name).rename(final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def model_dir(arch: str) -> Path:
    return work_dir() / "models" / _key(arch)


def build(
    arch: str, quantizations: tuple[str, ...] = ("int8", "float32"), *, rebuild: bool = False
) -> BuiltModel:
    """The checkpoint and packages of ``arch`` (``tiny``, ``nano``, ``large``, ``ultra``...)."""
    from trainer import synthetic
    from trainer.package import PackageInfo, export_package

    family = FAMILIES[arch]
    architecture = synthetic.ARCHITECTURES[arch.removesuffix("-nllb")]
    root = model_dir(arch)
    if rebuild and root.exists():
        shutil.rmtree(root)
    corpus_name, pairs = corpus()
    vocab = (SPM_VOCAB if corpus_name == "doda" else SPM_VOCAB_SYNTHETIC)[family]
    builder = synthetic.build_nllb if family == "nllb" else synthetic.build_marian

    def make_checkpoint(out: Path) -> None:
        log(f"building the {arch} checkpoint (random weights) in {root.name}")
        builder(out, list(pairs), architecture, train_steps=0, spm_vocab_size=vocab)

    checkpoint = _atomic(root / "hf", make_checkpoint)
    packages: dict[str, Path] = {}
    for quantization in quantizations:
        def make_package(out: Path, quantization: str = quantization) -> None:
            log(f"exporting {arch} at {quantization}")
            info = PackageInfo(
                model_id=f"bench-{arch}-{quantization}".replace("_", "-"),
                name=f"Benchmark {arch} (random weights, {quantization})",
                base_model="benchmarks/random-weights",
            )
            export_package(checkpoint, out, info, quantization=quantization)

        packages[quantization] = _atomic(root / f"package-{quantization}", make_package)
    return BuiltModel(arch, family, checkpoint, packages)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build_in_subprocess(
    arch: str, quantizations: tuple[str, ...] = ("int8", "float32"), *, rebuild: bool = False
) -> BuiltModel:
    """:func:`build` in a child process: its memory (gigabytes for Ultra) is given back, and
    running out of it kills the child, not the benchmark run."""
    import json
    import subprocess
    import sys

    from benchmarks.common import REPO

    command = [sys.executable, "-m", "benchmarks.models", arch,
               "--quantizations", ",".join(quantizations)] + (["--rebuild"] if rebuild else [])
    completed = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE, text=True,
                               check=False)
    if completed.returncode != 0:
        killed = completed.returncode < 0 or completed.returncode == 137
        raise RuntimeError(
            f"building {arch} failed with exit status {completed.returncode}"
            + (" (killed: probably out of memory)" if killed else "")
        )
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return BuiltModel(arch, data["family"], Path(data["checkpoint"]),
                      {q: Path(p) for q, p in data["packages"].items()})


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Build (or find) a cached benchmark model.")
    parser.add_argument("arch", choices=sorted(FAMILIES))
    parser.add_argument("--quantizations", default="int8,float32")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    quantizations = tuple(q for q in args.quantizations.split(",") if q)
    model = build(args.arch, quantizations, rebuild=args.rebuild)
    print(json.dumps({
        "family": model.family, "checkpoint": str(model.checkpoint),
        "packages": {q: str(p) for q, p in model.packages.items()},
    }))


if __name__ == "__main__":
    main()
