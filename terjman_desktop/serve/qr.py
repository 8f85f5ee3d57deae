"""The page's address as a QR code students scan: drawn by segno (pure Python, no deps)."""

from __future__ import annotations

import io
from typing import Any, TextIO


def _code(url: str) -> Any:
    import segno

    return segno.make(url, error="m", micro=False)


def qr_png(url: str, scale: int = 8) -> bytes:
    """A PNG of the QR code for ``url`` (with the quiet zone scanners need)."""
    buffer = io.BytesIO()
    _code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def print_qr(url: str, out: TextIO) -> None:
    """Draw the QR code for ``url`` in a terminal (half-block characters, two rows a line)."""
    _code(url).terminal(out=out, compact=True, border=2)
