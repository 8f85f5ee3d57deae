"""Local history of translations, and the phrasebook of saved pairs (one SQLite file).

Both live in ``paths.data_dir()/history.sqlite3`` (see :mod:`history_db` for how the file
is opened, versioned and protected). Nothing is opened until the first call.

Thread safety: each object holds one connection guarded by a lock, so it can be used from
any thread, one call at a time; the GUI keeps them on its worker thread.
"""

from __future__ import annotations

import builtins
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.history.database import Database, like_pattern

_HISTORY_COLUMNS = (
    "id, source_text, translation, source_language, target_language, model_id, created, updated"
)
_PHRASE_COLUMNS = "id, source_text, translation, source_language, target_language, note, created"
# Shorter queries cannot use the trigram index; they scan the table instead.
_MIN_FTS_QUERY = 3


def _time(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=timezone.utc)


@dataclass(frozen=True)
class HistoryEntry:
    """One translation the person made. Times are timezone-aware (UTC)."""

    id: int
    source_text: str
    translation: str
    source_language: str
    target_language: str
    model_id: str
    created: datetime
    updated: datetime

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> HistoryEntry:
        return cls(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                   str(row[5]), _time(row[6]), _time(row[7]))


@dataclass(frozen=True)
class PhraseEntry:
    """A pair the person saved to learn or reuse."""

    id: int
    source_text: str
    translation: str
    source_language: str
    target_language: str
    note: str
    created: datetime

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> PhraseEntry:
        return cls(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                   str(row[5]), _time(row[6]))


_StoreT = TypeVar("_StoreT", bound="_Store")


class _Store:
    """What History and Phrasebook share: one database file, opened lazily, closeable.

    Args:
        path: The database file (default: ``paths.data_dir()/history.sqlite3``).
    """

    def __init__(self, path: Path | None = None) -> None:
        self._db = Database(path)

    @property
    def path(self) -> Path:
        return self._db.path

    def close(self) -> None:
        self._db.close()

    def __enter__(self: _StoreT) -> _StoreT:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class History(_Store):
    """Searchable history of translations, newest first."""

    def add(
        self,
        source_text: str,
        translation: str,
        source_language: str,
        target_language: str,
        model_id: str,
    ) -> int:
        """Record a translation and return its id.

        Empty or whitespace-only texts are skipped (0 is returned). When the newest entry is
        the same translation, only its time is refreshed and its id returned.
        """
        if not source_text.strip() or not translation.strip():
            return 0
        values = (source_text, translation, source_language, target_language, model_id)

        def work(conn: sqlite3.Connection) -> int:
            now = time.time()
            newest = conn.execute(
                f"SELECT {_HISTORY_COLUMNS} FROM history ORDER BY updated DESC, id DESC LIMIT 1"
            ).fetchone()
            if newest is not None and tuple(newest[1:6]) == values:
                conn.execute("UPDATE history SET updated = ? WHERE id = ?", (now, newest[0]))
                return int(newest[0])
            cursor = conn.execute(
                "INSERT INTO history (source_text, translation, source_language, "
                "target_language, model_id, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*values, now, now),
            )
            return int(cursor.lastrowid or 0)

        return self._db.run(work)

    def search(self, query: str = "", limit: int = 100, offset: int = 0) -> list[HistoryEntry]:
        """Entries whose source or translation contains ``query`` (any case), newest first."""
        query = query.strip()
        limit, offset = max(0, limit), max(0, offset)

        def work(conn: sqlite3.Connection) -> list[HistoryEntry]:
            order = "ORDER BY updated DESC, id DESC LIMIT ? OFFSET ?"
            if not query:
                sql = f"SELECT {_HISTORY_COLUMNS} FROM history {order}"
                rows = conn.execute(sql, (limit, offset)).fetchall()
            elif self._db.fts and len(query) >= _MIN_FTS_QUERY:
                phrase = '"' + query.replace('"', '""') + '"'
                sql = (
                    f"SELECT {_HISTORY_COLUMNS} FROM history WHERE id IN "
                    f"(SELECT rowid FROM history_fts WHERE history_fts MATCH ?) {order}"
                )
                rows = conn.execute(sql, (phrase, limit, offset)).fetchall()
            else:
                pattern = like_pattern(query)
                sql = (
                    f"SELECT {_HISTORY_COLUMNS} FROM history WHERE "
                    "terjman_lower(source_text) LIKE ? ESCAPE '\\' OR "
                    f"terjman_lower(translation) LIKE ? ESCAPE '\\' {order}"
                )
                rows = conn.execute(sql, (pattern, pattern, limit, offset)).fetchall()
            return [HistoryEntry.from_row(row) for row in rows]

        return self._db.run(work)

    def delete(self, entry_id: int) -> bool:
        """Delete one entry; False when there was none with that id."""
        return self._db.run(
            lambda conn: conn.execute("DELETE FROM history WHERE id = ?", (entry_id,)).rowcount
            > 0
        )

    def clear(self) -> None:
        """Delete every entry (the phrasebook is kept)."""
        self._db.run(lambda conn: conn.execute("DELETE FROM history"))

    def count(self) -> int:
        return int(self._db.run(
            lambda conn: conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
        ))



class Phrasebook(_Store):
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
        from terjman_desktop.core.history.exchange import write_csv

        return write_csv(self.list(), path)

    def import_csv(
        self, path: Path, source_language: str = "en", target_language: str = "ary"
    ) -> ImportReport:
        """Add the pairs of a CSV file (this app's export, or two columns source,translation).

        ``source_language``/``target_language`` apply to files without language columns.
        """
        from terjman_desktop.core.history.exchange import read_csv

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
        from terjman_desktop.core.history.exchange import write_anki

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


@dataclass
class ImportReport:
    """What a phrasebook import did: rows added, duplicates skipped, problems by line."""

    added: int = 0
    skipped_duplicates: int = 0
    errors: list[str] = field(default_factory=list)
