"""Plain text (``.txt``): each line is a unit; line breaks (LF, CRLF, CR) stay as they were."""

from __future__ import annotations

from pathlib import Path

from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    encode,
    split_line,
)
from terjman_desktop.core.textfile import MAX_TEXT_BYTES, read_text_file


def prepare_txt(path: Path) -> Prepared:
    """Each line is a unit; line breaks (LF, CRLF, CR) are kept as they were."""
    text, bom = read_text_file(path, max_bytes=MAX_TEXT_BYTES, kind="text")
    lines = [split_line(chunk) for chunk in text.splitlines(keepends=True)]

    def render(translations: list[str]) -> bytes:
        return encode("".join(t + end for t, (_, end) in zip(translations, lines, strict=True)),
                       bom)

    return Prepared([body for body, _ in lines], render)


FORMAT = DocumentFormat(".txt", "Text files", lambda path, options: prepare_txt(path))
