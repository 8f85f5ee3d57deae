"""The one place where errors become messages a person can act on.

Core errors already say what happened (``message``) and usually what to do (``hint``). This
module adds a title per kind of problem, a default "what to do" when the core gave none, and
a safe message for unexpected exceptions (whose details go to the log, not to the person).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from terjman_desktop.core import errors as core_errors
from terjman_desktop.core import paths
from terjman_desktop.gui.model_info import isolate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserMessage:
    """A message box's content: ``text`` says what happened, ``hint`` what to do."""

    title: str
    text: str
    hint: str
    warning: bool = True  # a warning (the person can fix it) rather than a critical error


# (error class, title, default hint), most specific first. Marked for lupdate here and
# translated when shown, so a language switch applies to the next message.
# (QT_TRANSLATE_NOOP is typed as returning object; it returns its text.)
_TABLE: tuple[tuple[type[BaseException], object, object], ...] = (
    # The Hub's errors come first: a HubAccessError is also an AccessDeniedError, and every
    # HubError is a DownloadError. Their own hints name the page, the repo or the mirror.
    (
        core_errors.GatedRepoError,
        QT_TRANSLATE_NOOP("errors", "This model is gated"),
        QT_TRANSLATE_NOOP(
            "errors",
            "Accept the model's conditions on its Hugging Face page while signed in, then "
            "paste an access token (Preferences → Hugging Face token).",
        ),
    ),
    (
        core_errors.HubAccessError,
        QT_TRANSLATE_NOOP("errors", "Hugging Face refused access"),
        QT_TRANSLATE_NOOP(
            "errors",
            "Check the access token in Preferences: create a new one with the read permission "
            "in your Hugging Face settings if it has expired.",
        ),
    ),
    (
        core_errors.RepoNotFoundError,
        QT_TRANSLATE_NOOP("errors", "Model not found on Hugging Face"),
        QT_TRANSLATE_NOOP("errors", "Refresh the catalog; the model may have moved."),
    ),
    (
        core_errors.RevisionNotFoundError,
        QT_TRANSLATE_NOOP("errors", "Model version not found on Hugging Face"),
        QT_TRANSLATE_NOOP("errors", "Refresh the catalog; this version may have been removed."),
    ),
    (
        core_errors.EntryNotFoundError,
        QT_TRANSLATE_NOOP("errors", "A file of the model is missing on Hugging Face"),
        QT_TRANSLATE_NOOP("errors", "Refresh the catalog, or choose another model."),
    ),
    (
        core_errors.DisabledRepoError,
        QT_TRANSLATE_NOOP("errors", "Model disabled on Hugging Face"),
        QT_TRANSLATE_NOOP("errors", "Choose another model."),
    ),
    (
        core_errors.RateLimitedError,
        QT_TRANSLATE_NOOP("errors", "Hugging Face is busy"),
        QT_TRANSLATE_NOOP("errors", "Wait a few minutes, then try again."),
    ),
    (
        core_errors.HubUnreachableError,
        QT_TRANSLATE_NOOP("errors", "Hugging Face cannot be reached"),
        QT_TRANSLATE_NOOP(
            "errors",
            "Check the internet connection and try again; what was downloaded is kept. "
            "Without internet, import a model from a file or a USB stick.",
        ),
    ),
    (
        core_errors.HubResponseError,
        QT_TRANSLATE_NOOP("errors", "Unexpected answer from Hugging Face"),
        QT_TRANSLATE_NOOP("errors", "Try again later; if it keeps happening, see the log file."),
    ),
    (
        core_errors.HubError,
        QT_TRANSLATE_NOOP("errors", "Hugging Face problem"),
        QT_TRANSLATE_NOOP("errors", "Try again later; what was downloaded is kept."),
    ),
    (
        core_errors.ConversionError,
        QT_TRANSLATE_NOOP("errors", "The model cannot be converted"),
        QT_TRANSLATE_NOOP(
            "errors", "Choose another model, or import a converted model package instead."
        ),
    ),
    (
        core_errors.AccessDeniedError,
        QT_TRANSLATE_NOOP("errors", "Access denied"),
        QT_TRANSLATE_NOOP(
            "errors",
            "This model is gated: add a Hugging Face token in Settings, after accepting the "
            "model's conditions on its Hugging Face page.",
        ),
    ),
    (
        core_errors.DownloadError,
        QT_TRANSLATE_NOOP("errors", "Download failed"),
        QT_TRANSLATE_NOOP(
            "errors",
            "Check the internet connection and try again; the download resumes where it "
            "stopped.",
        ),
    ),
    (
        core_errors.DiskSpaceError,
        QT_TRANSLATE_NOOP("errors", "Not enough disk space"),
        QT_TRANSLATE_NOOP("errors", "Free some disk space, then try again."),
    ),
    (
        core_errors.PackageError,
        QT_TRANSLATE_NOOP("errors", "Unusable model package"),
        QT_TRANSLATE_NOOP("errors", "Verify the model in the model manager, or import it again."),
    ),
    (
        core_errors.ModelNotFoundError,
        QT_TRANSLATE_NOOP("errors", "Model not found"),
        QT_TRANSLATE_NOOP("errors", "Open Models → Manage models to install or import a model."),
    ),
    (
        core_errors.UnsupportedDirectionError,
        QT_TRANSLATE_NOOP("errors", "Direction not supported"),
        QT_TRANSLATE_NOOP("errors", "Pick another model or another direction."),
    ),
    (
        core_errors.TokenizerError,
        QT_TRANSLATE_NOOP("errors", "Tokenizer problem"),
        QT_TRANSLATE_NOOP("errors", "Verify the model in the model manager, or re-install it."),
    ),
    (
        core_errors.EngineError,
        QT_TRANSLATE_NOOP("errors", "Translation engine error"),
        QT_TRANSLATE_NOOP("errors", "Verify the model in the model manager, or re-install it."),
    ),
    (
        core_errors.InputError,
        QT_TRANSLATE_NOOP("errors", "Cannot use this input"),
        QT_TRANSLATE_NOOP("errors", "Check the text or file and try again."),
    ),
    (
        core_errors.CatalogError,
        QT_TRANSLATE_NOOP("errors", "Model catalog problem"),
        QT_TRANSLATE_NOOP(
            "errors",
            "Check the catalog address in Settings; the last good catalog stays in use.",
        ),
    ),
    (
        core_errors.LocationError,
        QT_TRANSLATE_NOOP("errors", "Folder problem"),
        QT_TRANSLATE_NOOP(
            "errors", "Check TERJMAN_HOME and that Terjman's folders can be created."
        ),
    ),
    (
        core_errors.StoreError,
        QT_TRANSLATE_NOOP("errors", "Model store problem"),
        QT_TRANSLATE_NOOP("errors", "Check that the models folder is writable, then try again."),
    ),
    (
        core_errors.HistoryError,
        QT_TRANSLATE_NOOP("errors", "History problem"),
        QT_TRANSLATE_NOOP(
            "errors",
            "Check that the data folder is writable; you can turn the history off in the "
            "History panel.",
        ),
    ),
    (
        core_errors.SettingsError,
        QT_TRANSLATE_NOOP("errors", "Settings problem"),
        QT_TRANSLATE_NOOP("errors", "Check that the settings folder is writable."),
    ),
    (
        core_errors.TerjmanError,
        QT_TRANSLATE_NOOP("errors", "Something went wrong"),
        QT_TRANSLATE_NOOP("errors", "Try again; if it keeps happening, see the log file."),
    ),
    (
        MemoryError,
        QT_TRANSLATE_NOOP("errors", "Not enough memory"),
        QT_TRANSLATE_NOOP(
            "errors", "Close other programs or choose a smaller model (Nano or Large)."
        ),
    ),
    (
        OSError,
        QT_TRANSLATE_NOOP("errors", "File problem"),
        QT_TRANSLATE_NOOP(
            "errors", "Check that the file exists and that you may read and write there."
        ),
    ),
)


def describe(error: BaseException) -> UserMessage:
    """Turn any exception into a title, a message and a hint."""
    for kind, title_source, hint_source in _TABLE:
        if isinstance(error, kind):
            title = QCoreApplication.translate("errors", str(title_source))
            default_hint = QCoreApplication.translate("errors", str(hint_source))
            if isinstance(error, core_errors.TerjmanError):
                return UserMessage(title, error.message, error.hint or default_hint)
            if isinstance(error, OSError) and error.strerror:
                where = f" ({error.filename})" if error.filename else ""
                return UserMessage(title, f"{error.strerror}{where}.", default_hint)
            return UserMessage(title, str(error) or title, default_hint)
    log_hint = QCoreApplication.translate(
        "errors", "Please report it; the details are in the log files in {folder}."
    ).format(folder=isolate(str(paths.log_dir())))
    return UserMessage(
        QCoreApplication.translate("errors", "Unexpected error"),
        QCoreApplication.translate("errors", "Terjman hit an unexpected problem: {error}").format(
            error=f"{type(error).__name__}: {error}"
        ),
        log_hint,
        warning=False,
    )


def show_error(parent: QWidget | None, error: BaseException) -> UserMessage:
    """Show ``error`` in a message box (what happened, then what to do); returns the text."""
    if not isinstance(error, core_errors.TerjmanError):
        logger.error("Unexpected error shown to the user", exc_info=error)
    message = describe(error)
    body = f"{message.text}\n\n{message.hint}" if message.hint else message.text
    if message.warning:
        QMessageBox.warning(parent, message.title, body)
    else:
        QMessageBox.critical(parent, message.title, body)
    return message
