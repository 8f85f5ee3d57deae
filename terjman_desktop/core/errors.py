"""One exception hierarchy for everything the core can report to a person.

Every error carries a message that says what happened and, where there is one, a ``hint``
that says what to do about it. The GUI maps these classes to dialogs in one place; the
CLI prints ``str(error)`` as a one-line message.
"""

from __future__ import annotations

from pathlib import Path

# How a person gives the app a Hugging Face access token; hints about gated models end with it.
TOKEN_WAYS = "in the app's Preferences, with --token or in HF_TOKEN"


class TerjmanError(Exception):
    """Base class of all errors a user may see.

    Args:
        message: What happened, in plain words.
        hint: What the person can do about it (optional).
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} {self.hint}"
        return self.message


class PackageError(TerjmanError):
    """A model folder or package is missing, incomplete, corrupt or of an unknown format."""


class ModelNotFoundError(TerjmanError):
    """No installed model or folder matches what was asked for."""


class NoModelInstalledError(ModelNotFoundError):
    """No model is installed at all (so one can be offered)."""


class UnsupportedDirectionError(TerjmanError):
    """The model cannot translate between the requested languages."""


class TokenizerError(TerjmanError):
    """A tokenizer file is missing or cannot be read."""


class EngineError(TerjmanError):
    """CTranslate2 failed to load or run a model."""


class CancelledError(TerjmanError):
    """The operation was cancelled by the person or a newer request."""

    def __init__(self, message: str = "The operation was cancelled.") -> None:
        super().__init__(message)


class InputError(TerjmanError):
    """Input text or a file given by the person cannot be used."""


class CatalogError(TerjmanError):
    """The model catalog is malformed, invalid, or cannot be fetched."""


class DownloadError(TerjmanError):
    """A download failed after its retries, or its content did not verify."""


class AccessDeniedError(DownloadError):
    """The server refused access (HTTP 401/403), typically a gated Hugging Face repository."""


class HubError(DownloadError):
    """The Hugging Face Hub (or the mirror of it at ``HF_ENDPOINT``) could not give a model."""


class HubAccessError(HubError, AccessDeniedError):
    """The Hub refused access: no token, a token it rejects, or one without access."""


class GatedRepoError(HubAccessError):
    """The repository is gated: its conditions must be accepted, then a token given."""


class RepoNotFoundError(HubError):
    """No such repository on the Hub (or a private one the token cannot see)."""


class RevisionNotFoundError(HubError):
    """The repository has no such branch, tag or commit."""


class EntryNotFoundError(HubError):
    """The repository has no such file at that revision."""


class DisabledRepoError(HubError):
    """The Hub has disabled access to the repository."""


class RateLimitedError(HubError):
    """The Hub answered HTTP 429 for longer than it is worth waiting."""


class HubUnreachableError(HubError):
    """The Hub did not answer (connection failures, timeouts, 5xx) after the retries."""


class HubResponseError(HubError):
    """The Hub's answer is not what the Hub sends (malformed, hostile or oversized)."""


class DatasetViewerError(HubError):
    """The Hub's dataset viewer cannot give the rows asked for (no such dataset, split, column)."""


class DiskSpaceError(TerjmanError):
    """There is not enough free disk space for the operation."""


class StoreError(TerjmanError):
    """The model store could not install, remove, import or export a model."""


class ConversionError(TerjmanError):
    """A Hugging Face checkpoint cannot be converted: damaged, incomplete or unsupported."""


class SettingsError(TerjmanError):
    """The settings file cannot be read or written."""


class LocationError(TerjmanError):
    """A folder Terjman keeps its files in cannot be created or used.

    For instance ``TERJMAN_HOME`` names a file, or a file stands where a folder must be.
    """


class HistoryError(TerjmanError):
    """The history or phrasebook database cannot be opened, read or written."""


class OutputExistsError(InputError):
    """The output file already exists; the caller may ask and retry with ``overwrite=True``.

    Args:
        path: The file that would be replaced.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"'{path}' already exists.",
            hint="Choose another output file, or allow replacing it.",
        )
        self.path = path
