"""SentencePiece-only tokenizers for the two model families (no transformers at run time).

Each tokenizer turns one clean sentence into the source tokens CTranslate2 expects, gives
the target prefix for a direction (which the engine has checked once, with
``direction.check_direction``), and turns generated tokens back into text exactly the way
Hugging Face's tokenizers decode the same pieces (``skip_special_tokens=True``), so what the
app shows equals what the checkpoint's own tooling would show. The tests prove this token for
token against ``transformers`` on trained tiny models.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from terjman_desktop.core.errors import TokenizerError, UnsupportedDirectionError
from terjman_desktop.core.families import FAMILIES

if TYPE_CHECKING:
    from terjman_desktop.core.translate.package import ModelPackage

SPIECE_UNDERLINE = "▁"
EOS = "</s>"


class Tokenizer(Protocol):
    """What the engine needs from a tokenizer."""

    def encode(self, text: str, source: str, target: str) -> list[str]:
        """Source tokens for one sentence, special tokens included."""

    def target_prefix(self, source: str, target: str) -> list[str]:
        """Tokens the decoder is forced to start with (stripped from the output)."""

    def decode(self, tokens: Sequence[str]) -> str:
        """Text of generated tokens (the target prefix already removed)."""

    def count(self, text: str) -> int:
        """Number of source tokens ``encode`` would produce for ``text``.

        The engine keeps the tokens of ``encode`` instead: counting would tokenize again.
        """


def _load_spm(path: Path) -> object:
    import sentencepiece  # imported here: loading the library is work, import time is not

    if not path.is_file():
        raise TokenizerError(
            f"The tokenizer file '{path.name}' is missing from {path.parent}.",
            hint="Re-install or re-import the model.",
        )
    processor = sentencepiece.SentencePieceProcessor()
    try:
        processor.Load(str(path))
    except (OSError, RuntimeError) as error:
        raise TokenizerError(
            f"The tokenizer file '{path}' cannot be read ({error}).",
            hint="The model is damaged: re-install or re-import it.",
        ) from error
    return processor


class _SentencePiece:
    """A thread-safe wrapper: SentencePieceProcessor objects are not documented as such."""

    def __init__(self, path: Path) -> None:
        self._processor = _load_spm(path)
        self._lock = threading.Lock()

    def pieces(self, text: str) -> list[str]:
        with self._lock:
            result: list[str] = self._processor.EncodeAsPieces(text)  # type: ignore[attr-defined]
        return result

    def decode_pieces(self, pieces: Sequence[str]) -> str:
        with self._lock:
            result: str = self._processor.DecodePieces(list(pieces))  # type: ignore[attr-defined]
        return result

    def vocabulary(self) -> list[str]:
        """Every piece of the model, in id order (special pieces included)."""
        processor = self._processor
        with self._lock:
            size: int = processor.GetPieceSize()  # type: ignore[attr-defined]
            return [processor.IdToPiece(i) for i in range(size)]  # type: ignore[attr-defined]


class MarianTokenizer:
    """Marian (OPUS-MT) tokenization: ``source.spm`` in, ``target.spm`` out, ``</s>`` last.

    Args:
        source_spm: SentencePiece model of the source language.
        target_spm: SentencePiece model of the target language.
        source_prefix: Tokens put before the sentence, e.g. ``>>ary<<`` for multi-target models.
        target_prefix: Tokens forced at the start of the output, if the model needs any.
    """

    # Hugging Face's MarianTokenizer treats these as special and drops them when decoding.
    SPECIAL = frozenset({EOS, "<unk>", "<pad>"})

    def __init__(
        self,
        source_spm: Path,
        target_spm: Path,
        source_prefix: Sequence[str] = (),
        target_prefix: Sequence[str] = (),
    ) -> None:
        self._source = _SentencePiece(source_spm)
        self._target = _SentencePiece(target_spm)
        self._source_prefix = list(source_prefix)
        self._target_prefix = list(target_prefix)

    # A Marian model's tokens do not depend on the direction: a multi-target model's
    # ">>ary<<" is its manifest's source prefix.
    def encode(self, text: str, source: str, target: str) -> list[str]:
        return [*self._source_prefix, *self._source.pieces(text), EOS]

    def target_prefix(self, source: str, target: str) -> list[str]:
        return list(self._target_prefix)

    def count(self, text: str) -> int:
        return len(self._source_prefix) + len(self._source.pieces(text)) + 1

    def decode(self, tokens: Sequence[str]) -> str:
        # Same steps as transformers' MarianTokenizer.convert_tokens_to_string with
        # skip_special_tokens: pieces either model does not know pass through SentencePiece
        # literally (with their "▁"), which the final replace turns into spaces.
        pieces = [t for t in tokens if t not in self.SPECIAL and t not in self._target_prefix]
        text = self._target.decode_pieces(pieces)
        return text.replace(SPIECE_UNDERLINE, " ").strip()


class NllbTokenizer:
    """NLLB-200 tokenization: one ``sentencepiece.bpe.model``, language tokens as prefixes.

    The source is ``[source language token] pieces </s>``; the target language token is the
    decoder's forced first token (CTranslate2 target prefix) and is removed from the output.
    ``target_tokens`` overrides that first token per target language (``None``: nothing is
    forced, the model chooses its own first token, as generate does without
    ``forced_bos_token_id``).
    """

    SPECIAL = frozenset({"<s>", EOS, "<unk>", "<pad>", "<mask>"})

    def __init__(
        self,
        spm_path: Path,
        language_tokens: dict[str, str],
        target_tokens: dict[str, str | None] | None = None,
    ) -> None:
        self._spm = _SentencePiece(spm_path)
        self._language_tokens = dict(language_tokens)
        self._target_tokens = dict(target_tokens or {})
        self._all_language_tokens = frozenset(
            [*language_tokens.values(), *(t for t in self._target_tokens.values() if t)]
        )

    def _token(self, code: str) -> str:
        # Only a caller that skipped check_direction can get here with an unknown code.
        try:
            return self._language_tokens[code]
        except KeyError:
            known = ", ".join(sorted(self._language_tokens))
            raise UnsupportedDirectionError(
                f"This model has no language token for '{code}' (it knows {known})."
            ) from None

    def encode(self, text: str, source: str, target: str) -> list[str]:
        return [self._token(source), *self._spm.pieces(text), EOS]

    def target_prefix(self, source: str, target: str) -> list[str]:
        token = self._token(target)
        if target in self._target_tokens:
            forced = self._target_tokens[target]
            return [] if forced is None else [forced]
        return [token]

    def count(self, text: str) -> int:
        return len(self._spm.pieces(text)) + 2

    def decode(self, tokens: Sequence[str]) -> str:
        # transformers' NLLB tokenizer decodes with a Metaspace decoder: "▁" becomes a space
        # and the first kept piece loses its leading space. Language tokens are special.
        pieces = [
            t for t in tokens if t not in self.SPECIAL and t not in self._all_language_tokens
        ]
        text = "".join(pieces).replace(SPIECE_UNDERLINE, " ")
        return text[1:] if text.startswith(" ") else text


def target_sentencepiece(package: ModelPackage) -> _SentencePiece:
    """The SentencePiece model of a package's target side (NLLB: its one shared model).

    For the vocabulary-map builder, which re-tokenizes translations into target pieces.
    """
    return _SentencePiece(package.file(package.manifest.tokenizer.target))


def load_tokenizer(package: ModelPackage) -> Tokenizer:
    """Build the tokenizer a package's manifest describes."""
    manifest = package.manifest
    if FAMILIES[manifest.family].needs_language_tokens:  # one shared model, language tokens
        spm_path = package.file(manifest.tokenizer.source)
        return NllbTokenizer(spm_path, dict(manifest.language_tokens),
                             dict(manifest.target_language_tokens))
    return MarianTokenizer(
        package.file(manifest.tokenizer.source),
        package.file(manifest.tokenizer.target),
        manifest.source_prefix,
        manifest.target_prefix,
    )
