"""What a checkpoint is, from its ``config.json`` alone: supported or not, and its sizes.

The app calls :func:`inspect_config` on a repository's ``config.json`` before downloading
gigabytes of weights. Keys missing from ``config.json`` take the defaults of transformers'
``MarianConfig`` / ``M2M100Config``, because that is what ``from_pretrained`` would use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.families import FAMILIES

QUANTIZATIONS = (
    "int8", "int8_float16", "int8_float32", "int8_bfloat16", "float16", "bfloat16", "float32",
)
# model_type → (the one architecture accepted, family name used by the app)
SUPPORTED = {f.hf_model_type: (f.hf_architecture, f.name) for f in FAMILIES.values()}
SUPPORTED_TEXT = (
    "Terjman converts MarianMTModel (model_type 'marian': Terjman Nano, Large) and "
    "M2M100ForConditionalGeneration (model_type 'm2m_100': NLLB, Terjman Ultra, Supreme) "
    "checkpoints."
)
# The activations CTranslate2's transformers converter knows (its _SUPPORTED_ACTIVATIONS).
ACTIVATIONS = ("gelu", "gelu_fast", "gelu_new", "gelu_python", "gelu_pytorch_tanh",
               "quick_gelu", "relu", "silu", "swish")
FLOAT_DTYPES = ("float32", "float16", "bfloat16")
# Position tables are computed, not read, so their size comes from config.json alone; real
# models have 512 or 1024 positions. This bound keeps a hostile config from asking for
# gigabytes.
MAX_POSITIONS = 16384

# transformers 5's defaults for the keys this converter reads.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "marian": {
        "vocab_size": 58101, "decoder_vocab_size": None, "max_position_embeddings": 1024,
        "encoder_layers": 12, "decoder_layers": 12, "encoder_attention_heads": 16,
        "decoder_attention_heads": 16, "encoder_ffn_dim": 4096, "decoder_ffn_dim": 4096,
        "activation_function": "gelu", "d_model": 1024, "scale_embedding": False,
        "pad_token_id": 58100, "eos_token_id": 0, "bos_token_id": None,
        "decoder_start_token_id": 58100, "forced_eos_token_id": 0,
        "share_encoder_decoder_embeddings": True, "tie_word_embeddings": True,
    },
    "m2m_100": {
        "vocab_size": 128112, "max_position_embeddings": 1024, "encoder_layers": 12,
        "decoder_layers": 12, "encoder_attention_heads": 16, "decoder_attention_heads": 16,
        "encoder_ffn_dim": 4096, "decoder_ffn_dim": 4096, "activation_function": "relu",
        "d_model": 1024, "scale_embedding": True, "pad_token_id": 1, "bos_token_id": 0,
        "eos_token_id": 2, "decoder_start_token_id": 2, "tie_word_embeddings": True,
    },
}


def unsupported(detail: str) -> ConversionError:
    return ConversionError(f"This checkpoint cannot be converted: {detail}.",
                           hint=SUPPORTED_TEXT)


@dataclass(frozen=True)
class Architecture:
    """The sizes and switches of a supported checkpoint, defaults filled in."""

    model_type: str
    family: str
    d_model: int
    encoder_layers: int
    decoder_layers: int
    heads: int
    encoder_ffn_dim: int
    decoder_ffn_dim: int
    vocab_size: int
    max_position_embeddings: int
    activation: str
    scale_embedding: bool
    tie_word_embeddings: bool
    pad_token_id: int | None
    dtype: str  # the type the weights are loaded in before conversion (see load_dtype)
    values: Mapping[str, Any]  # config.json with the defaults filled in

    def get(self, key: str) -> Any:
        return self.values.get(key)


def _positive(values: Mapping[str, Any], key: str) -> int:
    value = values.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ConversionError(f"config.json: '{key}' must be a positive integer, not {value!r}.",
                              hint="Re-download the checkpoint.")
    return value


def load_dtype(model_type: str, values: Mapping[str, Any]) -> str:
    """The float type the weights are converted from, as the torch conversion loads them.

    Marian checkpoints were always loaded in float32 by the trainer's converter (its
    ``<pad>`` fix needs float32 arithmetic); CTranslate2's transformers converter loads
    other checkpoints in the ``dtype`` of ``config.json`` (float32 when it has none). With
    ``int8`` quantization the unquantized variables (biases, norms) keep this type.
    """
    if model_type == "marian":
        return "float32"
    dtype = values.get("dtype") or values.get("torch_dtype") or "float32"
    if dtype not in FLOAT_DTYPES:
        raise unsupported(f"config.json's dtype is {dtype!r}; it must be one of {FLOAT_DTYPES}")
    return str(dtype)


def inspect_config(config: Mapping[str, Any]) -> str:
    """``"marian"`` or ``"nllb"``: which family a ``config.json`` describes, if convertible.

    Decides from the configuration alone, so the app can refuse a repository before
    downloading its weights.

    Raises:
        ConversionError: The architecture is not one Terjman converts, or the configuration
            asks for something the converter cannot reproduce exactly.
    """
    return architecture(config).family


def architecture(config: Mapping[str, Any]) -> Architecture:
    """The checked :class:`Architecture` of ``config`` (see :func:`inspect_config`)."""
    if not isinstance(config, Mapping):
        raise unsupported("config.json is not a JSON object")
    model_type = config.get("model_type")
    if model_type not in SUPPORTED:
        raise unsupported(f"its model_type is {str(model_type)[:60]!r}")
    expected, family = SUPPORTED[str(model_type)]
    architectures = config.get("architectures")
    if architectures and (not isinstance(architectures, list) or expected not in architectures):
        raise unsupported(f"its architectures are {str(architectures)[:120]}, not {expected}")
    values = {**_DEFAULTS[str(model_type)], **config}
    sizes = {key: _positive(values, key) for key in (
        "d_model", "encoder_layers", "decoder_layers", "encoder_attention_heads",
        "decoder_attention_heads", "encoder_ffn_dim", "decoder_ffn_dim", "vocab_size",
        "max_position_embeddings")}
    if sizes["max_position_embeddings"] > MAX_POSITIONS:
        raise unsupported(f"its max_position_embeddings ({sizes['max_position_embeddings']}) "
                          f"is beyond {MAX_POSITIONS}")
    if sizes["encoder_attention_heads"] != sizes["decoder_attention_heads"]:
        raise unsupported("its encoder and decoder have different numbers of attention heads, "
                          "which CTranslate2's Transformer cannot hold")
    if sizes["d_model"] % sizes["encoder_attention_heads"]:
        raise unsupported("d_model is not a multiple of the number of attention heads")
    activation = values.get("activation_function")
    if activation not in ACTIVATIONS:
        raise unsupported(f"its activation function {str(activation)[:40]!r} is not one of "
                          f"{', '.join(ACTIVATIONS)}")
    if model_type == "marian":
        if not values.get("share_encoder_decoder_embeddings"):
            raise unsupported("this Marian model has separate source and target embeddings "
                              "(share_encoder_decoder_embeddings is false)")
        decoder_vocab = values.get("decoder_vocab_size")
        if decoder_vocab is not None and decoder_vocab != sizes["vocab_size"]:
            raise unsupported(f"this Marian model has a separate target vocabulary "
                              f"(decoder_vocab_size {decoder_vocab} ≠ vocab_size "
                              f"{sizes['vocab_size']})")
    pad = values.get("pad_token_id")
    if pad is not None and (not isinstance(pad, int) or isinstance(pad, bool)):
        raise ConversionError(f"config.json: pad_token_id must be an integer, not {pad!r}.")
    return Architecture(
        model_type=str(model_type), family=family, d_model=sizes["d_model"],
        encoder_layers=sizes["encoder_layers"], decoder_layers=sizes["decoder_layers"],
        heads=sizes["encoder_attention_heads"], encoder_ffn_dim=sizes["encoder_ffn_dim"],
        decoder_ffn_dim=sizes["decoder_ffn_dim"], vocab_size=sizes["vocab_size"],
        max_position_embeddings=sizes["max_position_embeddings"], activation=str(activation),
        scale_embedding=bool(values.get("scale_embedding")),
        tie_word_embeddings=bool(values.get("tie_word_embeddings", True)),
        pad_token_id=pad, dtype=load_dtype(str(model_type), values), values=values,
    )
