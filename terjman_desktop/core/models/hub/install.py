"""Install a model from its Hugging Face repository: resolve, download, convert here, install.

1. **Resolve** the revision to a commit and learn every file's size and hash from the Hub's
   API before anything is fetched (:mod:`terjman_desktop.core.models.hub.client`).
2. **Download** what the conversion needs — the config first, so an architecture that cannot
   be converted is refused before gigabytes arrive — pinned to that commit, verified, into a
   folder that survives a crash or a restart, so a second run resumes.
3. **Convert** on this computer with numpy and CTranslate2's specs only
   (:mod:`terjman_desktop.core.models.convert`), into the store's staging folder.
4. **Package and install**: the manifest lists every file with its hash, the decoding choices
   (directions, language tokens, the forced end token) and where the model came from (repo,
   commit, each source file's hash, converter version); the store verifies it and puts it in
   place with one rename. The downloaded checkpoint is then deleted unless asked to keep.

Steps 2 and 3 are the filler of :meth:`Store.install
<terjman_desktop.core.models.store.store.Store.install>` (:mod:`~terjman_desktop.core.models.
hub.job`), which holds the model's lock from the first byte to the rename, so two installs
never share a folder; killed at any point, nothing half-installed is visible.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.models.hub.details import (
    PHASE_CONVERT,
    PHASE_DOWNLOAD,
    PHASE_INSTALL,
    PHASE_RESOLVE,
    InstallProgress,
    PackageDetails,
    ProgressCallback,
)
from terjman_desktop.core.models.hub.source import HubSource

if TYPE_CHECKING:
    from terjman_desktop.core.models.hub.client import HubClient
    from terjman_desktop.core.models.store.store import (
        InstalledModel,
        LockWait,
        Store,
        Workspace,
    )

__all__ = [
    "PHASE_CONVERT", "PHASE_DOWNLOAD", "PHASE_INSTALL", "PHASE_RESOLVE", "InstallProgress",
    "PackageDetails", "ProgressCallback", "install_from_hub",
]

logger = logging.getLogger(__name__)


def install_from_hub(
    source: HubSource,
    details: PackageDetails,
    *,
    store: Store | None = None,
    client: HubClient | None = None,
    quantization: str = "int8",
    keep_source: bool = False,
    progress: ProgressCallback | None = None,
    control: PauseToken | None = None,
    on_wait: Callable[[LockWait], None] | None = None,
) -> InstalledModel:
    """Resolve, download, convert (or not, for a CTranslate2 repository) and install.

    Another install of the same model is waited for (``on_wait`` is told once; ``control``
    cancels the wait).

    Raises:
        HubError and its kinds: the Hub refused, has no such repo/revision/file, or cannot be
            reached (messages say what to do: a token for gated models…).
        ConversionError: the checkpoint cannot be converted exactly.
        DownloadError, DiskSpaceError, CancelledError: from the download or conversion;
            downloaded files are kept for the next attempt.
        PackageError, StoreError: the result does not verify, or the store is busy.
    """
    from terjman_desktop.core.models.hub.client import HubClient
    from terjman_desktop.core.models.hub.job import HubJob
    from terjman_desktop.core.models.store.store import Store

    store = store or Store()
    client = client or HubClient()
    report = progress or (lambda _state: None)
    report(InstallProgress(PHASE_RESOLVE))
    snapshot = client.snapshot(source.repo, source.revision, control=control)

    def fill(work: Workspace) -> None:
        HubJob(source, details, client, snapshot, quantization, report, control, work).run(
            keep_source=keep_source
        )

    def on_progress(done: int, total: int) -> None:
        report(InstallProgress(PHASE_INSTALL, done, total))

    installed = store.install(
        details.model_id, fill, fresh=True, keep_sources=keep_source,
        progress=on_progress, cancel=control, on_wait=on_wait,
    )
    logger.info("Installed %s from %s at %s", installed.id, source.repo, snapshot.commit)
    return installed
