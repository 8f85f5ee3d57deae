"""A model converted here learns its vocabulary map right after the install, in the same job.

Real widgets, the real store, downloader, converter and map builder; the tests' tiny Marian
on the stand-in Hub, and the pairs it was trained on behind a stand-in of the Hub's dataset
viewer (reached through ``TERJMAN_DATASET_VIEWER``). The map is only a speed-up: when it
cannot be learned (dataset gone, cancel) the model is installed all the same, and a note
(never an error box) says it translates without the map.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from terjman_desktop.core import paths
from terjman_desktop.core.errors import HubUnreachableError
from terjman_desktop.core.models import MapRejectedError
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.settings import Settings
from terjman_desktop.core.translate import MANIFEST_NAME, VMAP_NAME, Direction, Translator
from terjman_desktop.gui import welcome
from terjman_desktop.gui.install_job import map_note
from terjman_desktop.gui.model_manager import ModelManagerDialog
from terjman_desktop.gui.model_table import STATUS_COLUMN
from terjman_desktop.gui.operations.models import InstallOutcome
from tests.core.dataset_viewer_server import StandInDatasetViewer
from tests.core.hub_server import StandInHub
from tests.gui.hub_helpers import TINY_ID
from tests.gui.vmap_helpers import DATASET, MapBuildGate, map_catalog, stand_in_viewer

pytestmark = pytest.mark.slow
WAIT = 15_000
INSTALL_WAIT = 120_000  # download, conversion and map on a loaded 2-core machine
MAP_PHASE = "Learning the vocabulary map on this computer…"


def open_manager(make_window: Any, qtbot: Any, **options: Any) -> tuple[Any, ModelManagerDialog]:
    window = make_window(**options)
    window.open_model_manager()
    dialog = window.model_manager
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.catalog is not None, timeout=WAIT)
    item = dialog.table.item_for(TINY_ID)
    assert item is not None
    dialog.table.setCurrentItem(item)
    return window, dialog


def status(dialog: ModelManagerDialog) -> str:
    item = dialog.table.item_for(TINY_ID)
    return item.text(STATUS_COLUMN) if item is not None else ""


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (paths.models_dir() / TINY_ID / MANIFEST_NAME).read_text("utf-8")
    )
    return data


def listed_files() -> set[str]:
    return {entry["path"] for entry in manifest()["files"]}


def error_boxes(message_boxes: Any) -> list[Any]:
    return [box for box in message_boxes.shown if box[0] in ("warning", "critical")]


def loaded_translators(window: Any) -> list[Translator]:
    return list(window.runner._models._items.values())  # the app's model cache


def reference(text: str) -> str:
    """What the installed model gives for ``text`` (loaded apart from the app)."""
    translator = Translator(paths.models_dir() / TINY_ID, device="cpu", threads=1)
    try:
        return translator.translate(text, Direction("en", "ary")).text
    finally:
        translator.unload()


def translate_in_panel(window: Any, qtbot: Any, text: str) -> None:
    """Translate ``text`` in the window; it must give what the installed model gives."""
    expected = reference(text)
    panel = window.panel
    panel.source.setPlainText(text)
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.output.toPlainText() == expected, timeout=WAIT)


def assert_the_map_is_installed() -> dict[str, Any]:
    """The installed model lists its map, verifies, and its record says what was checked."""
    assert VMAP_NAME in listed_files()
    record: dict[str, Any] = manifest()["vocabulary_map"]
    assert record["corpus"]["dataset"] == DATASET
    assert min(record["check"]["identical"].values()) >= 0.99
    assert Store().verify(TINY_ID).ok
    return record


def assert_the_window_uses_the_map(window: Any, qtbot: Any, before: Any) -> None:
    """The translator loaded without the map was let go: the next one has it."""
    qtbot.waitUntil(lambda: before not in loaded_translators(window), timeout=WAIT)
    translate_in_panel(window, qtbot, "The milk is good.")
    [after] = loaded_translators(window)
    assert after.has_vmap


def test_the_install_learns_a_map_and_the_window_reloads_the_model_with_it(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    map_gate: MapBuildGate,
    message_boxes: Any,
) -> None:
    window, dialog = open_manager(make_window, qtbot)
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: status(dialog).startswith(MAP_PHASE), timeout=INSTALL_WAIT)
    assert status(dialog).endswith("%")
    assert not dialog.buttons["pause"].isEnabled()  # only a download pauses
    assert dialog.buttons["cancel"].isEnabled()

    # Installed already, without its map: the window may load it meanwhile.
    assert VMAP_NAME not in listed_files()
    window.refresh_models()
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)
    assert window.panel.current_model().id == TINY_ID
    translate_in_panel(window, qtbot, "I eat the bread.")
    [before] = loaded_translators(window)
    assert not before.has_vmap

    map_gate.open()
    qtbot.waitUntil(lambda: status(dialog) == "Installed", timeout=INSTALL_WAIT)
    record = assert_the_map_is_installed()
    assert record["check"]["held_out_rows"] == 100
    assert "vocabulary map learned on this computer" in dialog.catalog_status.text()
    assert dialog.catalog_status.isVisible()
    assert error_boxes(message_boxes) == []

    assert_the_window_uses_the_map(window, qtbot, before)


def test_with_maps_off_in_the_settings_no_map_is_learned_and_the_viewer_is_not_asked(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    message_boxes: Any,
) -> None:
    _, dialog = open_manager(make_window, qtbot, settings=Settings(use_vocabulary_map=False))
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: status(dialog) == "Installed", timeout=INSTALL_WAIT)
    assert VMAP_NAME not in listed_files()
    assert "vocabulary_map" not in manifest()
    assert viewer.requests == []
    assert "vocabulary map" not in dialog.catalog_status.text()
    assert error_boxes(message_boxes) == []


def test_a_dataset_the_viewer_does_not_have_installs_the_model_without_a_map_and_says_so(
    make_window: Any,
    qtbot: Any,
    hub: StandInHub,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: Any,
) -> None:
    map_catalog()
    with stand_in_viewer(monkeypatch, with_dataset=False) as server:
        window, dialog = open_manager(make_window, qtbot)
        dialog.buttons["install"].click()
        qtbot.waitUntil(lambda: status(dialog) == "Installed", timeout=INSTALL_WAIT)
        assert any(r.status == 404 for r in server.requests)
    assert VMAP_NAME not in listed_files()
    assert "vocabulary_map" not in manifest()
    assert Store().verify(TINY_ID).ok
    note = dialog.catalog_status.text()
    assert "is installed and translates" in note and "without a vocabulary map" in note
    assert dialog.catalog_status.isVisible()
    assert error_boxes(message_boxes) == []
    # The window's status bar says it too, in place of "… is now installed".
    qtbot.waitUntil(
        lambda: "without a vocabulary map" in window.statusBar().currentMessage(), timeout=WAIT
    )


def test_cancel_while_the_map_is_learned_keeps_the_model_installed_without_a_map(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    map_gate: MapBuildGate,
    message_boxes: Any,
) -> None:
    window, dialog = open_manager(make_window, qtbot)
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: status(dialog).startswith(MAP_PHASE), timeout=INSTALL_WAIT)
    dialog.buttons["cancel"].click()
    assert status(dialog) == "Cancelling…"
    map_gate.open()  # the build goes on, sees the cancel and stops
    qtbot.waitUntil(lambda: status(dialog) == "Installed", timeout=INSTALL_WAIT)
    assert TINY_ID not in dialog.installs
    assert VMAP_NAME not in listed_files()
    assert "vocabulary_map" not in manifest()
    assert Store().verify(TINY_ID).ok
    # No half-built copy left behind.
    assert not (paths.models_dir() / ".staging" / TINY_ID).exists()
    assert "cancelled" in dialog.catalog_status.text()
    assert error_boxes(message_boxes) == []

    # The model works as installed.
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)
    translate_in_panel(window, qtbot, "I eat the bread.")
    assert not loaded_translators(window)[0].has_vmap


def test_the_welcome_install_learns_the_map_and_the_status_bar_says_so(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    map_gate: MapBuildGate,
) -> None:
    window = make_window(first_run_check=True)
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible(), timeout=WAIT)
    dialog = window.welcome
    assert isinstance(dialog, welcome.WelcomeDialog)
    qtbot.waitUntil(lambda: dialog.catalog_loaded and dialog.online is not None, timeout=WAIT)
    dialog.install_button.click()
    qtbot.waitUntil(
        lambda: dialog.install_status.text().startswith(MAP_PHASE), timeout=INSTALL_WAIT
    )
    map_gate.open()
    qtbot.waitUntil(
        lambda: "vocabulary map learned on this computer" in window.statusBar().currentMessage(),
        timeout=INSTALL_WAIT,
    )
    assert VMAP_NAME in listed_files()
    assert window.panel.current_model() is not None
    assert window.panel.current_model().id == TINY_ID


@pytest.mark.parametrize(
    ("problem", "said"),
    [
        (
            MapRejectedError("changes 3.0% of the held-out en-ary translations"),
            "would have changed some translations",
        ),
        (
            HubUnreachableError("The dataset viewer cannot be reached."),
            "The dataset viewer cannot be reached.",
        ),
        (OSError(28, "No space left on device"), "No space left on device"),
    ],
)
def test_a_map_that_was_not_made_is_a_plain_note_naming_why(
    qtbot: Any, problem: Exception, said: str
) -> None:
    model = SimpleNamespace(name="Terjman Tiny v1")
    note = map_note(InstallOutcome(model, True, None, problem))  # type: ignore[arg-type]
    assert note is not None
    assert note.startswith("Terjman Tiny v1 is installed and translates")
    assert said in note
    assert map_note(InstallOutcome(model)) is None  # type: ignore[arg-type]
