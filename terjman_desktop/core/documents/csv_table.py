"""CSV tables (``.csv``): one column translated, beside it or in its place.

The file is parsed with the exact position of every cell, so everything that is not
written is kept byte for byte. By default the translation goes in a new column right after
the source column (its header: "english (ary)"), the source kept beside it — what a
teacher building a word list expects; ``column_mode="replace"`` writes it in place.

The delimiter is sniffed (:func:`~terjman_desktop.core.textfile.sniff_delimiter`); like
Python's ``csv`` module, spaces after a closing quote are accepted (and kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    PrepareOptions,
    check_can_hold,
    encode_output,
    output_encoding,
)
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.textfile import (
    MAX_TEXT_BYTES,
    TextEncoding,
    read_text_detect,
    sniff_delimiter,
)


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int
    value: str
    quoted: bool


def _parse_csv(path: Path, text: str, delimiter: str) -> list[list[_Cell]]:
    """Cells with their exact positions, so everything else can be kept byte for byte."""
    d = re.escape(delimiter)
    quoted = re.compile(r'"([^"]*(?:""[^"]*)*)"')
    plain = re.compile(f'(?:[^{d}"\\r\\n][^{d}\\r\\n]*)?')
    rows: list[list[_Cell]] = []
    row: list[_Cell] = []
    pos, size = 0, len(text)
    while pos < size:
        if text[pos] == '"':
            match = quoted.match(text, pos)
            if match is None:
                raise _csv_error(path, text, pos, "a quoted cell is never closed")
            row.append(_Cell(pos, match.end(), match.group(1).replace('""', '"'), True))
        else:
            match = plain.match(text, pos)
            if match is None:  # cannot happen: the pattern matches the empty string
                raise _csv_error(path, text, pos, "unreadable cell")
            row.append(_Cell(pos, match.end(), match.group(), False))
        pos = match.end()
        if text[pos - 1 : pos] == '"' and row[-1].quoted:
            while pos < size and text[pos] in " \t" and text[pos] != delimiter:
                pos += 1  # Python's csv accepts spaces after a closing quote: part of the cell
            row[-1] = _Cell(row[-1].start, pos, row[-1].value, True)
        if pos < size and text[pos] == delimiter:
            pos += 1
            if pos == size:
                row.append(_Cell(pos, pos, "", False))
            continue
        if pos < size and text[pos] not in "\r\n":
            raise _csv_error(path, text, pos, "there is text after a closing quote")
        if text.startswith("\r\n", pos):
            pos += 2
        elif pos < size:
            pos += 1
        rows.append(row)
        row = []
    if row:
        rows.append(row)
    return rows


def _csv_error(path: Path, text: str, pos: int, problem: str) -> InputError:
    line = text.count("\n", 0, pos) + 1
    return InputError(
        f"Line {line} of '{path.name}' is not valid CSV: {problem}.",
        hint="Fix it in a spreadsheet or text editor and try again.",
    )


def _read_csv(
    path: Path, encoding: str | None = None
) -> tuple[str, TextEncoding, str, list[list[_Cell]]]:
    text, read = read_text_detect(path, max_bytes=MAX_TEXT_BYTES, kind="CSV", encoding=encoding)
    delimiter = sniff_delimiter(text)
    return text, read, delimiter, _parse_csv(path, text, delimiter)


def csv_header(path: Path, encoding: str | None = None) -> list[str]:
    """The cells of the first row of a CSV file."""
    rows = _read_csv(path, encoding)[3]
    return [cell.value for cell in rows[0]] if rows else []


def _column_index(path: Path, header: list[str], column: str | int | None) -> int:
    listing = ", ".join(f"{i}: '{name}'" for i, name in enumerate(header))
    if column is None and len(header) == 1:
        return 0
    if isinstance(column, int) and not isinstance(column, bool) and 0 <= column < len(header):
        return column
    if isinstance(column, str):
        names = [name.strip() for name in header]
        wanted = column.strip()
        if wanted in names:
            return names.index(wanted)
        folded = [name.casefold() for name in names]
        if wanted.casefold() in folded:
            return folded.index(wanted.casefold())
    if column is None:
        message = f"Choose the column of '{path.name}' to translate."
    else:
        message = f"'{path.name}' has no column {column!r}."
    raise InputError(message, hint=f"Its columns are {listing}.")


def prepare_csv(path: Path, options: PrepareOptions) -> Prepared:
    """One column's cells are units; the header row and every other byte are kept.

    The translation goes in a new column beside the source column, or replaces it
    (``options.column_mode``).
    """
    text, read, delimiter, rows = _read_csv(path, options.input_encoding)
    if not rows:
        raise InputError(f"'{path.name}' is empty.", hint="Choose a CSV file with a header row.")
    write = output_encoding(read, options, always_bom=True)  # so Excel reads UTF-8
    check_can_hold(write, options.target_language, path.name)
    header = rows[0]
    index = _column_index(path, [cell.value for cell in header], options.column)
    body = [row for row in rows[1:] if index < len(row)]
    cells = [row[index] for row in body]
    new_column = options.column_mode != "replace"

    def quote(value: str, was_quoted: bool) -> str:
        if was_quoted or any(c in value for c in (delimiter, '"', "\r", "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    def render(translations: list[str]) -> bytes:
        pieces: list[str] = []
        last = 0
        if new_column:  # a header for the new column, then a cell in each row
            name = f"{header[index].value.strip()} ({options.target_language})"
            edits = [(header[index], delimiter + quote(name, header[index].quoted))]
            edits += [
                (cell, delimiter + quote(translation, cell.quoted))
                for cell, translation in zip(cells, translations, strict=True)
            ]
            for cell, insert in edits:
                pieces += [text[last : cell.end], insert]
                last = cell.end
        else:
            for cell, translation in zip(cells, translations, strict=True):
                if translation == cell.value:
                    continue
                pieces += [text[last : cell.start], quote(translation, cell.quoted)]
                last = cell.end
        pieces.append(text[last:])
        return encode_output("".join(pieces), write, path.name)

    return Prepared([cell.value for cell in cells], render, encoding=read)


FORMAT = DocumentFormat(".csv", "CSV tables", prepare_csv, text=True)
