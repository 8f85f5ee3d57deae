"""The in-app help: what a learner can do, and every keyboard shortcut (F1).

The shortcut list is read from the window's own actions when the page opens, so it always
says what the keys really do (and what the platform calls them); the keys of the panes
themselves, which are not menu actions, are listed beside them.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def action_shortcuts(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) of each action that has a shortcut, in the platform's words."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            text = action.text().split("\t")[0].replace("&&", "\0").replace("&", "")
            rows.append((", ".join(keys), text.replace("\0", "&").rstrip("…")))
    return rows


class HelpPage(QDialog):
    """A page of help and keyboard shortcuts, opened from Help → Help and shortcuts (F1)."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpPage")
        self._actions = list(actions)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpText")
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)
        self.retranslate()

    def pane_shortcuts(self) -> list[tuple[str, str]]:
        """The keys of the panes (not menu actions)."""
        return [
            ("Ctrl+Enter", self.tr("Translate now, at the chosen quality")),
            ("Enter, Space", self.tr("On a sentence of the translation: its other translations")),
            ("Ctrl+Shift+A", self.tr("Other translations of the sentence at the caret")),
            ("F2", self.tr("Correct the translation yourself (Enter saves it)")),
            (
                "Esc",
                self.tr(
                    "Close the other translations, cancel a correction, or leave classroom mode"
                ),
            ),
            ("Tab, Shift+Tab", self.tr("Move between the panes and the buttons")),
            ("Delete", self.tr("In the history: delete the selected entry")),
        ]

    def shortcuts(self) -> list[tuple[str, str]]:
        return [*action_shortcuts(self._actions), *self.pane_shortcuts()]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Terjman help"))
        learn = [
            self.tr(
                "Type English, Darija in Arabic script, or Darija in Latin letters "
                "(Arabizi, such as “wach nta mzyan?”): the direction picks itself, and the "
                "line above the text says what it took your text for. One click on the "
                "button beside it reads the text the other way."
            ),
            self.tr(
                "Arabizi is shown in Arabic script under your text: that is what is "
                "translated. Correct it there if a word came out wrong."
            ),
            self.tr(
                "Click a sentence of the translation to see other translations; pick one to use it."
            ),
            self.tr(
                "★ saves the sentence you selected (or clicked) to the phrasebook, or the "
                "whole text when nothing is selected."
            ),
            self.tr(
                "✎ Correct (F2) lets you fix the translation; your version goes to the "
                "history and the phrasebook marked as your own."
            ),
            self.tr(
                "Export the phrasebook for Anki: each phrase gives two cards, English → "
                "Darija and Darija → English, with the Darija in Latin letters."
            ),
        ]
        rows = "".join(
            f"<tr><td style='padding:2px 12px 2px 0'><b>{html.escape(keys)}</b></td>"
            f"<td>{html.escape(what)}</td></tr>"
            for keys, what in self.shortcuts()
        )
        items = "".join(f"<li>{html.escape(text)}</li>" for text in learn)
        can_do, keys_title = self.tr("What you can do"), self.tr("Keyboard shortcuts")
        self.browser.setHtml(
            f"<h2>{html.escape(can_do)}</h2><ul>{items}</ul>"
            f"<h2>{html.escape(keys_title)}</h2><table>{rows}</table>"
        )
        self.browser.setAccessibleName(self.tr("Help and keyboard shortcuts"))
        self.browser.setLayoutDirection(self.layoutDirection())
        self.browser.document().setDefaultTextOption(self.browser.document().defaultTextOption())
        self.browser.setAlignment(Qt.AlignmentFlag.AlignLeading)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
