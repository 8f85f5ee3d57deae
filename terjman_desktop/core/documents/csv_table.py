"""CSV tables (``.csv``): one column translated, the header row and every other byte kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    encode,
)
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.textfile import MAX_TEXT_BYTES, read_text_file, sniff_delimiter


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
    return InputError(f"Line {line} of '{path.name}' is not valid CSV: {problem}.",
                      hint="Fix it in a spreadsheet or text editor and try again.")


def _read_csv(path: Path) -> tuple[str, bool, str, list[list[_Cell]]]:
    text, bom = read_text_file(path, max_bytes=MAX_TEXT_BYTES, kind="CSV")
    delimiter = sniff_delimiter(text)
    return text, bom, delimiter, _parse_csv(path, text, delimiter)


def csv_header(path: Path) -> list[str]:
    """The cells of the first row of a CSV file."""
    rows = _read_csv(path)[3]
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


def prepare_csv(path: Path, column: str | int | None) -> Prepared:
    """One column's cells are units; the header row and every other byte are kept."""
    text, _, delimiter, rows = _read_csv(path)
    if not rows:
        raise InputError(f"'{path.name}' is empty.", hint="Choose a CSV file with a header row.")
    index = _column_index(path, [cell.value for cell in rows[0]], column)
    cells = [row[index] for row in rows[1:] if index < len(row)]

    def quote(value: str, was_quoted: bool) -> str:
        if was_quoted or any(c in value for c in (delimiter, '"', "\r", "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    def render(translations: list[str]) -> bytes:
        pieces: list[str] = []
        last = 0
        for cell, translation in zip(cells, translations, strict=True):
            if translation == cell.value:
                continue
            pieces += [text[last:cell.start], quote(translation, cell.quoted)]
            last = cell.end
        pieces.append(text[last:])
        return encode("".join(pieces), bom=True)

    return Prepared([cell.value for cell in cells], render)


FORMAT = DocumentFormat(
    ".csv", "CSV tables", lambda path, options: prepare_csv(path, options.column)
)
