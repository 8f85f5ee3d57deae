"""The model manager: catalog and installed models; download, verify, delete, import, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core import catalog as core_catalog
from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.catalog import Catalog, CatalogEntry
from terjman_desktop.core.download import DownloadProgress
from terjman_desktop.core.engine import ModelCache
from terjman_desktop.core.settings import Settings, effective_hf_token
from terjman_desktop.core.store import InstalledModel, Store, VerifyResult
from terjman_desktop.gui.licenses import confirm_license
from terjman_desktop.gui.model_import import choose_model_folder, choose_package_file, import_path
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.model_table import Download, ModelTable
from terjman_desktop.gui.task_runner import TaskContext, TaskRunner

T = TypeVar("T")


class ModelManagerDialog(QDialog):
    """Keep one per main window: downloads go on while it is closed.

    Signals:
        models_changed(): a model was installed, imported or deleted.
    """

    models_changed = Signal()

    def __init__(self, runner: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelManager")
        self.runner = runner
        self.settings = settings
        self.installed: dict[str, InstalledModel] = {}
        self.catalog: Catalog | None = None
        self.downloads: dict[str, Download] = {}
        self.table = ModelTable(self)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.hide()
        names = ("download", "pause", "resume", "cancel", "delete", "verify", "export",
                 "import_file", "import_folder", "refresh")
        self.buttons: dict[str, QPushButton] = {n: QPushButton(self) for n in names}
        grid = QGridLayout()
        for index, name in enumerate(names):
            grid.addWidget(self.buttons[name], index // 5, index % 5)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.progress)
        layout.addLayout(grid)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(close)
        layout.addLayout(bottom)
        b = self.buttons
        b["download"].clicked.connect(self.download_selected)
        b["pause"].clicked.connect(lambda: self._control("pause"))
        b["resume"].clicked.connect(lambda: self._control("resume"))
        b["cancel"].clicked.connect(lambda: self._control("cancel"))
        b["delete"].clicked.connect(self.delete_selected)
        b["verify"].clicked.connect(self.verify_selected)
        b["export"].clicked.connect(self.export_selected)
        b["import_file"].clicked.connect(lambda: self.import_from(choose_package_file(self)))
        b["import_folder"].clicked.connect(lambda: self.import_from(choose_model_folder(self)))
        b["refresh"].clicked.connect(lambda: self.reload(refresh=True))
        self.table.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.retranslate()
        self.resize(1100, 560)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Models"))
        labels = {
            "download": self.tr("&Download"), "pause": self.tr("&Pause"),
            "resume": self.tr("&Resume"), "cancel": self.tr("&Cancel download"),
            "delete": self.tr("De&lete"), "verify": self.tr("&Verify"),
            "export": self.tr("&Export for sharing…"), "import_file": self.tr("Import a &file…"),
            "import_folder": self.tr("Import a f&older…"),
            "refresh": self.tr("Re&fresh the catalog"),
        }
        for name, text in labels.items():
            self.buttons[name].setText(text)
            self.buttons[name].setAccessibleName(text.replace("&", "").rstrip("…"))
        self.details.setAccessibleName(self.tr("Model details"))
        self.table.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------ data

    def reload(self, *, refresh: bool = False) -> None:
        """Read the store and the catalog (fetching a fresh one with ``refresh``)."""
        url = self.settings.catalog_url

        def work(_: TaskContext) -> tuple[list[InstalledModel], Catalog, Exception | None]:
            if refresh and url:
                catalog, problem = core_catalog.refresh_or_current(url)
            else:
                catalog, problem = core_catalog.current(), None
            return Store().list(), catalog, problem

        self.runner.run_in_background(work, self._loaded, name="model manager")

    def _loaded(self, found: tuple[list[InstalledModel], Catalog, Exception | None]) -> None:
        models, self.catalog, problem = found
        self.installed = {m.id: m for m in models}
        self.table.fill(self.installed, self.catalog, self.downloads)
        self._selection_changed()
        if problem is not None:
            self._report(problem)

    def _entry(self, model_id: str | None) -> CatalogEntry | None:
        return self.catalog.find(model_id) if self.catalog and model_id else None

    def _selection_changed(self) -> None:
        model_id = self.table.selected_id()
        entry, model = self._entry(model_id), self.installed.get(model_id or "")
        download = self.downloads.get(model_id or "")
        b = self.buttons
        b["download"].setEnabled(bool(entry and entry.available and not download and not model))
        b["pause"].setEnabled(bool(download and not download.control.paused))
        b["resume"].setEnabled(bool(download and download.control.paused))
        b["cancel"].setEnabled(download is not None)
        for name in ("delete", "verify", "export"):
            b[name].setEnabled(model is not None and download is None)
        lines = []
        if entry is not None:
            lines += [entry.notes,
                      self.tr("Base model: {base}").format(base=isolate(entry.base_model)),
                      self.tr("License: {license}. {attribution}").format(
                          license=isolate(entry.license), attribution=entry.attribution)]
        if model is not None:
            lines.append(self.tr("Installed in {path}").format(path=isolate(str(model.path))))
        self.details.setText("\n".join(line for line in lines if line))
        self.progress.setVisible(download is not None)
        if download is not None:
            self.progress.setValue(int(1000 * download.fraction))

    def _refresh_row(self, model_id: str) -> None:
        item = self.table.item_for(model_id)
        if item is not None:
            self.table.update_row(item, self.installed.get(model_id), self._entry(model_id),
                                  self.downloads.get(model_id))
        if model_id == self.table.selected_id():
            self._selection_changed()

    # ------------------------------------------------------------------ downloads

    def download_selected(self) -> None:
        entry = self._entry(self.table.selected_id())
        if entry is None or not entry.available or entry.id in self.downloads:
            return
        if not confirm_license(self, entry):
            return
        mirrors = tuple(m for m in self.settings.mirrors if m not in entry.mirrors)
        target = replace(entry, mirrors=mirrors + entry.mirrors)
        token = effective_hf_token(self.settings) or None
        download = Download(entry, PauseToken())
        self.downloads[entry.id] = download

        def work(ctx: TaskContext) -> InstalledModel:
            from terjman_desktop.core.install import install_from_catalog

            return install_from_catalog(target, Store(), token=token, progress=ctx.progress,
                                        control=download.control)

        def progress(value: object) -> None:
            if isinstance(value, DownloadProgress):
                download.progress = value
                self._refresh_row(entry.id)

        def finished(model: InstalledModel) -> None:
            self.downloads.pop(entry.id, None)
            self.installed[model.id] = model
            self._refresh_row(entry.id)
            self.models_changed.emit()

        def failed(error: BaseException) -> None:
            self.downloads.pop(entry.id, None)
            self._refresh_row(entry.id)
            self._report(error)

        def cancelled() -> None:
            self.downloads.pop(entry.id, None)
            self._refresh_row(entry.id)
            self.runner.run_in_background(lambda _: Store().clean_staging(entry.id),
                                          name="clean staging")

        download.task = self.runner.run_in_background(
            work, finished, failed, progress, on_cancelled=cancelled,
            token=download.control, name=f"download {entry.id}")
        self._refresh_row(entry.id)

    def _control(self, action: str) -> None:
        download = self.downloads.get(self.table.selected_id() or "")
        if download is None:
            return
        getattr(download.control, action)()
        self._refresh_row(download.entry.id)

    # ------------------------------------------------------------------ installed models

    def delete_selected(self) -> None:
        model = self.installed.get(self.table.selected_id() or "")
        if model is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete a model"),
            self.tr("Delete {name} from this computer? You can install it again later.")
            .format(name=model.name))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def work(models: ModelCache, _: TaskContext) -> None:
            models.unload(model.path)  # on the model thread: never while it translates
            Store().remove(model.id)

        def done(_: None) -> None:
            self.installed.pop(model.id, None)
            self.models_changed.emit()
            self.reload()

        self.runner.run_with_model(work, done, name="delete model")

    def verify_selected(self) -> None:
        model = self.installed.get(self.table.selected_id() or "")
        if model is None:
            return

        def done(result: VerifyResult) -> None:
            self.progress.hide()
            if result.ok:
                QMessageBox.information(self, self.tr("Verify"),
                                        self.tr("All files of {name} are intact.")
                                        .format(name=model.name))
            else:
                QMessageBox.warning(
                    self, self.tr("Verify"),
                    self.tr("{name} is damaged:\n{problems}\n\nDelete it and install it again.")
                    .format(name=model.name, problems="\n".join(result.problems[:10])))
            self.reload()

        self._with_progress(
            lambda ctx: Store().verify(model.id, lambda d, t: ctx.progress((d, t)), ctx.cancel),
            done, "verify")

    def export_selected(self) -> None:
        model = self.installed.get(self.table.selected_id() or "")
        if model is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export a model for sharing"), f"{model.id}.zip",
            self.tr("Model packages (*.zip)"))
        if not name:
            return
        destination = Path(name)

        def done(path: Path) -> None:
            self.progress.hide()
            QMessageBox.information(self, self.tr("Export"),
                                    self.tr("{name} was saved to {path}. Copy it to a USB stick "
                                            "and use Models → Import on another computer.")
                                    .format(name=isolate(model.name), path=isolate(str(path))))

        self._with_progress(
            lambda ctx: Store().export(model.id, destination, lambda d, t: ctx.progress((d, t)),
                                       ctx.cancel, overwrite=True), done, "export")

    def import_from(self, path: Path | None) -> None:
        if path is None:
            return

        def done(model: InstalledModel) -> None:
            self.installed[model.id] = model
            self.models_changed.emit()
            self.reload()

        import_path(self, self.runner, path, done)

    def _with_progress(self, fn: Callable[[TaskContext], T], done: Callable[[T], None],
                       name: str) -> None:
        def progress(value: tuple[int, int]) -> None:
            finished, total = value
            self.progress.setValue(int(1000 * finished / total) if total else 0)

        def failed(error: BaseException) -> None:
            self.progress.hide()
            self._report(error)

        self.progress.setValue(0)
        self.progress.show()
        self.runner.run_in_background(fn, done, failed, progress, name=name)

    def _report(self, error: BaseException) -> None:
        if self.runner.default_error is not None:
            self.runner.default_error(error)
