"""The store's folder layout, and the crash-safe way models are put in place and removed.

Layout of the store's root folder::

    <id>/                          an installed model; only complete, verified ones appear here
    .staging/<id>/                 an install's files as they arrive (a download resumes there)
    .hub-sources/<id>/<commit>/    what an install converts from (a Hub checkpoint)
    .incoming/<id>+<token>/        an import being unpacked, or a staged model being copied
    .trash/<id>+<token>.aside      the previous version while a new one is swapped in
    .trash/<id>+<token>.doomed     a folder being deleted
    .locks/<id>.lock               the inter-process lock of a model
    .state/<id>.json               the result of the model's last verification

Every working folder lives under the root, on the same filesystem, so that putting a model in
place is one ``os.replace`` of a folder. Replacing a model renames the old folder aside, the
new one in, then deletes the old one; whatever moment a crash strikes, ``<id>/`` is the old
model, the new one, or (until the next use of the store puts the ``.aside`` folder back)
absent, never partial. ``+`` cannot appear in a model id, so leftovers map back to their id.

Every method that changes a model's folders expects its caller to hold the model's lock
(:meth:`StoreLayout.lock`), except :meth:`StoreLayout.recover`, which takes the locks itself.
The store never takes a lock it holds: :meth:`StoreLayout.recover_held` is recovery for its
holder.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.diskspace import ensure_free_space
from terjman_desktop.core.errors import LocationError, StoreError, TerjmanError
from terjman_desktop.core.locks import FileLock
from terjman_desktop.core.models.archive.shared import Progress, disk_errors
from terjman_desktop.core.models.store.fsops import change_error, delete_path, fsync_dir
from terjman_desktop.core.models.store.state import StateRecords
from terjman_desktop.core.paths import ensure_dir
from terjman_desktop.core.translate import ID_PATTERN, Manifest, ProgressCallback

# These are the store's messages: logged under its name, as before the store was split up.
logger = logging.getLogger("terjman_desktop.core.models.store.store")

STAGING = ".staging"
SOURCES = ".hub-sources"
_INCOMING = ".incoming"
_TRASH = ".trash"
_LOCKS = ".locks"
_STATE = ".state"
SEP = "+"
_ASIDE = ".aside"
_DOOMED = ".doomed"
# Folders of this process's imports in progress: recovery must never delete them.
_active: set[Path] = set()

# Writes a model's files into an empty folder, counting bytes (and checking cancel).
Fill = Callable[[Path, Progress], None]


class StoreLayout:
    """The folders of the store ``root`` and the crash-safe changes made to them.

    Nothing is created until something is written. Model names are checked by the caller.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.records = StateRecords(root / _STATE)

    # ------------------------------------------------------------------ folders

    def _working_dir(self, name: str) -> Path:
        """The working folder ``root/name`` (``.trash``, ``.locks``...), created if needed.

        Raises:
            LocationError: it cannot be created (``TERJMAN_HOME`` names a file, a read-only
                disk).
        """
        return ensure_dir(self.root / name)

    def lock(self, name: str) -> FileLock:
        """The inter-process lock of the model ``name`` (not taken).

        Raises:
            LocationError: its folder cannot be created.
        """
        return FileLock(self._working_dir(_LOCKS) / f"{name}.lock")

    def staging(self, model_id: str, *, fresh: bool = False) -> Path:
        """The folder an install of ``model_id`` fills (created).

        What an earlier attempt left there stays, so a download resumes, unless ``fresh``.

        Raises:
            StoreError: ``fresh`` and the folder cannot be emptied (a file open elsewhere).
            LocationError: the folder cannot be created.
        """
        folder = self._working_dir(STAGING) / model_id
        if fresh or folder.is_symlink():
            delete_path(folder)
        folder.mkdir(exist_ok=True)
        if fresh and any(folder.iterdir()):  # a file that could not be deleted (Windows)
            raise StoreError(
                f"{folder} could not be emptied.",
                hint="Close other programs using it, then try again.",
            )
        return folder

    def forget_staging(self, model_id: str) -> None:
        """Delete the staging folder of ``model_id`` and what it holds."""
        delete_path(self.root / STAGING / model_id)

    def drop_staging_if_empty(self, model_id: str) -> None:
        """Delete the staging folder of ``model_id`` when nothing is left in it to resume."""
        folder = self.root / STAGING / model_id
        with suppress(OSError):  # only tidiness: never hide the error of the install
            if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
                folder.rmdir()

    def sources(self, model_id: str) -> Path:
        """Where an install of ``model_id`` keeps what it converts from (not created)."""
        return self.root / SOURCES / model_id

    # ------------------------------------------------------------------ recovery

    def recover(self, only: str | None = None) -> None:
        """Finish what a crashed process left: restore or delete trash, drop stale imports.

        Each model's leftovers are handled under its lock; those of a model another process
        (or thread) is working on are left for a later call. ``only`` limits it to one model.
        """
        for leftover, model_id in self._leftovers(only):
            try:
                lock = self.lock(model_id)
                if not lock.acquire(0):
                    continue  # its owner is alive and working on it
            except (OSError, LocationError) as error:  # a read-only store: nothing to clean
                logger.warning("Could not clean up %s: %s", leftover, error)
                continue
            try:
                self._recover_one(leftover, model_id)
            finally:
                lock.release()

    def recover_held(self, model_id: str) -> None:
        """:meth:`recover` for the one model whose lock the caller holds."""
        for leftover, _ in self._leftovers(model_id):
            self._recover_one(leftover, model_id)

    def _leftovers(self, only: str | None) -> Iterator[tuple[Path, str]]:
        """The trash and stale imports of every model (or ``only``), with their model id.

        Names the store does not make are deleted on the way.
        """
        for kind in (_TRASH, _INCOMING):
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for leftover in sorted(folder.iterdir()):
                model_id, sep, _ = leftover.name.partition(SEP)
                if (only is not None and model_id != only) or leftover in _active:
                    continue
                if not sep or not ID_PATTERN.match(model_id):
                    delete_path(leftover)  # not a name the store makes
                    continue
                yield leftover, model_id

    def _recover_one(self, leftover: Path, model_id: str) -> None:
        try:
            target = self.root / model_id
            if leftover.name.endswith(_ASIDE) and not os.path.lexists(target):
                os.replace(leftover, target)
                logger.warning("Restored %s after an interrupted install.", target)
            else:
                delete_path(leftover)
        except OSError as error:  # tried again at the next use
            logger.warning("Could not clean up %s: %s", leftover, error)

    # ------------------------------------------------------------------ changes

    def swap_in(self, source: Path, model_id: str) -> None:
        """Put the verified folder ``source`` at ``<root>/<id>``, replacing an older copy."""
        target = self.root / model_id
        aside: Path | None = None
        try:
            if os.path.lexists(target):
                aside = self._working_dir(_TRASH) / f"{model_id}{SEP}{uuid.uuid4().hex}{_ASIDE}"
                os.replace(target, aside)
            try:
                os.replace(source, target)
            except BaseException:
                if aside is not None:
                    with suppress(OSError):  # else the next use of the store puts it back
                        os.replace(aside, target)
                raise
        except PermissionError as error:
            raise StoreError(
                f"{target} is in use and cannot be replaced ({error.strerror}).",
                hint="Close the Terjman windows that use this model and try again.",
            ) from error
        fsync_dir(self.root)
        if aside is not None:
            doomed = aside.with_name(aside.name[: -len(_ASIDE)] + _DOOMED)
            try:
                os.replace(aside, doomed)
            except OSError:
                logger.warning("Could not discard %s; it is deleted at the next start.", aside)
                return
            delete_path(doomed)

    def discard(self, name: str) -> None:
        """Delete the folder ``name`` of the store; it disappears in one rename.

        Raises:
            StoreError: the folder cannot be moved (on Windows, typically a model still
                loaded; elsewhere a read-only disk or missing permissions), with a hint.
            LocationError: the store's trash folder cannot be created.
        """
        target = self.root / name
        doomed = self._working_dir(_TRASH) / f"{name}{SEP}{uuid.uuid4().hex}{_DOOMED}"
        try:
            os.replace(target, doomed)
        except OSError as error:
            raise change_error(f"{target} cannot be removed", error, self.root) from error
        delete_path(doomed)
        self.records.forget(name)

    def fill_and_swap(
        self,
        manifest: Manifest,
        fill: Fill,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        """Write a model into a fresh ``.incoming`` folder with ``fill``, then swap it in.

        Nothing is left behind on failure.

        Raises:
            DiskSpaceError: not enough room in the store, or the disk filled up.
            StoreError: the model could not be copied or put in place.
        """
        ensure_dir(self.root)  # a clear error when it cannot be created (TERJMAN_HOME a file…)
        ensure_free_space(self.root, manifest.total_size, f"install '{manifest.id}'")
        incoming = self._working_dir(_INCOMING) / f"{manifest.id}{SEP}{uuid.uuid4().hex}"
        incoming.mkdir()
        _active.add(incoming)
        try:
            with disk_errors(incoming):
                fill(incoming, Progress(manifest.total_size, progress, cancel))
                self.swap_in(incoming, manifest.id)
        except TerjmanError:
            raise
        except OSError as error:
            raise StoreError(
                f"The model could not be copied into {self.root} ({error}).",
                hint="Check that the package is still readable and the folder writable.",
            ) from error
        finally:
            _active.discard(incoming)
            if os.path.lexists(incoming):
                delete_path(incoming)
