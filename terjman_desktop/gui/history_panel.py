"""History and phrasebook: search, reuse, clear, star, export (CSV, Anki) and import (CSV).

Each entry is a card of its own (a frame and space between entries, the translation under
its text); a translation the person wrote or corrected carries a "your own" mark.

Every database call is an operation (:class:`~terjman_desktop.gui.operations.history.HistoryOps`)
on the task runner's ``history`` queue; this panel only shows the lists and asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.history import HistoryEntry, ImportReport, PhraseEntry
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.operations.history import Found, HistoryOps, PhrasePair
from terjman_desktop.gui.translation_controller import PanelResult

SEARCH_DELAY_MS = 250
ENTRY_GAP = 6  # pixels between two entries, around the line that separates them
# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate
T = TypeVar("T")


Entry = HistoryEntry | PhraseEntry


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _item(entry: Entry) -> QListWidgetItem:
    # Each text isolated, so an English line keeps its punctuation in a right-to-left list.
    mark = "\n" + translate("HistoryPanel", "✎ your own translation") if entry.own else ""
    item = QListWidgetItem(f"{isolate(_one_line(entry.source_text))}\n"
                           f"{isolate(_one_line(entry.translation))}{mark}")
    item.setData(Qt.ItemDataRole.UserRole, entry)
    item.setToolTip(f"{isolate(entry.source_text)}\n\n{isolate(entry.translation)}")
    return item


class EntryDelegate(QStyledItemDelegate):
    """Draws each entry with room around it and a line under it: entries never run together."""

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt override
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2 * ENTRY_GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        rect = QRect(option.rect)
        inner = QStyleOptionViewItem(option)
        inner.rect = rect.adjusted(0, ENTRY_GAP, 0, -ENTRY_GAP)
        super().paint(painter, inner, index)
        painter.save()
        painter.setPen(option.palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(rect.left() + 4, rect.bottom(), rect.right() - 4, rect.bottom())
        painter.restore()


class HistoryPanel(QWidget):
    """The history and phrasebook dock.

    Signals:
        entry_chosen(str, str, str, str): source text, translation, source and target language.
        history_toggled(bool): the person turned the history on or off.
    """

    entry_chosen = Signal(str, str, str, str)
    history_toggled = Signal(bool)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.context = context
        self.ops = HistoryOps(context)
        self._last_recorded: tuple[str, str] | None = None
        self.tabs = QTabWidget(self)
        self.history_search, self.history_list = self._searchable_list("historyList")
        self.enabled_box = QCheckBox()
        self.use_button = QPushButton()
        self.star_button = QPushButton()
        self.delete_button = QPushButton()
        self.clear_button = QPushButton()
        self.phrase_search, self.phrase_list = self._searchable_list("phrasebookList")
        self.remove_button = QPushButton()
        self.export_csv_button = QPushButton()
        self.export_anki_button = QPushButton()
        self.import_csv_button = QPushButton()
        self.tabs.addTab(self._tab(self.history_search, self.history_list,
                                   [self.use_button, self.star_button, self.delete_button],
                                   [self.enabled_box, None, self.clear_button]), "")
        self.tabs.addTab(self._tab(self.phrase_search, self.phrase_list,
                                   [self.remove_button, self.import_csv_button],
                                   [self.export_csv_button, self.export_anki_button]), "")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.tabs)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.history_search.textChanged.connect(lambda _: self._timer.start())
        self.phrase_search.textChanged.connect(lambda _: self._timer.start())
        self.history_list.itemActivated.connect(self._use)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.history_list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self._delete_selected)
        self.phrase_list.itemActivated.connect(self._use)
        self.use_button.clicked.connect(lambda: self._use(self.history_list.currentItem()))
        self.star_button.clicked.connect(self._star_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        self.clear_button.clicked.connect(self.clear_history)
        self.enabled_box.toggled.connect(self.history_toggled)
        self.remove_button.clicked.connect(self._remove_selected)
        self.export_csv_button.clicked.connect(lambda: self.export_phrasebook("csv"))
        self.export_anki_button.clicked.connect(lambda: self.export_phrasebook("anki"))
        self.import_csv_button.clicked.connect(self.import_phrasebook)
        self.retranslate()

    @staticmethod
    def _searchable_list(name: str) -> tuple[QLineEdit, QListWidget]:
        search = QLineEdit()
        search.setClearButtonEnabled(True)
        entries = QListWidget()
        entries.setObjectName(name)
        entries.setWordWrap(True)
        entries.setAlternatingRowColors(True)
        entries.setItemDelegate(EntryDelegate(entries))
        return search, entries

    @staticmethod
    def _tab(search: QLineEdit, entries: QListWidget,
             *rows: list[QWidget | None]) -> QWidget:
        """A search field, the list, then rows of buttons (None: a stretch)."""
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(search)
        layout.addWidget(entries, 1)
        for widgets in rows:
            row = QHBoxLayout()
            for widget in widgets:
                if widget is None:
                    row.addStretch()
                else:
                    row.addWidget(widget)
            layout.addLayout(row)
        return tab

    def retranslate(self) -> None:
        self.tabs.setTabText(0, self.tr("History"))
        self.tabs.setTabText(1, self.tr("Phrase&book"))
        self.history_search.setPlaceholderText(self.tr("Search the history…"))
        self.history_search.setAccessibleName(self.tr("Search the history"))
        self.history_list.setAccessibleName(self.tr("History"))
        self.enabled_box.setText(self.tr("&Keep a history"))
        self.use_button.setText(self.tr("&Use"))
        self.star_button.setText(self.tr("★ Sta&r"))
        self.star_button.setAccessibleName(self.tr("Save to phrasebook"))
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setToolTip(self.tr("Delete the selected entry (Delete key)"))
        self.clear_button.setText(self.tr("Clear histor&y…"))
        self.phrase_search.setPlaceholderText(self.tr("Search the phrasebook…"))
        self.phrase_search.setAccessibleName(self.tr("Search the phrasebook"))
        self.phrase_list.setAccessibleName(self.tr("Phrasebook"))
        self.remove_button.setText(self.tr("&Remove"))
        self.export_csv_button.setText(self.tr("Export C&SV…"))
        self.export_anki_button.setText(self.tr("Export for &Anki…"))
        self.import_csv_button.setText(self.tr("&Import CSV…"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ state

    def set_enabled_state(self, enabled: bool) -> None:
        self.enabled_box.blockSignals(True)
        self.enabled_box.setChecked(enabled)
        self.enabled_box.blockSignals(False)

    def refresh(self) -> None:
        """Reload both lists (with their search texts) in the background."""
        self.ops.search(self.history_search.text(), self.phrase_search.text()).on_done(
            self._fill).run()

    def _fill(self, found: Found) -> None:
        for widget, entries in ((self.history_list, found.history),
                                (self.phrase_list, found.phrases)):
            widget.clear()
            for entry in entries:
                widget.addItem(_item(entry))

    def _then_refresh(self, op: Op[T]) -> None:
        op.on_done(lambda _: self.refresh()).run()

    def record(self, result: PanelResult) -> None:
        """Keep a settled translation, unless the history is off or it was just kept."""
        if not self.context.settings.history_enabled:
            return
        key = (result.job.text.strip(), result.text.strip())
        if key == self._last_recorded:
            return
        self._last_recorded = key
        job = result.job
        self._then_refresh(self.ops.record(job.text, result.text, job.source, job.target,
                                           job.model_id, own=result.own,
                                           revises=result.revises))

    def add_to_phrasebook(self, result: PanelResult) -> None:
        job = result.job
        self._add_pair(job.text, result.text, job.source, job.target)

    def add_pairs(self, pairs: Sequence[PhrasePair]) -> None:
        """Save sentences to the phrasebook (a correction replaces the pair it corrects)."""
        if pairs:
            self._then_refresh(self.ops.add_phrases(pairs))

    def _add_pair(self, text: str, translation: str, source: str, target: str) -> None:
        self._then_refresh(self.ops.add_phrase(text, translation, source, target))

    # ------------------------------------------------------------------ actions

    def _use(self, item: QListWidgetItem | None) -> None:
        entry = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if entry is not None:
            self.entry_chosen.emit(entry.source_text, entry.translation,
                                   entry.source_language, entry.target_language)

    def _star_selected(self) -> None:
        item = self.history_list.currentItem()
        entry = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if entry is not None:  # the person's own translation stays marked as theirs
            self._then_refresh(self.ops.add_phrase(
                entry.source_text, entry.translation, entry.source_language,
                entry.target_language, own=entry.own))

    def _delete_selected(self) -> None:
        item = self.history_list.currentItem()
        entry = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(entry, HistoryEntry):
            self._then_refresh(self.ops.delete(entry.id))

    def _remove_selected(self) -> None:
        item = self.phrase_list.currentItem()
        entry = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(entry, PhraseEntry):
            self._then_refresh(self.ops.remove_phrase(entry.id))

    def clear_history(self) -> None:
        answer = QMessageBox.question(
            self, self.tr("Clear the history"),
            self.tr("Delete every translation kept in the history? The phrasebook is kept."),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._then_refresh(self.ops.clear())

    def export_phrasebook(self, kind: str) -> None:
        if kind == "csv":
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the phrasebook"), "terjman-phrasebook.csv",
                self.tr("CSV files (*.csv)"))
        else:
            name, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the phrasebook for Anki"), "terjman-phrasebook.apkg",
                self.tr("Anki decks (*.apkg)"))
        if not name:
            return
        path = Path(name)
        self.ops.export_phrasebook(path, kind).on_done(
            lambda count: self._info(self.tr("{count} phrases were exported to {path}.")
                                     .format(count=count, path=isolate(str(path))))).run()

    def import_phrasebook(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import phrases"), "", self.tr("CSV files (*.csv);;All files (*)"))
        if not name:
            return
        path = Path(name)

        def done(report: ImportReport) -> None:
            self.refresh()
            text = self.tr("{added} phrases imported, {skipped} already in the phrasebook.").format(
                added=report.added, skipped=report.skipped_duplicates)
            if report.errors:
                text += "\n\n" + self.tr("Lines not imported:") + "\n" + "\n".join(
                    report.errors[:10])
            self._info(text)

        self.ops.import_phrasebook(path).on_done(done).run()

    def _info(self, text: str) -> None:
        QMessageBox.information(self, self.tr("Phrasebook"), text)
