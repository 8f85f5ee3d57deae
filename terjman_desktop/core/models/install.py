"""Install a model from the catalog: download into the store's staging folder, verify, place.

The catalog lists every file of a release, the manifest included, with its size and SHA-256,
so nothing is trusted that was not known in advance. The download is the filler of
:meth:`Store.install <terjman_desktop.core.models.store.store.Store.install>`: it resumes
from the staging folder after a drop or a restart, and the store's lock is held from the
first byte to the final rename so two processes never write the same staging folder. A
second install of the same model waits for the first (saying so, and cancellable); when the
first has installed exactly this release meanwhile, the second is done without downloading
anything.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import CatalogError, StoreError
from terjman_desktop.core.models.catalog_schema import CatalogEntry
from terjman_desktop.core.models.download import DownloadProgress, download_files
from terjman_desktop.core.models.hub.install import InstallProgress
from terjman_desktop.core.models.store.store import InstalledModel, LockWait, Store, Workspace
from terjman_desktop.core.readfile import FileReadError, read_regular_file
from terjman_desktop.core.translate import MANIFEST_NAME, MAX_MANIFEST_BYTES

logger = logging.getLogger(__name__)


def install_from_catalog(
    entry: CatalogEntry,
    store: Store | None = None,
    *,
    token: str | None = None,
    progress: Callable[[DownloadProgress], None] | None = None,
    control: PauseToken | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    on_wait: Callable[[LockWait], None] | None = None,
) -> InstalledModel:
    """Download, verify and install ``entry``; returns the installed model.

    Another process (or thread) installing or changing the same model is waited for, as
    long as it takes; ``on_wait`` (default: the store's ``on_lock_wait``) is told once, and
    ``control`` cancels the wait.

    Raises:
        StoreError: the model is not released yet, or its release is inconsistent.
        CatalogError: the entry does not list the package manifest.
        DownloadError, AccessDeniedError, DiskSpaceError, CancelledError: from the download.
        PackageError: the downloaded files do not form the package the manifest describes.
    """
    if not entry.available:
        raise StoreError(
            f"{entry.name} is not available for download yet.",
            hint="Its CTranslate2 files have not been released; import a package file instead.",
        )
    if not any(remote.path == MANIFEST_NAME for remote in entry.files):
        raise CatalogError(
            f"The catalog entry '{entry.id}' does not list {MANIFEST_NAME}.",
            hint="The catalog is damaged: refresh it or ask its maintainer.",
        )
    store = store or Store()

    def download(work: Workspace) -> None:
        download_files(
            entry.files, entry.mirrors, work.staging, token=token, progress=progress,
            control=control, retries=retries, backoff=backoff,
        )

    installed = store.install(
        entry.id, download, reuse=lambda model: _is_release(model, entry), cancel=control,
        on_wait=on_wait,
    )
    logger.info("Installed %s %s", installed.id, installed.version)
    return installed


def _is_release(model: InstalledModel, entry: CatalogEntry) -> bool:
    """Whether the installed ``model``'s manifest is the very one the catalog publishes."""
    published = next((r for r in entry.files if r.path == MANIFEST_NAME), None)
    try:
        raw = read_regular_file(model.path / MANIFEST_NAME, max_bytes=MAX_MANIFEST_BYTES)
    except FileReadError:
        return False
    return published is not None and hashlib.sha256(raw).hexdigest() == published.sha256


def install_entry(
    entry: CatalogEntry,
    store: Store | None = None,
    *,
    token: str | None = None,
    token_source: str = "the settings",
    progress: Callable[[InstallProgress], None] | None = None,
    control: PauseToken | None = None,
    on_wait: Callable[[LockWait], None] | None = None,
    quantization: str | None = None,
    keep_source: bool = False,
    extra_mirrors: tuple[str, ...] = (),
) -> InstalledModel:
    """Install a catalog entry the best way it offers: its released package, else the Hub.

    ``token`` is the person's explicit Hugging Face token (``--token``, the settings); the
    Hub's own conventions (``HF_TOKEN``, the login token file) apply when it is None. It is
    only ever sent to the Hub. ``extra_mirrors`` (the settings' mirrors) are tried before the
    catalog's for a released package. Progress comes as :class:`InstallProgress` (a released
    package has a download phase only).

    Raises:
        StoreError: the entry can be installed neither way.
        And what :func:`install_from_catalog` or :func:`install_from_hub` raise.
    """
    from dataclasses import replace

    from terjman_desktop.core.models.hub.auth import resolve_token
    from terjman_desktop.core.models.hub.install import (
        PHASE_DOWNLOAD,
        PackageDetails,
        install_from_hub,
    )

    if entry.available:
        resolved = resolve_token(token, explicit_source=token_source)

        def on_download(state: DownloadProgress) -> None:
            if progress is not None:
                progress(InstallProgress(PHASE_DOWNLOAD, state.downloaded_bytes,
                                         state.total_bytes, state))

        mirrors = tuple(m for m in extra_mirrors if m not in entry.mirrors) + entry.mirrors
        return install_from_catalog(
            replace(entry, mirrors=mirrors), store,
            token=resolved.value if resolved else None, progress=on_download,
            control=control, on_wait=on_wait,
        )
    if entry.source is None:
        raise StoreError(
            f"{entry.name} cannot be installed: the catalog gives neither a released package "
            "nor a Hugging Face repository for it.",
            hint="Refresh the catalog, or import a package file.",
        )
    from terjman_desktop.core.models.hub.client import HubClient

    details = PackageDetails(
        model_id=entry.id, name=entry.name, version=entry.version, license=entry.license,
        attribution=entry.attribution, base_model=entry.base_model,
        metrics=dict(entry.metrics), directions=entry.directions,
    )
    return install_from_hub(
        entry.source, details, store=store,
        client=HubClient(token=token, token_source=token_source),
        quantization=quantization or entry.quantization, keep_source=keep_source,
        progress=progress, control=control, on_wait=on_wait,
    )

