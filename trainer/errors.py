"""The trainer's errors: each message says what is wrong and how to fix it.

The command line prints them as one line and exits with status 2 (3 for a failed quality
check), without a traceback: they are the maintainer's to fix, not bugs.
"""

from __future__ import annotations


class TrainerError(Exception):
    """A problem with the input (config, data, model folder) that the user can fix."""


class ConfigError(TrainerError):
    """A config file or flag has a wrong name, type or value."""


class DataError(TrainerError):
    """Parallel data cannot be read, or is unusable after cleaning."""


class QualityCheckError(TrainerError):
    """An exported package scores worse than its checkpoint by more than the threshold."""
