"""The local history of translations: searchable, newest first, in ``history.sqlite3``.

See :mod:`~terjman_desktop.core.history.database` for how the file is opened, versioned and
protected; nothing is opened until the first call. Each object holds one connection guarded by
a lock, so it can be used from any thread, one call at a time; the GUI keeps it on its worker
thread.
"""

from __future__ import annotations

import sqlite3
import time

from terjman_desktop.core.history.database import DatabaseUser, like_pattern
from terjman_desktop.core.history.entries import HistoryEntry

_HISTORY_COLUMNS = (
    "id, source_text, translation, source_language, target_language, model_id, created, "
    "updated, own"
)
# Shorter queries cannot use the trigram index; they scan the table instead.
_MIN_FTS_QUERY = 3


class History(DatabaseUser):
    """Searchable history of translations, newest first."""

    def add(
        self,
        source_text: str,
        translation: str,
        source_language: str,
        target_language: str,
        model_id: str,
        *,
        own: bool = False,
        revises: str | None = None,
    ) -> int:
        """Record a translation and return its id.

        Empty or whitespace-only texts are skipped (0 is returned). When the newest entry is
        the same translation, only its time is refreshed and its id returned.

        Args:
            source_text: The text translated.
            translation: Its translation.
            source_language: The text's language code.
            target_language: The translation's language code.
            model_id: The model that translated it.
            own: The person wrote or corrected this translation (it is not the model's).
            revises: The translation this one replaces (an alternative picked for one of its
                sentences, or the person's correction): the newest entry of the same text,
                languages and that translation is updated in place, so the history does not
                fill with near-duplicates. Without such an entry, a new one is added.
        """
        if not source_text.strip() or not translation.strip():
            return 0
        values = (source_text, translation, source_language, target_language, model_id)

        def work(conn: sqlite3.Connection) -> int:
            now = time.time()
            if revises is not None:
                row = conn.execute(
                    "SELECT id FROM history WHERE source_text = ? AND translation = ? "
                    "AND source_language = ? AND target_language = ? "
                    "ORDER BY updated DESC, id DESC LIMIT 1",
                    (source_text, revises, source_language, target_language),
                ).fetchone()
                if row is not None:
                    conn.execute(
                        "UPDATE history SET translation = ?, model_id = ?, own = ?, updated = ? "
                        "WHERE id = ?",
                        (translation, model_id, int(own), now, row[0]),
                    )
                    return int(row[0])
            newest = conn.execute(
                f"SELECT {_HISTORY_COLUMNS} FROM history ORDER BY updated DESC, id DESC LIMIT 1"
            ).fetchone()
            if newest is not None and tuple(newest[1:6]) == values:
                conn.execute(
                    "UPDATE history SET updated = ?, own = ? WHERE id = ?",
                    (now, int(own or newest[8]), newest[0]),
                )
                return int(newest[0])
            cursor = conn.execute(
                "INSERT INTO history (source_text, translation, source_language, "
                "target_language, model_id, created, updated, own) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, now, now, int(own)),
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
            lambda conn: conn.execute("DELETE FROM history WHERE id = ?", (entry_id,)).rowcount > 0
        )

    def clear(self) -> None:
        """Delete every entry (the phrasebook is kept)."""
        self._db.run(lambda conn: conn.execute("DELETE FROM history"))

    def count(self) -> int:
        return int(
            self._db.run(lambda conn: conn.execute("SELECT COUNT(*) FROM history").fetchone()[0])
        )
