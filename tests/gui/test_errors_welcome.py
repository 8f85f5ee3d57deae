"""Errors become messages that say what to do; the first run welcomes and offers models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from terjman_desktop.core import errors as core_errors
from terjman_desktop.core.store import Store
from terjman_desktop.gui import errors, welcome
from terjman_desktop.gui.task_runner import TaskRunner

WAIT = 15_000


@pytest.mark.parametrize(
    ("error", "hint"),
    [
        (core_errors.PackageError("The package is damaged.", hint="Import it again."),
         "Import it again."),
        (core_errors.AccessDeniedError("HTTP 401 from the Hub."), "Hugging Face token"),
        (core_errors.DiskSpaceError("Only 10 MB left."), "Free some disk space"),
        (core_errors.ModelNotFoundError("No model 'x'."), "Manage models"),
        (core_errors.TerjmanError("Odd."), "Try again"),
        (MemoryError(), "smaller model"),
    ],
)
def test_describe_says_what_to_do(error: BaseException, hint: str) -> None:
    message = errors.describe(error)
    assert message.title
    assert hint in message.hint


def test_unexpected_error_points_to_the_log() -> None:
    message = errors.describe(RuntimeError("boom"))
    assert "boom" in message.text
    assert "log" in message.hint
    assert not message.warning


def test_show_error_uses_a_message_box_with_the_hint(qtbot: Any, message_boxes: Any) -> None:
    errors.show_error(None, core_errors.StoreError("Cannot write.", hint="Check the folder."))
    kind, title, text = message_boxes.shown[-1]
    assert kind == "warning"
    assert title == "Model store problem"
    assert text == "Cannot write.\n\nCheck the folder."


def test_worker_error_reaches_a_dialog(qtbot: Any, message_boxes: Any) -> None:
    runner = TaskRunner(default_error=lambda e: errors.show_error(None, e))

    def fail(_: Any) -> None:
        raise core_errors.EngineError("The model crashed.", hint="Re-install it.")

    runner.run_in_background(fail)
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=WAIT)
    assert "Re-install it." in message_boxes.shown[-1][2]
    runner.shutdown()


def test_translation_error_from_the_worker_is_shown(
    make_window: Any, qtbot: Any, marian_installed: Path, message_boxes: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from terjman_desktop.core.engine import Translator

    def broken(*_: Any, **__: Any) -> Any:
        raise core_errors.EngineError("CTranslate2 failed.", hint="Verify the model.")

    monkeypatch.setattr(Translator, "translate_many", broken)
    panel = make_window().panel
    panel.source.setPlainText("Hello")
    panel.translate_now()
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=WAIT)
    assert message_boxes.shown[-1][2] == "CTranslate2 failed.\n\nVerify the model."
    assert panel.busy_bar.isHidden()


def test_welcome_when_no_model(make_window: Any, qtbot: Any,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: False)
    window = make_window(first_run_check=True)
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible(),
                    timeout=WAIT)
    dialog = window.welcome
    qtbot.waitUntil(lambda: dialog.online is False, timeout=WAIT)
    assert "offline" in dialog.status.text()
    assert not dialog.download_button.isEnabled()
    assert dialog.import_file_button.isEnabled()
    dialog.reject()


def test_no_welcome_with_a_model(make_window: Any, marian_installed: Path) -> None:
    window = make_window(first_run_check=True)
    assert window.welcome is None


def test_welcome_online_but_nothing_to_download(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: True)
    runner = TaskRunner()
    dialog = welcome.WelcomeDialog(runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.online is True, timeout=WAIT)
    # The bundled catalog has no released model yet: say so, offer the import.
    assert "import" in dialog.status.text().lower()
    runner.shutdown()


def test_welcome_imports_from_usb_stick(
    make_window: Any, qtbot: Any, tmp_path: Path, marian_package: Path,
    monkeypatch: pytest.MonkeyPatch, message_boxes: Any,
) -> None:
    # Make a package zip the way a teacher would share one.
    source_store = Store(tmp_path / "teacher-store")
    source_store.import_path(marian_package)
    stick = tmp_path / "usb"
    stick.mkdir()
    package = source_store.export("tiny-marian-f32", stick)

    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: False)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(package), "")))
    window = make_window(first_run_check=True)
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible(),
                    timeout=WAIT)
    window.welcome.import_file_button.click()
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=WAIT)
    assert window.panel.current_model().id == "tiny-marian-f32"
    assert not window.welcome.isVisible()
