"""Install a model from the catalog: download into the store's staging folder, verify, place.

The catalog lists every file of a release, the manifest included, with its size and SHA-256,
so nothing is trusted that was not known in advance. Downloads resume from the staging folder
after a drop or a restart; the store's lock is held from the first byte to the final rename
so two processes never write the same staging folder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.catalog import CatalogEntry
from terjman_desktop.core.download import DownloadProgress, download_files
from terjman_desktop.core.errors import CatalogError, StoreError
from terjman_desktop.core.package import MANIFEST_NAME, read_manifest
from terjman_desktop.core.store import InstalledModel, Store

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
) -> InstalledModel:
    """Download, verify and install ``entry``; returns the installed model.

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
    with store.lock(entry.id):
        staging = store.staging_dir(entry.id)
        download_files(
            entry.files, entry.mirrors, staging, token=token, progress=progress,
            control=control, retries=retries, backoff=backoff,
        )
        manifest_id = read_manifest(staging).id  # verified against the catalog's hash
        if manifest_id != entry.id:
            store.clean_staging(entry.id)
            raise StoreError(
                f"The files published for '{entry.id}' describe another model ('{manifest_id}').",
                hint="The catalog and the release disagree: refresh the catalog.",
            )
        installed = store.install_staged(staging, cancel=control)
    logger.info("Installed %s %s", installed.id, installed.version)
    return installed
