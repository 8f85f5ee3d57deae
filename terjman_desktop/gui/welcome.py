"""First start: one recommended model, installed right here; or a file, or another model.

Someone who just installed the app should reach a real translation without reading
anything: the welcome offers the catalog's recommended model (the smallest public Terjman)
with its sizes and license, and one button installs it — download, then conversion on this
computer, then a vocabulary map learned here when the catalog names the model's training
data — with progress, cancel and errors that say what to do, each with a retry. The
other ways stay one click away: import a package from a file or a USB stick (no internet),
choose another model in the model manager, or get access to a gated model with a token.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from terjman_desktop.core.errors import HubAccessError, TerjmanError
from terjman_desktop.core.models import Catalog, CatalogEntry, InstalledModel, recommended
from terjman_desktop.gui import errors
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.hub_access import has_token, hub_url, model_page
from terjman_desktop.gui.install_job import InstallJob, map_note, start_install
from terjman_desktop.gui.model_import import choose_model_folder, choose_package_file, import_path
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.operations import Op
from terjman_desktop.gui.operations.models import InstallOutcome, ModelOps, WelcomeState
from terjman_desktop.gui.operations.settings import SettingsOps
from terjman_desktop.gui.welcome_view import PROGRESS_STEPS, WelcomeView

logger = logging.getLogger(__name__)
PROBE_HOST = "huggingface.co"
PROBE_TIMEOUT = 3.0


def probe_online(host: str = PROBE_HOST, timeout: float = PROBE_TIMEOUT,
                 port: int = 443) -> bool:
    """Whether a TCP connection to ``host``:``port`` opens (no data is sent)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


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


class WelcomeDialog(WelcomeView):
    """Shown at the first start while no model is installed.

    Signals:
        download_requested(): open the model manager (to choose another model).
        model_imported(InstalledModel): a model was installed or imported from here.
        note(str, str): a model id and a line for the window's status bar once the welcome
            closes (what became of the vocabulary map learned after the install).
    """

    download_requested = Signal()
    model_imported = Signal(object)
    note = Signal(str, str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.ops = ModelOps(context)
        self.gated_entry: CatalogEntry | None = None
        self.job: InstallJob | None = None
        self.online: bool | None = None
        self.catalog_loaded = False
        self._connect()
        self.ops.welcome_state().on_done(self._loaded).on_error(self._catalog_failed).run()



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


    # ------------------------------------------------------------------ what to offer

    def _loaded(self, state: WelcomeState) -> None:
        catalog, damaged = state.catalog, state.damaged
        self.catalog_loaded = True
        self.entry = recommended(catalog)
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
        host, port = _probe_target(self.entry, self.settings.catalog_url)
        Op(self.context.runner, lambda _: probe_online(host, port=port),
           name="probe online").on_done(self._probed).on_error(
            lambda _: self._probed(False)).run()

    def _catalog_failed(self, error: BaseException) -> None:
        self.catalog_loaded = True
        self._show_offer()
        self.status.setText(errors.describe(error).text)





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
        self.ops.accept_license(entry.id).run()  # the license is on screen: the click accepts it
        self._set_running(True)
        self.install_status.setText(self.tr("Starting…"))
        self.job = start_install(self.ops, entry, on_change=self._changed,
                                 on_done=self._installed, on_error=self._failed,
                                 on_cancelled=self._cancelled)

    def cancel_install(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.install_status.setText(self.job.status_text())


    def _changed(self, job: InstallJob) -> None:
        self.progress.setValue(int(PROGRESS_STEPS * job.fraction))
        self.install_status.setText(job.status_text())

    def _installed(self, outcome: InstallOutcome) -> None:
        self.job = None
        self._set_running(False)
        model = outcome.model
        self.install_status.setText(self.tr("{name} is installed. You can start translating.")
                                    .format(name=model.name))
        note = map_note(outcome)
        if note is not None:  # the welcome closes now: the window's status bar says it
            self.note.emit(model.id, note)
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
        SettingsOps(self.context).save().run()
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

        import_path(self, self.ops, path, done)

    def reject(self) -> None:
        """Closing the welcome (Later, Escape) stops an install it started."""
        if self.job is not None:
            self.job.cancel()
        super().reject()
