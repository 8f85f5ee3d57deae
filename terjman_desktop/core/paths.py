"""Where Terjman keeps its files.

Locations follow each platform's conventions (platformdirs). Setting ``TERJMAN_HOME`` puts
everything under one folder instead, which is what tests, portable installs and shared
classroom machines want. Nothing here creates a directory at import or when a location is
asked for: callers create the folders they write in, with :func:`ensure_dir`, which explains
a folder that cannot be created (``TERJMAN_HOME`` naming a file, a read-only place) with a
:class:`~terjman_desktop.core.errors.LocationError` instead of an ``OSError``.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path

from terjman_desktop.core.errors import LocationError

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


def ensure_dir(path: Path) -> Path:
    """Create the folder ``path`` and its parents if needed; return ``path``.

    Raises:
        LocationError: the folder cannot be created or is not a folder. The message names
            the file in the way, and ``TERJMAN_HOME`` when it is the cause.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _location_error(path, error) from None
    return path


def _blocking_file(path: Path) -> Path | None:
    """The nearest of ``path`` and its parents that exists and is not a folder."""
    for candidate in (path, *path.parents):
        if os.path.lexists(candidate):
            return None if candidate.is_dir() else candidate
    return None


def _location_error(path: Path, error: OSError) -> LocationError:
    home = _home()
    under_home = home is not None and (path == home or home in path.parents)
    blocker = _blocking_file(path)
    if blocker is not None:
        if home is not None and (blocker == home or blocker in home.parents):
            return LocationError(
                f"{HOME_ENV} is set to '{home}', but '{blocker}' is a file, not a folder.",
                hint=f"Set {HOME_ENV} to a folder (or unset it to use the usual places).",
            )
        return LocationError(
            f"Terjman needs the folder '{path}', but '{blocker}' is a file.",
            hint="Move or rename that file, then try again.",
        )
    reason = error.strerror or str(error)
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        hint = "Choose a folder you may write in" + (
            f" with {HOME_ENV}." if under_home else f", for instance with {HOME_ENV}."
        )
    else:
        hint = "Check the disk and try again."
    where = f" ({HOME_ENV} is '{home}')" if under_home else ""
    return LocationError(f"The folder '{path}' cannot be created{where}: {reason}.", hint=hint)


def resources_dir() -> Path:
    """The ``resources`` folder (catalog, icons, translations).

    In a PyInstaller bundle, an installed wheel (which carries it as
    ``terjman_desktop/resources``, see pyproject.toml) or a checkout (the repository root).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    package = Path(__file__).resolve().parents[1]
    installed = package / "resources"
    if (installed / "catalog.json").is_file():
        return installed
    return package.parent / "resources"


def aside_path(path: Path, label: str = "corrupt") -> Path:
    """A free name beside ``path`` to move a broken file to, so nothing is lost.

    ``settings.json`` → ``settings.json.corrupt-20261130-174401`` (``-1``, ``-2``… when
    that name is taken).
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{label}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.{label}-{stamp}-{counter}")
        counter += 1
    return target
