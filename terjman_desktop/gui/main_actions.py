"""Menus, actions and their shortcuts for the main window.

The actions call the window through :class:`WindowCommands`, the few commands they need,
so this module does not import the main window (which imports it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMessageBox

from terjman_desktop import __version__
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.operations.settings import SettingsOps
from terjman_desktop.gui.translate_panel import TranslatePanel


class WindowCommands(Protocol):
    """What the menus ask of the window (the main window has each of these)."""

    def open_document_dialog(self) -> None: ...

    def open_sharing(self) -> None: ...

    def open_settings(self) -> None: ...

    def open_model_manager(self) -> None: ...

    def import_model(self, *, folder: bool = False) -> None: ...

    def zoom(self, step: int) -> None: ...

    def reset_zoom(self) -> None: ...

    def set_classroom(self, on: bool) -> None: ...


def _unique(standard: QKeySequence.StandardKey, *keys: str) -> list[QKeySequence]:
    """The platform's standard keys plus ours, each once (duplicates make Qt ambiguous)."""
    sequences: list[QKeySequence] = []
    for sequence in [*QKeySequence.keyBindings(standard), *map(QKeySequence, keys)]:
        if sequence not in sequences:
            sequences.append(sequence)
    return sequences


class MainActions(QObject):
    """Every menu command of the main window, with its keyboard shortcut.

    Each action is also added to the window itself: Qt only honours the shortcut of an action
    whose widgets are visible, and classroom mode hides the menu bar (F11 and Ctrl+/Ctrl−
    must keep working there).
    """

    def __init__(self, window: QMainWindow, commands: WindowCommands, panel: TranslatePanel,
                 history_dock: QDockWidget, app_files: SettingsOps) -> None:
        super().__init__(window)
        self.window = window
        self.app_files = app_files
        bar = window.menuBar()
        self.file_menu = bar.addMenu("")
        self.edit_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.models_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")

        self.document = self._action(self.file_menu, commands.open_document_dialog, "Ctrl+D")
        self.share = self._action(self.file_menu, commands.open_sharing)
        self.file_menu.addSeparator()
        self.quit = self._action(self.file_menu, window.close, QKeySequence.StandardKey.Quit)

        self.translate = self._action(self.edit_menu, panel.translate_now)
        self.swap = self._action(self.edit_menu, panel.swap, "Ctrl+Shift+S")
        self.copy_translation = self._action(
            self.edit_menu,
            lambda: QGuiApplication.clipboard().setText(panel.output.toPlainText()),
            "Ctrl+Shift+C",
        )
        self.star = self._action(self.edit_menu, panel.star_button.click, "Ctrl+S")
        self.alternatives = self._action(self.edit_menu, panel.output.activate_at_cursor)
        self.edit_menu.addSeparator()
        self.preferences = self._action(self.edit_menu, commands.open_settings, "Ctrl+,")

        self.bigger = self._action(self.view_menu, lambda: commands.zoom(1))
        self.bigger.setShortcuts(_unique(QKeySequence.StandardKey.ZoomIn, "Ctrl++", "Ctrl+="))
        self.smaller = self._action(self.view_menu, lambda: commands.zoom(-1))
        self.smaller.setShortcuts(_unique(QKeySequence.StandardKey.ZoomOut, "Ctrl+-"))
        self.normal_size = self._action(self.view_menu, commands.reset_zoom, "Ctrl+0")
        self.view_menu.addSeparator()
        self.classroom = self._action(self.view_menu, None, "F11")
        self.classroom.setCheckable(True)
        self.classroom.toggled.connect(commands.set_classroom)
        # Escape also leaves classroom mode; enabled only there (see MainWindow.set_classroom),
        # so that it stays free for the widgets otherwise.
        self.leave_classroom = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self.leave_classroom.setEnabled(False)
        self.leave_classroom.activated.connect(
            lambda: self._escape_classroom(panel, commands))
        self.history = history_dock.toggleViewAction()
        self.history.setShortcut(QKeySequence("Ctrl+H"))
        self.view_menu.addAction(self.history)
        window.addAction(self.history)

        self.manage = self._action(self.models_menu, commands.open_model_manager, "Ctrl+M")
        self.import_model = self._action(self.models_menu, commands.import_model, "Ctrl+I")
        self.import_folder = self._action(self.models_menu,
                                          lambda: commands.import_model(folder=True))

        self.help = self._action(self.help_menu, self.show_help, "F1")
        self.help_menu.addSeparator()
        self.logs = self._action(self.help_menu, self.open_logs)
        self.about = self._action(self.help_menu, self.show_about)

    def _action(
        self,
        menu: QMenu,
        slot: Callable[[], object] | None,
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.window.addAction(action)  # the shortcut works while the menu bar is hidden
        return action

    def retranslate(self) -> None:
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.models_menu.setTitle(self.tr("Mode&ls"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.document.setText(self.tr("Translate a &document…"))
        self.share.setText(self.tr("&Share with the classroom…"))
        self.quit.setText(self.tr("&Quit"))
        self.translate.setText(self.tr("&Translate now") + "\tCtrl+Enter")
        self.swap.setText(self.tr("S&wap languages"))
        self.copy_translation.setText(self.tr("&Copy the translation"))
        self.star.setText(self.tr("&Save to the phrasebook"))
        self.alternatives.setText(self.tr("Other translations of the &sentence") + "\tCtrl+Shift+A")
        self.preferences.setText(self.tr("&Preferences…"))
        self.bigger.setText(self.tr("&Bigger text"))
        self.smaller.setText(self.tr("S&maller text"))
        self.normal_size.setText(self.tr("&Normal text size"))
        self.classroom.setText(self.tr("&Classroom mode"))
        self.classroom.setToolTip(self.tr("Full screen, very large text (F11 or Esc to leave)"))
        self.history.setText(self.tr("&History and phrasebook"))
        self.manage.setText(self.tr("&Manage models…"))
        self.import_model.setText(self.tr("&Import a model package file…"))
        self.import_folder.setText(self.tr("Import a model &folder…"))
        self.help.setText(self.tr("&Help and keyboard shortcuts"))
        self.logs.setText(self.tr("Open the &log folder"))
        self.about.setText(self.tr("&About Terjman"))

    @staticmethod
    def _escape_classroom(panel: TranslatePanel, commands: WindowCommands) -> None:
        """The panel's alternatives or correction close first; the next Escape leaves."""
        if not panel.dismiss():
            commands.set_classroom(False)

    def show_help(self) -> None:
        """The help page with every keyboard shortcut (read from the actions as they are)."""
        from terjman_desktop.gui.help_page import HelpPage

        page = HelpPage(self.window.actions(), self.window)
        page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_page = page
        page.open()

    def open_logs(self) -> None:
        """Show the log folder in the file manager (made first if needed, on a worker)."""
        def show(folder: Path) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

        self.app_files.log_folder().on_done(show).run()

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            self.tr("About Terjman"),
            self.tr(
                "Terjman Desktop {version}\n\nOffline English ⇄ Moroccan Darija translation "
                "with the Terjman models by AtlasIA (cc-by-nc-4.0: non-commercial use).\n\n"
                "Log files: {logs}"
            ).format(version=__version__, logs=isolate(str(self.app_files.context.paths.logs))),
        )
