"""Putting a model into the store: an install from a filler, or an import of a package.

Either takes one turn on the model's lock, from the first byte written to the final rename.
A filler (a download, a conversion) writes the model into a staging folder only this install
uses (:class:`~terjman_desktop.core.models.store.staging.Workspace`); the store then checks
what it wrote, re-hashes it and puts it in place with
:class:`~terjman_desktop.core.models.store.layout.StoreLayout`. What the filler wrote stays
when anything fails, so the next attempt resumes. An import is checked before the lock is
taken, then unpacked, verified, into a fresh folder of the store and swapped in.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import LocationError, PackageError, StoreError, TerjmanError
from terjman_desktop.core.models.archive.folder import copy_folder, hash_problems, open_folder
from terjman_desktop.core.models.archive.shared import ArchiveLimits, Progress
from terjman_desktop.core.models.store.fsops import location_store_error
from terjman_desktop.core.models.store.layout import StoreLayout
from terjman_desktop.core.models.store.locking import hold
from terjman_desktop.core.models.store.records import (
    InstalledModel,
    LockWait,
    inspect_folder,
    load_installed,
)
from terjman_desktop.core.models.store.staging import (
    STAGED_HINT,
    Filler,
    Workspace,
    check_staged,
    open_package,
    read_staged,
)
from terjman_desktop.core.paths import ensure_dir
from terjman_desktop.core.translate import Manifest, ProgressCallback

# These are the store's messages: logged under its name, as before the store was split up.
logger = logging.getLogger("terjman_desktop.core.models.store.store")


def same_filesystem(a: Path, b: Path) -> bool:
    """Whether two existing paths are on one filesystem (tests replace it)."""
    return os.stat(a).st_dev == os.stat(b).st_dev


def install_model(
    layout: StoreLayout,
    limits: ArchiveLimits,
    model_id: str,
    fill: Filler,
    *,
    expected: Manifest | None,
    fresh: bool,
    keep_sources: bool,
    reuse: Callable[[InstalledModel], bool] | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    timeout: float | None,
    on_wait: Callable[[LockWait], None] | None,
) -> InstalledModel:
    """Install ``model_id`` (checked) from what ``fill`` writes; see ``Store.install``.

    ``timeout`` and ``on_wait`` are those of the model's lock.
    """
    if expected is not None and expected.id != model_id:
        raise ValueError(f"expected describes '{expected.id}', not '{model_id}'")
    waited = False

    def waiting(wait: LockWait) -> None:
        nonlocal waited
        waited = True
        if on_wait is not None:
            on_wait(wait)

    with hold(layout, model_id, timeout, cancel=cancel, on_wait=waiting):
        if waited and reuse is not None:  # the other one may have installed this very model
            current = _sound_model(layout, model_id)
            if current is not None and reuse(current):
                logger.info("%s was installed meanwhile by another Terjman", model_id)
                return current
        try:
            staging = layout.staging(model_id, fresh=fresh)
        except LocationError as error:
            raise location_store_error(error) from None
        work = Workspace(model_id, staging, layout.sources(model_id))
        try:
            fill(work)
            _place(layout, limits, work, expected, progress, cancel)
        finally:
            layout.drop_staging_if_empty(model_id)
        if not keep_sources:
            work.forget_sources()
        return record_installed(layout, model_id)


def import_package(
    layout: StoreLayout,
    limits: ArchiveLimits,
    path: Path,
    *,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
    timeout: float | None,
    on_wait: Callable[[LockWait], None] | None,
) -> InstalledModel:
    """Install the package ``.zip`` or model folder ``path``; see ``Store.import_path``."""
    layout.recover()
    try:
        with (
            open_package(path, limits) as (manifest, fill),
            hold(layout, manifest.id, timeout, cancel=cancel, on_wait=on_wait),
        ):
            layout.fill_and_swap(manifest, fill, progress, cancel)
            return record_installed(layout, manifest.id)
    except TerjmanError:
        raise
    except OSError as error:  # a USB stick pulled out, a file without read permission
        raise StoreError(
            f"{path} cannot be read ({error}).", hint="Check the package and try again."
        ) from error


def record_installed(layout: StoreLayout, model_id: str) -> InstalledModel:
    """The model just put in place, its verification recorded (its lock is held)."""
    folder = layout.root / model_id
    layout.records.write(folder, True)
    return load_installed(layout.records, folder)


def _sound_model(layout: StoreLayout, model_id: str) -> InstalledModel | None:
    """The installed model ``model_id`` when it is ``ok``, else None (its lock is held)."""
    layout.recover_held(model_id)
    folder = layout.root / model_id
    if not folder.is_dir():
        return None
    stored = inspect_folder(layout.records, folder)
    return stored.model if stored.ok else None


def _place(
    layout: StoreLayout,
    limits: ArchiveLimits,
    work: Workspace,
    expected: Manifest | None,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> None:
    """Check what the filler staged and put it in place (the model's lock is held)."""
    manifest = read_staged(work.staging, expected)
    if manifest.id != work.model_id:
        layout.forget_staging(work.model_id)
        raise StoreError(
            f"The files prepared for '{work.model_id}' describe another model "
            f"('{manifest.id}').",
            hint="Where they came from (the catalog, a repository) disagrees with what they "
            "hold: refresh the catalog, then try again.",
        )
    check_staged(work.staging, manifest, expected)
    place_staged(layout, work.staging, manifest, limits, progress, cancel)
    layout.forget_staging(work.model_id)  # what a copy from another disk leaves behind


def place_staged(
    layout: StoreLayout,
    staging: Path,
    manifest: Manifest,
    limits: ArchiveLimits,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> None:
    """Re-hash a checked staged folder and put it in place (the model's lock is held).

    On the store's filesystem the folder itself is renamed into place; on another one (a
    staging folder linked to another disk) it is copied, verified, into the store first. On
    failure ``staging`` is left as it is.

    Raises:
        PackageError: a file does not match its hash.
        StoreError: the folder cannot be moved or copied into the store.
    """
    layout.recover_held(manifest.id)
    ensure_dir(layout.root)  # a clear error when it cannot be created (TERJMAN_HOME a file…)
    if not same_filesystem(staging, layout.root):  # copy (verifying), then one rename
        package = open_folder(staging, limits)
        layout.fill_and_swap(
            manifest, lambda dest, bar: copy_folder(package, dest, bar), progress, cancel
        )
        return
    problems = hash_problems(staging, manifest, Progress(manifest.total_size, progress, cancel))
    if problems:
        raise PackageError(f"{staging}: {problems[0]}", hint=STAGED_HINT)
    try:
        layout.swap_in(staging, manifest.id)
    except OSError as error:
        raise StoreError(
            f"{staging} could not be moved into {layout.root} ({error}).",
            hint="Check that the models folder is writable, then try again.",
        ) from error
