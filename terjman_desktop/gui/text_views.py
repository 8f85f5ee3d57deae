"""The text panes: the text, the Arabic-script form of Arabizi, and the translation.

Editing follows the script's direction; the translation's sentences are clickable, and the
person may correct it.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
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


class ConvertedEdit(QPlainTextEdit):
    """Arabizi converted to Arabic script: what is translated, and the person may correct it.

    Signals:
        edited(): the person changed the text (not :meth:`show_text`).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("convertedEdit")
        self.setTabChangesFocus(True)
        self.setMaximumHeight(110)
        self._showing = False
        set_text_direction(self, "ary")
        self.textChanged.connect(self._changed)

    def show_text(self, text: str) -> None:
        """Show a new conversion, editing only what changed (the caret stays)."""
        self._showing = True
        try:
            patch_text(self, text) if self.toPlainText() else self.setPlainText(text)
        finally:
            self._showing = False

    def _changed(self) -> None:
        if not self._showing:
            self.edited.emit()


class OutputView(QTextEdit):
    """The translation. Clicking a sentence (or Enter on it) asks for its alternatives.

    It is read-only until :meth:`start_correcting`: then the person edits it as their own
    translation, one line per line of the text (Enter saves, a pasted line break becomes a
    space), until :meth:`stop_correcting`.

    Signals:
        sentence_activated(int, int): line index and sentence index in the current result.
        correction_requested(): the person started typing in the read-only translation
            (the key is applied if the panel starts a correction at once).
        correction_done(): Enter was pressed while correcting.
    """

    sentence_activated = Signal(int, int)
    correction_requested = Signal()
    correction_done = Signal()

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
        self.correcting = False

    def start_correcting(self) -> None:
        self.correcting = True
        self.setReadOnly(False)
        self.setUndoRedoEnabled(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setExtraSelections([])
        # A visible frame: the pane is now the person's to edit.
        self.setStyleSheet("QTextEdit#outputView { border: 2px solid palette(highlight); }")
        self.setFocus()

    def stop_correcting(self) -> None:
        self.correcting = False
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setStyleSheet("")

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 - Qt override
        # One line of translation per line of text: a pasted line break becomes a space.
        text = source.text().replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        self.textCursor().insertText(text)

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

    def show_selected(self) -> None:
        """Scroll so that the highlighted sentence is in view (the caret does not move)."""
        if self.result is None or self.selected is None:
            return
        start, end = self.result.span_range(*self.selected)
        text = self.result.text
        cursor = QTextCursor(self.document())
        cursor.setPosition(qt_position(text, start))
        top = self.cursorRect(cursor).top()
        cursor.setPosition(qt_position(text, end))
        bottom = self.cursorRect(cursor).bottom()
        bar, height = self.verticalScrollBar(), self.viewport().height()
        if top < 0 or bottom - top > height:
            bar.setValue(bar.value() + top)
        elif bottom > height:
            bar.setValue(bar.value() + bottom - height)

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
        if self.correcting:
            return
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            found = self.sentence_at(self.cursorForPosition(event.position().toPoint()).position())
            if found is not None:
                self.sentence_activated.emit(*found)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if not self.correcting and _starts_typing(event):
            self.correction_requested.emit()  # typing into the translation corrects it
        if self.correcting:
            if event.key() in keys[:2]:
                self.correction_done.emit()  # Enter saves; no line break is typed
                return
            super().keyPressEvent(event)
            return
        if event.key() in keys and plain and self.activate_at_cursor():
            return
        super().keyPressEvent(event)


def _starts_typing(event: QKeyEvent) -> bool:
    """Whether a key edits text: a printable character, Backspace or Delete.

    Not Space or Enter (they open a sentence's alternatives), nor with Ctrl, Alt or Meta.
    """
    typing = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    if event.modifiers() & ~typing:
        return False
    if event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
        return True
    text = event.text()
    return bool(text) and text.isprintable() and not text.isspace()
