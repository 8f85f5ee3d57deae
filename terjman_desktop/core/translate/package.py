"""The model package format (version 1): read, validate, verify and write manifests.

A model is a folder holding what CTranslate2's converter writes, the tokenizer files and a
``terjman-model.json`` manifest (see DESIGN.md, "Model package format"). The manifest lists
every other file with its size and SHA-256 so an installed or imported model can be verified.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from terjman_desktop.core import jsonio
from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.families import FAMILIES, FAMILY_NAMES
from terjman_desktop.core.jsonfields import Fields
from terjman_desktop.core.text_safety import (
    is_language_code,
    is_token,
    is_version,
    printable,
    same_file_name,
)

logger = logging.getLogger(__name__)

MANIFEST_NAME = "terjman-model.json"
FORMAT_VERSION = 1
QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "int8_bfloat16", "float16", "bfloat16",
                 "float32")
# Files the CTranslate2 runtime cannot do without.
REQUIRED_FILES = ("model.bin", "config.json")
DEFAULT_MAX_INPUT_TOKENS = 256
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
        return data


@dataclass(frozen=True)
class ModelPackage:
    """A model folder whose manifest has been read and checked."""

    path: Path
    manifest: Manifest

    @property
    def id(self) -> str:
        return self.manifest.id

    def file(self, relative: str) -> Path:
        return self.path / relative


# --------------------------------------------------------------------------- parsing


def _fail(where: str, problem: str, hint: str | None = None) -> PackageError:
    # Problems quote the manifest's own values: keep escape codes out of the message.
    return PackageError(printable(f"{where}: {problem}"), hint=hint)


def _require(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    """The field ``key`` of a manifest object, of type ``kind`` (the catalog's wording)."""
    return Fields(data, where, PackageError).get(key, kind)


def is_safe_relative_path(path: str) -> bool:
    """True for a plain relative POSIX path that cannot escape the folder it is joined to."""
    pure = PurePosixPath(path)
    return bool(
        path
        and "\\" not in path
        and "\x00" not in path
        and path.isprintable()
        and not pure.is_absolute()
        and ".." not in pure.parts
        and path == str(pure)
        and not re.match(r"^[A-Za-z]:", path)
    )


def path_clash(paths: Iterable[str]) -> str | None:
    """Why a list of relative file paths cannot all be files of one folder, or ``None``.

    A path that is also the folder of another one (``README.md`` and ``README.md/inner``)
    cannot be written, and two names that are one file on Windows or macOS (``Model.bin``
    and ``model.bin``; ``café.bin`` written NFC and NFD) would overwrite each other there.
    """
    files: dict[str, str] = {}
    for path in paths:
        key = same_file_name(path)
        if key in files and files[key] != path:
            return f"'{path}' and '{files[key]}' are the same file on some systems."
        files[key] = path
    for key, path in files.items():
        parts = key.split("/")
        for end in range(1, len(parts)):
            parent = files.get("/".join(parts[:end]))
            if parent is not None:
                return f"'{parent}' is listed as a file and as the folder of '{path}'."
    return None


def _check_relative_path(path: str, where: str) -> str:
    if not is_safe_relative_path(path):
        raise _fail(where, f"the file path '{path}' is not a plain relative path.")
    return path


def _parse_files(raw: Any, where: str) -> tuple[FileEntry, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "the field 'files' must be a non-empty list.")
    entries: list[FileEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        item_where = f"{where} files[{index}]"
        if not isinstance(item, dict):
            raise _fail(item_where, "each file must be an object with path, size and sha256.")
        path = _check_relative_path(_require(item, "path", str, item_where), item_where)
        size = _require(item, "size", int, item_where)
        sha256 = _require(item, "sha256", str, item_where).lower()
        if size < 0:
            raise _fail(item_where, f"the size of '{path}' is negative.")
        if not SHA256_PATTERN.match(sha256):
            raise _fail(item_where, f"the sha256 of '{path}' is not 64 hexadecimal digits.")
        if path == MANIFEST_NAME:
            raise _fail(item_where, "the manifest cannot list itself.")
        if path in seen:
            raise _fail(item_where, f"'{path}' is listed twice.")
        seen.add(path)
        entries.append(FileEntry(path, size, sha256))
    clash = path_clash(entry.path for entry in entries)
    if clash:
        raise _fail(where, clash)
    return tuple(entries)


def _parse_string_list(data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(x, str) and is_token(x) for x in raw):
        raise _fail(where, f"the field '{key}' must be a list of tokens (no spaces).")
    return tuple(raw)


def _prose(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    """A text field shown to people (name, license…), made printable (see text_safety)."""
    if required:
        return printable(_require(data, key, str, where))
    value = data.get(key, "")
    # Older manifests may hold a number or null here; it was shown as text before.
    return printable(value if isinstance(value, str) else str(value))


def parse_direction(item: Any, where: str) -> Direction:
    """A direction object ``{"source": "en", "target": "ary"}`` with language codes.

    Raises:
        PackageError: not an object, or a code that is not a language code.
    """
    if not isinstance(item, dict):
        raise _fail(where, "each direction must be an object with source and target.")
    codes = (_require(item, "source", str, where), _require(item, "target", str, where))
    for code in codes:
        if not is_language_code(code):
            raise _fail(
                where, f"the language code {code!r} is not valid (expected codes like 'en', 'ary')."
            )
    return Direction(*codes)


def parse_manifest(data: Any, where: str = MANIFEST_NAME) -> Manifest:
    """Validate a decoded manifest and return it as a :class:`Manifest`.

    Raises:
        PackageError: naming the first field that is missing or wrong.
    """
    if not isinstance(data, dict):
        raise _fail(where, "the manifest must be a JSON object.")
    fmt = _require(data, "format", int, where)
    if fmt > FORMAT_VERSION:
        raise _fail(
            where,
            f"this model uses package format {fmt}, newer than this app understands "
            f"({FORMAT_VERSION}).",
            hint="Update Terjman Desktop to use this model.",
        )
    if fmt < 1:
        raise _fail(where, f"the package format {fmt} is not valid.")
    model_id = _require(data, "id", str, where)
    if not ID_PATTERN.match(model_id):
        raise _fail(
            where,
            f"the id '{model_id}' is not valid: use lowercase letters, digits, '.', '_' and '-'.",
        )
    family = _require(data, "family", str, where)
    if family not in FAMILIES:
        raise _fail(where, f"unknown model family '{family}' (expected one of {FAMILY_NAMES}).")

    raw_directions = _require(data, "directions", list, where)
    directions = [parse_direction(item, where) for item in raw_directions]
    if not directions:
        raise _fail(where, "the model lists no translation direction.")

    language_tokens = data.get("language_tokens", {})
    if not isinstance(language_tokens, dict) or not all(
        isinstance(k, str) and is_language_code(k) and isinstance(v, str) and is_token(v)
        for k, v in language_tokens.items()
    ):
        raise _fail(where, "the field 'language_tokens' must map language codes to tokens.")
    target_language_tokens = data.get("target_language_tokens", {})
    if not isinstance(target_language_tokens, dict) or not all(
        isinstance(k, str) and (v is None or (isinstance(v, str) and v))
        for k, v in target_language_tokens.items()
    ):
        raise _fail(where, "the field 'target_language_tokens' must map language codes to "
                    "tokens or null.")
    if FAMILIES[family].needs_language_tokens:
        for direction in directions:
            for code in (direction.source, direction.target):
                if code not in language_tokens:
                    raise _fail(where, f"the {FAMILIES[family].display_name} model has no language "
                                      f"token for '{code}'.")

    tokenizer = _require(data, "tokenizer", dict, where)
    tokenizer_files = TokenizerFiles(
        _check_relative_path(_require(tokenizer, "source", str, where), where),
        _check_relative_path(_require(tokenizer, "target", str, where), where),
    )
    quantization = _require(data, "quantization", str, where)
    if quantization not in QUANTIZATIONS:
        raise _fail(where, f"unknown quantization '{quantization}'.")
    max_input_tokens = data.get("max_input_tokens", DEFAULT_MAX_INPUT_TOKENS)
    if isinstance(max_input_tokens, bool) or not isinstance(max_input_tokens, int) or (
        max_input_tokens < 8
    ):
        raise _fail(where, "the field 'max_input_tokens' must be an integer of at least 8.")
    metrics = data.get("metrics", {})
    if not isinstance(metrics, dict):
        raise _fail(where, "the field 'metrics' must be an object.")
    # Packages written before the field existed: Marian checkpoints all force </s>.
    forced_eos = data.get("forced_eos", FAMILIES[family].forced_eos_default)
    if not isinstance(forced_eos, bool):
        raise _fail(where, "the field 'forced_eos' must be true or false.")

    version = _require(data, "version", str, where)
    if not is_version(version):
        raise _fail(
            where,
            f"the version {version!r} is not valid: use letters, digits and '.', '_', '+', '-'.",
        )
    known = {
        "format", "id", "name", "version", "family", "directions", "language_tokens",
        "source_prefix", "target_prefix", "tokenizer", "quantization", "base_model", "license",
        "metrics", "files", "max_input_tokens", "forced_eos", "target_language_tokens",
    }
    return Manifest(
        format=fmt,
        id=model_id,
        name=_prose(data, "name", where, required=True),
        version=version,
        family=family,
        directions=tuple(directions),
        language_tokens=dict(language_tokens),
        target_language_tokens=dict(target_language_tokens),
        source_prefix=_parse_string_list(data, "source_prefix", where),
        target_prefix=_parse_string_list(data, "target_prefix", where),
        tokenizer=tokenizer_files,
        quantization=quantization,
        base_model=_prose(data, "base_model", where),
        license=_prose(data, "license", where),
        metrics=metrics,
        max_input_tokens=max_input_tokens,
        forced_eos=forced_eos,
        files=_parse_files(data.get("files"), where),
        extra={k: v for k, v in data.items() if k not in known},
    )


def read_manifest(folder: Path) -> Manifest:
    """Read and validate ``folder/terjman-model.json``."""
    path = Path(folder) / MANIFEST_NAME
    if not Path(folder).is_dir():
        raise PackageError(
            f"'{folder}' is not a folder.",
            hint="Give the path of an unpacked model folder or an installed model id.",
        )
    if not os.path.lexists(path):
        raise PackageError(
            f"'{folder}' is not a Terjman model: {MANIFEST_NAME} is missing.",
            hint="Export the model with `python -m trainer export` or re-install it.",
        )
    return parse_manifest(load_manifest_json(path), str(path))


def load_manifest_json(path: Path) -> Any:
    """The decoded JSON of the manifest file ``path`` (within the JSON limits of jsonio).

    Raises:
        PackageError: the file is missing, not a regular file, too large, or not JSON.
    """
    try:
        return jsonio.load_file(path, limits=MANIFEST_JSON_LIMITS)
    except jsonio.JsonReadError as error:
        raise PackageError(
            printable(f"{error.where} {error.problem}."),
            hint="Re-install or re-export the model.",
        ) from None


def manifest_from_bytes(raw: bytes, where: str, *, hint: str) -> Manifest:
    """Decode and validate manifest bytes read from a package (a zip entry, a folder).

    Raises:
        PackageError: the bytes are not a JSON manifest within the limits, or it is invalid.
    """
    try:
        data = jsonio.loads(raw, where, limits=MANIFEST_JSON_LIMITS)
    except jsonio.JsonReadError as error:
        raise PackageError(printable(f"{error.where} {error.problem}."), hint=hint) from None
    return parse_manifest(data, where)


def require_runtime_files(manifest: Manifest, where: str) -> None:
    """Refuse a manifest that does not list what CTranslate2 and the tokenizers need.

    Raises:
        PackageError: ``"<where>: the manifest does not list '<file>'."``
    """
    listed = {entry.path for entry in manifest.files}
    for required in (*REQUIRED_FILES, manifest.tokenizer.source, manifest.tokenizer.target):
        if required not in listed:
            raise PackageError(
                f"{where}: the manifest does not list '{required}'.",
                hint="Re-export the model: every model file must be listed with its hash.",
            )


def load_package(folder: Path | str, *, verify_hashes: bool = False) -> ModelPackage:
    """Open a model folder: read its manifest and check its files are all there.

    Sizes are always checked (cheap); hashes only with ``verify_hashes``.

    Raises:
        PackageError: naming what is missing or wrong.
    """
    folder = Path(folder)
    manifest = read_manifest(folder)
    require_runtime_files(manifest, str(folder))
    problems = check_files(folder, manifest, hashes=verify_hashes)
    if problems:
        raise PackageError(
            f"{folder}: {problems[0]}"
            + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""),
            hint="The model is incomplete or damaged: re-install or re-import it.",
        )
    return ModelPackage(folder, manifest)


# --------------------------------------------------------------------------- files


def sha256_file(
    path: Path, progress: Callable[[int], None] | None = None, chunk_size: int = _HASH_CHUNK
) -> str:
    """SHA-256 of a file, read in chunks; ``progress`` receives the byte count of each chunk."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return digest.hexdigest()


def check_files(
    folder: Path,
    manifest: Manifest,
    *,
    hashes: bool = True,
    progress: ProgressCallback | None = None,
) -> list[str]:
    """Compare the folder with the manifest; return a list of problems (empty when it is sound).

    Args:
        folder: The model folder.
        manifest: Its manifest.
        hashes: Re-hash every file (slow for big models) rather than only checking sizes.
        progress: Called with (bytes hashed so far, total bytes).
    """
    problems: list[str] = []
    total = manifest.total_size if hashes else 0
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    for entry in manifest.files:
        path = folder / entry.path
        if path.is_symlink() or not path.is_file():
            problems.append(f"'{entry.path}' is missing.")
            continue
        size = path.stat().st_size
        if size != entry.size:
            problems.append(f"'{entry.path}' has {size} bytes, expected {entry.size}.")
            continue
        if hashes and sha256_file(path, advance) != entry.sha256:
            problems.append(f"'{entry.path}' does not match its SHA-256 (the file is corrupt).")
    return problems


def describe_files(folder: Path, names: Iterable[str] | None = None) -> tuple[FileEntry, ...]:
    """Build the manifest's ``files`` list for a folder (every file but the manifest)."""
    folder = Path(folder)
    if names is None:
        names = sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST_NAME
        )
    return tuple(
        FileEntry(name, (folder / name).stat().st_size, sha256_file(folder / name))
        for name in names
    )


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Write the manifest atomically (temporary file, then rename)."""
    # Validate what we write with the same rules as what we read.
    parse_manifest(manifest.to_json(), f"{folder}/{MANIFEST_NAME}")
    text = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2) + "\n"
    return write_atomically(Path(folder) / MANIFEST_NAME, text)
