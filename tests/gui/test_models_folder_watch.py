"""Models that `terjman` (or another window) installs or removes show up in the running window."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from terjman_desktop.core import paths
from terjman_desktop.core.models.store.store import InstalledModel, Store
from terjman_desktop.core.settings import Settings
from terjman_desktop.gui import welcome
from terjman_desktop.gui.store_watcher import StoreWatcher
from terjman_desktop.gui.translation_controller import TranslationController
from tests.core.package_factory import make_package

WAIT = 15_000
ALPHA = "terjman-alpha-v1-int8"
BETA = "terjman-beta-v1-int8"


@pytest.fixture(autouse=True)
def no_preload(monkeypatch: pytest.MonkeyPatch) -> None:
    """The packages here hold placeholder weights: the picker lists them, nothing loads them."""
    monkeypatch.setattr(TranslationController, "preload", lambda *_, **__: None)


def publish(tmp_path: Path, model_id: str, name: str) -> InstalledModel:
    """Install a model the way `terjman models import FOLDER` does, from outside the window."""
    folder = tmp_path / "packages" / model_id
    make_package(folder, model_id=model_id, name=name)
    return Store().import_path(folder)


def picker_ids(window: Any) -> list[str]:
    combo = window.panel.model_combo
    return [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]


def test_a_model_installed_by_the_cli_appears_and_goes(make_window: Any, qtbot: Any,
                                                       tmp_path: Path) -> None:
    window = make_window()
    assert not paths.models_dir().exists()  # watching for the store created nothing
    assert picker_ids(window) == []
    publish(tmp_path, ALPHA, "Alpha")
    qtbot.waitUntil(lambda: picker_ids(window) == [ALPHA], timeout=WAIT)
    assert window.panel.current_model().id == ALPHA
    assert window.panel.get_models_button.isHidden()
    assert "Alpha" in window.statusBar().currentMessage()
    assert window.store_watcher.watched == paths.models_dir()

    Store().remove(ALPHA)
    qtbot.waitUntil(lambda: picker_ids(window) == [], timeout=WAIT)
    assert window.panel.current_model() is None
    assert not window.panel.get_models_button.isHidden()
    assert "Alpha is no longer installed" in window.statusBar().currentMessage()


def test_the_current_model_disappearing_switches_to_another(make_window: Any, qtbot: Any,
                                                            tmp_path: Path) -> None:
    publish(tmp_path, ALPHA, "Alpha")
    publish(tmp_path, BETA, "Beta")
    window = make_window(settings=Settings(model_id=BETA))
    assert window.panel.current_model().id == BETA
    Store().remove(BETA)
    qtbot.waitUntil(lambda: picker_ids(window) == [ALPHA], timeout=WAIT)
    assert window.panel.current_model().id == ALPHA
    assert window.settings.model_id == ALPHA
    message = window.statusBar().currentMessage()
    assert "Beta is no longer installed" in message
    assert "Alpha" in message


def test_the_welcome_screen_leaves_when_a_model_arrives(
    make_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: False)
    window = make_window(first_run_check=True)
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible(),
                    timeout=WAIT)
    publish(tmp_path, ALPHA, "Alpha")
    qtbot.waitUntil(lambda: not window.welcome.isVisible(), timeout=WAIT)
    assert picker_ids(window) == [ALPHA]


def test_a_change_the_watch_missed_is_seen_on_activation(make_window: Any, qtbot: Any,
                                                         tmp_path: Path) -> None:
    """A folder whose events never arrive (a network drive): coming back to the window looks."""
    window = make_window()
    window.store_watcher.stop()
    publish(tmp_path, ALPHA, "Alpha")
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=WAIT)
    assert picker_ids(window) == []
    window.activateWindow()
    qtbot.waitUntil(lambda: picker_ids(window) == [ALPHA], timeout=WAIT)


def test_watcher_follows_the_store_folder_as_it_comes_and_goes(qtbot: Any,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "home" / "data" / "models"
    watcher = StoreWatcher(root, debounce_ms=10)
    assert watcher.watched == tmp_path
    assert not (tmp_path / "home").exists()
    with qtbot.waitSignal(watcher.changed, timeout=WAIT):
        root.mkdir(parents=True)
    qtbot.waitUntil(lambda: watcher.watched == root, timeout=WAIT)
    with qtbot.waitSignal(watcher.changed, timeout=WAIT):
        (root / ALPHA).mkdir()
    with qtbot.waitSignal(watcher.changed, timeout=WAIT):
        shutil.rmtree(root)
    qtbot.waitUntil(lambda: watcher.watched == root.parent, timeout=WAIT)
    with qtbot.waitSignal(watcher.changed, timeout=WAIT):
        root.mkdir()  # made again: watched again
    qtbot.waitUntil(lambda: watcher.watched == root, timeout=WAIT)
    with qtbot.waitSignal(watcher.changed, timeout=WAIT):
        (root / BETA).mkdir()
    watcher.stop()


def test_files_beside_a_missing_store_do_not_count(qtbot: Any, tmp_path: Path) -> None:
    """While the store folder does not exist, writes next to it (the history database) are
    not a reason to re-read the models; a poke always is.
    """
    root = tmp_path / "data" / "models"
    (tmp_path / "data").mkdir()
    watcher = StoreWatcher(root)
    seen: list[bool] = []
    watcher.changed.connect(lambda: seen.append(True))
    (tmp_path / "data" / "history.sqlite3").write_bytes(b"")
    watcher._settle()  # what the debounce timer runs after the folder's event
    assert seen == []
    watcher.poke()
    qtbot.waitUntil(lambda: seen == [True], timeout=WAIT)
    watcher.stop()
