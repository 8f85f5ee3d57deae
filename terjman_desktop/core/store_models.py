"""What the store hands out: installed models, broken folders, verification results.

:func:`load_installed` reads one folder of the store into an :class:`InstalledModel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.package import Direction, Manifest, load_package
from terjman_desktop.core.store_state import read_state


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


def load_installed(root: Path, folder: Path) -> InstalledModel:
    """Read the model folder ``folder`` of the store ``root`` (sizes checked, not hashes).

    Raises:
        PackageError: the folder is a link, incomplete, or holds another model.
    """
    if folder.is_symlink():
        raise PackageError(f"{folder} is a symbolic link, not a model folder.")
    manifest = load_package(folder).manifest
    if manifest.id != folder.name:
        raise PackageError(
            f"{folder}: the folder holds the model '{manifest.id}', not '{folder.name}'.",
            hint="Remove this folder, then install or import the model again.",
        )
    verified, verified_at = read_state(root, folder)
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
