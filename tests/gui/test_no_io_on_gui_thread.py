"""The GUI thread does no file I/O: settings saves, a CSV file's header and the accepted
licenses are read and written by operations on workers (each call records its thread)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.settings import load_settings
from terjman_desktop.gui.licenses import AcceptedLicenses
from terjman_desktop.gui.operations import documents
from terjman_desktop.gui.operations import settings as settings_ops
from tests.gui.threads import ThreadLog

WAIT = 15_000


@pytest.fixture
def log(monkeypatch: pytest.MonkeyPatch) -> ThreadLog:
    return ThreadLog(monkeypatch)


def test_settings_are_saved_off_the_gui_thread(make_window: Any, qtbot: Any,
                                               log: ThreadLog) -> None:
    log.watch(settings_ops, "save_settings")
    window = make_window()
    new = load_settings()
    new.font_size = 21
    window.apply_settings(new)  # at once
    qtbot.waitUntil(lambda: load_settings().font_size == 21, timeout=WAIT)
    window.zoom(1)  # debounced
    qtbot.waitUntil(lambda: load_settings().font_size == 22, timeout=WAIT)
    assert log.count("save_settings") == 2
    window.resize(640, 480)
    window.close()  # waits for its last save
    assert log.count("save_settings") == 3
    assert load_settings().window_geometry
    assert log.off_gui_thread("save_settings")


def test_a_failed_save_at_close_is_still_shown(make_window: Any, message_boxes: Any) -> None:
    window = make_window()
    window.settings.catalog_url = "not a url"  # invalid: the save refuses it
    window.close()
    assert "catalog_url" in message_boxes.shown[-1][2]


def test_a_csv_header_is_read_off_the_gui_thread(make_window: Any, qtbot: Any, tmp_path: Path,
                                                 log: ThreadLog) -> None:
    from terjman_desktop.gui.document_dialog import DocumentDialog

    log.watch(documents, "csv_columns")
    table = tmp_path / "words.csv"
    table.write_text("id,english\n1,water\n", encoding="utf-8")
    window = make_window()
    window.open_document_dialog()
    dialog = window.findChild(DocumentDialog)
    dialog.set_input(table)
    qtbot.waitUntil(lambda: dialog.column_combo.count() == 2, timeout=WAIT)
    assert log.off_gui_thread("csv_columns")


def test_an_unreadable_csv_header_says_why(make_window: Any, qtbot: Any, tmp_path: Path,
                                           message_boxes: Any) -> None:
    from terjman_desktop.gui.document_dialog import DocumentDialog

    window = make_window()
    window.open_document_dialog()
    dialog = window.findChild(DocumentDialog)
    dialog.set_input(tmp_path / "missing.csv")
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=WAIT)
    assert dialog.translate_button.isEnabled()
    assert dialog.column_combo.count() == 0


def test_licenses_are_read_and_remembered_off_the_gui_thread(
    make_window: Any, qtbot: Any, log: ThreadLog, message_boxes: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from terjman_desktop.gui import model_manager
    from terjman_desktop.gui.install_job import InstallJob

    log.watch(AcceptedLicenses, "read")
    log.watch(AcceptedLicenses, "remember")
    started: list[str] = []

    def start_install(_ops: Any, entry: Any, **_: Any) -> InstallJob:
        started.append(entry.id)
        return InstallJob(entry)

    monkeypatch.setattr(model_manager, "start_install", start_install)
    window = make_window()
    window.open_model_manager()
    dialog = window.model_manager
    qtbot.waitUntil(lambda: dialog.catalog is not None, timeout=WAIT)
    entry = dialog.catalog.get("terjman-nano-v1-int8")
    dialog.install(entry)
    assert started == [entry.id]
    assert "cc-by-nc-4.0" in message_boxes.texts("question")[-1]  # asked once
    remembered = window.context.licenses.path
    qtbot.waitUntil(lambda: remembered.is_file() and entry.id in remembered.read_text("utf-8"),
                    timeout=WAIT)
    dialog.installs.clear()
    dialog.install(entry)  # accepted: not asked again
    assert len(message_boxes.texts("question")) == 1
    assert log.count("remember") == 1
    assert log.off_gui_thread("read") and log.off_gui_thread("remember")
