"""What a learner does in the app (issue 18): the direction picks itself, Arabizi is converted,
a sentence is saved, a translation is corrected, alternatives update the history, Escape, the
help page and the catalog refresh offline — real widgets, real SQLite, real tiny models."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QKeySequence, QTextCursor

from terjman_desktop.core.history import History, Phrasebook
from terjman_desktop.core.translate import Script, arabizi_to_arabic
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.gui.direction_indicator import at_word_boundary
from terjman_desktop.gui.text_patch import qt_position

WAIT = 15_000


def reference(package: Path, text: str, source: str = "en", target: str = "ary") -> str:
    translator = Translator(package, device="cpu", threads=1)
    options = TranslationOptions.for_quality("balanced")
    return translator.translate(text, Direction(source, target), options).text


def settled(panel: Any, qtbot: Any, text: str) -> None:
    """Wait for the refined translation of ``text`` (what goes to the model)."""
    qtbot.waitUntil(
        lambda: (
            panel.result is not None
            and panel.result.job.text == text
            and not panel.result.draft
            and not panel.controller.busy
        ),
        timeout=WAIT,
    )


def idle(window: Any, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT)


def test_arabizi_flips_the_direction_at_a_word_boundary_and_is_converted(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    window = make_window()
    panel = window.panel
    assert panel.direction == ("en", "ary")
    flips: list[tuple[str, int]] = []
    panel.direction_changed.connect(
        lambda *_: flips.append((panel.source.toPlainText(), panel.source.textCursor().position()))
    )
    panel.source.setFocus()
    qtbot.keyClicks(panel.source, "wach")
    assert panel.direction == ("en", "ary")  # mid-word: no flip yet
    qtbot.keyClicks(panel.source, " nta mzyan?")
    assert panel.direction == ("ary", "en")
    # It flipped once, right after the space that ended "wach" — never inside a word.
    assert flips == [("wach ", 5)]
    assert all(at_word_boundary(text, caret) for text, caret in flips)
    assert panel.input_kind is Script.ARABIZI
    assert "Arabizi" in panel.indicator.label.text()
    # The Arabizi stays left to right; its Arabic-script form is shown and translated.
    assert panel.source.document().defaultTextOption().textDirection() == (
        Qt.LayoutDirection.LeftToRight
    )
    assert panel.converted.isVisible()
    arabic = arabizi_to_arabic("wach nta mzyan?")
    assert panel.converted.toPlainText() == arabic
    settled(panel, qtbot, arabic)
    assert panel.output.toPlainText() == reference(nllb_installed, arabic, "ary", "en")


def test_a_pause_in_a_word_counts_as_a_boundary(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setFocus()
    qtbot.keyClicks(panel.source, "3afak")
    assert panel.direction == ("en", "ary")
    qtbot.waitUntil(lambda: panel.direction == ("ary", "en"), timeout=WAIT)
    settled(panel, qtbot, arabizi_to_arabic("3afak"))


def test_the_arabic_form_can_be_corrected_and_stays_corrected(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setPlainText("bghit nmchi l souk")
    assert panel.converting
    assert panel.converted.toPlainText() == arabizi_to_arabic("bghit nmchi l souk")
    fixed = "بغيت نمشي للسوق"
    panel.converted.setPlainText(fixed)  # the person's correction
    settled(panel, qtbot, fixed)
    assert panel.output.toPlainText() == reference(nllb_installed, fixed, "ary", "en")
    # Typing on (a new line) keeps the corrected line as corrected.
    cursor = panel.source.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    panel.source.setTextCursor(cursor)
    qtbot.keyClick(panel.source, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.source, "3afak ")
    assert panel.converted.toPlainText() == fixed + "\n" + arabizi_to_arabic("3afak ")


def test_one_click_override_and_detect_again(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setPlainText("Rabat Casablanca")
    assert panel.input_kind is Script.ENGLISH and panel.direction == ("en", "ary")
    assert "English" in panel.indicator.label.text()
    assert panel.indicator.button.isVisible()
    qtbot.mouseClick(panel.indicator.button, Qt.MouseButton.LeftButton)
    assert panel.direction == ("ary", "en") and panel.input_kind is Script.ARABIZI
    assert panel.converted.toPlainText() == arabizi_to_arabic("Rabat Casablanca")
    settled(panel, qtbot, arabizi_to_arabic("Rabat Casablanca"))
    # The choice holds while the person types, even English-looking words.
    cursor = panel.source.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    panel.source.setTextCursor(cursor)
    qtbot.keyClicks(panel.source, " the water ")
    assert panel.direction == ("ary", "en")
    # One click again: the direction picks itself from the text.
    qtbot.mouseClick(panel.indicator.button, Qt.MouseButton.LeftButton)
    assert panel.direction == ("en", "ary") and not panel.converted.isVisible()
    # Swap is a choice too; a new text (after the old one is emptied) is detected again.
    settled(panel, qtbot, "Rabat Casablanca the water ")
    panel.swap()
    assert panel.indicator.chosen
    panel.source.clear()
    assert not panel.indicator.chosen
    panel.source.setPlainText("سلام")
    assert panel.direction == ("ary", "en") and panel.input_kind is Script.ARABIC


def _select_output(panel: Any, start: int, end: int) -> None:
    text = panel.output.toPlainText()
    cursor = panel.output.textCursor()
    cursor.setPosition(qt_position(text, start))
    cursor.setPosition(qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
    panel.output.setTextCursor(cursor)


def test_star_saves_the_selected_sentence_not_the_whole_text(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    window = make_window()
    panel = window.panel
    panel.source.setPlainText("Hello my friend. I want water.")
    panel.translate_now()
    settled(panel, qtbot, "Hello my friend. I want water.")
    line = panel.result.lines[0]
    assert len(line.spans) == 2
    second = line.spans[1]
    _select_output(panel, second.start + 1, second.end - 1)  # inside the second sentence
    panel.star_button.click()
    qtbot.waitUntil(lambda: window.history.phrase_list.count() == 1, timeout=WAIT)
    with Phrasebook() as book:
        (entry,) = book.list()
    assert entry.source_text == "I want water."
    assert entry.translation == line.text[second.start : second.end].strip()
    # A selection in the text does the same for the sentence it touches.
    cursor = panel.source.textCursor()
    cursor.setPosition(2)
    cursor.setPosition(5, QTextCursor.MoveMode.KeepAnchor)
    panel.source.setTextCursor(cursor)
    _select_output(panel, 0, 0)
    qtbot.keyClick(panel.source, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.history.phrase_list.count() == 2, timeout=WAIT)
    with Phrasebook() as book:
        assert {e.source_text for e in book.list()} == {"Hello my friend.", "I want water."}


def _click_sentence(panel: Any, qtbot: Any, line: int, sentence: int) -> None:
    span = panel.result.lines[line].spans[sentence]
    offset = panel.result.offset(line)
    cursor = panel.output.textCursor()
    cursor.setPosition(qt_position(panel.result.text, offset + (span.start + span.end) // 2))
    point: QPoint = panel.output.cursorRect(cursor).center()
    qtbot.mouseClick(panel.output.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: bool(panel.alternatives.options()), timeout=WAIT)


def test_picking_an_alternative_updates_the_history_entry(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    window = make_window()
    panel = window.panel
    panel.source.setPlainText("Hello my friend. I want water.")
    panel.translate_now()
    settled(panel, qtbot, "Hello my friend. I want water.")
    qtbot.waitUntil(lambda: window.history.history_list.count() == 1, timeout=WAIT)
    _click_sentence(panel, qtbot, 0, 1)
    choice = panel.alternatives.options()[0]
    panel.alternatives.list.itemClicked.emit(panel.alternatives.list.item(0))
    assert panel.output.toPlainText().endswith(choice)
    idle(window, qtbot)
    with History() as history:
        entries = history.search()
    assert len(entries) == 1  # the same entry, not a near-duplicate
    assert entries[0].translation == panel.output.toPlainText()


def test_escape_closes_the_alternatives(make_window: Any, qtbot: Any, nllb_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    panel.source.setPlainText("Hello my friend. I want water.")
    panel.translate_now()
    settled(panel, qtbot, "Hello my friend. I want water.")
    window.activateWindow()
    _click_sentence(panel, qtbot, 0, 0)
    assert panel.output.hasFocus() and panel.alternatives.isVisible()
    qtbot.keyClick(panel.output, Qt.Key.Key_Escape)
    assert panel.alternatives.isHidden()
    assert panel.output.selected is None


def test_in_classroom_mode_the_alternatives_never_cover_the_text(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    window = make_window()
    panel = window.panel
    text = " ".join(["Hello my friend. I want water."] * 6)
    panel.source.setPlainText(text)
    panel.translate_now()
    settled(panel, qtbot, text)
    window.set_classroom(True)
    qtbot.waitUntil(lambda: window.isFullScreen() or panel.classroom, timeout=WAIT)
    last = len(panel.result.lines[0].spans) - 1
    _click_sentence(panel, qtbot, 0, last)

    def area(widget: Any) -> QRect:
        return QRect(widget.mapTo(panel, QPoint(0, 0)), widget.size())

    start, _ = panel.result.span_range(0, last)
    cursor = QTextCursor(panel.output.document())
    cursor.setPosition(qt_position(panel.result.text, start))

    def sentence_in_view() -> bool:
        return panel.output.viewport().rect().contains(panel.output.cursorRect(cursor).center())

    # Once the layout has made room for the box (on a later turn of the event loop): the
    # box and the translation do not overlap, and the sentence it is for is in view.
    qtbot.waitUntil(sentence_in_view, timeout=WAIT)
    assert panel.alternatives.isVisible()
    assert not area(panel.alternatives).intersects(area(panel.output))
    assert panel.alternatives.list.font().pointSize() < panel.output.font().pointSize()
    # Escape closes the box first; the next Escape leaves classroom mode.
    qtbot.keyClick(panel.output, Qt.Key.Key_Escape)
    assert panel.alternatives.isHidden() and panel.classroom
    qtbot.keyClick(panel.output, Qt.Key.Key_Escape)
    assert not panel.classroom


def test_a_correction_is_the_persons_own_in_the_history_and_phrasebook(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    window = make_window()
    panel = window.panel
    panel.source.setPlainText("I want water.")
    panel.translate_now()
    settled(panel, qtbot, "I want water.")
    qtbot.waitUntil(lambda: window.history.history_list.count() == 1, timeout=WAIT)
    window.activateWindow()
    panel.source.setFocus()
    qtbot.keyClick(panel.source, Qt.Key.Key_F2)
    assert panel.output.correcting and not panel.output.isReadOnly()
    assert panel.correct_button.isChecked() and panel.correction_hint.isVisible()
    # Escape cancels: the model's translation is back.
    machine = panel.result.text
    panel.output.selectAll()
    qtbot.keyClicks(panel.output, "x")
    qtbot.keyClick(panel.output, Qt.Key.Key_Escape)
    assert not panel.output.correcting and panel.output.toPlainText() == machine
    # Correct for real: Enter saves (and types no line break).
    panel.correct_button.click()
    panel.output.selectAll()
    qtbot.keyClick(panel.output, Qt.Key.Key_Delete)
    panel.output.insertPlainText("بغيت الما")  # typed with an Arabic keyboard
    qtbot.keyClick(panel.output, Qt.Key.Key_Return)
    assert not panel.output.correcting and panel.output.isReadOnly()
    assert panel.output.toPlainText() == "بغيت الما"
    assert panel.result.own
    qtbot.waitUntil(lambda: window.history.phrase_list.count() == 1, timeout=WAIT)
    idle(window, qtbot)
    with History() as history:
        entries = history.search()
    assert [(e.source_text, e.translation, e.own) for e in entries] == [
        ("I want water.", "بغيت الما", True)
    ]
    with Phrasebook() as book:
        (phrase,) = book.list()
    assert (phrase.source_text, phrase.translation, phrase.own) == (
        "I want water.",
        "بغيت الما",
        True,
    )
    assert "own" in window.history.history_list.item(0).text()
    # Starred again from the history, it is still marked as the person's own.
    with Phrasebook() as book:
        book.remove(phrase.id)
    window.history.refresh()
    qtbot.waitUntil(lambda: window.history.phrase_list.count() == 0, timeout=WAIT)
    window.history.history_list.setCurrentRow(0)
    window.history.star_button.click()
    qtbot.waitUntil(lambda: window.history.phrase_list.count() == 1, timeout=WAIT)
    with Phrasebook() as book:
        assert [(e.translation, e.own) for e in book.list()] == [("بغيت الما", True)]
    # The correction stays on screen when the same text is translated again.
    panel.translate_now()
    settled(panel, qtbot, "I want water.")
    assert panel.output.toPlainText() == "بغيت الما"


def test_typing_into_the_translation_starts_a_correction(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setPlainText("I want water.")
    panel.translate_now()
    settled(panel, qtbot, "I want water.")
    machine = panel.result.text
    cursor = panel.output.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    panel.output.setTextCursor(cursor)
    qtbot.keyClicks(panel.output, "!x")
    assert panel.output.correcting
    assert panel.output.toPlainText() == machine + "!x"
    qtbot.keyClick(panel.output, Qt.Key.Key_Enter)
    assert not panel.output.correcting and panel.result.own
    assert panel.result.text == machine + "!x"
    # Translating again while correcting keeps the correction first (nothing is lost).
    qtbot.keyClicks(panel.output, "y")
    assert panel.output.correcting
    panel.translate_now()
    assert not panel.output.correcting
    settled(panel, qtbot, "I want water.")
    assert panel.output.toPlainText() == machine + "!xy"


def test_a_correction_keeps_one_line_per_line(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setPlainText("I want water.\nHello my friend.")
    panel.translate_now()
    settled(panel, qtbot, "I want water.\nHello my friend.")
    panel.start_correction()
    panel.output.setPlainText("only one line")
    panel.save_correction()
    assert panel.output.correcting  # nothing lost: still editing, told why
    assert "line" in panel.status_label.text()
    panel.cancel_correction()
    assert not panel.output.correcting


def test_history_entries_are_drawn_apart(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    from terjman_desktop.gui.history_panel import ENTRY_GAP, EntryDelegate

    window = make_window()
    for text in ("I want water.", "Hello my friend."):
        window.panel.source.setPlainText(text)
        window.panel.translate_now()
        settled(window.panel, qtbot, text)
    listing = window.history.history_list
    qtbot.waitUntil(lambda: listing.count() == 2, timeout=WAIT)
    window.history_dock.show()
    assert isinstance(listing.itemDelegate(), EntryDelegate)
    assert listing.alternatingRowColors()
    first, second = (listing.visualItemRect(listing.item(i)) for i in range(2))
    assert second.top() > first.bottom()
    text_height = listing.fontMetrics().lineSpacing() * 2
    assert first.height() >= text_height + 2 * ENTRY_GAP


def test_help_page_lists_every_shortcut(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    page = window.actions_.help_page
    qtbot.waitUntil(page.isVisible, timeout=WAIT)
    shown = page.browser.toPlainText()
    for action in window.actions():
        for keys in action.shortcuts():
            assert keys.toString(QKeySequence.SequenceFormat.NativeText) in shown
    for keys in ("Ctrl+Enter", "F2", "Esc", "Ctrl+Shift+A"):
        assert keys in shown
    assert "Arabizi" in shown
    page.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refreshing_the_catalog_offline_says_what_happened(
    make_window: Any, qtbot: Any, message_boxes: Any
) -> None:
    window = make_window()
    window.open_model_manager()
    dialog = window.model_manager
    refresh = dialog.buttons["refresh"]
    refresh.click()  # no catalog address set
    qtbot.waitUntil(lambda: "No catalog address" in dialog.catalog_status.text(), timeout=WAIT)
    window.settings.catalog_url = f"http://127.0.0.1:{_closed_port()}/catalog.json"
    refresh.click()
    qtbot.waitUntil(lambda: "could not be refreshed" in dialog.catalog_status.text(), timeout=WAIT)
    assert dialog.catalog_status.isVisible()
    assert "models" in dialog.catalog_status.text()
    assert message_boxes.shown == []  # said in the dialog, no box to dismiss
    dialog.reject()
