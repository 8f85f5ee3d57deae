"""The main window: the translation panel, the history dock, menus, and the app's state.

The window gets the app's :class:`~terjman_desktop.gui.context.AppContext` and hands the
same one to its panels and dialogs; what they do with files runs as operations
(:mod:`terjman_desktop.gui.operations`) on the context's task runner.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMainWindow, QWidget

from terjman_desktop.core.settings import Settings
from terjman_desktop.gui import errors, i18n, theme
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.history_panel import HistoryPanel
from terjman_desktop.gui.installed_models import InstalledModelsTracker
from terjman_desktop.gui.main_actions import MainActions
from terjman_desktop.gui.operations.models import ModelOps
from terjman_desktop.gui.operations.settings import SettingsOps
from terjman_desktop.gui.settings_saver import SettingsSaver
from terjman_desktop.gui.translate_panel import PanelOptions, TranslatePanel
from terjman_desktop.gui.translation_controller import PanelResult

if TYPE_CHECKING:
    from terjman_desktop.gui.model_manager import ModelManagerDialog
    from terjman_desktop.gui.sharing import SharingDialog

logger = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window.

    Args:
        context: The app's shared services, made once at start (``app.py``); a new one, with
            the settings read from disk, when omitted.
        first_run_check: Open the welcome when no model is installed.
    """

    def __init__(self, context: AppContext | None = None, *, first_run_check: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.context = context if context is not None else AppContext.create(parent=self)
        self.runner = self.context.runner
        if self.runner.default_error is None:
            self.runner.default_error = self.show_error
        self.model_ops = ModelOps(self.context)
        self.first_run_check = first_run_check
        self.welcome: QDialog | None = None
        self.model_manager: ModelManagerDialog | None = None
        self.sharing: SharingDialog | None = None
        self._normal_state = Qt.WindowState.WindowNoState
        self.saver = SettingsSaver(self.context, self.show_error, self)
        self._create_parts()
        self._connect_parts()
        self.retranslate()
        self.resize(1100, 680)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode()))
        self.refresh_models()
        self.history.refresh()

    def _create_parts(self) -> None:
        self.panel = TranslatePanel(self.runner, self._panel_options(), self)
        self.panel.set_direction(self.settings.source_language, self.settings.target_language)
        self.setCentralWidget(self.panel)
        self.history = HistoryPanel(self.context, self)
        self.history.set_enabled_state(self.settings.history_enabled)
        self.history_dock = QDockWidget(self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.history_dock.hide()
        self._docks_mirrored = False
        self._mirror_docks()  # started in Arabic: the panel goes to the left from the start
        self.actions_ = MainActions(self, self, self.panel, self.history_dock,
                                    SettingsOps(self.context))
        self.statusBar().setObjectName("statusBar")
        # Models installed or removed by `terjman` or another window show up while we run.
        self.installed = InstalledModelsTracker(self.context, self.panel, self)
        self.store_watcher = self.installed.watcher

    def _connect_parts(self) -> None:
        self.panel.settled.connect(self.history.record)
        self.panel.star_requested.connect(self.star)
        self.panel.phrases_requested.connect(self.history.add_pairs)
        self.panel.corrected.connect(self.history.add_pairs)
        self.panel.models_requested.connect(self.open_model_manager)
        self.panel.error.connect(self.show_error)
        self.panel.direction_changed.connect(self._direction_changed)
        self.panel.model_changed.connect(self._model_changed)
        self.panel.classroom_exit_requested.connect(lambda: self.set_classroom(False))
        self.history.entry_chosen.connect(self.load_pair)
        self.history.history_toggled.connect(self._history_toggled)
        self.installed.listed.connect(self._models_listed)
        self.installed.arrived.connect(self._models_arrived)
        self.installed.message.connect(lambda text: self.statusBar().showMessage(text, 10_000))

    @property
    def settings(self) -> Settings:
        """The app's one settings object (the context's)."""
        return self.context.settings

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
        """Re-read the installed models in the background (see the tracker)."""
        self.installed.refresh()

    def _models_listed(self, first: bool) -> None:
        if first and not self.installed.models and self.first_run_check:
            self.show_welcome()

    def _models_arrived(self) -> None:
        """A model that arrives while the welcome screen asks for one closes the welcome."""
        if self.welcome is not None and self.welcome.isVisible():
            self.welcome.accept()

    # ------------------------------------------------------------------ dialogs

    def show_welcome(self) -> None:
        from terjman_desktop.gui.welcome import WelcomeDialog

        dialog = WelcomeDialog(self.context, self)
        dialog.download_requested.connect(self.open_model_manager)
        dialog.model_imported.connect(lambda _: self.refresh_models())
        dialog.note.connect(self.installed.note)
        self.welcome = dialog
        dialog.open()

    def open_model_manager(self) -> None:
        from terjman_desktop.gui.model_manager import ModelManagerDialog

        if self.model_manager is None:  # one per window: downloads go on while it is closed
            self.model_manager = ModelManagerDialog(self.context, self)
            self.model_manager.models_changed.connect(self.refresh_models)
            self.model_manager.models_changed.connect(self.panel.controller.forget)
            self.model_manager.note.connect(self.installed.note)
        else:
            self.model_manager.reload()
        self.model_manager.open()

    def import_model(self, *, folder: bool = False) -> None:
        from terjman_desktop.gui.model_import import import_model_interactively

        import_model_interactively(self, self.model_ops, lambda _: self.refresh_models(),
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
        dialog = DocumentDialog(self.context, model, source, target, self)
        dialog.open()

    def open_sharing(self) -> None:
        from terjman_desktop.gui.sharing import SharingDialog

        if self.sharing is None:  # one per window: sharing goes on while it is hidden
            self.sharing = SharingDialog(self.context, self.panel.current_model, self)
        self.sharing.show()
        self.sharing.raise_()

    def show_error(self, error: BaseException) -> None:
        errors.show_error(self, error)

    # ------------------------------------------------------------------ settings

    def _panel_options(self) -> PanelOptions:
        s = self.settings
        return PanelOptions(s.quality, s.threads, s.translate_as_you_type, s.show_arabizi,
                            s.font_family, s.font_size, s.classroom_font_size,
                            s.use_vocabulary_map)

    def apply_settings(self, settings: Settings) -> None:
        """Use new settings everywhere (they become the context's) and save them."""
        old = self.settings
        self.context.settings = settings
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
        self.saver.now()

    def _direction_changed(self, source: str, target: str) -> None:
        self.settings.source_language, self.settings.target_language = source, target
        self.saver.soon()

    def _model_changed(self, model_id: str) -> None:
        if model_id != self.settings.model_id:
            self.settings.model_id = model_id
            self.saver.soon()

    def _history_toggled(self, enabled: bool) -> None:
        self.settings.history_enabled = enabled
        self.saver.soon()

    # ------------------------------------------------------------------ text actions

    def zoom(self, step: int) -> None:
        """Ctrl+/Ctrl−: change the text size (the classroom size in classroom mode)."""
        if self.panel.classroom:
            size = self.settings.classroom_font_size + 4 * step
            self.settings.classroom_font_size = max(12, min(240, size))
        else:
            self.settings.font_size = max(6, min(96, self.settings.font_size + step))
        self.panel.apply_options(self._panel_options())
        self.saver.soon()

    def reset_zoom(self) -> None:
        self.settings.font_size = Settings().font_size
        self.panel.apply_options(self._panel_options())
        self.saver.soon()

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
        if self.sharing is not None:
            self.sharing.stop()  # before the model thread goes away
        problem = self.saver.before_exit()  # before the runner stops its queues
        self.runner.shutdown()
        if problem is not None:
            self.show_error(problem)
        super().closeEvent(event)
