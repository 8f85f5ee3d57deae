"""Gated models: what to do on Hugging Face, and where to paste the access token.

The newer Terjman models are *gated*: their authors ask each person to accept conditions
on the model's page, while signed in, before it can be downloaded with that account's
access token. Saying so before the install starts — with the page one click away — beats a
refusal from the Hub after the person waited. The token is kept in the settings, as the
Settings dialog does; ``HF_TOKEN``, ``TERJMAN_HF_TOKEN`` and the ``hf auth login`` file work
too. Whether a token would be sent, and where the Hub is, is the install policy's to say
(:mod:`~terjman_desktop.core.models.policy`, the same for ``terjman``).
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terjman_desktop.core.errors import HubError
from terjman_desktop.core.models import CatalogEntry, InstallPolicy, as_token, install_policy
from terjman_desktop.core.settings import Settings
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.model_info import isolate
from terjman_desktop.gui.operations.settings import SettingsOps

# Called by this name so that lupdate finds each string with its context.
translate = QCoreApplication.translate
logger = logging.getLogger(__name__)


def hub_url() -> str:
    """The Hub's web address: ``HF_ENDPOINT`` when set (a mirror), else huggingface.co."""
    return InstallPolicy().web_url()


def model_page(entry: CatalogEntry) -> str:
    """Where the model's conditions are accepted: its repository's page on the Hub."""
    repo = entry.source.repo if entry.source is not None else entry.hf_repo
    return f"{hub_url()}/{repo}"


def tokens_page() -> str:
    return f"{hub_url()}/settings/tokens"


def has_token(settings: Settings) -> bool:
    """Whether an install would send a token (the settings', ``HF_TOKEN``, the login file)."""
    return install_policy(settings).has_token()


def open_link(url: str) -> None:
    """Open ``url`` in the person's browser."""
    if not QDesktopServices.openUrl(QUrl(url)):
        logger.warning("No browser opened %s", url)


class HubAccessPanel(QWidget):
    """The steps to get access to a gated model, with links, and a field for the token.

    Signals:
        token_saved(str): a token was pasted and stored in the app's settings object.
    """

    token_saved = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *,
                 save_button: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("hubAccessPanel")
        self.context = context
        self.explanation = QLabel(self)
        self.explanation.setObjectName("hubAccessExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.explanation.linkActivated.connect(open_link)
        self.token = QLineEdit(self)
        self.token.setObjectName("hubAccessToken")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(translate("hub_access", "Paste your access token (hf_…)"))
        self.token.setAccessibleName(translate("hub_access", "Hugging Face access token"))
        self.save_button = QPushButton(translate("hub_access", "&Save the token"), self)
        self.save_button.setAccessibleName(translate("hub_access", "Save the token"))
        self.save_button.setVisible(save_button)
        self.save_button.clicked.connect(self.save)
        self.state = QLabel(self)
        self.state.setObjectName("hubAccessState")
        self.state.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.token, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explanation)
        layout.addLayout(row)
        layout.addWidget(self.state)
        self.page = ""
        self._show_state()

    def show_model(self, name: str, page: str) -> None:
        """Explain the steps for the gated model ``name``, whose page is ``page``."""
        self.page = page
        self.explanation.setText(translate(
            "hub_access",
            "<p><b>{name}</b> is gated: its authors ask you to accept their conditions "
            "before downloading it.</p><ol>"
            "<li>Sign in to Hugging Face (or create a free account) and accept the "
            "conditions on <a href=\"{page}\">the model's page</a>.</li>"
            "<li>Create an access token with the <i>read</i> permission in "
            "<a href=\"{tokens}\">your Hugging Face settings</a>.</li>"
            "<li>Paste the token here. It is kept in Terjman's settings and sent to Hugging "
            "Face only.</li></ol>").format(
            name=html.escape(isolate(name)), page=html.escape(page, quote=True),
            tokens=html.escape(tokens_page(), quote=True)))

    @property
    def settings(self) -> Settings:
        return self.context.settings

    def _show_state(self, problem: str = "") -> None:
        if problem:
            self.state.setText(problem)
        elif self.settings.hf_token:
            self.state.setText(translate("hub_access", "A token is saved in the settings."))
        elif has_token(self.settings):
            self.state.setText(translate(
                "hub_access", "A token is set outside Terjman (HF_TOKEN or `hf auth login`); "
                "a token pasted here is used instead."))
        else:
            self.state.setText(translate("hub_access", "No token is set yet."))

    def save(self) -> bool:
        """Check the pasted token and keep it in the settings; False (and why) if unusable."""
        try:
            token = as_token(self.token.text(), "the pasted token")
        except HubError:
            self._show_state(translate(
                "hub_access", "This is not a token: copy it again from your Hugging Face "
                "settings (Access Tokens). A token has no spaces."))
            return False
        if token is None:
            self._show_state(translate("hub_access", "Paste a token first."))
            return False
        self.settings.hf_token = token.value
        self.token.clear()
        self._show_state()
        self.token_saved.emit(token.value)
        return True


class GatedAccessDialog(QDialog):
    """Asked before installing a gated model without a token, or after the Hub refused one.

    Accepted once a token was saved; the caller then starts (or retries) the install.
    """

    def __init__(self, entry: CatalogEntry, context: AppContext,
                 parent: QWidget | None = None, *, problem: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("gatedAccessDialog")
        self.setWindowTitle(translate("hub_access", "Access token needed"))
        self.context = context
        self.problem = QLabel(problem, self)
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        self.panel = HubAccessPanel(context, self, save_button=False)
        self.panel.show_model(entry.name, model_page(entry))
        self.open_page = QPushButton(translate("hub_access", "Open the model's &page"), self)
        self.open_page.setAccessibleName(translate("hub_access", "Open the model's page"))
        self.open_page.clicked.connect(lambda: open_link(model_page(entry)))
        self.buttons = QDialogButtonBox(self)
        self.install_button = self.buttons.addButton(
            translate("hub_access", "Save the token and &install"),
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save_and_accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.open_page)
        bottom.addStretch()
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.panel)
        layout.addLayout(bottom)
        self.resize(560, 0)

    def _save_and_accept(self) -> None:
        if not self.panel.token.text().strip() and has_token(self.panel.settings):
            self.accept()  # conditions accepted since the refusal: try the same token again
        elif self.panel.save():
            SettingsOps(self.context).save().run()
            self.accept()
