"""Where the model catalog comes from: the bundled copy, a refresh, the last good copy.

A copy is bundled with the app (``resources/catalog.json``); :func:`refresh` fetches a newer
one from a URL or a file, validates it (:mod:`~terjman_desktop.core.models.catalog_schema`)
and keeps it as the *last good copy* in the cache folder. A malformed or schema-invalid
catalog never replaces a good one. :func:`current` is the catalog the app uses now, and
:func:`recommended` the model offered to someone who has none.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from terjman_desktop.core import paths
from terjman_desktop.core.atomic import write_atomically
from terjman_desktop.core.errors import (
    CatalogError,
    DownloadError,
    TerjmanError,
)
from terjman_desktop.core.models.catalog_schema import (
    KEEP_HINT,
    MAX_CATALOG_BYTES,
    Catalog,
    CatalogEntry,
    loads,
)
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.text_safety import printable

logger = logging.getLogger(__name__)
CATALOG_NAME = "catalog.json"
DEFAULT_TIMEOUT = 10.0


def _read_file(path: Path) -> bytes:
    """A local catalog file, capped like a downloaded one (regular files only)."""
    try:
        return read_regular_file(path, max_bytes=MAX_CATALOG_BYTES)
    except FileReadError as error:
        raise CatalogError(
            printable(f"The catalog {path} {error.problem}."), hint=KEEP_HINT
        ) from None


def recommended(catalog: Catalog) -> CatalogEntry | None:
    """The model to offer someone who has none.

    The catalog's recommended one when it can be installed without a token, else the
    smallest such model.
    """
    candidates = [e for e in catalog if e.installable and not e.gated]
    marked = [e for e in candidates if e.recommended]
    if marked:
        return marked[0]
    return min(candidates, key=lambda e: e.download_size, default=None)


# --------------------------------------------------------------------------- locations


def bundled_path() -> Path:
    return paths.resources_dir() / CATALOG_NAME


def cached_path() -> Path:
    return paths.cache_dir() / CATALOG_NAME


# --------------------------------------------------------------------------- loading


def from_file(path: Path | str) -> Catalog:
    """Read and validate a catalog file (``--catalog FILE``), at most 8 MiB like a URL's.

    Raises:
        CatalogError: the file is missing, not a regular file, too large, or invalid.
    """
    path = Path(path)
    return loads(_read_file(path), str(path))


def load_bundled() -> Catalog:
    """The catalog shipped with the app."""
    return from_file(bundled_path())


def load_cached() -> Catalog | None:
    """The last good refreshed catalog, or ``None`` when there is none.

    Raises:
        CatalogError: when the cached copy exists but is damaged.
    """
    path = cached_path()
    if not path.is_file():
        return None
    return from_file(path)


def current() -> Catalog:
    """The cached catalog when it is valid, else the bundled one."""
    try:
        cached = load_cached()
    except CatalogError as error:
        logger.warning("Ignoring the cached catalog: %s", error)
        cached = None
    return cached if cached is not None else load_bundled()


def _fetch(url_or_path: str, timeout: float) -> bytes:
    if url_or_path.startswith(("http://", "https://")):
        # Imported here: importing this module must stay cheap.
        from terjman_desktop.core.http import fetch_bytes

        try:
            return fetch_bytes(url_or_path, timeout=timeout, max_bytes=MAX_CATALOG_BYTES)
        except DownloadError as error:
            raise CatalogError(
                f"The catalog cannot be fetched: {error.message}",
                hint="Check the connection or the catalog URL; the last good catalog stays "
                "in use.",
            ) from error
    if url_or_path.startswith("file:"):
        from urllib.request import url2pathname  # a costly import, rarely needed

        path = Path(url2pathname(urlsplit(url_or_path).path))
    else:
        path = Path(url_or_path)
    return _read_file(path)


def refresh(url_or_path: str, timeout: float = DEFAULT_TIMEOUT) -> Catalog:
    """Fetch a catalog from an http(s) URL or a file, validate it, and cache it.

    The cached copy is replaced atomically, and only by a catalog that validated.

    Raises:
        CatalogError: when the catalog cannot be fetched or is invalid (the cache is untouched).
    """
    content = _fetch(url_or_path, timeout)
    catalog = loads(content, url_or_path)
    try:
        write_atomically(cached_path(), content)
    except OSError as error:
        # The fetched catalog is good; failing to cache it must not stop the caller using it.
        logger.warning("Could not cache the catalog at %s: %s", cached_path(), error)
    logger.info("Catalog refreshed from %s (%d models)", url_or_path, len(catalog))
    return catalog


def refresh_or_current(
    url_or_path: str | None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[Catalog, CatalogError | None]:
    """Try :func:`refresh`; on failure fall back to :func:`current` (cached, then bundled).

    Returns:
        The catalog to use and the refresh error, if any, so the caller can show it.
    """
    if url_or_path:
        try:
            return refresh(url_or_path, timeout), None
        except TerjmanError as error:  # whatever went wrong, the last good copy stays in use
            logger.warning("Catalog refresh failed, using the last good copy: %s", error)
            failure = error if isinstance(error, CatalogError) else CatalogError(
                error.message, hint=error.hint or KEEP_HINT
            )
            return current(), failure
    return current(), None
