"""The SQLite file behind the history and the phrasebook: open, migrate, guard.

The file is opened on first use (never at import or construction), in WAL mode, with its
schema version in ``PRAGMA user_version``. A damaged file is never deleted: it is renamed
to ``history.sqlite3.corrupt-<timestamp>`` (with its ``-wal``/``-shm`` companions) and a
:class:`HistoryError` says so; the next call starts a new, empty database.

Schema 2 added ``own`` to both tables: a translation the person wrote or corrected
themselves (not the model's). A schema-1 file gains the column when it is opened.

Substring search uses an FTS5 trigram index when this SQLite has one (3.34+). The index is
kept by triggers; opened by a SQLite without FTS5, the triggers are dropped (the table stays
searchable by scanning) and the next FTS5-capable open rebuilds the index.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from terjman_desktop.core import paths
from terjman_desktop.core.errors import HistoryError, LocationError

logger = logging.getLogger(__name__)

T = TypeVar("T")
SCHEMA_VERSION = 2
DB_FILE = "history.sqlite3"
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
# How long a call waits for another process using the file (seconds).
LOCK_PATIENCE = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    source_text TEXT NOT NULL,
    translation TEXT NOT NULL,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    model_id TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    updated REAL NOT NULL,
    own INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS history_by_time ON history (updated DESC, id DESC);
CREATE TABLE IF NOT EXISTS phrasebook (
    id INTEGER PRIMARY KEY,
    source_text TEXT NOT NULL,
    translation TEXT NOT NULL,
    source_language TEXT NOT NULL,
    target_language TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    own INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source_text, translation, source_language, target_language)
);
"""
# Columns added after schema 1, with their definition: (table, column, definition).
_ADDED_COLUMNS = (
    ("history", "own", "INTEGER NOT NULL DEFAULT 0"),
    ("phrasebook", "own", "INTEGER NOT NULL DEFAULT 0"),
)
_FTS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5(source_text, translation, "
    "content='history', content_rowid='id', tokenize='trigram')"
)
_FTS_TRIGGERS = """
CREATE TRIGGER history_fts_insert AFTER INSERT ON history BEGIN
    INSERT INTO history_fts (rowid, source_text, translation)
    VALUES (new.id, new.source_text, new.translation);
END;
CREATE TRIGGER history_fts_delete AFTER DELETE ON history BEGIN
    INSERT INTO history_fts (history_fts, rowid, source_text, translation)
    VALUES ('delete', old.id, old.source_text, old.translation);
END;
CREATE TRIGGER history_fts_update AFTER UPDATE OF source_text, translation ON history BEGIN
    INSERT INTO history_fts (history_fts, rowid, source_text, translation)
    VALUES ('delete', old.id, old.source_text, old.translation);
    INSERT INTO history_fts (rowid, source_text, translation)
    VALUES (new.id, new.source_text, new.translation);
END;
"""
_FTS_TRIGGER_NAMES = ("history_fts_insert", "history_fts_delete", "history_fts_update")


def default_path() -> Path:
    return paths.data_dir() / DB_FILE


def fts_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite can build an FTS5 trigram index."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.terjman_probe USING fts5(x, tokenize='trigram')")
        conn.execute("DROP TABLE temp.terjman_probe")
    except sqlite3.Error:
        return False
    return True


def _lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def like_pattern(query: str) -> str:
    """A LIKE pattern matching ``query`` anywhere, with the wildcards and escape escaped."""
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def is_corruption(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    message = str(error).lower()
    return "malformed" in message or "not a database" in message


def _switch_to_wal(conn: sqlite3.Connection, patience: float = LOCK_PATIENCE) -> str:
    """Ask for WAL mode; return the journal mode the file is in.

    Switching a new file to WAL needs a moment alone with it, and SQLite answers "database is
    locked" at once (its busy timeout does not cover this step) while another process opens
    the same new file: two app instances starting together. So this retries, with short
    growing pauses, for as long as the connection's own busy timeout would wait.
    """
    deadline = time.monotonic() + patience
    pause = 0.01
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode=WAL").fetchone()[0])
        except sqlite3.OperationalError as error:
            busy = "locked" in str(error).lower() or "busy" in str(error).lower()
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


class Database:
    """One connection to the history file, serialized by a lock.

    Thread safety: the connection is opened with ``check_same_thread=False`` and every call
    holds a lock, so one object may be used from several threads, one call at a time (the
    GUI uses it from one worker thread). Several objects (History, Phrasebook, another app
    instance) may open the same file; SQLite's locking and WAL keep them consistent.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.RLock()
        self.fts = False

    @property
    def path(self) -> Path:
        return self._path or default_path()

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` with the open connection, inside one transaction."""
        with self._lock:
            conn = self._connection()
            try:
                with conn:
                    return work(conn)
            except sqlite3.Error as error:
                raise self._failure(error) from error

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ------------------------------------------------------------------ internals

    def _connection(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        path = self.path
        try:
            paths.ensure_dir(path.parent)
        except LocationError as error:  # it names TERJMAN_HOME when that is the cause
            raise HistoryError(
                f"The history cannot be opened: {error.message}",
                hint=f"{error.hint} Or turn the history off.",
            ) from None
        try:
            conn = sqlite3.connect(path, timeout=LOCK_PATIENCE, check_same_thread=False)
        except sqlite3.Error as error:
            raise self._failure(error) from error
        try:
            self._prepare(conn)
        except sqlite3.Error as error:
            conn.close()
            raise self._failure(error) from error
        except BaseException:
            conn.close()
            raise
        self._conn = conn
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        conn.create_function("terjman_lower", 1, _lower, deterministic=True)
        check = conn.execute("PRAGMA quick_check(1)").fetchone()
        if check is None or check[0] != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"The history '{self.path}' was written by a newer version of Terjman "
                f"(schema {version}).",
                hint="Update Terjman, or turn the history off.",
            )
        mode = _switch_to_wal(conn)
        if mode != "wal":
            logger.info("History journal mode is %s (WAL unavailable here)", mode)
        conn.execute("PRAGMA synchronous=NORMAL")  # with WAL: safe, without an fsync per add
        if version < SCHEMA_VERSION:
            _migrate(conn)
        self.fts = self._setup_fts(conn)

    def _setup_fts(self, conn: sqlite3.Connection) -> bool:
        with conn:
            # Serialise with other processes setting up the same file (see _prepare).
            conn.execute("BEGIN IMMEDIATE")
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            triggers = all(name in names for name in _FTS_TRIGGER_NAMES)
            if not fts_available(conn):
                for name in _FTS_TRIGGER_NAMES:
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                return False
            if "history_fts" not in names:
                conn.execute(_FTS_TABLE)
            if not triggers or "history_fts" not in names:
                for name in _FTS_TRIGGER_NAMES:
                    conn.execute(f"DROP TRIGGER IF EXISTS {name}")
                for statement in _FTS_TRIGGERS.split("END;")[:-1]:
                    conn.execute(statement + "END;")
                conn.execute("INSERT INTO history_fts (history_fts) VALUES ('rebuild')")
        return True

    def _failure(self, error: sqlite3.Error) -> HistoryError:
        path = self.path
        if not is_corruption(error):
            return HistoryError(
                f"The history '{path}' could not be used ({error}).",
                hint="Close other copies of Terjman and try again, or turn the history off.",
            )
        self.close()
        target = paths.aside_path(path)
        try:
            for suffix in ("-wal", "-shm", ""):
                source = Path(f"{path}{suffix}")
                if source.exists():
                    os.replace(source, Path(f"{target}{suffix}"))
        except OSError as move_error:
            return HistoryError(
                f"The history '{path}' is damaged ({error}) and could not be moved aside "
                f"({move_error.strerror or move_error}).",
                hint="Close Terjman, move or rename that file yourself, and start it again.",
            )
        logger.error("History database %s is damaged (%s); moved to %s", path, error, target)
        return HistoryError(
            f"The history was damaged ({error}). It was kept as '{target}' and a new, "
            "empty history is started.",
            hint="Nothing else is needed; a SQLite tool may recover entries from that file.",
        )


def _migrate(conn: sqlite3.Connection) -> None:
    """Create the tables of a new file, or add the columns a schema-1 file lacks.

    Two Terjman processes may open the same old or new file at once: BEGIN IMMEDIATE makes
    one wait for the other, and each step is idempotent (tables created if missing, columns
    added only when absent), so neither fails and none is added twice.
    """
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        for table, column, definition in _ADDED_COLUMNS:
            present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


_UserT = TypeVar("_UserT", bound="DatabaseUser")


class DatabaseUser:
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

    def __enter__(self: _UserT) -> _UserT:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
