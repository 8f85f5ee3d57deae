"""Saving the app's settings as they change: on a worker, at once or after a quiet moment."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from terjman_desktop.gui.context import AppContext
from terjman_desktop.gui.operations.settings import SettingsOps
from terjman_desktop.gui.task_runner import ErrorCallback

SAVE_DELAY_MS = 400


class SettingsSaver(QObject):
    """Writes ``context.settings`` through :class:`SettingsOps`; the GUI thread never does.

    Args:
        context: Whose settings to save.
        on_error: Shows a save that failed.
        delay_ms: Quiet time before :meth:`soon` saves (a zoom held down, a picker scrolled).
    """

    def __init__(self, context: AppContext, on_error: ErrorCallback,
                 parent: QObject | None = None, *, delay_ms: int = SAVE_DELAY_MS) -> None:
        super().__init__(parent)
        self.ops = SettingsOps(context)
        self.on_error = on_error
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.now)

    def now(self) -> None:
        """Save the settings as they are now; a save waiting to happen is not needed then."""
        self._timer.stop()
        self.ops.save().on_error(self.on_error).run()

    def soon(self) -> None:
        """Save once nothing changed for a moment."""
        self._timer.start()

    def before_exit(self) -> BaseException | None:
        """Save and wait for it: the app is closing. Returns the error, if the save failed.

        Call it before the runner shuts down (which would drop a queued save), and show the
        error after: a message box now would let the save's own report run too.
        """
        self._timer.stop()
        return self.ops.save_before_exit()
