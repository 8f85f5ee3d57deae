"""The model store: installed models, one folder per model id under ``paths.models_dir()``.

Only complete, verified models ever appear as ``<root>/<id>/``: downloads are staged, imports
unpacked and verified aside, then put in place with one rename. The store's folder layout and
that crash-safe machinery live in :mod:`~terjman_desktop.core.store_layout`, the records of
the last verification in :mod:`~terjman_desktop.core.store_state`, and the rule that says
when the catalog has an update in :mod:`~terjman_desktop.core.store_updates`.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from terjman_desktop.core import paths
from terjman_desktop.core.archive import ArchiveLimits, Progress
from terjman_desktop.core.archive_export import export_folder, export_target
from terjman_desktop.core.archive_folder import folder_problems, hash_problems
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.diskspace import free_disk_space as free_space
from terjman_desktop.core.errors import ModelNotFoundError, PackageError, StoreError, TerjmanError
from terjman_desktop.core.package import (
    ID_PATTERN,
    MANIFEST_NAME,
    Manifest,
    ProgressCallback,
    read_manifest,
    require_runtime_files,
)
from terjman_desktop.core.store_install import check_staged, open_package, place_staged
from terjman_desktop.core.store_layout import (
    delete_path,
    discard,
    file_lock,
    fill_and_swap,
    hidden_dir,
    recover,
)
from terjman_desktop.core.store_models import (
    BrokenModel,
    InstalledModel,
    VerifyResult,
    load_installed,
)
from terjman_desktop.core.store_state import forget_state, write_state
from terjman_desktop.core.store_updates import CatalogEntryLike, UpdateInfo, find_updates

__all__ = [
    "ArchiveLimits",
    "BrokenModel",
    "CatalogEntryLike",
    "InstalledModel",
    "Store",
    "UpdateInfo",
    "VerifyResult",
    "free_space",  # diskspace.free_disk_space under its old name, kept for importers
]

logger = logging.getLogger(__name__)


class Store:
    """Installed models: list, verify, install, import, export, remove.

    Args:
        root: The store folder; ``paths.models_dir()`` by default. Nothing is created until
            something is written.
        limits: Caps on imported packages.
        lock_timeout: Seconds to wait for another process working on the same model before
            giving up with a :class:`StoreError`.
    """

    def __init__(
        self,
        root: Path | None = None,
        *,
        limits: ArchiveLimits | None = None,
        lock_timeout: float = 10.0,
    ) -> None:
        self.root = Path(root) if root is not None else paths.models_dir()
        self.limits = limits or ArchiveLimits()
        self.lock_timeout = lock_timeout

    # ------------------------------------------------------------------ ids and locks

    @staticmethod
    def _check_id(model_id: str) -> str:
        if not isinstance(model_id, str) or not ID_PATTERN.match(model_id):
            raise StoreError(
                f"'{model_id}' is not a valid model id.",
                hint="Run `terjman models list` to see the ids of installed models.",
            )
        return model_id

    @contextmanager
    def lock(self, model_id: str, timeout: float | None = None) -> Iterator[None]:
        """Hold the inter-process lock of a model (re-entrant within a thread).

        An installer holds it across download and :meth:`install_staged`, so that two
        processes never write the same staging folder.

        Raises:
            StoreError: when another process or thread keeps it past the timeout.
        """
        lock = file_lock(self.root, self._check_id(model_id))
        if not lock.acquire(self.lock_timeout if timeout is None else timeout):
            raise StoreError(
                f"Another Terjman is installing this model ('{model_id}') or changing it "
                "right now.",
                hint="Wait for it to finish, then try again.",
            )
        try:
            yield
        finally:
            lock.release()

    # ------------------------------------------------------------------ reading

    def _scan(self) -> tuple[builtins.list[InstalledModel], builtins.list[BrokenModel]]:
        recover(self.root)
        models: builtins.list[InstalledModel] = []
        broken: builtins.list[BrokenModel] = []
        if not self.root.is_dir():
            return models, broken
        for child in sorted(self.root.iterdir()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            try:
                models.append(load_installed(self.root, child))
            except PackageError as error:
                logger.warning("Skipping the broken model folder %s: %s", child, error)
                broken.append(BrokenModel(child, str(error)))
        return models, broken

    def list(self) -> list[InstalledModel]:
        """Installed models, sorted by id; broken folders are skipped (see :meth:`list_broken`)."""
        return self._scan()[0]

    def list_broken(self) -> builtins.list[BrokenModel]:
        """Folders of the store that are not usable models, with the reason."""
        return self._scan()[1]

    def get(self, model_id: str) -> InstalledModel:
        """The installed model ``model_id``.

        Raises:
            ModelNotFoundError: no such model is installed.
            PackageError: its folder is incomplete or damaged.
        """
        folder = self._folder(model_id)
        return load_installed(self.root, folder)

    def _folder(self, model_id: str) -> Path:
        if isinstance(model_id, str) and ID_PATTERN.match(model_id):
            recover(self.root, model_id)
            folder = self.root / model_id
            if folder.is_dir():
                return folder
        raise ModelNotFoundError(
            f"No model '{model_id}' is installed.",
            hint="Run `terjman models list` to see installed models, or install it with "
            "`terjman models install ID` or `terjman models import FILE`.",
        )

    def verify(
        self,
        model_id: str,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> VerifyResult:
        """Re-hash an installed model against its manifest and report every problem found."""
        folder = self._folder(model_id)
        if folder.is_symlink():
            return VerifyResult(model_id, False, (f"{folder} is a symbolic link.",))
        try:
            manifest = read_manifest(folder)
            require_runtime_files(manifest, str(folder / MANIFEST_NAME))
        except PackageError as error:
            return VerifyResult(model_id, False, (str(error),))
        problems = folder_problems(folder, manifest)
        if manifest.id != model_id:
            problems.insert(0, f"the folder holds the model '{manifest.id}'.")
        problems += hash_problems(folder, manifest, Progress(manifest.total_size, progress, cancel))
        write_state(self.root, model_id, not problems)
        return VerifyResult(model_id, not problems, tuple(problems))

    # ------------------------------------------------------------------ writing

    def remove(self, model_id: str) -> None:
        """Uninstall a model (a broken folder too); it disappears in one rename."""
        self._folder(model_id)
        with self.lock(model_id):
            self._folder(model_id)  # still there once the lock is ours
            discard(self.root, model_id)
            forget_state(self.root, model_id)

    def staging_dir(self, model_id: str) -> Path:
        """The download folder of a model (created); files left there resume a download."""
        folder = hidden_dir(self.root, ".staging") / self._check_id(model_id)
        folder.mkdir(exist_ok=True)
        return folder

    def clean_staging(self, model_id: str) -> None:
        """Forget a model's partial download."""
        delete_path(self.root / ".staging" / self._check_id(model_id))

    def install_staged(
        self,
        staging: Path,
        expected: Manifest | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> InstalledModel:
        """Verify a staged model folder and put it in place, replacing an older copy.

        ``staging`` (normally :meth:`staging_dir`) is moved into the store. It must hold
        exactly the manifest's files; without a manifest, ``expected`` is written there
        (the catalog's). With ``expected``, the staged id and files must match it too. On
        failure the staging folder is left as it is, so a download can resume.

        Raises:
            PackageError: the files are incomplete, unlisted, or do not match their hashes.
            StoreError: another process holds the model's lock.
        """
        staging = Path(staging)
        manifest = check_staged(self.root, staging, expected)
        with self.lock(manifest.id):
            place_staged(self.root, staging, manifest, self.limits, progress, cancel)
            return self._installed(manifest.id)

    def import_path(
        self,
        path: Path,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> InstalledModel:
        """Install a model from a package ``.zip`` or a model folder, replacing an older copy.

        Raises:
            StoreError: an unsafe, oversized or unreadable package, or a busy model.
            PackageError: a missing or invalid manifest, unlisted, missing or altered files.
            DiskSpaceError: not enough room in the store.
        """
        path = Path(path)
        recover(self.root)
        try:
            with open_package(path, self.limits) as (manifest, fill), self.lock(manifest.id):
                fill_and_swap(self.root, manifest, fill, progress, cancel)
                return self._installed(manifest.id)
        except TerjmanError:
            raise
        except OSError as error:  # a USB stick pulled out, a file without read permission
            raise StoreError(
                f"{path} cannot be read ({error}).", hint="Check the package and try again."
            ) from error

    def _installed(self, model_id: str) -> InstalledModel:
        write_state(self.root, model_id, True)
        return load_installed(self.root, self.root / model_id)

    def export(
        self,
        model_id: str,
        destination: Path,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        *,
        overwrite: bool = False,
    ) -> Path:
        """Write an installed model as a package ``.zip`` to share; returns the file written.

        ``destination`` is the file (``.zip`` is added if missing) or an existing folder, which
        receives ``<id>.zip``. The file appears complete or not at all.

        Raises:
            StoreError: the file exists (without ``overwrite``), or the model is damaged.
            DiskSpaceError: not enough room at the destination.
        """
        target = export_target(Path(destination), model_id, overwrite=overwrite)
        self.get(model_id)  # ModelNotFoundError before anything else
        with self.lock(model_id):
            model = self.get(model_id)
            export_folder(model.path, model.manifest, target, progress, cancel)
        return target

    def updates(self, catalog_entries: Iterable[CatalogEntryLike]) -> builtins.list[UpdateInfo]:
        """Installed models for which the catalog has something newer.

        A newer version of the same id or of the same model line (size and quantization), or
        corrected files for the same version; see :mod:`~terjman_desktop.core.store_updates`.
        """
        return find_updates(self.list(), catalog_entries)
