"""The entry points: ``python -m terjman_desktop``, argument parsing, the self-test hook."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop import app


def test_module_entry_point_help(tmp_path: Path) -> None:
    env = {**os.environ, "TERJMAN_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "terjman_desktop", "--help"],
                            capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "--self-test" in result.stdout
    assert "--lang" in result.stdout


def test_gui_script_is_declared() -> None:
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert 'terjman-desktop = "terjman_desktop.app:main"' in text


def test_parse_args_keeps_qt_options() -> None:
    args, rest = app.parse_args(["--lang", "ar", "--classroom", "-platform", "offscreen"])
    assert args.lang == "ar"
    assert args.classroom
    assert rest == ["-platform", "offscreen"]


def test_logging_goes_to_a_rotating_file(terjman_home: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = app.configure_logging()
        logging.getLogger("terjman_desktop.test").warning("hello log")
        assert path is not None and path.parent == terjman_home / "logs"
        for handler in root.handlers:
            handler.flush()
        assert "hello log" in path.read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_self_test(qapp: Any, marian_package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert app.self_test(marian_package) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["gui"] == "ok" and report["pdf"] == "ok"
    assert report["en→ary"]
