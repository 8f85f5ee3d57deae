"""Shared pytest configuration: Qt runs offscreen, Terjman's folders live in a temp dir."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before any QApplication exists; pytest-qt creates it lazily.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def terjman_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own TERJMAN_HOME so nothing touches the real user folders."""
    home = tmp_path / "terjman-home"
    monkeypatch.setenv("TERJMAN_HOME", str(home))
    yield home
