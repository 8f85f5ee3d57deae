"""History and phrasebook in the window: recorded, searchable, starred, kept across restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from terjman_desktop.core.history import History, Phrasebook

WAIT = 15_000


def translate(window: Any, qtbot: Any, text: str) -> None:
    panel = window.panel
    panel.source.setPlainText(text)
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.job.text == text
                    and not panel.controller.busy, timeout=WAIT)


def idle(window: Any, qtbot: Any) -> None:
    """Wait for the window's own history work (its first query creates the database)."""
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT)


def items(widget: Any) -> list[str]:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole).source_text
            for i in range(widget.count())]


def test_history_records_and_searches(make_window: Any, qtbot: Any,
                                      marian_installed: Path) -> None:
    window = make_window()
    translate(window, qtbot, "I want water.")
    translate(window, qtbot, "Hello my friend.")
    history = window.history
    qtbot.waitUntil(lambda: items(history.history_list) == ["Hello my friend.", "I want water."],
                    timeout=WAIT)
    history.history_search.setText("water")
    qtbot.waitUntil(lambda: items(history.history_list) == ["I want water."], timeout=WAIT)
    with History() as stored:
        assert [e.source_text for e in stored.search("")] == ["Hello my friend.",
                                                             "I want water."]


def test_history_can_be_turned_off(make_window: Any, qtbot: Any,
                                   marian_installed: Path) -> None:
    window = make_window()
    window.history.enabled_box.setChecked(False)
    assert window.settings.history_enabled is False
    translate(window, qtbot, "I want water.")
    qtbot.wait(100)
    idle(window, qtbot)
    with History() as stored:
        assert stored.count() == 0


def test_clear_history(make_window: Any, qtbot: Any, marian_installed: Path,
                       message_boxes: Any) -> None:
    window = make_window()
    translate(window, qtbot, "I want water.")
    qtbot.waitUntil(lambda: window.history.history_list.count() == 1, timeout=WAIT)
    window.history.clear_button.click()
    assert message_boxes.texts("question")
    qtbot.waitUntil(lambda: window.history.history_list.count() == 0, timeout=WAIT)


def test_star_saves_to_phrasebook_and_survives_restart(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    window = make_window()
    translate(window, qtbot, "I want water.")
    translation = window.panel.output.toPlainText()
    window.panel.star_button.click()
    qtbot.waitUntil(lambda: items(window.history.phrase_list) == ["I want water."],
                    timeout=WAIT)
    window.close()
    again = make_window()
    again.history.refresh()
    qtbot.waitUntil(lambda: items(again.history.phrase_list) == ["I want water."],
                    timeout=WAIT)
    entry = again.history.phrase_list.item(0).data(Qt.ItemDataRole.UserRole)
    assert (entry.translation, entry.source_language, entry.target_language) == (
        translation, "en", "ary")


def test_using_a_history_entry_loads_it(make_window: Any, qtbot: Any,
                                        marian_installed: Path) -> None:
    window = make_window()
    translate(window, qtbot, "I want water.")
    window.panel.source.clear()
    qtbot.waitUntil(lambda: window.history.history_list.count() == 1, timeout=WAIT)
    window.history.history_list.setCurrentRow(0)
    window.history.use_button.click()
    assert window.panel.source.toPlainText() == "I want water."


def test_phrasebook_export_and_import_csv(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, message_boxes: Any,
) -> None:
    window = make_window()
    idle(window, qtbot)
    with Phrasebook() as book:
        book.add("Good morning", "صباح الخير", "en", "ary")
    target = tmp_path / "phrases.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.history.export_csv_button.click()
    qtbot.waitUntil(lambda: target.exists() and bool(message_boxes.texts("information")),
                    timeout=WAIT)
    with Phrasebook() as book:
        book.remove(book.list()[0].id)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.history.import_csv_button.click()
    qtbot.waitUntil(lambda: items(window.history.phrase_list) == ["Good morning"],
                    timeout=WAIT)
    assert "1" in message_boxes.texts("information")[-1]


def test_phrasebook_export_for_anki(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, message_boxes: Any,
) -> None:
    window = make_window()
    idle(window, qtbot)
    with Phrasebook() as book:
        book.add("Good morning", "صباح الخير", "en", "ary")
    target = tmp_path / "deck.apkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    window.history.export_anki_button.click()
    qtbot.waitUntil(lambda: target.exists() and bool(message_boxes.texts("information")),
                    timeout=WAIT)
