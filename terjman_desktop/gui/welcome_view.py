"""What the welcome shows: the recommended model's offer, the other ways, the progress.

:class:`WelcomeView` builds the welcome's widgets and fills them; the
:class:`~terjman_desktop.gui.welcome.WelcomeDialog` decides what to offer and runs the
install. Its texts belong to the ``WelcomeDialog`` translation context, as before the split.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Qt
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

from terjman_desktop.core.diskspace import format_size
from terjman_desktop.core.models import CatalogEntry, StoredModel
from terjman_desktop.core.settings import Settings
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.hub_access import HubAccessPanel
from terjman_desktop.gui.model_info import directions_label, isolate, tier_hint

# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate
PROGRESS_STEPS = 1000
_VERSION_SUFFIX = re.compile(r"\s+v\d+(\.\d+)*$")


def short_name(entry: CatalogEntry) -> str:
    """``Terjman Nano v1`` → ``Terjman Nano``: the button names the model, not its version."""
    return _VERSION_SUFFIX.sub("", entry.name) or entry.name


class WelcomeView(QDialog):
    """The welcome's widgets; :attr:`entry` is the model offered (None: none to offer)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        # The app's settings object is the context's: a token pasted here is saved with the rest.
        self.context = context
        self.entry: CatalogEntry | None = None
        self.setWindowTitle(translate("WelcomeDialog", "Welcome to Terjman"))
        self._create_widgets()
        self._lay_out()

    @property
    def settings(self) -> Settings:
        """The app's settings as they are now."""
        return self.context.settings

    # ------------------------------------------------------------------ widgets

    def _create_widgets(self) -> None:
        self.intro = QLabel(translate(
            "WelcomeDialog",
            "<h2>Welcome to Terjman</h2>"
            "<p>Terjman translates between English and Moroccan Darija on this computer. "
            "It needs a translation model; once one is installed, no internet connection "
            "is needed.</p>"), self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self._create_offer()
        self.status = QLabel(translate("WelcomeDialog", "Checking the internet connection…"),
                             self)
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
        self.access = HubAccessPanel(self.context, self)
        self.access.hide()
        self.choose_button = QPushButton(
            translate("WelcomeDialog", "C&hoose another model…"), self)
        self.import_file_button = QPushButton(
            translate("WelcomeDialog", "Import a model &file (USB stick)…"), self)
        self.import_folder_button = QPushButton(
            translate("WelcomeDialog", "Import a model f&older…"), self)
        self.later_button = QPushButton(translate("WelcomeDialog", "&Later"), self)
        self.status.setAccessibleName(translate("WelcomeDialog", "Connection status"))
        self.install_status.setAccessibleName(translate("WelcomeDialog", "Installation status"))
        self.progress.setAccessibleName(translate("WelcomeDialog", "Installation progress"))
        for button in (self.install_button, self.cancel_button, self.choose_button,
                       self.import_file_button, self.import_folder_button, self.later_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

    def _create_offer(self) -> None:
        """The recommended model, its install button, progress and status."""
        self.offer = QGroupBox(translate("WelcomeDialog", "Recommended to start"), self)
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
        self.install_button = QPushButton(translate("WelcomeDialog", "&Install"), self.offer)
        self.install_button.setObjectName("welcomeInstall")
        self.install_button.setEnabled(False)
        button_font = self.install_button.font()
        button_font.setBold(True)
        self.install_button.setFont(button_font)
        self.install_button.setMinimumHeight(self.install_button.sizeHint().height() * 5 // 4)
        self.cancel_button = QPushButton(translate("WelcomeDialog", "&Cancel"), self.offer)
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

    # ------------------------------------------------------------------ showing

    def _show_offer(self) -> None:
        entry = self.entry
        if entry is None:
            self.offer.hide()
            self.import_file_button.setDefault(True)
            return
        approx = "≈ " if entry.sizes_estimated else ""
        self.model_label.setText(translate(
            "WelcomeDialog", "{name} — {directions}, {hint}").format(
            name=isolate(entry.name),
            directions=directions_label((d.source, d.target) for d in entry.directions),
            hint=tier_hint(entry.tier)))
        sizes = [translate("WelcomeDialog", "Download: {size}").format(
            size=isolate(approx + format_size(entry.download_size)))]
        if entry.installed_size:
            sizes.append(translate("WelcomeDialog", "on this computer: {size}").format(
                size=isolate(approx + format_size(entry.installed_size))))
        if entry.ram_required:
            sizes.append(translate("WelcomeDialog", "memory: {size}").format(
                size=isolate(approx + format_size(entry.ram_required))))
        self.sizes_label.setText(" · ".join(sizes))
        terms = translate("WelcomeDialog", "License: {license}. {attribution}").format(
            license=isolate(entry.license), attribution=entry.attribution)
        if entry.license.lower().startswith("cc-by-nc"):
            terms += " " + translate(
                "WelcomeDialog", "It allows non-commercial use only, with credit to the authors.")
        self.license_label.setText(terms + " " + translate(
            "WelcomeDialog", "Installing it means you accept this license."))
        self.how_label.setText(
            translate("WelcomeDialog", "It is downloaded from Hugging Face and converted on this "
                      "computer; this takes a few minutes.") if not entry.available else
            translate("WelcomeDialog", "It is downloaded from the catalog's servers and checked."))
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
        text = translate("WelcomeDialog", "Try &again") if retry else translate(
            "WelcomeDialog", "&Install {name}").format(name=short_name(self.entry))
        self.install_button.setText(text)
        self.install_button.setAccessibleName(text.replace("&", ""))

    def _show_damaged(self, damaged: list[StoredModel]) -> None:
        if not damaged:
            return
        names = ", ".join(isolate(s.name) for s in damaged)
        self.damaged_label.setText(translate(
            "WelcomeDialog",
            "A model on this computer is damaged and cannot be used: {names}. Choose "
            "another model to open the model manager, where you can repair or delete it."
        ).format(names=names))
        self.damaged_label.show()

    def _set_running(self, running: bool) -> None:
        self.install_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.progress.setValue(0)
        for button in (self.choose_button, self.import_file_button, self.import_folder_button):
            button.setEnabled(not running)
        self._fit_height()
