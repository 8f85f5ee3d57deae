"""What differs between the two model families the app runs: Marian and NLLB.

A family decides how a package is tokenized (Marian: a source and a target SentencePiece
model; NLLB: one shared model and language tokens), which checkpoints convert into it, what a
manifest must say, and how decoding starts. Every ``if family == …`` of the core reads a field
here instead; the converter keeps its per-family hooks in ``models.convert.plan``, keyed by
:attr:`ModelFamily.name`. Adding a family means adding one :class:`ModelFamily` here, its
tokenizer in ``translate.tokenize`` and its converter in ``models.convert``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from terjman_desktop.core.languages import APP_DIRECTIONS, NLLB_LANGUAGE_TOKENS


@dataclass(frozen=True)
class ModelFamily:
    """One family of translation models."""

    name: str  # as in manifests and catalogs: "marian"
    display_name: str  # "Marian"
    hf_model_type: str  # config.json's model_type
    hf_architecture: str  # the one architecture converted
    # Tokenizer files of a package, as (source, target); the same file twice when shared.
    package_tokenizer: tuple[str, str]
    # Tokenizer files a Hub checkpoint must have for the conversion, then optional ones.
    checkpoint_tokenizer_required: tuple[str, ...]
    checkpoint_tokenizer_optional: tuple[str, ...]
    # Every direction needs a language token (NLLB) or none (Marian: one model per pair).
    needs_language_tokens: bool
    # Manifests written before ``forced_eos`` existed: whether the checkpoints forced </s>.
    forced_eos_default: bool
    # Directions a converted checkpoint offers when nothing else says.
    default_directions: tuple[tuple[str, str], ...]
    default_language_tokens: dict[str, str] = field(default_factory=dict)


MARIAN = ModelFamily(
    name="marian",
    display_name="Marian",
    hf_model_type="marian",
    hf_architecture="MarianMTModel",
    package_tokenizer=("source.spm", "target.spm"),
    checkpoint_tokenizer_required=("source.spm", "target.spm", "vocab.json"),
    checkpoint_tokenizer_optional=(
        "tokenizer_config.json", "added_tokens.json", "special_tokens_map.json",
    ),
    needs_language_tokens=False,
    forced_eos_default=True,
    default_directions=(APP_DIRECTIONS[0],),
)

NLLB = ModelFamily(
    name="nllb",
    display_name="NLLB",
    hf_model_type="m2m_100",
    hf_architecture="M2M100ForConditionalGeneration",
    package_tokenizer=("sentencepiece.bpe.model", "sentencepiece.bpe.model"),
    checkpoint_tokenizer_required=("sentencepiece.bpe.model", "tokenizer.json"),
    checkpoint_tokenizer_optional=(
        "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
    ),
    needs_language_tokens=True,
    forced_eos_default=False,
    default_directions=APP_DIRECTIONS,
    default_language_tokens=dict(NLLB_LANGUAGE_TOKENS),
)

FAMILIES: dict[str, ModelFamily] = {f.name: f for f in (MARIAN, NLLB)}
FAMILY_NAMES: tuple[str, ...] = tuple(FAMILIES)
BY_MODEL_TYPE: dict[str, ModelFamily] = {f.hf_model_type: f for f in FAMILIES.values()}
