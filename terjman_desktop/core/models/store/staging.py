"""What enters the store: the files an install writes, or a package file or folder to import.

An install's filler writes into a :class:`Workspace` the store hands it, under the model's
lock; :func:`read_staged` and :func:`check_staged` check what it wrote before the store
puts it in place. A package to import is checked by :func:`open_package` before the
model's lock is taken and before anything is written to the store.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.errors import PackageError, StoreError
from terjman_desktop.core.models.archive.folder import copy_folder, folder_problems, open_folder
from terjman_desktop.core.models.archive.shared import ArchiveLimits, parse_manifest_bytes
from terjman_desktop.core.models.archive.zip import extract_zip, inspect_zip
from terjman_desktop.core.models.store.fsops import delete_path
from terjman_desktop.core.models.store.layout import Fill
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.translate import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    Manifest,
    write_manifest,
)

STAGED_HINT = "The staged files are incomplete or damaged; download the model again."


@dataclass(frozen=True)
class Workspace:
    """Where an install's filler works: inside the store, while it holds the model's lock.

    Attributes:
        model_id: The model being installed.
        staging: The folder to write the model's files into, its manifest included. It
            keeps what an earlier, interrupted attempt left there (unless the install asked
            for a fresh one), so a download resumes.
        sources: A folder, not created, for what the model is built from (a downloaded
            checkpoint): kept when the install fails, so the next attempt resumes, and
            deleted once the model is in place unless the install keeps it.
    """

    model_id: str
    staging: Path
    sources: Path

    def forget_sources(self, *, keep: str | None = None) -> None:
        """Delete :attr:`sources`, or all it holds but its entry named ``keep``.

        For files that can never make the model: a checkpoint that cannot be converted, the
        partial download of an older commit.
        """
        if keep is None:
            delete_path(self.sources)
        elif self.sources.is_dir():
            for child in self.sources.iterdir():
                if child.name != keep:
                    delete_path(child)


# Writes a model's files, manifest included, into ``work.staging``.
Filler = Callable[[Workspace], None]


def read_staged(staging: Path, expected: Manifest | None) -> Manifest:
    """The manifest of a staged model folder; without one, ``expected`` is written there.

    Raises:
        PackageError: no manifest (and no ``expected``), or an unreadable or invalid one.
    """
    if expected is not None and not (staging / MANIFEST_NAME).exists():
        write_manifest(staging, expected)
    where = str(staging / MANIFEST_NAME)
    try:
        raw = read_regular_file(staging / MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES)
    except FileReadError as error:
        raise PackageError(f"{where} {error.problem}.", hint="Download the model again.") from None
    return parse_manifest_bytes(raw, where)


def check_staged(staging: Path, manifest: Manifest, expected: Manifest | None) -> None:
    """Check that ``staging`` holds exactly the files of ``manifest`` (sizes, not hashes).

    With ``expected`` (the catalog's manifest), the staged files must be the ones it lists.

    Raises:
        PackageError: the files do not match.
    """
    if expected is not None and set(manifest.files) != set(expected.files):
        raise PackageError(
            f"{staging} does not hold the model the catalog describes ('{expected.id}').",
            hint="Download the model again; if it persists, refresh the catalog.",
        )
    problems = folder_problems(staging, manifest)
    if problems:
        raise PackageError(f"{staging}: {problems[0]}", hint=STAGED_HINT)


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
