"""The main window: the translation panel, the history dock, menus, and the app's state."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMainWindow, QWidget

from terjman_desktop.core import paths
from terjman_desktop.core.models import catalog as core_catalog
from terjman_desktop.core.models.store.store import InstalledModel, Store
from terjman_desktop.core.settings import Settings, load_settings, save_settings
from terjman_desktop.core.translate.engine import ModelCache
from terjman_desktop.gui import errors, i18n, theme
from terjman_desktop.gui.history_panel import HistoryPanel
from terjman_desktop.gui.main_actions import MainActions
from terjman_desktop.gui.store_watcher import StoreWatcher
from terjman_desktop.gui.task_runner import Task, TaskContext, TaskRunner
from terjman_desktop.gui.translate_panel import PanelOptions, TranslatePanel
from terjman_desktop.gui.translation_controller import PanelResult

if TYPE_CHECKING:
    from terjman_desktop.gui.model_manager import ModelManagerDialog

logger = logging.getLogger(__name__)
SAVE_DELAY_MS = 400


class MainWindow(QMainWindow):
    """The application window.

    Args:
        settings: The settings to start with (read from disk when omitted).
        first_run_check: Open the welcome when no model is installed.
    """

    def __init__(self, settings: Settings | None = None, *, first_run_check: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.settings = settings if settings is not None else load_settings()
        self.runner = TaskRunner(self, default_error=self.show_error)
        self.models: list[InstalledModel] = []
        self.catalog_tiers: dict[str, str] = {}
        self.first_run_check = first_run_check
        self.welcome: QDialog | None = None
        self.model_manager: ModelManagerDialog | None = None
        self._models_loaded = False
        self._models_task: Task[tuple[list[InstalledModel], dict[str, str]]] | None = None
        self._normal_state = Qt.WindowState.WindowNoState
        self._last_recorded: tuple[str, str] | None = None

        self.panel = TranslatePanel(self.runner, self._panel_options(), self)
        self.panel.set_direction(self.settings.source_language, self.settings.target_language)
        self.setCentralWidget(self.panel)
        self.history = HistoryPanel(self.runner, self)
        self.history.set_enabled_state(self.settings.history_enabled)
        self.history_dock = QDockWidget(self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        self._docks_mirrored = False
        self._mirror_docks()  # started in Arabic: the panel goes to the left from the start
        self.actions_ = MainActions(self)
        self.statusBar().setObjectName("statusBar")
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self._save_in_background)

        self.panel.settled.connect(self.record_history)
        self.panel.star_requested.connect(self.star)
        self.panel.models_requested.connect(self.open_model_manager)
        self.panel.error.connect(self.show_error)
        self.panel.direction_changed.connect(self._direction_changed)
        self.panel.model_changed.connect(self._model_changed)
        self.panel.classroom_exit_requested.connect(lambda: self.set_classroom(False))
        self.history.entry_chosen.connect(self.load_pair)
        self.history.history_toggled.connect(self._history_toggled)
        # Models installed or removed by `terjman` or another window show up while we run.
        self.store_watcher = StoreWatcher(paths.models_dir(), self)
        self.store_watcher.changed.connect(self.refresh_models)

        self.retranslate()
        self.resize(1100, 680)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode()))
        self.refresh_models()
        self.history.refresh()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Terjman — English ⇄ Darija"))
        self.history_dock.setWindowTitle(self.tr("History and phrasebook"))
        self.actions_.retranslate()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.LayoutDirectionChange:
            self._mirror_docks()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.store_watcher.poke()  # back from a terminal or a dialog: look again
        super().changeEvent(event)

    def _mirror_docks(self) -> None:
        """Keep the history panel on the trailing side of the window.

        QMainWindow does not mirror dock areas for right-to-left interfaces, so left and right
        are swapped whenever the direction flips (a side the user chose is mirrored too).
        """
        mirrored = self.layoutDirection() == Qt.LayoutDirection.RightToLeft
        if mirrored == self._docks_mirrored:
            return
        self._docks_mirrored = mirrored
        swap = {Qt.DockWidgetArea.LeftDockWidgetArea: Qt.DockWidgetArea.RightDockWidgetArea,
                Qt.DockWidgetArea.RightDockWidgetArea: Qt.DockWidgetArea.LeftDockWidgetArea}
        area = self.dockWidgetArea(self.history_dock)
        if area in swap and not self.history_dock.isFloating():
            self.addDockWidget(swap[area], self.history_dock)  # moves it, keeps visibility

    # ------------------------------------------------------------------ models

    def refresh_models(self) -> None:
        """Re-read the installed models (and the catalog's tiers) in the background.

        A newer refresh cancels an older one still running, so an outdated listing never
        arrives after a newer one.
        """

        def work(_: TaskContext) -> tuple[list[InstalledModel], dict[str, str]]:
            try:
                tiers = {e.id: e.tier for e in core_catalog.current()}
            except Exception:  # a missing catalog only costs the tier labels
                logger.warning("No catalog for the model tiers", exc_info=True)
                tiers = {}
            return Store().list(), tiers

        if self._models_task is not None:
            self._models_task.cancel()
        self._models_task = self.runner.run_in_background(work, self._models_loaded_cb,
                                                          name="list models")

    def _models_loaded_cb(self, found: tuple[list[InstalledModel], dict[str, str]]) -> None:
        from terjman_desktop.gui.model_info import tier_of

        models, catalog_tiers = found
        tiers = {m.id: tier_of(m, catalog_tiers) for m in models}
        first = not self._models_loaded
        if not first and (models, tiers) == (self.models, self.catalog_tiers):
            return  # a look on activation found nothing new: leave the picker alone
        before, shown = self.models, self.panel.current_model()
        self.models, self.catalog_tiers = models, tiers
        self._drop_stale_models(before, models)
        self.panel.set_models(models, tiers, self.settings.model_id)
        self._models_loaded = True
        if first:
            if not models and self.first_run_check:
                self.show_welcome()
            return
        self._say_what_changed(before, models, shown)

    def _drop_stale_models(self, before: list[InstalledModel],
                           after: list[InstalledModel]) -> None:
        """Forget what came from models that are gone or were replaced since the last listing.

        That is their kept translations, and their loaded copy (unloaded on the model thread,
        so never while it translates).
        """
        def unloader(path: Path) -> Callable[[ModelCache, TaskContext], None]:
            return lambda cache, _: cache.unload(path)

        current = [(m.id, m.path, m.manifest) for m in after]  # manifests are not hashable
        for model in before:
            if (model.id, model.path, model.manifest) not in current:
                self.panel.controller.forget(model.id)
                self.runner.run_with_model(unloader(model.path), name="unload a removed model")

    def _say_what_changed(self, before: list[InstalledModel], after: list[InstalledModel],
                          shown: InstalledModel | None) -> None:
        """Tell the person when the picker's model went away, or when a model arrived.

        A model that arrives while the welcome screen asks for one also closes the welcome.
        """
        if after and self.welcome is not None and self.welcome.isVisible():
            self.welcome.accept()
        added = [m for m in after if m.id not in {b.id for b in before}]
        now = self.panel.current_model()
        if shown is not None and shown.id not in {m.id for m in after}:
            if now is not None:
                message = self.tr("{name} is no longer installed; now translating with {other}."
                                  ).format(name=shown.name, other=now.name)
            else:
                message = self.tr("{name} is no longer installed.").format(name=shown.name)
        elif added:
            message = self.tr("{name} is now installed.").format(name=added[0].name)
        else:
            return
        self.statusBar().showMessage(message, 10_000)

    # ------------------------------------------------------------------ dialogs

    def show_welcome(self) -> None:
        from terjman_desktop.gui.welcome import WelcomeDialog

        dialog = WelcomeDialog(self.runner, self, self.settings.catalog_url, self.settings)
        dialog.download_requested.connect(self.open_model_manager)
        dialog.model_imported.connect(lambda _: self.refresh_models())
        self.welcome = dialog
        dialog.open()

    def open_model_manager(self) -> None:
        from terjman_desktop.gui.model_manager import ModelManagerDialog

        if self.model_manager is None:  # one per window: downloads go on while it is closed
            self.model_manager = ModelManagerDialog(self.runner, self.settings, self)
            self.model_manager.models_changed.connect(self.refresh_models)
            self.model_manager.models_changed.connect(self.panel.controller.forget)
        else:
            self.model_manager.settings = self.settings
            self.model_manager.reload()
        self.model_manager.open()

    def import_model(self, *, folder: bool = False) -> None:
        from terjman_desktop.gui.model_import import import_model_interactively

        import_model_interactively(self, self.runner, lambda _: self.refresh_models(),
                                   folder=folder)

    def open_settings(self) -> None:
        from terjman_desktop.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def open_document_dialog(self) -> None:
        from terjman_desktop.gui.document_dialog import DocumentDialog

        model = self.panel.current_model()
        source, target = self.panel.direction
        dialog = DocumentDialog(self.runner, model, source, target, self.settings, self)
        dialog.open()

    def show_error(self, error: BaseException) -> None:
        errors.show_error(self, error)

    # ------------------------------------------------------------------ settings

    def _panel_options(self) -> PanelOptions:
        s = self.settings
        return PanelOptions(s.quality, s.threads, s.translate_as_you_type, s.show_arabizi,
                            s.font_family, s.font_size, s.classroom_font_size)

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings everywhere and save them."""
        old = self.settings
        self.settings = settings
        app = QApplication.instance()
        if isinstance(app, QApplication):
            if settings.theme != old.theme:
                theme.apply_theme(app, settings.theme)
            if settings.ui_language != old.ui_language:
                i18n.apply_language(app, settings.ui_language)
        if (settings.source_language, settings.target_language) != (
                old.source_language, old.target_language):
            self.panel.set_direction(settings.source_language, settings.target_language)
        self.panel.apply_options(self._panel_options())
        self.history.set_enabled_state(settings.history_enabled)
        if (old.quality, old.threads) != (settings.quality, settings.threads):
            self.panel.translate_now()
        self.save_settings_now()

    def save_settings_now(self) -> None:
        self._save_timer.stop()
        try:
            save_settings(self.settings)
        except Exception as error:
            self.show_error(error)

    def save_settings_soon(self) -> None:
        self._save_timer.start()

    def _save_in_background(self) -> None:
        snapshot = copy.deepcopy(self.settings)
        self.runner.run_in_background(lambda _: save_settings(snapshot), name="save settings")

    def _direction_changed(self, source: str, target: str) -> None:
        self.settings.source_language, self.settings.target_language = source, target
        self.save_settings_soon()

    def _model_changed(self, model_id: str) -> None:
        if model_id != self.settings.model_id:
            self.settings.model_id = model_id
            self.save_settings_soon()

    def _history_toggled(self, enabled: bool) -> None:
        self.settings.history_enabled = enabled
        self.save_settings_soon()

    # ------------------------------------------------------------------ text actions

    def zoom(self, step: int) -> None:
        """Ctrl+/Ctrl−: change the text size (the classroom size in classroom mode)."""
        if self.panel.classroom:
            size = self.settings.classroom_font_size + 4 * step
            self.settings.classroom_font_size = max(12, min(240, size))
        else:
            self.settings.font_size = max(6, min(96, self.settings.font_size + step))
        self.panel.apply_options(self._panel_options())
        self.save_settings_soon()

    def reset_zoom(self) -> None:
        self.settings.font_size = Settings().font_size
        self.panel.apply_options(self._panel_options())
        self.save_settings_soon()

    def set_classroom(self, on: bool) -> None:
        if on == self.panel.classroom:
            return
        if on:
            self._normal_state = self.windowState() & ~Qt.WindowState.WindowFullScreen
            self.showFullScreen()
        else:
            self.showNormal()
            if self._normal_state & Qt.WindowState.WindowMaximized:
                self.showMaximized()
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        if on:
            self.history_dock.hide()
        self.panel.set_classroom(on)
        self.actions_.classroom.setChecked(on)
        self.actions_.leave_classroom.setEnabled(on)

    def load_pair(self, source_text: str, translation: str, source: str, target: str) -> None:
        self.panel.set_direction(source, target)
        self.panel.source.setPlainText(source_text)
        self.panel.translate_now()

    def record_history(self, result: PanelResult) -> None:
        if not self.settings.history_enabled:
            return
        key = (result.job.text.strip(), result.text.strip())
        if key == self._last_recorded:
            return
        self._last_recorded = key
        self.history.record(result)

    def star(self, result: PanelResult) -> None:
        self.history.add_to_phrasebook(result)
        self.statusBar().showMessage(self.tr("Saved to the phrasebook."), 4000)

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.panel.classroom:
            self.set_classroom(False)
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode()
        self.panel.controller.cancel()
        self.store_watcher.stop()
        self.runner.shutdown()
        self.save_settings_now()
        super().closeEvent(event)
