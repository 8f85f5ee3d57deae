"""The decoding settings ``generate`` would use, as tokens of the rebuilt vocabulary.

``generate`` reads ``generation_config.json`` when the checkpoint has one and then ignores
``config.json`` for these settings; without one it derives them from ``config.json``
(``GenerationConfig.from_model_config``), where missing keys take the config class's
defaults.

The decoder start token written into CTranslate2's ``config.json`` is also ``generate``'s.
CTranslate2's converter reads ``config.json``'s ``decoder_start_token_id`` instead; the two
agree unless ``generation_config.json`` was edited after training (the published
Terjman-Ultra's was), and then matching ``generate`` is what the app needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert.architecture import Architecture
from terjman_desktop.core.models.convert.checkpoint import Checkpoint


@dataclass(frozen=True)
class Decoding:
    decoder_start_token: str
    eos_tokens: tuple[str, ...]
    pad_token: str | None
    forced_bos_token: str | None
    forced_eos_token: str | None
    bad_words: tuple[tuple[str, ...], ...]
    max_length: int | None


def settings(checkpoint: Checkpoint, arch: Architecture) -> Mapping[str, Any]:
    """Where ``generate`` takes its settings from (see the module docstring)."""
    if checkpoint.generation_config is not None:
        return checkpoint.generation_config
    return arch.values


def decoder_start_id(values: Mapping[str, Any]) -> int:
    """``generate``'s ``_get_decoder_start_token_id``: the start token, else ``bos``."""
    for key in ("decoder_start_token_id", "bos_token_id"):
        value = values.get(key)
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    raise ConversionError(
        "The checkpoint names no decoder start token (decoder_start_token_id or "
        "bos_token_id), so it cannot be decoded.", hint="Re-download the model repository.")


def read_decoding(values: Mapping[str, Any], vocabulary: Sequence[str]) -> Decoding:
    """The settings in ``values`` as tokens of ``vocabulary``."""

    def token(key: str, index: Any) -> str:
        if not isinstance(index, int) or isinstance(index, bool) or not (
            0 <= index < len(vocabulary)
        ):
            raise ConversionError(
                f"The checkpoint's {key} is {index!r}, not a token id of its "
                f"{len(vocabulary)}-token vocabulary.", hint="Re-download the model repository.")
        return vocabulary[index]

    def optional(key: str) -> str | None:
        value = values.get(key)
        if isinstance(value, list):  # forced_eos_token_id may be a list; the first is forced
            value = value[0] if value else None
        return None if value is None else token(key, value)

    eos = values.get("eos_token_id")
    eos_ids = eos if isinstance(eos, list) else ([] if eos is None else [eos])
    bad = values.get("bad_words_ids") or []
    if not isinstance(bad, list) or not all(isinstance(words, list) for words in bad):
        raise ConversionError(f"The checkpoint's bad_words_ids is malformed: {bad!r}.")
    max_length = values.get("max_length")
    return Decoding(
        decoder_start_token=token("decoder_start_token_id", decoder_start_id(values)),
        eos_tokens=tuple(token("eos_token_id", i) for i in eos_ids),
        pad_token=optional("pad_token_id"),
        forced_bos_token=optional("forced_bos_token_id"),
        forced_eos_token=optional("forced_eos_token_id"),
        bad_words=tuple(tuple(token("bad_words_ids", i) for i in words) for words in bad),
        max_length=max_length if isinstance(max_length, int) else None,
    )
