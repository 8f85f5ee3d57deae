"""What every document format hands the registry: units to translate and how to rebuild.

A format module reads a file into :class:`Prepared` — the units (lines, cues, spans, cells)
and a ``render`` function that rebuilds the file's bytes from their translations, changing
nothing else — and declares itself with a :class:`DocumentFormat` that
:mod:`~terjman_desktop.core.documents.registry` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.languages import is_right_to_left
from terjman_desktop.core.textfile import UTF8, UTF8_BOM, TextEncoding

# How a learner's copy shows the source beside its translation.
Bilingual = Literal["off", "interleaved", "side_by_side"]
BILINGUAL_LAYOUTS: tuple[Bilingual, ...] = ("off", "interleaved", "side_by_side")
# The encoding of a translated text file: UTF-8, or the one the input was read in.
OutputEncoding = Literal["utf-8", "same"]
# CSV and spreadsheet columns: the translation in a new column beside, or in place.
ColumnMode = Literal["new_column", "replace"]


@dataclass
class Prepared:
    """A parsed document: units to translate and how to rebuild the file from them.

    Attributes:
        units: The texts to translate, in order.
        render: Rebuilds the file's bytes from one translation per unit.
        encoding: How a text file was read (None for binary formats), so the result can
            say it, above all when it was detected.
        notes: What the person should know about this result ("the layout is not kept").
        untranslated: Parts of the document left as they were because the format cannot
            translate them ("2 comments"); shown in the CLI summary and the dialog.
    """

    units: list[str]
    render: Callable[[list[str]], bytes] = field(repr=False)
    encoding: TextEncoding | None = None
    notes: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PrepareOptions:
    """What a format may need besides the file.

    Attributes:
        target_language: The language translated into (right-to-left marks, headers).
        column: CSV: the column to translate (header name or 0-based index).
        columns: Spreadsheets: the columns to translate (header names or letters); empty
            means every text cell.
        column_mode: Where a table's translation goes (a new column beside, or in place).
        bilingual: Source and translation together, for learners (formats list the
            layouts they can write in :attr:`DocumentFormat.bilingual`).
        output_encoding: Text files: UTF-8, or the encoding the input was read in.
        input_encoding: Text files: the encoding to read (None: detect).
        output_suffix: The output's extension, for formats that can write several.
    """

    target_language: str
    column: str | int | None = None
    columns: tuple[str, ...] = ()
    column_mode: ColumnMode = "new_column"
    bilingual: Bilingual = "off"
    output_encoding: OutputEncoding = "utf-8"
    input_encoding: str | None = None
    output_suffix: str | None = None


@dataclass(frozen=True)
class DocumentFormat:
    """One kind of file the app translates, as the registry lists it.

    Attributes:
        suffix: Lower case, with the dot: ".srt".
        description: For file dialogs: "Subtitles".
        prepare: Reads a file into :class:`Prepared`.
        bilingual: The bilingual layouts (besides "off") the format can write.
        output_suffixes: What it can write; the first is the default (a PDF becomes a
            ``.docx``). Empty: the input's own suffix.
        text: It is a text file read in a detected encoding, so an output encoding can be
            chosen.
    """

    suffix: str
    description: str
    prepare: Callable[[Path, PrepareOptions], Prepared] = field(repr=False)
    bilingual: tuple[Bilingual, ...] = ()
    output_suffixes: tuple[str, ...] = ()
    text: bool = False

    @property
    def outputs(self) -> tuple[str, ...]:
        """The extensions the translation may have, the default first."""
        return self.output_suffixes or (self.suffix,)


def encode(text: str, bom: bool) -> bytes:
    """UTF-8, with a byte-order mark when the input had one."""
    return (UTF8_BOM if bom else UTF8).encode(text)


def output_encoding(
    read: TextEncoding, options: PrepareOptions, *, always_bom: bool = False
) -> TextEncoding:
    """The encoding to write a text file in, as the person chose.

    ``utf-8``: UTF-8, with a byte-order mark when the input had one (or ``always_bom``,
    for CSV files that Excel should read as UTF-8). ``same``: the input's encoding.
    """
    if options.output_encoding == "same":
        return read
    return UTF8_BOM if (read.bom or always_bom) else UTF8


def check_can_hold(encoding: TextEncoding, target_language: str, name: str) -> None:
    """Refuse before translating when the output encoding cannot hold the target's script.

    Raises:
        InputError: e.g. Darija (Arabic script) into a Windows-1252 file.
    """
    sample = "بغيت" if is_right_to_left(target_language) else "I want"
    if not encoding.can_hold(sample):
        raise InputError(
            f"'{name}' was read as {encoding.name}, which cannot hold the translation's letters.",
            hint="Write the translation in UTF-8 instead (the output encoding option).",
        )


def encode_output(text: str, encoding: TextEncoding, name: str) -> bytes:
    """``text`` in ``encoding``; a character it cannot hold is a clear error.

    Raises:
        InputError: naming the character and suggesting UTF-8.
    """
    try:
        return encoding.encode(text)
    except UnicodeEncodeError as error:
        char = error.object[error.start]
        raise InputError(
            f"The translation of '{name}' holds '{char}' (U+{ord(char):04X}), which "
            f"{encoding.name} cannot hold.",
            hint="Write the translation in UTF-8 instead (the output encoding option).",
        ) from None


def split_line(chunk: str) -> tuple[str, str]:
    """A line and its line break."""
    body = chunk.rstrip("\r\n")
    return body, chunk[len(body) :]
