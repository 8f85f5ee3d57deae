"""Where a model comes from on the Hugging Face Hub, and which of a repository's files it needs.

A catalog entry (``"source": {"kind": "hub", …}``) or a person (``terjman models install
ORG/NAME@REVISION``) names a repository, a revision and a format:

- ``transformers``: a Hugging Face checkpoint, converted on this computer
  (:mod:`terjman_desktop.core.models.convert`);
- ``ctranslate2``: a repository that already holds a CTranslate2 model and its tokenizer
  files (a released package pushed to the Hub), installed without conversion.

The decoding choices that are the catalog's to make live here too: a Marian source prefix
(``>>ara<<`` for a multi-target OPUS-MT model) and, per target language, the token an NLLB
model is forced to start with when the checkpoint does not say (see
``Manifest.target_language_tokens``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from terjman_desktop.core.errors import CatalogError, EntryNotFoundError
from terjman_desktop.core.families import FAMILIES, FAMILY_NAMES
from terjman_desktop.core.models.hub.map_corpus import MapCorpus, parse_map_corpus
from terjman_desktop.core.translate import MANIFEST_NAME

KIND_HUB = "hub"
FORMATS = ("transformers", "ctranslate2")
DEFAULT_REVISION = "main"
_TOKEN = re.compile(r"^[^\s\x00-\x1f\x7f]{1,64}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?$")

CONFIG = "config.json"
GENERATION_CONFIG = "generation_config.json"
# Weight files in order of preference: safetensors (read without any code running), then
# torch's pickle format (read by a restricted unpickler that refuses anything but tensors).
WEIGHTS = ("model.safetensors", "pytorch_model.bin")
WEIGHT_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")
# A CTranslate2 model folder: what the runtime reads.
CT2_REQUIRED = ("model.bin", "config.json")
CT2_VOCABULARIES = ("shared_vocabulary.json", "shared_vocabulary.txt",
                    "source_vocabulary.json", "target_vocabulary.json",
                    "source_vocabulary.txt", "target_vocabulary.txt")


@dataclass(frozen=True)
class HubSource:
    """A model's repository on the Hub and how to turn it into a package.

    Attributes:
        repo: ``ORG/NAME``.
        revision: A branch, tag or commit; resolved to a commit before anything is fetched.
        format: ``transformers`` (converted here) or ``ctranslate2`` (installed as is).
        family: ``marian`` or ``nllb`` when known in advance; checked against the checkpoint.
        source_prefix: Tokens put before every source sentence (Marian ``>>ara<<``).
        target_tokens: Per target language, the token forced first, or ``None`` for none;
            languages not listed follow the checkpoint (``forced_bos_token_id``), else
            NLLB's own language token.
        vmap_corpus: The dataset the model was trained on, from which a vocabulary map is
            learned after the install (:mod:`terjman_desktop.core.models.speedup`); None:
            the model gets no map here.
    """

    repo: str
    revision: str = DEFAULT_REVISION
    format: str = "transformers"
    family: str | None = None
    source_prefix: tuple[str, ...] = ()
    target_tokens: Mapping[str, str | None] = field(default_factory=dict)
    vmap_corpus: MapCorpus | None = None

    @property
    def label(self) -> str:
        return self.repo if self.revision == DEFAULT_REVISION else f"{self.repo}@{self.revision}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": KIND_HUB, "repo": self.repo, "revision": self.revision,
                                "format": self.format}
        if self.family:
            data["family"] = self.family
        if self.source_prefix:
            data["source_prefix"] = list(self.source_prefix)
        if self.target_tokens:
            data["target_tokens"] = dict(self.target_tokens)
        if self.vmap_corpus is not None:
            data["vmap_corpus"] = self.vmap_corpus.to_json()
        return data


def parse_hub_source(raw: Any, where: str) -> HubSource:
    """Validate a catalog entry's ``source`` object.

    Raises:
        CatalogError: naming the field that is missing or wrong.
    """
    from terjman_desktop.core.models.hub.client import parse_repo_spec

    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: 'source' must be an object.")
    if raw.get("kind") != KIND_HUB:
        raise CatalogError(f"{where}: the source kind {raw.get('kind')!r} is not known "
                           f"(expected '{KIND_HUB}').",
                           hint="Update Terjman Desktop to install this model.")
    repo, revision = raw.get("repo"), raw.get("revision", DEFAULT_REVISION)
    if not isinstance(repo, str) or not isinstance(revision, str):
        raise CatalogError(f"{where}: the source needs a 'repo' (and a 'revision') as text.")
    try:
        repo, revision = parse_repo_spec(f"{repo}@{revision}")
    except Exception as error:  # the parser's own error type carries the reason
        raise CatalogError(f"{where}: {error}") from None
    fmt = raw.get("format", "transformers")
    if fmt not in FORMATS:
        raise CatalogError(f"{where}: the source format {fmt!r} is not one of {list(FORMATS)}.")
    family = raw.get("family")
    if family is not None and family not in FAMILIES:
        raise CatalogError(f"{where}: the source family {family!r} is not one of "
                           f"{list(FAMILY_NAMES)}.")
    if fmt == "ctranslate2" and family is None:
        raise CatalogError(f"{where}: a ctranslate2 source must name its family.")
    prefix = raw.get("source_prefix", [])
    if not isinstance(prefix, list) or not all(isinstance(t, str) and _TOKEN.match(t)
                                               for t in prefix):
        raise CatalogError(f"{where}: 'source_prefix' must be a list of tokens.")
    targets = raw.get("target_tokens", {})
    if not isinstance(targets, dict) or not all(
        isinstance(k, str) and _LANGUAGE.match(k)
        and (v is None or (isinstance(v, str) and _TOKEN.match(v)))
        for k, v in targets.items()
    ):
        raise CatalogError(f"{where}: 'target_tokens' must map language codes to a token or "
                           "null.")
    corpus = raw.get("vmap_corpus")
    vmap_corpus = None if corpus is None else parse_map_corpus(corpus, where)
    return HubSource(repo, revision, fmt, family, tuple(prefix), dict(targets), vmap_corpus)


# --------------------------------------------------------------------------- file choice


class RepoFiles:
    """The names (and sizes) of a resolved repository's files, for choosing what to fetch."""

    def __init__(self, sizes: Mapping[str, int], label: str) -> None:
        self.sizes = dict(sizes)
        self.label = label

    def has(self, name: str) -> bool:
        return name in self.sizes

    def require(self, names: Sequence[str], why: str) -> list[str]:
        missing = [n for n in names if n not in self.sizes]
        if missing:
            raise EntryNotFoundError(
                f"{self.label} has no {', '.join(missing)}: {why}.",
                hint="This repository cannot be installed as it is; check that it is a Marian "
                "or NLLB translation model with its tokenizer files.",
            )
        return list(names)

    def optional(self, names: Sequence[str]) -> list[str]:
        return [n for n in names if n in self.sizes]


def weight_plan(files: RepoFiles) -> tuple[str | None, list[str]]:
    """The weight index to read first (if any) and the single weight file otherwise.

    Returns ``(index, [])`` for a sharded checkpoint (its shards are named by the index) or
    ``(None, [file])``.
    """
    for single, index in zip(WEIGHTS, WEIGHT_INDEXES, strict=True):
        if files.has(single):
            return None, [single]
        if files.has(index):
            return index, []
    raise EntryNotFoundError(
        f"{files.label} has no model weights that can be read here (looked for "
        f"{', '.join((*WEIGHTS, *WEIGHT_INDEXES))}).",
        hint="Only PyTorch/safetensors checkpoints of Marian and NLLB models can be installed.",
    )


def shards_of(index_bytes: bytes, files: RepoFiles, index_name: str) -> list[str]:
    """The shard files a weight index names, each required to be in the repository."""
    from terjman_desktop.core import jsonio

    try:
        data = jsonio.loads(index_bytes, index_name)
    except jsonio.JsonReadError as error:
        raise EntryNotFoundError(f"{files.label}: {index_name} is not valid ({error}).") from None
    weight_map = data.get("weight_map") if isinstance(data, dict) else None
    if not isinstance(weight_map, dict) or not weight_map or not all(
        isinstance(v, str) for v in weight_map.values()
    ):
        raise EntryNotFoundError(f"{files.label}: {index_name} has no weight_map of files.")
    return files.require(sorted(set(weight_map.values())), f"{index_name} names it")


def transformers_files(files: RepoFiles, family: str) -> list[str]:
    """Everything but the weights a conversion of a ``family`` checkpoint reads."""
    required = FAMILIES[family].checkpoint_tokenizer_required
    optional = FAMILIES[family].checkpoint_tokenizer_optional
    return [
        CONFIG, *files.optional([GENERATION_CONFIG]),
        *files.require(required, f"a {family} model needs it to rebuild its vocabulary"),
        *files.optional(optional),
    ]


def ctranslate2_files(files: RepoFiles, family: str) -> list[str]:
    """The files of a CTranslate2 model repository (or of a package pushed to the Hub)."""
    if files.has(MANIFEST_NAME):
        return [MANIFEST_NAME]  # the manifest lists the rest, each with its hash
    required = FAMILIES[family].checkpoint_tokenizer_required
    spm = [name for name in required if name.endswith((".spm", ".model"))]
    vocabularies = files.optional(CT2_VOCABULARIES)
    if not vocabularies:
        raise EntryNotFoundError(f"{files.label} has no CTranslate2 vocabulary file.")
    return [*files.require(CT2_REQUIRED, "a CTranslate2 model needs it"), *vocabularies,
            *files.require(spm, "the app tokenizes with it")]


def read_json_file(data: bytes, where: str) -> Any:
    """A small JSON file of a repository (configs), read with the app's limits."""
    from terjman_desktop.core import jsonio

    try:
        return jsonio.loads(data, where)
    except jsonio.JsonReadError as error:
        raise EntryNotFoundError(f"{where} is not valid JSON ({error}).") from None
