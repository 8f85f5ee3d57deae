"""Moving model packages in and out of the store safely: what zip archives and folders share.

A package arrives from a USB stick or a classroom share, so nothing in it is trusted:
every entry name is checked before anything is written (no ``..``, absolute paths, drive
letters, symlinks, devices, duplicates), sizes are capped before *and* while unpacking (a
zip header can lie), and every byte written is hashed and compared with the manifest.
Copies are streamed: a multi-gigabyte ``model.bin`` is never held in memory.

This module holds the limits, progress counting, disk-full handling and the verified copy
that every way in or out uses; :mod:`~terjman_desktop.core.models.archive.zip` checks and unpacks
zip archives, :mod:`~terjman_desktop.core.models.archive.folder` checks and copies model folders,
and :mod:`~terjman_desktop.core.models.archive.export` writes the zip a model is shared as.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.diskspace import GIB, MIB
from terjman_desktop.core.errors import DiskSpaceError, PackageError, StoreError
from terjman_desktop.core.translate import (
    MANIFEST_NAME,
    FileEntry,
    Manifest,
    ProgressCallback,
    manifest_from_bytes,
    require_runtime_files,
)

CHUNK = 1 << 20

# Files that operating systems add to folders and archives on their own (Finder's
# "Compress", Explorer's thumbnails). They are skipped, never unpacked, rather than rejected
# as unlisted, because a teacher zipping a model on a Mac cannot avoid them.
_JUNK_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_JUNK_DIRS = frozenset({"__MACOSX"})
_DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})

REFETCH_HINT = "Copy the package again from a trusted source; Terjman did not install anything."
UNSAFE_HINT = "This is not a package Terjman made; ask for a fresh export of the model."


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
    """Create a new file for writing, never overwriting.

    Every package file is written through this function, looked up here at call time, so
    tests can replace it (``monkeypatch.setattr(archive, "open_output", ...)``) to fill
    the disk.
    """
    return open(path, "xb")


def is_junk(relative: str) -> bool:
    parts = relative.split("/")
    return parts[0] in _JUNK_DIRS or parts[-1] in _JUNK_NAMES


def parse_manifest_bytes(raw: bytes, where: str) -> Manifest:
    """Decode and validate a manifest read as bytes; it must list the runtime's files.

    Raises:
        PackageError: not JSON within the limits of :mod:`~terjman_desktop.core.jsonio`,
            an invalid manifest, or one that does not list the runtime's files.
    """
    manifest = manifest_from_bytes(raw, where, hint="Export the model again.")
    require_runtime_files(manifest, where)
    return manifest


def copy_verified(
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
        while chunk := source.read(CHUNK):
            written += len(chunk)
            if written > entry.size:
                raise PackageError(
                    f"{where} holds more than the {entry.size} bytes its manifest lists.",
                    hint=REFETCH_HINT,
                )
            if (
                compressed is not None
                and limits is not None
                and written > limits.ratio_floor
                and written > limits.max_ratio * max(compressed, 1)
            ):
                raise StoreError(
                    f"{where} expands more than {limits.max_ratio:g} times (a zip bomb).",
                    hint=UNSAFE_HINT,
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
            f"{where} has {written} bytes, the manifest says {entry.size}.", hint=REFETCH_HINT
        )
    if digest.hexdigest() != entry.sha256:
        raise PackageError(
            f"{where} does not match its SHA-256: the file is damaged or was altered.",
            hint=REFETCH_HINT,
        )


def write_manifest_bytes(dest: Path, raw: bytes) -> None:
    """Write the manifest, exactly as read, into the folder ``dest`` (durably)."""
    target = dest / MANIFEST_NAME
    with disk_errors(target), open_output(target) as out:
        out.write(raw)
        out.flush()
        os.fsync(out.fileno())


def target_path(dest: Path, relative: str) -> Path:
    """Where the package file ``relative`` goes under ``dest``; its folders are created."""
    target = dest.joinpath(*relative.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
