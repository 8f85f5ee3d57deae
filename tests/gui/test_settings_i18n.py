"""Settings dialog round trip, window geometry, themes and interface languages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog

from terjman_desktop.core.settings import Settings, load_settings
from terjman_desktop.gui import i18n, theme
from terjman_desktop.gui.settings_dialog import SettingsDialog

WAIT = 15_000


@pytest.fixture(autouse=True)
def restore_app(qapp: QApplication) -> Iterator[None]:
    """Language, direction and theme are application-wide: put them back after each test."""
    yield
    i18n.apply_language(qapp, "en")
    theme.apply_theme(qapp, "system")
    QLocale.setDefault(QLocale("en"))


def test_settings_dialog_round_trip(qtbot: Any) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("fr"))
    dialog.font_size.setValue(20)
    dialog.classroom_size.setValue(60)
    dialog.direction.setCurrentIndex(dialog.direction.findData("ary>en"))
    dialog.quality.setCurrentIndex(dialog.quality.findData("best"))
    dialog.threads.setValue(2)
    dialog.history.setChecked(False)
    dialog.as_you_type.setChecked(False)
    dialog.arabizi.setChecked(False)
    assert dialog.vmap.isChecked()  # on by default
    dialog.vmap.setChecked(False)
    dialog.catalog_url.setText("https://example.org/catalog.json")
    dialog.mirrors.setPlainText("https://mirror.one/\n\nhttps://mirror.two/")
    dialog.token.setText("hf_secret")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    s = dialog.result_settings()
    assert (s.theme, s.ui_language, s.font_size, s.classroom_font_size) == ("dark", "fr", 20, 60)
    assert (s.source_language, s.target_language, s.quality, s.threads) == (
        "ary", "en", "best", 2)
    assert (s.history_enabled, s.translate_as_you_type, s.show_arabizi) == (False, False, False)
    assert not s.use_vocabulary_map
    assert s.catalog_url == "https://example.org/catalog.json"
    assert s.mirrors == ["https://mirror.one/", "https://mirror.two/"]
    assert s.hf_token == "hf_secret"
    assert dialog.token.echoMode() == dialog.token.EchoMode.Password


def test_invalid_settings_are_refused(qtbot: Any, message_boxes: Any) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.catalog_url.setText("not a url")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "catalog_url" in message_boxes.shown[-1][2]


def test_window_applies_and_saves_settings(make_window: Any, qtbot: Any,
                                           marian_installed: Path) -> None:
    window = make_window()
    new = load_settings()
    new.font_size, new.quality, new.theme = 22, "fast", "dark"
    window.apply_settings(new)
    assert window.settings is new is window.context.settings
    assert window.panel.source.font().pointSize() == 22
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    # Saved on a worker: the file changes soon after.
    qtbot.waitUntil(lambda: load_settings().font_size == 22, timeout=WAIT)
    saved = load_settings()
    assert (saved.font_size, saved.quality, saved.theme) == (22, "fast", "dark")


def test_window_geometry_is_remembered(make_window: Any, qtbot: Any) -> None:
    window = make_window()
    window.resize(777, 555)
    window.close()
    assert load_settings().window_geometry
    again = make_window()
    assert (again.width(), again.height()) == (777, 555)


def test_direction_and_model_are_remembered(make_window: Any, qtbot: Any,
                                            nllb_installed: Path) -> None:
    window = make_window()
    window.panel.set_direction("ary", "en")
    window.close()
    saved = load_settings()
    assert (saved.source_language, saved.target_language) == ("ary", "en")
    assert saved.model_id == "tiny-nllb-f32"
    assert make_window().panel.direction == ("ary", "en")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_translation_files_are_complete(language: str) -> None:
    folder = i18n.translations_dir()
    assert (folder / f"terjman_{language}.qm").is_file()
    root = ET.parse(folder / f"terjman_{language}.ts").getroot()
    unfinished = [m.findtext("source") for m in root.iter("message")
                  if m.find("translation") is None
                  or m.find("translation").get("type") == "unfinished"]
    assert unfinished == []


@pytest.mark.parametrize(("language", "direction", "title"), [
    ("en", Qt.LayoutDirection.LeftToRight, "&File"),
    ("fr", Qt.LayoutDirection.LeftToRight, "&Fichier"),
    ("ar", Qt.LayoutDirection.RightToLeft, "ملف (&F)"),
])
def test_each_language_loads(make_window: Any, qapp: QApplication, language: str,
                             direction: Qt.LayoutDirection, title: str) -> None:
    window = make_window()
    i18n.apply_language(qapp, language)
    QCoreApplication.processEvents()
    assert qapp.layoutDirection() == direction
    assert window.layoutDirection() == direction
    assert window.actions_.file_menu.title() == title
    # Darija stays right-to-left and English left-to-right whatever the interface language.
    assert window.panel.output.document().defaultTextOption().textDirection() == (
        Qt.LayoutDirection.RightToLeft)
    assert window.panel.source.document().defaultTextOption().textDirection() == (
        Qt.LayoutDirection.LeftToRight)


def test_switching_to_arabic_from_settings_mirrors_the_window(
    make_window: Any, qapp: QApplication
) -> None:
    window = make_window()
    new = load_settings()
    new.ui_language = "ar"
    window.apply_settings(new)
    QCoreApplication.processEvents()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.panel.splitter.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.panel.translate_button.text() != "&Translate"
    assert window.panel.direction_combo.itemText(0) != "English → Darija"


def test_arabic_font_is_found() -> None:
    family = theme.arabic_font_family()
    assert family  # DejaVu Sans at the very least


def test_history_panel_moves_to_the_trailing_side_in_arabic(
    make_window: Any, qapp: QApplication, qtbot: Any
) -> None:
    window = make_window()
    window.resize(1000, 600)
    window.show()
    window.history_dock.show()
    qtbot.waitExposed(window)

    def dock_is_left() -> bool:
        QCoreApplication.processEvents()
        return window.history_dock.geometry().x() < window.centralWidget().geometry().x()

    assert not dock_is_left()
    i18n.apply_language(qapp, "ar")
    assert window.dockWidgetArea(window.history_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert dock_is_left() and window.history_dock.isVisible()
    i18n.apply_language(qapp, "en")
    assert window.dockWidgetArea(window.history_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not dock_is_left()


def test_window_opened_in_arabic_has_the_history_panel_on_the_left(
    make_window: Any, qapp: QApplication
) -> None:
    i18n.apply_language(qapp, "ar")
    window = make_window()
    assert window.dockWidgetArea(window.history_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
