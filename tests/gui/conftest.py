"""Fixtures for the GUI tests: installed tiny models, a main window, no blocking dialogs."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from terjman_desktop.core import paths

WAIT_MS = 15_000  # generous: the first translation loads a model on a slow CI machine


def install(package: Path) -> Path:
    """Make a package 'installed' by copying it into the store of this test's TERJMAN_HOME."""
    target = paths.models_dir() / package.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(package, target)
    return target


@pytest.fixture
def marian_installed(marian_package: Path) -> Path:
    return install(marian_package)


@pytest.fixture
def nllb_installed(nllb_package: Path) -> Path:
    return install(nllb_package)


@dataclass
class Boxes:
    """Message boxes the code under test asked for, instead of blocking the test."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _, text in self.shown if kind is None or k == kind]


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    """Every static QMessageBox call is recorded and answered at once (never modal)."""
    boxes = Boxes()

    def recorder(kind: str) -> Callable[..., Any]:
        def show(_parent: object, title: str, text: str, *_: object, **__: object) -> Any:
            boxes.shown.append((kind, title, text))
            return boxes.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder(kind)))
    return boxes


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Build a shown MainWindow (with its own context, as app.py makes one) whose installed
    models are loaded; closed at the end."""
    from terjman_desktop.gui.context import AppContext
    from terjman_desktop.gui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(*, first_run_check: bool = False, settings: Any = None) -> MainWindow:
        window = MainWindow(AppContext.create(settings), first_run_check=first_run_check)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.installed.loaded, timeout=WAIT_MS)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def context(qtbot: Any) -> Iterator[Any]:
    """An app context without a window (for a dialog or an operation on its own)."""
    from terjman_desktop.gui.context import AppContext

    made = AppContext.create()
    yield made
    made.runner.shutdown()


@pytest.fixture
def hub(marian_checkpoint: Path, monkeypatch: pytest.MonkeyPatch,
        terjman_home: Path) -> Iterator[Any]:
    """The stand-in Hub with the tiny Marian as the recommended catalog model."""
    from tests.gui.hub_helpers import stand_in_hub, tiny_catalog

    tiny_catalog()
    with stand_in_hub(marian_checkpoint, monkeypatch, terjman_home) as server:
        yield server


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Holds the next conversion at its start until the test opens it."""
    from tests.gui.hub_helpers import ConversionGate

    held = ConversionGate(monkeypatch)
    yield held
    held.open()  # never leave a worker thread held



@pytest.fixture
def viewer(hub: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The Hub's tiny model, its catalog entry naming its training data, and that data."""
    from tests.gui.vmap_helpers import map_catalog, stand_in_viewer

    map_catalog()
    with stand_in_viewer(monkeypatch) as server:
        yield server


@pytest.fixture
def map_gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Holds the next vocabulary-map build after its first progress report."""
    from tests.gui.vmap_helpers import MapBuildGate

    held = MapBuildGate(monkeypatch)
    yield held
    held.open()  # never leave a worker thread held
