"""Shared pytest configuration: Qt runs offscreen, Terjman's folders live in a temp dir."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

# Must be set before any QApplication exists; pytest-qt creates it lazily.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def terjman_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own TERJMAN_HOME so nothing touches the real user folders."""
    home = tmp_path / "terjman-home"
    monkeypatch.setenv("TERJMAN_HOME", str(home))
    return home


HUB_ENVIRONMENT = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "TERJMAN_HF_TOKEN", "HF_ENDPOINT",
                   "HF_HUB_DISABLE_IMPLICIT_TOKEN", "HF_TOKEN_PATH")


@pytest.fixture(autouse=True)
def no_hub_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No Hugging Face token or endpoint of the machine running the tests reaches them.

    HF_HOME moves too, so the token file ``hf auth login`` saved is not found either.
    """
    for name in HUB_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))


# ----------------------------------------------------------------------------- tiny models
#
# Session-scoped fixtures that build tiny *real* models: SentencePiece models trained on a
# templated English⇄Darija corpus, Marian and NLLB-style checkpoints trained for a few hundred
# steps (so outputs are real pieces and the tied <pad> start embedding has moved, as in real
# fine-tuning), exported through the trainer's own export path. Builds are cached in pytest's
# cache folder, keyed by the source of the code that builds them, so re-runs are fast.

MODEL_BUILDER_SOURCES = (
    "trainer/synthetic.py",
    "trainer/synthetic_corpus.py",
    "trainer/convert.py",
    "trainer/package.py",
    "terjman_desktop/core/translate/package.py",
    "terjman_desktop/core/translate/manifest.py",
    "terjman_desktop/core/translate/manifest_rules.py",
)
TRAIN_STEPS = 400


def _builder_key() -> str:
    """Everything that changes the built models: code, step count and library versions.

    Training runs on one thread with deterministic algorithms (trainer.synthetic), so the
    machine's thread count does not change the result and is not part of the key.
    """
    import hashlib

    import ctranslate2
    import numpy
    import sentencepiece
    import torch
    import transformers

    root = Path(__file__).resolve().parent.parent
    versions = "|".join(
        str(v) for v in (
            TRAIN_STEPS, ctranslate2.__version__, transformers.__version__, torch.__version__,
            sentencepiece.__version__, numpy.__version__,
        )
    )
    digest = hashlib.sha256(versions.encode())
    for name in MODEL_BUILDER_SOURCES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:16]


def _cached_build(cache_root: Path, name: str, build: Callable[[Path], None]) -> Path:
    """Build into a temporary folder, then rename: concurrent sessions never see half a model."""
    import shutil
    import tempfile

    final = cache_root / name
    if final.exists():
        return final
    cache_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_root))
    try:
        build(work / name)
        try:
            (work / name).rename(final)
        except OSError:
            if not final.exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


@pytest.fixture(scope="session")
def tiny_models_dir(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    cache = getattr(request.config, "cache", None)  # absent with -p no:cacheprovider
    root = Path(cache.mkdir("tiny-models")) if cache else tmp_path_factory.mktemp("tiny-models")
    return root / _builder_key()


@pytest.fixture(scope="session")
def marian_checkpoint(tiny_models_dir: Path) -> Path:
    from trainer.synthetic import build_marian
    from trainer.synthetic_corpus import parallel_pairs

    return _cached_build(
        tiny_models_dir, "marian-hf",
        lambda out: build_marian(out, parallel_pairs(), train_steps=TRAIN_STEPS) and None,
    )


@pytest.fixture(scope="session")
def nllb_checkpoint(tiny_models_dir: Path) -> Path:
    from trainer.synthetic import build_nllb
    from trainer.synthetic_corpus import parallel_pairs

    return _cached_build(
        tiny_models_dir, "nllb-hf",
        lambda out: build_nllb(out, parallel_pairs(), train_steps=TRAIN_STEPS) and None,
    )


def _export(checkpoint: Path, model_id: str, quantization: str) -> Callable[[Path], None]:
    def build(out: Path) -> None:
        from trainer.package import PackageInfo, export_package

        info = PackageInfo(model_id=model_id, name=f"Tiny test model {model_id}", version="1.0",
                           base_model="tests/synthetic")
        export_package(checkpoint, out, info, quantization=quantization)

    return build


@pytest.fixture(scope="session")
def marian_package(tiny_models_dir: Path, marian_checkpoint: Path) -> Path:
    """A float32 Marian package: its greedy output must equal Hugging Face's."""
    return _cached_build(tiny_models_dir, "tiny-marian-f32",
                         _export(marian_checkpoint, "tiny-marian-f32", "float32"))


@pytest.fixture(scope="session")
def marian_package_int8(tiny_models_dir: Path, marian_checkpoint: Path) -> Path:
    return _cached_build(tiny_models_dir, "tiny-marian-int8",
                         _export(marian_checkpoint, "tiny-marian-int8", "int8"))


@pytest.fixture(scope="session")
def nllb_package(tiny_models_dir: Path, nllb_checkpoint: Path) -> Path:
    return _cached_build(tiny_models_dir, "tiny-nllb-f32",
                         _export(nllb_checkpoint, "tiny-nllb-f32", "float32"))


# ----------------------------------------------------------------------------- converter inputs
#
# The packages above are converted by terjman_desktop.core.models.convert (through
# trainer/convert.py), so its code is part of what builds them.
MODEL_BUILDER_SOURCES += tuple(
    str(path.relative_to(Path(__file__).resolve().parent.parent))
    for path in sorted((Path(__file__).resolve().parent.parent
                        / "terjman_desktop/core/models/convert").glob("*.py"))
)


@pytest.fixture(scope="session")
def untrained_marian_checkpoint(tiny_models_dir: Path) -> Path:
    """A random-init Marian: every LayerNorm weight is 1 and bias 0, so many variables alias."""
    from trainer.synthetic import build_marian
    from trainer.synthetic_corpus import parallel_pairs

    return _cached_build(tiny_models_dir, "marian-untrained-hf",
                         lambda out: build_marian(out, parallel_pairs(), train_steps=0) and None)


@pytest.fixture(scope="session")
def untrained_nllb_checkpoint(tiny_models_dir: Path) -> Path:
    from trainer.synthetic import build_nllb
    from trainer.synthetic_corpus import parallel_pairs

    return _cached_build(tiny_models_dir, "nllb-untrained-hf",
                         lambda out: build_nllb(out, parallel_pairs(), train_steps=0) and None)


@pytest.fixture(scope="session")
def checkpoint_variant(
    tiny_models_dir: Path, marian_checkpoint: Path, nllb_checkpoint: Path
) -> Callable[[str, str], Path]:
    """``checkpoint_variant(family, variant)``: the trained tiny checkpoint saved another way.

    Variants (tests/core/checkpoint_variants.py): ``float16`` and ``bfloat16`` safetensors,
    ``sharded`` safetensors (``save_pretrained(max_shard_size=...)``), ``bin`` (only a
    ``pytorch_model.bin``), ``bin-legacy`` (the same in PyTorch's pre-1.6 format),
    ``bin-sharded`` (three ``.bin`` shards and their index) and,
    for NLLB, ``madeup-words`` (two more embeddings than tokens, like NLLB-200).
    """
    sources = {"marian": marian_checkpoint, "nllb": nllb_checkpoint}

    def variant(family: str, kind: str) -> Path:
        from tests.core import checkpoint_variants as variants

        source = sources[family]
        builders: dict[str, Callable[[Path], object]] = {
            "float16": lambda out: variants.resaved(source, out, dtype="float16"),
            "bfloat16": lambda out: variants.resaved(source, out, dtype="bfloat16"),
            "sharded": lambda out: variants.resaved(source, out, max_shard_size="200KB"),
            "bin": lambda out: variants.saved_as_bin(source, out),
            "bin-sharded": lambda out: variants.saved_as_bin(source, out, shards=3),
            "bin-legacy": lambda out: variants.saved_as_bin(source, out, legacy=True),
            "madeup-words": lambda out: variants.with_madeup_words(source, out),
        }
        return _cached_build(tiny_models_dir, f"{family}-{kind}-hf",
                             lambda out: builders[kind](out) and None)

    return variant
