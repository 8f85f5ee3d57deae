"""The model store: installed models, one folder per model id under ``paths.models_dir()``.

Layout of the store's root folder::

    <id>/                          an installed model; only complete, verified ones appear here
    .staging/<id>/                 a download in progress (resumable)
    .incoming/<id>+<token>/        an import being unpacked
    .trash/<id>+<token>.aside      the previous version while a new one is swapped in
    .trash/<id>+<token>.doomed     a folder being deleted
    .locks/<id>.lock               the inter-process lock of a model
    .state/<id>.json               the result of the model's last verification

Every working folder lives under the root, on the same filesystem, so that putting a model in
place is one ``os.replace`` of a folder. Replacing a model renames the old folder aside, the
new one in, then deletes the old one; whatever moment a crash strikes, ``<id>/`` is the old
model, the new one, or (until the next use of the store puts the ``.aside`` folder back)
absent, never partial. ``+`` cannot appear in a model id, so leftovers map back to their id.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import logging
import os
import re
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from terjman_desktop.core import paths
from terjman_desktop.core.archive import (
    MIB,
    ArchiveLimits,
    Progress,
    copy_folder,
    disk_errors,
    extract_zip,
    folder_problems,
    hash_problems,
    inspect_zip,
    open_folder,
    parse_manifest_bytes,
    require_runtime_files,
    write_zip,
)
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import (
    DiskSpaceError,
    ModelNotFoundError,
    PackageError,
    StoreError,
    TerjmanError,
)
from terjman_desktop.core.locks import FileLock
from terjman_desktop.core.package import (
    MANIFEST_NAME,
    Direction,
    Manifest,
    ProgressCallback,
    load_package,
    read_manifest,
    write_manifest,
)

__all__ = [
    "ArchiveLimits",
    "BrokenModel",
    "CatalogEntryLike",
    "InstalledModel",
    "Store",
    "UpdateInfo",
    "VerifyResult",
    "free_space",
]

logger = logging.getLogger(__name__)

# The same rule as package.py's: an id is a safe folder name, and never contains "+".
_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")
_SEP = "+"
_ASIDE = ".aside"
_DOOMED = ".doomed"
_FREE_SPACE_MARGIN = 16 * MIB
_VERSION_TOKEN = re.compile(r"^v?\d+(\.\d+)*$")
# Folders of this process's imports in progress: recovery must never delete them.
_active: set[Path] = set()


def free_space(path: Path) -> int:
    """Free bytes on the filesystem of ``path`` or of its nearest existing parent."""
    probe = Path(path).absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return shutil.disk_usage(probe).free


def _human(size: int) -> str:
    return f"{size / MIB:,.1f} MB" if size < 1 << 30 else f"{size / (1 << 30):,.2f} GB"


def _ensure_space(where: Path, needed: int, action: str) -> None:
    free = free_space(where)
    if free < needed + _FREE_SPACE_MARGIN:
        raise DiskSpaceError(
            f"Not enough free disk space to {action}: {_human(needed)} needed, "
            f"{_human(free)} free at {where}.",
            hint="Free some disk space and try again.",
        )


def _delete(path: Path) -> None:
    """Delete a file, link or folder tree; what cannot be deleted now is retried later."""
    if path.is_symlink() or path.is_file():
        with suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _same_filesystem(a: Path, b: Path) -> bool:
    return os.stat(a).st_dev == os.stat(b).st_dev


def _fsync_dir(path: Path) -> None:
    # Makes a rename durable on POSIX; Windows cannot open folders this way (nor needs to).
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class InstalledModel:
    """A model folder of the store whose manifest and file sizes check out.

    ``verified`` is the result of the last full re-hash (at install, import or ``verify``),
    ``None`` when it was never checked or the manifest changed since.
    """

    id: str
    name: str
    version: str
    path: Path
    size: int
    directions: tuple[Direction, ...]
    family: str
    quantization: str
    manifest: Manifest
    verified: bool | None = None
    verified_at: str | None = None


@dataclass(frozen=True)
class BrokenModel:
    """A folder of the store that is not a usable model, and why."""

    path: Path
    problem: str


@dataclass(frozen=True)
class VerifyResult:
    model_id: str
    ok: bool
    problems: tuple[str, ...]


class CatalogEntryLike(Protocol):
    """What :meth:`Store.updates` needs of a catalog entry.

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
    installed: InstalledModel
    entry: CatalogEntryLike
    reason: str


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

    # ------------------------------------------------------------------ layout and locks

    def _hidden(self, name: str) -> Path:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @staticmethod
    def _check_id(model_id: str) -> str:
        if not isinstance(model_id, str) or not _ID_PATTERN.match(model_id):
            raise StoreError(
                f"'{model_id}' is not a valid model id.",
                hint="Run `terjman models list` to see the ids of installed models.",
            )
        return model_id

    def _file_lock(self, model_id: str) -> FileLock:
        return FileLock(self._hidden(".locks") / f"{model_id}.lock")

    @contextmanager
    def lock(self, model_id: str, timeout: float | None = None) -> Iterator[None]:
        """Hold the inter-process lock of a model (re-entrant within a thread).

        An installer holds it across download and :meth:`install_staged`, so that two
        processes never write the same staging folder.

        Raises:
            StoreError: when another process or thread keeps it past the timeout.
        """
        lock = self._file_lock(self._check_id(model_id))
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

    def _recover(self, only: str | None = None) -> None:
        """Finish what a crashed process left: restore or delete trash, drop stale imports."""
        for kind in (".trash", ".incoming"):
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for leftover in sorted(folder.iterdir()):
                model_id, sep, _ = leftover.name.partition(_SEP)
                if (only is not None and model_id != only) or leftover in _active:
                    continue
                if not sep or not _ID_PATTERN.match(model_id):
                    _delete(leftover)  # not a name the store makes
                    continue
                lock = self._file_lock(model_id)
                if not lock.acquire(0):
                    continue  # its owner is alive and working on it
                try:
                    target = self.root / model_id
                    if leftover.name.endswith(_ASIDE) and not os.path.lexists(target):
                        os.replace(leftover, target)
                        logger.warning("Restored %s after an interrupted install.", target)
                    else:
                        _delete(leftover)
                except OSError as error:  # tried again at the next use
                    logger.warning("Could not clean up %s: %s", leftover, error)
                finally:
                    lock.release()

    def _swap_in(self, source: Path, model_id: str) -> None:
        """Put the verified folder ``source`` at ``<root>/<id>`` (caller holds the lock)."""
        target = self.root / model_id
        aside: Path | None = None
        try:
            if os.path.lexists(target):
                aside = self._hidden(".trash") / f"{model_id}{_SEP}{uuid.uuid4().hex}{_ASIDE}"
                os.replace(target, aside)
            try:
                os.replace(source, target)
            except BaseException:
                if aside is not None:
                    with suppress(OSError):
                        os.replace(aside, target)
                raise
        except PermissionError as error:
            raise StoreError(
                f"{target} is in use and cannot be replaced ({error.strerror}).",
                hint="Close the Terjman windows that use this model and try again.",
            ) from error
        _fsync_dir(self.root)
        if aside is not None:
            doomed = aside.with_name(aside.name[: -len(_ASIDE)] + _DOOMED)
            try:
                os.replace(aside, doomed)
            except OSError:
                logger.warning("Could not discard %s; it is deleted at the next start.", aside)
                return
            _delete(doomed)

    # ------------------------------------------------------------------ verification state

    def _state_path(self, model_id: str) -> Path:
        return self.root / ".state" / f"{model_id}.json"

    @staticmethod
    def _manifest_digest(folder: Path) -> str:
        return hashlib.sha256((folder / MANIFEST_NAME).read_bytes()).hexdigest()

    def _write_state(self, model_id: str, ok: bool) -> None:
        tmp: Path | None = None
        try:
            path = self._hidden(".state") / f"{model_id}.json"
            record = {
                "manifest_sha256": self._manifest_digest(self.root / model_id),
                "ok": ok,
                "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
            tmp.write_text(json.dumps(record), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as error:  # only a convenience; never fail an install over it
            logger.warning("Could not record the verification of %s: %s", model_id, error)
            if tmp is not None:
                with suppress(OSError):
                    tmp.unlink()

    def _read_state(self, folder: Path) -> tuple[bool | None, str | None]:
        try:
            record = json.loads(self._state_path(folder.name).read_text(encoding="utf-8"))
            if record["manifest_sha256"] == self._manifest_digest(folder):
                return bool(record["ok"]), str(record["checked_at"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return None, None

    # ------------------------------------------------------------------ reading

    def _load(self, folder: Path) -> InstalledModel:
        if folder.is_symlink():
            raise PackageError(f"{folder} is a symbolic link, not a model folder.")
        manifest = load_package(folder).manifest
        if manifest.id != folder.name:
            raise PackageError(
                f"{folder}: the folder holds the model '{manifest.id}', not '{folder.name}'.",
                hint="Remove this folder, then install or import the model again.",
            )
        verified, verified_at = self._read_state(folder)
        return InstalledModel(
            id=manifest.id,
            name=manifest.name,
            version=manifest.version,
            path=folder,
            size=manifest.total_size,
            directions=manifest.directions,
            family=manifest.family,
            quantization=manifest.quantization,
            manifest=manifest,
            verified=verified,
            verified_at=verified_at,
        )

    def _scan(self) -> tuple[builtins.list[InstalledModel], builtins.list[BrokenModel]]:
        self._recover()
        models: builtins.list[InstalledModel] = []
        broken: builtins.list[BrokenModel] = []
        if not self.root.is_dir():
            return models, broken
        for child in sorted(self.root.iterdir()):
            if child.name.startswith(".") or not child.is_dir():
                continue
            try:
                models.append(self._load(child))
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
        return self._load(folder)

    def _folder(self, model_id: str) -> Path:
        if isinstance(model_id, str) and _ID_PATTERN.match(model_id):
            self._recover(model_id)
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
        self._write_state(model_id, not problems)
        return VerifyResult(model_id, not problems, tuple(problems))

    # ------------------------------------------------------------------ writing

    def remove(self, model_id: str) -> None:
        """Uninstall a model (a broken folder too); it disappears in one rename."""
        self._folder(model_id)
        with self.lock(model_id):
            target = self._folder(model_id)
            doomed = self._hidden(".trash") / f"{model_id}{_SEP}{uuid.uuid4().hex}{_DOOMED}"
            try:
                os.replace(target, doomed)
            except OSError as error:  # on Windows, typically a model still loaded
                raise StoreError(
                    f"{target} cannot be removed ({error.strerror}).",
                    hint="Close the Terjman windows that use this model and try again.",
                ) from error
            _delete(doomed)
            with suppress(OSError):
                self._state_path(model_id).unlink()

    def staging_dir(self, model_id: str) -> Path:
        """The download folder of a model (created); files left there resume a download."""
        folder = self._hidden(".staging") / self._check_id(model_id)
        folder.mkdir(exist_ok=True)
        return folder

    def clean_staging(self, model_id: str) -> None:
        """Forget a model's partial download."""
        _delete(self.root / ".staging" / self._check_id(model_id))

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
        if staging.absolute().parent == self.root.absolute() or staging.is_symlink():
            raise StoreError(
                f"{staging} cannot be installed: it is an installed model or a link.",
                hint="Install from the staging folder the store gives, or import a folder.",
            )
        if expected is not None and not (staging / MANIFEST_NAME).exists():
            write_manifest(staging, expected)
        where = str(staging / MANIFEST_NAME)
        try:
            manifest = parse_manifest_bytes((staging / MANIFEST_NAME).read_bytes(), where)
        except OSError as error:
            raise PackageError(
                f"{where} cannot be read ({error.strerror}).", hint="Download the model again."
            ) from error
        if expected is not None and (
            manifest.id != expected.id or set(manifest.files) != set(expected.files)
        ):
            raise PackageError(
                f"{staging} does not hold the model the catalog describes ('{expected.id}').",
                hint="Download the model again; if it persists, refresh the catalog.",
            )
        hint = "The staged files are incomplete or damaged; download the model again."
        problems = folder_problems(staging, manifest)
        if problems:
            raise PackageError(f"{staging}: {problems[0]}", hint=hint)
        with self.lock(manifest.id):
            self._recover(manifest.id)
            self.root.mkdir(parents=True, exist_ok=True)
            if _same_filesystem(staging, self.root):
                problems = hash_problems(
                    staging, manifest, Progress(manifest.total_size, progress, cancel)
                )
                if problems:
                    raise PackageError(f"{staging}: {problems[0]}", hint=hint)
                try:
                    self._swap_in(staging, manifest.id)
                except OSError as error:
                    raise StoreError(
                        f"{staging} could not be moved into {self.root} ({error}).",
                        hint="Check that the models folder is writable, then try again.",
                    ) from error
            else:  # another filesystem: copy (verifying) into the store, then one rename
                package = open_folder(staging, self.limits)
                self._fill_and_swap(
                    manifest, lambda dest, bar: copy_folder(package, dest, bar), progress, cancel
                )
            self._write_state(manifest.id, True)
            return self._load(self.root / manifest.id)

    def _fill_and_swap(
        self,
        manifest: Manifest,
        fill: Callable[[Path, Progress], None],
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        """Write a model into a fresh ``.incoming`` folder with ``fill``, then swap it in.

        The caller holds the lock. Nothing is left behind on failure.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        _ensure_space(self.root, manifest.total_size, f"install '{manifest.id}'")
        incoming = self._hidden(".incoming") / f"{manifest.id}{_SEP}{uuid.uuid4().hex}"
        incoming.mkdir()
        _active.add(incoming)
        try:
            with disk_errors(incoming):
                fill(incoming, Progress(manifest.total_size, progress, cancel))
                self._swap_in(incoming, manifest.id)
        except TerjmanError:
            raise
        except OSError as error:
            raise StoreError(
                f"The model could not be copied into {self.root} ({error}).",
                hint="Check that the package is still readable and the folder writable.",
            ) from error
        finally:
            _active.discard(incoming)
            if os.path.lexists(incoming):
                _delete(incoming)

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
        self._recover()
        try:
            return self._import(path, progress, cancel)
        except TerjmanError:
            raise
        except OSError as error:  # a USB stick pulled out, a file without read permission
            raise StoreError(
                f"{path} cannot be read ({error}).", hint="Check the package and try again."
            ) from error

    def _import(
        self, path: Path, progress: ProgressCallback | None, cancel: CancelToken | None
    ) -> InstalledModel:
        if path.is_dir():
            folder = open_folder(path, self.limits)
            with self.lock(folder.manifest.id):
                self._fill_and_swap(
                    folder.manifest,
                    lambda dest, bar: copy_folder(folder, dest, bar),
                    progress,
                    cancel,
                )
                return self._installed(folder.manifest.id)
        if not path.is_file():
            raise StoreError(f"{path} does not exist.", hint="Check the path of the package.")
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise StoreError(
                f"{path} is not a model package (.zip) or a model folder ({error}).",
                hint="Choose a .zip made by `terjman models export`, or a model folder.",
            ) from error
        with archive:
            package = inspect_zip(archive, path, self.limits)
            with self.lock(package.manifest.id):
                self._fill_and_swap(
                    package.manifest,
                    lambda dest, bar: extract_zip(archive, package, dest, self.limits, bar),
                    progress,
                    cancel,
                )
                return self._installed(package.manifest.id)

    def _installed(self, model_id: str) -> InstalledModel:
        self._write_state(model_id, True)
        return self._load(self.root / model_id)

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
        destination = Path(destination)
        target = destination / f"{model_id}.zip" if destination.is_dir() else destination
        if target.suffix.lower() != ".zip":
            target = target.with_name(f"{target.name}.zip")
        if not target.parent.is_dir():
            raise StoreError(
                f"The folder {target.parent} does not exist.", hint="Choose another destination."
            )
        if target.exists() and not overwrite:
            raise StoreError(
                f"{target} already exists.", hint="Choose another name, or allow overwriting."
            )
        self.get(model_id)  # ModelNotFoundError before anything else
        with self.lock(model_id):
            model = self.get(model_id)
            problems = folder_problems(model.path, model.manifest)
            if problems:
                raise StoreError(
                    f"{model.path}: {problems[0]} The model was not exported.",
                    hint="Run `terjman models verify`, then re-install the model.",
                )
            _ensure_space(target.parent, model.size, f"export '{model_id}'")
            tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
            try:
                write_zip(
                    model.path,
                    model.manifest,
                    tmp,
                    manifest_bytes=(model.path / MANIFEST_NAME).read_bytes(),
                    top=model.id,
                    progress=Progress(model.size, progress, cancel),
                )
                os.replace(tmp, target)
            except OSError as error:
                raise StoreError(
                    f"{target} could not be written ({error}).",
                    hint="Choose a folder you can write to.",
                ) from error
            finally:
                with suppress(OSError):
                    tmp.unlink()
        return target

    # ------------------------------------------------------------------ updates

    def updates(self, catalog_entries: Iterable[CatalogEntryLike]) -> builtins.list[UpdateInfo]:
        """Installed models for which the catalog has something newer.

        The rule: an entry updates an installed model when it has the same id and a higher
        version, or the same id and version but different file hashes (a corrected release),
        or when it is the same model line with a higher version. A line is the id without
        its version token (``terjman-nano-v1-int8`` and ``terjman-nano-v2.0-int8`` are both
        ``terjman-nano-int8``), so size and quantization never change behind a person's back.
        A successor already installed is not offered; the newest candidate wins.
        """
        entries = [e for e in catalog_entries if getattr(e, "available", True) is not False]
        models = self.list()
        installed_ids = {model.id for model in models}
        found: builtins.list[UpdateInfo] = []
        for model in models:
            best: tuple[CatalogEntryLike, str] | None = None
            line = _line_key(model.id, model.version)
            for entry in entries:
                newer = _version_key(entry.version) > _version_key(model.version)
                if entry.id == model.id:
                    if newer:
                        reason = f"version {entry.version} is available"
                    elif _version_key(entry.version) == _version_key(
                        model.version
                    ) and _files_differ(entry, model.manifest):
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
                if best is None or _version_key(entry.version) > _version_key(best[0].version):
                    best = (entry, reason)
            if best is not None:
                found.append(UpdateInfo(model, best[0], best[1]))
        return found


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """Order "1" < "1.2" < "2.0" == "2" == "v2"; a non-numeric part sorts after its number."""
    parts: builtins.list[tuple[int, str]] = []
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
        if not (_VERSION_TOKEN.match(t) and _version_key(t) == _version_key(version))
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
