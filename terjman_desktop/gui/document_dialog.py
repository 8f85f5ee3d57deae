"""Translate a file (.txt, .srt, .docx, .csv) with progress, an estimate and cancel.

The file work — a CSV file's header, the translation itself — is done by operations
(:class:`~terjman_desktop.gui.operations.documents.DocumentOps`) on the task runner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.documents import (
    SUPPORTED_EXTENSIONS,
    DocumentProgress,
    default_output_path,
)
from terjman_desktop.core.errors import OutputExistsError
from terjman_desktop.core.models import InstalledModel
from terjman_desktop.core.settings import Settings
from terjman_desktop.core.translate import Direction, TranslationOptions
from terjman_desktop.gui import errors
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.model_info import direction_label, format_duration, isolate
from terjman_desktop.gui.operations.documents import DocumentOps
from terjman_desktop.gui.task_runner import Task


class DocumentDialog(QDialog):
    def __init__(self, context: AppContext, model: InstalledModel | None, source: str,
                 target: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setWindowTitle(self.tr("Translate a document"))
        self.context, self.model = context, model
        self.documents = DocumentOps(context)
        self.source, self.target = source, target
        self.task: Task[Path] | None = None
        self.columns_task: Task[list[str]] | None = None  # reading a CSV file's header
        self.written: Path | None = None
        self._create_widgets()
        self._lay_out()
        self._connect()
        self._set_running(False)
        self.open_button.hide()
        self.column_label.hide()
        self.column_combo.hide()
        self.resize(620, 260)

    @property
    def settings(self) -> Settings:
        """The app's settings as they are now."""
        return self.context.settings

    def _create_widgets(self) -> None:
        model, source, target = self.model, self.source, self.target
        self.input_edit = QLineEdit()
        self.input_edit.setAccessibleName(self.tr("File to translate"))
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.column_combo = QComboBox()
        self.column_combo.setAccessibleName(self.tr("Column to translate"))
        self.column_label = QLabel(self.tr("&Column:"))
        self.column_label.setBuddy(self.column_combo)
        self.output_edit = QLineEdit()
        self.output_edit.setAccessibleName(self.tr("Translated file"))
        self.output_button = QPushButton(self.tr("C&hange…"))
        model_text = (self.tr("{model}, {direction}").format(
            model=model.name, direction=direction_label(source, target)) if model else
            self.tr("No model installed for {direction}.").format(
                direction=direction_label(source, target)))
        self.model_label = QLabel(model_text)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.setRange(0, 1000)
        self.estimate = QLabel()
        self.estimate.setAccessibleName(self.tr("Time left"))
        self.translate_button = QPushButton(self.tr("&Translate"))
        self.translate_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Cancel"))
        self.open_button = QPushButton(self.tr("&Open the folder"))
        self.close_button = QPushButton(self.tr("Close"))

    def _lay_out(self) -> None:
        form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.input_edit, 1)
        row.addWidget(self.browse_button)
        label = QLabel(self.tr("&File:"))
        label.setBuddy(self.input_edit)
        form.addRow(label, row)
        form.addRow(self.column_label, self.column_combo)
        row = QHBoxLayout()
        row.addWidget(self.output_edit, 1)
        row.addWidget(self.output_button)
        label = QLabel(self.tr("&Save as:"))
        label.setBuddy(self.output_edit)
        form.addRow(label, row)
        form.addRow(self.tr("Model:"), self.model_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.translate_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.estimate)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.browse_button.clicked.connect(self.browse)
        self.output_button.clicked.connect(self.choose_output)
        self.translate_button.clicked.connect(self._start_clicked)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.open_folder)
        self.input_edit.editingFinished.connect(lambda: self.set_input(Path(
            self.input_edit.text())) if self.input_edit.text() else None)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a document"), "",
            self.tr("Documents ({patterns});;All files (*)").format(
                patterns=" ".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)))
        if name:
            self.set_input(Path(name))

    def set_input(self, path: Path) -> None:
        self.input_edit.setText(str(path))
        self.output_edit.setText(str(default_output_path(path, self.target)))
        is_csv = path.suffix.lower() == ".csv"
        self.column_combo.clear()
        if self.columns_task is not None:
            self.columns_task.cancel()  # another file was chosen since
            self.columns_task = None
        if is_csv:  # the translation waits for the columns
            self.translate_button.setEnabled(False)
            self.columns_task = (self.documents.csv_columns(path).on_done(self._columns_read)
                                 .on_error(self._columns_failed).run())
        self.column_label.setVisible(is_csv)
        self.column_combo.setVisible(is_csv)
        self.estimate.clear()
        self.progress.setValue(0)
        self.open_button.hide()

    def choose_output(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save the translation as"),
                                              self.output_edit.text())
        if name:
            self.output_edit.setText(name)

    def start(self, overwrite: bool = False) -> None:
        source_path, output = Path(self.input_edit.text()), Path(self.output_edit.text())
        if self.model is None:
            QMessageBox.warning(self, self.tr("No model"), self.tr(
                "No installed model translates {direction}. Open Models → Manage models to "
                "install one.").format(direction=direction_label(self.source, self.target)))
            return
        if not self.input_edit.text() or not source_path.is_file():
            QMessageBox.warning(self, self.tr("No file"),
                                self.tr("Choose a .txt, .srt, .docx or .csv file to translate."))
            return
        if output.exists() and not overwrite:
            if not self._ask_overwrite(output):
                return
            overwrite = True
        column = self.column_combo.currentText() if not self.column_combo.isHidden() else None
        model = self.model
        direction = Direction(self.source, self.target)
        options = TranslationOptions.for_quality(
            self.settings.quality, use_vmap=self.settings.use_vocabulary_map)
        threads = self.settings.threads
        work = self.documents.translate(model.path, source_path, output, direction, options,
                                        threads=threads, column=column, overwrite=overwrite)

        self.written = None
        self.progress.setValue(0)
        self.estimate.setText(self.tr("Loading the model…"))
        self._set_running(True)
        self.task = (work.on_done(self._done).on_error(self._failed).on_progress(self._progress)
                     .on_cancelled(self._cancelled).run())

    def _start_clicked(self) -> None:
        self.start()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def open_folder(self) -> None:
        if self.written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written.parent)))

    def reject(self) -> None:
        self.cancel()
        super().reject()

    # ------------------------------------------------------------------ callbacks

    def _columns_read(self, columns: list[str]) -> None:
        self.columns_task = None
        self.column_combo.addItems(columns)
        self.translate_button.setEnabled(self.task is None)

    def _columns_failed(self, error: BaseException) -> None:
        self.columns_task = None
        self.translate_button.setEnabled(self.task is None)
        errors.show_error(self, error)

    def _ask_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Replace the file?"),
            self.tr("{path} already exists. Replace it?").format(path=isolate(str(path))),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _progress(self, value: DocumentProgress) -> None:
        done, total = value.done_units, value.total_units
        self.progress.setValue(int(1000 * done / total) if total else 0)
        self.estimate.setText(self.tr("{done} of {total} parts translated, {eta}").format(
            done=done, total=total, eta=format_duration(value.eta_seconds)))

    def _done(self, path: Path) -> None:
        self.task = None
        self.written = path
        self._set_running(False)
        self.progress.setValue(1000)
        self.estimate.setText(self.tr("Done: saved to {path}").format(path=isolate(str(path))))
        self.open_button.show()

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self._set_running(False)
        self.estimate.clear()
        if isinstance(error, OutputExistsError):  # appeared since we checked
            if self._ask_overwrite(Path(self.output_edit.text())):
                self.start(overwrite=True)
            return
        errors.show_error(self, error)

    def _cancelled(self) -> None:
        self.task = None
        self._set_running(False)
        self.estimate.setText(self.tr("Cancelled."))

    def _set_running(self, running: bool) -> None:
        for widget in (self.translate_button, self.browse_button, self.output_button,
                       self.input_edit, self.output_edit, self.column_combo):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(True)
        self.setCursor(Qt.CursorShape.BusyCursor if running else Qt.CursorShape.ArrowCursor)
