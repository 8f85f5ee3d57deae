"""Speed up: the model manager learns the vocabulary map of an installed model that has none.

A model whose map was not learned after its install (maps off then, the dataset viewer
answered 404, a cancel) offers "Speed up (learn the vocabulary map)". Real widgets, the real
store, converter and map builder; the tests' tiny Marian on the stand-in Hub and its training
pairs behind the stand-in dataset viewer, as in ``test_install_vmap.py``. The map is learned
in the background with half the cores; a failure or a cancel is a note and leaves the model
as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from terjman_desktop.core import hardware
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.models import InstallPolicy
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.settings import Settings
from terjman_desktop.core.translate import VMAP_NAME
from terjman_desktop.gui.install_job import map_note
from terjman_desktop.gui.map_job import offers_map
from terjman_desktop.gui.model_manager import ModelManagerDialog
from terjman_desktop.gui.operations.models import InstallOutcome, ModelOps
from tests.core.dataset_viewer_server import StandInDatasetViewer
from tests.core.hub_server import StandInHub
from tests.gui.hub_helpers import TINY_ID
from tests.gui.test_install_vmap import (
    INSTALL_WAIT,
    MAP_PHASE,
    WAIT,
    assert_the_map_is_installed,
    assert_the_window_uses_the_map,
    error_boxes,
    listed_files,
    loaded_translators,
    manifest,
    open_manager,
    status,
    translate_in_panel,
)
from tests.gui.vmap_helpers import DATASET, MapBuildGate, map_catalog, stand_in_viewer
from trainer.synthetic_corpus import parallel_pairs

pytestmark = pytest.mark.slow
MAPS_OFF = Settings(use_vocabulary_map=False)
NO_MAP = "without a vocabulary map"


@pytest.fixture
def map_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of every ``learn_vocabulary_map`` call; the real one runs."""
    calls: list[dict[str, Any]] = []
    real = InstallPolicy.learn_vocabulary_map

    def recording(self: InstallPolicy, *args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(InstallPolicy, "learn_vocabulary_map", recording)
    return calls


def install_in_manager(
    make_window: Any, qtbot: Any, **options: Any
) -> tuple[Any, ModelManagerDialog]:
    """Install the tiny model from the manager; it is selected and installed on return."""
    window, dialog = open_manager(make_window, qtbot, **options)
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: status(dialog) == "Installed", timeout=INSTALL_WAIT)
    return window, dialog


def speed_up(dialog: ModelManagerDialog) -> Any:
    return dialog.buttons["speed_up"]


def turn_maps_on(window: Any, qtbot: Any) -> ModelManagerDialog:
    """Turn maps on in the settings, as the Preferences do, and open the manager again."""
    window.apply_settings(replace(window.context.settings, use_vocabulary_map=True))
    window.open_model_manager()
    dialog = window.model_manager
    assert dialog is not None
    return dialog


def learned(dialog: ModelManagerDialog) -> bool:
    """The map job is over and the manager shows the store as it is now."""
    return not dialog.maps and status(dialog) == "Installed"


def test_a_model_installed_with_maps_off_is_sped_up_in_the_background_with_half_the_cores(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    map_gate: MapBuildGate,
    map_calls: list[dict[str, Any]],
    message_boxes: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hardware, "physical_cores", lambda: 6)
    window, dialog = install_in_manager(make_window, qtbot, settings=MAPS_OFF)
    assert VMAP_NAME not in listed_files()
    assert not speed_up(dialog).isEnabled()  # maps are off in the settings
    assert viewer.requests == []

    # The model is loaded and translating before the map exists.
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)
    translate_in_panel(window, qtbot, "I eat the bread.")
    [before] = loaded_translators(window)
    assert not before.has_vmap

    dialog = turn_maps_on(window, qtbot)
    qtbot.waitUntil(speed_up(dialog).isEnabled, timeout=WAIT)
    assert "Speed up learns one" in dialog.details.text()
    assert speed_up(dialog).accessibleName() == "Speed up (learn the vocabulary map)"

    speed_up(dialog).click()
    qtbot.waitUntil(lambda: status(dialog).startswith(MAP_PHASE), timeout=INSTALL_WAIT)
    assert status(dialog).endswith("%")
    assert not speed_up(dialog).isEnabled()  # once at a time
    assert dialog.buttons["cancel"].isEnabled()
    assert not dialog.buttons["delete"].isEnabled()
    assert dialog.progress.isVisible()

    map_gate.open()
    qtbot.waitUntil(lambda: learned(dialog), timeout=INSTALL_WAIT)
    # Half of the (six) physical cores: the person may translate meanwhile.
    assert [call["threads"] for call in map_calls] == [3]
    assert_the_map_is_installed()
    qtbot.waitUntil(lambda: not speed_up(dialog).isEnabled(), timeout=WAIT)  # it has one now
    assert "Speed up learns one" not in dialog.details.text()
    assert "vocabulary map learned on this computer" in dialog.catalog_status.text()
    qtbot.waitUntil(
        lambda: "vocabulary map learned" in window.statusBar().currentMessage(), timeout=WAIT
    )
    assert error_boxes(message_boxes) == []

    assert_the_window_uses_the_map(window, qtbot, before)


def test_the_map_after_an_install_is_learned_with_half_the_cores(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    map_calls: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hardware, "physical_cores", lambda: 4)
    _, dialog = install_in_manager(make_window, qtbot)
    assert [call["threads"] for call in map_calls] == [2]
    assert "vocabulary_map" in manifest()
    assert not speed_up(dialog).isEnabled()  # it has its map already


def test_after_a_404_speed_up_fails_with_a_note_then_learns_once_the_dataset_is_back(
    make_window: Any,
    qtbot: Any,
    hub: StandInHub,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: Any,
) -> None:
    map_catalog()
    with stand_in_viewer(monkeypatch, with_dataset=False) as server:
        window, dialog = install_in_manager(make_window, qtbot)
        assert NO_MAP in dialog.catalog_status.text()
        assert speed_up(dialog).isEnabled()
        files = listed_files()
        untouched = manifest()

        # Still 404: the same kind of note, no error box, the model as it was.
        dialog._say("")
        requests = len(server.requests)
        speed_up(dialog).click()
        qtbot.waitUntil(lambda: NO_MAP in dialog.catalog_status.text(), timeout=INSTALL_WAIT)
        qtbot.waitUntil(lambda: learned(dialog), timeout=WAIT)
        assert any(r.status == 404 for r in server.requests[requests:])
        assert dialog.catalog_status.text().startswith("Terjman Tiny v1 is installed")
        assert manifest() == untouched and listed_files() == files
        assert Store().verify(TINY_ID).ok
        assert error_boxes(message_boxes) == []
        qtbot.waitUntil(speed_up(dialog).isEnabled, timeout=WAIT)  # it may be tried again

        server.add_dataset(DATASET, [{"english": en, "darija": ar} for en, ar in parallel_pairs()])
        speed_up(dialog).click()
        qtbot.waitUntil(
            lambda: "vocabulary map learned on this computer" in dialog.catalog_status.text(),
            timeout=INSTALL_WAIT,
        )
    qtbot.waitUntil(lambda: learned(dialog), timeout=WAIT)
    assert VMAP_NAME in listed_files()
    assert manifest()["vocabulary_map"]["corpus"]["dataset"] == DATASET
    qtbot.waitUntil(lambda: not speed_up(dialog).isEnabled(), timeout=WAIT)
    assert error_boxes(message_boxes) == []
    assert window.model_manager is dialog


def test_cancelling_speed_up_leaves_the_model_as_it_was(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
    map_gate: MapBuildGate,
    message_boxes: Any,
) -> None:
    window, _ = install_in_manager(make_window, qtbot, settings=MAPS_OFF)
    untouched = manifest()
    dialog = turn_maps_on(window, qtbot)
    qtbot.waitUntil(speed_up(dialog).isEnabled, timeout=WAIT)
    speed_up(dialog).click()
    qtbot.waitUntil(lambda: status(dialog).startswith(MAP_PHASE), timeout=INSTALL_WAIT)
    dialog.buttons["cancel"].click()
    assert status(dialog) == "Cancelling…"
    assert not dialog.buttons["cancel"].isEnabled()
    map_gate.open()  # the build goes on, sees the cancel and stops
    qtbot.waitUntil(lambda: learned(dialog), timeout=INSTALL_WAIT)
    assert "cancelled" in dialog.catalog_status.text()
    assert NO_MAP in dialog.catalog_status.text()
    assert manifest() == untouched
    assert VMAP_NAME not in listed_files()
    assert Store().verify(TINY_ID).ok
    assert error_boxes(message_boxes) == []
    qtbot.waitUntil(speed_up(dialog).isEnabled, timeout=WAIT)  # offered again


def test_speed_up_is_not_offered_for_a_model_whose_source_names_no_dataset(
    make_window: Any,
    qtbot: Any,
    hub: StandInHub,
    message_boxes: Any,
) -> None:
    # The hub fixture's catalog: the tiny model's source names no training dataset.
    _, dialog = install_in_manager(make_window, qtbot)
    assert VMAP_NAME not in listed_files()
    assert "source" in manifest()
    assert not speed_up(dialog).isEnabled()
    assert "Speed up" not in dialog.details.text()
    speed_up(dialog).click()  # disabled: nothing starts
    assert dialog.maps == {}
    assert error_boxes(message_boxes) == []


def test_speed_up_is_not_offered_for_a_catalog_entry_not_installed(
    make_window: Any,
    qtbot: Any,
    viewer: StandInDatasetViewer,
) -> None:
    _, dialog = open_manager(make_window, qtbot)
    assert TINY_ID not in dialog.stored
    assert not speed_up(dialog).isEnabled()
    dialog.learn_map_selected()  # not installed: nothing starts
    assert dialog.maps == {}
    assert viewer.requests == []


def test_the_operation_on_a_model_whose_source_names_no_dataset_is_a_note(
    qtbot: Any, context: Any, marian_installed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A released package: its manifest names no training dataset (the button is never
    # enabled for it; the operation still answers plainly, without asking any viewer).
    monkeypatch.setenv("TERJMAN_DATASET_VIEWER", "http://127.0.0.1:9")
    [model] = Store().list()
    outcomes: list[InstallOutcome] = []
    ModelOps(context).learn_map(model, CancelToken()).on_done(outcomes.append).run()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=WAIT)
    [outcome] = outcomes
    assert isinstance(outcome.map_problem, InputError)
    assert outcome.vocabulary_map is None and outcome.model == model
    note = map_note(outcome)
    assert note is not None and "names no training dataset" in note
    assert not offers_map(model, Settings())
