"""Exporting: write an installed model as a package ``.zip`` to share, complete or not at all.

Every file is hashed as it is read and must match the manifest, so a damaged installed model
is never shared; the zip is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from datetime import datetime
from pathlib import Path

from terjman_desktop.core.atomic import replacing
from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.diskspace import ensure_free_space
from terjman_desktop.core.errors import StoreError

# open_output is looked up on the module at call time: tests replace it to fill the disk.
from terjman_desktop.core.models.archive import shared as archive
from terjman_desktop.core.models.archive.folder import folder_problems
from terjman_desktop.core.models.archive.shared import CHUNK, Progress, disk_errors
from terjman_desktop.core.translate import MANIFEST_NAME, FileEntry, Manifest, ProgressCallback

# Already-compressed weights do not shrink; deflating them only costs time.
_STORED_SUFFIXES = frozenset({".bin", ".safetensors", ".zip"})


def export_target(destination: Path, model_id: str, *, overwrite: bool) -> Path:
    """The file an export of ``model_id`` writes.

    ``destination`` is the file (``.zip`` is added if missing) or an existing folder, which
    receives ``<id>.zip``.

    Raises:
        StoreError: the folder does not exist, or the file exists (without ``overwrite``).
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
    return target


def export_folder(
    folder: Path,
    manifest: Manifest,
    target: Path,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> None:
    """Write the installed model in ``folder`` as the package ``target`` (replaced if there).

    Raises:
        StoreError: the model is damaged, or the file cannot be written.
        DiskSpaceError: not enough room at the destination.
        CancelledError: ``cancel`` was cancelled; nothing is left behind.
    """
    problems = folder_problems(folder, manifest)
    if problems:
        raise StoreError(
            f"{folder}: {problems[0]} The model was not exported.",
            hint="Run `terjman models verify`, then re-install the model.",
        )
    ensure_free_space(target.parent, manifest.total_size, f"export '{manifest.id}'")
    try:
        with replacing(target, create=False) as tmp:
            write_zip(
                folder,
                manifest,
                tmp,
                manifest_bytes=(folder / MANIFEST_NAME).read_bytes(),
                top=manifest.id,
                progress=Progress(manifest.total_size, progress, cancel),
            )
    except OSError as error:
        raise StoreError(
            f"{target} could not be written ({error}).",
            hint="Choose a folder you can write to.",
        ) from error


def write_zip(
    folder: Path,
    manifest: Manifest,
    target: Path,
    *,
    manifest_bytes: bytes,
    top: str,
    progress: Progress,
) -> None:
    """Write the model in ``folder`` as a new zip ``target``, its files under ``top/``.

    The manifest comes first so that readers find it at once. Every file is hashed as it is
    read and must match the manifest: a damaged installed model is never shared.
    """
    now = datetime.now().timetuple()[:6]
    with disk_errors(target), archive.open_output(target) as raw:
        with zipfile.ZipFile(raw, "w") as zf:
            info = zipfile.ZipInfo(f"{top}/{MANIFEST_NAME}", date_time=now)
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
            for entry in manifest.files:
                _add_file(zf, folder / entry.path, f"{top}/{entry.path}", entry, progress)
        raw.flush()
        os.fsync(raw.fileno())


def _add_file(
    zf: zipfile.ZipFile, source_path: Path, name: str, entry: FileEntry, progress: Progress
) -> None:
    info = zipfile.ZipInfo.from_file(source_path, name, strict_timestamps=False)
    info.compress_type = (
        zipfile.ZIP_STORED
        if source_path.suffix.lower() in _STORED_SUFFIXES
        else zipfile.ZIP_DEFLATED
    )
    digest = hashlib.sha256()
    with open(source_path, "rb") as source, zf.open(info, "w") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            progress.advance(len(chunk))
    if info.file_size != entry.size or digest.hexdigest() != entry.sha256:
        raise StoreError(
            f"{source_path} does not match the model's manifest: the installed model "
            "is damaged and was not exported.",
            hint="Run `terjman models verify`, then re-install the model.",
        )
