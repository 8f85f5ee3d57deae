"""The main window's translation panel, with the real tiny models."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QTextOption

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions
from terjman_desktop.core.translate.tokenize import MarianTokenizer
from terjman_desktop.core.translate.transliterate import to_arabizi
from terjman_desktop.gui.text_patch import changed_ranges
from terjman_desktop.gui.translation_controller import (
    PAUSE_MAX_MS,
    PAUSE_MIN_MS,
    PanelResult,
    refine_pause_ms,
    typing_pause_ms,
)

WAIT = 15_000


def reference(package: Path, text: str, source: str = "en", target: str = "ary",
              quality: str = "balanced") -> str:
    translator = Translator(package, device="cpu", threads=1)
    options = TranslationOptions.for_quality(quality)
    return translator.translate(text, Direction(source, target), options).text


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


# ---------------------------------------------------------------- typing first: draft, refine

DRAFT_MARK = "≈"


@dataclass
class ModelLog:
    """What reached the engine: each translate_many call's texts and beam, and each batch
    the model itself ran for them (its sentences and beam; not the preload's warm-up).
    Drafts (beam 1) come out marked, so a draft and its refine always differ on screen."""

    calls: list[tuple[list[str], int]] = field(default_factory=list)
    batches: list[tuple[int, int]] = field(default_factory=list)
    inside: threading.local = field(default_factory=threading.local)

    def sent(self, beam: int, since: int = 0) -> int:
        """Sentences the model translated with this beam (from batch ``since`` on)."""
        return sum(n for n, b in self.batches[since:] if b == beam)


@pytest.fixture
def model_log(monkeypatch: pytest.MonkeyPatch) -> ModelLog:
    log = ModelLog()
    translate_many, run_batch = Translator.translate_many, Translator._run_batch

    def spy_many(self: Translator, texts: Any, direction: Any, options: Any = None,
                 *args: Any, **kwargs: Any) -> Any:
        log.calls.append((list(texts), (options or TranslationOptions()).beam_size))
        log.inside.many = True
        try:
            return translate_many(self, texts, direction, options, *args, **kwargs)
        finally:
            log.inside.many = False

    def spy_batch(self: Translator, tokens: Any, direction: Any, options: Any) -> Any:
        if getattr(log.inside, "many", False):
            log.batches.append((len(tokens), options.beam_size))
        found = run_batch(self, tokens, direction, options)
        if options.beam_size == 1:
            found = [tuple(replace(h, text=f"{DRAFT_MARK} {h.text}") for h in hyps)
                     for hyps in found]
        return found

    monkeypatch.setattr(Translator, "translate_many", spy_many)
    monkeypatch.setattr(Translator, "_run_batch", spy_batch)
    return log


def results_of(panel: Any) -> list[PanelResult]:
    shown: list[PanelResult] = []
    panel.controller.result_ready.connect(shown.append)
    return shown


def settled(panel: Any, shown: list[PanelResult], count: int = 1) -> bool:
    """At least ``count`` refined results have been shown and nothing is left to do."""
    return sum(not r.draft for r in shown) >= count and not panel.controller.busy


def test_typing_pause_grows_with_the_text() -> None:
    assert typing_pause_ms(0) == typing_pause_ms(200) == PAUSE_MIN_MS == 150
    assert typing_pause_ms(600) == 250  # 25 ms per 100 characters past 200
    assert typing_pause_ms(2000) == typing_pause_ms(100_000) == PAUSE_MAX_MS == 600
    pauses = [typing_pause_ms(n) for n in range(0, 5000, 50)]
    assert pauses == sorted(pauses)
    assert refine_pause_ms(100) == 300 and refine_pause_ms(5000) == 1200


def test_changed_ranges_cover_only_what_changed() -> None:
    assert changed_ranges("abc", "abc") == []
    # Per line, only the changed stretch; unchanged lines are not touched.
    assert changed_ranges("one two\nsame\nx y z", "one 2\nsame\nx Y z") == [
        (4, 7, "2"), (15, 16, "Y")]
    # Another number of lines: one edit of the changed middle.
    assert changed_ranges("a\nb", "a\nb\nc") == [(3, 3, "\nc")]
    old, new = "abcabc\nz", "abcXabc\nz"
    for start, end, text in reversed(changed_ranges(old, new)):
        old = old[:start] + text + old[end:]
    assert old == new


def test_typing_shows_a_draft_then_the_refined_translation(
    make_window: Any, qtbot: Any, marian_installed: Path, model_log: ModelLog
) -> None:
    panel = make_window().panel
    assert panel.options.quality == "balanced"
    shown = results_of(panel)
    qtbot.keyClicks(panel.source, "I want water.")
    qtbot.waitUntil(lambda: settled(panel, shown), timeout=WAIT)
    calls = list(model_log.calls)  # before the references add theirs
    assert panel.output.toPlainText() == reference(marian_installed, "I want water.")
    drafts = [r for r in shown if r.draft]
    assert drafts and shown.index(drafts[-1]) < len(shown) - 1  # drafts came first
    # (The references are translated through the spy too: the draft's is marked.)
    assert drafts[-1].text == reference(marian_installed, "I want water.", quality="fast")
    assert drafts[-1].text.startswith(DRAFT_MARK)
    # The model got beam 1 for the draft, then the chosen preset's beam for the refine.
    assert calls[-2:] == [(["I want water."], 1), (["I want water."], 2)]
    assert all(beam == 1 for _, beam in calls[:-1])


def test_refine_sends_only_the_changed_lines_and_sentences(
    make_window: Any, qtbot: Any, marian_installed: Path, model_log: ModelLog
) -> None:
    panel = make_window().panel
    shown = results_of(panel)
    panel.source.setPlainText("I want water.\nHello my friend.")
    qtbot.waitUntil(lambda: settled(panel, shown), timeout=WAIT)
    assert model_log.sent(1) == model_log.sent(2) == 2
    calls, batches = len(model_log.calls), len(model_log.batches)
    panel.source.setPlainText("I want water.\nHello my friend. Good morning.")
    qtbot.waitUntil(lambda: settled(panel, shown, 2), timeout=WAIT)
    # Only the edited line went to the engine, as a draft and then refined; of its
    # sentences only the new one reached the model each time (the refine of the unchanged
    # one was free: the engine's cache keeps refined sentences apart from drafts).
    line = "Hello my friend. Good morning."
    assert model_log.calls[calls:] == [([line], 1), ([line], 2)]
    assert model_log.sent(1, batches) == model_log.sent(2, batches) == 1
    first, second = panel.output.toPlainText().split("\n")
    assert first == reference(marian_installed, "I want water.")
    assert second == reference(marian_installed, line)


def test_draft_keeps_the_refined_sentences_of_an_edited_line(
    make_window: Any, qtbot: Any, marian_installed: Path, model_log: ModelLog
) -> None:
    panel = make_window().panel
    shown = results_of(panel)
    panel.source.setPlainText("Hello my friend.")
    panel.translate_now()
    qtbot.waitUntil(lambda: settled(panel, shown), timeout=WAIT)
    refined = panel.output.toPlainText()
    panel.source.setPlainText("Hello my friend. I want water.")
    qtbot.waitUntil(lambda: any(r.draft for r in shown), timeout=WAIT)
    draft = next(r for r in shown if r.draft).text
    assert draft.startswith(refined + " ")  # the refined sentence, not its beam-1 draft
    assert draft.endswith(reference(marian_installed, "I want water.", quality="fast"))
    qtbot.waitUntil(lambda: settled(panel, shown, 2), timeout=WAIT)
    assert DRAFT_MARK not in panel.output.toPlainText()


def test_refine_keeps_the_caret_selection_and_scroll_position(
    make_window: Any, qtbot: Any, marian_installed: Path, model_log: ModelLog
) -> None:
    panel = make_window().panel
    shown = results_of(panel)
    lines = ["I want water.", "Hello my friend."] * 40
    panel.source.setPlainText("\n".join(lines))
    panel.translate_now()
    qtbot.waitUntil(lambda: settled(panel, shown), timeout=WAIT)
    output = panel.output
    bar = output.verticalScrollBar()
    assert bar.maximum() > 0  # the translation is taller than its pane
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    caret = output.textCursor()
    block = output.document().findBlockByNumber(50)
    caret.setPosition(block.position() + 1)
    caret.setPosition(block.position() + 3, caret.MoveMode.KeepAnchor)  # a selection
    output.setTextCursor(caret)
    bar.setValue(scrolled)

    def where() -> tuple[int, int, int, int]:
        cursor = output.textCursor()
        anchor = output.document().findBlock(cursor.anchor())
        return (cursor.blockNumber(), cursor.positionInBlock(), anchor.blockNumber(),
                cursor.anchor() - anchor.position())

    before = where()
    lines[3] = "Hello my friend. Good morning."  # a line above the caret and the view
    panel.source.setPlainText("\n".join(lines))
    qtbot.waitUntil(lambda: any(r.draft for r in shown), timeout=WAIT)
    assert output.toPlainText().split("\n")[3].count(DRAFT_MARK) == 1
    assert (where(), bar.value()) == (before, scrolled)
    qtbot.waitUntil(lambda: settled(panel, shown, 2), timeout=WAIT)
    assert DRAFT_MARK not in output.toPlainText()  # the refine replaced the draft sentence
    assert (where(), bar.value()) == (before, scrolled)
    assert output.textCursor().selectedText() == output.toPlainText()[
        output.textCursor().selectionStart():output.textCursor().selectionEnd()]


def test_a_stale_draft_never_replaces_the_refined_translation(
    make_window: Any, qtbot: Any, marian_installed: Path, model_log: ModelLog,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft that finishes after Ctrl+Enter asked for the chosen quality is never shown,
    and a draft pass over refined lines shows them as they are, without the model."""
    original = Translator.translate_many  # the spy: it logs the calls
    started, release, returned = threading.Event(), threading.Event(), threading.Event()

    def held(self: Translator, texts: Any, direction: Any, options: Any = None,
             *args: Any, **kwargs: Any) -> Any:
        if options is not None and options.beam_size == 1:
            started.set()
            release.wait(WAIT / 1000)
            kwargs.pop("cancel", None)  # it finishes even though it was cancelled meanwhile
            found = original(self, texts, direction, options, *args, **kwargs)
            returned.set()
            return found
        return original(self, texts, direction, options, *args, **kwargs)

    monkeypatch.setattr(Translator, "translate_many", held)
    window = make_window()
    panel = window.panel
    shown = results_of(panel)
    panel.source.setPlainText("I want water.")  # as you type: a draft first
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    panel.translate_now()  # Ctrl+Enter: the chosen quality, now
    release.set()
    qtbot.waitUntil(lambda: returned.is_set() and settled(panel, shown)
                    and not window.runner.busy, timeout=WAIT)
    assert [r.draft for r in shown] == [False]  # the draft finished, and was never shown
    assert panel.output.toPlainText() == reference(marian_installed, "I want water.")
    # Typing and undoing it: the draft pass finds the refined line and needs no model.
    calls = len(model_log.calls)
    panel.source.setPlainText("I want water. ")
    panel.source.setPlainText("I want water.")
    qtbot.waitUntil(lambda: settled(panel, shown, 2), timeout=WAIT)
    assert len(model_log.calls) == calls
    assert panel.output.toPlainText() == reference(marian_installed, "I want water.")


def test_model_load_starts_with_the_app_and_on_a_model_change(
    make_window: Any, qtbot: Any, marian_installed: Path, nllb_installed: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded: list[Path] = []
    original = Translator.__init__

    def spy(self: Translator, package: Any, *args: Any, **kwargs: Any) -> None:
        original(self, package, *args, **kwargs)
        loaded.append(Path(self.package.path).resolve())

    monkeypatch.setattr(Translator, "__init__", spy)
    calls: list[Any] = []
    many = Translator.translate_many
    monkeypatch.setattr(Translator, "translate_many",
                        lambda self, *a, **k: calls.append(a) or many(self, *a, **k))
    panel = make_window().panel
    first = panel.current_model()
    assert first is not None and panel.source.toPlainText() == ""
    qtbot.waitUntil(lambda: first.path.resolve() in loaded, timeout=WAIT)
    other = next(i for i in range(panel.model_combo.count())
                 if panel.model_combo.itemData(i) != first.id)
    panel.model_combo.setCurrentIndex(other)
    second = panel.current_model()
    assert second is not None and second.id != first.id
    qtbot.waitUntil(lambda: second.path.resolve() in loaded, timeout=WAIT)
    assert calls == []  # no keystroke, no translation: only the loads


def test_the_vocabulary_map_preference_reaches_every_translation(
    make_window: Any, marian_installed: Path
) -> None:
    from terjman_desktop.core.settings import Settings

    window = make_window(settings=Settings(use_vocabulary_map=False))
    window.panel.source.setPlainText("I want the tea.")
    job = window.panel.job()
    assert job is not None
    # Drafts and refined translations alike, and lines on screen are kept apart by it.
    assert not job.options().use_vmap
    assert not job.draft_options().use_vmap
    assert job.key("x") != replace(job, use_vmap=True).key("x")
    window.apply_settings(replace(window.settings, use_vocabulary_map=True))
    job = window.panel.job()
    assert job is not None
    assert job.options().use_vmap and job.draft_options().use_vmap


def test_starring_a_draft_saves_the_refined_translation(
    make_window: Any, qtbot: Any, marian_installed: Path, model_log: ModelLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from terjman_desktop.gui import translation_controller

    # Only drafts as you type: the refine waits for a pause that never comes here.
    monkeypatch.setattr(translation_controller, "refine_pause_ms", lambda length: 3_600_000)
    panel = make_window().panel
    shown = results_of(panel)
    starred: list[PanelResult] = []
    panel.star_requested.connect(starred.append)
    qtbot.keyClicks(panel.source, "I want water.")
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.draft, timeout=WAIT)
    assert panel.result is not None and panel.result.text.startswith(DRAFT_MARK)
    panel.star_button.click()
    qtbot.waitUntil(lambda: bool(starred), timeout=WAIT)
    assert [r.text for r in starred] == [reference(marian_installed, "I want water.")]
    assert not starred[0].draft
    assert shown[-1] is starred[0]


def test_edits_and_highlights_count_positions_as_qt_does(qtbot: Any) -> None:
    """Qt counts UTF-16 units: after an emoji, Python's offsets would be one place off."""
    from PySide6.QtWidgets import QPlainTextEdit

    from terjman_desktop.gui.text_patch import patch_text, python_index, qt_position

    text = "😀 a 𝑥 b"
    for index in range(len(text) + 1):
        assert python_index(text, qt_position(text, index)) == index
    assert qt_position(text, 2) == 3 and qt_position(text, 6) == 8
    view = QPlainTextEdit()
    qtbot.addWidget(view)
    view.setPlainText("😀 one two\n🙂 three")
    patch_text(view, "😀 one TWO\n🙂 three four")
    assert view.toPlainText() == "😀 one TWO\n🙂 three four"
    patch_text(view, "😀 one TWO\n🙂 3 four")
    assert view.toPlainText() == "😀 one TWO\n🙂 3 four"


def test_a_sentence_after_an_emoji_is_highlighted_and_found(qtbot: Any) -> None:
    from terjman_desktop.gui.text_patch import qt_position
    from terjman_desktop.gui.text_views import OutputView
    from terjman_desktop.gui.translation_controller import Job, LineResult, SentenceSpan

    line = "😀 first. second."
    spans = (SentenceSpan(2, 8, "First.", ()), SentenceSpan(9, 16, "Second.", ()))
    assert [line[s.start:s.end] for s in spans] == ["first.", "second."]
    job = Job("x", "en", "ary", "m", Path("."))
    result = PanelResult(job, (LineResult("😀 First. Second.", line, spans),))
    view = OutputView()
    qtbot.addWidget(view)
    view.set_result(result)
    view.highlight(0, 1)
    selections = view.extraSelections()
    assert selections[0].cursor.selectedText() == "second."
    assert view.sentence_at(qt_position(line, 12)) == (0, 1)
    assert view.sentence_at(qt_position(line, 4)) == (0, 0)
