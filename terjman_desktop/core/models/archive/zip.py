"""Zip packages: check every entry of an archive before unpacking anything, then unpack it.

Names, entry kinds, counts, sizes and compression ratios are all checked first (see
:mod:`~terjman_desktop.core.models.archive.shared` for why nothing in a package is
trusted); unpacking
then counts and hashes the bytes actually written, whatever the headers claim.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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
from terjman_desktop.core.text_safety import same_file_name
from terjman_desktop.core.translate import MANIFEST_NAME, Manifest

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_FORBIDDEN_CHARS = re.compile(r'[\x00-\x1f\x7f:*?"<>|]')


def check_member_name(name: str, archive: Path) -> PurePosixPath:
    """Return a zip entry's path if it is a plain relative path, portable to every OS.

    Raises:
        StoreError: naming the entry and why it is refused.
    """

    def unsafe(reason: str) -> StoreError:
        return StoreError(
            f"{archive}: the entry {name!r} {reason}; the package is unsafe and was not imported.",
            hint=UNSAFE_HINT,
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
    return StoreError(f"{archive} is damaged and cannot be read ({error}).", hint=REFETCH_HINT)


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
                hint=REFETCH_HINT,
            )
        if present[entry.path] != entry.size:
            raise PackageError(
                f"{where}: '{entry.path}' has {present[entry.path]} bytes, "
                f"the manifest says {entry.size}.",
                hint=REFETCH_HINT,
            )


def _checked_files(
    zf: zipfile.ZipFile, archive: Path, limits: ArchiveLimits
) -> dict[str, zipfile.ZipInfo]:
    """Check every entry's name, kind and size; return the files to consider, by path."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise StoreError(
            f"{archive} holds {len(infos)} entries, more than the {limits.max_entries} allowed.",
            hint=UNSAFE_HINT,
        )
    files: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}
    declared = 0
    for info in infos:
        path = check_member_name(info.filename, archive)
        # "Model.bin" and "model.bin" are one file on Windows and macOS, and so are "café.bin"
        # written NFC and NFD on macOS: unpacked, one would overwrite the other.
        key = same_file_name(path.as_posix())
        if key in seen:
            raise StoreError(
                f"{archive}: the entry {info.filename!r} appears twice; the package is unsafe.",
                hint=UNSAFE_HINT,
            )
        seen[key] = info.filename
        problem = _entry_problem(info)
        if problem:
            raise StoreError(
                f"{archive}: the entry {info.filename!r} {problem}; it was not imported.",
                hint=UNSAFE_HINT,
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
                hint=UNSAFE_HINT,
            )
        files[path.as_posix()] = info
    if declared > limits.max_total_bytes:
        raise StoreError(
            f"{archive} would unpack to {declared / GIB:.1f} GiB, more than the "
            f"{limits.max_total_bytes / GIB:.1f} GiB limit.",
            hint="Check that this file is a Terjman model package.",
        )
    return files


def inspect_zip(zf: zipfile.ZipFile, archive: Path, limits: ArchiveLimits) -> ZipPackage:
    """Check every entry of an open archive and read its manifest, unpacking nothing.

    The manifest may sit at the top or under one top folder (``terjman-nano/...``).

    Raises:
        StoreError: an unsafe or oversized archive.
        PackageError: a missing or invalid manifest, unlisted or missing files.
    """
    files = _checked_files(zf, archive, limits)
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
        raise PackageError(f"{where} is too large to be a manifest.", hint=UNSAFE_HINT)
    try:
        with zf.open(manifest_info) as handle:
            raw = handle.read(limits.max_manifest_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _corrupt(archive, error) from error
    if len(raw) > limits.max_manifest_bytes:
        raise PackageError(f"{where} is too large to be a manifest.", hint=UNSAFE_HINT)
    manifest = parse_manifest_bytes(raw, where)

    members = {name[len(prefix) :]: info for name, info in files.items()}
    _match_listing(str(archive), manifest, {n: i.file_size for n, i in members.items()})
    return ZipPackage(archive, manifest, raw, members)


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
                copy_verified(
                    source,
                    target_path(dest, entry.path),
                    entry,
                    progress,
                    where=where,
                    compressed=info.compress_size,
                    limits=limits,
                )
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise _corrupt(package.archive, error) from error
    write_manifest_bytes(dest, package.manifest_bytes)
