"""When the catalog has something newer than an installed model: the rule and version order.

An entry updates an installed model when it has the same id and a higher version, or the
same id and version but different file hashes (a corrected release), or when it is the same
model line with a higher version. A line is the id without its version token
(``terjman-nano-v1-int8`` and ``terjman-nano-v2.0-int8`` are both ``terjman-nano-int8``), so
size and quantization never change behind a person's back. A successor already installed is
not offered; the newest candidate wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from terjman_desktop.core.models.store.records import InstalledModel
from terjman_desktop.core.translate import MANIFEST_NAME, Manifest

_VERSION_TOKEN = re.compile(r"^v?\d+(\.\d+)*$")


class CatalogEntryLike(Protocol):
    """What :func:`find_updates` needs of a catalog entry (a ``CatalogEntry`` has it all).

    Optional attributes are used when present: ``files`` (items with ``path`` and
    ``sha256``) and ``available`` (``False`` for entries whose files are not released).
    """

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class UpdateInfo:
    """An update on offer for one installed model.

    Attributes:
        installed: The installed model.
        entry: The catalog entry that updates it.
        reason: Why, in words ("version 1.1 is available").
    """

    installed: InstalledModel
    entry: CatalogEntryLike
    reason: str


def find_updates(
    installed: Sequence[InstalledModel], catalog_entries: Iterable[CatalogEntryLike]
) -> list[UpdateInfo]:
    """The ``installed`` models for which ``catalog_entries`` has something newer.

    Args:
        installed: The installed models, typically ``Store().list()``.
        catalog_entries: The catalog's entries; those not released yet are never offered.

    Returns:
        One offer per model that has an update (the newest candidate), in ``installed``'s
        order; see the module's docstring for the rule.
    """
    entries = [e for e in catalog_entries if getattr(e, "available", True) is not False]
    installed_ids = {model.id for model in installed}
    found: list[UpdateInfo] = []
    for model in installed:
        best: tuple[CatalogEntryLike, str] | None = None
        line = _line_key(model.id, model.version)
        for entry in entries:
            newer = version_key(entry.version) > version_key(model.version)
            if entry.id == model.id:
                if newer:
                    reason = f"version {entry.version} is available"
                elif version_key(entry.version) == version_key(model.version) and _files_differ(
                    entry, model.manifest
                ):
                    reason = "the catalog has corrected files for this version"
                else:
                    continue
            elif (
                newer
                and line is not None
                and getattr(entry, "family", model.family) == model.family
                and getattr(entry, "quantization", model.quantization) == model.quantization
                and line == _line_key(entry.id, entry.version)
                and entry.id not in installed_ids
            ):
                reason = f"{entry.name} ({entry.id}) is available"
            else:
                continue
            if best is None or version_key(entry.version) > version_key(best[0].version):
                best = (entry, reason)
        if best is not None:
            found.append(UpdateInfo(model, best[0], best[1]))
    return found


def version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order "1" < "1.2" < "2.0" == "2" == "v2"; a non-numeric part sorts after its number."""
    parts: list[tuple[int, str]] = []
    for part in version.strip().lower().removeprefix("v").split("."):
        match = re.match(r"(\d*)(.*)", part)
        digits, rest = match.groups() if match else ("", part)
        parts.append((int(digits) if digits else 0, rest))
    while parts and parts[-1] == (0, ""):
        parts.pop()
    return tuple(parts)


def _line_key(model_id: str, version: str) -> str | None:
    tokens = model_id.split("-")
    kept = [
        t
        for t in tokens
        if not (_VERSION_TOKEN.match(t) and version_key(t) == version_key(version))
    ]
    return "-".join(kept) if len(kept) < len(tokens) else None


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name, None)


def _files_differ(entry: CatalogEntryLike, manifest: Manifest) -> bool:
    files = getattr(entry, "files", None)
    if not files:
        return False
    catalog = {
        (str(_field(f, "path")), str(_field(f, "sha256")).lower())
        for f in files
        if _field(f, "path") != MANIFEST_NAME
    }
    return catalog != {(f.path, f.sha256) for f in manifest.files}
