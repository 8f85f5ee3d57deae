"""Installs that learn a vocabulary map: a catalog entry naming its training data, the
stand-in dataset viewer holding that data, and a gate that holds the map's build.

The dataset is the pairs the tiny test models were trained on, as the real Terjman
models' catalog entries name the datasets those were trained on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.core.dataset_viewer_server import StandInDatasetViewer
from tests.gui.hub_helpers import GATE_TIMEOUT, REPO, TINY_ID, hub_entry, write_cached_catalog
from trainer.synthetic_corpus import parallel_pairs

DATASET = "atlasia/tiny-training-set"
# Small enough to learn in seconds with the tiny model; the held-out check still passes
# (every held-out translation unchanged, as in tests/core/test_vocabulary_map_hub.py).
CORPUS = {
    "dataset": DATASET,
    "split": "train",
    "columns": {"en": "english", "ary": "darija"},
    "rows": 300,
    "held_out": 100,
}


def map_catalog(**changes: Any) -> None:
    """The tiny model, recommended, whose Hub source names its training dataset."""
    source = {"kind": "hub", "repo": REPO, "family": "marian", "vmap_corpus": CORPUS}
    write_cached_catalog(hub_entry(TINY_ID, REPO, recommended=True, source=source, **changes))


@contextmanager
def stand_in_viewer(
    monkeypatch: pytest.MonkeyPatch, *, with_dataset: bool = True
) -> Iterator[StandInDatasetViewer]:
    """The dataset viewer the app reaches through ``TERJMAN_DATASET_VIEWER``; without
    ``with_dataset`` it answers 404 for the catalog's dataset, as for a removed one."""
    with StandInDatasetViewer() as viewer:
        if with_dataset:
            viewer.add_dataset(
                DATASET, [{"english": en, "darija": ar} for en, ar in parallel_pairs()]
            )
        monkeypatch.setenv("TERJMAN_DATASET_VIEWER", viewer.url)
        yield viewer


class MapBuildGate:
    """Holds the vocabulary map's build after its first progress report until :meth:`open`.

    The tiny model learns its map in a blink; a test that must see (or cancel) the map
    phase waits on :attr:`reached` instead of racing the clock. The real build goes on once
    the gate opens, and sees a cancel made while it was held.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from terjman_desktop.core import translate

        self.reached = threading.Event()
        self._opened = threading.Event()
        real: Callable[..., Any] = translate.build_vocabulary_map

        def held(
            *args: Any, progress: Callable[[int, int], None] | None = None, **kwargs: Any
        ) -> Any:
            def report(done: int, total: int) -> None:
                if progress is not None:
                    progress(done, total)
                if not self.reached.is_set():
                    self.reached.set()
                    self._opened.wait(GATE_TIMEOUT)

            return real(*args, progress=report, **kwargs)

        monkeypatch.setattr(translate, "build_vocabulary_map", held)

    def open(self) -> None:
        self._opened.set()
