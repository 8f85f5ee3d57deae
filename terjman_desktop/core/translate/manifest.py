"""What a model package's manifest (``terjman-model.json``, format version 1) says.

The types a manifest is read into — :class:`Manifest`, its :class:`Direction`s, its
:class:`FileEntry`s (the one file-entry type of the app), its :class:`TokenizerFiles` — and the
format's constants. The rules a manifest must follow are in
:mod:`~terjman_desktop.core.translate.manifest_rules`; reading a package folder, checking its
files and writing a manifest in :mod:`~terjman_desktop.core.translate.package`. See
docs/DESIGN.md, "Model package format".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from terjman_desktop.core import jsonio

MANIFEST_NAME = "terjman-model.json"
FORMAT_VERSION = 1
QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "int8_bfloat16", "float16", "bfloat16",
                 "float32")
# Files the CTranslate2 runtime cannot do without.
REQUIRED_FILES = ("model.bin", "config.json")
# The optional vocabulary map: for each source token, the target tokens worth scoring
# (CTranslate2's format: ``SOURCE_NGRAM<TAB>target target …``, an empty key for the tokens
# always kept). Listed in ``files`` like any other file; the engine uses it when present.
VMAP_NAME = "vmap.txt"
DEFAULT_MAX_INPUT_TOKENS = 256
# The decoding defaults a manifest may record, with their allowed ranges.
DECODING_LIMITS = {"beam_size": (1, 16), "length_penalty": (0.0, 4.0)}
# A model id is a safe folder name on every system, and never contains "+" (the store's
# separator in the names of its working folders).
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
# A manifest is a few kilobytes; the same cap as for a manifest inside a package.
MAX_MANIFEST_BYTES = 1024 * 1024
MANIFEST_JSON_LIMITS = jsonio.JsonLimits(max_bytes=MAX_MANIFEST_BYTES)
_HASH_CHUNK = 1 << 20

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class Direction:
    """A translation direction, with ISO 639-3 style codes (``en``, ``ary``)."""

    source: str
    target: str

    def __str__(self) -> str:
        return f"{self.source}→{self.target}"


@dataclass(frozen=True)
class FileEntry:
    """One file: a path relative to its package folder or mirror (POSIX), its size and hash.

    The one file-entry type of the app: manifests list their files with it, catalogs their
    downloads, the Hub client a repository's files. A package's manifest gives every file's
    SHA-256 (the manifest parser requires it). A Hugging Face repository gives the SHA-256 of
    its LFS files only; its small files (configs, tokenizers) are known by their git blob id
    (the SHA-1 of ``blob <size>``, a NUL byte and the content), so a download may carry
    ``git_sha1`` instead. One of the two is required: a file whose hash is not known in advance
    is never downloaded.
    """

    path: str
    size: int
    sha256: str | None = None
    git_sha1: str | None = None

    def __post_init__(self) -> None:
        if self.sha256 is None and self.git_sha1 is None:
            raise ValueError(f"{self.path!r} has neither a sha256 nor a git blob sha1")


@dataclass(frozen=True)
class TokenizerFiles:
    source: str
    target: str


@dataclass(frozen=True)
class Manifest:
    """The parsed ``terjman-model.json``. Unknown fields are kept in ``extra``."""

    id: str
    name: str
    version: str
    family: str
    directions: tuple[Direction, ...]
    tokenizer: TokenizerFiles
    quantization: str
    files: tuple[FileEntry, ...]
    language_tokens: Mapping[str, str] = field(default_factory=dict)
    # NLLB: the token forced as the first output token for a target language, when it is not
    # that language's own token; ``None`` forces nothing (the model picks its first token, as
    # the v1 Terjman models' own usage does). Languages not listed use ``language_tokens``.
    target_language_tokens: Mapping[str, str | None] = field(default_factory=dict)
    source_prefix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()
    base_model: str = ""
    license: str = ""
    metrics: Mapping[str, Any] = field(default_factory=dict)
    max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS
    # Hugging Face's ``forced_eos_token_id``: the model's own generation spends the last
    # position allowed by a length limit on ``</s>``. Every OPUS-MT (Marian) config sets it;
    # NLLB's does not. The engine maps length limits with it (engine.ct2_length_limits).
    forced_eos: bool = False
    # Optional search settings chosen on the dev set before export (``beam_size``,
    # ``length_penalty``): the engine uses them where its caller did not choose
    # (TranslationOptions.model_decoding). Absent in older packages: the presets' values.
    decoding: Mapping[str, float] = field(default_factory=dict)
    format: int = FORMAT_VERSION
    extra: Mapping[str, Any] = field(default_factory=dict)

    def supports(self, source: str, target: str) -> bool:
        return Direction(source, target) in self.directions

    @property
    def total_size(self) -> int:
        return sum(entry.size for entry in self.files)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        data.update(
            {
                "format": self.format,
                "id": self.id,
                "name": self.name,
                "version": self.version,
                "family": self.family,
                "directions": [{"source": d.source, "target": d.target} for d in self.directions],
                "language_tokens": dict(self.language_tokens),
                "target_language_tokens": dict(self.target_language_tokens),
                "source_prefix": list(self.source_prefix),
                "target_prefix": list(self.target_prefix),
                "tokenizer": {"source": self.tokenizer.source, "target": self.tokenizer.target},
                "quantization": self.quantization,
                "base_model": self.base_model,
                "license": self.license,
                "metrics": dict(self.metrics),
                "max_input_tokens": self.max_input_tokens,
                "forced_eos": self.forced_eos,
                "files": [
                    {"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files
                ],
            }
        )
        if self.decoding:  # written only when set, so older manifests stay as they were
            data["decoding"] = dict(self.decoding)
        return data
