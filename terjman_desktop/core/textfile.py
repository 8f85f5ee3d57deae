"""Reading the text people give: UTF-8 (with or without BOM) or UTF-16 with a BOM.

Anything else (another encoding such as Windows-1256, a binary file, a huge file) is
refused with a message that says how to fix it, rather than guessed at. Every reader of
text — the documents (.txt, .srt, .csv), the phrasebook import, ``terjman translate
--input FILE`` and standard input — decides here, with :func:`decode_text`, so the same
bytes are accepted or refused the same way whoever reads them; and every file is read
through :func:`~terjman_desktop.core.readfile.read_regular_file`: regular files only, never
more than the cap.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import BinaryIO

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.readfile import FileReadError, read_regular_file

# Text to translate: a long book is a few megabytes.
MAX_TEXT_BYTES = 20 * 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SURROGATE = re.compile("[\ud800-\udfff]")
STDIN_NAME = "standard input"


def decode_text(
    raw: bytes, name: str | None = None, *, kind: str = "text"
) -> tuple[str, bool]:
    """Decode the bytes of a text; return it and whether it started with a byte-order mark.

    UTF-16 when the bytes start with its byte-order mark, else UTF-8 (a UTF-8 BOM is
    dropped). Text holding NUL characters is binary data, whatever its encoding.

    Args:
        raw: The bytes.
        name: The file's name, for messages; ``None`` for standard input.
        kind: What the text should be, for messages ("CSV", "subtitle", "text").

    Raises:
        InputError: not UTF-8 (nor UTF-16 with a BOM), or binary.
    """
    subject = f"'{name}'" if name is not None else f"The {STDIN_NAME}"
    utf16 = raw[:2] in _UTF16_BOMS
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        expected = f"a UTF-8 {kind} file" if name is not None else f"UTF-8 {kind}"
        excel = " (in Excel: 'CSV UTF-8')" if kind == "CSV" else ""
        raise InputError(
            f"{subject} is not {expected} (undecodable byte at position {error.start}).",
            hint=f"Save it with the encoding UTF-8{excel} and try again.",
        ) from None
    if "\x00" in text:
        binary = "a binary file" if name is not None else "binary data"
        raise InputError(f"{subject} looks like {binary}, not {kind}.",
                         hint=f"Give {kind} saved as UTF-8.")
    return text, utf16 or raw.startswith(_UTF8_BOM)


def check_text(text: str, name: str = "The text") -> str:
    """Refuse text that no file could have held.

    Lone surrogates are what Python makes of bytes that are not UTF-8 in command-line
    arguments; NUL characters are binary data. The tokenizer would fail on either.

    Raises:
        InputError: ``"<name> is not UTF-8 text."``
    """
    if _SURROGATE.search(text) or "\x00" in text:
        raise InputError(f"{name} is not UTF-8 text.",
                         hint="Give the text in UTF-8, or in a UTF-8 file with --input.")
    return text


def _too_large(subject: str, size: int, max_bytes: int, kind: str) -> InputError:
    return InputError(
        f"{subject} is too large ({size / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB).",
        hint=f"Split it into smaller {kind} files.",
    )


def read_text_file(
    path: Path, *, max_bytes: int = MAX_TEXT_BYTES, kind: str = "text"
) -> tuple[str, bool]:
    """Read a text file; return its text and whether it started with a byte-order mark.

    Args:
        path: The file (a regular file: not a folder, a named pipe or a device).
        max_bytes: Larger files are refused (before anything is read).
        kind: What the file should be, for messages ("CSV", "subtitle", "text").

    Raises:
        InputError: Missing, unreadable, not a regular file, too large, binary, or in
            another encoding.
    """
    path = Path(path)
    try:
        raw = read_regular_file(path, max_bytes=max_bytes)
    except FileReadError as error:
        if error.kind == "missing":
            raise InputError(f"The file '{path}' does not exist.") from None
        if error.kind == "too_large":
            raise _too_large(f"'{path.name}'", error.size, max_bytes, kind) from None
        if error.kind == "not_a_file":
            raise InputError(f"'{path}' is {error.what}, not a {kind} file.") from None
        raise InputError(f"'{path}' {error.problem}.") from None
    return decode_text(raw, path.name, kind=kind)


def read_text_input(
    source: str | os.PathLike[str] | bytes | BinaryIO, *, max_bytes: int = MAX_TEXT_BYTES
) -> str:
    """The text to translate from a file, from bytes, or from a binary stream (stdin).

    The one reader of plain text input: the same bytes give the same text, or the same
    refusal, whether they come from ``--input FILE`` (with or without ``--output``), from
    standard input or from a document.

    Args:
        source: A file path (a ``str`` is always a path, never the text), the bytes
            themselves, or a binary stream such as ``sys.stdin.buffer`` (read up to the cap).
        max_bytes: Larger input is refused.

    Raises:
        InputError: too large, not UTF-8 (nor UTF-16 with a BOM), binary, or a file that
            is missing, unreadable or not a regular file.
    """
    if isinstance(source, (str, os.PathLike)):
        return read_text_file(Path(source), max_bytes=max_bytes)[0]
    if isinstance(source, bytes):
        raw = source
    else:
        try:
            raw = source.read(max_bytes + 1)
        except OSError as error:
            raise InputError(
                f"The {STDIN_NAME} cannot be read ({error.strerror or error})."
            ) from None
    if len(raw) > max_bytes:
        raise _too_large(f"The {STDIN_NAME}", len(raw), max_bytes, "text")
    return decode_text(raw)[0]


_QUOTED = re.compile(r'"[^"]*"')
CSV_DELIMITERS = ",;\t|"


def sniff_delimiter(text: str, max_lines: int = 50) -> str:
    """The delimiter of CSV ``text``: of , ; tab |, the one on the most of its first lines.

    Quoted cells are ignored while counting; ties go to the earlier candidate (a comma).
    """
    lines = [line for line in _QUOTED.sub("", text[:65536]).splitlines() if line.strip()]
    lines = lines[:max_lines]
    best, best_count = ",", 0
    for delimiter in CSV_DELIMITERS:
        count = sum(delimiter in line for line in lines)
        if count > best_count:
            best, best_count = delimiter, count
    return best
