"""The settings dialog: a form over :class:`~terjman_desktop.core.settings.Settings`."""

from __future__ import annotations

import copy
import html
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.errors import SettingsError
from terjman_desktop.core.languages import APP_DIRECTIONS
from terjman_desktop.core.settings import QUALITIES, THEMES, Settings
from terjman_desktop.gui import errors
from terjman_desktop.gui.hub_access import tokens_page
from terjman_desktop.gui.i18n import LANGUAGE_NAMES
from terjman_desktop.gui.model_info import direction_label


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`result_settings` gives it back once accepted."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self._settings = copy.deepcopy(settings)
        self._create_fields()
        self._lay_out()
        self._load(self._settings)

    def _create_fields(self) -> None:
        self.theme = QComboBox()
        themes = (self.tr("Like the system"), self.tr("Light"), self.tr("Dark"))
        for value, label in zip(THEMES, themes, strict=True):
            self.theme.addItem(label, value)
        self.ui_language = QComboBox()
        self.ui_language.addItem(self.tr("Like the system"), "system")
        for code in ("en", "fr", "ar"):
            self.ui_language.addItem(LANGUAGE_NAMES[code], code)
        self.font_family = QFontComboBox()
        self.use_default_font = QCheckBox(self.tr("Use the default font"))
        self.use_default_font.toggled.connect(self.font_family.setDisabled)
        self.font_size = QSpinBox()
        self.font_size.setRange(6, 96)
        self.classroom_size = QSpinBox()
        self.classroom_size.setRange(12, 240)
        self.direction = QComboBox()
        for source, target in APP_DIRECTIONS:
            self.direction.addItem(direction_label(source, target), f"{source}>{target}")
        self.quality = QComboBox()
        qualities = (self.tr("Fast"), self.tr("Balanced"), self.tr("Best (slower)"))
        for value, label in zip(QUALITIES, qualities, strict=True):
            self.quality.addItem(label, value)
        self.threads = QSpinBox()
        self.threads.setRange(0, min(256, max(os.cpu_count() or 1, 1) * 2))
        self.threads.setSpecialValueText(self.tr("Automatic"))
        self.as_you_type = QCheckBox(self.tr("Translate &as I type"))
        self.vmap = QCheckBox(self.tr("Use the model's &vocabulary map when it has one (faster)"))
        self.arabizi = QCheckBox(
            self.tr("Show Darija in &Latin letters (Arabizi) under translations"))
        self.history = QCheckBox(self.tr("Keep a &history of translations"))
        self.catalog_url = QLineEdit()
        self.catalog_url.setPlaceholderText(self.tr("Built-in catalog"))
        self.mirrors = QPlainTextEdit()
        self.mirrors.setPlaceholderText(self.tr("One address per line, tried before the catalog's"))
        self.mirrors.setTabChangesFocus(True)
        self.mirrors.setMaximumHeight(80)
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("Only for gated models"))
        # Where a token comes from, next to the field: a gated model refuses without one.
        self.token_help = QLabel(self.tr(
            "Only gated models (such as the Terjman v2.0 models) need one: accept the model's "
            "conditions on its Hugging Face page while signed in, then create a token with the "
            "<i>read</i> permission in <a href=\"{tokens}\">your Hugging Face settings</a> and "
            "paste it here. It is sent to Hugging Face only. HF_TOKEN in the environment "
            "works too.").format(tokens=html.escape(tokens_page(), quote=True)))
        self.token_help.setObjectName("tokenHelp")
        self.token_help.setWordWrap(True)
        self.token_help.setTextFormat(Qt.TextFormat.RichText)
        self.token_help.setOpenExternalLinks(True)

    def _lay_out(self) -> None:
        look = QFormLayout()
        look.addRow(self.tr("&Theme:"), self.theme)
        look.addRow(self.tr("&Interface language:"), self.ui_language)
        look.addRow(self.tr("&Font:"), self.font_family)
        look.addRow("", self.use_default_font)
        look.addRow(self.tr("Text si&ze:"), self.font_size)
        look.addRow(self.tr("Classroom text si&ze:"), self.classroom_size)
        translate = QFormLayout()
        translate.addRow(self.tr("Default &direction:"), self.direction)
        translate.addRow(self.tr("&Quality:"), self.quality)
        translate.addRow(self.tr("CPU thr&eads:"), self.threads)
        translate.addRow("", self.as_you_type)
        translate.addRow("", self.vmap)
        translate.addRow("", self.arabizi)
        translate.addRow("", self.history)
        models = QFormLayout()
        models.addRow(self.tr("&Catalog address:"), self.catalog_url)
        models.addRow(self.tr("&Mirrors:"), self.mirrors)
        models.addRow(self.tr("Hugging Face &token:"), self.token)
        models.addRow("", self.token_help)
        layout = QVBoxLayout(self)
        for title, form in ((self.tr("Appearance"), look), (self.tr("Translation"), translate),
                            (self.tr("Models"), models)):
            box = QGroupBox(title)
            box.setLayout(form)
            layout.addWidget(box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for widget, name in (
            (self.theme, self.tr("Theme")), (self.ui_language, self.tr("Interface language")),
            (self.font_family, self.tr("Font")), (self.font_size, self.tr("Text size")),
            (self.classroom_size, self.tr("Classroom text size")),
            (self.direction, self.tr("Default direction")), (self.quality, self.tr("Quality")),
            (self.threads, self.tr("CPU threads")), (self.catalog_url, self.tr("Catalog address")),
            (self.mirrors, self.tr("Mirrors")), (self.token, self.tr("Hugging Face token")),
        ):
            widget.setAccessibleName(name)

    def _load(self, s: Settings) -> None:
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        self.ui_language.setCurrentIndex(max(0, self.ui_language.findData(s.ui_language)))
        self.use_default_font.setChecked(not s.font_family)
        if s.font_family:
            self.font_family.setCurrentText(s.font_family)
        self.font_size.setValue(s.font_size)
        self.classroom_size.setValue(s.classroom_font_size)
        index = self.direction.findData(f"{s.source_language}>{s.target_language}")
        self.direction.setCurrentIndex(max(0, index))
        self.quality.setCurrentIndex(max(0, self.quality.findData(s.quality)))
        self.threads.setValue(s.threads)
        self.as_you_type.setChecked(s.translate_as_you_type)
        self.vmap.setChecked(s.use_vocabulary_map)
        self.arabizi.setChecked(s.show_arabizi)
        self.history.setChecked(s.history_enabled)
        self.catalog_url.setText(s.catalog_url)
        self.mirrors.setPlainText("\n".join(s.mirrors))
        self.token.setText(s.hf_token)

    def _collect(self) -> Settings:
        s = copy.deepcopy(self._settings)
        s.theme = self.theme.currentData()
        s.ui_language = self.ui_language.currentData()
        s.font_family = "" if self.use_default_font.isChecked() else (
            self.font_family.currentFont().family())
        s.font_size = self.font_size.value()
        s.classroom_font_size = self.classroom_size.value()
        s.source_language, _, s.target_language = str(self.direction.currentData()).partition(">")
        s.quality = self.quality.currentData()
        s.threads = self.threads.value()
        s.translate_as_you_type = self.as_you_type.isChecked()
        s.use_vocabulary_map = self.vmap.isChecked()
        s.show_arabizi = self.arabizi.isChecked()
        s.history_enabled = self.history.isChecked()
        s.catalog_url = self.catalog_url.text().strip()
        s.mirrors = [m.strip() for m in self.mirrors.toPlainText().splitlines() if m.strip()]
        s.hf_token = self.token.text().strip()
        return s

    def accept(self) -> None:
        candidate = self._collect()
        try:
            candidate.validate()
        except SettingsError as error:
            errors.show_error(self, error)
            return
        self._settings = candidate
        super().accept()

    def result_settings(self) -> Settings:
        return copy.deepcopy(self._settings)
