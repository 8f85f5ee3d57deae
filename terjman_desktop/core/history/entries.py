"""What the history and the phrasebook hand out: their entries, and an import's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any


def _time(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=timezone.utc)


@dataclass(frozen=True)
class HistoryEntry:
    """One translation the person made. Times are timezone-aware (UTC).

    ``own``: the translation was written or corrected by the person, not the model's.
    """

    id: int
    source_text: str
    translation: str
    source_language: str
    target_language: str
    model_id: str
    created: datetime
    updated: datetime
    own: bool = False

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> HistoryEntry:
        return cls(
            int(row[0]),
            str(row[1]),
            str(row[2]),
            str(row[3]),
            str(row[4]),
            str(row[5]),
            _time(row[6]),
            _time(row[7]),
            bool(row[8]),
        )


@dataclass(frozen=True)
class PhraseEntry:
    """A pair the person saved to learn or reuse (``own``: the translation is theirs)."""

    id: int
    source_text: str
    translation: str
    source_language: str
    target_language: str
    note: str
    created: datetime
    own: bool = False

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> PhraseEntry:
        return cls(
            int(row[0]),
            str(row[1]),
            str(row[2]),
            str(row[3]),
            str(row[4]),
            str(row[5]),
            _time(row[6]),
            bool(row[7]),
        )


@dataclass
class ImportReport:
    """What a phrasebook import did: rows added, duplicates skipped, problems by line."""

    added: int = 0
    skipped_duplicates: int = 0
    errors: list[str] = field(default_factory=list)
