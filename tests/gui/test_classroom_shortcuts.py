"""Classroom mode hides the menu bar; its shortcuts must keep working, and the way out shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from terjman_desktop.gui import i18n

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def classroom(make_window: Any, qtbot: Any) -> Any:
    """A window in classroom mode (as ``--classroom`` starts it), focus in the source pane."""
    window = make_window()
    window.set_classroom(True)
    window.activateWindow()
    window.panel.source.setFocus()
    qtbot.waitUntil(window.panel.source.hasFocus)
    assert window.menuBar().isHidden()
    return window


def test_f11_leaves_classroom_mode(classroom: Any, qtbot: Any) -> None:
    panel = classroom.panel
    qtbot.keyClick(panel.source, Qt.Key.Key_F11)
    assert not panel.classroom
    assert not classroom.windowState() & Qt.WindowState.WindowFullScreen
    assert classroom.menuBar().isVisible()
    assert not classroom.actions_.classroom.isChecked()
    qtbot.keyClick(panel.source, Qt.Key.Key_F11)  # and F11 goes back in
    assert panel.classroom


def test_ctrl_plus_and_minus_change_the_classroom_text_size(classroom: Any, qtbot: Any) -> None:
    panel = classroom.panel
    size = classroom.settings.classroom_font_size
    normal = classroom.settings.font_size
    assert panel.source.font().pointSize() == size
    qtbot.keyClick(panel.source, Qt.Key.Key_Equal, CTRL)
    assert classroom.settings.classroom_font_size == size + 4
    assert panel.source.font().pointSize() == size + 4
    assert panel.output.font().pointSize() == size + 4
    qtbot.keyClick(panel.source, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(panel.source, Qt.Key.Key_Minus, CTRL)
    assert classroom.settings.classroom_font_size == size - 4
    assert panel.source.font().pointSize() == size - 4
    assert classroom.settings.font_size == normal  # the everyday size is left alone


def test_the_way_out_is_visible_and_works(classroom: Any, qtbot: Any) -> None:
    button = classroom.panel.exit_classroom_button
    assert button.isVisible()
    assert "F11" in button.text() and "Esc" in button.text()
    assert button.accessibleName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not classroom.panel.classroom
    assert button.isHidden()
    assert classroom.menuBar().isVisible()


def test_escape_leaves_classroom_mode_only(classroom: Any, qtbot: Any) -> None:
    qtbot.keyClick(classroom.panel.source, Qt.Key.Key_Escape)
    assert not classroom.panel.classroom
    # Outside classroom mode Escape belongs to the widgets again (no window shortcut).
    assert not classroom.actions_.leave_classroom.isEnabled()


def test_every_menu_shortcut_is_on_the_window(make_window: Any) -> None:
    """Shortcuts live on the window too, so hiding the menu bar cannot switch them off."""
    window = make_window()
    on_window = set(window.actions())
    menus = [window.actions_.file_menu, window.actions_.edit_menu, window.actions_.view_menu,
             window.actions_.models_menu, window.actions_.help_menu]
    with_shortcuts = [action for menu in menus for action in menu.actions()
                      if isinstance(action, QAction) and not action.shortcut().isEmpty()]
    assert len(with_shortcuts) >= 10
    assert [a.text() for a in with_shortcuts if a not in on_window] == []


def test_menu_shortcuts_work_in_classroom_mode(classroom: Any, qtbot: Any) -> None:
    qtbot.keyClick(classroom.panel.source, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert classroom.panel.direction == ("ary", "en")


@pytest.fixture
def french(qapp: QApplication) -> Iterator[None]:
    i18n.apply_language(qapp, "fr")
    QCoreApplication.processEvents()
    yield
    i18n.apply_language(qapp, "en")
    QCoreApplication.processEvents()


@pytest.mark.usefixtures("french")
def test_the_way_out_is_translated(classroom: Any) -> None:
    assert classroom.panel.exit_classroom_button.text() == "Quitter le mode classe (F11 / Échap)"
