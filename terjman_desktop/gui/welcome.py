"""First run: what the tiers are, and how to get a model (download, or import from a USB stick)."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terjman_desktop.core import catalog as core_catalog
from terjman_desktop.core.store import InstalledModel
from terjman_desktop.gui.model_import import choose_model_folder, choose_package_file, import_path
from terjman_desktop.gui.task_runner import TaskRunner

PROBE_HOST = "huggingface.co"
PROBE_TIMEOUT = 3.0


def probe_online(host: str = PROBE_HOST, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether a TCP connection to ``host`` on port 443 opens (no data is sent)."""
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def _catalog_has_downloads() -> bool:
    try:
        return any(entry.available for entry in core_catalog.current())
    except Exception:
        return False


class WelcomeDialog(QDialog):
    """Shown at the first start while no model is installed.

    Signals:
        download_requested(): open the model manager.
        model_imported(InstalledModel): a model was imported from here.
    """

    download_requested = Signal()
    model_imported = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None,
                 catalog_url: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.runner = runner
        self.setWindowTitle(self.tr("Welcome to Terjman"))
        intro = QLabel(self.tr(
            "<h2>Welcome to Terjman</h2>"
            "<p>Terjman translates between English and Moroccan Darija on this computer. "
            "Once a translation model is installed, no internet connection is needed.</p>"
            "<p>Models come in tiers:</p><ul>"
            "<li><b>Nano</b>: about 80 MB, the fastest, English → Darija.</li>"
            "<li><b>Large</b>: about 250 MB, better translations, English → Darija.</li>"
            "<li><b>Ultra</b>: about 1.3 GB, the best quality, both directions; "
            "needs 4 GB of memory.</li>"
            "<li><b>Supreme</b>: about 3.3 GB, top quality, both directions; "
            "needs 8 GB of memory or more.</li></ul>"
            "<p>A teacher can install a model once and share it on a USB stick.</p>"))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel(self.tr("Checking the internet connection…"), self)
        self.status.setObjectName("welcomeStatus")
        self.status.setWordWrap(True)
        self.download_button = QPushButton(self.tr("&Download a model…"), self)
        self.download_button.setEnabled(False)
        self.import_file_button = QPushButton(self.tr("Import a model &file (USB stick)…"), self)
        self.import_folder_button = QPushButton(self.tr("Import a model f&older…"), self)
        self.later_button = QPushButton(self.tr("&Later"), self)
        for button in (self.download_button, self.import_file_button,
                       self.import_folder_button, self.later_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.status.setAccessibleName(self.tr("Connection status"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.import_file_button)
        buttons.addWidget(self.import_folder_button)
        buttons.addStretch()
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.download_button.clicked.connect(self._download)
        self.import_file_button.clicked.connect(lambda: self._import(choose_package_file(self)))
        self.import_folder_button.clicked.connect(
            lambda: self._import(choose_model_folder(self)))
        self.later_button.clicked.connect(self.reject)
        self.import_file_button.setDefault(True)
        self.online: bool | None = None
        host = urlsplit(catalog_url).hostname if catalog_url else None
        self.runner.run_in_background(
            lambda _: (probe_online(host or PROBE_HOST), _catalog_has_downloads()),
            self._probed, lambda _: self._probed((False, False)), name="probe online")

    def _probed(self, found: tuple[bool, bool]) -> None:
        online, downloadable = found
        self.online = online
        if not online:
            self.status.setText(self.tr(
                "This computer is offline, so no model can be downloaded now. If you have "
                "a model package on a USB stick or in a folder, import it."))
        elif not downloadable:
            self.status.setText(self.tr(
                "No model in the catalog can be downloaded yet. Import a model package "
                "from a file, a folder or a USB stick."))
        else:
            self.status.setText(self.tr(
                "You are online: choose a model to download, or import one from a file."))
            self.download_button.setEnabled(True)
            self.download_button.setDefault(True)

    def _download(self) -> None:
        self.accept()
        self.download_requested.emit()

    def _import(self, path: object) -> None:
        from pathlib import Path

        if not isinstance(path, Path):
            return

        def done(model: InstalledModel) -> None:
            self.status.setText(self.tr("{name} is installed. You can start translating.")
                                .format(name=model.name))
            self.model_imported.emit(model)
            self.accept()

        import_path(self, self.runner, path, done)
