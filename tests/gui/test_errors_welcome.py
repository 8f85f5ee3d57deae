"""Errors become messages that say what to do; the first run welcomes and offers models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from terjman_desktop.core import errors as core_errors
from terjman_desktop.core.models.store.store import Store
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
        (core_errors.HubUnreachableError("No answer."), "Check the internet connection"),
        (core_errors.GatedRepoError("x is gated."), "access token"),
        (core_errors.HubAccessError("Refused."), "token"),
        (core_errors.RateLimitedError("HTTP 429."), "Wait a few minutes"),
        (core_errors.ConversionError("Odd weights."), "converted model package"),
        (core_errors.LocationError("TERJMAN_HOME is a file."), "TERJMAN_HOME"),
    ],
)
def test_describe_says_what_to_do(error: BaseException, hint: str) -> None:
    message = errors.describe(error)
    assert message.title
    assert hint in message.hint


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (core_errors.GatedRepoError("x"), "This model is gated"),
        (core_errors.HubAccessError("x"), "Hugging Face refused access"),
        (core_errors.RepoNotFoundError("x"), "Model not found on Hugging Face"),
        (core_errors.RevisionNotFoundError("x"), "Model version not found on Hugging Face"),
        (core_errors.EntryNotFoundError("x"), "A file of the model is missing on Hugging Face"),
        (core_errors.DisabledRepoError("x"), "Model disabled on Hugging Face"),
        (core_errors.HubUnreachableError("x"), "Hugging Face cannot be reached"),
        (core_errors.HubResponseError("x"), "Unexpected answer from Hugging Face"),
        (core_errors.HubError("x"), "Hugging Face problem"),
        (core_errors.AccessDeniedError("x"), "Access denied"),
        (core_errors.DownloadError("x"), "Download failed"),
    ],
)
def test_hub_errors_have_their_own_titles(error: BaseException, title: str) -> None:
    """The Hub's errors are also download errors: the most specific title wins."""
    assert errors.describe(error).title == title


def test_a_hub_error_keeps_the_hint_the_core_gave() -> None:
    error = core_errors.GatedRepoError(
        "atlasia/X is gated.", hint="Accept its conditions at https://huggingface.co/atlasia/X.")
    message = errors.describe(error)
    assert message.hint == "Accept its conditions at https://huggingface.co/atlasia/X."


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
    from terjman_desktop.core.translate.engine import Translator

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
    assert dialog.import_file_button.isEnabled() and dialog.import_file_button.isDefault()
    dialog.reject()


def test_no_welcome_with_a_model(make_window: Any, marian_installed: Path) -> None:
    window = make_window(first_run_check=True)
    assert window.welcome is None


def test_welcome_online_offers_the_recommended_model(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, context: Any
) -> None:
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: True)
    dialog = welcome.WelcomeDialog(context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.online is True, timeout=WAIT)
    # Every Terjman model installs from the Hub now: no "nothing can be downloaded yet".
    assert "yet" not in dialog.status.text()
    assert dialog.install_button.isEnabled()
    assert dialog.import_file_button.isEnabled()


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


def test_the_settings_token_field_says_where_a_token_comes_from(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terjman_desktop.core.settings import Settings
    from terjman_desktop.gui.settings_dialog import SettingsDialog

    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    text = dialog.token_help.text()
    assert "gated" in text and "accept the model's conditions" in text
    assert 'href="https://huggingface.co/settings/tokens"' in text
    assert dialog.token_help.openExternalLinks()
