"""Operations on the history and the phrasebook.

Every one runs on the task runner's ``history`` queue, one after another, so two
connections of this process never race (the first ones create the schema) and a refresh
queued after a change sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from terjman_desktop.core.history import (
    History,
    HistoryEntry,
    ImportReport,
    Phrasebook,
    PhraseEntry,
)
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.task_runner import TaskContext

QUEUE = "history"
PAGE = 200
T = TypeVar("T")


class PhrasePair(Protocol):
    """A pair to save (the GUI's :class:`~terjman_desktop.gui.corrections.Pair`)."""

    @property
    def source(self) -> str: ...
    @property
    def translation(self) -> str: ...
    @property
    def source_language(self) -> str: ...
    @property
    def target_language(self) -> str: ...
    @property
    def revises(self) -> str | None: ...
    @property
    def own(self) -> bool: ...


@dataclass(frozen=True)
class Found:
    """What the two lists show for their search texts."""

    history: list[HistoryEntry]
    phrases: list[PhraseEntry]


class HistoryOps:
    """Operations on the context's history database."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def _with_history(self, call: Callable[[History], T], name: str) -> Op[T]:
        books = self.context.books

        def work(_: TaskContext) -> T:
            with books.history() as history:
                return call(history)

        return Op(self.context.runner, work, name=name, queue=QUEUE)

    def _with_phrasebook(self, call: Callable[[Phrasebook], T], name: str) -> Op[T]:
        books = self.context.books

        def work(_: TaskContext) -> T:
            with books.phrasebook() as book:
                return call(book)

        return Op(self.context.runner, work, name=name, queue=QUEUE)

    # ------------------------------------------------------------------ reading

    def search(self, history_query: str, phrase_query: str) -> Op[Found]:
        """The newest history entries (a page) and the phrasebook, each filtered by its text."""
        books = self.context.books

        def work(_: TaskContext) -> Found:
            with books.history() as history, books.phrasebook() as book:
                return Found(history.search(history_query, limit=PAGE),
                             book.list(phrase_query))

        return Op(self.context.runner, work, name="history", queue=QUEUE)

    # ------------------------------------------------------------------ the history

    def record(self, text: str, translation: str, source: str, target: str,
               model_id: str, *, own: bool = False, revises: str | None = None) -> Op[int]:
        """Keep a translation; one that ``revises`` another updates that one's entry."""
        return self._with_history(
            lambda history: history.add(text, translation, source, target, model_id,
                                        own=own, revises=revises),
            "record history")

    def delete(self, entry_id: int) -> Op[bool]:
        return self._with_history(lambda history: history.delete(entry_id), "history delete")

    def clear(self) -> Op[None]:
        return self._with_history(lambda history: history.clear(), "history clear")

    # ------------------------------------------------------------------ the phrasebook

    def add_phrase(self, text: str, translation: str, source: str, target: str,
                   *, own: bool = False) -> Op[int]:
        return self._with_phrasebook(
            lambda book: book.add(text, translation, source, target, own=own),
            "phrasebook add")

    def add_phrases(self, pairs: Sequence[PhrasePair]) -> Op[int]:
        """Save several pairs; a correction replaces the pair it corrects. How many."""
        def save(book: Phrasebook) -> int:
            for pair in pairs:
                if pair.revises is not None:
                    book.revise(pair.source, pair.revises, pair.translation,
                                pair.source_language, pair.target_language, own=pair.own)
                else:
                    book.add(pair.source, pair.translation, pair.source_language,
                             pair.target_language, own=pair.own)
            return len(pairs)

        return self._with_phrasebook(save, "phrasebook add")

    def remove_phrase(self, entry_id: int) -> Op[bool]:
        return self._with_phrasebook(lambda book: book.remove(entry_id), "phrasebook remove")

    def export_phrasebook(self, path: Path, kind: str) -> Op[int]:
        """Write the phrasebook as CSV (``kind`` ``"csv"``) or an Anki deck; the count written."""
        return self._with_phrasebook(
            lambda book: book.export_csv(path) if kind == "csv" else book.export_anki(path),
            "phrasebook export")

    def import_phrasebook(self, path: Path) -> Op[ImportReport]:
        return self._with_phrasebook(lambda book: book.import_csv(path), "phrasebook import")
