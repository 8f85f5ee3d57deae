"""The torch-free converter writes the same files as the torch path it replaced.

``trainer.convert.convert_checkpoint_with_torch`` is CTranslate2's own conversion (its
transformers loaders, ``spec.optimize``, ``spec.save``) with the trainer's Marian ``<pad>``
fix. For every quantization, on trained checkpoints (``<pad>`` moved), untrained ones (equal
LayerNorms, so many aliases), half-precision, sharded and ``.bin`` checkpoints, the core
converter's ``model.bin``, ``config.json`` and ``shared_vocabulary.json`` must be identical.

One table cannot be bit-identical: transformers computes NLLB's sinusoidal positions with
torch's float32 ``sin``/``cos``/``exp`` (MKL or SLEEF), which numpy cannot reproduce (see
``terjman_desktop/core/models/convert/positions.py``). The NLLB comparisons therefore hand our
converter torch's own table (``torch_positions``), which proves every other byte; a separate
test shows that without it only that table differs, by less than 1e-4.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from terjman_desktop.core.models.convert import QUANTIZATIONS, convert_checkpoint
from tests.core.checkpoint_variants import read_model_bin

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

pytestmark = pytest.mark.slow

FILES = ("model.bin", "config.json", "shared_vocabulary.json")
POSITIONS = ("decoder/position_encodings/encodings", "encoder/position_encodings/encodings")


@pytest.fixture
def torch_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our NLLB converter, given transformers' own position table (see the docstring)."""
    from transformers.models.m2m_100.modeling_m2m_100 import (
        M2M100SinusoidalPositionalEmbedding,
    )

    from terjman_desktop.core.models.convert import nllb

    def table(positions: int, dim: int, padding_idx: int | None, offset: int = 2) -> Any:
        full = M2M100SinusoidalPositionalEmbedding.get_embedding(positions + offset, dim,
                                                                 padding_idx)
        return full[offset:].numpy().copy()

    monkeypatch.setattr(nllb, "m2m100_positions", table)


def both(checkpoint: Path, tmp_path: Path, quantization: str) -> tuple[Path, Path]:
    from trainer.convert import convert_checkpoint_with_torch

    ours, theirs = tmp_path / f"ours-{quantization}", tmp_path / f"torch-{quantization}"
    convert_checkpoint(checkpoint, ours, quantization=quantization)
    convert_checkpoint_with_torch(checkpoint, theirs, quantization)
    return ours, theirs


def differing_variables(ours: Path, theirs: Path) -> list[str]:
    a, b = read_model_bin(ours / "model.bin"), read_model_bin(theirs / "model.bin")
    names = sorted(set(a["variables"]) | set(b["variables"]))
    differing = [n for n in names if a["variables"].get(n) != b["variables"].get(n)]
    if a["aliases"] != b["aliases"]:
        differing.append(f"aliases {a['aliases']} != {b['aliases']}")
    return differing


def assert_same_files(ours: Path, theirs: Path) -> None:
    for name in FILES:
        if (ours / name).read_bytes() != (theirs / name).read_bytes():
            detail = differing_variables(ours, theirs) if name == "model.bin" else ""
            pytest.fail(f"{name} differs {detail}")


@pytest.mark.parametrize("quantization", QUANTIZATIONS)
@pytest.mark.parametrize("family", ["marian", "nllb"])
@pytest.mark.usefixtures("torch_positions")
def test_trained_checkpoints_convert_identically(
    family: str, quantization: str, marian_checkpoint: Path, nllb_checkpoint: Path,
    tmp_path: Path,
) -> None:
    checkpoint = marian_checkpoint if family == "marian" else nllb_checkpoint
    ours, theirs = both(checkpoint, tmp_path, quantization)
    assert_same_files(ours, theirs)
    if family == "marian":  # the fix is there: <pad> kept, started from, never generated
        config = (ours / "config.json").read_text("utf-8")
        assert '"decoder_start_token": "<pad>"' in config
        variables = read_model_bin(ours / "model.bin")["variables"]
        assert variables["decoder/start_from_zero_embedding"][2] == b"\x00"
        assert "decoder/projection/bias" in variables


@pytest.mark.parametrize("quantization", ["float32", "int8", "float16"])
@pytest.mark.parametrize("family", ["marian", "nllb"])
@pytest.mark.usefixtures("torch_positions")
def test_untrained_checkpoints_alias_identically(
    family: str, quantization: str, untrained_marian_checkpoint: Path,
    untrained_nllb_checkpoint: Path, tmp_path: Path,
) -> None:
    checkpoint = untrained_marian_checkpoint if family == "marian" else untrained_nllb_checkpoint
    ours, theirs = both(checkpoint, tmp_path, quantization)
    assert_same_files(ours, theirs)
    aliases = read_model_bin(ours / "model.bin")["aliases"]
    # All LayerNorm weights are ones and all their biases zeros: they alias the first one.
    gammas = [a for a in aliases if a.endswith("/gamma")]
    assert len(gammas) >= 7
    assert len({aliases[a] for a in gammas}) == 1


@pytest.mark.parametrize(
    ("family", "variant"),
    [("marian", "float16"), ("marian", "bfloat16"), ("nllb", "float16"), ("nllb", "bfloat16"),
     ("nllb", "madeup-words")],
)
@pytest.mark.parametrize("quantization", ["int8", "float16", "float32", "bfloat16"])
@pytest.mark.usefixtures("torch_positions")
def test_half_precision_and_padded_checkpoints_convert_like_the_torch_path(
    family: str, variant: str, quantization: str,
    checkpoint_variant: Callable[[str, str], Path], tmp_path: Path,
) -> None:
    ours, theirs = both(checkpoint_variant(family, variant), tmp_path, quantization)
    assert_same_files(ours, theirs)


def test_nllb_checkpoints_keep_their_half_type_for_unquantized_variables(
    checkpoint_variant: Callable[[str, str], Path], tmp_path: Path,
) -> None:
    # As CTranslate2's converter loads an NLLB checkpoint in its config's dtype, int8 leaves
    # biases and norms in float16; Marian is always loaded in float32 by the trainer's path.
    convert_checkpoint(checkpoint_variant("nllb", "float16"), tmp_path / "n", quantization="int8")
    convert_checkpoint(checkpoint_variant("marian", "float16"), tmp_path / "m",
                       quantization="int8")
    nllb = read_model_bin(tmp_path / "n" / "model.bin")["variables"]
    marian = read_model_bin(tmp_path / "m" / "model.bin")["variables"]
    assert nllb["encoder/layer_0/ffn/linear_0/bias"][1] == "float16"
    assert nllb["encoder/layer_0/ffn/linear_0/weight"][1] == "int8"
    assert marian["encoder/layer_0/ffn/linear_0/bias"][1] == "float32"


@pytest.mark.parametrize("variant", ["sharded", "bin", "bin-sharded", "bin-legacy"])
@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_sharded_and_bin_checkpoints_convert_like_the_single_safetensors_file(
    family: str, variant: str, marian_checkpoint: Path, nllb_checkpoint: Path,
    checkpoint_variant: Callable[[str, str], Path], tmp_path: Path,
) -> None:
    original = marian_checkpoint if family == "marian" else nllb_checkpoint
    saved = checkpoint_variant(family, variant)
    assert not (saved / "model.safetensors").exists()
    convert_checkpoint(original, tmp_path / "original", quantization="int8")
    convert_checkpoint(saved, tmp_path / "variant", quantization="int8")
    assert_same_files(tmp_path / "variant", tmp_path / "original")


def test_without_torchs_table_only_nllb_positions_differ_and_barely(
    nllb_checkpoint: Path, tmp_path: Path
) -> None:
    ours, theirs = both(nllb_checkpoint, tmp_path, "float32")
    for name in FILES[1:]:
        assert (ours / name).read_bytes() == (theirs / name).read_bytes()
    assert differing_variables(ours, theirs) == [POSITIONS[0]]  # the encoder's is an alias
    a = read_model_bin(ours / "model.bin")["variables"][POSITIONS[0]]
    b = read_model_bin(theirs / "model.bin")["variables"][POSITIONS[0]]
    difference = np.abs(np.frombuffer(a[2], np.float32) - np.frombuffer(b[2], np.float32))
    assert difference.max() < 1e-4


def test_the_trainers_convert_checkpoint_is_the_core_converter(
    marian_checkpoint: Path, tmp_path: Path
) -> None:
    from trainer.convert import convert_checkpoint as trainer_convert
    from trainer.convert import convert_checkpoint_with_torch

    ours = trainer_convert(marian_checkpoint, tmp_path / "ours", "int8")
    theirs = convert_checkpoint_with_torch(marian_checkpoint, tmp_path / "torch", "int8")
    # The same files: trainer.package copies the SentencePiece models itself.
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())
    assert_same_files(ours, theirs)
    # Like before, an existing output folder is replaced.
    assert trainer_convert(marian_checkpoint, ours, "float32") == ours
    assert read_model_bin(ours / "model.bin")["variables"]["decoder/embeddings/weight"][1] == (
        "float32")
