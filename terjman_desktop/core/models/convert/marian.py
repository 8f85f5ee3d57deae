"""Marian (OPUS-MT, Terjman Nano and Large) checkpoints as a CTranslate2 spec.

This is CTranslate2's ``MarianMTLoader`` with the fix the trainer has always applied, and
which must be kept: Hugging Face's Marian decoder starts from the embedding of ``<pad>``
(``decoder_start_token_id``), a row tied to the output layer that fine-tuning moves away
from zero. The stock loader drops the ``<pad>`` rows and starts from a zero vector, which
changes every translation of a fine-tuned checkpoint. Here ``<pad>`` stays in the
vocabulary and is the decoder start token (``start_from_zero_embedding = False``), and its
output bias is -1e4 so it is never generated — what ``bad_words_ids=[[pad]]`` does in
``generate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.families import MARIAN
from terjman_desktop.core.models.convert.architecture import Architecture
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.decoding import Decoding
from terjman_desktop.core.models.convert.layers import (
    Weights,
    fill_embeddings,
    fill_layers,
    transformer_spec,
)
from terjman_desktop.core.models.convert.positions import marian_positions
from terjman_desktop.core.models.convert.sources import NUMPY, TENSOR, ArraySource, Source
from terjman_desktop.core.models.convert.vocabulary import special_token

TOKENIZER_FILES = MARIAN.package_tokenizer
# exp(-1e4) is 0 in float32, and the value is still finite in float16 (max 65504).
NEVER_GENERATE_BIAS = -1.0e4


def _positions(weights: Weights, side: str, computed: Source) -> Source:
    """A stored table (older checkpoints saved them) or the one transformers computes."""
    name = f"{side}.embed_positions.weight"
    if weights.has(name):
        arch = weights.arch
        return weights.get(name, (arch.max_position_embeddings, arch.d_model))
    return computed


def _output_bias(weights: Weights) -> ArraySource:
    """``final_logits_bias`` (zeros when absent) with ``<pad>`` at -1e4, as a numpy array."""
    arch = weights.arch
    vocab_size = arch.vocab_size
    pad = arch.pad_token_id
    if pad is None or not 0 <= pad < vocab_size:
        raise ConversionError(f"config.json's pad_token_id {pad!r} is not a token of this "
                              "Marian model.", hint="Re-download the model repository.")
    stored = (weights.get("final_logits_bias", (1, vocab_size), full_name=True)
              if weights.checkpoint.tensor("final_logits_bias") else None)

    def make() -> npt.NDArray[np.float32]:
        bias = (np.zeros(vocab_size, dtype=np.float32) if stored is None
                else stored.rows(0, 1).reshape(vocab_size).astype(np.float32))
        bias[pad] = NEVER_GENERATE_BIAS
        return bias

    # The trainer's loader built this bias in numpy: CTranslate2 never aliases it to a tensor.
    return ArraySource((vocab_size,), "float32", NUMPY, make)


def marian_spec(checkpoint: Checkpoint, arch: Architecture) -> Any:
    """The spec of a Marian checkpoint, its variables lazy sources."""
    weights = Weights(checkpoint, arch)
    spec = transformer_spec(arch, pre_norm=False)
    shape = (arch.max_position_embeddings, arch.d_model)
    computed = ArraySource(shape, "float32", TENSOR, lambda: marian_positions(*shape))
    fill_embeddings(spec, weights, computed)
    spec.encoder.position_encodings.encodings = _positions(weights, "encoder", computed)
    spec.decoder.position_encodings.encodings = _positions(weights, "decoder", computed)
    fill_layers(spec, weights)
    spec.decoder.projection.bias = _output_bias(weights)
    spec.decoder.start_from_zero_embedding = False
    return spec


def configure_marian(
    spec: Any, checkpoint: Checkpoint, vocabulary: Sequence[str], decoding: Decoding
) -> None:
    """The CTranslate2 config the trainer's Marian loader wrote (``bos_token`` left unset)."""
    del vocabulary
    spec.config.eos_token = special_token(checkpoint, "eos_token", "</s>")
    spec.config.unk_token = special_token(checkpoint, "unk_token", "<unk>")
    spec.config.decoder_start_token = decoding.decoder_start_token
