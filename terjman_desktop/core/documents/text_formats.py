"""Plain-text formats for :mod:`documents`: ``.txt``, ``.srt`` subtitles and ``.csv``.

Each ``prepare_*`` reads a file into :class:`Prepared`: the units to translate and a
``render`` function that rebuilds the file's bytes from their translations, changing
nothing else.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.textfile import MAX_TEXT_BYTES, read_text_file, sniff_delimiter

_UTF8_BOM = "\ufeff"
_TIMING = re.compile(
    r"\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}(?:\s.*)?"
)
# Markup around a subtitle line: <i>, </font>, {\an8}, and a dialogue dash.
_LEADING = re.compile(r"^(?:\s*(?:<[^<>]*>|\{[^{}]*\}|[-–—](?!\d)))*\s*")
_TRAILING = re.compile(r"\s*(?:(?:<[^<>]*>|\{[^{}]*\})\s*)*$")
_INNER_TAG = re.compile(r"<[^<>]*>|\{[^{}]*\}")


@dataclass
class Prepared:
    """A parsed document: units to translate and how to rebuild the file from them."""

    units: list[str]
    render: Callable[[list[str]], bytes] = field(repr=False)


def _encode(text: str, bom: bool) -> bytes:
    return ((_UTF8_BOM if bom else "") + text).encode("utf-8")


def _split_line(chunk: str) -> tuple[str, str]:
    """A line and its line break."""
    body = chunk.rstrip("\r\n")
    return body, chunk[len(body):]


# ----------------------------------------------------------------------------- .txt


def prepare_txt(path: Path) -> Prepared:
    """Each line is a unit; line breaks (LF, CRLF, CR) are kept as they were."""
    text, bom = read_text_file(path, max_bytes=MAX_TEXT_BYTES, kind="text")
    lines = [_split_line(chunk) for chunk in text.splitlines(keepends=True)]

    def render(translations: list[str]) -> bytes:
        return _encode("".join(t + end for t, (_, end) in zip(translations, lines, strict=True)),
                       bom)

    return Prepared([body for body, _ in lines], render)


# ----------------------------------------------------------------------------- .srt


@dataclass
class _Group:
    """Consecutive text lines of a cue spoken together (a dialogue dash starts a new one)."""

    lines: list[int] = field(default_factory=list)  # indices into the file's lines


def _rewrap(text: str, count: int) -> list[str]:
    """Split ``text`` at spaces into at most ``count`` lines of similar length."""
    words = text.split()
    if count <= 1 or len(words) <= 1:
        return [" ".join(words)]
    starts, offset = [], 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    total = offset - 1
    cuts: list[int] = []
    for k in range(1, count):
        candidates = range(cuts[-1] + 1 if cuts else 1, len(words))
        if not candidates:
            break
        ideal = total * k / count
        cuts.append(min(candidates, key=lambda j: abs(starts[j] - ideal)))
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]


def prepare_srt(path: Path) -> Prepared:
    """Cue numbers, timings and blank lines are kept byte for byte; text is translated.

    Raises:
        InputError: Naming the first line that is not where an SRT file needs a cue number
            or a timing.
    """
    text, bom = read_text_file(path, max_bytes=MAX_TEXT_BYTES, kind="subtitle")
    lines = [_split_line(chunk) for chunk in text.splitlines(keepends=True)]
    groups: list[_Group] = []
    state = "number"
    cues = 0
    for i, (line, _) in enumerate(lines):
        stripped = line.strip()
        if state == "number":
            if not stripped:
                continue
            if stripped.isdigit():
                state = "timing"
                continue
            if not _TIMING.fullmatch(stripped):  # a cue without its number is accepted
                raise _srt_error(path, i, line, "a subtitle number")
        elif state == "timing" and not _TIMING.fullmatch(stripped):
            raise _srt_error(path, i, line, "a timing such as 00:00:01,000 --> 00:00:04,000")
        if state != "text":
            state, cues = "text", cues + 1
            groups.append(_Group())
        elif not stripped:
            state = "number"
        elif (stripped.isdigit() and i + 1 < len(lines)
              and _TIMING.fullmatch(lines[i + 1][0].strip())):
            state = "timing"  # the next cue follows without a blank line
        else:
            if _is_dialogue(line) and groups[-1].lines:
                groups.append(_Group())
            groups[-1].lines.append(i)
    if state == "timing":
        raise _srt_error(path, len(lines), "", "a timing after the last cue number")
    if cues == 0 and text.strip():
        raise InputError(f"'{path.name}' has no subtitles.",
                         hint="Check that it is an .srt subtitle file.")
    groups = [g for g in groups if g.lines]
    units = [_group_text([lines[i][0] for i in g.lines]) for g in groups]

    def render(translations: list[str]) -> bytes:
        out = [line + end for line, end in lines]
        for group, translation in zip(groups, translations, strict=True):
            originals = [lines[i][0] for i in group.lines]
            if not any(c.isalpha() for c in _group_text(originals)):
                continue
            parts = _rewrap(translation, len(group.lines))
            for n, i in enumerate(group.lines):
                if n >= len(parts):
                    out[i] = ""  # the translation is shorter: fewer lines
                    continue
                line, end = lines[i]
                lead = _LEADING.match(line)
                head = lead.group() if lead else ""
                tail_match = _TRAILING.search(line, len(head))
                tail = tail_match.group() if tail_match else ""
                last_end = lines[group.lines[-1]][1]
                out[i] = head + parts[n] + tail + (last_end if n == len(parts) - 1 else end)
        return _encode("".join(out), bom)

    return Prepared(units, render)


def _is_dialogue(line: str) -> bool:
    lead = _LEADING.match(line)
    return lead is not None and any(dash in lead.group() for dash in "-–—")


def _group_text(lines: list[str]) -> str:
    """The words of subtitle lines, without markup, as one line of text."""
    words = []
    for line in lines:
        lead = _LEADING.match(line)
        words.append(_INNER_TAG.sub("", line[lead.end() if lead else 0:]).strip())
    return " ".join(w for w in words if w)


def _srt_error(path: Path, index: int, line: str, expected: str) -> InputError:
    found = f"'{line.strip()[:60]}'" if line.strip() else "the end of the file"
    return InputError(
        f"Line {index + 1} of '{path.name}' should be {expected}, but it is {found}.",
        hint="Fix that line in a text or subtitle editor and try again.",
    )


# ----------------------------------------------------------------------------- .csv


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
        return _encode("".join(pieces), bom=True)

    return Prepared([cell.value for cell in cells], render)
