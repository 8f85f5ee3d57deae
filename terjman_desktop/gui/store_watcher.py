"""Notices models that `terjman` or another window installs or removes while the app runs.

The store puts a model in place, and takes it away, with one rename in its folder, so watching
the entries of that one folder is enough. The folder may not exist yet (nothing was ever
installed) or may be deleted whole: the watch then sits on its nearest existing ancestor and
moves back down as folders appear. Nothing is ever created here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

logger = logging.getLogger(__name__)

DEBOUNCE_MS = 300  # an install or a removal touches the folder a few times in a row


class StoreWatcher(QObject):
    """Emits :attr:`changed` (debounced) when the models folder may hold other models.

    Args:
        root: The store folder (``paths.models_dir()``).
        debounce_ms: Quiet time after the last event before :attr:`changed` is emitted.

    Signals:
        changed(): re-read the installed models.
    """

    changed = Signal()

    def __init__(self, root: Path, parent: QObject | None = None, *,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.root = Path(root)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._event)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._settle)
        self._asked = False  # poke(): emit even if the watch saw nothing
        self._watched: Path | None = None
        self._arm()

    @property
    def watched(self) -> Path | None:
        """The folder being watched: the store, or its nearest existing ancestor."""
        return self._watched

    def poke(self) -> None:
        """Ask for a re-read soon, even if the watch saw nothing.

        The window calls it when it is activated: a watch can miss changes (a network drive
        sends no events; a system out of inotify watches refuses one).
        """
        self._asked = True
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (the window closes)."""
        self._timer.stop()
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        self._watched = None

    def _event(self, _path: str) -> None:
        self._timer.start()

    def _settle(self) -> None:
        before = self._watched
        self._arm()
        # Inside an ancestor only the way down to the store matters: a history database or
        # a settings file written next to it changes nothing for the models.
        relevant = self._watched == self.root or self._watched != before
        if relevant or self._asked:
            self._asked = False
            self.changed.emit()

    def _arm(self) -> None:
        """Watch the deepest existing folder on the way to the store.

        The check is repeated after adding the watch, so a folder created in between is not
        missed.
        """
        target = self._deepest_existing()
        while True:
            # Qt drops the watch of a folder that was deleted, even one made again since.
            if [Path(d) for d in self._watcher.directories()] != [target]:
                if self._watcher.directories():
                    self._watcher.removePaths(self._watcher.directories())
                if not self._watcher.addPath(str(target)):  # e.g. out of inotify watches
                    logger.warning("Cannot watch %s for new models", target)
            self._watched = target
            deeper = self._deepest_existing()
            if deeper == target:
                return
            target = deeper

    def _deepest_existing(self) -> Path:
        path = self.root
        while not path.is_dir() and path.parent != path:
            path = path.parent
        return path
