"""Free-space checks: one margin for downloads, installs and exports, sizes in decimal units."""

from __future__ import annotations

from pathlib import Path

import pytest

from terjman_desktop.core import diskspace
from terjman_desktop.core.errors import DiskSpaceError


def test_message_shows_sizes_as_file_managers_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskspace, "free_disk_space", lambda path: 1_000_000)
    with pytest.raises(DiskSpaceError) as caught:
        diskspace.ensure_free_space(tmp_path, 1_500_000_000, "install 'terjman-nano'")
    message = str(caught.value)
    assert "install 'terjman-nano'" in message
    assert "needs 1.5 GB" in message and "1.0 MB is free" in message
    assert caught.value.hint


def test_the_margin_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskspace, "free_disk_space", lambda path: 1000 + diskspace.DISK_MARGIN)
    diskspace.ensure_free_space(tmp_path, 1000, "export 'x'")  # exactly enough
    monkeypatch.setattr(diskspace, "free_disk_space", lambda path: 999 + diskspace.DISK_MARGIN)
    with pytest.raises(DiskSpaceError):
        diskspace.ensure_free_space(tmp_path, 1000, "export 'x'")


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 bytes"), (999, "999 bytes"), (1536, "1.5 KB"), (80_000_000, "80.0 MB"),
    (3_300_000_000, "3.3 GB"), (12_000_000_000_000, "12000.0 GB"),
])
def test_format_size(count: int, text: str) -> None:
    assert diskspace.format_size(count) == text
