"""Model folders: check a folder against its manifest, re-hash it, and copy it verified.

Used for folders being imported (a USB stick, a classroom share), for downloads staged
before install, and for installed models being verified or exported.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.diskspace import GIB
from terjman_desktop.core.errors import PackageError, StoreError
from terjman_desktop.core.models.archive.shared import (
    REFETCH_HINT,
    UNSAFE_HINT,
    ArchiveLimits,
    Progress,
    copy_verified,
    is_junk,
    parse_manifest_bytes,
    target_path,
    write_manifest_bytes,
)
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.translate import MANIFEST_NAME, Manifest, sha256_file


@dataclass(frozen=True)
class FolderPackage:
    """A model folder whose manifest and file listing have been checked."""

    folder: Path
    manifest: Manifest
    manifest_bytes: bytes


def folder_problems(folder: Path, manifest: Manifest) -> list[str]:
    """List the structural problems of a model folder.

    Links, special files, unlisted or missing files and wrong sizes; hashes are not checked
    here (see :func:`hash_problems`).
    """
    problems: list[str] = []
    present: dict[str, int] = {}
    listed = {entry.path for entry in manifest.files}
    reported: set[str] = set()
    for current, dirs, names in os.walk(folder, followlinks=False):
        base = Path(current)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                relative = (base / name).relative_to(folder).as_posix()
                problems.append(f"'{relative}' is a symbolic link.")
        for name in sorted(names):
            path = base / name
            relative = path.relative_to(folder).as_posix()
            if relative == MANIFEST_NAME or is_junk(relative):
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                problems.append(f"'{relative}' is a symbolic link.")
                reported.add(relative)
            elif not stat.S_ISREG(info.st_mode):
                problems.append(f"'{relative}' is not a regular file.")
                reported.add(relative)
            elif relative in listed:
                present[relative] = info.st_size
            else:
                problems.append(f"'{relative}' is not listed in the manifest.")
    for entry in manifest.files:
        if entry.path not in present:
            if entry.path not in reported:
                problems.append(f"'{entry.path}' is missing.")
        elif present[entry.path] != entry.size:
            problems.append(
                f"'{entry.path}' has {present[entry.path]} bytes, expected {entry.size}."
            )
    return problems


def hash_problems(folder: Path, manifest: Manifest, progress: Progress) -> list[str]:
    """Re-hash every listed file in place (progress and cancel through ``progress``)."""
    problems = []
    for entry in manifest.files:
        path = folder / entry.path
        if path.is_symlink() or not path.is_file() or path.stat().st_size != entry.size:
            progress.advance(entry.size)  # counted, so the bar still ends at 100 %
            continue
        if sha256_file(path, progress.advance) != entry.sha256:
            problems.append(f"'{entry.path}' does not match its SHA-256 (the file is corrupt).")
    return problems


def open_folder(path: Path, limits: ArchiveLimits) -> FolderPackage:
    """Check a model folder to import.

    Its manifest may be at the top or in its only subfolder; it must hold no links or special
    files, and exactly the listed files with their listed sizes.

    Raises:
        PackageError: naming the first problem.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise StoreError(f"'{folder}' is not a folder.", hint="Give a model folder or a .zip.")
    if not (folder / MANIFEST_NAME).exists():
        children = [p for p in folder.iterdir() if not is_junk(p.name)]
        if len(children) == 1 and not children[0].is_symlink() and children[0].is_dir():
            folder = children[0]
    manifest_path = folder / MANIFEST_NAME
    if manifest_path.is_symlink() or not manifest_path.is_file():
        raise PackageError(
            f"'{path}' is not a Terjman model: {MANIFEST_NAME} is missing.",
            hint="Choose the folder that holds terjman-model.json, or a package .zip.",
        )
    try:
        raw = read_regular_file(manifest_path, max_bytes=limits.max_manifest_bytes)
    except FileReadError as error:
        hint = UNSAFE_HINT if error.kind == "too_large" else REFETCH_HINT
        raise PackageError(f"{manifest_path} {error.problem}.", hint=hint) from None
    manifest = parse_manifest_bytes(raw, str(manifest_path))
    if manifest.total_size > limits.max_total_bytes:
        raise StoreError(
            f"'{path}' lists {manifest.total_size / GIB:.1f} GiB of files, more than the "
            f"{limits.max_total_bytes / GIB:.1f} GiB limit.",
            hint="Check that this folder is a Terjman model.",
        )
    problems = folder_problems(folder, manifest)
    if problems:
        raise PackageError(f"{folder}: {problems[0]}", hint=REFETCH_HINT)
    return FolderPackage(folder, manifest, raw)


def copy_folder(package: FolderPackage, dest: Path, progress: Progress) -> None:
    """Copy the listed files and the manifest into the empty folder ``dest``, verified."""
    for entry in package.manifest.files:
        with open(package.folder / entry.path, "rb") as source:
            copy_verified(
                source,
                target_path(dest, entry.path),
                entry,
                progress,
                where=str(package.folder / entry.path),
            )
    write_manifest_bytes(dest, package.manifest_bytes)
