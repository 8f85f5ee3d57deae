"""Translate a document with progress, an estimate and cancel.

Every format of the documents wing's registry (text, subtitles, Word, CSV, Excel, web
pages, PDF…). The options shown follow the chosen file: a table's column and where its
translation goes, the bilingual layouts the format can write (for learners), the output
encoding of a text file; a PDF says that only its text is translated. When it is done, the
dialog says how a text file was read (a detected encoding is named) and what was not
translated.

The file work — a table's columns, the translation itself — is done by operations
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
    Bilingual,
    DocumentProgress,
    DocumentResult,
    default_output_path,
    document_format,
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
    def __init__(
        self,
        context: AppContext,
        model: InstalledModel | None,
        source: str,
        target: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setWindowTitle(self.tr("Translate a document"))
        self.context, self.model = context, model
        self.documents = DocumentOps(context)
        self.source, self.target = source, target
        self.task: Task[DocumentResult] | None = None
        self.columns_task: Task[list[str]] | None = None  # reading a table's header
        self.last_result: DocumentResult | None = None
        self.written: Path | None = None
        self.input_path: Path | None = None  # the file whose options are shown
        self._create_widgets()
        self._lay_out()
        self._connect()
        self._set_running(False)
        self.open_button.hide()
        for widget in (
            self.column_label,
            self.column_combo,
            self.mode_label,
            self.mode_combo,
            self.encoding_label,
            self.encoding_combo,
            self.format_note,
        ):
            widget.hide()
        self.resize(640, 320)

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
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName(self.tr("Where the translation goes"))
        self.mode_combo.addItem(self.tr("In a new column beside the source"), "new_column")
        self.mode_combo.addItem(self.tr("In place of the source"), "replace")
        self.mode_label = QLabel(self.tr("&Translation:"))
        self.mode_label.setBuddy(self.mode_combo)
        self.bilingual_combo = QComboBox()
        self.bilingual_combo.setAccessibleName(self.tr("Bilingual copy"))
        self.bilingual_combo.addItem(self.tr("Translation only"), "off")
        self.bilingual_combo.addItem(
            self.tr("Source, then its translation (interleaved)"), "interleaved"
        )
        self.bilingual_combo.addItem(self.tr("Source and translation side by side"), "side_by_side")
        self.bilingual_label = QLabel(self.tr("For &learners:"))
        self.bilingual_label.setBuddy(self.bilingual_combo)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setAccessibleName(self.tr("Encoding of the translation"))
        self.encoding_combo.addItem(self.tr("UTF-8"), "utf-8")
        self.encoding_combo.addItem(self.tr("The same as the file's"), "same")
        self.encoding_label = QLabel(self.tr("&Encoding:"))
        self.encoding_label.setBuddy(self.encoding_combo)
        self.format_note = QLabel()
        self.format_note.setWordWrap(True)
        self.output_edit = QLineEdit()
        self.output_edit.setAccessibleName(self.tr("Translated file"))
        self.output_button = QPushButton(self.tr("C&hange…"))
        model_text = (
            self.tr("{model}, {direction}").format(
                model=model.name, direction=direction_label(source, target)
            )
            if model
            else self.tr("No model installed for {direction}.").format(
                direction=direction_label(source, target)
            )
        )
        self.model_label = QLabel(model_text)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.setRange(0, 1000)
        self.estimate = QLabel()
        self.estimate.setAccessibleName(self.tr("Time left"))
        self.estimate.setWordWrap(True)
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
        form.addRow(self.mode_label, self.mode_combo)
        row = QHBoxLayout()
        row.addWidget(self.output_edit, 1)
        row.addWidget(self.output_button)
        label = QLabel(self.tr("&Save as:"))
        label.setBuddy(self.output_edit)
        form.addRow(label, row)
        form.addRow(self.bilingual_label, self.bilingual_combo)
        form.addRow(self.encoding_label, self.encoding_combo)
        form.addRow(self.tr("Model:"), self.model_label)
        form.addRow(self.format_note)
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
        self.input_edit.editingFinished.connect(self._input_edited)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a document"),
            "",
            self.tr("Documents ({patterns});;All files (*)").format(
                patterns=" ".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)
            ),
        )
        if name:
            self.set_input(Path(name))

    def _input_edited(self) -> None:
        # editingFinished also comes when the field just loses focus: only a new file
        # resets the columns and options chosen for this one.
        text = self.input_edit.text()
        if text and Path(text) != self.input_path:
            self.set_input(Path(text))

    def set_input(self, path: Path) -> None:
        self.input_path = path
        self.input_edit.setText(str(path))
        self.output_edit.setText(str(default_output_path(path, self.target)))
        suffix = path.suffix.lower()
        found = document_format(path)
        is_table = suffix in (".csv", ".xlsx")
        self.column_combo.clear()
        if self.columns_task is not None:
            self.columns_task.cancel()  # another file was chosen since
            self.columns_task = None
        if is_table:  # the translation waits for the columns
            self.translate_button.setEnabled(False)
            if suffix == ".xlsx":
                self.column_combo.addItem(self.tr("All text cells"), "")
            read = (
                self.documents.csv_columns(path)
                if suffix == ".csv"
                else self.documents.table_columns(path)
            )
            self.columns_task = (
                read.on_done(self._columns_read).on_error(self._columns_failed).run()
            )
        for widget in (self.column_label, self.column_combo, self.mode_label, self.mode_combo):
            widget.setVisible(is_table)
        layouts = found.bilingual if found is not None else ()
        for index in range(self.bilingual_combo.count()):
            layout = self.bilingual_combo.itemData(index)
            self._set_item_enabled(
                self.bilingual_combo, index, layout == "off" or layout in layouts
            )
        self.bilingual_combo.setCurrentIndex(0)
        is_text = found is not None and found.text
        self.encoding_label.setVisible(is_text)
        self.encoding_combo.setVisible(is_text)
        self.format_note.setVisible(suffix == ".pdf")
        self.format_note.setText(
            self.tr(
                "Only the text of a PDF is translated, into a Word document (or a .txt file if "
                "you save it as .txt): the PDF's layout — columns, fonts, pictures — is not "
                "kept."
            )
            if suffix == ".pdf"
            else ""
        )
        self.estimate.clear()
        self.progress.setValue(0)
        self.open_button.hide()

    @staticmethod
    def _set_item_enabled(combo: QComboBox, index: int, enabled: bool) -> None:
        item = combo.model().item(index)  # type: ignore[attr-defined]
        item.setEnabled(enabled)

    def choose_output(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the translation as"), self.output_edit.text()
        )
        if name:
            self.output_edit.setText(name)

    def start(self, overwrite: bool = False) -> None:
        source_path, output = Path(self.input_edit.text()), Path(self.output_edit.text())
        if self.model is None:
            QMessageBox.warning(
                self,
                self.tr("No model"),
                self.tr(
                    "No installed model translates {direction}. Open Models → Manage models to "
                    "install one."
                ).format(direction=direction_label(self.source, self.target)),
            )
            return
        if not self.input_edit.text() or not source_path.is_file():
            QMessageBox.warning(
                self,
                self.tr("No file"),
                self.tr("Choose a file to translate: {extensions}.").format(
                    extensions=", ".join(SUPPORTED_EXTENSIONS)
                ),
            )
            return
        if output.exists() and not overwrite:
            if not self._ask_overwrite(output):
                return
            overwrite = True
        column: str | None = None
        columns: tuple[str, ...] = ()
        if not self.column_combo.isHidden():
            if source_path.suffix.lower() == ".xlsx":
                chosen = self.column_combo.currentData()
                columns = (str(chosen),) if chosen else ()
            else:
                column = self.column_combo.currentText()
        bilingual: Bilingual = self.bilingual_combo.currentData()
        model = self.model
        direction = Direction(self.source, self.target)
        options = TranslationOptions.for_quality(
            self.settings.quality, use_vmap=self.settings.use_vocabulary_map
        )
        threads = self.settings.threads
        work = self.documents.translate(
            model.path,
            source_path,
            output,
            direction,
            options,
            threads=threads,
            column=column,
            columns=columns,
            overwrite=overwrite,
            column_mode=self.mode_combo.currentData() if columns or column else "new_column",
            bilingual=bilingual,
            output_encoding=self.encoding_combo.currentData(),
        )

        self.written = None
        self.last_result = None
        self.progress.setValue(0)
        self.estimate.setText(self.tr("Loading the model…"))
        self._set_running(True)
        self.task = (
            work.on_done(self._done)
            .on_error(self._failed)
            .on_progress(self._progress)
            .on_cancelled(self._cancelled)
            .run()
        )

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
        for name in columns:
            self.column_combo.addItem(name, name)
        self.translate_button.setEnabled(self.task is None)

    def _columns_failed(self, error: BaseException) -> None:
        self.columns_task = None
        self.translate_button.setEnabled(self.task is None)
        errors.show_error(self, error)

    def _ask_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Replace the file?"),
            self.tr("{path} already exists. Replace it?").format(path=isolate(str(path))),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _progress(self, value: DocumentProgress) -> None:
        done, total = value.done_units, value.total_units
        self.progress.setValue(int(1000 * done / total) if total else 0)
        self.estimate.setText(
            self.tr("{done} of {total} parts translated, {eta}").format(
                done=done, total=total, eta=format_duration(value.eta_seconds)
            )
        )

    def _done(self, result: DocumentResult) -> None:
        self.task = None
        self.last_result = result
        self.written = result.path
        self._set_running(False)
        self.progress.setValue(1000)
        lines = [self.tr("Done: saved to {path}").format(path=isolate(str(result.path)))]
        lines += self.summary_lines(result)
        self.estimate.setText("\n".join(lines))
        self.open_button.show()

    def summary_lines(self, result: DocumentResult) -> list[str]:
        """What a person should know about a translated document, in their language."""
        lines: list[str] = []
        read, written = result.encoding, result.output_encoding
        if read is not None and read.detected:
            lines.append(
                self.tr(
                    "The file is not UTF-8: it was read as {encoding} (detected). If the text "
                    "looks wrong, save it as UTF-8 and translate it again."
                ).format(encoding=read.name)
            )
        elif read is not None and written is not None and written != read:
            lines.append(
                self.tr("Read as {read}; written as {written}.").format(
                    read=read.name, written=written.name
                )
            )
        lines += result.notes
        if result.untranslated:
            lines.append(
                self.tr("Not translated: {parts}.").format(parts="; ".join(result.untranslated))
            )
        return lines

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
        for widget in (
            self.translate_button,
            self.browse_button,
            self.output_button,
            self.input_edit,
            self.output_edit,
            self.column_combo,
            self.mode_combo,
            self.bilingual_combo,
            self.encoding_combo,
        ):
            widget.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(True)
        self.setCursor(Qt.CursorShape.BusyCursor if running else Qt.CursorShape.ArrowCursor)
