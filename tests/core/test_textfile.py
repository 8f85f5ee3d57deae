"""Plain-text input: one decision for files, bytes and standard input, and a size cap."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from terjman_desktop.core import textfile
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.textfile import (
    TextEncoding,
    check_text,
    decode_detect,
    read_text_detect,
    read_text_file,
    read_text_input,
    save_as_utf8_hint,
    sniff_delimiter,
)

TEXT = "I want the tea.\nبغيت أتاي.\n"
ENCODINGS = {
    "UTF-8": TEXT.encode("utf-8"),
    "UTF-8 with a BOM": b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    "UTF-16 LE with a BOM": TEXT.encode("utf-16"),
    "UTF-16 BE with a BOM": b"\xfe\xff" + TEXT.encode("utf-16-be"),
}
REFUSED = {
    "Windows-1256": ("بغيت أتاي".encode("cp1256"), "not a UTF-8 text file|not UTF-8 text"),
    "NUL bytes": (b"\x00" * 5_000, "binary"),
    "a JPEG": (b"\xff\xd8\xff\xe0" + bytes(range(256)), "binary"),
    "bytes of no encoding": (bytes(range(128, 256)) * 4, "not a UTF-8 text file|not UTF-8 text"),
    "UTF-16 without a BOM": (TEXT.encode("utf-16-le"), "binary"),
}


def sources(tmp_path: Path, raw: bytes) -> dict[str, object]:
    """The same bytes as a file path (Path and str), as bytes, and as a binary stream."""
    path = tmp_path / "input.txt"
    path.write_bytes(raw)
    return {"path": path, "str path": str(path), "bytes": raw, "stream": io.BytesIO(raw)}


@pytest.mark.parametrize("raw", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_every_source_reads_the_same_text(tmp_path: Path, raw: bytes) -> None:
    # `--input FILE` accepted UTF-16 with a BOM with --output and refused it without.
    for source in sources(tmp_path, raw).values():
        assert read_text_input(source) == TEXT  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_every_source_refuses_the_same_bytes(tmp_path: Path, raw: bytes, message: str) -> None:
    # 5 MB of NUL bytes were echoed on standard output, and refused with --output.
    for name, source in sources(tmp_path, raw).items():
        with pytest.raises(InputError, match=message) as caught:
            read_text_input(source)  # type: ignore[arg-type]
        assert caught.value.hint, name


def test_standard_input_is_named_in_messages() -> None:
    with pytest.raises(InputError, match=r"^The standard input is not UTF-8 text"):
        read_text_input(io.BytesIO(b"caf\xe9"))
    with pytest.raises(InputError, match=r"^The standard input looks like binary data"):
        read_text_input(b"a\x00b")


class CountingStream(io.RawIOBase):
    """An endless stream of text that counts what was read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        buffer[:] = b"a" * len(buffer)
        self.read_bytes += len(buffer)
        return len(buffer)


def test_input_has_a_size_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1_001)
    with pytest.raises(InputError, match=r"'big\.txt' is too large"):
        read_text_input(big, max_bytes=1_000)
    with pytest.raises(InputError, match="too large"):
        read_text_input(b"a" * 1_001, max_bytes=1_000)
    endless = CountingStream()
    with pytest.raises(InputError, match="The standard input is too large"):
        read_text_input(io.BufferedReader(endless), max_bytes=1_000)
    assert endless.read_bytes < 1_000_000  # read up to the cap, not to the end
    assert read_text_input(b"a" * 1_000, max_bytes=1_000) == "a" * 1_000


def test_the_default_cap_is_the_documents_cap() -> None:
    from terjman_desktop.core.documents import csv_table, srt, txt

    assert textfile.MAX_TEXT_BYTES == 20 * 1024 * 1024
    for module in (csv_table, srt, txt):
        assert module.MAX_TEXT_BYTES == textfile.MAX_TEXT_BYTES


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_only_regular_files_are_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(InputError, match="is a named pipe, not a text file"):
        read_text_input(tmp_path / "pipe.txt")  # opening it would wait for a writer
    with pytest.raises(InputError, match="is a folder, not a text file"):
        read_text_input(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        read_text_input(tmp_path / "missing.txt")
    if os.path.exists("/dev/zero"):
        with pytest.raises(InputError, match="is a device, not a CSV file"):
            read_text_file(Path("/dev/zero"), kind="CSV")  # it never ends


def test_check_text_refuses_what_no_utf8_file_holds() -> None:
    assert check_text("بغيت أتاي") == "بغيت أتاي"
    with pytest.raises(InputError, match=r"^The text is not UTF-8 text"):
        check_text("caf\udce9")  # an argument with an invalid UTF-8 byte
    with pytest.raises(InputError, match="not UTF-8 text"):
        check_text("a\x00b", "The argument")


# --------------------------------------------------------------- detected encodings

ENGLISH = "He said “hello” – twice, at the café.\r\n"
DARIJA = "بغيت نشرب أتاي مع صحابي.\n"
DETECTED = {
    # What Windows Notepad and older Excel write for English, and Windows Arabic.
    "Windows-1252": (ENGLISH.encode("cp1252"), ENGLISH, "cp1252"),
    "Windows-1256": (DARIJA.encode("cp1256"), DARIJA, "cp1256"),
}
UNICODE = {
    "UTF-8": (TEXT.encode("utf-8"), TextEncoding("utf-8")),
    "UTF-8 BOM": (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), TextEncoding("utf-8", bom=True)),
    "UTF-16 LE BOM": (b"\xff\xfe" + TEXT.encode("utf-16-le"), TextEncoding("utf-16-le", True)),
    "UTF-16 BE BOM": (b"\xfe\xff" + TEXT.encode("utf-16-be"), TextEncoding("utf-16-be", True)),
    "UTF-32 LE BOM": (
        b"\xff\xfe\x00\x00" + TEXT.encode("utf-32-le"),
        TextEncoding("utf-32-le", True),
    ),
    "UTF-32 BE BOM": (
        b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be"),
        TextEncoding("utf-32-be", True),
    ),
}


@pytest.mark.parametrize(("raw", "expected"), UNICODE.values(), ids=UNICODE.keys())
def test_unicode_by_its_byte_order_mark_round_trips(raw: bytes, expected: TextEncoding) -> None:
    text, found = decode_detect(raw, "a.txt")
    assert text == TEXT and found == expected and not found.detected
    assert found.encode(text) == raw  # written back byte for byte
    assert read_text_input(raw) == TEXT  # the strict reader takes every Unicode form


@pytest.mark.parametrize(("raw", "text", "codec"), DETECTED.values(), ids=DETECTED.keys())
def test_legacy_encodings_are_detected_and_said(
    tmp_path: Path, raw: bytes, text: str, codec: str
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(raw)
    decoded, found = read_text_detect(path)
    assert decoded == text and found.codec == codec and found.detected
    assert "detected" in found.describe() and found.name.startswith("Windows-")
    assert found.encode(decoded) == raw
    # The strict reader refuses them, naming what they look like (nothing silent).
    with pytest.raises(InputError, match=f"it looks like {found.name}"):
        read_text_file(path)


def test_a_chosen_encoding_wins_and_bad_names_are_clear() -> None:
    raw = "café".encode("latin-1")
    assert decode_detect(raw, "a.txt", encoding="latin-1")[0] == "café"
    with pytest.raises(InputError, match="not an encoding Terjman knows"):
        decode_detect(raw, "a.txt", encoding="klingon-8")
    with pytest.raises(InputError, match="is not utf-8"):
        decode_detect(raw, "a.txt", encoding="utf-8")


def test_a_broken_byte_order_mark_is_named() -> None:
    with pytest.raises(InputError, match="UTF-16 LE byte-order mark but is not UTF-16 LE"):
        decode_detect(b"\xff\xfe" + b"\x00\xd8", "a.srt", kind="subtitle")


def test_hints_fit_the_kind_of_file() -> None:
    # A subtitle was told to use Excel's "CSV UTF-8".
    assert "Excel" in save_as_utf8_hint("CSV")
    for kind in ("subtitle", "text", "HTML"):
        assert "Excel" not in save_as_utf8_hint(kind) and "UTF-8" in save_as_utf8_hint(kind)
    with pytest.raises(InputError) as caught:
        decode_detect(bytes(range(128, 256)) * 4, "film.srt", kind="subtitle")
    assert "Excel" not in str(caught.value) and "subtitle" in str(caught.value)


def test_output_that_the_encoding_cannot_hold() -> None:
    assert not TextEncoding("cp1252").can_hold("بغيت")
    assert TextEncoding("cp1256").can_hold("بغيت")
    with pytest.raises(UnicodeEncodeError):
        TextEncoding("cp1252").encode("بغيت")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        # One column whose sentences hold ; or | on some lines: still one column.
        ("sentence\nI like tea; my sister likes coffee.\nGood morning.\nYes | no\n", ","),
        ("text\nA; B\nC\nD\nE\n", ","),
        ("text;level\nI want the tea.;A1\nI like the bread.;A2\n", ";"),
        ("a|b|c\n1|2|3\n4|5|6\n", "|"),
        ("a\tb\n1\t2\n", "\t"),
        ('id,text\n1,"x; y"\n2,"z | w"\n', ","),
        ("", ","),
    ],
)
def test_sniffing_needs_a_table(text: str, delimiter: str) -> None:
    assert sniff_delimiter(text) == delimiter
