"""The app's settings: one typed, versioned schema stored as JSON.

``load_settings`` never fails on a bad file: a field with an invalid value falls back to its
default (with a warning), and a file that cannot be used at all — not JSON, hostile JSON
(see :mod:`~terjman_desktop.core.jsonio`), unreadable, or not a regular file (a named pipe
would block the app at start, a device never ends) — is renamed to
``settings.json.corrupt-<timestamp>`` so nothing is lost, then defaults are used. Warnings
are logged and kept in :attr:`Settings.load_warnings` so the GUI can show them. Keys this
version does not know (written by a newer version) are kept and written back on save.

``save_settings`` validates, then writes atomically (temporary file + ``os.replace``) with
mode 0600, because the file may hold a Hugging Face token.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from terjman_desktop.core import jsonio, paths
from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.errors import LocationError, SettingsError
from terjman_desktop.core.languages import APP_LANGUAGES

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SETTINGS_FILE = "settings.json"

THEMES = ("system", "light", "dark")
QUALITIES = ("fast", "balanced", "best")
UI_LANGUAGES = ("system", "en", "fr", "ar")
MAX_SETTINGS_BYTES = 1024 * 1024
# The person's own file: a key given twice keeps its last value, as most JSON readers do,
# rather than costing every setting.
SETTINGS_JSON_LIMITS = jsonio.JsonLimits(
    max_bytes=MAX_SETTINGS_BYTES, max_depth=32, duplicate_keys="last"
)

# Fields that are not settings: bookkeeping of the load, never written.
_NOT_STORED = frozenset({"extra", "load_warnings"})


@dataclass
class Settings:
    """Everything a person can configure. Defaults are what a fresh install uses."""

    schema_version: int = SCHEMA_VERSION
    theme: str = "system"
    font_family: str = ""
    font_size: int = 15
    classroom_font_size: int = 44
    source_language: str = "en"
    target_language: str = "ary"
    threads: int = 0  # 0: the physical cores (core/hardware.py)
    use_vocabulary_map: bool = True
    quality: str = "balanced"
    history_enabled: bool = True
    catalog_url: str = ""
    mirrors: list[str] = field(default_factory=list)
    hf_token: str = ""
    ui_language: str = "system"
    model_id: str = ""
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    show_arabizi: bool = True
    translate_as_you_type: bool = True
    # Keys of the file this version does not know; written back unchanged.
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # What load_settings had to fix or move aside, for the GUI to show once.
    load_warnings: list[str] = field(default_factory=list, repr=False, compare=False)

    def validate(self) -> None:
        """Check every field.

        Raises:
            SettingsError: Naming the first invalid field and what it accepts.
        """
        for name, check in _CHECKS.items():
            problem = check(getattr(self, name))
            if problem:
                raise SettingsError(f"The setting '{name}' is invalid: {problem}.")
        if self.source_language == self.target_language:
            raise SettingsError(
                "The settings 'source_language' and 'target_language' are both "
                f"'{self.source_language}'.",
                hint="Choose two different languages.",
            )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object written to the file (unknown keys from the file included)."""
        data: dict[str, Any] = dict(self.extra)
        for f in fields(self):
            if f.name not in _NOT_STORED:
                value = getattr(self, f.name)
                data[f.name] = list(value) if isinstance(value, list) else value
        data["schema_version"] = SCHEMA_VERSION
        return data


# ----------------------------------------------------------------------------- checks
# Each returns "" when the value is fine, else what is wrong, in words.


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        return "" if value in options else f"expected one of {', '.join(options)}"

    return check


def _int_range(low: int, high: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"expected a whole number from {low} to {high}"
        return ""

    return check


def _boolean(value: Any) -> str:
    return "" if isinstance(value, bool) else "expected true or false"


def _text(value: Any) -> str:
    if not isinstance(value, str):
        return "expected text"
    if any(ord(c) < 32 for c in value) or len(value) > 4096:
        return "expected a single line of at most 4096 characters"
    return ""


def _url(value: Any, allow_empty: bool = True) -> str:
    problem = _text(value)
    if problem or (allow_empty and value == ""):
        return problem
    parsed = urlparse(value)
    if parsed.scheme == "file" or (parsed.scheme in ("http", "https") and parsed.netloc):
        return ""
    return f"'{value}' is not an http(s) or file URL"


def _mirrors(value: Any) -> str:
    if not isinstance(value, list):
        return "expected a list of URLs"
    for item in value:
        problem = _url(item, allow_empty=False)
        if problem:
            return problem
    return ""


def _token(value: Any) -> str:
    problem = _text(value)
    if not problem and any(c.isspace() for c in value):
        return "a token has no spaces"
    return problem


def _geometry(value: Any) -> str:
    problem = _text(value)
    if problem or value == "":
        return problem
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return "expected base64 data"
    return ""


def _schema(value: Any) -> str:
    return _int_range(0, 1_000_000)(value)


_CHECKS: dict[str, Callable[[Any], str]] = {
    "schema_version": _schema,
    "theme": _choice(THEMES),
    "font_family": _text,
    "font_size": _int_range(6, 96),
    "classroom_font_size": _int_range(12, 240),
    "source_language": _choice(APP_LANGUAGES),
    "target_language": _choice(APP_LANGUAGES),
    "threads": _int_range(0, 256),
    "use_vocabulary_map": _boolean,
    "quality": _choice(QUALITIES),
    "history_enabled": _boolean,
    "catalog_url": _url,
    "mirrors": _mirrors,
    "hf_token": _token,
    "ui_language": _choice(UI_LANGUAGES),
    "model_id": _text,
    "window_geometry": _geometry,
    "show_arabizi": _boolean,
    "translate_as_you_type": _boolean,
}


# ----------------------------------------------------------------------------- migrations


def _migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (files without ``schema_version``) had ``dark_mode`` and ``direction``."""
    data = dict(data)
    if "dark_mode" in data:
        dark = data.pop("dark_mode")
        data.setdefault("theme", "dark" if dark is True else "light")
    direction = data.pop("direction", None)
    if isinstance(direction, str) and "-" in direction:
        source, _, target = direction.partition("-")
        data.setdefault("source_language", source.strip())
        data.setdefault("target_language", target.strip())
    data["schema_version"] = 1
    return data


# MIGRATIONS[n] turns a version-n dictionary into a version n+1 one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _migrate_0_to_1}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings dictionary of any older version up to :data:`SCHEMA_VERSION`."""
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        version = 0
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


# ----------------------------------------------------------------------------- load / save


def settings_path() -> Path:
    """Where the settings live by default."""
    return paths.config_dir() / SETTINGS_FILE


def from_dict(data: dict[str, Any]) -> Settings:
    """Build settings from a (migrated) dictionary; invalid fields fall back to defaults."""
    settings = Settings()
    known = {f.name for f in fields(Settings)} - _NOT_STORED
    for key, value in data.items():
        if key not in known:
            settings.extra[key] = value
            continue
        problem = _CHECKS[key](value)
        if problem:
            _warn(settings, f"The setting '{key}' is invalid ({problem}); using the default.")
            continue
        setattr(settings, key, list(value) if isinstance(value, list) else value)
    if settings.source_language == settings.target_language:
        _warn(settings, "The default direction had the same language twice; using en → ary.")
        settings.source_language, settings.target_language = "en", "ary"
    settings.schema_version = SCHEMA_VERSION
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings, repairing what can be repaired.

    Args:
        path: The settings file (default: ``paths.config_dir()/settings.json``).

    Returns:
        The settings; defaults when the file is missing, or unusable (then it is moved
        aside and :attr:`Settings.load_warnings` says so). Never raises for a bad file.
    """
    path = path or settings_path()
    try:
        data = jsonio.load_file(path, limits=SETTINGS_JSON_LIMITS)
    except jsonio.JsonReadError as error:
        if error.missing:
            return Settings()
        return _set_aside(path, f"it {error.problem}")
    if not isinstance(data, dict):
        return _set_aside(path, "it does not hold a JSON object")
    version = data.get("schema_version", 0)
    newer = isinstance(version, int) and version > SCHEMA_VERSION
    settings = from_dict(migrate(data))
    if newer:
        _warn(settings, f"The settings were written by a newer version (schema {version}); "
                        "settings this version does not know are kept unchanged.")
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Validate and write the settings atomically, readable only by their owner.

    Returns:
        The path written.

    Raises:
        SettingsError: If a field is invalid or the file cannot be written.
    """
    settings.validate()
    path = path or settings_path()
    text = json.dumps(settings.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    try:
        paths.ensure_dir(path.parent)
    except LocationError as error:
        raise SettingsError(
            f"The settings could not be saved: {error.message}", hint=error.hint
        ) from None
    try:
        # Owner-only: the file may hold the Hugging Face token.
        write_atomically(path, text, private=True)
    except OSError as error:
        raise SettingsError(
            f"The settings could not be saved to '{path}' ({error.strerror or error}).",
            hint="Check that the folder exists and that you may write in it.",
        ) from error
    return path


def _warn(settings: Settings, message: str) -> None:
    logger.warning("%s", message)
    settings.load_warnings.append(message)


def _set_aside(path: Path, reason: str) -> Settings:
    """Rename a broken settings file out of the way and return defaults."""
    target = paths.aside_path(path)
    settings = Settings()
    try:
        os.replace(path, target)
    except OSError as error:
        _warn(settings, f"The settings file '{path}' is unusable ({reason}) and could not be "
                        f"moved aside ({error.strerror or error}); using the defaults.")
        return settings
    _warn(settings, f"The settings file was unusable ({reason}); it was kept as "
                    f"'{target}' and the defaults are used.")
    return settings
