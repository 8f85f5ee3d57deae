"""What a conversion produced, and how the checkpoint's own ``generate`` would decode."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ConvertedModel:
    """A converted model folder and the decoding facts the app needs to match ``generate``.

    The token fields come from ``generation_config.json`` when the checkpoint has one, else
    from ``config.json`` — what transformers' ``generate`` reads. A field is None (or empty)
    when that file does not set it: a missing ``forced_eos_token_id`` in a
    ``generation_config.json`` means no forced ``</s>``, even if ``config.json`` has one.

    Attributes:
        output_dir: The folder written.
        family: ``"marian"`` or ``"nllb"``.
        quantization: The CTranslate2 quantization of ``model.bin``.
        files: Names of every file written in ``output_dir``.
        tokenizer_files: (source, target) SentencePiece models the app tokenizes with, in
            ``output_dir`` unless the caller copies them; NLLB names its one model twice.
        vocabulary_size: Number of tokens (= the model's embeddings).
        language_tokens: NLLB language codes (``eng_Latn``, ``ary_Arab``…) or Marian
            ``>>xxx<<`` tokens present in the vocabulary, in id order.
        max_position_embeddings: Longest sequence the model has positions for.
        decoder_start_token: The token the decoder starts from (``generate``'s
            ``decoder_start_token_id``, falling back to ``bos_token_id``).
        eos_tokens: Tokens that end generation.
        pad_token: The padding token.
        forced_bos_token: Token forced first after the start token (NLLB target language).
        forced_eos_token: Token forced when the length limit is reached.
        bad_words: Token sequences ``generate`` never produces (Marian: ``<pad>``).
        max_length: ``generate``'s default length limit; None when unset (transformers
            then stops at 20 tokens).
        vocabulary: Every token, in id order (what ``shared_vocabulary.json`` holds).
    """

    output_dir: Path
    family: str
    quantization: str
    files: tuple[str, ...]
    tokenizer_files: tuple[str, str]
    vocabulary_size: int
    language_tokens: tuple[str, ...]
    max_position_embeddings: int
    decoder_start_token: str
    eos_tokens: tuple[str, ...]
    pad_token: str | None
    forced_bos_token: str | None
    forced_eos_token: str | None
    bad_words: tuple[tuple[str, ...], ...]
    max_length: int | None
    vocabulary: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def max_input_tokens(self) -> int:
        """The longest source sentence, in tokens, the engine sends to this model.

        Sentences are split well below the position limit: models are trained on sentences.
        """
        return max(8, min(256, self.max_position_embeddings - 2))

    @property
    def forced_eos(self) -> bool:
        """Whether ``generate`` forces a token (``</s>``) when the length limit is reached."""
        return self.forced_eos_token is not None

    def has_token(self, token: str) -> bool:
        """Whether ``token`` is in the vocabulary (a catalog's prefix token, say)."""
        return token in self.vocabulary

    def has_language_token(self, token: str) -> bool:
        """Whether the vocabulary has ``token`` (``"eng_Latn"``, ``"ary_Arab"``, ``">>ary<<"``)."""
        return token in self.language_tokens
