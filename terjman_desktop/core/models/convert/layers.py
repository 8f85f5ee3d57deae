"""Filling a CTranslate2 ``TransformerSpec`` from a BART-style checkpoint (Marian, M2M100).

The mapping is CTranslate2's ``BartLoader`` (``set_encoder``, ``set_decoder``,
``set_attention``, ``set_common_layers``) with state-dict names in place of torch modules:
query/key/value projections fused by stacking their rows (``utils.fuse_linear``), layer
norms as gamma/beta, the output projection from ``lm_head`` or from the tied embeddings.
Every tensor is checked for presence, type and shape before anything is written.
"""

from __future__ import annotations

import math
from typing import Any

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert.architecture import Architecture
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.ct2 import specs
from terjman_desktop.core.models.convert.dtypes import FLOAT_TYPES
from terjman_desktop.core.models.convert.sources import ConcatSource, Source, TensorSource

# transformers' activation names → CTranslate2's Activation members (its converter's table).
ACTIVATIONS = {
    "gelu": "GELU", "gelu_fast": "GELUTanh", "gelu_new": "GELUTanh", "gelu_python": "GELU",
    "gelu_pytorch_tanh": "GELUTanh", "quick_gelu": "GELUSigmoid", "relu": "RELU",
    "silu": "SWISH", "swish": "SWISH",
}


class Weights:
    """The checkpoint's tensors as sources in the load type, checked on access."""

    def __init__(self, checkpoint: Checkpoint, arch: Architecture) -> None:
        self.checkpoint = checkpoint
        self.arch = arch
        names = checkpoint.tensors
        # Checkpoints of the bare model (no "model." prefix) load into the LM class too.
        self.prefix = "model." if any(n.startswith("model.") for n in names) else ""

    def has(self, name: str) -> bool:
        return self.checkpoint.tensor(self.prefix + name) is not None

    def get(self, name: str, shape: tuple[int, ...], *, full_name: bool = False,
            view: tuple[int, ...] | None = None) -> TensorSource:
        """The tensor ``name`` (after the model prefix), which must have ``shape``."""
        key = name if full_name else self.prefix + name
        stored = self.checkpoint.tensor(key)
        if stored is None:
            raise ConversionError(
                f"'{self.checkpoint.folder}' is incomplete: its weights have no '{key}'.",
                hint="Download every weight file of the model repository.")
        if stored.dtype not in FLOAT_TYPES:
            raise ConversionError(
                f"'{key}' is stored as {stored.dtype}; only float32, float16 and bfloat16 "
                "weights can be converted.")
        if stored.shape != shape:
            raise ConversionError(
                f"'{key}' has the shape {list(stored.shape)} where the model's config.json "
                f"implies {list(shape)}: the weights and config.json do not belong together.",
                hint="Re-download the model repository.")
        return TensorSource(self.checkpoint, stored, self.arch.dtype, view)

    def first_of(self, names: list[str], shape: tuple[int, ...]) -> TensorSource:
        """The first of ``names`` (full names) present: tied weights, as from_pretrained ties.

        transformers 5 ties a missing weight to the first present one of its group; a
        weight present in the checkpoint keeps its own values even when tied.
        """
        for name in names:
            if self.checkpoint.tensor(name) is not None:
                return self.get(name, shape, full_name=True)
        return self.get(names[0], shape, full_name=True)


def transformer_spec(arch: Architecture, *, pre_norm: bool) -> Any:
    """An empty ``TransformerSpec`` of ``arch``'s shape, as ``BartLoader.get_model_spec``."""
    ct2 = specs()
    return ct2.TransformerSpec.from_config(
        (arch.encoder_layers, arch.decoder_layers), arch.heads, pre_norm=pre_norm,
        activation=getattr(ct2.Activation, ACTIVATIONS[arch.activation]),
        layernorm_embedding=False,
    )


def _linear(spec: Any, weights: Weights, name: str, rows: int, columns: int) -> None:
    spec.weight = weights.get(f"{name}.weight", (rows, columns))
    spec.bias = weights.get(f"{name}.bias", (rows,))


def _fused(spec: Any, weights: Weights, names: list[str], d: int) -> None:
    parts = [(weights.get(f"{n}.weight", (d, d)), weights.get(f"{n}.bias", (d,)))
             for n in names]
    spec.weight = ConcatSource([w for w, _ in parts])
    spec.bias = ConcatSource([b for _, b in parts])


def _layer_norm(spec: Any, weights: Weights, name: str, d: int) -> None:
    spec.gamma = weights.get(f"{name}.weight", (d,))
    spec.beta = weights.get(f"{name}.bias", (d,))


def _attention(spec: Any, weights: Weights, name: str, d: int, *, self_attention: bool) -> None:
    projections = [f"{name}.q_proj", f"{name}.k_proj", f"{name}.v_proj"]
    if self_attention:
        _fused(spec.linear[0], weights, projections, d)
    else:
        _fused(spec.linear[0], weights, projections[:1], d)
        _fused(spec.linear[1], weights, projections[1:], d)
    _linear(spec.linear[-1], weights, f"{name}.out_proj", d, d)


def _feed_forward(spec: Any, weights: Weights, layer: str, d: int, ffn: int) -> None:
    _linear(spec.linear_0, weights, f"{layer}.fc1", ffn, d)
    _linear(spec.linear_1, weights, f"{layer}.fc2", d, ffn)
    _layer_norm(spec.layer_norm, weights, f"{layer}.final_layer_norm", d)


def fill_layers(spec: Any, weights: Weights) -> None:
    """Every encoder and decoder layer of ``spec``, as ``set_encoder``/``set_decoder``."""
    arch = weights.arch
    d = arch.d_model
    for i, layer in enumerate(spec.encoder.layer):
        name = f"encoder.layers.{i}"
        _attention(layer.self_attention, weights, f"{name}.self_attn", d, self_attention=True)
        _layer_norm(layer.self_attention.layer_norm, weights, f"{name}.self_attn_layer_norm", d)
        _feed_forward(layer.ffn, weights, name, d, arch.encoder_ffn_dim)
    for i, layer in enumerate(spec.decoder.layer):
        name = f"decoder.layers.{i}"
        _attention(layer.self_attention, weights, f"{name}.self_attn", d, self_attention=True)
        _layer_norm(layer.self_attention.layer_norm, weights, f"{name}.self_attn_layer_norm", d)
        _attention(layer.attention, weights, f"{name}.encoder_attn", d, self_attention=False)
        _layer_norm(layer.attention.layer_norm, weights, f"{name}.encoder_attn_layer_norm", d)
        _feed_forward(layer.ffn, weights, name, d, arch.decoder_ffn_dim)


def fill_embeddings(spec: Any, weights: Weights, positions: Source) -> None:
    """Token embeddings, their scale, position tables and the output projection.

    The embeddings and ``lm_head`` form one tied group when ``tie_word_embeddings`` holds
    (``model.shared.weight`` is its source); otherwise each must be stored.
    """
    arch = weights.arch
    shape = (arch.vocab_size, arch.d_model)
    p = weights.prefix
    shared = f"{p}shared.weight"
    encoder, decoder, head = (f"{p}encoder.embed_tokens.weight",
                              f"{p}decoder.embed_tokens.weight", "lm_head.weight")
    if arch.tie_word_embeddings:
        group = [shared, encoder, decoder, head]
        spec.encoder.embeddings[0].weight = weights.first_of([encoder, *group], shape)
        spec.decoder.embeddings.weight = weights.first_of([decoder, *group], shape)
        spec.decoder.projection.weight = weights.first_of([head, *group], shape)
    else:
        spec.encoder.embeddings[0].weight = weights.get(encoder, shape, full_name=True)
        spec.decoder.embeddings.weight = weights.get(decoder, shape, full_name=True)
        spec.decoder.projection.weight = weights.get(head, shape, full_name=True)
    # transformers' embed_scale: math.sqrt(d_model) (a float, stored as float32 by CTranslate2).
    scale = math.sqrt(arch.d_model) if arch.scale_embedding else 1.0
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = scale
        side.position_encodings.encodings = positions
