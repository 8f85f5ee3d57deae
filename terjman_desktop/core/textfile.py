"""Reading the text files people give: UTF-8 (with or without BOM) or UTF-16 with a BOM.

Anything else (another encoding such as Windows-1256, a binary file, a huge file) is
refused with a message that says how to fix it, rather than guessed at.
"""

from __future__ import annotations

import re
from pathlib import Path

from terjman_desktop.core.errors import InputError

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_text_file(path: Path, *, max_bytes: int, kind: str) -> tuple[str, bool]:
    """Read a text file; return its text and whether it started with a byte-order mark.

    Args:
        path: The file.
        max_bytes: Larger files are refused.
        kind: What the file should be, for messages ("CSV", "subtitle", "text").

    Raises:
        InputError: Missing, unreadable, too large, binary, or in another encoding.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"'{path.name}' is too large ({size / 1e6:.1f} MB; at most "
                f"{max_bytes / 1e6:.0f} MB).",
                hint=f"Split it into smaller {kind} files.",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"The file '{path}' does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"'{path}' is a folder, not a {kind} file.") from None
    except OSError as error:
        raise InputError(f"'{path}' cannot be read ({error.strerror or error}).") from None
    utf16 = raw[:2] in _UTF16_BOMS
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"'{path.name}' is not a UTF-8 {kind} file (undecodable byte at position "
            f"{error.start}).",
            hint="Save it with the encoding UTF-8 (in Excel: 'CSV UTF-8') and try again.",
        ) from None
    if "\x00" in text:
        raise InputError(f"'{path.name}' looks like a binary file, not a {kind} file.",
                         hint=f"Choose a {kind} file saved as UTF-8 text.")
    return text, utf16 or raw.startswith(_UTF8_BOM)


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
