"""The model store: installed models, one folder per model id under ``paths.models_dir()``.

Only complete, verified models ever appear as ``<root>/<id>/``: downloads are staged, imports
unpacked and verified aside, then put in place with one rename. Files can still be damaged
later (a disk error, a person editing them): :meth:`Store.entries` lists every folder with its
state, so a damaged model stays visible and can be verified, repaired or removed. The store's
folder layout and that crash-safe machinery live in
:mod:`~terjman_desktop.core.models.store.layout`, the records of the last verification in
:mod:`~terjman_desktop.core.models.store.state`. When the catalog has an update for an
installed model is :func:`~terjman_desktop.core.models.store.updates.find_updates`.

Two processes (or threads) working on the same model take turns through the model's lock;
the second one waits as long as the first works, says so once through ``on_lock_wait``, and
can be cancelled while it waits.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from terjman_desktop.core import paths
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import (
    LocationError,
    ModelNotFoundError,
    PackageError,
    StoreError,
    TerjmanError,
)
from terjman_desktop.core.models.archive.export import export_folder, export_target
from terjman_desktop.core.models.archive.folder import folder_problems, hash_problems
from terjman_desktop.core.models.archive.shared import ArchiveLimits, Progress
from terjman_desktop.core.models.store.layout import (
    change_error,
    delete_path,
    discard,
    file_lock,
    fill_and_swap,
    hidden_dir,
    location_store_error,
    recover,
)
from terjman_desktop.core.models.store.records import (
    InstalledModel,
    LockWait,
    ModelState,
    StoredModel,
    VerifyResult,
    inspect_folder,
    load_installed,
)
from terjman_desktop.core.models.store.staging import check_staged, open_package, place_staged
from terjman_desktop.core.models.store.state import forget_state, write_state
from terjman_desktop.core.text_safety import printable
from terjman_desktop.core.translate.package import (
    ID_PATTERN,
    MANIFEST_NAME,
    Manifest,
    ProgressCallback,
    read_manifest,
    require_runtime_files,
)

__all__ = [
    "ArchiveLimits",
    "InstalledModel",
    "LockWait",
    "ModelState",
    "Store",
    "StoredModel",
    "VerifyResult",
]

logger = logging.getLogger(__name__)


class Store:
    """Installed models: list, verify, install, import, export, remove.

    Args:
        root: The store folder; ``paths.models_dir()`` by default. Nothing is created until
            something is written.
        limits: Caps on imported packages.
        lock_timeout: Longest wait, in seconds, for another process or thread working on
            the same model before giving up with a :class:`StoreError`; ``None`` (the
            default) waits until it is done (cancellable where the call takes a cancel token).
        on_lock_wait: Called once, in the waiting thread, each time an operation of this
            store starts waiting for another one on the same model, so the caller can say
            "waiting for another install of X to finish".
    """

    def __init__(
        self,
        root: Path | None = None,
        *,
        limits: ArchiveLimits | None = None,
        lock_timeout: float | None = None,
        on_lock_wait: Callable[[LockWait], None] | None = None,
    ) -> None:
        self.root = Path(root) if root is not None else paths.models_dir()
        self.limits = limits or ArchiveLimits()
        self.lock_timeout = lock_timeout
        self.on_lock_wait = on_lock_wait

    # ------------------------------------------------------------------ ids and locks

    @staticmethod
    def _check_id(model_id: str) -> str:
        if not isinstance(model_id, str) or not ID_PATTERN.match(model_id):
            raise StoreError(
                f"'{model_id}' is not a valid model id.",
                hint="Run `terjman models list` to see the ids of installed models.",
            )
        return model_id

    @staticmethod
    def _check_name(name: str) -> str:
        """A model id, or the name of a folder put in the store by hand (to remove it).

        One plain name inside the store: not empty (the store itself), not hidden (its
        working folders, ``..``), no separators.
        """
        plain = (
            isinstance(name, str)
            and name != ""
            and name.isprintable()
            and not name.startswith(".")
            and not any(sep in name for sep in "/\\:")
        )
        if not plain:
            raise ModelNotFoundError(
                printable(f"No model '{name}' is installed."),
                hint="Run `terjman models list` to see installed models.",
            )
        return name

    @contextmanager
    def lock(
        self,
        model_id: str,
        timeout: float | None = None,
        *,
        cancel: CancelToken | None = None,
        on_wait: Callable[[LockWait], None] | None = None,
    ) -> Iterator[None]:
        """Hold the inter-process lock of a model (re-entrant within a thread).

        An installer holds it across download and :meth:`install_staged`, so that two
        processes never write the same staging folder. When another process or thread
        holds it, this waits until it is free (or ``timeout``, default
        :attr:`lock_timeout`), telling ``on_wait`` (default :attr:`on_lock_wait`) once.

        Raises:
            StoreError: another process or thread keeps it past the timeout, or the lock
                cannot be taken at all (a read-only disk).
            CancelledError: ``cancel`` was cancelled while waiting.
        """
        name = self._check_name(model_id)
        announce = on_wait if on_wait is not None else self.on_lock_wait
        wait = LockWait(
            name, f"Waiting for another Terjman to finish installing or changing '{name}'…"
        )
        try:
            lock = file_lock(self.root, name)
            taken = lock.acquire(
                self.lock_timeout if timeout is None else timeout,
                cancel=cancel,
                on_wait=None if announce is None else lambda: announce(wait),
            )
        except LocationError as error:
            raise location_store_error(error) from None
        except OSError as error:
            raise change_error(
                f"The lock of '{name}' cannot be taken in {self.root}", error, self.root
            ) from error
        if not taken:
            raise StoreError(
                f"Another Terjman is installing this model ('{name}') or changing it "
                "right now.",
                hint="Wait for it to finish, then try again.",
            )
        try:
            yield
        finally:
            lock.release()

    # ------------------------------------------------------------------ reading

    def entries(self) -> builtins.list[StoredModel]:
        """Every model folder of the store, sorted by name, each with its state.

        ``ok`` models, ``damaged`` ones (files missing, resized, or a failed last
        verification) and ``unreadable`` ones (no usable manifest): nothing on disk is
        hidden, so a caller can show a damaged model and offer to verify, repair (install
        or import it again) or remove it. Hashes are not checked here (see :meth:`verify`).
        """
        recover(self.root)
        found: builtins.list[StoredModel] = []
        if not self.root.is_dir():
            return found
        for child in sorted(self.root.iterdir()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            stored = inspect_folder(self.root, child)
            if stored.model is None:
                logger.warning(
                    "The model folder %s is %s: %s", child, stored.state, stored.problems[0]
                )
            found.append(stored)
        return found

    def list(self) -> list[InstalledModel]:
        """Models that can be loaded, sorted by id (see :meth:`entries` for every folder).

        A model whose last verification failed is included (with ``verified`` False): it
        still loads, and the caller decides whether to use it.
        """
        return [stored.model for stored in self.entries() if stored.model is not None]

    def state(self, model_id: str) -> StoredModel:
        """The state of one folder of the store (see :meth:`entries`).

        Raises:
            ModelNotFoundError: no such folder.
        """
        return inspect_folder(self.root, self._folder(model_id))

    def get(self, model_id: str) -> InstalledModel:
        """The installed model ``model_id``.

        Raises:
            ModelNotFoundError: no such model is installed.
            PackageError: its folder is incomplete or damaged.
        """
        folder = self._folder(model_id)
        return load_installed(self.root, folder)

    def _folder(self, model_id: str) -> Path:
        name = self._check_name(model_id)
        recover(self.root, name)
        folder = self.root / name
        if folder.is_dir():
            return folder
        raise ModelNotFoundError(
            printable(f"No model '{model_id}' is installed."),
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

    def remove(self, model_id: str, *, cancel: CancelToken | None = None) -> None:
        """Uninstall a model, whatever its state (damaged, unreadable); it goes in one rename.

        Waits for another process working on the same model (see :meth:`lock`).

        Raises:
            ModelNotFoundError: no such folder in the store.
            StoreError: the folder cannot be moved: a read-only disk, missing permissions,
                or (on Windows) a model still loaded; the hint says which.
            CancelledError: ``cancel`` was cancelled while waiting for the lock.
        """
        self._folder(model_id)
        with self.lock(model_id, cancel=cancel):
            self._folder(model_id)  # still there once the lock is ours
            try:
                discard(self.root, model_id)
            except LocationError as error:
                raise location_store_error(error) from None
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
        with self.lock(manifest.id, cancel=cancel):
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
            with (
                open_package(path, self.limits) as (manifest, fill),
                self.lock(manifest.id, cancel=cancel),
            ):
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
        with self.lock(model_id, cancel=cancel):
            model = self.get(model_id)
            export_folder(model.path, model.manifest, target, progress, cancel)
        return target
