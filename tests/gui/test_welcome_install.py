"""The first start: the welcome installs the recommended model from the (stand-in) Hub.

Real widgets, the real store, the real downloader and converter, the tests' trained tiny
Marian checkpoint on a stand-in Hugging Face Hub reached through ``HF_ENDPOINT``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QDesktopServices

from terjman_desktop.core import paths
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.settings import load_settings
from terjman_desktop.gui import welcome
from terjman_desktop.gui.model_table import STATUS_COLUMN
from tests.core.hub_server import StandInHub
from tests.gui.hub_helpers import (
    GATED_REPO,
    REPO,
    TINY_ID,
    TOKEN,
    ConversionGate,
    hub_entry,
    without_tokens,
    write_cached_catalog,
)

pytestmark = pytest.mark.slow
WAIT = 15_000
INSTALL_WAIT = 120_000  # download and conversion on a loaded 2-core machine



@pytest.fixture
def links(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Addresses the app asked the browser to open."""
    opened: list[str] = []

    def open_url(url: Any) -> bool:
        opened.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return opened


def open_welcome(make_window: Any, qtbot: Any) -> tuple[Any, welcome.WelcomeDialog]:
    window = make_window(first_run_check=True)
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible(),
                    timeout=WAIT)
    dialog = window.welcome
    assert isinstance(dialog, welcome.WelcomeDialog)
    qtbot.waitUntil(lambda: dialog.catalog_loaded and dialog.online is not None, timeout=WAIT)
    return window, dialog


def damage(folder: Path) -> None:
    """A file one byte longer than its manifest says, as a bad copy leaves it."""
    with (folder / "model.bin").open("ab") as handle:
        handle.write(b"x")


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def plain(text: str) -> str:
    """Label text without the direction isolates around names and sizes."""
    return text.replace("\u2068", "").replace("\u2069", "")


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_welcome_installs_the_recommended_model_and_the_window_translates(
    make_window: Any, qtbot: Any, hub: StandInHub, gate: ConversionGate,
) -> None:
    window, dialog = open_welcome(make_window, qtbot)
    assert dialog.online is True
    assert plain(dialog.model_label.text()).startswith("Terjman Tiny v1 — English → Darija")
    sizes = plain(dialog.sizes_label.text())
    assert "Download: ≈ 1.0 MB" in sizes and "on this computer: ≈ 400.0 KB" in sizes
    license_text = plain(dialog.license_label.text())
    assert "cc-by-nc-4.0" in license_text and "Tiny Terjman by the test suite." in license_text
    assert "converted on this computer" in dialog.how_label.text()
    assert dialog.install_button.text() == "&Install Terjman Tiny"
    assert dialog.install_button.isDefault()

    dialog.install_button.click()
    qtbot.waitUntil(lambda: "Converting on this computer" in dialog.install_status.text(),
                    timeout=INSTALL_WAIT)
    assert dialog.cancel_button.isVisible() and dialog.progress.isVisible()
    assert not dialog.install_button.isEnabled()
    gate.open()
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=INSTALL_WAIT)
    assert window.panel.current_model().id == TINY_ID
    assert not dialog.isVisible()
    manifest = json.loads((paths.models_dir() / TINY_ID / "terjman-model.json").read_text())
    assert manifest["source"]["repo"] == REPO
    assert manifest["source"]["commit"] == hub.head(REPO)

    panel = window.panel
    panel.source.setPlainText("I eat the bread.")
    panel.translate_now()
    qtbot.waitUntil(lambda: is_arabic(panel.output.toPlainText()), timeout=WAIT)


def test_cancel_during_the_conversion_leaves_nothing_and_a_retry_installs(
    make_window: Any, qtbot: Any, hub: StandInHub, gate: ConversionGate,
) -> None:
    window, dialog = open_welcome(make_window, qtbot)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: "Converting on this computer" in dialog.install_status.text(),
                    timeout=INSTALL_WAIT)
    downloads = len(hub.cdn_requests)
    dialog.cancel_button.click()
    gate.open()  # the conversion starts, sees the cancel and stops
    qtbot.waitUntil(lambda: dialog.job is None, timeout=INSTALL_WAIT)
    assert "cancelled" in dialog.install_status.text()
    assert dialog.isVisible() and dialog.install_button.isEnabled()
    assert not dialog.cancel_button.isVisible()
    assert Store().entries() == []
    assert not (paths.models_dir() / TINY_ID).exists()

    dialog.install_button.click()  # the retry converts the download that was kept
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=INSTALL_WAIT)
    assert window.panel.current_model().id == TINY_ID
    assert len(hub.cdn_requests) == downloads


def test_an_error_says_what_to_do_and_the_retry_installs(
    make_window: Any, qtbot: Any, hub: StandInHub, marian_checkpoint: Path,
) -> None:
    missing = "atlasia/Terjman-Tiny-Moved"
    write_cached_catalog(hub_entry(TINY_ID, missing, recommended=True))
    window, dialog = open_welcome(make_window, qtbot)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.install_button.isEnabled(),
                    timeout=INSTALL_WAIT)
    shown = dialog.install_status.text()
    assert shown.startswith("Model not found on Hugging Face")
    assert missing in shown and "Check the name" in shown
    assert dialog.install_button.text() == "Try &again"

    hub.add_repo(missing, {p.name: p.read_bytes() for p in marian_checkpoint.iterdir()
                           if p.is_file()})
    dialog.install_button.click()
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=INSTALL_WAIT)


def test_a_model_the_hub_gates_explains_access_and_installs_with_the_pasted_token(
    make_window: Any, qtbot: Any, hub: StandInHub, links: list[str],
) -> None:
    # The catalog does not know that the repository is gated: the Hub says so.
    write_cached_catalog(hub_entry(TINY_ID, GATED_REPO, recommended=True))
    window, dialog = open_welcome(make_window, qtbot)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.install_button.isEnabled(),
                    timeout=INSTALL_WAIT)
    assert dialog.install_status.text().startswith("This model is gated")
    assert dialog.access.isVisible()
    page = f"{hub.url}/{GATED_REPO}"
    explanation = dialog.access.explanation.text()
    assert "accept their conditions" in explanation
    assert hrefs(explanation) == [page, f"{hub.url}/settings/tokens"]
    dialog.access.explanation.linkActivated.emit(page)
    assert links == [page]

    dialog.access.token.setText(f"  {TOKEN} ")
    dialog.access.save_button.click()
    assert window.settings.hf_token == TOKEN
    qtbot.waitUntil(lambda: load_settings().hf_token == TOKEN, timeout=WAIT)
    dialog.install_button.click()
    qtbot.waitUntil(lambda: window.panel.current_model() is not None, timeout=INSTALL_WAIT)


def test_newer_gated_models_are_explained_with_a_link_to_their_page(
    make_window: Any, qtbot: Any, hub: StandInHub, links: list[str],
) -> None:
    _, dialog = open_welcome(make_window, qtbot)
    assert not dialog.access.isVisible()
    assert "Terjman Tiny v2.0" in plain(dialog.access_button.text())
    dialog.access_button.click()
    assert dialog.access.isVisible()
    assert "No token is set yet." in dialog.access.state.text()
    assert hrefs(dialog.access.explanation.text())[0] == f"{hub.url}/{GATED_REPO}"
    dialog.access.token.setText("not a token")
    dialog.access.save_button.click()
    assert "not a token" in dialog.access.state.text()
    assert load_settings().hf_token == ""


def test_the_bundled_catalog_offers_terjman_nano(
    make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: True)
    _, dialog = open_welcome(make_window, qtbot)
    assert plain(dialog.model_label.text()).startswith("Terjman Nano v1")
    assert "Download: ≈ " in plain(dialog.sizes_label.text())
    assert dialog.install_button.text() == "&Install Terjman Nano"
    assert dialog.install_button.isEnabled()
    assert "You are online" in dialog.status.text()
    assert "Terjman Nano v2.0" in plain(dialog.access_button.text())  # the gated one


def test_a_catalog_without_installable_models_points_to_the_other_ways(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, context: Any,
) -> None:
    entry = hub_entry(TINY_ID, REPO)
    del entry["source"]  # neither a released package nor a Hub source: not installable
    write_cached_catalog(entry)
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: True)
    dialog = welcome.WelcomeDialog(context)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.online is True, timeout=WAIT)
    assert dialog.offer.isHidden()
    assert "model manager" in dialog.status.text() and "import" in dialog.status.text()
    assert dialog.import_file_button.isDefault()


def test_the_welcome_points_to_a_damaged_model(
    make_window: Any, qtbot: Any, marian_installed: Path, monkeypatch: pytest.MonkeyPatch,
    terjman_home: Path,
) -> None:
    without_tokens(monkeypatch, terjman_home)
    monkeypatch.setattr(welcome, "probe_online", lambda *a, **k: False)
    damage(marian_installed)
    window = make_window(first_run_check=True)
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible(),
                    timeout=WAIT)
    dialog = window.welcome
    qtbot.waitUntil(dialog.damaged_label.isVisible, timeout=WAIT)
    assert "Tiny test model tiny-marian-f32" in dialog.damaged_label.text()
    dialog.choose_button.click()
    qtbot.waitUntil(lambda: window.model_manager is not None
                    and window.model_manager.catalog is not None, timeout=WAIT)
    assert window.model_manager.table.item_for("tiny-marian-f32").text(STATUS_COLUMN).startswith(
        "Damaged: ")

