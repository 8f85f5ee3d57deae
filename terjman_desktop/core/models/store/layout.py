"""The store's folder layout, and the crash-safe way models are put in place and removed.

Layout of the store's root folder::

    <id>/                          an installed model; only complete, verified ones appear here
    .staging/<id>/                 a download in progress (resumable)
    .incoming/<id>+<token>/        an import being unpacked
    .trash/<id>+<token>.aside      the previous version while a new one is swapped in
    .trash/<id>+<token>.doomed     a folder being deleted
    .locks/<id>.lock               the inter-process lock of a model
    .state/<id>.json               the result of the model's last verification

Every working folder lives under the root, on the same filesystem, so that putting a model in
place is one ``os.replace`` of a folder. Replacing a model renames the old folder aside, the
new one in, then deletes the old one; whatever moment a crash strikes, ``<id>/`` is the old
model, the new one, or (until the next use of the store puts the ``.aside`` folder back)
absent, never partial. ``+`` cannot appear in a model id, so leftovers map back to their id.

Every function here but :func:`recover` expects its caller to hold the model's lock.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.diskspace import ensure_free_space
from terjman_desktop.core.errors import LocationError, StoreError, TerjmanError
from terjman_desktop.core.locks import FileLock
from terjman_desktop.core.models.archive.shared import Progress, disk_errors
from terjman_desktop.core.paths import ensure_dir
from terjman_desktop.core.translate.package import ID_PATTERN, Manifest, ProgressCallback

# These are the store's messages: logged under its name, as before the store was split up.
logger = logging.getLogger("terjman_desktop.core.models.store.store")

SEP = "+"
_ASIDE = ".aside"
_DOOMED = ".doomed"
# Folders of this process's imports in progress: recovery must never delete them.
_active: set[Path] = set()

# Writes a model's files into an empty folder, counting bytes (and checking cancel).
Fill = Callable[[Path, Progress], None]


def hidden_dir(root: Path, name: str) -> Path:
    """The working folder ``root/name`` (``.trash``, ``.locks``...), created if needed.

    Raises:
        LocationError: it cannot be created (``TERJMAN_HOME`` names a file, a read-only disk).
    """
    return ensure_dir(root / name)


def change_error(what: str, error: OSError, root: Path) -> StoreError:
    """A :class:`StoreError` for a change of the store that failed with ``error``.

    Args:
        what: What could not be done ("'/m/x' cannot be removed").
        error: The operating system's error; its cause picks the hint.
        root: The store's folder.
    """
    reason = error.strerror or str(error)
    if error.errno == errno.EROFS:
        hint = (
            f"The models folder {root} is on a read-only disk: make it writable, or set "
            "TERJMAN_HOME to a folder on another disk."
        )
    elif isinstance(error, PermissionError) and os.name == "nt":
        # Windows refuses to move a file that is open: a model still loaded somewhere.
        hint = "Close the Terjman windows that use this model and try again."
    elif isinstance(error, PermissionError):
        hint = f"Check that you may change the files in {root}."
    else:
        hint = "Check the disk, then try again."
    return StoreError(f"{what} ({reason}).", hint=hint)


def location_store_error(error: LocationError) -> StoreError:
    """The same message as a :class:`StoreError`, which is what store operations raise."""
    return StoreError(error.message, hint=error.hint)


def delete_path(path: Path) -> None:
    """Delete a file, link or folder tree; what cannot be deleted now is retried later."""
    if path.is_symlink() or path.is_file():
        with suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    # Makes a rename durable on POSIX; Windows cannot open folders this way (nor needs to).
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def file_lock(root: Path, model_id: str) -> FileLock:
    """The inter-process lock of a model (not taken)."""
    return FileLock(hidden_dir(root, ".locks") / f"{model_id}.lock")


def recover(root: Path, only: str | None = None) -> None:
    """Finish what a crashed process left: restore or delete trash, drop stale imports."""
    for kind in (".trash", ".incoming"):
        folder = root / kind
        if not folder.is_dir():
            continue
        for leftover in sorted(folder.iterdir()):
            model_id, sep, _ = leftover.name.partition(SEP)
            if (only is not None and model_id != only) or leftover in _active:
                continue
            if not sep or not ID_PATTERN.match(model_id):
                delete_path(leftover)  # not a name the store makes
                continue
            try:
                lock = file_lock(root, model_id)
                if not lock.acquire(0):
                    continue  # its owner is alive and working on it
            except (OSError, LocationError) as error:  # a read-only store: nothing to clean
                logger.warning("Could not clean up %s: %s", leftover, error)
                continue
            try:
                target = root / model_id
                if leftover.name.endswith(_ASIDE) and not os.path.lexists(target):
                    os.replace(leftover, target)
                    logger.warning("Restored %s after an interrupted install.", target)
                else:
                    delete_path(leftover)
            except OSError as error:  # tried again at the next use
                logger.warning("Could not clean up %s: %s", leftover, error)
            finally:
                lock.release()


def swap_in(root: Path, source: Path, model_id: str) -> None:
    """Put the verified folder ``source`` at ``<root>/<id>``, replacing an older copy."""
    target = root / model_id
    aside: Path | None = None
    try:
        if os.path.lexists(target):
            aside = hidden_dir(root, ".trash") / f"{model_id}{SEP}{uuid.uuid4().hex}{_ASIDE}"
            os.replace(target, aside)
        try:
            os.replace(source, target)
        except BaseException:
            if aside is not None:
                with suppress(OSError):
                    os.replace(aside, target)
            raise
    except PermissionError as error:
        raise StoreError(
            f"{target} is in use and cannot be replaced ({error.strerror}).",
            hint="Close the Terjman windows that use this model and try again.",
        ) from error
    _fsync_dir(root)
    if aside is not None:
        doomed = aside.with_name(aside.name[: -len(_ASIDE)] + _DOOMED)
        try:
            os.replace(aside, doomed)
        except OSError:
            logger.warning("Could not discard %s; it is deleted at the next start.", aside)
            return
        delete_path(doomed)


def discard(root: Path, model_id: str) -> None:
    """Delete the installed folder of a model; it disappears in one rename.

    Raises:
        StoreError: the folder cannot be moved (on Windows, typically a model still loaded;
            elsewhere a read-only disk or missing permissions), with a hint for each.
        LocationError: the store's trash folder cannot be created.
    """
    target = root / model_id
    doomed = hidden_dir(root, ".trash") / f"{model_id}{SEP}{uuid.uuid4().hex}{_DOOMED}"
    try:
        os.replace(target, doomed)
    except OSError as error:
        raise change_error(f"{target} cannot be removed", error, root) from error
    delete_path(doomed)


def fill_and_swap(
    root: Path,
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
    ensure_dir(root)  # a clear error when it cannot be created (TERJMAN_HOME a file…)
    ensure_free_space(root, manifest.total_size, f"install '{manifest.id}'")
    incoming = hidden_dir(root, ".incoming") / f"{manifest.id}{SEP}{uuid.uuid4().hex}"
    incoming.mkdir()
    _active.add(incoming)
    try:
        with disk_errors(incoming):
            fill(incoming, Progress(manifest.total_size, progress, cancel))
            swap_in(root, incoming, manifest.id)
    except TerjmanError:
        raise
    except OSError as error:
        raise StoreError(
            f"The model could not be copied into {root} ({error}).",
            hint="Check that the package is still readable and the folder writable.",
        ) from error
    finally:
        _active.discard(incoming)
        if os.path.lexists(incoming):
            delete_path(incoming)
