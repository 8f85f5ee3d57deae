"""Translate whole files — ``.txt``, ``.srt``, ``.docx``, ``.csv`` — keeping their layout.

:func:`translate_document` is what the GUI's document dialog and ``terjman translate
--input/--output`` call. Each format is parsed into *units* (lines, subtitle cues, spans of a
Word paragraph, CSV cells) that go to :meth:`Translator.translate_many` in chunks, so a long
document reports progress and can be cancelled between chunks; then the file is rebuilt
with everything that is not a unit kept as it was. The output is written atomically: a
cancel, an error or a crash leaves no partial file, and an existing file is only replaced
with ``overwrite=True`` (otherwise :class:`OutputExistsError`, which the GUI turns into an
"overwrite?" question).

Per format (details in each format's module: ``txt``, ``srt``, ``word``, ``csv_table``):

* ``.txt``: each line is translated; line breaks, blank lines and indentation are kept.
* ``.srt``: cue numbers and timings are kept byte for byte; a cue's text lines are translated
  together (so a sentence split over two lines stays one sentence) and re-wrapped over the
  same number of lines.
* ``.docx``: paragraphs of the body, tables, text boxes, headers and footers; formatting is
  kept per span (see :mod:`~terjman_desktop.core.documents.word`); Darija output is marked
  right-to-left.
* ``.csv``: one column (by header name or 0-based index); the first row is the header and is
  not translated; every other byte of the file is kept.

Text files must be UTF-8 (with or without BOM) or UTF-16 with a BOM; output is UTF-8, with a
BOM when the input had one (always for CSV, so Excel shows Arabic correctly).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.atomic import atomic_write
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.documents import csv_table, srt, txt, word
from terjman_desktop.core.documents.prepared import DocumentFormat, PrepareOptions
from terjman_desktop.core.errors import InputError, OutputExistsError
from terjman_desktop.core.languages import FILE_NAME_TAGS
from terjman_desktop.core.translate import (
    Direction,
    TranslationOptions,
    Translator,
    check_direction,
)

logger = logging.getLogger(__name__)

# The one list of formats: a new format is a module with a FORMAT, added here.
FORMATS: tuple[DocumentFormat, ...] = (txt.FORMAT, srt.FORMAT, word.FORMAT, csv_table.FORMAT)
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(f.suffix for f in FORMATS)
_BY_SUFFIX = {f.suffix: f for f in FORMATS}
# A chunk is what goes to the model between two progress reports / cancel checks.
CHUNK_UNITS = 32
CHUNK_CHARACTERS = 6000

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "DocumentProgress",
    "csv_columns",
    "default_output_path",
    "translate_document",
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


def default_output_path(input_path: Path, target_language: str) -> Path:
    """Where the translation goes by default: beside the input, tagged with the language.

    ``lesson.txt`` → ``lesson.ary.txt``; a language tag already there is replaced
    (``lesson.en.srt`` → ``lesson.ary.srt``).
    """
    stem, suffix = input_path.stem, input_path.suffix
    base, dot, tag = stem.rpartition(".")
    if dot and base and tag.lower() in FILE_NAME_TAGS:
        stem = base
    return input_path.with_name(f"{stem}.{target_language}{suffix}")


def csv_columns(input_path: Path) -> list[str]:
    """The header cells of a CSV file, so a person can pick the column to translate."""
    return csv_table.csv_header(input_path)


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
    """Translate a file and write the translation.

    Args:
        input_path: A ``.txt``, ``.srt``, ``.docx`` or ``.csv`` file.
        output_path: Where to write (same extension); None: :func:`default_output_path`.
        translator: A loaded model.
        direction: The direction to translate in.
        options: How to translate (None: the engine's default, balanced).
        column: For CSV, the column to translate: a header name or a 0-based index (may be
            omitted when the file has a single column).
        overwrite: Replace an existing output file.
        progress: Called after each chunk (and once at the start) with the progress.
        cancel: Checked between chunks; cancelling raises ``CancelledError`` and writes
            nothing.

    Returns:
        The path written.

    Raises:
        InputError: The file is missing, of an unsupported type, malformed, too large, not
            UTF-8, or the output is the input or has another extension.
        OutputExistsError: The output exists and ``overwrite`` is False.
        CancelledError: The cancel token was set.
        UnsupportedDirectionError: The model cannot translate this direction.
    """
    input_path = Path(input_path)
    suffix = input_path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        hint = "Save it as .docx in Word or LibreOffice." if suffix == ".doc" else (
            f"Supported files: {', '.join(SUPPORTED_EXTENSIONS)}.")
        raise InputError(f"'{input_path.name}' is not a file Terjman can translate.", hint=hint)
    if not input_path.is_file():
        problem = "is a folder" if input_path.is_dir() else "does not exist"
        raise InputError(f"The file '{input_path}' {problem}.", hint="Choose a file to translate.")
    output = Path(output_path) if output_path is not None else default_output_path(
        input_path, direction.target)
    if output.suffix.lower() != suffix:
        raise InputError(
            f"The output '{output.name}' must have the input's extension ({suffix}).",
            hint=f"Name the output file …{suffix}.",
        )
    if output.resolve() == input_path.resolve():
        raise InputError("The output file is the input file.", hint="Choose another output.")
    if output.exists() and not overwrite:
        raise OutputExistsError(output)
    check_direction(translator.manifest, direction)  # before reading a large file
    prepared = _BY_SUFFIX[suffix].prepare(input_path, PrepareOptions(direction.target, column))
    translations = _translate_units(
        prepared.units, translator, direction, options, progress, cancel)
    data = prepared.render(translations)
    if cancel is not None:
        cancel.raise_if_cancelled()
    atomic_write(output, data, overwrite=overwrite)
    logger.info("Translated %s → %s (%d units)", input_path, output, len(prepared.units))
    return output


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
            [units[i] for i in chunk], direction, options, cancel=cancel)
        for index, translation in zip(chunk, translated, strict=True):
            results[index] = translation.text
        done += len(chunk)
        if progress is not None:
            elapsed = time.perf_counter() - started
            eta = elapsed / done * (total - done)
            progress(DocumentProgress(done, total, elapsed, eta))
    return results
