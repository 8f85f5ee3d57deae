"""Importing a model package (a ``.zip`` or a model folder), from anywhere in the app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from terjman_desktop.core.models import InstalledModel
from terjman_desktop.gui.operations.models import ModelOps

PROGRESS_STEPS = 1000


def choose_package_file(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("model_import", "Import a model package"),
        "",
        QCoreApplication.translate("model_import", "Model packages (*.zip);;All files (*)"),
    )
    return Path(name) if name else None


def choose_model_folder(parent: QWidget | None) -> Path | None:
    name = QFileDialog.getExistingDirectory(
        parent, QCoreApplication.translate("model_import", "Import a model folder")
    )
    return Path(name) if name else None


def import_path(
    parent: QWidget | None,
    ops: ModelOps,
    path: Path,
    on_done: Callable[[InstalledModel], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Import ``path`` into the store on a worker, with a cancellable progress dialog."""
    dialog = QProgressDialog(parent)
    dialog.setWindowTitle(QCoreApplication.translate("model_import", "Importing a model"))
    dialog.setLabelText(
        QCoreApplication.translate("model_import", "Copying and checking {name}…").format(
            name=path.name)
    )
    dialog.setRange(0, PROGRESS_STEPS)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(value: tuple[int, int]) -> None:
        done, total = value
        dialog.setValue(int(PROGRESS_STEPS * done / total) if total else 0)

    def closed() -> None:
        dialog.close()

    def done(model: InstalledModel) -> None:
        dialog.close()
        on_done(model)

    def failed(error: BaseException) -> None:
        dialog.close()
        (on_error or ops.context.runner.default_error or (lambda _: None))(error)

    task = (ops.import_path(path).on_done(done).on_error(failed).on_progress(progress)
            .on_cancelled(closed).run())
    dialog.canceled.connect(task.cancel)


def import_model_interactively(
    parent: QWidget | None,
    ops: ModelOps,
    on_done: Callable[[InstalledModel], None],
    *,
    folder: bool = False,
) -> None:
    """Ask for a package file (or a folder), import it, then say so."""
    path = choose_model_folder(parent) if folder else choose_package_file(parent)
    if path is None:
        return

    def imported(model: InstalledModel) -> None:
        QMessageBox.information(
            parent,
            QCoreApplication.translate("model_import", "Model imported"),
            QCoreApplication.translate(
                "model_import", "{name} is installed and ready to translate."
            ).format(name=model.name),
        )
        on_done(model)

    import_path(parent, ops, path, imported)
