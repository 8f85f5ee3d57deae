"""The main window's translation panel, with the real tiny models."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextOption

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.tokenize import MarianTokenizer
from terjman_desktop.core.translate.transliterate import to_arabizi

WAIT = 15_000


def reference(package: Path, text: str, source: str = "en", target: str = "ary") -> str:
    translator = Translator(package, device="cpu", threads=1)
    return translator.translate(text, Direction(source, target)).text


def test_typing_translates(make_window: Any, qtbot: Any, marian_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    assert panel.current_model() is not None
    qtbot.keyClicks(panel.source, "I want water.")
    expected = reference(marian_installed, "I want water.")
    qtbot.waitUntil(lambda: panel.output.toPlainText() == expected, timeout=WAIT)


def test_ctrl_enter_translates_without_as_you_type(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    window = make_window()
    panel = window.panel
    window.settings.translate_as_you_type = False
    panel.apply_options(window._panel_options())
    panel.source.setPlainText("Hello my friend.")
    # Nothing waits for the debounce or runs: nothing can happen on its own.
    assert not panel.controller.busy
    assert panel.output.toPlainText() == ""
    panel.source.setFocus()
    qtbot.keyClick(panel.source, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    expected = reference(marian_installed, "Hello my friend.")
    qtbot.waitUntil(lambda: panel.output.toPlainText() == expected, timeout=WAIT)


def test_model_picker_follows_direction(
    make_window: Any, marian_installed: Path, nllb_installed: Path
) -> None:
    panel = make_window().panel
    panel.set_direction("en", "ary")
    ids = {panel.model_combo.itemData(i) for i in range(panel.model_combo.count())}
    assert ids == {"tiny-marian-f32", "tiny-nllb-f32"}
    panel.set_direction("ary", "en")  # the Marian model only goes en→ary
    ids = {panel.model_combo.itemData(i) for i in range(panel.model_combo.count())}
    assert ids == {"tiny-nllb-f32"}
    assert panel.model_combo.isEnabled()


def test_no_model_for_direction_offers_get_model(make_window: Any, marian_installed: Path) -> None:
    panel = make_window().panel
    panel.set_direction("ary", "en")
    assert not panel.model_combo.isEnabled()
    assert panel.current_model() is None
    assert not panel.get_models_button.isHidden()


def test_swap_swaps_direction_and_texts(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setPlainText("I want water.")
    panel.translate_now()
    darija = reference(nllb_installed, "I want water.")
    qtbot.waitUntil(lambda: panel.output.toPlainText() == darija, timeout=WAIT)
    qtbot.mouseClick(panel.swap_button, Qt.MouseButton.LeftButton)
    assert panel.direction == ("ary", "en")
    assert panel.source.toPlainText() == darija
    back = reference(nllb_installed, darija, "ary", "en")
    qtbot.waitUntil(lambda: panel.output.toPlainText() == back, timeout=WAIT)


def test_darija_is_right_to_left(make_window: Any, qtbot: Any, nllb_installed: Path) -> None:
    panel = make_window().panel
    option = panel.output.document().defaultTextOption()
    assert option.textDirection() == Qt.LayoutDirection.RightToLeft
    assert option.alignment() & Qt.AlignmentFlag.AlignRight
    assert panel.source.document().defaultTextOption().textDirection() == (
        Qt.LayoutDirection.LeftToRight)
    panel.set_direction("ary", "en")
    source_option: QTextOption = panel.source.document().defaultTextOption()
    assert source_option.textDirection() == Qt.LayoutDirection.RightToLeft
    assert source_option.alignment() & Qt.AlignmentFlag.AlignRight
    assert panel.output.document().defaultTextOption().alignment() & Qt.AlignmentFlag.AlignLeft
    # The Darija pane's font can draw Arabic script.
    from PySide6.QtGui import QFontMetrics

    from terjman_desktop.gui.theme import arabic_font_family

    assert panel.source.font().families()[0] == arabic_font_family()
    assert QFontMetrics(panel.source.font()).inFontUcs4(ord("ش"))


def test_arabizi_reading_aid(make_window: Any, qtbot: Any, marian_installed: Path) -> None:
    panel = make_window().panel
    panel.source.setPlainText("I want water.")
    panel.translate_now()
    expected = reference(marian_installed, "I want water.")
    qtbot.waitUntil(lambda: panel.output.toPlainText() == expected, timeout=WAIT)
    assert not panel.arabizi.isHidden()
    assert panel.arabizi.text() == to_arabizi(expected)


def test_alternatives_pick_replaces_sentence(
    make_window: Any, qtbot: Any, nllb_installed: Path
) -> None:
    panel = make_window().panel
    panel.source.setPlainText("Hello my friend. I want water.")
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    result = panel.result
    assert len(result.lines[0].spans) == 2
    second = result.lines[0].spans[1]
    first_text = result.lines[0].text[: result.lines[0].spans[0].end]
    # Click in the middle of the second sentence.
    cursor = panel.output.textCursor()
    cursor.setPosition((second.start + second.end) // 2)
    point: QPoint = panel.output.cursorRect(cursor).center()
    qtbot.mouseClick(panel.output.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: bool(panel.alternatives.options()), timeout=WAIT)
    assert panel.output.selected == (0, 1)
    choice = panel.alternatives.options()[0]
    assert choice != result.lines[0].text[second.start:second.end]
    item = panel.alternatives.list.item(0)
    qtbot.mouseClick(panel.alternatives.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.alternatives.list.visualItemRect(item).center())
    assert panel.output.toPlainText().endswith(choice)
    assert panel.output.toPlainText().startswith(first_text)
    assert panel.alternatives.isHidden()


def test_stale_request_is_cancelled(
    make_window: Any, qtbot: Any, marian_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow first request is cancelled by a newer one, whose result is the one shown."""
    tokens: list[CancelToken] = []
    original = Translator.translate_many
    first_started = threading.Event()

    def slow(self: Translator, texts: Any, direction: Any, options: Any = None,
             progress: Any = None, cancel: CancelToken | None = None) -> Any:
        if cancel is not None:
            tokens.append(cancel)
        if cancel is not None and "first" in texts[0]:
            first_started.set()
            deadline = time.monotonic() + 10
            while not cancel.cancelled and time.monotonic() < deadline:
                time.sleep(0.01)
        return original(self, texts, direction, options, progress, cancel)

    monkeypatch.setattr(Translator, "translate_many", slow)
    window = make_window()
    panel = window.panel
    panel.source.setPlainText("The first text.")
    panel.translate_now()
    qtbot.waitUntil(first_started.is_set, timeout=WAIT)
    panel.source.setPlainText("I want water.")
    panel.translate_now()
    expected = reference(marian_installed, "I want water.")
    qtbot.waitUntil(lambda: panel.output.toPlainText() == expected, timeout=WAIT)
    assert tokens[0].cancelled
    # Once every task has finished (the stale one included), no late result can land.
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=WAIT)
    assert panel.output.toPlainText() == expected


def test_only_changed_lines_are_translated(
    make_window: Any, qtbot: Any, marian_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    original = Translator.translate_many

    def spy(self: Translator, texts: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(list(texts))
        return original(self, texts, *args, **kwargs)

    monkeypatch.setattr(Translator, "translate_many", spy)
    panel = make_window().panel
    panel.source.setPlainText("I want water.\n\nHello my friend.")
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.result is not None and not panel.controller.busy,
                    timeout=WAIT)
    panel.source.setPlainText("I want water.\n\nHello my friends.")
    panel.translate_now()
    qtbot.waitUntil(lambda: len(seen) == 2 and not panel.controller.busy, timeout=WAIT)
    assert seen[1] == ["Hello my friends."]


def test_gui_thread_never_blocks(
    make_window: Any, qtbot: Any, marian_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a translation runs, the GUI thread keeps processing events.

    The model call does not finish until the GUI thread has run a timer while the call is in
    progress; a GUI thread that waited for the model would never get there, and the call
    gives up with an error instead of a result.
    """
    original = Translator.translate_many
    working = threading.Event()
    gui_ran = threading.Event()

    def waits_for_the_gui(self: Translator, *args: Any, **kwargs: Any) -> Any:
        working.set()
        if not gui_ran.wait(WAIT / 1000):
            raise RuntimeError("the GUI thread did not run while the model worked")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Translator, "translate_many", waits_for_the_gui)
    panel = make_window().panel
    panel.source.setPlainText("I want water.")
    panel.translate_now()
    assert not panel.busy_bar.isHidden()
    qtbot.waitUntil(working.is_set, timeout=WAIT)
    QTimer.singleShot(0, gui_ran.set)  # runs only if the event loop is free
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    assert panel.output.toPlainText() == reference(marian_installed, "I want water.")
    assert panel.busy_bar.isHidden()


def test_font_size_shortcuts(make_window: Any, qtbot: Any, marian_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    before = panel.source.font().pointSize()
    window.activateWindow()
    panel.source.setFocus()
    qtbot.keyClick(panel.source, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert panel.source.font().pointSize() == before + 1
    assert panel.output.font().pointSize() == before + 1
    qtbot.keyClick(panel.source, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.source, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert panel.source.font().pointSize() == before - 1
    assert window.settings.font_size == before - 1


def test_classroom_mode(make_window: Any, qtbot: Any, marian_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    normal = panel.source.font().pointSize()
    window.activateWindow()
    panel.source.setFocus()
    qtbot.keyClick(panel.source, Qt.Key.Key_F11)
    assert panel.classroom
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert panel.splitter.orientation() == Qt.Orientation.Vertical
    assert panel.source.font().pointSize() == window.settings.classroom_font_size > normal
    assert "#000000" in panel.styleSheet()
    assert window.menuBar().isHidden()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not panel.classroom
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    assert panel.splitter.orientation() == Qt.Orientation.Horizontal
    assert panel.source.font().pointSize() == normal
    assert panel.styleSheet() == ""


def test_key_widgets_have_accessible_names(make_window: Any, marian_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    for widget in (panel.direction_combo, panel.swap_button, panel.model_combo, panel.source,
                   panel.translate_button, panel.output, panel.copy_output_button,
                   panel.copy_source_button, panel.star_button, panel.arabizi,
                   panel.alternatives.list, window.history.history_search,
                   window.history.history_list, window.history.phrase_list):
        assert widget.accessibleName(), widget.objectName()
    # Labels carry mnemonics and point at their fields.
    assert panel.direction_label.buddy() is panel.direction_combo
    assert "&" in panel.direction_label.text()


def test_keyboard_tab_order(make_window: Any, qtbot: Any, marian_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    window.activateWindow()
    assert panel.source.nextInFocusChain() is not None
    assert panel.source.tabChangesFocus()
    panel.source.setFocus()
    qtbot.keyClick(panel.source, Qt.Key.Key_Tab)
    assert panel.translate_button.hasFocus()


def test_keyboard_shortcuts(make_window: Any, qtbot: Any, nllb_installed: Path) -> None:
    window = make_window()
    panel = window.panel
    window.activateWindow()
    panel.source.setFocus()
    qtbot.keyClick(panel.source, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.direction == ("ary", "en")
    qtbot.keyClick(panel.source, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.history_dock.isVisible()
    # Alt+mnemonic moves the focus to the buddy of a label.
    qtbot.keyClick(panel.source, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert panel.direction_combo.hasFocus()


def test_repeated_sentences_are_located_by_their_spans(
    make_window: Any, qtbot: Any, marian_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Identical sentences whose translation is also in the layout of the line.

    Searching the output for each sentence's translation (``str.find``) would land on the
    bullet; the spans the engine gives are where the sentences are.
    """
    monkeypatch.setattr(MarianTokenizer, "decode", lambda self, tokens: "-")
    panel = make_window().panel
    panel.source.setPlainText("- I want water. I want water.")
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    line = panel.result.lines[0]
    assert line.text == "- - -"
    assert [(span.start, span.end) for span in line.spans] == [(2, 3), (4, 5)]
    cursor = panel.output.textCursor()
    cursor.setPosition(4)  # on the second sentence's translation
    panel.output.setTextCursor(cursor)
    assert panel.output.activate_at_cursor()
    assert panel.output.selected == (0, 1)
    (selection,) = panel.output.extraSelections()
    highlighted = selection.cursor
    assert (highlighted.selectionStart(), highlighted.selectionEnd()) == (4, 5)
    qtbot.waitUntil(lambda: not panel.controller.busy and not panel.alternatives.isHidden(),
                    timeout=WAIT)


def test_unchanged_sentences_of_an_edited_line_do_not_reach_the_model(
    make_window: Any, qtbot: Any, marian_installed: Path
) -> None:
    """The engine's sentence cache is the panel's only cache of translations."""
    panel = make_window().panel
    to_translate: list[int] = []  # sentences each translation sends to the model
    panel.controller.progress.connect(lambda done, total: to_translate.append(total))
    panel.source.setPlainText("I want water. Hello my friend.")
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.result is not None and not panel.controller.busy,
                    timeout=WAIT)
    first = panel.output.toPlainText()
    assert to_translate[-1] == 2
    panel.source.setPlainText("I want water. Hello my friend. I want water.")
    panel.translate_now()
    qtbot.waitUntil(lambda: panel.output.toPlainText() != first and not panel.controller.busy,
                    timeout=WAIT)
    assert to_translate[-1] == 0  # the edited line's sentences all came from the cache
    assert panel.output.toPlainText().startswith(first)
