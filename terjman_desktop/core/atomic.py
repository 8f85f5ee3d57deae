"""Write a file all at once: into a temporary file beside it, then one rename.

A crash, a cancel or a full disk leaves either the old file or the complete new one, never
half a file; the temporary file is removed on failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from terjman_desktop.core.errors import InputError, OutputExistsError


@contextmanager
def atomic_path(path: Path, *, overwrite: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``.

    Args:
        path: The file to write.
        overwrite: When False, an existing ``path`` raises :class:`OutputExistsError`,
            checked before and after the work.

    Raises:
        OutputExistsError: ``path`` exists and ``overwrite`` is False.
        InputError: The folder cannot be written.
    """
    if not overwrite and path.exists():
        raise OutputExistsError(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            try:
                # Default permissions (0666 less the umask), like any file the person saves.
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                break
            except FileExistsError:
                continue
    except OSError as error:
        raise InputError(
            f"'{path}' cannot be written ({error.strerror or error}).",
            hint="Choose a folder you may write in.",
        ) from error
    try:
        yield temp
        if not overwrite and path.exists():
            raise OutputExistsError(path)
        os.replace(temp, path)
    except OSError as error:
        raise InputError(
            f"'{path}' cannot be written ({error.strerror or error}).",
            hint="Check the free disk space and that you may write there.",
        ) from error
    finally:
        temp.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path, overwrite=overwrite) as temp, temp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return path
