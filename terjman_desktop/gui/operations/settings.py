"""The app's own files: saving the settings, making the log folder; never on the GUI thread."""

from __future__ import annotations

import copy
import logging
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from terjman_desktop.core import paths
from terjman_desktop.core.settings import save_settings
from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations import Op

logger = logging.getLogger(__name__)

# Settings and the accepted licenses are written one after another, in order: a newer
# snapshot never lands before an older one.
CONFIG_QUEUE = "config"
EXIT_WAIT_SECONDS = 5.0


class SettingsOps:
    """Writes ``context.settings`` to disk; makes the app's folders."""

    def __init__(self, context: AppContext) -> None:
        self.context = context

    def save(self) -> Op[Path]:
        """Save a snapshot of the settings as they are now (the GUI may change them meanwhile)."""
        snapshot = copy.deepcopy(self.context.settings)
        return Op(self.context.runner, lambda _: save_settings(snapshot), name="save settings",
                  queue=CONFIG_QUEUE)

    def save_before_exit(self, timeout: float = EXIT_WAIT_SECONDS) -> BaseException | None:
        """Save on the worker and wait for it (and any save queued before): the app is closing.

        Call it before the runner shuts down, which would drop a save still queued. Returns
        the error, if the save failed, for the caller to show; None once saved, or when the
        runner has already shut down (the save made then is the last one).
        """
        task = self.save().run()
        if task.future is None:
            logger.debug("Settings not saved again: the runner has shut down")
            return None
        try:
            task.future.result(timeout)
        except FutureTimeout:
            logger.warning("Saving the settings took more than %.0f s", timeout)
            return None
        except Exception as error:
            return error
        return None

    def log_folder(self) -> Op[Path]:
        """The log folder, created if needed (to show it in the file manager)."""
        folder = self.context.paths.logs
        return Op(self.context.runner, lambda _: paths.ensure_dir(folder), name="log folder")
