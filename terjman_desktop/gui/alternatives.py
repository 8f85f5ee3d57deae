"""The list of other translations of one sentence, under the translation pane."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from terjman_desktop.core.translate import Hypothesis
from terjman_desktop.gui.model_info import is_rtl


class AlternativesBox(QWidget):
    """Shows hypotheses for the selected sentence; picking one emits ``picked(text)``.

    Single click, double click or Enter picks; Escape closes.
    """

    picked = Signal(str)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alternativesBox")
        self.label = QLabel(self)
        self.list = QListWidget(self)
        self.list.setObjectName("alternativesList")
        self.list.setMaximumHeight(120)
        self.label.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.list)
        self.list.itemClicked.connect(self._pick)
        self.list.itemActivated.connect(self._pick)
        self._waiting = False
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Other tra&nslations of the selected sentence:"))
        self.list.setAccessibleName(self.tr("Other translations"))
        self.list.setAccessibleDescription(
            self.tr("Choose one to replace the selected sentence of the translation.")
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, language: str, font: QFont) -> None:
        self.list.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if is_rtl(language) else Qt.LayoutDirection.LeftToRight
        )
        self.list.setFont(font)

    def show_waiting(self) -> None:
        self.list.clear()
        item = QListWidgetItem(self.tr("Looking for other translations…"))
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.list.addItem(item)
        self._waiting = True
        self.show()

    def show_hypotheses(self, hypotheses: Iterable[Hypothesis], current: str) -> None:
        self.list.clear()
        self._waiting = False
        seen = {current.strip()}
        for hypothesis in hypotheses:
            text = hypothesis.text.replace("\n", " ").strip()
            if text and text not in seen:
                seen.add(text)
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, text)
                self.list.addItem(item)
        if self.list.count() == 0:
            item = QListWidgetItem(self.tr("No other translation was found for this sentence."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        else:
            self.list.setCurrentRow(0)
        self.show()

    def options(self) -> list[str]:
        texts = (self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count()))
        return [t for t in texts if isinstance(t, str)]

    def close_box(self) -> None:
        self.list.clear()
        self.hide()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.close_box()
            return
        super().keyPressEvent(event)

    def _pick(self, item: QListWidgetItem) -> None:
        text = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(text, str) and self.isVisible():
            self.hide()
            self.list.clear()
            self.picked.emit(text)
