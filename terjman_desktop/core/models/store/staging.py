"""What enters the store: a staged download, or a package file or folder to import.

Both are checked before the model's lock is taken and before anything is written to the
store, then put in place with :mod:`~terjman_desktop.core.models.store.layout`.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import PackageError, StoreError
from terjman_desktop.core.models.archive.folder import (
    copy_folder,
    folder_problems,
    hash_problems,
    open_folder,
)
from terjman_desktop.core.models.archive.shared import ArchiveLimits, Progress, parse_manifest_bytes
from terjman_desktop.core.models.archive.zip import extract_zip, inspect_zip
from terjman_desktop.core.models.store.layout import Fill, fill_and_swap, recover, swap_in
from terjman_desktop.core.paths import ensure_dir
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.translate.package import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    Manifest,
    ProgressCallback,
    write_manifest,
)

STAGED_HINT = "The staged files are incomplete or damaged; download the model again."


def check_staged(root: Path, staging: Path, expected: Manifest | None) -> Manifest:
    """Read and check a staged model folder; return its manifest.

    Without a manifest in ``staging``, ``expected`` (the catalog's) is written there. With
    ``expected``, the staged id and files must match it. Hashes are not checked here.

    Raises:
        StoreError: ``staging`` is an installed model of ``root``, or a link.
        PackageError: the manifest is unreadable or invalid, or the files do not match it.
    """
    if staging.absolute().parent == root.absolute() or staging.is_symlink():
        raise StoreError(
            f"{staging} cannot be installed: it is an installed model or a link.",
            hint="Install from the staging folder the store gives, or import a folder.",
        )
    if expected is not None and not (staging / MANIFEST_NAME).exists():
        write_manifest(staging, expected)
    where = str(staging / MANIFEST_NAME)
    try:
        raw = read_regular_file(staging / MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES)
    except FileReadError as error:
        raise PackageError(f"{where} {error.problem}.", hint="Download the model again.") from None
    manifest = parse_manifest_bytes(raw, where)
    if expected is not None and (
        manifest.id != expected.id or set(manifest.files) != set(expected.files)
    ):
        raise PackageError(
            f"{staging} does not hold the model the catalog describes ('{expected.id}').",
            hint="Download the model again; if it persists, refresh the catalog.",
        )
    problems = folder_problems(staging, manifest)
    if problems:
        raise PackageError(f"{staging}: {problems[0]}", hint=STAGED_HINT)
    return manifest


@contextmanager
def open_package(path: Path, limits: ArchiveLimits) -> Iterator[tuple[Manifest, Fill]]:
    """Check a package ``.zip`` or model folder to import, unpacking nothing yet.

    Yields its manifest and the function that writes its files, verified, into an empty
    folder; a zip archive stays open until the block ends.

    Raises:
        StoreError: an unsafe, oversized, missing or unreadable package.
        PackageError: a missing or invalid manifest, unlisted or missing files.
    """
    if path.is_dir():
        folder = open_folder(path, limits)
        yield folder.manifest, lambda dest, bar: copy_folder(folder, dest, bar)
        return
    if not path.is_file():
        raise StoreError(f"{path} does not exist.", hint="Check the path of the package.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise StoreError(
            f"{path} is not a model package (.zip) or a model folder ({error}).",
            hint="Choose a .zip made by `terjman models export`, or a model folder.",
        ) from error
    with archive:
        package = inspect_zip(archive, path, limits)
        yield package.manifest, lambda dest, bar: extract_zip(archive, package, dest, limits, bar)


def same_filesystem(a: Path, b: Path) -> bool:
    """Whether two existing paths are on one filesystem (tests replace it)."""
    return os.stat(a).st_dev == os.stat(b).st_dev


def place_staged(
    root: Path,
    staging: Path,
    manifest: Manifest,
    limits: ArchiveLimits,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> None:
    """Re-hash a checked staged folder and put it in place (the caller holds the lock).

    On the store's filesystem the folder itself is renamed into place; on another one it is
    copied, verified, into the store first. On failure ``staging`` is left as it is.

    Raises:
        PackageError: a file does not match its hash.
        StoreError: the folder cannot be moved or copied into the store.
    """
    recover(root, manifest.id)
    ensure_dir(root)  # a clear error when it cannot be created (TERJMAN_HOME a file…)
    if same_filesystem(staging, root):
        problems = hash_problems(staging, manifest, Progress(manifest.total_size, progress, cancel))
        if problems:
            raise PackageError(f"{staging}: {problems[0]}", hint=STAGED_HINT)
        try:
            swap_in(root, staging, manifest.id)
        except OSError as error:
            raise StoreError(
                f"{staging} could not be moved into {root} ({error}).",
                hint="Check that the models folder is writable, then try again.",
            ) from error
    else:  # another filesystem: copy (verifying) into the store, then one rename
        package = open_folder(staging, limits)
        fill_and_swap(
            root, manifest, lambda dest, bar: copy_folder(package, dest, bar), progress, cancel
        )
