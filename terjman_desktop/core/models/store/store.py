"""The model store: installed models, one folder per model id under ``paths.models_dir()``.

Only complete, verified models ever appear as ``<root>/<id>/``: installs are staged, imports
unpacked and verified aside, then put in place with one rename. Files can still be damaged
later (a disk error, a person editing them): :meth:`Store.entries` lists every folder with its
state, so a damaged model stays visible and can be verified, repaired or removed.

:class:`Store` is the one object callers use. Behind it: the folders and the crash-safe
machinery (:mod:`~terjman_desktop.core.models.store.layout`), the verification records
(:mod:`~terjman_desktop.core.models.store.state`), the model locks and the waits on them
(:mod:`~terjman_desktop.core.models.store.locking`), what enters the store
(:mod:`~terjman_desktop.core.models.store.staging`) and an install's steps
(:mod:`~terjman_desktop.core.models.store.installing`). Which installed models the catalog
updates: :func:`~terjman_desktop.core.models.store.updates.find_updates`.

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
from terjman_desktop.core.errors import LocationError, ModelNotFoundError
from terjman_desktop.core.models.archive.export import export_folder, export_target
from terjman_desktop.core.models.archive.shared import ArchiveLimits
from terjman_desktop.core.models.store.fsops import location_store_error
from terjman_desktop.core.models.store.installing import import_package, install_model
from terjman_desktop.core.models.store.layout import StoreLayout
from terjman_desktop.core.models.store.locking import check_id, check_name, hold
from terjman_desktop.core.models.store.records import (
    InstalledModel,
    LockWait,
    ModelState,
    StoredModel,
    VerifyResult,
    inspect_folder,
    load_installed,
    verify_folder,
)
from terjman_desktop.core.models.store.staging import Filler, Workspace
from terjman_desktop.core.text_safety import printable
from terjman_desktop.core.translate import Manifest, ProgressCallback

__all__ = [
    "ArchiveLimits",
    "Filler",
    "InstalledModel",
    "LockWait",
    "ModelState",
    "Store",
    "StoredModel",
    "VerifyResult",
    "Workspace",
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
        self._layout = StoreLayout(self.root)

    @contextmanager
    def _lock(
        self,
        name: str,
        *,
        timeout: float | None = None,
        cancel: CancelToken | None = None,
        on_wait: Callable[[LockWait], None] | None = None,
    ) -> Iterator[None]:
        """Hold the lock of the (checked) model ``name`` (see :func:`locking.hold`).

        ``timeout`` defaults to :attr:`lock_timeout`, ``on_wait`` to :attr:`on_lock_wait`.
        """
        with hold(
            self._layout, name, self.lock_timeout if timeout is None else timeout,
            cancel=cancel, on_wait=on_wait if on_wait is not None else self.on_lock_wait,
        ):
            yield

    # ------------------------------------------------------------------ reading

    def entries(self) -> builtins.list[StoredModel]:
        """Every model folder of the store, sorted by name, each with its state.

        ``ok`` models, ``damaged`` ones (files missing, resized, or a failed last
        verification) and ``unreadable`` ones (no usable manifest): nothing on disk is
        hidden, so a caller can show a damaged model and offer to verify, repair (install
        or import it again) or remove it. Hashes are not checked here (see :meth:`verify`).
        """
        self._layout.recover()
        found: builtins.list[StoredModel] = []
        if not self.root.is_dir():
            return found
        for child in sorted(self.root.iterdir()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            stored = inspect_folder(self._layout.records, child)
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
        return inspect_folder(self._layout.records, self._folder(model_id))

    def get(self, model_id: str) -> InstalledModel:
        """The installed model ``model_id``.

        Raises:
            ModelNotFoundError: no such model is installed.
            PackageError: its folder is incomplete or damaged.
        """
        return self._get(model_id)

    def _get(self, model_id: str, *, held: bool = False) -> InstalledModel:
        return load_installed(self._layout.records, self._folder(model_id, held=held))

    def _folder(self, model_id: str, *, held: bool = False) -> Path:
        """The folder of ``model_id``, once a crashed change of it is finished.

        ``held``: the caller holds the model's lock.
        """
        name = check_name(model_id)
        if held:
            self._layout.recover_held(name)
        else:
            self._layout.recover(name)
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
        """Re-hash an installed model against its manifest and report every problem found.

        The result is recorded: ``InstalledModel.verified`` and :meth:`entries` show it.
        """
        return verify_folder(self._layout.records, self._folder(model_id), progress, cancel)

    # ------------------------------------------------------------------ installing

    def install(
        self,
        model_id: str,
        fill: Filler,
        *,
        expected: Manifest | None = None,
        fresh: bool = False,
        keep_sources: bool = False,
        reuse: Callable[[InstalledModel], bool] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        on_wait: Callable[[LockWait], None] | None = None,
    ) -> InstalledModel:
        """Install ``model_id`` from the files ``fill`` writes, replacing an older copy.

        The model's lock is held from the first byte to the final rename, so two installs
        never share a folder; another install or change of the model is waited for
        (``on_wait``, default :attr:`on_lock_wait`, is told once; ``cancel`` stops the wait).
        Then, in order:

        1. When this call had to wait and ``reuse`` is given, a sound model the other one
           left in place is offered to ``reuse``; if it returns True, that model is
           returned as it is and nothing is filled (a second install of the same release).
        2. ``fill(work)`` writes the model's files, its manifest included, into
           ``work.staging`` (see :class:`Workspace`): a folder only this install uses, which
           keeps what an interrupted attempt left there (a download resumes) unless
           ``fresh``.
        3. The manifest (``expected`` is written when ``fill`` wrote none) must be
           ``model_id``'s, else the staged files are deleted, and list exactly the files
           present (those of ``expected``, when given); every hash is checked, ``progress``
           counting the bytes.
        4. The folder is put in place with one rename and its verification recorded;
           ``work.sources`` is deleted unless ``keep_sources``.

        On any failure nothing is installed and what ``fill`` wrote stays for the next
        attempt (except the files of another model).

        Raises:
            StoreError: an invalid id; another process keeps the lock past
                :attr:`lock_timeout`; the files describe another model; the store cannot be
                written.
            PackageError: the files are incomplete, unlisted, or do not match their hashes.
            CancelledError: ``cancel`` was cancelled while waiting or verifying.
            ValueError: ``expected`` is the manifest of another model.
            And whatever ``fill`` raises.
        """
        return install_model(
            self._layout, self.limits, check_id(model_id), fill,
            expected=expected, fresh=fresh, keep_sources=keep_sources, reuse=reuse,
            progress=progress, cancel=cancel, timeout=self.lock_timeout,
            on_wait=on_wait if on_wait is not None else self.on_lock_wait,
        )

    def forget_download(self, model_id: str) -> None:
        """Delete what an unfinished install of ``model_id`` left in its staging folder.

        It does not wait: the files of an install running now are left alone. What an
        install keeps to convert from (``Workspace.sources``) is not touched.

        Raises:
            StoreError: another install or change of the model is running, or the lock
                cannot be taken (a read-only disk).
        """
        with self._lock(check_id(model_id), timeout=0, on_wait=lambda _wait: None):
            self._layout.forget_staging(model_id)

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
        return import_package(
            self._layout, self.limits, Path(path), progress=progress, cancel=cancel,
            timeout=self.lock_timeout, on_wait=self.on_lock_wait,
        )

    # ------------------------------------------------------------------ other changes

    def remove(
        self,
        model_id: str,
        *,
        cancel: CancelToken | None = None,
        on_wait: Callable[[LockWait], None] | None = None,
    ) -> None:
        """Uninstall a model, whatever its state (damaged, unreadable); it goes in one rename.

        Waits for another process working on the same model, telling ``on_wait`` (default:
        :attr:`on_lock_wait`) once.

        Raises:
            ModelNotFoundError: no such folder in the store.
            StoreError: the folder cannot be moved: a read-only disk, missing permissions,
                or (on Windows) a model still loaded; the hint says which.
            CancelledError: ``cancel`` was cancelled while waiting for the lock.
        """
        name = self._folder(model_id).name
        with self._lock(name, cancel=cancel, on_wait=on_wait):
            self._folder(name, held=True)  # still there once the lock is ours
            try:
                self._layout.discard(name)
            except LocationError as error:
                raise location_store_error(error) from None

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
        with self._lock(model_id, cancel=cancel):
            model = self._get(model_id, held=True)
            export_folder(model.path, model.manifest, target, progress, cancel)
        return target
