"""The trainer's errors: each message says what is wrong, and its hint how to fix it.

They are subclasses of :class:`~terjman_desktop.core.errors.TerjmanError`, the one error
type of the project: a ``message`` (what is wrong) and, where there is one, a ``hint`` (what
to do); ``str(error)`` is both. ``terjman-train`` prints them as one line, as ``terjman``
does, and exits with status 2 (3 for a failed quality check), without a traceback: they are
the maintainer's to fix, not bugs. Errors of the core that the trainer runs into (a
checkpoint the converter refuses, a package that does not verify) are reported the same way.
"""

from __future__ import annotations

from terjman_desktop.core.errors import TerjmanError


class TrainerError(TerjmanError):
    """A problem with the input (config, data, model folder) that the user can fix."""


class ConfigError(TrainerError):
    """A config file or flag has a wrong name, type or value."""


class DataError(TrainerError):
    """Parallel data cannot be read, or is unusable after cleaning."""


class QualityCheckError(TrainerError):
    """An exported package scores worse than its checkpoint by more than the threshold."""
