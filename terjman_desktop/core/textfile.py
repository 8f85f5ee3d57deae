"""Reading the text people give, in the encoding it was saved in, and saying which.

Every reader of text — the documents (.txt, .srt, .csv, .html), the phrasebook import,
``terjman translate --input FILE`` and standard input — decides here, so the same bytes are
read the same way whoever reads them; every file is read through
:func:`~terjman_desktop.core.readfile.read_regular_file`: regular files only, never more
than the cap.

Two ways to read:

* :func:`decode_text` / :func:`read_text_file` (the phrasebook, standard input): Unicode
  only — UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM. Other bytes are refused
  with a message that names what they look like, so nothing is guessed silently.
* :func:`decode_detect` / :func:`read_text_detect` (documents, ``--input``): the same, and
  when the bytes are not Unicode the encoding is detected with ``charset-normalizer`` —
  first among the encodings English and Darija texts are saved in on Windows
  (Windows-1252, what Notepad and older Excel write, and Windows-1256, Arabic), then
  among all. The :class:`TextEncoding` says what was found and whether it was detected,
  so the caller can tell the person; the output can be written back in it
  (:meth:`TextEncoding.encode`).
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.readfile import read_input_file

# Text to translate: a long book is a few megabytes.
MAX_TEXT_BYTES = 20 * 1024 * 1024
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried first when the bytes are not Unicode: what Windows saves English (Notepad, older
# Excel) and Arabic in. charset-normalizer alone takes short French-accented English for
# Windows-1250 and short Arabic for Korean.
_LIKELY_LEGACY = ("cp1252", "cp1256")
_NAMES = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "cp1252": "Windows-1252",
    "cp1256": "Windows-1256",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "iso8859-1": "ISO-8859-1",
    "iso8859-6": "ISO-8859-6",
    "mac-roman": "Mac Roman",
}
_SURROGATE = re.compile("[\ud800-\udfff]")
STDIN_NAME = "standard input"
# How to save a file as UTF-8, by kind of file.
_SAVE_AS_UTF8 = {
    "CSV": "Save it as UTF-8 (in Excel: Save As → 'CSV UTF-8') and try again.",
    "subtitle": "Save it as UTF-8 in your subtitle editor (Subtitle Edit, Aegisub: "
    "Save as → encoding UTF-8) and try again.",
    "HTML": "Save it as UTF-8 in your editor and try again.",
}
_SAVE_AS_UTF8_DEFAULT = "Save it as UTF-8 (Notepad: Save as → Encoding: UTF-8) and try again."


def save_as_utf8_hint(kind: str) -> str:
    """How to save a file of this kind as UTF-8 (no spreadsheet advice for a subtitle)."""
    return _SAVE_AS_UTF8.get(kind, _SAVE_AS_UTF8_DEFAULT)


@dataclass(frozen=True)
class TextEncoding:
    """How a text was stored: the codec, a byte-order mark, and whether it was detected.

    Attributes:
        codec: A Python codec name, without the BOM ("utf-8", "utf-16-le", "cp1252").
        bom: The bytes started with a byte-order mark.
        detected: Found by ``charset-normalizer`` (the bytes were not Unicode), so it is
            a best guess the person should be told about.
    """

    codec: str
    bom: bool = False
    detected: bool = False

    @property
    def name(self) -> str:
        """The encoding as people know it: "UTF-8", "UTF-16 LE", "Windows-1252"."""
        return _NAMES.get(self.codec, self.codec.upper())

    @property
    def is_unicode(self) -> bool:
        return self.codec.startswith("utf")

    def describe(self) -> str:
        """One phrase for a summary: "UTF-8 with a byte-order mark", "Windows-1252 (detected)"."""
        if self.detected:
            return f"{self.name} (detected: the file is not UTF-8)"
        return f"{self.name} with a byte-order mark" if self.bom else self.name

    def can_hold(self, text: str) -> bool:
        """Whether ``text`` can be written in this encoding."""
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            return False
        return True

    def encode(self, text: str) -> bytes:
        """``text`` in this encoding, with the byte-order mark when it had one.

        Raises:
            UnicodeEncodeError: A character this encoding cannot hold.
        """
        bom = next((mark for mark, codec in _BOMS if codec == self.codec), b"")
        return (bom if self.bom else b"") + text.encode(self.codec)


UTF8 = TextEncoding("utf-8")
UTF8_BOM = TextEncoding("utf-8", bom=True)


def _subject(name: str | None) -> str:
    return f"'{name}'" if name is not None else f"The {STDIN_NAME}"


def _decode_unicode(raw: bytes, name: str | None, kind: str) -> tuple[str, TextEncoding] | None:
    """Text with a BOM, or valid UTF-8; None when the bytes are neither."""
    for mark, codec in _BOMS:
        if raw.startswith(mark):
            try:
                return raw[len(mark) :].decode(codec), TextEncoding(codec, bom=True)
            except UnicodeDecodeError as error:
                raise InputError(
                    f"{_subject(name)} starts with a {_NAMES[codec]} byte-order mark but is "
                    f"not {_NAMES[codec]} (undecodable bytes at position "
                    f"{error.start + len(mark)}).",
                    hint=save_as_utf8_hint(kind),
                ) from None
    try:
        return raw.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        return None


def _check_not_binary(text: str, name: str | None, kind: str) -> None:
    if "\x00" in text:
        binary = "a binary file" if name is not None else "binary data"
        raise InputError(
            f"{_subject(name)} looks like {binary}, not {kind}.",
            hint=f"Give {kind} saved as UTF-8 (UTF-16 needs a byte-order mark).",
        )


def _detect(raw: bytes) -> tuple[str, TextEncoding] | None:
    """The text and encoding ``charset-normalizer`` finds, likely encodings first."""
    from charset_normalizer import from_bytes  # only for bytes that are not Unicode

    for isolation in (list(_LIKELY_LEGACY), None):
        best = from_bytes(raw, cp_isolation=isolation).best()
        if best is not None and not best.encoding.startswith("utf"):
            return str(best), TextEncoding(codecs.lookup(best.encoding).name, detected=True)
    return None


def decode_detect(
    raw: bytes, name: str | None = None, *, kind: str = "text", encoding: str | None = None
) -> tuple[str, TextEncoding]:
    """Decode the bytes of a text, detecting the encoding when they are not Unicode.

    Args:
        raw: The bytes.
        name: The file's name, for messages; ``None`` for standard input.
        kind: What the text should be, for messages ("CSV", "subtitle", "text").
        encoding: A codec name the person chose; None: Unicode by its BOM, UTF-8, or
            detected.

    Returns:
        The text and how it was stored (``detected`` True when it was a guess).

    Raises:
        InputError: binary, an unknown ``encoding``, bytes that do not fit it, or bytes
            in no encoding that could be found.
    """
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(
                f"'{encoding}' is not an encoding Terjman knows.",
                hint="Use a name such as utf-8, utf-16, cp1252 or cp1256.",
            ) from None
        mark = next((m for m, c in _BOMS if c == codec and raw.startswith(m)), b"")
        try:
            text = raw[len(mark) :].decode(codec)
        except UnicodeDecodeError as error:
            raise InputError(
                f"{_subject(name)} is not {encoding} (undecodable byte at position {error.start}).",
                hint="Choose another encoding, or let Terjman detect it.",
            ) from None
        _check_not_binary(text, name, kind)
        return text, TextEncoding(codec, bom=bool(mark))
    unicode = _decode_unicode(raw, name, kind)
    if unicode is None and b"\x00" not in raw:
        unicode = _detect(raw)
    if unicode is None:
        if b"\x00" in raw:
            _check_not_binary("\x00", name, kind)
        raise InputError(
            f"{_subject(name)} is not {kind} in an encoding Terjman can recognise (not "
            f"UTF-8, and no other encoding fits its bytes).",
            hint=save_as_utf8_hint(kind),
        )
    text, found = unicode
    _check_not_binary(text, name, kind)
    return text, found


def decode_text(raw: bytes, name: str | None = None, *, kind: str = "text") -> tuple[str, bool]:
    """Decode Unicode text; return it and whether it started with a byte-order mark.

    UTF-8 (a UTF-8 BOM is dropped), or UTF-16/UTF-32 with their byte-order mark. Text
    holding NUL characters is binary data, whatever its encoding. Bytes in another
    encoding are refused, naming the encoding they look like (nothing is guessed).

    Args:
        raw: The bytes.
        name: The file's name, for messages; ``None`` for standard input.
        kind: What the text should be, for messages ("CSV", "subtitle", "text").

    Raises:
        InputError: not Unicode, or binary.
    """
    unicode = _decode_unicode(raw, name, kind)
    if unicode is None:
        detected = None if b"\x00" in raw else _detect(raw)
        if detected is None and b"\x00" in raw:
            _check_not_binary("\x00", name, kind)
        looks = f"; it looks like {detected[1].name}" if detected is not None else ""
        expected = f"a UTF-8 {kind} file" if name is not None else f"UTF-8 {kind}"
        raise InputError(
            f"{_subject(name)} is not {expected}{looks}.", hint=save_as_utf8_hint(kind)
        )
    text, found = unicode
    _check_not_binary(text, name, kind)
    return text, found.bom


def check_text(text: str, name: str = "The text") -> str:
    """Refuse text that no file could have held.

    Lone surrogates are what Python makes of bytes that are not UTF-8 in command-line
    arguments; NUL characters are binary data. The tokenizer would fail on either.

    Raises:
        InputError: ``"<name> is not UTF-8 text."``
    """
    if _SURROGATE.search(text) or "\x00" in text:
        raise InputError(
            f"{name} is not UTF-8 text.",
            hint="Give the text in UTF-8, or in a UTF-8 file with --input.",
        )
    return text


def _too_large(subject: str, size: int, max_bytes: int, kind: str) -> InputError:
    return InputError(
        f"{subject} is too large ({size / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB).",
        hint=f"Split it into smaller {kind} files.",
    )


def _read_bytes(path: Path, max_bytes: int, kind: str) -> bytes:
    return read_input_file(path, max_bytes=max_bytes, noun=f"a {kind} file",
                           split_hint=f"Split it into smaller {kind} files.")


def read_text_file(
    path: Path, *, max_bytes: int = MAX_TEXT_BYTES, kind: str = "text"
) -> tuple[str, bool]:
    """Read a Unicode text file; return its text and whether it started with a BOM.

    Args:
        path: The file (a regular file: not a folder, a named pipe or a device).
        max_bytes: Larger files are refused (before anything is read).
        kind: What the file should be, for messages ("CSV", "subtitle", "text").

    Raises:
        InputError: Missing, unreadable, not a regular file, too large, binary, or in
            an encoding other than UTF-8, UTF-16 or UTF-32 (see :func:`decode_text`).
    """
    path = Path(path)
    return decode_text(_read_bytes(path, max_bytes, kind), path.name, kind=kind)


def read_text_detect(
    path: Path,
    *,
    max_bytes: int = MAX_TEXT_BYTES,
    kind: str = "text",
    encoding: str | None = None,
) -> tuple[str, TextEncoding]:
    """Read a text file in whatever encoding it was saved in (see :func:`decode_detect`).

    Raises:
        InputError: Missing, unreadable, not a regular file, too large, binary, or in no
            encoding that could be found.
    """
    path = Path(path)
    return decode_detect(
        _read_bytes(path, max_bytes, kind), path.name, kind=kind, encoding=encoding
    )


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
        InputError: too large, not Unicode (UTF-8, or UTF-16/UTF-32 with a BOM; another
            encoding is named but not guessed), binary, or a file that is missing,
            unreadable or not a regular file.
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
    """The delimiter of CSV ``text``: of , ; tab |, the one that makes a table of its lines.

    Quoted cells are ignored while counting. A delimiter must appear in the first line
    (the header names the columns) and as often on at least half of the lines; so a
    one-column file whose sentences hold a ";" or a "|" on some lines stays one column.
    Among those, the one splitting the most lines that way wins; ties go to the earlier
    candidate; with none, a comma (a one-column file).
    """
    lines = [line for line in _QUOTED.sub("", text[:65536]).splitlines() if line.strip()]
    lines = lines[:max_lines]
    if not lines:
        return ","
    best, best_score = ",", 0.0
    for delimiter in CSV_DELIMITERS:
        columns = lines[0].count(delimiter)
        if columns == 0:
            continue
        same = sum(line.count(delimiter) == columns for line in lines)
        score = same / len(lines)
        # At least half the lines agree with the header (a table may have short rows).
        if score >= 0.5 and score > best_score:
            best, best_score = delimiter, score
    return best
