"""Share with the classroom: the switch serves the app's own model to phones, stops in one click."""

from __future__ import annotations

import json
import socket
import threading
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.translate import Direction, TranslationOptions, Translator

WAIT = 30_000


def _post_in_background(port: int, payload: dict[str, Any]) -> dict[str, Any]:
    """POST /translate from another thread (the GUI thread must keep running meanwhile)."""
    box: dict[str, Any] = {}

    def call() -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/translate",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                box["body"] = json.loads(response.read())
        except Exception as error:  # reported by the test's assertion
            box["error"] = error

    threading.Thread(target=call, daemon=True).start()
    return box


def _open_sharing(window: Any, qtbot: Any, key: str = "") -> Any:
    window.actions_.share.trigger()
    dialog = window.sharing
    assert dialog is not None and dialog.isVisible()
    assert not dialog.sharing and not dialog.url_label.isVisible()
    dialog.key_edit.setText(key)
    dialog.switch.setChecked(True)
    qtbot.waitUntil(lambda: dialog.sharing or not dialog.switch.isChecked(), timeout=WAIT)
    assert dialog.sharing, dialog.status.text()
    return dialog


def test_sharing_serves_the_apps_own_model(
    make_window: Any, qtbot: Any, nllb_installed: Path, nllb_package: Path
) -> None:
    window = make_window()
    panel = window.panel
    panel.source.setPlainText("We want the book today.")
    panel.translate_now()
    qtbot.waitUntil(lambda: bool(panel.output.toPlainText()), timeout=WAIT)
    loaded = list(window.runner._models._items.values())  # the panel's translator
    assert len(loaded) == 1

    dialog = _open_sharing(window, qtbot, key="room-12")
    server = dialog.shared.server
    assert server.shared and server.config.host == "0.0.0.0"
    assert dialog.shared.url.endswith("/#key=room-12")
    assert dialog.url_label.isVisible() and not dialog.qr_label.pixmap().isNull()
    assert dialog.qr_label.pixmap().width() >= 200  # big enough to scan from a desk

    text = "The milk is good."
    box = _post_in_background(
        server.port, {"q": text, "source": "en", "target": "ary", "api_key": "room-12"}
    )
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    assert "error" not in box, box
    expected = Translator(nllb_package, device="cpu", threads=1).translate(
        text, Direction("en", "ary"), TranslationOptions.for_quality(window.settings.quality)
    )
    assert box["body"]["translatedText"] == expected.text
    # No second copy: the app's model cache still holds the panel's translator, and only it
    # (serving another model or thread count would have replaced it).
    assert list(window.runner._models._items.values()) == loaded
    qtbot.waitUntil(lambda: "1 translations" in dialog.status.text(), timeout=WAIT)

    # The teacher changes the thread count: the panel loads the model anew, and sharing
    # follows it instead of loading the old one back.
    from dataclasses import replace

    window.apply_settings(replace(window.settings, threads=window.settings.threads + 1))
    models = window.runner._models._items
    qtbot.waitUntil(lambda: len(models) == 1 and list(models.values()) != loaded, timeout=WAIT)
    reloaded = list(models.values())
    box = _post_in_background(
        server.port, {"q": "Good morning.", "source": "en", "target": "ary", "api_key": "room-12"}
    )
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    assert "body" in box, box
    assert list(models.values()) == reloaded

    dialog.stop_button.click()  # one click
    assert not dialog.sharing and not server.running and not dialog.switch.isChecked()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", server.port), timeout=5).close()


def test_closing_the_window_stops_sharing(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    window = make_window()
    dialog = _open_sharing(window, qtbot)
    server = dialog.shared.server
    box = _post_in_background(server.port, {"q": "Hello.", "source": "en", "target": "ary"})
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT)
    assert "body" in box, box
    window.close()
    assert not server.running


def test_no_model_no_sharing(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.open_sharing()
    dialog = window.sharing
    dialog.switch.setChecked(True)
    assert not dialog.sharing and not dialog.switch.isChecked()
    assert "model" in dialog.status.text()


def test_no_network_is_said(
    make_window: Any, qtbot: Any, nllb_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terjman_desktop.serve import server as server_module

    monkeypatch.setattr(server_module, "lan_addresses", list)  # a computer on no network
    window = make_window()
    dialog = _open_sharing(window, qtbot)
    assert "no network" in dialog.status.text()
    assert dialog.shared.url.startswith("http://127.0.0.1:")
    dialog.stop_button.click()
