"""Vocabularies rebuilt from a repository's own tokenizer files, in the model's id order.

The list written to ``shared_vocabulary.json`` must give every id the token the model was
trained with, and equal what CTranslate2's transformers converter derives from the
transformers tokenizer (``sorted(tokenizer.get_vocab().items(), key=id)``, then its
per-family adjustments). Where the files do not pin that list down — gaps or duplicate ids,
more tokens than embeddings, declared language codes with no id — conversion is refused:
a guessed vocabulary would translate into the wrong words without any error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.families import FAMILIES
from terjman_desktop.core.models.convert.checkpoint import (
    MAX_TOKENIZER_JSON_BYTES,
    Checkpoint,
    read_json,
    read_json_object,
)

NLLB_LANGUAGE_CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")
MARIAN_LANGUAGE_TOKEN = re.compile(r"^>>[^<>]+<<$")


def _refuse(checkpoint: Checkpoint, detail: str) -> ConversionError:
    return ConversionError(
        f"The vocabulary of '{checkpoint.folder}' cannot be rebuilt exactly: {detail}.",
        hint="Download the repository's own tokenizer files; a vocabulary cannot be guessed.",
    )


def _ordered(checkpoint: Checkpoint, ids: Mapping[str, int]) -> list[str]:
    """Tokens by id, refusing gaps and duplicates (each would shift every later token)."""
    by_id: dict[int, str] = {}
    for token, index in ids.items():
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise _refuse(checkpoint, f"the token {token!r} has the id {index!r}")
        if index in by_id:
            raise _refuse(checkpoint, f"the tokens {by_id[index]!r} and {token!r} share id "
                                      f"{index}")
        by_id[index] = token
    if by_id and max(by_id) != len(by_id) - 1:
        missing = next(i for i in range(len(by_id)) if i not in by_id)
        raise _refuse(checkpoint, f"no token has the id {missing}")
    return [by_id[i] for i in range(len(by_id))]


def _check_size(checkpoint: Checkpoint, tokens: list[str], vocab_size: int) -> None:
    if len(tokens) > vocab_size:
        raise _refuse(checkpoint, f"the tokenizer has {len(tokens)} tokens for the model's "
                                  f"{vocab_size} embeddings")


def special_token(checkpoint: Checkpoint, name: str, default: str | None) -> str | None:
    """A special token's text (``eos_token``…) as the tokenizer files set it."""
    for source in (checkpoint.tokenizer_config, checkpoint.special_tokens_map):
        value = source.get(name)
        if isinstance(value, dict):  # an AddedToken written as {"content": ...}
            value = value.get("content")
        if isinstance(value, str):
            return value
    return default


def _added_tokens(checkpoint: Checkpoint) -> dict[str, int]:
    """Tokens added to a slow tokenizer: ``added_tokens.json`` and ``added_tokens_decoder``."""
    added: dict[str, int] = {}
    decoder = checkpoint.tokenizer_config.get("added_tokens_decoder") or {}
    if not isinstance(decoder, dict):
        raise _refuse(checkpoint, "tokenizer_config.json's added_tokens_decoder is not an object")
    for index, entry in decoder.items():
        content = entry.get("content") if isinstance(entry, dict) else None
        if not isinstance(content, str) or not str(index).isdigit():
            raise _refuse(checkpoint, f"the added token {index!r} is malformed")
        added[content] = int(index)
    legacy = read_json_object(checkpoint.file("added_tokens.json"), required=False) or {}
    for content, index in legacy.items():
        added[content] = index
    return added


def marian_vocabulary(checkpoint: Checkpoint, vocab_size: int) -> list[str]:
    """``vocab.json`` plus the added tokens, by id: what ``MarianTokenizer.get_vocab`` gives.

    CTranslate2's loader truncates a longer list and fails on a shorter one; a longer list
    means tokens the model cannot embed, so it is refused here too.
    """
    if checkpoint.tokenizer_config.get("separate_vocabs"):
        raise _refuse(checkpoint, "it uses separate source and target vocabularies")
    path = checkpoint.file("vocab.json")
    try:
        vocab = read_json(path)
    except FileNotFoundError:
        raise ConversionError(
            f"'{checkpoint.folder}' has no vocab.json, the token list of a Marian model "
            "(some published repositories, such as atlasia/Terjman-Large, lack it).",
            hint="Use a repository that includes its vocab.json; the vocabulary cannot be "
            "rebuilt from the SentencePiece models alone.",
        ) from None
    if not isinstance(vocab, dict):
        raise _refuse(checkpoint, "vocab.json is not a JSON object")
    ids: dict[str, int] = dict(vocab)
    ids.update(_added_tokens(checkpoint))  # dict(encoder, **added_tokens_encoder)
    tokens = _ordered(checkpoint, ids)
    _check_size(checkpoint, tokens, vocab_size)
    if len(tokens) < vocab_size:
        raise _refuse(checkpoint, f"the tokenizer has {len(tokens)} tokens for the model's "
                                  f"{vocab_size} embeddings")
    for name, default in (("unk_token", "<unk>"), ("eos_token", "</s>"), ("pad_token", "<pad>")):
        token = special_token(checkpoint, name, default)
        if token not in ids:
            raise _refuse(checkpoint, f"its {name} {token!r} is not in vocab.json")
    return tokens


def _nllb_ids(checkpoint: Checkpoint, data: Any) -> dict[str, int]:
    model = data.get("model") if isinstance(data, dict) else None
    if not isinstance(model, dict):
        raise _refuse(checkpoint, "tokenizer.json has no model")
    vocab = model.get("vocab")
    ids: dict[str, int] = {}
    if isinstance(vocab, dict):  # BPE, WordPiece: token → id
        ids = dict(vocab)
    elif isinstance(vocab, list):  # Unigram: [token, score] pairs, the id is the position
        for index, entry in enumerate(vocab):
            if not (isinstance(entry, list) and entry and isinstance(entry[0], str)):
                raise _refuse(checkpoint, "tokenizer.json's vocabulary is malformed")
            if entry[0] in ids:
                raise _refuse(checkpoint, f"the token {entry[0]!r} appears twice")
            ids[entry[0]] = index
    else:
        raise _refuse(checkpoint, "tokenizer.json has no vocabulary")
    for entry in data.get("added_tokens") or []:
        if not isinstance(entry, dict):
            raise _refuse(checkpoint, "an added token of tokenizer.json is malformed")
        content, added_id = entry.get("content"), entry.get("id")
        if not isinstance(content, str) or not isinstance(added_id, int):
            raise _refuse(checkpoint, "an added token of tokenizer.json is malformed")
        if content in ids and ids[content] != added_id:
            raise _refuse(checkpoint, f"the token {content!r} has the ids {ids[content]} and "
                                      f"{added_id}")
        ids[content] = added_id
    return ids


def declared_language_codes(checkpoint: Checkpoint) -> list[str]:
    """The language codes the tokenizer declares as special tokens (NLLB)."""
    for source in (checkpoint.tokenizer_config, checkpoint.special_tokens_map):
        for key in ("extra_special_tokens", "additional_special_tokens"):
            value = source.get(key)
            if isinstance(value, list):
                codes = [v.get("content") if isinstance(v, dict) else v for v in value]
                return [code for code in codes if isinstance(code, str)]
    return []


def nllb_vocabulary(checkpoint: Checkpoint, vocab_size: int) -> list[str]:
    """``tokenizer.json``'s vocabulary and added tokens (language codes included), by id.

    Then what CTranslate2's M2M100 loader does: tokens the tokenizer declares but has no id
    for would be appended (refused here: the tokenizer could never produce those ids), and
    the list is padded to ``vocab_size`` with ``madeupword0``, ``madeupword1``… (NLLB-200 has
    two more embeddings than tokens). transformers rebuilding the tokenizer from the ``.spm``
    file alone drops the language codes; that path is never taken here.
    """
    path = checkpoint.file("tokenizer.json")
    try:
        data = read_json(path, limit=MAX_TOKENIZER_JSON_BYTES)
    except FileNotFoundError:
        raise ConversionError(
            f"'{checkpoint.folder}' has no tokenizer.json, which holds an NLLB model's "
            "vocabulary with its language codes.",
            hint="Download every file of the model repository.",
        ) from None
    tokens = _ordered(checkpoint, _nllb_ids(checkpoint, data))
    del data  # the merges are most of the file; let them go before the weights are read
    _check_size(checkpoint, tokens, vocab_size)
    known = set(tokens)
    missing = [code for code in declared_language_codes(checkpoint) if code not in known]
    if missing:
        raise _refuse(checkpoint, f"the language codes {', '.join(map(str, missing[:5]))} "
                                  "are declared but have no id in tokenizer.json")
    tokens += [f"madeupword{i}" for i in range(vocab_size - len(tokens))]
    return tokens


def language_tokens(family: str, tokens: Iterable[str]) -> tuple[str, ...]:
    """The language tokens of a vocabulary: NLLB codes (``ary_Arab``) or Marian ``>>ary<<``."""
    shared = FAMILIES[family].needs_language_tokens
    pattern = NLLB_LANGUAGE_CODE if shared else MARIAN_LANGUAGE_TOKEN
    return tuple(token for token in tokens if pattern.match(token))
