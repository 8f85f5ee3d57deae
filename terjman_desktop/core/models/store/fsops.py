"""Filesystem helpers of the store: delete what can be, make renames durable, explain failures."""

from __future__ import annotations

import errno
import os
import shutil
from contextlib import suppress
from pathlib import Path

from terjman_desktop.core.errors import LocationError, StoreError


def delete_path(path: Path) -> None:
    """Delete a file, link or folder tree; what cannot be deleted now is retried later."""
    if path.is_symlink() or path.is_file():
        with suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def fsync_dir(path: Path) -> None:
    """Make a rename in the folder ``path`` durable (POSIX; Windows neither can nor needs to)."""
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
