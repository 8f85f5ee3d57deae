"""The phrasebook: pairs a person saved, in the history's database file (their own table).

Import and export (CSV, Anki) are in :mod:`~terjman_desktop.core.history.exchange`.
"""

from __future__ import annotations

import builtins
import sqlite3
import time
from pathlib import Path

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.history.database import DatabaseUser, like_pattern
from terjman_desktop.core.history.entries import ImportReport, PhraseEntry
from terjman_desktop.core.history.exchange import read_csv, write_anki, write_csv

_PHRASE_COLUMNS = "id, source_text, translation, source_language, target_language, note, created"


class Phrasebook(DatabaseUser):
    """Saved translation pairs, in the same file as the history (their own table)."""

    def add(
        self,
        source_text: str,
        translation: str,
        source_language: str,
        target_language: str,
        note: str = "",
    ) -> int:
        """Save a pair and return its id.

        A pair already saved keeps its id (and gets the new note, if one is given).

        Raises:
            InputError: If the source or the translation is empty.
        """
        return self._db.run(
            lambda conn: self.insert(
                conn, source_text, translation, source_language, target_language, note
            )[0]
        )

    def find(
        self, source_text: str, translation: str, source_language: str, target_language: str
    ) -> int | None:
        """The id of this exact pair if it is saved (for a star's state), else None."""
        row = self._db.run(
            lambda conn: conn.execute(
                "SELECT id FROM phrasebook WHERE source_text = ? AND translation = ? "
                "AND source_language = ? AND target_language = ?",
                (source_text, translation, source_language, target_language),
            ).fetchone()
        )
        return int(row[0]) if row else None

    def list(self, query: str = "") -> builtins.list[PhraseEntry]:
        """Saved pairs containing ``query`` in the source, translation or note, newest first."""
        query = query.strip()

        def work(conn: sqlite3.Connection) -> builtins.list[PhraseEntry]:
            sql = f"SELECT {_PHRASE_COLUMNS} FROM phrasebook"
            args: tuple[str, ...] = ()
            if query:
                sql += (
                    " WHERE terjman_lower(source_text) LIKE ?1 ESCAPE '\\' OR "
                    "terjman_lower(translation) LIKE ?1 ESCAPE '\\' OR "
                    "terjman_lower(note) LIKE ?1 ESCAPE '\\'"
                )
                args = (like_pattern(query),)
            rows = conn.execute(sql + " ORDER BY created DESC, id DESC", args).fetchall()
            return [PhraseEntry.from_row(row) for row in rows]

        return self._db.run(work)

    def remove(self, entry_id: int) -> bool:
        """Remove one pair; False when there was none with that id."""
        return self._db.run(
            lambda conn: conn.execute(
                "DELETE FROM phrasebook WHERE id = ?", (entry_id,)
            ).rowcount > 0
        )

    def count(self) -> int:
        return int(self._db.run(
            lambda conn: conn.execute("SELECT COUNT(*) FROM phrasebook").fetchone()[0]
        ))

    def export_csv(self, path: Path) -> int:
        """Write every pair to a CSV file Excel opens correctly; return how many."""
        return write_csv(self.list(), path)

    def import_csv(
        self, path: Path, source_language: str = "en", target_language: str = "ary"
    ) -> ImportReport:
        """Add the pairs of a CSV file (this app's export, or two columns source,translation).

        ``source_language``/``target_language`` apply to files without language columns.
        """
        rows, report = read_csv(path, source_language, target_language)

        def work(conn: sqlite3.Connection) -> None:
            for line, values in rows:
                try:
                    _, added = self.insert(conn, *values)
                except InputError as error:
                    report.errors.append(f"line {line}: {error.message}")
                    continue
                if added:
                    report.added += 1
                else:
                    report.skipped_duplicates += 1

        self._db.run(work)
        return report

    def export_anki(self, path: Path, deck_name: str = "Terjman phrasebook") -> int:
        """Write an Anki deck (``.apkg``) of every pair; return how many notes."""
        return write_anki(self.list(), path, deck_name)


    @staticmethod
    def insert(
        conn: sqlite3.Connection,
        source_text: str,
        translation: str,
        source_language: str,
        target_language: str,
        note: str = "",
    ) -> tuple[int, bool]:
        """Insert a pair in an open transaction; return (id, whether it is new)."""
        if not source_text.strip() or not translation.strip():
            raise InputError("A phrasebook entry needs both a text and its translation.")
        key = (source_text, translation, source_language, target_language)
        row = conn.execute(
            "SELECT id FROM phrasebook WHERE source_text = ? AND translation = ? "
            "AND source_language = ? AND target_language = ?",
            key,
        ).fetchone()
        if row is not None:
            if note:
                conn.execute("UPDATE phrasebook SET note = ? WHERE id = ?", (note, row[0]))
            return int(row[0]), False
        cursor = conn.execute(
            "INSERT INTO phrasebook (source_text, translation, source_language, "
            "target_language, note, created) VALUES (?, ?, ?, ?, ?, ?)",
            (*key, note, time.time()),
        )
        return int(cursor.lastrowid or 0), True
