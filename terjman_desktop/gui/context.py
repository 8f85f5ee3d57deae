"""The app's shared services, made once at start and handed to every part of the window.

In Anki's manner (``mw.col``, ``mw.taskman``): :func:`terjman_desktop.app.main` makes one
:class:`AppContext` — where the files are, the settings, the model store, where the catalog
comes from, the history and phrasebook database, the task runner — and gives it to the main
window, which hands the same object to its panels and dialogs. Widgets never build a
``Store()`` or open a ``History()`` themselves: they call an operation
(:mod:`terjman_desktop.gui.operations`) made from the context, which runs the core call on
the task runner.

``context.settings`` is the one settings object of the running app: a dialog that changes
it (a token pasted in the welcome) changes what the window saves, and a new object from the
Preferences dialog replaces it here for everyone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject

from terjman_desktop.core import paths
from terjman_desktop.core.errors import CatalogError
from terjman_desktop.core.history import History, Phrasebook
from terjman_desktop.core.models import Catalog, InstallPolicy, Store, install_policy
from terjman_desktop.core.models import catalog as core_catalog
from terjman_desktop.core.settings import Settings, load_settings
from terjman_desktop.gui.licenses import AcceptedLicenses
from terjman_desktop.gui.task_runner import ErrorCallback, TaskRunner

logger = logging.getLogger(__name__)

LICENSES_FILE = "accepted-licenses.json"


@dataclass(frozen=True)
class AppPaths:
    """Where the running app keeps its files (``TERJMAN_HOME`` or the platform's folders).

    Read once, when the context is made; nothing is created here.
    """

    models: Path
    config: Path
    data: Path
    logs: Path

    @classmethod
    def from_environment(cls) -> AppPaths:
        return cls(paths.models_dir(), paths.config_dir(), paths.data_dir(), paths.log_dir())

    @property
    def accepted_licenses(self) -> Path:
        return self.config / LICENSES_FILE


class CatalogSource:
    """Where the catalog comes from: the cached copy of the last refresh, else the bundled one.

    Every method reads files or the network: call them from a worker (an operation).
    """

    def current(self) -> Catalog:
        return core_catalog.current()

    def refresh_or_current(self, url: str) -> tuple[Catalog, CatalogError | None]:
        """A fresh catalog from ``url``, else the last good one and why the refresh failed."""
        return core_catalog.refresh_or_current(url)

    def tiers(self) -> dict[str, str]:
        """Each catalog model's tier; empty when no catalog can be read (only labels lost)."""
        try:
            return {entry.id: entry.tier for entry in self.current()}
        except Exception:
            logger.warning("No catalog for the model tiers", exc_info=True)
            return {}


class Books:
    """The history and the phrasebook: one SQLite file, a connection per call.

    Used from the task runner's ``history`` queue only, so two connections of this process
    never race (the first ones create the schema).

    Args:
        path: The database file; None: the history wing's own place (``data/history.sqlite3``).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path

    def history(self) -> History:
        return History(self.path)

    def phrasebook(self) -> Phrasebook:
        return Phrasebook(self.path)


@dataclass(eq=False)
class AppContext:
    """Everything the window's parts share; one per main window, made at start.

    Attributes:
        paths: The app's folders.
        settings: The one settings object of the running app.
        store: The installed models.
        catalog: Where the catalog comes from.
        books: The history and the phrasebook.
        licenses: The model licenses the person accepted.
        runner: Runs every core call off the GUI thread.
    """

    paths: AppPaths
    settings: Settings
    store: Store
    catalog: CatalogSource
    books: Books
    licenses: AcceptedLicenses
    runner: TaskRunner

    @classmethod
    def create(cls, settings: Settings | None = None, *, parent: QObject | None = None,
               on_error: ErrorCallback | None = None) -> AppContext:
        """The context of a starting app (in the GUI thread, once a QApplication exists).

        Args:
            settings: The settings read at start; read from disk when omitted.
            parent: The task runner's parent.
            on_error: Shows a background error nobody else handles.
        """
        where = AppPaths.from_environment()
        return cls(
            paths=where,
            settings=settings if settings is not None else load_settings(),
            store=Store(where.models),
            catalog=CatalogSource(),
            books=Books(),
            licenses=AcceptedLicenses(where.accepted_licenses),
            runner=TaskRunner(parent, default_error=on_error),
        )

    def install_policy(self) -> InstallPolicy:
        """How installs reach the network, from the current settings (as ``terjman`` does)."""
        return install_policy(self.settings)
