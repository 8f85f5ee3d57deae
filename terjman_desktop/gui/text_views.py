"""The two text panes: direction-aware editing and a translation whose sentences are clickable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPalette, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from terjman_desktop.gui.model_info import is_rtl
from terjman_desktop.gui.text_patch import patch_text, python_index, qt_position
from terjman_desktop.gui.translation_controller import PanelResult


def set_text_direction(editor: QPlainTextEdit | QTextEdit, language: str) -> None:
    """Right-to-left, right-aligned for Arabic script; left-to-right, left-aligned otherwise.

    Absolute alignment, so Darija stays on the right (and English on the left) whatever the
    interface language; the bidi algorithm still orders the Latin words of a mixed line.
    """
    rtl = is_rtl(language)
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    align = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option = QTextOption(editor.document().defaultTextOption())
    option.setTextDirection(direction)
    option.setAlignment(align | Qt.AlignmentFlag.AlignAbsolute)
    editor.document().setDefaultTextOption(option)
    editor.setLayoutDirection(direction)  # scroll bar and cursor movement follow the script
    # Re-layout text that is already there with the new option.
    editor.document().markContentsDirty(0, editor.document().characterCount())


class SourceEdit(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceEdit")
        self.setTabChangesFocus(True)  # keyboard users leave the pane with Tab
        self.language = "en"

    def set_language(self, language: str) -> None:
        self.language = language
        set_text_direction(self, language)


class OutputView(QTextEdit):
    """Read-only translation. Clicking a sentence (or Enter on it) asks for its alternatives.

    Signals:
        sentence_activated(int, int): line index and sentence index in the current result.
    """

    sentence_activated = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outputView")
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setUndoRedoEnabled(False)  # read-only: its edits are new results, not undoable
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.result: PanelResult | None = None
        self.selected: tuple[int, int] | None = None
        self.language = "ary"

    def set_language(self, language: str) -> None:
        self.language = language
        set_text_direction(self, language)

    def set_result(self, result: PanelResult | None) -> None:
        """Show a result, replacing only what changed (:mod:`text_patch`).

        No flicker, and the caret, a selection and the scroll position stay where they were.
        """
        self.result = result
        self.selected = None
        text = result.text if result is not None else ""
        if not text:
            if self.toPlainText():
                self.setPlainText("")
        else:
            patch_text(self, text)
        self.setExtraSelections([])

    def clear_result(self) -> None:
        self.set_result(None)

    def highlight(self, line: int, sentence: int) -> None:
        """Mark the sentence whose alternatives are shown."""
        if self.result is None:
            return
        self.selected = (line, sentence)
        start, end = self.result.span_range(line, sentence)
        text = self.result.text
        cursor = QTextCursor(self.document())
        cursor.setPosition(qt_position(text, start))
        cursor.setPosition(qt_position(text, end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format.setBackground(
            self.palette().color(QPalette.ColorRole.Highlight).lighter(150)
            if self.palette().color(QPalette.ColorRole.Base).lightness() > 128
            else QColor("#44475a")
        )
        self.setExtraSelections([selection])

    def sentence_at(self, position: int) -> tuple[int, int] | None:
        """The sentence at a Qt cursor position (UTF-16), if any."""
        if self.result is None:
            return None
        return self.result.locate(python_index(self.result.text, position))

    def activate_at_cursor(self) -> bool:
        found = self.sentence_at(self.textCursor().position())
        if found is not None:
            self.sentence_activated.emit(*found)
        return found is not None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            found = self.sentence_at(self.cursorForPosition(event.position().toPoint()).position())
            if found is not None:
                self.sentence_activated.emit(*found)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if event.key() in keys and plain and self.activate_at_cursor():
            return
        super().keyPressEvent(event)
