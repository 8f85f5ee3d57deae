"""The model a server translates with, and the one thread that may use it.

The server never loads a model itself: it is handed an :class:`Engine`, which says which
model is served and runs work on that model's one thread. ``terjman serve`` hands it a
:class:`LoadedEngine` (the translator it loaded; the batcher's thread is then the model
thread); the app hands it an engine that runs each batch on the app's own model thread with
the translator the app already holds, so sharing never loads a second copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from terjman_desktop.core.translate import Direction, Translator

T = TypeVar("T")


@dataclass(frozen=True)
class ServedModel:
    """What clients are told about the model: its id, name and directions."""

    id: str
    name: str
    directions: tuple[Direction, ...]

    def translates(self, source: str, target: str) -> bool:
        return Direction(source, target) in self.directions


class Engine(Protocol):
    """Where the server's translations run."""

    def model(self) -> ServedModel:
        """The model served now (cheap; called from any thread)."""
        ...

    def run(self, work: Callable[[Translator], T]) -> T:
        """Run ``work`` with the model's translator on its one thread; block for the result."""
        ...


class LoadedEngine:
    """A translator loaded for the server alone: work runs in the calling thread.

    The server calls :meth:`run` from its one batching thread only, which makes that thread
    the model's thread.
    """

    def __init__(self, translator: Translator) -> None:
        self.translator = translator
        manifest = translator.manifest
        self._model = ServedModel(manifest.id, manifest.name, tuple(manifest.directions))

    def model(self) -> ServedModel:
        return self._model

    def run(self, work: Callable[[Translator], T]) -> T:
        return work(self.translator)
