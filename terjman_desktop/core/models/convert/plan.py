"""Everything a conversion will write, decided and checked before the first byte is written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert import marian, nllb
from terjman_desktop.core.models.convert.architecture import Architecture, architecture
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.decoding import Decoding, read_decoding, settings
from terjman_desktop.core.models.convert.vocabulary import marian_vocabulary, nllb_vocabulary


@dataclass(frozen=True)
class _Family:
    spec: Callable[[Checkpoint, Architecture], Any]
    vocabulary: Callable[[Checkpoint, int], list[str]]
    configure: Callable[[Any, Checkpoint, Sequence[str], Decoding], None]
    tokenizer_files: tuple[str, str]


FAMILIES = {
    "marian": _Family(marian.marian_spec, marian_vocabulary, marian.configure_marian,
                      marian.TOKENIZER_FILES),
    "nllb": _Family(nllb.nllb_spec, nllb_vocabulary, nllb.configure_nllb,
                    nllb.TOKENIZER_FILES),
}


@dataclass(frozen=True)
class Plan:
    """A checked conversion: the spec (lazy variables), vocabulary and decoding facts."""

    arch: Architecture
    spec: Any
    vocabulary: list[str]
    decoding: Decoding
    tokenizer_files: tuple[str, str]


def check_tokenizer_files(checkpoint: Checkpoint, names: Sequence[str]) -> None:
    for name in dict.fromkeys(names):
        if not checkpoint.file(name).is_file():
            raise ConversionError(
                f"'{checkpoint.folder}' has no {name}, the SentencePiece model the app "
                "tokenizes with.", hint="Download every file of the model repository.")


def weights_spec(checkpoint: Checkpoint) -> tuple[Architecture, Any]:
    """The architecture and the spec of the weights alone (no tokenizer files read)."""
    arch = architecture(checkpoint.config)
    return arch, FAMILIES[arch.family].spec(checkpoint, arch)


def build_plan(checkpoint: Checkpoint) -> Plan:
    """Check the whole checkpoint and describe its conversion.

    Reads the weight files' headers and the tokenizer files, never the weights.
    """
    arch = architecture(checkpoint.config)
    family = FAMILIES[arch.family]
    check_tokenizer_files(checkpoint, family.tokenizer_files)
    vocabulary = family.vocabulary(checkpoint, arch.vocab_size)
    decoding = read_decoding(settings(checkpoint, arch), vocabulary)
    spec = family.spec(checkpoint, arch)
    family.configure(spec, checkpoint, vocabulary, decoding)
    return Plan(arch, spec, vocabulary, decoding, family.tokenizer_files)
