"""First start: one recommended model, installed right here; or a file, or another model.

Someone who just installed the app should reach a real translation without reading
anything: the welcome offers the catalog's recommended model (the smallest public Terjman)
with its sizes and license, and one button installs it — download, then conversion on this
computer — with progress, cancel and errors that say what to do, each with a retry. The
other ways stay one click away: import a package from a file or a USB stick (no internet),
choose another model in the model manager, or get access to a gated model with a token.
"""

from __future__ import annotations

import logging
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.errors import HubAccessError, TerjmanError
from terjman_desktop.core.models import catalog as core_catalog
from terjman_desktop.core.models.catalog import Catalog, CatalogEntry
from terjman_desktop.core.models.store.store import InstalledModel, Store, StoredModel
from terjman_desktop.core.settings import Settings, load_settings
from terjman_desktop.gui import errors, licenses
from terjman_desktop.gui.hub_access import (
    HubAccessPanel,
    has_token,
    hub_url,
    model_page,
    save_settings_soon,
)
from terjman_desktop.gui.install_job import InstallJob, start_install
from terjman_desktop.gui.model_import import choose_model_folder, choose_package_file, import_path
from terjman_desktop.gui.model_info import (
    directions_label,
    human_size,
    isolate,
    tier_hint,
)
from terjman_desktop.gui.task_runner import TaskContext, TaskRunner

logger = logging.getLogger(__name__)
PROBE_HOST = "huggingface.co"
PROBE_TIMEOUT = 3.0
PROGRESS_STEPS = 1000
_VERSION_SUFFIX = re.compile(r"\s+v\d+(\.\d+)*$")


def probe_online(host: str = PROBE_HOST, timeout: float = PROBE_TIMEOUT,
                 port: int = 443) -> bool:
    """Whether a TCP connection to ``host``:``port`` opens (no data is sent)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def short_name(entry: CatalogEntry) -> str:
    """``Terjman Nano v1`` → ``Terjman Nano``: the button names the model, not its version."""
    return _VERSION_SUFFIX.sub("", entry.name) or entry.name


def _probe_target(entry: CatalogEntry | None, catalog_url: str) -> tuple[str, int]:
    """The server an install of ``entry`` talks to first: the Hub, or the catalog's mirror."""
    url = hub_url() if entry is None or not entry.available else (
        entry.mirrors[0] if entry.mirrors else catalog_url)
    parts = urlsplit(url)
    try:
        port = parts.port or (80 if parts.scheme == "http" else 443)
    except ValueError:
        port = 443
    return parts.hostname or PROBE_HOST, port


def _gated_example(catalog: Catalog, offered: CatalogEntry | None) -> CatalogEntry | None:
    """A gated model to explain access with: the offered model's tier first."""
    gated = [e for e in catalog if e.gated and e.installable]
    same_tier = [e for e in gated if offered is not None and e.tier == offered.tier]
    return next(iter(same_tier or gated), None)


class WelcomeDialog(QDialog):
    """Shown at the first start while no model is installed.

    Signals:
        download_requested(): open the model manager (to choose another model).
        model_imported(InstalledModel): a model was installed or imported from here.
    """

    download_requested = Signal()
    model_imported = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None,
                 catalog_url: str = "", settings: Settings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.runner = runner
        # The main window's settings object: a token pasted here is saved with the rest.
        self.settings = settings if settings is not None else load_settings()
        self.catalog_url = catalog_url
        self.entry: CatalogEntry | None = None
        self.gated_entry: CatalogEntry | None = None
        self.job: InstallJob | None = None
        self.online: bool | None = None
        self.catalog_loaded = False
        self.setWindowTitle(self.tr("Welcome to Terjman"))
        self._create_widgets()
        self._connect()
        self._lay_out()
        self.runner.run_in_background(self._read_catalog_and_store, self._loaded,
                                      self._catalog_failed, name="welcome catalog")

    # ------------------------------------------------------------------ widgets

    def _create_widgets(self) -> None:
        self.intro = QLabel(self.tr(
            "<h2>Welcome to Terjman</h2>"
            "<p>Terjman translates between English and Moroccan Darija on this computer. "
            "It needs a translation model; once one is installed, no internet connection "
            "is needed.</p>"), self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self._create_offer()
        self.status = QLabel(self.tr("Checking the internet connection…"), self)
        self.status.setObjectName("welcomeStatus")
        self.status.setWordWrap(True)
        self.damaged_label = QLabel(self)
        self.damaged_label.setObjectName("welcomeDamaged")
        self.damaged_label.setWordWrap(True)
        self.damaged_label.hide()
        self.access_button = QPushButton(self)
        self.access_button.setObjectName("welcomeAccessToggle")
        self.access_button.setCheckable(True)
        self.access_button.setFlat(True)
        self.access_button.hide()
        self.access = HubAccessPanel(self.settings, self)
        self.access.hide()
        self.choose_button = QPushButton(self.tr("C&hoose another model…"), self)
        self.import_file_button = QPushButton(self.tr("Import a model &file (USB stick)…"), self)
        self.import_folder_button = QPushButton(self.tr("Import a model f&older…"), self)
        self.later_button = QPushButton(self.tr("&Later"), self)
        self.status.setAccessibleName(self.tr("Connection status"))
        self.install_status.setAccessibleName(self.tr("Installation status"))
        self.progress.setAccessibleName(self.tr("Installation progress"))
        for button in (self.install_button, self.cancel_button, self.choose_button,
                       self.import_file_button, self.import_folder_button, self.later_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

    def _create_offer(self) -> None:
        """The recommended model, its install button, progress and status."""
        self.offer = QGroupBox(self.tr("Recommended to start"), self)
        self.offer.setObjectName("welcomeOffer")
        self.model_label = QLabel(self.offer)
        self.model_label.setObjectName("welcomeModel")
        self.sizes_label = QLabel(self.offer)
        self.sizes_label.setObjectName("welcomeSizes")
        self.license_label = QLabel(self.offer)
        self.license_label.setObjectName("welcomeLicense")
        self.how_label = QLabel(self.offer)
        for label in (self.model_label, self.sizes_label, self.license_label, self.how_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)  # catalog text is never markup
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        name_font = self.model_label.font()
        name_font.setBold(True)
        name_font.setPointSizeF(name_font.pointSizeF() * 1.15)
        self.model_label.setFont(name_font)
        self.install_button = QPushButton(self.tr("&Install"), self.offer)
        self.install_button.setObjectName("welcomeInstall")
        self.install_button.setEnabled(False)
        button_font = self.install_button.font()
        button_font.setBold(True)
        self.install_button.setFont(button_font)
        self.install_button.setMinimumHeight(self.install_button.sizeHint().height() * 5 // 4)
        self.cancel_button = QPushButton(self.tr("&Cancel"), self.offer)
        self.cancel_button.setObjectName("welcomeCancel")
        self.cancel_button.hide()
        self.progress = QProgressBar(self.offer)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.install_status = QLabel(self.offer)
        self.install_status.setObjectName("welcomeInstallStatus")
        self.install_status.setWordWrap(True)
        self.install_status.setTextFormat(Qt.TextFormat.PlainText)
        self.install_status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

    def _connect(self) -> None:
        self.install_button.clicked.connect(self.install)
        self.cancel_button.clicked.connect(self.cancel_install)
        self.choose_button.clicked.connect(self._choose_another)
        self.import_file_button.clicked.connect(lambda: self._import(choose_package_file(self)))
        self.import_folder_button.clicked.connect(
            lambda: self._import(choose_model_folder(self)))
        self.later_button.clicked.connect(self.reject)
        self.access_button.toggled.connect(self._toggle_access)
        self.access.token_saved.connect(self._token_saved)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.install_button)
        actions.addWidget(self.cancel_button)
        actions.addStretch()
        offer = QVBoxLayout(self.offer)
        for widget in (self.model_label, self.sizes_label, self.license_label, self.how_label):
            offer.addWidget(widget)
        offer.addLayout(actions)
        offer.addWidget(self.progress)
        offer.addWidget(self.install_status)
        others = QHBoxLayout()
        others.addWidget(self.choose_button)
        others.addWidget(self.import_file_button)
        others.addWidget(self.import_folder_button)
        others.addStretch()
        others.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.offer)
        layout.addWidget(self.status)
        layout.addWidget(self.damaged_label)
        layout.addWidget(self.access_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.access)
        layout.addStretch()
        layout.addLayout(others)
        self.resize(680, 0)

    # ------------------------------------------------------------------ what to offer

    @staticmethod
    def _read_catalog_and_store(_: TaskContext) -> tuple[Catalog, list[StoredModel]]:
        return core_catalog.current(), [s for s in Store().entries() if not s.ok]

    def _loaded(self, found: tuple[Catalog, list[StoredModel]]) -> None:
        catalog, damaged = found
        self.catalog_loaded = True
        self.entry = core_catalog.recommended(catalog)
        self.gated_entry = _gated_example(catalog, self.entry)
        self._show_offer()
        self._show_damaged(damaged)
        if self.gated_entry is not None:
            self.access_button.setText(self.tr(
                "Newer models, such as {name}, need a Hugging Face account and an access "
                "token…").format(name=isolate(self.gated_entry.name)))
            self.access.show_model(self.gated_entry.name, model_page(self.gated_entry))
            self.access_button.show()
        self._fit_height()
        host, port = _probe_target(self.entry, self.catalog_url)
        self.runner.run_in_background(lambda _: probe_online(host, port=port), self._probed,
                                      lambda _: self._probed(False), name="probe online")

    def _catalog_failed(self, error: BaseException) -> None:
        self.catalog_loaded = True
        self._show_offer()
        self.status.setText(errors.describe(error).text)

    def _show_offer(self) -> None:
        entry = self.entry
        if entry is None:
            self.offer.hide()
            self.import_file_button.setDefault(True)
            return
        approx = "≈ " if entry.sizes_estimated else ""
        self.model_label.setText(self.tr("{name} — {directions}, {hint}").format(
            name=isolate(entry.name),
            directions=directions_label((d.source, d.target) for d in entry.directions),
            hint=tier_hint(entry.tier)))
        sizes = [self.tr("Download: {size}").format(
            size=isolate(approx + human_size(entry.download_size)))]
        if entry.installed_size:
            sizes.append(self.tr("on this computer: {size}").format(
                size=isolate(approx + human_size(entry.installed_size))))
        if entry.ram_required:
            sizes.append(self.tr("memory: {size}").format(
                size=isolate(approx + human_size(entry.ram_required))))
        self.sizes_label.setText(" · ".join(sizes))
        terms = self.tr("License: {license}. {attribution}").format(
            license=isolate(entry.license), attribution=entry.attribution)
        if entry.license.lower().startswith("cc-by-nc"):
            terms += " " + self.tr("It allows non-commercial use only, with credit to the "
                                   "authors.")
        self.license_label.setText(
            terms + " " + self.tr("Installing it means you accept this license."))
        self.how_label.setText(
            self.tr("It is downloaded from Hugging Face and converted on this computer; "
                    "this takes a few minutes.") if not entry.available else
            self.tr("It is downloaded from the catalog's servers and checked."))
        self._set_install_label()
        self.install_button.setEnabled(True)
        self.install_button.setDefault(True)

    def _fit_height(self) -> None:
        """Grow to show every wrapped line: a dialog does not follow its labels' new text."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
            needed = layout.totalHeightForWidth(self.width())
            self.resize(self.width(), max(self.height(), needed))

    def _set_install_label(self, retry: bool = False) -> None:
        if self.entry is None:
            return
        text = self.tr("Try &again") if retry else self.tr("&Install {name}").format(
            name=short_name(self.entry))
        self.install_button.setText(text)
        self.install_button.setAccessibleName(text.replace("&", ""))

    def _show_damaged(self, damaged: list[StoredModel]) -> None:
        if not damaged:
            return
        names = ", ".join(isolate(s.name) for s in damaged)
        self.damaged_label.setText(self.tr(
            "A model on this computer is damaged and cannot be used: {names}. Choose "
            "another model to open the model manager, where you can repair or delete it."
        ).format(names=names))
        self.damaged_label.show()

    def _probed(self, online: bool) -> None:
        self.online = online
        if self.job is not None:
            return
        if not online:
            self.status.setText(self.tr(
                "This computer seems to be offline. Import a model package from a file, a "
                "folder or a USB stick, or connect to the internet and install."))
            self.import_file_button.setDefault(True)
        elif self.entry is not None:
            self.status.setText(self.tr(
                "You are online: install the recommended model, or choose another one."))
        else:
            self.status.setText(self.tr(
                "The model catalog offers no model that installs without a Hugging Face "
                "account: choose one in the model manager, or import a model package."))

    # ------------------------------------------------------------------ installing

    def install(self) -> None:
        """Install the recommended model here (a retry after an error or a cancel too)."""
        entry = self.entry
        if entry is None or self.job is not None:
            return
        if entry.gated and not has_token(self.settings):
            self._explain_access(entry)
            return
        licenses.remember(entry.id)  # the license is on screen: the click accepts it
        self._set_running(True)
        self.install_status.setText(self.tr("Starting…"))
        self.job = start_install(self.runner, entry, self.settings, on_change=self._changed,
                                 on_done=self._installed, on_error=self._failed,
                                 on_cancelled=self._cancelled)

    def cancel_install(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.install_status.setText(self.job.status_text())

    def _set_running(self, running: bool) -> None:
        self.install_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.progress.setValue(0)
        for button in (self.choose_button, self.import_file_button, self.import_folder_button):
            button.setEnabled(not running)
        self._fit_height()

    def _changed(self, job: InstallJob) -> None:
        self.progress.setValue(int(PROGRESS_STEPS * job.fraction))
        self.install_status.setText(job.status_text())

    def _installed(self, model: InstalledModel) -> None:
        self.job = None
        self._set_running(False)
        self.install_status.setText(self.tr("{name} is installed. You can start translating.")
                                    .format(name=model.name))
        self.model_imported.emit(model)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.job = None
        self._set_running(False)
        if not isinstance(error, TerjmanError):
            logger.error("The install from the welcome failed", exc_info=error)
        message = errors.describe(error)
        self.install_status.setText(
            "\n".join(part for part in (message.title, message.text, message.hint) if part))
        self._set_install_label(retry=True)
        if isinstance(error, HubAccessError) and self.entry is not None:
            self._explain_access(self.entry, keep_status=True)
        self._fit_height()

    def _cancelled(self) -> None:
        self.job = None
        self._set_running(False)
        self.install_status.setText(self.tr(
            "The installation was cancelled; nothing was installed. What was already "
            "downloaded is kept, so installing again goes faster."))
        self._set_install_label()
        self._fit_height()

    def _explain_access(self, entry: CatalogEntry, *, keep_status: bool = False) -> None:
        self.access.show_model(entry.name, model_page(entry))
        self.access_button.show()
        self.access_button.setChecked(True)
        if not keep_status:
            self.install_status.setText(self.tr(
                "{name} needs a Hugging Face access token: follow the steps below, then "
                "install again.").format(name=entry.name))

    def _toggle_access(self, shown: bool) -> None:
        self.access.setVisible(shown)
        self._fit_height()

    def _token_saved(self, _: str) -> None:
        save_settings_soon(self.runner, self.settings)
        self.status.setText(self.tr(
            "The token is saved. Install the model again, or choose a gated model in the "
            "model manager."))

    # ------------------------------------------------------------------ other ways

    def _choose_another(self) -> None:
        self.accept()
        self.download_requested.emit()

    def _import(self, path: object) -> None:
        if not isinstance(path, Path):
            return

        def done(model: InstalledModel) -> None:
            self.status.setText(self.tr("{name} is installed. You can start translating.")
                                .format(name=model.name))
            self.model_imported.emit(model)
            self.accept()

        import_path(self, self.runner, path, done)

    def reject(self) -> None:
        """Closing the welcome (Later, Escape) stops an install it started."""
        if self.job is not None:
            self.job.cancel()
        super().reject()
