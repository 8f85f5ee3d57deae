"""What the store hands out: its folders with their state, installed models, verifications.

:func:`inspect_folder` reads one folder of the store into a :class:`StoredModel` whatever
shape it is in, so that a damaged model stays visible — to be shown, verified, repaired
or deleted — instead of disappearing from every list while its folder stays on disk.
:func:`load_installed` is the strict form: a usable :class:`InstalledModel` or an error.
:func:`verify_folder` re-hashes a folder and records the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.models.archive.folder import folder_problems, hash_problems
from terjman_desktop.core.models.archive.shared import Progress
from terjman_desktop.core.models.store.state import StateRecords
from terjman_desktop.core.translate import (
    MANIFEST_NAME,
    Direction,
    Manifest,
    ProgressCallback,
    check_files,
    read_manifest,
    require_runtime_files,
)

ModelState = Literal["ok", "damaged", "unreadable"]
DAMAGED_HINT = "The model is incomplete or damaged: re-install or re-import it, or remove it."
LAST_CHECK_FAILED = "its last verification found damaged files."


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
class StoredModel:
    """One folder of the store, in whatever state it is.

    Attributes:
        id: The folder's name: the model id for every folder the store made (a folder put
            there by hand may have any name; :meth:`Store.remove` takes it too).
        path: The folder.
        state: ``"ok"``: a usable model. ``"damaged"``: its manifest reads, but files are
            missing, have the wrong size, or failed their last verification. ``"unreadable"``:
            no usable manifest (missing, not JSON, invalid, or the folder is a link).
        problems: What is wrong, one sentence each (empty when ``ok``).
        manifest: The manifest, when it could be read (``None`` when ``unreadable``).
        model: The installed model when it can be loaded — always when ``ok``, and when the
            only problem is a failed last verification (it still loads; its hashes do not
            match). ``None`` otherwise.
    """

    id: str
    path: Path
    state: ModelState
    problems: tuple[str, ...] = ()
    manifest: Manifest | None = None
    model: InstalledModel | None = None

    @property
    def name(self) -> str:
        """The model's name from its manifest, else the folder's name."""
        return self.manifest.name if self.manifest is not None else self.id

    @property
    def version(self) -> str:
        return self.manifest.version if self.manifest is not None else ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


@dataclass(frozen=True)
class LockWait:
    """Sent once when an operation starts waiting for another one on the same model.

    Attributes:
        model_id: The model the other process (or thread) is installing or changing.
        message: What to tell the person, in one sentence.
    """

    model_id: str
    message: str


@dataclass(frozen=True)
class VerifyResult:
    model_id: str
    ok: bool
    problems: tuple[str, ...]


def inspect_folder(records: StateRecords, folder: Path) -> StoredModel:
    """The state of the store's folder ``folder`` (sizes checked, not hashes).

    ``records`` are the store's verification records.
    """
    name = folder.name
    if folder.is_symlink():
        problem = f"{folder} is a symbolic link, not a model folder."
        return StoredModel(name, folder, "unreadable", (problem,))
    try:
        manifest = read_manifest(folder)
    except PackageError as error:
        return StoredModel(name, folder, "unreadable", (error.message,))
    problems: list[str] = []
    if manifest.id != name:
        problems.append(f"the folder holds the model '{manifest.id}', not '{name}'.")
    try:
        require_runtime_files(manifest, str(folder))
    except PackageError as error:
        problems.append(error.message)
    try:
        problems += check_files(folder, manifest, hashes=False)
    except OSError as error:
        problems.append(f"its files cannot be read ({error.strerror or error}).")
    if problems:
        return StoredModel(name, folder, "damaged", tuple(problems), manifest)
    model = _installed(records, folder, manifest)
    if model.verified is False:
        return StoredModel(name, folder, "damaged", (LAST_CHECK_FAILED,), manifest, model)
    return StoredModel(name, folder, "ok", (), manifest, model)


def load_installed(records: StateRecords, folder: Path) -> InstalledModel:
    """Read the store's model folder ``folder`` (sizes checked, not hashes).

    Raises:
        PackageError: the folder is a link, has no valid manifest, is incomplete, or holds
            another model.
    """
    stored = inspect_folder(records, folder)
    if stored.model is not None:
        return stored.model
    first, more = stored.problems[0], len(stored.problems) - 1
    message = first if first.startswith(str(folder)) else f"{folder}: {first}"
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    raise PackageError(message, hint=DAMAGED_HINT)


def verify_folder(
    records: StateRecords,
    folder: Path,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> VerifyResult:
    """Re-hash the store's folder ``folder`` against its manifest; record and report it."""
    model_id = folder.name
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
    records.write(folder, not problems)
    return VerifyResult(model_id, not problems, tuple(problems))


def _installed(records: StateRecords, folder: Path, manifest: Manifest) -> InstalledModel:
    verified, verified_at = records.read(folder)
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
