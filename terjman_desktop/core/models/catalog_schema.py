"""What a catalog is: its entries, and the rules a catalog document must follow.

A catalog is one JSON document (``"catalog_format": 1``, see docs/DESIGN.md "The catalog").
An ``available`` entry is a released package: it lists every file with its size and SHA-256
and the mirrors that serve them; a file whose hash is not known in advance is never installed.
An entry may also (or instead) name a ``source``: a Hugging Face repository that the app
resolves to a commit, downloads and converts on the user's machine (``models.hub``). Such an
entry keeps the status ``not_yet_available`` when no package is released, so older readers,
which know only packages, show it as not available rather than misreading it; this reader
installs it from the Hub (:attr:`CatalogEntry.installable`). Where a catalog comes from (the
bundled copy, a refresh, the last good copy) is :mod:`~terjman_desktop.core.models.catalog`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from terjman_desktop.core import jsonio
from terjman_desktop.core.errors import (
    CatalogError,
    ModelNotFoundError,
)
from terjman_desktop.core.families import FAMILY_NAMES
from terjman_desktop.core.jsonfields import Fields
from terjman_desktop.core.models.hub.source import HubSource, parse_hub_source
from terjman_desktop.core.text_safety import is_language_code, is_version, printable
from terjman_desktop.core.translate import (
    ID_PATTERN,
    QUANTIZATIONS,
    SHA256_PATTERN,
    Direction,
    FileEntry,
    is_safe_relative_path,
    path_clash,
)

logger = logging.getLogger(__name__)
CATALOG_FORMAT = 1
TIERS = ("nano", "large", "ultra", "supreme", "nllb")
STATUS_AVAILABLE = "available"
STATUS_NOT_YET_AVAILABLE = "not_yet_available"
STATUSES = (STATUS_AVAILABLE, STATUS_NOT_YET_AVAILABLE)
METRIC_NAMES = ("bleu", "chrf", "ter")
# A catalog is a small document; anything bigger is not a catalog (or a hostile server).
MAX_CATALOG_BYTES = 8 * 1024 * 1024
CATALOG_JSON_LIMITS = jsonio.JsonLimits(max_bytes=MAX_CATALOG_BYTES)
KEEP_HINT = "Check the catalog file or URL; the previous catalog stays in use."


@dataclass(frozen=True)
class CatalogEntry:
    """One installable (or announced) model.

    ``metrics`` holds figures measured on this very model; ``closest_metrics`` holds published
    figures of a *different* model (named by ``measured_on``) that is the nearest available
    reference, so a display can label them honestly.
    """

    id: str
    name: str
    version: str
    family: str
    tier: str
    directions: tuple[Direction, ...]
    parameters: int
    base_model: str
    hf_repo: str
    gated: bool
    quantization: str
    download_size: int
    ram_required: int
    license: str
    attribution: str
    status: str
    metrics: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    closest_metrics: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sizes_estimated: bool = False
    notes: str = ""
    files: tuple[FileEntry, ...] = ()
    mirrors: tuple[str, ...] = ()
    # Where the model can also come from: a Hugging Face repository, converted on the user's
    # machine (hub_source.py). Older readers ignore it and see the status only.
    source: HubSource | None = None
    installed_size: int = 0
    recommended: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        """A released package (files with their hashes on mirrors) can be downloaded."""
        return self.status == STATUS_AVAILABLE

    @property
    def installable(self) -> bool:
        """The model can be installed: from its released package or from the Hub."""
        return self.available or self.source is not None

    def supports(self, source: str, target: str) -> bool:
        return Direction(source, target) in self.directions


@dataclass(frozen=True)
class Catalog:
    """A validated catalog. ``origin`` says where it was read from (for display and logs)."""

    entries: tuple[CatalogEntry, ...]
    format: int = CATALOG_FORMAT
    updated: str = ""
    notes: str = ""
    origin: str = ""

    def __iter__(self) -> Iterator[CatalogEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, model_id: str) -> CatalogEntry | None:
        return next((entry for entry in self.entries if entry.id == model_id), None)

    def get(self, model_id: str) -> CatalogEntry:
        """The entry with this id.

        Raises:
            ModelNotFoundError: when the catalog has no such model.
        """
        entry = self.find(model_id)
        if entry is None:
            raise ModelNotFoundError(
                f"The catalog has no model '{model_id}'.",
                hint="Run `terjman models available` to see the models you can install.",
            )
        return entry


# --------------------------------------------------------------------------- validation


def _fields(data: Any, where: str) -> Fields:
    return Fields(data, where, CatalogError)


def _parse_metrics(raw: Any, where: str, *, closest: bool) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: the field must be an object of benchmarks.")
    parsed: dict[str, dict[str, Any]] = {}
    for benchmark, figures in raw.items():
        check = _fields(figures if isinstance(figures, dict) else {}, f"{where}.{benchmark}")
        if not isinstance(figures, dict):
            raise check.fail("each benchmark must be an object of figures.")
        for name in METRIC_NAMES:
            if name in figures:
                check.get(name, (int, float))
        if not any(name in figures for name in METRIC_NAMES):
            raise check.fail(f"no figure given (expected some of {list(METRIC_NAMES)}).")
        # Figures without a source cannot be checked by anyone: refuse them.
        check.text("source")
        if closest:
            check.text("measured_on")
        parsed[str(benchmark)] = dict(figures)
    return parsed


def _parse_files(raw: Any, check: Fields) -> tuple[FileEntry, ...]:
    if not isinstance(raw, list):
        raise check.fail("the field 'files' must be a list.")
    files: list[FileEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(raw):
        where = f"{check.where} files[{index}]"
        file_check = _fields(item if isinstance(item, dict) else {}, where)
        if not isinstance(item, dict):
            raise file_check.fail("each file must be an object with path, size and sha256.")
        path = file_check.text("path")
        if not is_safe_relative_path(path):
            raise file_check.fail(f"the path '{path}' is not a plain relative path.")
        if path in seen:
            raise file_check.fail(f"'{path}' is listed twice.")
        seen.add(path)
        size = file_check.count("size")
        if "sha256" not in item:
            raise file_check.fail(
                f"'{path}' has no sha256: a file whose hash is not known in advance "
                "cannot be installed."
            )
        sha256 = file_check.text("sha256").lower()
        if not SHA256_PATTERN.match(sha256):
            raise file_check.fail(f"the sha256 of '{path}' is not 64 hexadecimal digits.")
        files.append(FileEntry(path, size, sha256))
    clash = path_clash(remote.path for remote in files)
    if clash:
        raise check.fail(clash)
    return tuple(files)


def _parse_mirrors(raw: Any, check: Fields) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(m, str) for m in raw):
        raise check.fail("the field 'mirrors' must be a list of URLs.")
    for mirror in raw:
        if not is_mirror_url(mirror):
            raise check.fail(f"the mirror {mirror!r} is not an http(s) URL with a host name.")
    return tuple(raw)


def is_mirror_url(url: str) -> bool:
    """An ``http(s)://host[:port]/path`` base URL, with a host and nothing unprintable."""
    if not url.isprintable() or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


_ENTRY_FIELDS = frozenset(
    {
        "id", "name", "version", "family", "tier", "directions", "parameters", "base_model",
        "hf_repo", "gated", "quantization", "download_size", "ram_required", "metrics",
        "closest_metrics", "license", "attribution", "status", "sizes_estimated", "notes",
        "files", "mirrors", "source", "installed_size", "recommended",
    }
)


def _parse_entry(raw: Any, index: int) -> CatalogEntry:
    if not isinstance(raw, dict):
        raise CatalogError(f"models[{index}]: each model must be a JSON object.")
    model_id = raw.get("id")
    label = f"model '{model_id}'" if isinstance(model_id, str) else f"models[{index}]"
    check = _fields(raw, label)
    model_id = check.text("id")
    if not ID_PATTERN.match(model_id):
        raise check.fail(
            f"the id '{model_id}' is not valid: use lowercase letters, digits, '.', '_' and '-'."
        )

    raw_directions = check.get("directions", list)
    directions: list[Direction] = []
    for item in raw_directions:
        direction = _fields(item if isinstance(item, dict) else {}, f"{check.where} directions")
        if not isinstance(item, dict):
            raise direction.fail("each direction must be an object with source and target.")
        codes = [
            direction.code(side, is_language_code, "a language code like 'en' or 'ary'")
            for side in ("source", "target")
        ]
        directions.append(Direction(*codes))
    if not directions:
        raise check.fail("the model lists no translation direction.")

    status = check.choice("status", STATUSES)
    files = _parse_files(check.get("files", list, []), check)
    mirrors = _parse_mirrors(check.get("mirrors", list, []), check)
    if status == STATUS_AVAILABLE:
        if not files:
            raise check.fail(
                "an available model must list its files with their sizes and sha256."
            )
        if not mirrors:
            raise check.fail("an available model must list at least one mirror.")

    return CatalogEntry(
        id=model_id,
        name=check.prose("name"),
        version=check.code("version", is_version, "a version like '2.0'"),
        family=check.choice("family", FAMILY_NAMES),
        tier=check.choice("tier", TIERS),
        directions=tuple(directions),
        parameters=check.count("parameters"),
        base_model=check.text("base_model"),
        hf_repo=check.text("hf_repo"),
        gated=check.get("gated", bool),
        quantization=check.choice("quantization", QUANTIZATIONS),
        download_size=check.count("download_size"),
        ram_required=check.count("ram_required"),
        license=check.prose("license"),
        attribution=check.prose("attribution"),
        status=status,
        metrics=_parse_metrics(
            check.get("metrics", dict, {}), f"{check.where} metrics", closest=False
        ),
        closest_metrics=_parse_metrics(
            check.get("closest_metrics", dict, {}), f"{check.where} closest_metrics", closest=True
        ),
        sizes_estimated=check.get("sizes_estimated", bool, False),
        notes=check.prose("notes", ""),
        files=files,
        mirrors=mirrors,
        source=(parse_hub_source(raw["source"], f"{check.where} source")
                if "source" in raw else None),
        installed_size=check.count("installed_size", 0),
        recommended=check.get("recommended", bool, False),
        extra={k: v for k, v in raw.items() if k not in _ENTRY_FIELDS},
    )


def parse_catalog(data: Any, origin: str = "catalog") -> Catalog:
    """Validate a decoded catalog document.

    Raises:
        CatalogError: naming the entry and field that is missing or wrong.
    """
    if not isinstance(data, dict):
        raise CatalogError(f"{origin}: the catalog must be a JSON object.")
    check = _fields(data, origin)
    fmt = check.get("catalog_format", int)
    if fmt > CATALOG_FORMAT:
        raise CatalogError(
            f"{origin}: the catalog uses format {fmt}, newer than this app understands "
            f"({CATALOG_FORMAT}).",
            hint="Update Terjman Desktop to read this catalog.",
        )
    if fmt < 1:
        raise check.fail(f"the catalog format {fmt} is not valid.")
    raw_models = check.get("models", list)
    entries: list[CatalogEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_models):
        try:
            entry = _parse_entry(raw, index)
        except CatalogError as error:
            raise CatalogError(f"{origin}: {error.message}", hint=error.hint) from None
        if entry.id in seen:
            raise CatalogError(f"{origin}: the model id '{entry.id}' is listed twice.")
        seen.add(entry.id)
        entries.append(entry)
    return Catalog(
        entries=tuple(entries),
        format=fmt,
        updated=check.prose("updated", ""),
        notes=check.prose("notes", ""),
        origin=origin,
    )


def loads(content: bytes | str, origin: str = "catalog") -> Catalog:
    """Decode and validate catalog JSON text (within the limits of :mod:`jsonio`).

    Raises:
        CatalogError: the document is too large, not UTF-8 JSON, breaks a JSON limit (depth,
            numbers, duplicate keys) or is not a valid catalog.
    """
    try:
        data = jsonio.loads(content, origin, limits=CATALOG_JSON_LIMITS)
    except jsonio.JsonReadError as error:
        raise CatalogError(printable(f"{error.where} {error.problem}."), hint=KEEP_HINT) from None
    return parse_catalog(data, origin)
