"""Settings: defaults, round trip, repair of bad values, corrupt files kept, migrations."""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from terjman_desktop.core import paths
from terjman_desktop.core.errors import SettingsError
from terjman_desktop.core.settings import (
    SCHEMA_VERSION,
    Settings,
    load_settings,
    migrate,
    save_settings,
    settings_path,
)


def test_missing_file_gives_defaults_and_creates_nothing(terjman_home: Path) -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.load_warnings == []
    assert not terjman_home.exists()
    assert settings_path() == paths.config_dir() / "settings.json"


def test_round_trip_every_field(terjman_home: Path) -> None:
    settings = Settings(
        theme="dark", font_family="Noto Naskh Arabic", font_size=18, classroom_font_size=60,
        source_language="ary", target_language="en", threads=4, quality="best",
        history_enabled=False, catalog_url="https://example.org/catalog.json",
        mirrors=["https://mirror.example.org/", "file:///media/usb/models"],
        hf_token="hf_abc123", ui_language="ar", model_id="terjman-nano-v2.0-int8",
        window_geometry="AdnQywADAAA=", show_arabizi=False, translate_as_you_type=False,
        use_vocabulary_map=False,
    )
    written = save_settings(settings)
    assert written == terjman_home / "config" / "settings.json"
    loaded = load_settings()
    assert loaded == settings
    for f in fields(Settings):
        assert getattr(loaded, f.name) == getattr(settings, f.name), f.name
    assert loaded.load_warnings == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_file_is_private_and_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "settings.json"
    save_settings(Settings(hf_token="hf_secret"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    save_settings(Settings(hf_token="hf_other"), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left
    assert json.loads(path.read_text(encoding="utf-8"))["hf_token"] == "hf_other"


def test_arabic_text_is_stored_readably(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(font_family="خط النسخ"), path)
    assert "خط النسخ" in path.read_text(encoding="utf-8")
    assert load_settings(path).font_family == "خط النسخ"


def test_invalid_values_fall_back_per_field(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    data = {
        "schema_version": 1, "theme": "purple", "font_size": "big", "threads": -3,
        "history_enabled": "yes", "quality": "best", "mirrors": ["ftp://x"],
        "catalog_url": "not a url", "window_geometry": "***", "classroom_font_size": True,
        "font_family": "Amiri",
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    settings = load_settings(path)
    defaults = Settings()
    assert settings.quality == "best" and settings.font_family == "Amiri"
    for name in ("theme", "font_size", "threads", "history_enabled", "mirrors", "catalog_url",
                 "window_geometry", "classroom_font_size"):
        assert getattr(settings, name) == getattr(defaults, name), name
        assert any(f"'{name}'" in w for w in settings.load_warnings), name
    assert path.exists()  # a file with bad values is repaired on the next save, not moved


def test_same_language_twice_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"source_language": "ary", "target_language": "ary"}', encoding="utf-8")
    settings = load_settings(path)
    assert (settings.source_language, settings.target_language) == ("en", "ary")
    assert settings.load_warnings


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2, 3]", b"\xff\xfe\x00garbage", b"", b'"just a string"'],
)
def test_corrupt_file_is_moved_aside_and_defaults_used(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings = load_settings(path)
    assert settings == Settings()
    assert not path.exists()
    kept = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert settings.load_warnings and str(kept[0]) in settings.load_warnings[0]
    # A second corrupt file on the same second gets its own name; nothing is overwritten.
    path.write_bytes(content)
    load_settings(path)
    assert len(list(tmp_path.glob("settings.json.corrupt-*"))) == 2


def test_huge_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b" " * (2 * 1024 * 1024))
    assert load_settings(path) == Settings()
    assert list(tmp_path.glob("settings.json.corrupt-*"))


def test_a_folder_in_place_of_the_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()  # a folder where the file should be
    (path / "inside").write_text("kept", encoding="utf-8")
    settings = load_settings(path)
    assert settings == Settings()
    [kept] = tmp_path.glob("settings.json.corrupt-*")
    assert (kept / "inside").read_text(encoding="utf-8") == "kept"
    assert "is a folder" in settings.load_warnings[0]
    save_settings(settings, path)  # the place is free again
    assert load_settings(path) == Settings()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_does_not_hang_the_app(tmp_path: Path) -> None:
    # Opening a FIFO for reading waits for a writer: the app hung at start.
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    settings = load_settings(path)
    assert settings == Settings()
    assert "named pipe" in settings.load_warnings[0]
    assert not os.path.lexists(path)
    [kept] = tmp_path.glob("settings.json.corrupt-*")
    assert stat.S_ISFIFO(kept.lstat().st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_link_to_a_device_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.symlink_to("/dev/zero")  # reading it would never end
    settings = load_settings(path)
    assert settings == Settings()
    assert "is a device" in settings.load_warnings[0]
    assert [p.is_symlink() for p in tmp_path.glob("settings.json.corrupt-*")] == [True]


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"font_size": 1' + b"0" * 5000 + b"}",
        b'{"font_size": NaN}',
        b'{"font_family": "\\udc80"}',
    ],
    ids=["deep nesting", "a 5000-digit integer", "NaN", "a lone surrogate"],
)
def test_hostile_json_is_moved_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.load_warnings
    [kept] = tmp_path.glob("settings.json.corrupt-*")
    assert kept.read_bytes() == content
    save_settings(settings, path)  # and the defaults can be saved again


def test_a_duplicate_key_keeps_the_last_value(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"theme": "light", "theme": "dark"}')
    assert load_settings(path).theme == "dark"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_file_that_cannot_be_read_is_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{}", encoding="utf-8")
    real_open = os.open

    def refuse(name: object, *args: object, **kwargs: object) -> int:
        if str(name) == str(path):  # tests run as root, where chmod would not stop a read
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    settings = load_settings(path)
    assert settings == Settings()
    assert "Permission denied" in settings.load_warnings[0]


def test_terjman_home_that_is_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TERJMAN_HOME", str(home))
    assert load_settings() == Settings()  # nothing to read there
    with pytest.raises(SettingsError, match="TERJMAN_HOME is set to") as caught:
        save_settings(Settings())
    assert caught.value.hint and "TERJMAN_HOME" in caught.value.hint
    assert home.read_text(encoding="utf-8") == "not a folder"


def test_unknown_keys_are_preserved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"schema_version": 1, "future_option": {"a": [1, 2]}, "theme": "dark"}',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "dark" and settings.extra == {"future_option": {"a": [1, 2]}}
    settings.font_size = 20
    save_settings(settings, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["future_option"] == {"a": [1, 2]} and data["font_size"] == 20


def test_newer_schema_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"schema_version": 99, "theme": "light"}', encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "light"
    assert any("newer version" in w for w in settings.load_warnings)


def test_migration_from_version_0(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"dark_mode": true, "direction": "ary-en", "font_size": 20}',
                    encoding="utf-8")
    settings = load_settings(path)
    assert settings.theme == "dark"
    assert (settings.source_language, settings.target_language) == ("ary", "en")
    assert settings.font_size == 20 and settings.schema_version == SCHEMA_VERSION
    assert settings.extra == {} and settings.load_warnings == []
    save_settings(settings, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION and "dark_mode" not in data


def test_migrate_keeps_current_version_unchanged() -> None:
    data = {"schema_version": SCHEMA_VERSION, "theme": "dark"}
    assert migrate(dict(data)) == data
    assert migrate({"dark_mode": False})["theme"] == "light"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("theme", "blue"), ("font_size", 2), ("font_size", True), ("threads", 1000),
        ("quality", "ultra"), ("ui_language", "de"), ("hf_token", "hf abc"),
        ("catalog_url", "javascript:alert(1)"), ("mirrors", "https://one.example"),
        ("window_geometry", "@@"), ("show_arabizi", 1), ("use_vocabulary_map", "no"),
        ("model_id", "a\nb"), ("source_language", "fr"),
    ],
)
def test_validate_names_the_field(name: str, value: object) -> None:
    settings = Settings()
    setattr(settings, name, value)
    with pytest.raises(SettingsError, match=f"'{name}'"):
        settings.validate()
    with pytest.raises(SettingsError):
        save_settings(settings)
    assert not settings_path().exists()


def test_validate_rejects_same_languages() -> None:
    with pytest.raises(SettingsError, match="source_language"):
        Settings(source_language="en", target_language="en").validate()


def test_write_failure_is_a_settings_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(SettingsError, match="could not be saved"):
        save_settings(Settings(), blocker / "settings.json")
    assert os.listdir(tmp_path) == ["file"]


def test_a_broken_file_goes_aside_under_a_free_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings and the history move a broken file to the same kind of name, never over one."""
    monkeypatch.setattr(paths.time, "strftime", lambda fmt: "20261130-174401")  # one second
    broken = tmp_path / "settings.json"
    first = paths.aside_path(broken)
    assert first == tmp_path / "settings.json.corrupt-20261130-174401"
    first.write_text("kept")
    assert paths.aside_path(broken) == tmp_path / "settings.json.corrupt-20261130-174401-1"
