"""Write a file all at once: into a temporary file beside it, then one rename.

A crash, a cancel or a full disk leaves either the old file or the complete new one, never
half a file; the temporary file is removed on failure. Every file the app writes whole
(settings, catalogs, manifests, verification records, translated documents, exports) goes
through :func:`replacing`, so they all share one behaviour: the data is flushed to disk
before the rename, permissions are the usual ones (or owner-only with ``private``), and
nothing is left behind.

:func:`replacing` and :func:`write_atomically` raise :class:`OSError` for the caller to put in
its own words; :func:`atomic_path` and :func:`atomic_write` are for files a person chose and
raise :class:`InputError` with a hint.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from terjman_desktop.core.errors import InputError, OutputExistsError


def _new_temp(path: Path, mode: int, create: bool) -> Path:
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        if not create:
            if not temp.exists():
                return temp
            continue
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        except FileExistsError:
            continue
        if mode == 0o600:
            os.chmod(temp, mode)  # whatever the umask, a secret is never group-readable
        return temp


@contextmanager
def replacing(
    path: Path, *, overwrite: bool = True, private: bool = False, create: bool = True
) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends normally it replaces ``path``.

    Args:
        path: The file to write (its folder is created).
        overwrite: When False, an existing ``path`` raises :class:`OutputExistsError`, checked
            before and after the work.
        private: Owner-only permissions (0600), for files that hold a token. Otherwise the
            default permissions (0666 less the umask), like any file the person saves.
        create: Create the temporary file (empty) before yielding it. False for writers that
            create their file themselves, exclusively (the archive writer).

    Raises:
        OutputExistsError: ``path`` exists and ``overwrite`` is False.
        OSError: the folder or the file cannot be written.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise OutputExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _new_temp(path, 0o600 if private else 0o666, create)
    try:
        yield temp
        if not overwrite and path.exists():
            raise OutputExistsError(path)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_atomically(
    path: Path, data: bytes | str, *, overwrite: bool = True, private: bool = False
) -> Path:
    """Write ``data`` (text is encoded as UTF-8) to ``path`` through :func:`replacing`.

    Raises:
        OutputExistsError: ``path`` exists and ``overwrite`` is False.
        OSError: the file cannot be written.
    """
    content = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(path, overwrite=overwrite, private=private) as temp, temp.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(path)


def _input_error(path: Path, error: OSError) -> InputError:
    return InputError(
        f"'{path}' cannot be written ({error.strerror or error}).",
        hint="Check the free disk space and that you may write there.",
    )


@contextmanager
def atomic_path(path: Path, *, overwrite: bool = True) -> Iterator[Path]:
    """:func:`replacing` for a file a person chose: failures become :class:`InputError`.

    Raises:
        OutputExistsError: ``path`` exists and ``overwrite`` is False.
        InputError: the folder or the file cannot be written.
    """
    try:
        with replacing(path, overwrite=overwrite) as temp:
            yield temp
    except OSError as error:
        raise _input_error(path, error) from error


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True) -> Path:
    """:func:`write_atomically` for a file a person chose (see :func:`atomic_path`)."""
    try:
        return write_atomically(path, data, overwrite=overwrite)
    except OSError as error:
        raise _input_error(path, error) from error


def link_or_copy(source: Path, target: Path) -> None:
    """Make ``target`` a hard link to ``source`` (no second copy of big weights), else a copy.

    A copy where the file system has no hard links or ``target`` is on another one. Either
    way ``target`` must then only be replaced (``write_atomically``), never written in place:
    a link shares its bytes with ``source``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        import shutil

        shutil.copy2(source, target)
