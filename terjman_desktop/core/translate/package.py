"""A model package: a folder whose manifest has been read and whose files can be checked.

A model is a folder holding what CTranslate2's converter writes, the tokenizer files and a
``terjman-model.json`` manifest (see docs/DESIGN.md, "Model package format"). The manifest
lists every other file with its size and SHA-256 so an installed or imported model can be
verified: :func:`load_package` reads and checks a folder, :func:`check_files` re-hashes it,
:func:`describe_files` and :func:`write_manifest` make a package. What a manifest says is in
:mod:`~terjman_desktop.core.translate.manifest`, its rules in
:mod:`~terjman_desktop.core.translate.manifest_rules`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terjman_desktop.core import jsonio
from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.text_safety import printable
from terjman_desktop.core.translate.manifest import (
    MANIFEST_JSON_LIMITS,
    MANIFEST_NAME,
    REQUIRED_FILES,
    FileEntry,
    Manifest,
    ProgressCallback,
)
from terjman_desktop.core.translate.manifest_rules import parse_manifest

logger = logging.getLogger(__name__)

_HASH_CHUNK = 1 << 20


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
