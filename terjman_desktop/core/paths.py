"""Where Terjman keeps its files.

Locations follow each platform's conventions (platformdirs). Setting ``TERJMAN_HOME`` puts
everything under one folder instead, which is what tests, portable installs and shared
classroom machines want. Nothing here creates a directory: callers create what they write.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "terjman"
APP_AUTHOR = "AtlasIA"
HOME_ENV = "TERJMAN_HOME"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _platform_dir(kind: str) -> Path:
    # Imported lazily so that importing this module does no work.
    import platformdirs

    getter = getattr(platformdirs, f"user_{kind}_path")
    path: Path = getter(APP_NAME, APP_AUTHOR)
    return path


def data_dir() -> Path:
    """Root of the data that matters (installed models, history)."""
    home = _home()
    return home / "data" if home else _platform_dir("data")


def config_dir() -> Path:
    """Folder of ``settings.json``."""
    home = _home()
    return home / "config" if home else _platform_dir("config")


def cache_dir() -> Path:
    """Disposable files: download staging, the cached catalog."""
    home = _home()
    return home / "cache" if home else _platform_dir("cache")


def log_dir() -> Path:
    """Rotating log files of the app."""
    home = _home()
    return home / "logs" if home else _platform_dir("log")


def models_dir() -> Path:
    """Installed models, one folder per model id."""
    return data_dir() / "models"
