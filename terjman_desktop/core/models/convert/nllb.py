"""NLLB / M2M100 (Terjman Ultra and Supreme) checkpoints as a CTranslate2 spec.

CTranslate2's ``M2M100Loader``: a pre-norm Transformer with final layer norms on both sides,
no layer norm after the embeddings, sinusoidal positions with M2M100's offset of 2, and the
output projection tied to the shared embeddings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.families import NLLB
from terjman_desktop.core.models.convert import dtypes
from terjman_desktop.core.models.convert.architecture import Architecture
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.decoding import Decoding
from terjman_desktop.core.models.convert.layers import (
    Weights,
    fill_embeddings,
    fill_layers,
    transformer_spec,
)
from terjman_desktop.core.models.convert.positions import m2m100_positions
from terjman_desktop.core.models.convert.sources import TENSOR, ArraySource
from terjman_desktop.core.models.convert.vocabulary import special_token

TOKENIZER_FILES = NLLB.package_tokenizer
POSITION_OFFSET = 2


def _positions(arch: Architecture) -> ArraySource:
    shape = (arch.max_position_embeddings, arch.d_model)
    pad = arch.pad_token_id
    if pad is not None and not -(shape[0] + POSITION_OFFSET) <= pad < shape[0] + POSITION_OFFSET:
        raise ConversionError(f"config.json's pad_token_id {pad} is outside the position "
                              "table.", hint="Re-download the model repository.")

    def make() -> npt.NDArray[Any]:
        table = m2m100_positions(shape[0], shape[1], pad, POSITION_OFFSET)
        # _init_weights copies the float32 table into the model's own type.
        return np.ascontiguousarray(dtypes.convert(table, "float32", arch.dtype))

    return ArraySource(shape, arch.dtype, TENSOR, make)


def nllb_spec(checkpoint: Checkpoint, arch: Architecture) -> Any:
    """The spec of an M2M100 checkpoint, its variables lazy sources."""
    weights = Weights(checkpoint, arch)
    spec = transformer_spec(arch, pre_norm=True)
    fill_embeddings(spec, weights, _positions(arch))
    d = arch.d_model
    for side in ("encoder", "decoder"):
        layer_norm = getattr(spec, side).layer_norm
        layer_norm.gamma = weights.get(f"{side}.layer_norm.weight", (d,))
        layer_norm.beta = weights.get(f"{side}.layer_norm.bias", (d,))
    fill_layers(spec, weights)
    return spec


def configure_nllb(
    spec: Any, checkpoint: Checkpoint, vocabulary: Sequence[str], decoding: Decoding
) -> None:
    """``BartLoader.set_config``: the tokenizer's special tokens and the start token."""
    del vocabulary
    spec.config.bos_token = special_token(checkpoint, "bos_token", "<s>")
    spec.config.eos_token = special_token(checkpoint, "eos_token", "</s>")
    spec.config.unk_token = special_token(checkpoint, "unk_token", "<unk>")
    spec.config.decoder_start_token = decoding.decoder_start_token
