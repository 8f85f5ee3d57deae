"""What every document format hands the registry: units to translate and how to rebuild.

A format module reads a file into :class:`Prepared` — the units (lines, cues, spans, cells)
and a ``render`` function that rebuilds the file's bytes from their translations, changing
nothing else — and declares itself with a :class:`DocumentFormat` that
:mod:`~terjman_desktop.core.documents.registry` lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

_UTF8_BOM = "\ufeff"


@dataclass
class Prepared:
    """A parsed document: units to translate and how to rebuild the file from them."""

    units: list[str]
    render: Callable[[list[str]], bytes] = field(repr=False)


@dataclass(frozen=True)
class PrepareOptions:
    """What a format may need besides the file: the target language, a CSV column."""

    target_language: str
    column: str | int | None = None


@dataclass(frozen=True)
class DocumentFormat:
    """One kind of file the app translates, as the registry lists it."""

    suffix: str  # lower case, with the dot: ".srt"
    description: str  # for file dialogs: "Subtitles"
    prepare: Callable[[Path, PrepareOptions], Prepared] = field(repr=False)


def encode(text: str, bom: bool) -> bytes:
    """UTF-8, with a byte-order mark when the input had one."""
    return ((_UTF8_BOM if bom else "") + text).encode("utf-8")


def split_line(chunk: str) -> tuple[str, str]:
    """A line and its line break."""
    body = chunk.rstrip("\r\n")
    return body, chunk[len(body):]
