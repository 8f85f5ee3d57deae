"""The model manager with models from the (stand-in) Hub, and with damaged models on disk.

Installs show their phase (download, then conversion on this computer) and can be cancelled
in each; gated models explain how to get access before anything starts; a damaged or
unreadable model keeps its row and can be repaired or deleted, also while another Terjman
holds it (the delete then says that it waits).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from terjman_desktop.core import paths
from terjman_desktop.core.models.catalog import current
from terjman_desktop.core.models.install import install_entry
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.gui.model_manager import ModelManagerDialog
from terjman_desktop.gui.model_table import STATUS_COLUMN
from tests.core.hub_server import StandInHub
from tests.gui.hub_helpers import (
    GATED_ID,
    GATED_REPO,
    TINY_ID,
    TOKEN,
    ConversionGate,
    hub_entry,
    write_cached_catalog,
)
from tests.gui.threads import model_held

pytestmark = pytest.mark.slow
WAIT = 15_000
INSTALL_WAIT = 120_000



@pytest.fixture
def links(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []

    def open_url(url: Any) -> bool:
        opened.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return opened


def open_manager(make_window: Any, qtbot: Any) -> tuple[Any, ModelManagerDialog]:
    window = make_window()
    window.open_model_manager()
    dialog = window.model_manager
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.catalog is not None, timeout=WAIT)
    return window, dialog


def status(dialog: ModelManagerDialog, model_id: str) -> str:
    item = dialog.table.item_for(model_id)
    return item.text(STATUS_COLUMN) if item is not None else ""


def select(dialog: ModelManagerDialog, model_id: str) -> None:
    item = dialog.table.item_for(model_id)
    assert item is not None, model_id
    dialog.table.setCurrentItem(item)


def damage(folder: Path) -> None:
    """A file one byte longer than its manifest says, as a bad copy leaves it."""
    with (folder / "model.bin").open("ab") as handle:
        handle.write(b"x")


def test_an_install_shows_the_conversion_phase_and_finishes(
    make_window: Any, qtbot: Any, hub: StandInHub, gate: ConversionGate, message_boxes: Any,
) -> None:
    window, dialog = open_manager(make_window, qtbot)
    select(dialog, TINY_ID)
    assert status(dialog, TINY_ID) == "Can be installed"
    assert dialog.buttons["install"].text() == "&Install"
    dialog.buttons["install"].click()
    assert "cc-by-nc-4.0" in message_boxes.texts("question")[-1]  # the license, first
    qtbot.waitUntil(lambda: status(dialog, TINY_ID).startswith("Converting on this computer"),
                    timeout=INSTALL_WAIT)
    assert dialog.buttons["cancel"].isEnabled()
    assert not dialog.buttons["pause"].isEnabled()  # a conversion cannot pause
    assert dialog.progress.isVisible()
    gate.open()
    qtbot.waitUntil(lambda: status(dialog, TINY_ID) == "Installed", timeout=INSTALL_WAIT)
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)
    assert window.panel.current_model().id == TINY_ID


def test_cancel_during_the_conversion_installs_nothing(
    make_window: Any, qtbot: Any, hub: StandInHub, gate: ConversionGate,
) -> None:
    _, dialog = open_manager(make_window, qtbot)
    select(dialog, TINY_ID)
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: status(dialog, TINY_ID).startswith("Converting on this computer"),
                    timeout=INSTALL_WAIT)
    dialog.buttons["cancel"].click()
    assert status(dialog, TINY_ID) == "Cancelling…"
    gate.open()
    qtbot.waitUntil(lambda: status(dialog, TINY_ID) == "Can be installed", timeout=INSTALL_WAIT)
    assert not (paths.models_dir() / TINY_ID).exists()
    assert dialog.buttons["install"].isEnabled()


def test_a_gated_model_without_a_token_explains_access_then_installs_with_one(
    make_window: Any, qtbot: Any, hub: StandInHub, links: list[str], message_boxes: Any,
) -> None:
    window, dialog = open_manager(make_window, qtbot)
    select(dialog, GATED_ID)
    assert "token" in status(dialog, GATED_ID)
    dialog.buttons["install"].click()
    gated = dialog.gated_dialog
    assert gated is not None and gated.isVisible()
    assert not message_boxes.shown  # nothing started, nothing failed late
    page = f"{hub.url}/{GATED_REPO}"
    explanation = gated.panel.explanation.text()
    assert "is gated" in explanation and "accept their conditions" in explanation
    assert re.findall(r'href="([^"]+)"', explanation)[0] == page
    gated.open_page.click()
    assert links == [page]

    gated.panel.token.setText(TOKEN)
    gated.install_button.click()
    assert window.settings.hf_token == TOKEN
    qtbot.waitUntil(lambda: status(dialog, GATED_ID) == "Installed", timeout=INSTALL_WAIT)


def test_the_hubs_errors_are_shown_with_their_hint(
    make_window: Any, qtbot: Any, hub: StandInHub, message_boxes: Any,
) -> None:
    write_cached_catalog(hub_entry(TINY_ID, "atlasia/Terjman-Gone"))
    _, dialog = open_manager(make_window, qtbot)
    select(dialog, TINY_ID)
    dialog.buttons["install"].click()
    qtbot.waitUntil(lambda: bool(message_boxes.texts("warning")), timeout=INSTALL_WAIT)
    _, title, text = message_boxes.shown[-1]
    assert title == "Model not found on Hugging Face"
    assert "atlasia/Terjman-Gone" in text and "Check the name" in text
    assert status(dialog, TINY_ID) == "Can be installed"


def test_a_damaged_model_stays_visible_and_is_repaired_from_a_package_file(
    make_window: Any, qtbot: Any, marian_installed: Path, marian_package: Path,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = Store(tmp_path / "teacher").import_path(marian_package)
    shared = Store(tmp_path / "teacher").export(package.id, tmp_path)
    damage(marian_installed)
    window, dialog = open_manager(make_window, qtbot)
    assert window.panel.current_model() is None  # it cannot be used…
    assert status(dialog, "tiny-marian-f32").startswith("Damaged: ")  # …but it is shown
    select(dialog, "tiny-marian-f32")
    assert dialog.buttons["repair"].isEnabled() and dialog.buttons["delete"].isEnabled()
    assert not dialog.buttons["export"].isEnabled()
    assert "model.bin" in dialog.details.text()
    assert "imports it again from a model package file" in dialog.details.text()

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(shared), "")))
    dialog.buttons["repair"].click()
    qtbot.waitUntil(lambda: status(dialog, "tiny-marian-f32") == "Installed", timeout=WAIT)
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)


def test_a_damaged_catalog_model_is_repaired_by_installing_it_again(
    make_window: Any, qtbot: Any, hub: StandInHub,
) -> None:
    installed = install_entry(current().get(TINY_ID))
    damage(installed.path)
    _, dialog = open_manager(make_window, qtbot)
    select(dialog, TINY_ID)
    assert status(dialog, TINY_ID).startswith("Damaged: ")
    assert "installs it again from the catalog" in dialog.details.text()
    dialog.buttons["repair"].click()
    qtbot.waitUntil(lambda: status(dialog, TINY_ID) == "Installed", timeout=INSTALL_WAIT)
    assert Store().state(TINY_ID).ok


def test_damaged_and_unreadable_models_can_be_deleted_even_after_a_wait(
    make_window: Any, qtbot: Any, marian_installed: Path,
) -> None:
    damage(marian_installed)
    stray = paths.models_dir() / "left-by-hand"
    stray.mkdir()
    (stray / "notes.txt").write_text("no manifest here")
    _, dialog = open_manager(make_window, qtbot)
    assert status(dialog, "left-by-hand").startswith("Unreadable: ")

    # Another Terjman works on the model: the delete says it waits, and can stop waiting.
    with model_held(paths.models_dir(), "tiny-marian-f32"):
        select(dialog, "tiny-marian-f32")
        dialog.buttons["delete"].click()
        qtbot.waitUntil(lambda: status(dialog, "tiny-marian-f32").startswith("Waiting for "),
                        timeout=WAIT)
        assert dialog.buttons["cancel"].isEnabled()
        dialog.buttons["cancel"].click()
        qtbot.waitUntil(lambda: status(dialog, "tiny-marian-f32").startswith("Damaged: "),
                        timeout=WAIT)
    assert marian_installed.exists()

    select(dialog, "tiny-marian-f32")
    dialog.buttons["delete"].click()
    qtbot.waitUntil(lambda: dialog.table.item_for("tiny-marian-f32") is None, timeout=WAIT)
    assert not marian_installed.exists()
    select(dialog, "left-by-hand")
    dialog.buttons["delete"].click()
    qtbot.waitUntil(lambda: dialog.table.item_for("left-by-hand") is None, timeout=WAIT)
    assert not stray.exists()

