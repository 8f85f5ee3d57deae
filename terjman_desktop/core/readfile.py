"""Read a whole file that a person or a server may have put anywhere: bounded, regular files only.

Every file the core reads into memory (settings, catalogs, manifests, text to translate) goes
through :func:`read_regular_file`, so the same rules hold everywhere:

* Only regular files are read. A named pipe would block the reader forever (opening one
  waits for a writer), a device such as ``/dev/zero`` never ends, a folder is not a file. On
  POSIX the file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the descriptor,
  so there is no window between the check and the read.
* At most ``max_bytes`` are read: a file that grows while it is read cannot get past the cap,
  whatever its size said when it was opened.

Callers turn :class:`FileReadError` into their own :class:`~terjman_desktop.core.errors.
TerjmanError` with a hint that fits what the file was for; :func:`read_input_file` does it
for the files a person gives to translate.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal

from terjman_desktop.core.errors import InputError

ReadProblem = Literal["missing", "not_a_file", "too_large", "unreadable"]
_CHUNK = 1 << 20


class FileReadError(Exception):
    """Why a file could not be read.

    Attributes:
        path: The file.
        kind: ``missing``, ``not_a_file`` (a folder, pipe, device…), ``too_large`` or
            ``unreadable`` (permissions, I/O error…).
        problem: The reason in words, without the path (callers name the file themselves):
            "does not exist", "is a named pipe, not a file", "is too large (…)"…
        what: For ``not_a_file``, what is there instead ("a folder", "a named pipe").
        size: For ``too_large``, the size found (at least ``max_bytes + 1``).
    """

    def __init__(
        self, path: Path, kind: ReadProblem, problem: str, *, what: str = "", size: int = 0
    ) -> None:
        super().__init__(f"'{path}' {problem}")
        self.path = path
        self.kind: ReadProblem = kind
        self.problem = problem
        self.what = what
        self.size = size


def _not_a_file(path: Path, mode: int) -> FileReadError:
    if stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISFIFO(mode):
        what = "a named pipe"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "a special file"
    return FileReadError(path, "not_a_file", f"is {what}, not a file", what=what)


def read_regular_file(path: Path | str, *, max_bytes: int) -> bytes:
    """The content of the regular file ``path``, which must hold at most ``max_bytes``.

    Raises:
        FileReadError: the file is missing, not a regular file, larger than ``max_bytes``,
            or cannot be read.
    """
    path = Path(path)
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        if os.name == "nt":  # no O_NONBLOCK there: check first (Windows has no FIFOs in paths)
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                raise _not_a_file(path, mode)
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileReadError(path, "missing", "does not exist") from None
    except IsADirectoryError:
        raise _not_a_file(path, stat.S_IFDIR) from None
    except NotADirectoryError:
        problem = "does not exist (a folder on its path is a file)"
        raise FileReadError(path, "missing", problem) from None
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_a_file(path, info.st_mode)
        if info.st_size > max_bytes:
            raise _too_large(path, info.st_size, max_bytes)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # it grew while being read
            raise _too_large(path, total, max_bytes)
        return b"".join(chunks)
    except OSError as error:
        raise _unreadable(path, error) from None
    finally:
        os.close(fd)


def _unreadable(path: Path, error: OSError) -> FileReadError:
    return FileReadError(path, "unreadable", f"cannot be read ({error.strerror or error})")


def _too_large(path: Path, size: int, max_bytes: int) -> FileReadError:
    problem = f"is too large ({_mb(size)}; at most {_mb(max_bytes)})"
    return FileReadError(path, "too_large", problem, size=size)


def _mb(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count} bytes"


def read_input_file(path: Path, *, max_bytes: int, noun: str, split_hint: str) -> bytes:
    """Read a file a person chose to translate, every refusal an :class:`InputError`.

    :func:`read_regular_file`'s rules, with messages that say what to do.

    Args:
        path: The file.
        max_bytes: Larger files are refused before anything is read.
        noun: What the file should be, with its article ("a PDF", "an Excel workbook").
        split_hint: The hint for a file that is too large ("Split it into smaller pages.").
    """
    try:
        return read_regular_file(path, max_bytes=max_bytes)
    except FileReadError as error:
        if error.kind == "missing":
            raise InputError(f"The file '{path}' does not exist.") from None
        if error.kind == "too_large":
            raise InputError(f"'{path.name}' {error.problem}.", hint=split_hint) from None
        if error.kind == "not_a_file":
            raise InputError(f"'{path}' is {error.what}, not {noun}.") from None
        raise InputError(f"'{path.name}' {error.problem}.") from None
