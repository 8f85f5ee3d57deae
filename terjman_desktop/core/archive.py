"""Moving model packages in and out of the store safely: zip archives and plain folders.

A package arrives from a USB stick or a classroom share, so nothing in it is trusted:
every entry name is checked before anything is written (no ``..``, absolute paths, drive
letters, symlinks, devices, duplicates), sizes are capped before *and* while unpacking (a
zip header can lie), and every byte written is hashed and compared with the manifest.
Copies are streamed: a multi-gigabyte ``model.bin`` is never held in memory.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import DiskSpaceError, PackageError, StoreError
from terjman_desktop.core.package import (
    MANIFEST_NAME,
    REQUIRED_FILES,
    FileEntry,
    Manifest,
    ProgressCallback,
    parse_manifest,
    sha256_file,
)

MIB = 1 << 20
GIB = 1 << 30
_CHUNK = 1 << 20

# Files that operating systems add to folders and archives on their own (Finder's
# "Compress", Explorer's thumbnails). They are skipped, never unpacked, rather than rejected
# as unlisted, because a teacher zipping a model on a Mac cannot avoid them.
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_JUNK_DIRS = frozenset({"__MACOSX"})
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_FORBIDDEN_CHARS = re.compile(r'[\x00-\x1f\x7f:*?"<>|]')
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
# Already-compressed weights do not shrink; deflating them only costs time.
_STORED_SUFFIXES = frozenset({".bin", ".safetensors", ".zip"})

_REFETCH_HINT = "Copy the package again from a trusted source; Terjman did not install anything."
_UNSAFE_HINT = "This is not a package Terjman made; ask for a fresh export of the model."


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps that stop a hostile or broken archive from filling the disk.

    Attributes:
        max_total_bytes: Largest total unpacked size (the biggest float16 Terjman model is
            about 6.6 GB).
        max_entries: Most entries an archive may hold (a model has about a dozen files).
        max_ratio: Largest uncompressed/compressed ratio of one entry (zip bombs reach
            thousands; text files of a model stay far below 100).
        ratio_floor: Entries smaller than this are not ratio-checked: a tiny file of
            repeated bytes compresses extremely well and is harmless.
        max_manifest_bytes: Largest manifest read into memory.
    """

    max_total_bytes: int = 8 * GIB
    max_entries: int = 1000
    max_ratio: float = 100.0
    ratio_floor: int = MIB
    max_manifest_bytes: int = MIB


class Progress:
    """Counts bytes for a ``(done, total)`` progress callback and checks a cancel token."""

    def __init__(
        self, total: int, callback: ProgressCallback | None, cancel: CancelToken | None
    ) -> None:
        self.total = total
        self.done = 0
        self._callback = callback
        self._cancel = cancel

    def check(self) -> None:
        if self._cancel is not None:
            self._cancel.raise_if_cancelled()

    def advance(self, count: int) -> None:
        self.check()
        self.done += count
        if self._callback is not None:
            self._callback(self.done, self.total)


@contextmanager
def disk_errors(where: Path) -> Iterator[None]:
    """Turn "no space left on device" (and quota) errors into :class:`DiskSpaceError`."""
    try:
        yield
    except OSError as error:
        if error.errno in _DISK_FULL_ERRNOS:
            raise DiskSpaceError(
                f"The disk is full: {where} could not be written.",
                hint="Free some disk space and try again.",
            ) from error
        raise


def open_output(path: Path) -> BinaryIO:
    """Create a new file for writing, never overwriting (tests replace it to fill the disk)."""
    return open(path, "xb")


def is_junk(relative: str) -> bool:
    parts = relative.split("/")
    return parts[0] in _JUNK_DIRS or parts[-1] in _JUNK_NAMES


def require_runtime_files(manifest: Manifest, where: str) -> None:
    """Refuse a manifest that does not list what CTranslate2 and the tokenizers need."""
    listed = {entry.path for entry in manifest.files}
    for required in (*REQUIRED_FILES, manifest.tokenizer.source, manifest.tokenizer.target):
        if required not in listed:
            raise PackageError(
                f"{where}: the manifest does not list '{required}'.",
                hint="Re-export the model: every model file must be listed with its hash.",
            )


def parse_manifest_bytes(raw: bytes, where: str) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(
            f"{where} is not valid JSON ({error}).", hint="Export the model again."
        ) from error
    manifest = parse_manifest(data, where)
    require_runtime_files(manifest, where)
    return manifest


def check_member_name(name: str, archive: Path) -> PurePosixPath:
    """Return a zip entry's path if it is a plain relative path, portable to every OS.

    Raises:
        StoreError: naming the entry and why it is refused.
    """

    def unsafe(reason: str) -> StoreError:
        return StoreError(
            f"{archive}: the entry {name!r} {reason}; the package is unsafe and was not imported.",
            hint=_UNSAFE_HINT,
        )

    if name.startswith(("/", "\\")):
        raise unsafe("is an absolute path")
    if re.match(r"^[A-Za-z]:", name):
        raise unsafe("names a drive letter")
    if "\\" in name:
        raise unsafe("uses backslashes (a Windows path)")
    parts = name[:-1].split("/") if name.endswith("/") else name.split("/")
    for part in parts:
        if part == "..":
            raise unsafe("points outside the package ('..')")
        if part in ("", "."):
            raise unsafe("is not a plain relative path")
        if _FORBIDDEN_CHARS.search(part):
            raise unsafe("contains a character that is not allowed in file names")
        if _WINDOWS_RESERVED.match(part) or part.endswith((".", " ")) or len(part) > 255:
            raise unsafe("is not a valid file name on every system")
    return PurePosixPath(*parts)


def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    # Unix zip tools keep st_mode in the high 16 bits of external_attr; a symlink entry
    # holds its target as data, and unpacking it as a file would be wrong, as a link unsafe.
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if kind and not (stat.S_ISDIR(mode) if info.is_dir() else stat.S_ISREG(mode)):
        return "is not a regular file or folder"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return None


@dataclass(frozen=True)
class ZipPackage:
    """A zip archive whose entries and manifest have been checked, before unpacking."""

    archive: Path
    manifest: Manifest
    manifest_bytes: bytes
    members: dict[str, zipfile.ZipInfo]  # manifest path -> its entry


def _corrupt(archive: Path, error: BaseException) -> StoreError:
    return StoreError(f"{archive} is damaged and cannot be read ({error}).", hint=_REFETCH_HINT)


def _match_listing(where: str, manifest: Manifest, present: dict[str, int]) -> None:
    """Compare the files found (relative path -> size) with the manifest's list."""
    listed = {entry.path: entry for entry in manifest.files}
    for name in sorted(present):
        if name not in listed:
            raise PackageError(
                f"{where}: '{name}' is not listed in the manifest.",
                hint="A package holds only the files its manifest lists; export the model again.",
            )
    for entry in manifest.files:
        if entry.path not in present:
            raise PackageError(
                f"{where}: '{entry.path}' is listed in the manifest but missing from the package.",
                hint=_REFETCH_HINT,
            )
        if present[entry.path] != entry.size:
            raise PackageError(
                f"{where}: '{entry.path}' has {present[entry.path]} bytes, "
                f"the manifest says {entry.size}.",
                hint=_REFETCH_HINT,
            )


def inspect_zip(zf: zipfile.ZipFile, archive: Path, limits: ArchiveLimits) -> ZipPackage:
    """Check every entry of an open archive and read its manifest, unpacking nothing.

    The manifest may sit at the top or under one top folder (``terjman-nano/...``).

    Raises:
        StoreError: an unsafe or oversized archive.
        PackageError: a missing or invalid manifest, unlisted or missing files.
    """
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise StoreError(
            f"{archive} holds {len(infos)} entries, more than the {limits.max_entries} allowed.",
            hint=_UNSAFE_HINT,
        )
    files: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}
    declared = 0
    for info in infos:
        path = check_member_name(info.filename, archive)
        # Case-folded, because "Model.bin" and "model.bin" are one file on Windows and macOS.
        key = path.as_posix().casefold()
        if key in seen:
            raise StoreError(
                f"{archive}: the entry {info.filename!r} appears twice; the package is unsafe.",
                hint=_UNSAFE_HINT,
            )
        seen[key] = info.filename
        problem = _entry_problem(info)
        if problem:
            raise StoreError(
                f"{archive}: the entry {info.filename!r} {problem}; it was not imported.",
                hint=_UNSAFE_HINT,
            )
        if info.is_dir() or is_junk(path.as_posix()):
            continue
        declared += info.file_size
        if info.file_size > limits.ratio_floor and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise StoreError(
                f"{archive}: the entry {info.filename!r} would expand more than "
                f"{limits.max_ratio:g} times (a zip bomb); it was not imported.",
                hint=_UNSAFE_HINT,
            )
        files[path.as_posix()] = info
    if declared > limits.max_total_bytes:
        raise StoreError(
            f"{archive} would unpack to {declared / GIB:.1f} GiB, more than the "
            f"{limits.max_total_bytes / GIB:.1f} GiB limit.",
            hint="Check that this file is a Terjman model package.",
        )

    prefix = ""
    if MANIFEST_NAME not in files:
        tops = {name.split("/", 1)[0] for name in files}
        if len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST_NAME}" in files:
            prefix = f"{next(iter(tops))}/"
        else:
            raise PackageError(
                f"{archive} is not a Terjman model package: {MANIFEST_NAME} is missing.",
                hint="Export the model with `terjman models export` and import that file.",
            )
    where = f"{archive}: {prefix}{MANIFEST_NAME}"
    manifest_info = files.pop(prefix + MANIFEST_NAME)
    if manifest_info.file_size > limits.max_manifest_bytes:
        raise PackageError(f"{where} is too large to be a manifest.", hint=_UNSAFE_HINT)
    try:
        with zf.open(manifest_info) as handle:
            raw = handle.read(limits.max_manifest_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _corrupt(archive, error) from error
    if len(raw) > limits.max_manifest_bytes:
        raise PackageError(f"{where} is too large to be a manifest.", hint=_UNSAFE_HINT)
    manifest = parse_manifest_bytes(raw, where)

    members = {name[len(prefix) :]: info for name, info in files.items()}
    _match_listing(str(archive), manifest, {n: i.file_size for n, i in members.items()})
    return ZipPackage(archive, manifest, raw, members)


def _copy_verified(
    source: IO[bytes],
    target: Path,
    entry: FileEntry,
    progress: Progress,
    *,
    where: str,
    compressed: int | None = None,
    limits: ArchiveLimits | None = None,
) -> None:
    """Stream ``source`` into the new file ``target``, hashing and counting what is written.

    The count is checked against the manifest on every chunk, so an archive whose header
    understates an entry's size cannot write a byte more than the manifest allows.
    """
    digest = hashlib.sha256()
    written = 0
    with disk_errors(target), open_output(target) as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > entry.size:
                raise PackageError(
                    f"{where} holds more than the {entry.size} bytes its manifest lists.",
                    hint=_REFETCH_HINT,
                )
            if (
                compressed is not None
                and limits is not None
                and written > limits.ratio_floor
                and written > limits.max_ratio * max(compressed, 1)
            ):
                raise StoreError(
                    f"{where} expands more than {limits.max_ratio:g} times (a zip bomb).",
                    hint=_UNSAFE_HINT,
                )
            digest.update(chunk)
            out.write(chunk)
            progress.advance(len(chunk))
        out.flush()
        # Durable before the folder is renamed into place: after a power cut the model
        # must be complete, not a set of empty files under the right names.
        os.fsync(out.fileno())
    if written != entry.size:
        raise PackageError(
            f"{where} has {written} bytes, the manifest says {entry.size}.", hint=_REFETCH_HINT
        )
    if digest.hexdigest() != entry.sha256:
        raise PackageError(
            f"{where} does not match its SHA-256: the file is damaged or was altered.",
            hint=_REFETCH_HINT,
        )


def _write_manifest_bytes(dest: Path, raw: bytes) -> None:
    target = dest / MANIFEST_NAME
    with disk_errors(target), open_output(target) as out:
        out.write(raw)
        out.flush()
        os.fsync(out.fileno())


def _target(dest: Path, relative: str) -> Path:
    target = dest.joinpath(*relative.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def extract_zip(
    zf: zipfile.ZipFile,
    package: ZipPackage,
    dest: Path,
    limits: ArchiveLimits,
    progress: Progress,
) -> None:
    """Unpack the listed files and the manifest into the empty folder ``dest``, verified."""
    for entry in package.manifest.files:
        info = package.members[entry.path]
        where = f"{package.archive}: {info.filename}"
        try:
            with zf.open(info) as source:
                _copy_verified(
                    source,
                    _target(dest, entry.path),
                    entry,
                    progress,
                    where=where,
                    compressed=info.compress_size,
                    limits=limits,
                )
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise _corrupt(package.archive, error) from error
    _write_manifest_bytes(dest, package.manifest_bytes)


# --------------------------------------------------------------------------- folders


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
    if manifest_path.stat().st_size > limits.max_manifest_bytes:
        raise PackageError(f"{manifest_path} is too large to be a manifest.", hint=_UNSAFE_HINT)
    raw = manifest_path.read_bytes()
    manifest = parse_manifest_bytes(raw, str(manifest_path))
    if manifest.total_size > limits.max_total_bytes:
        raise StoreError(
            f"'{path}' lists {manifest.total_size / GIB:.1f} GiB of files, more than the "
            f"{limits.max_total_bytes / GIB:.1f} GiB limit.",
            hint="Check that this folder is a Terjman model.",
        )
    problems = folder_problems(folder, manifest)
    if problems:
        raise PackageError(f"{folder}: {problems[0]}", hint=_REFETCH_HINT)
    return FolderPackage(folder, manifest, raw)


def copy_folder(package: FolderPackage, dest: Path, progress: Progress) -> None:
    """Copy the listed files and the manifest into the empty folder ``dest``, verified."""
    for entry in package.manifest.files:
        with open(package.folder / entry.path, "rb") as source:
            _copy_verified(
                source,
                _target(dest, entry.path),
                entry,
                progress,
                where=str(package.folder / entry.path),
            )
    _write_manifest_bytes(dest, package.manifest_bytes)


# --------------------------------------------------------------------------- export


def write_zip(
    folder: Path,
    manifest: Manifest,
    target: Path,
    *,
    manifest_bytes: bytes,
    top: str,
    progress: Progress,
) -> None:
    """Write the model in ``folder`` as a new zip ``target``, its files under ``top/``.

    The manifest comes first so that readers find it at once. Every file is hashed as it is
    read and must match the manifest: a damaged installed model is never shared.
    """
    now = datetime.now().timetuple()[:6]
    with disk_errors(target), open_output(target) as raw:
        with zipfile.ZipFile(raw, "w") as zf:
            info = zipfile.ZipInfo(f"{top}/{MANIFEST_NAME}", date_time=now)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
            for entry in manifest.files:
                _add_file(zf, folder / entry.path, f"{top}/{entry.path}", entry, progress)
        raw.flush()
        os.fsync(raw.fileno())


def _add_file(
    zf: zipfile.ZipFile, source_path: Path, name: str, entry: FileEntry, progress: Progress
) -> None:
    info = zipfile.ZipInfo.from_file(source_path, name, strict_timestamps=False)
    info.compress_type = (
        zipfile.ZIP_STORED
        if source_path.suffix.lower() in _STORED_SUFFIXES
        else zipfile.ZIP_DEFLATED
    )
    digest = hashlib.sha256()
    with open(source_path, "rb") as source, zf.open(info, "w") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
            progress.advance(len(chunk))
    if info.file_size != entry.size or digest.hexdigest() != entry.sha256:
        raise StoreError(
            f"{source_path} does not match the model's manifest: the installed model "
            "is damaged and was not exported.",
            hint="Run `terjman models verify`, then re-install the model.",
        )
