"""Phrasebook files: CSV export/import (Excel-friendly) and Anki decks (``.apkg``).

CSV files are written in UTF-8 with a byte-order mark, which is how Excel recognizes UTF-8
(without it Arabic comes out as mojibake), with the columns ``source, translation,
source_language, target_language, note, created, own`` (``own``: ``yes`` for a translation
the person wrote or corrected). Import reads that format, and also any
CSV whose first two columns are a text and its translation (comma, semicolon or tab
separated; an optional header row); bad rows are reported by line, never fatal.

Anki decks are built with ``genanki``: one note per pair and two cards per note, English →
Darija and Darija → English, the Darija side with its Latin-letter reading (Arabizi). The
note type and a deck's id are stable (the deck id comes from its name) and each note's id
from its pair, so importing a newer export into Anki updates the cards instead of
duplicating them.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
from collections.abc import Sequence
from pathlib import Path

from terjman_desktop.core.atomic import atomic_path
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.history.entries import ImportReport, PhraseEntry
from terjman_desktop.core.textfile import read_text_file, sniff_delimiter
from terjman_desktop.core.translate import to_arabizi

CSV_COLUMNS = (
    "source",
    "translation",
    "source_language",
    "target_language",
    "note",
    "created",
    "own",
)
MAX_IMPORT_BYTES = 50 * 1024 * 1024
# Never change these: Anki recognizes a note type by its id. The first (one card per pair,
# text → translation) is what earlier versions wrote; exports now use the two-way type.
ANKI_MODEL_ID = 1_718_236_407
ANKI_TWO_WAY_MODEL_ID = 1_718_236_408
_YES = frozenset({"yes", "1", "true", "own"})
_HEADER_WORDS = frozenset(
    {
        "source",
        "translation",
        "text",
        "front",
        "back",
        "english",
        "darija",
        "en",
        "ary",
        "anglais",
        "darija (arabic)",
        "term",
        "definition",
    }
)
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
Row = tuple[int, tuple[str, str, str, str, str, bool]]


def write_csv(entries: Sequence[PhraseEntry], path: Path) -> int:
    """Write the entries to ``path`` (replaced atomically); return how many."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # the excel dialect: commas, \r\n, minimal quoting
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow(
            (
                e.source_text,
                e.translation,
                e.source_language,
                e.target_language,
                e.note,
                e.created.isoformat(timespec="seconds"),
                "yes" if e.own else "",
            )
        )
    with atomic_path(path) as temp:
        temp.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return len(entries)


def read_csv(
    path: Path, source_language: str, target_language: str
) -> tuple[list[Row], ImportReport]:
    """Parse a phrasebook CSV into rows ``(line, (source, translation, sl, tl, note, own))``.

    Rows that cannot be used are reported in the returned report's ``errors``.
    """
    text, _ = read_text_file(path, max_bytes=MAX_IMPORT_BYTES, kind="CSV")
    report = ImportReport()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[Row] = []
    columns: dict[str, int] | None = None
    first = True
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.errors.append(f"line {reader.line_num}: {error}; the rest was not read")
            break
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if first:
            first = False
            names = [c.strip().lower() for c in cells]
            if "source" in names and "translation" in names:
                columns = {name: names.index(name) for name in CSV_COLUMNS if name in names}
                continue
            if len(names) >= 2 and names[0] in _HEADER_WORDS and names[1] in _HEADER_WORDS:
                continue
        row = _row(cells, columns, source_language, target_language)
        if isinstance(row, str):
            report.errors.append(f"line {start}: {row}")
        else:
            rows.append((start, row))
    return rows, report


def _row(
    cells: list[str], columns: dict[str, int] | None, default_source: str, default_target: str
) -> tuple[str, str, str, str, str, bool] | str:
    """The values of one row, or what is wrong with it."""

    def cell(name: str, index: int) -> str:
        # With a header, columns are found by name; without one only the first two count.
        position = columns.get(name) if columns is not None else (index if index < 2 else None)
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()

    if columns is None and len(cells) < 2:
        return "expected two columns: a text and its translation"
    source, translation = cell("source", 0), cell("translation", 1)
    if not source or not translation:
        return "the text or its translation is empty"
    source_language = cell("source_language", 2) or default_source
    target_language = cell("target_language", 3) or default_target
    for code in (source_language, target_language):
        if not _LANGUAGE.fullmatch(code):
            return f"'{code}' is not a language code (such as en or ary)"
    if source_language == target_language:
        return f"the source and target languages are both '{source_language}'"
    own = cell("own", 6).lower() in _YES
    return source, translation, source_language, target_language, cell("note", 4), own


def _stable_id(text: str) -> int:
    """A 31-bit id derived from ``text``, in the range genanki recommends."""
    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big")
    return (1 << 30) | (digest & ((1 << 30) - 1))


def _field(text: str) -> str:
    return html.escape(text).replace("\r\n", "<br>").replace("\n", "<br>")


def _sides(entry: PhraseEntry) -> tuple[str, str]:
    """(English side, Darija side) of a pair; the target is the "Darija" of other pairs."""
    if entry.source_language == "ary" and entry.target_language != "ary":
        return entry.translation, entry.source_text
    return entry.source_text, entry.translation


_CARD_CSS = (
    ".card { font-family: sans-serif; text-align: center; }"
    " .text { font-size: 28px; } .reading { font-size: 20px; color: #555; }"
    " .note { font-size: 16px; color: #777; margin-top: 1em; }"
    " .own { font-size: 14px; color: #2a7; margin-top: 1em; }"
)
_DARIJA = (
    '<div class="text" dir="rtl">{{Darija}}</div>'
    '{{#Arabizi}}<div class="reading" dir="ltr">{{Arabizi}}</div>{{/Arabizi}}'
)
_ENGLISH = '<div class="text" dir="auto">{{English}}</div>'
_EXTRAS = (
    '{{#Note}}<div class="note" dir="auto">{{Note}}</div>{{/Note}}'
    '{{#Own}}<div class="own">{{Own}}</div>{{/Own}}'
)
OWN_MARK = "✎ My own translation"


def write_anki(entries: Sequence[PhraseEntry], path: Path, deck_name: str) -> int:
    """Write an Anki package of the entries to ``path``; return how many notes.

    Each note makes two cards: English → Darija (the English on the front; the Darija and
    its Latin-letter reading on the back) and Darija → English (the Darija with its reading
    on the front). The note and, for a translation the person wrote or corrected, a mark
    saying so are on both backs. Arabic script is right-to-left.

    Raises:
        InputError: If there is nothing to export or the file cannot be written.
    """
    import genanki  # type: ignore[import-untyped]

    if not entries:
        raise InputError("The phrasebook is empty.", hint="Save some translations first.")
    model = genanki.Model(
        ANKI_TWO_WAY_MODEL_ID,
        "Terjman phrase (both ways)",
        fields=[
            {"name": "English"},
            {"name": "Darija"},
            {"name": "Arabizi"},
            {"name": "Note"},
            {"name": "Own"},
        ],
        templates=[
            {
                "name": "English → Darija",
                "qfmt": _ENGLISH,
                "afmt": '{{FrontSide}}<hr id="answer">' + _DARIJA + _EXTRAS,
            },
            {
                "name": "Darija → English",
                "qfmt": _DARIJA,
                "afmt": '{{FrontSide}}<hr id="answer">' + _ENGLISH + _EXTRAS,
            },
        ],
        css=_CARD_CSS,
    )
    deck = genanki.Deck(_stable_id(f"terjman-deck:{deck_name}"), deck_name)
    for e in entries:
        english, darija = _sides(e)
        reading = to_arabizi(darija) if "ary" in (e.source_language, e.target_language) else ""
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    _field(english),
                    _field(darija),
                    _field(reading),
                    _field(e.note),
                    OWN_MARK if e.own else "",
                ],
                guid=genanki.guid_for(
                    "both ways", e.source_text, e.translation, e.source_language, e.target_language
                ),
            )
        )
    with atomic_path(path) as temp:
        genanki.Package(deck).write_to_file(str(temp))
    return len(entries)
