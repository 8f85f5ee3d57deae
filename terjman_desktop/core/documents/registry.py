"""Translate whole files, keeping their layout: the one registry of document formats.

:func:`translate_file` is what the GUI's document dialog and ``terjman translate
--input/--output`` call. Each format is parsed into *units* (lines, subtitle cues, spans of a
Word paragraph, CSV cells, spreadsheet cells, HTML blocks, PDF paragraphs) that go to
:meth:`Translator.translate_many` in chunks, so a long document reports progress and can be
cancelled between chunks; then the file is rebuilt with everything that is not a unit kept
as it was. The output is written atomically: a cancel, an error or a crash leaves no
partial file, and an existing file is only replaced with ``overwrite=True`` (otherwise
:class:`OutputExistsError`, which the GUI turns into an "overwrite?" question).

The formats are listed once, in :data:`FORMATS`: a new format is one module with a
``FORMAT`` (see :mod:`~terjman_desktop.core.documents.prepared`) and one line here. What
each does is in its module (``txt``, ``srt``, ``word``, ``csv_table``, ``xlsx``, ``html``,
``pdf``…).

Text files (.txt, .srt, .csv, .html) are read in the encoding they were saved in: UTF-8,
UTF-16/UTF-32 with a byte-order mark, or detected (Windows-1252, Windows-1256…); the
result says which (:attr:`DocumentResult.encoding`), and the output is UTF-8 or, when asked,
the input's encoding.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from terjman_desktop.core.atomic import atomic_write
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.documents import (
    csv_table,
    odt,
    pdf,
    pptx_deck,
    srt,
    txt,
    webpage,
    word,
    xlsx,
)
from terjman_desktop.core.documents.prepared import (
    Bilingual,
    ColumnMode,
    DocumentFormat,
    OutputEncoding,
    PrepareOptions,
)
from terjman_desktop.core.errors import InputError, OutputExistsError
from terjman_desktop.core.languages import FILE_NAME_TAGS
from terjman_desktop.core.textfile import TextEncoding
from terjman_desktop.core.translate import (
    Direction,
    TranslationOptions,
    Translator,
    check_direction,
)

logger = logging.getLogger(__name__)

# The one list of formats: a new format is a module with a FORMAT, added here.
FORMATS: tuple[DocumentFormat, ...] = (
    txt.FORMAT,
    srt.FORMAT,
    word.FORMAT,
    csv_table.FORMAT,
    xlsx.FORMAT,
    webpage.FORMAT,
    webpage.FORMAT_HTM,
    pdf.FORMAT,
    pptx_deck.FORMAT,
    odt.FORMAT,
)
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(f.suffix for f in FORMATS)
# A chunk is what goes to the model between two progress reports / cancel checks.
CHUNK_UNITS = 32
CHUNK_CHARACTERS = 6000
# Formats people have that Terjman does not read, and what to do instead.
_CONVERT_HINTS = {
    ".doc": "Save it as .docx in Word or LibreOffice.",
    ".xls": "Save it as .xlsx in Excel or LibreOffice.",
    ".ppt": "Save it as .pptx in PowerPoint or LibreOffice.",
    ".rtf": "Save it as .docx in Word or LibreOffice.",
}

__all__ = [
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "DocumentProgress",
    "DocumentResult",
    "csv_columns",
    "default_output_path",
    "document_format",
    "table_columns",
    "translate_document",
    "translate_file",
]


@dataclass(frozen=True)
class DocumentProgress:
    """How far a document translation is. ``eta_seconds`` is None until a chunk is done."""

    done_units: int
    total_units: int
    elapsed_seconds: float
    eta_seconds: float | None

    @property
    def fraction(self) -> float:
        return self.done_units / self.total_units if self.total_units else 1.0


@dataclass(frozen=True)
class DocumentResult:
    """What :func:`translate_file` did, for the CLI's summary and the dialog.

    Attributes:
        path: The file written.
        units: The parts of the document sent to the model (parts without letters are
            kept as they are and not counted).
        encoding: How a text file was read (None for other formats); ``detected`` says
            it was a guess the person should check.
        output_encoding: How it was written (None for other formats).
        notes: What else to know ("the layout of the PDF is not kept").
        untranslated: Parts left untranslated, as the format names them.
    """

    path: Path
    units: int
    encoding: TextEncoding | None = None
    output_encoding: TextEncoding | None = None
    notes: tuple[str, ...] = ()
    untranslated: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> list[str]:
        """Lines a person should read about this result (the encodings, notes, gaps)."""
        lines: list[str] = []
        read, written = self.encoding, self.output_encoding
        if read is not None:
            if written is None or (written == read and not read.detected):
                lines.append(f"Encoding: {read.describe()} (kept).")
            else:
                written_as = TextEncoding(written.codec, written.bom).describe()
                lines.append(f"Read as {read.describe()}; written as {written_as}.")
        lines += list(self.notes)
        if self.untranslated:
            lines.append("Not translated: " + "; ".join(self.untranslated) + ".")
        return lines


def document_format(path: Path) -> DocumentFormat | None:
    """The format that reads ``path`` (by its extension), or None."""
    suffix = Path(path).suffix.lower()
    return next((f for f in FORMATS if f.suffix == suffix), None)


def default_output_path(input_path: Path, target_language: str) -> Path:
    """Where the translation goes by default: beside the input, tagged with the language.

    ``lesson.txt`` → ``lesson.ary.txt``; a language tag already there is replaced
    (``lesson.en.srt`` → ``lesson.ary.srt``); a format that writes another kind of file
    gets that extension (``lesson.pdf`` → ``lesson.ary.docx``).
    """
    stem, suffix = input_path.stem, input_path.suffix
    base, dot, tag = stem.rpartition(".")
    if dot and base and tag.lower() in FILE_NAME_TAGS:
        stem = base
    found = document_format(input_path)
    if found is not None and suffix.lower() not in found.outputs:
        suffix = found.outputs[0]
    return input_path.with_name(f"{stem}.{target_language}{suffix}")


def csv_columns(input_path: Path) -> list[str]:
    """The header cells of a CSV file, so a person can pick the column to translate."""
    return csv_table.csv_header(input_path)


def table_columns(input_path: Path) -> list[str]:
    """The columns a person can choose in a table (.csv: its header; .xlsx: every sheet's).

    Raises:
        InputError: not a table, or unreadable.
    """
    suffix = Path(input_path).suffix.lower()
    if suffix == ".csv":
        return csv_table.csv_header(input_path)
    if suffix == ".xlsx":
        return xlsx.xlsx_columns(input_path)
    raise InputError(f"'{Path(input_path).name}' is not a table.")


def translate_document(
    input_path: Path,
    output_path: Path | None,
    translator: Translator,
    direction: Direction,
    options: TranslationOptions | None = None,
    *,
    column: str | int | None = None,
    overwrite: bool = False,
    progress: Callable[[DocumentProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Translate a file and write the translation; return the path written.

    The short form of :func:`translate_file` (its defaults for everything else).
    """
    return translate_file(
        input_path,
        output_path,
        translator,
        direction,
        options,
        column=column,
        overwrite=overwrite,
        progress=progress,
        cancel=cancel,
    ).path


def translate_file(
    input_path: Path,
    output_path: Path | None,
    translator: Translator,
    direction: Direction,
    options: TranslationOptions | None = None,
    *,
    column: str | int | None = None,
    columns: Sequence[str] = (),
    column_mode: ColumnMode = "new_column",
    bilingual: Bilingual = "off",
    output_encoding: OutputEncoding = "utf-8",
    input_encoding: str | None = None,
    overwrite: bool = False,
    progress: Callable[[DocumentProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> DocumentResult:
    """Translate a file and write the translation.

    Args:
        input_path: A file of one of :data:`FORMATS`.
        output_path: Where to write (the input's extension, or one the format can write:
            a PDF becomes .docx or .txt); None: :func:`default_output_path`.
        translator: A loaded model.
        direction: The direction to translate in.
        options: How to translate (None: the engine's default, balanced).
        column: For CSV, the column to translate: a header name or a 0-based index (may be
            omitted when the file has a single column).
        columns: For spreadsheets, the columns to translate (header names or letters);
            empty: every text cell.
        column_mode: Tables: the translation in a new column beside the source
            ("new_column", the default) or in its place ("replace").
        bilingual: "interleaved" or "side_by_side" to keep the source beside its
            translation, for learners (each format says which it can write).
        output_encoding: Text files: "utf-8" or "same" (the input's encoding).
        input_encoding: Text files: the encoding to read them in (None: detect).
        overwrite: Replace an existing output file.
        progress: Called after each chunk (and once at the start) with the progress.
        cancel: Checked between chunks; cancelling raises ``CancelledError`` and writes
            nothing.

    Returns:
        What was written, how the file was read, and what was not translated.

    Raises:
        InputError: The file is missing, of an unsupported type, malformed, too large, in
            no recognisable encoding, the output is the input or has an extension the
            format cannot write, or the bilingual layout is not one the format writes.
        OutputExistsError: The output exists and ``overwrite`` is False.
        CancelledError: The cancel token was set.
        UnsupportedDirectionError: The model cannot translate this direction.
    """
    input_path = Path(input_path)
    suffix = input_path.suffix.lower()
    found = document_format(input_path)
    if found is None:
        hint = _CONVERT_HINTS.get(suffix, f"Supported files: {', '.join(SUPPORTED_EXTENSIONS)}.")
        raise InputError(f"'{input_path.name}' is not a file Terjman can translate.", hint=hint)
    if not input_path.is_file():
        problem = "is a folder" if input_path.is_dir() else "does not exist"
        raise InputError(f"The file '{input_path}' {problem}.", hint="Choose a file to translate.")
    output = (
        Path(output_path)
        if output_path is not None
        else default_output_path(input_path, direction.target)
    )
    if output.suffix.lower() not in found.outputs:
        allowed = " or ".join(found.outputs)
        what = "the input's extension" if found.outputs == (suffix,) else "the extension"
        raise InputError(
            f"The output '{output.name}' must have {what} ({allowed}).",
            hint=f"Name the output file …{found.outputs[0]}.",
        )
    if bilingual != "off" and bilingual not in found.bilingual:
        can = " or ".join(found.bilingual) if found.bilingual else "no bilingual layout"
        raise InputError(
            f"A {found.description.lower()} translation cannot be written {bilingual}.",
            hint=f"For {suffix} files choose {can}.",
        )
    if output.resolve() == input_path.resolve():
        raise InputError("The output file is the input file.", hint="Choose another output.")
    if output.exists() and not overwrite:
        raise OutputExistsError(output)
    check_direction(translator.manifest, direction)  # before reading a large file
    prepared = found.prepare(
        input_path,
        PrepareOptions(
            direction.target,
            column=column,
            columns=tuple(columns),
            column_mode=column_mode,
            bilingual=bilingual,
            output_encoding=output_encoding,
            input_encoding=input_encoding,
            output_suffix=output.suffix.lower(),
        ),
    )
    translations = _translate_units(
        prepared.units, translator, direction, options, progress, cancel
    )
    data = prepared.render(translations)
    if cancel is not None:
        cancel.raise_if_cancelled()
    atomic_write(output, data, overwrite=overwrite)
    logger.info("Translated %s → %s (%d units)", input_path, output, len(prepared.units))
    written_in = None
    if prepared.encoding is not None:
        written_in = (
            prepared.encoding
            if output_encoding == "same"
            else TextEncoding("utf-8", bom=data.startswith(b"\xef\xbb\xbf"))
        )
    return DocumentResult(
        output,
        sum(_has_letter(unit) for unit in prepared.units),
        prepared.encoding,
        written_in,
        tuple(prepared.notes),
        tuple(prepared.untranslated),
    )


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _chunks(indices: Sequence[int], units: Sequence[str]) -> list[list[int]]:
    chunks: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index in indices:
        if current and (len(current) >= CHUNK_UNITS or size + len(units[index]) > CHUNK_CHARACTERS):
            chunks.append(current)
            current, size = [], 0
        current.append(index)
        size += len(units[index])
    if current:
        chunks.append(current)
    return chunks


def _translate_units(
    units: Sequence[str],
    translator: Translator,
    direction: Direction,
    options: TranslationOptions | None,
    progress: Callable[[DocumentProgress], None] | None,
    cancel: CancelToken | None,
) -> list[str]:
    """Translate the units that hold words, in chunks; the others are kept as they are."""
    results = list(units)
    todo = [i for i, unit in enumerate(units) if _has_letter(unit)]
    total, done = len(todo), 0
    started = time.perf_counter()
    if progress is not None:
        progress(DocumentProgress(0, total, 0.0, None))
    for chunk in _chunks(todo, units):
        if cancel is not None:
            cancel.raise_if_cancelled()
        translated = translator.translate_many(
            [units[i] for i in chunk], direction, options, cancel=cancel
        )
        for index, translation in zip(chunk, translated, strict=True):
            results[index] = translation.text
        done += len(chunk)
        if progress is not None:
            elapsed = time.perf_counter() - started
            eta = elapsed / done * (total - done)
            progress(DocumentProgress(done, total, elapsed, eta))
    return results
