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

_PHRASE_COLUMNS = (
    "id, source_text, translation, source_language, target_language, note, created, own"
)


class Phrasebook(DatabaseUser):
    """Saved translation pairs, in the same file as the history (their own table)."""

    def add(
        self,
        source_text: str,
        translation: str,
        source_language: str,
        target_language: str,
        note: str = "",
        *,
        own: bool = False,
    ) -> int:
        """Save a pair and return its id.

        A pair already saved keeps its id (and gets the new note, if one is given; and is
        marked as the person's own when ``own``).

        Raises:
            InputError: If the source or the translation is empty.
        """
        return self._db.run(
            lambda conn: self.insert(
                conn, source_text, translation, source_language, target_language, note, own
            )[0]
        )

    def revise(
        self,
        source_text: str,
        old_translation: str,
        translation: str,
        source_language: str,
        target_language: str,
        *,
        own: bool = True,
    ) -> int:
        """Save the person's correction of a pair; return its id.

        When the pair with ``old_translation`` is saved, it becomes the corrected pair (its
        note and date kept) instead of a second, near-identical entry; otherwise the
        corrected pair is added. Either way it is marked as the person's own.

        Raises:
            InputError: If the source or the translation is empty.
        """

        def work(conn: sqlite3.Connection) -> int:
            new_id, added = self.insert(
                conn, source_text, translation, source_language, target_language, own=own
            )
            old = conn.execute(
                "SELECT id FROM phrasebook WHERE source_text = ? AND translation = ? "
                "AND source_language = ? AND target_language = ? AND id != ?",
                (source_text, old_translation, source_language, target_language, new_id),
            ).fetchone()
            if old is None:
                return new_id
            if not added:  # the corrected pair was saved already: the old one goes
                conn.execute("DELETE FROM phrasebook WHERE id = ?", (old[0],))
                return new_id
            # The corrected pair takes the old one's place: its note, date and id.
            conn.execute("DELETE FROM phrasebook WHERE id = ?", (new_id,))
            conn.execute(
                "UPDATE phrasebook SET translation = ?, own = ? WHERE id = ?",
                (translation, int(own), old[0]),
            )
            return int(old[0])

        return self._db.run(work)

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
            lambda conn: (
                conn.execute("DELETE FROM phrasebook WHERE id = ?", (entry_id,)).rowcount > 0
            )
        )

    def count(self) -> int:
        return int(
            self._db.run(lambda conn: conn.execute("SELECT COUNT(*) FROM phrasebook").fetchone()[0])
        )

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
        """Write an Anki deck (``.apkg``) of every pair, each a card both ways; the notes."""
        return write_anki(self.list(), path, deck_name)

    @staticmethod
    def insert(
        conn: sqlite3.Connection,
        source_text: str,
        translation: str,
        source_language: str,
        target_language: str,
        note: str = "",
        own: bool = False,
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
            if own:
                conn.execute("UPDATE phrasebook SET own = 1 WHERE id = ?", (row[0],))
            return int(row[0]), False
        cursor = conn.execute(
            "INSERT INTO phrasebook (source_text, translation, source_language, "
            "target_language, note, created, own) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*key, note, time.time(), int(own)),
        )
        return int(cursor.lastrowid or 0), True
