"""Free disk space: how much there is, refusing work that would not fit, and showing sizes.

Tests replace :func:`free_disk_space` here (``monkeypatch.setattr(diskspace,
"free_disk_space", ...)``) to simulate a small disk, so every caller looks it up through
this module at call time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from terjman_desktop.core.errors import DiskSpaceError

MIB = 1 << 20
GIB = 1 << 30
# Room left for the file system's own needs beyond the bytes a download, an install or an
# export writes; one figure for all of them, so the same disk never passes one check and
# fails the next.
DISK_MARGIN = 32 * MIB


def free_disk_space(path: Path) -> int:
    """Free bytes on the file system of ``path`` or of its nearest existing parent."""
    probe = Path(path).absolute()
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return shutil.disk_usage(probe).free


def format_size(count: float) -> str:
    """``1536`` → ``'1.5 KB'`` (decimal units, as file managers show them)."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if abs(count) < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


def ensure_free_space(
    where: Path, needed: int, action: str, *, hint: str = "Free some disk space and try again."
) -> None:
    """Refuse to ``action`` (``"install 'x'"``) unless ``needed`` bytes and a margin are free.

    The one free-space check of downloads, installs and exports.

    Raises:
        DiskSpaceError: naming what is needed and what is free at ``where``.
    """
    free = free_disk_space(where)
    if free < needed + DISK_MARGIN:
        raise DiskSpaceError(
            f"Not enough free disk space to {action}: it needs "
            f"{format_size(needed + DISK_MARGIN)} and {format_size(free)} is free at {where}.",
            hint=hint,
        )
