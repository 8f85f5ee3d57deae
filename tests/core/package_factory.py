"""Build valid model package folders and zips for tests, from given file contents.

The store never loads a model, so the files can hold arbitrary bytes; the manifest is real
(``describe_files`` + ``write_manifest``), so every check the store makes applies.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from terjman_desktop.core.translate.manifest import (
    MANIFEST_NAME,
    Direction,
    Manifest,
    TokenizerFiles,
)
from terjman_desktop.core.translate.package import describe_files, write_manifest

DEFAULT_ID = "terjman-test-v1-int8"


def default_files(seed: str = "") -> dict[str, bytes]:
    """A small, complete file set; ``seed`` changes the bytes (and so the hashes)."""
    return {
        "model.bin": (b"weights" + seed.encode()) * 3000 + bytes(range(256)),
        "config.json": b'{"add_source_bos": false, "seed": "' + seed.encode() + b'"}',
        "shared_vocabulary.json": b'["<s>", "</s>", "<unk>", "salam"]',
        "source.spm": b"source-sentencepiece" + seed.encode(),
        "target.spm": b"target-sentencepiece" + seed.encode(),
        "README.md": b"# A tiny test model\n",
    }


def make_package(
    folder: Path,
    *,
    model_id: str = DEFAULT_ID,
    version: str = "1",
    name: str | None = None,
    files: Mapping[str, bytes] | None = None,
    seed: str = "",
) -> Manifest:
    """Write ``files`` (default: :func:`default_files`) and a manifest listing them."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = dict(files) if files is not None else default_files(seed or version)
    for relative, data in contents.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    manifest = Manifest(
        id=model_id,
        name=name or f"Test model {version}",
        version=version,
        family="marian",
        directions=(Direction("en", "ary"),),
        tokenizer=TokenizerFiles("source.spm", "target.spm"),
        quantization="int8",
        files=describe_files(folder, sorted(contents)),
        license="cc-by-nc-4.0",
    )
    write_manifest(folder, manifest)
    return manifest


def zip_folder(folder: Path, archive: Path, *, top: str | None = None) -> Path:
    """Zip a package folder as-is (manifest first), optionally under one top folder."""
    others = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    names = [MANIFEST_NAME, *sorted(n for n in others if n != MANIFEST_NAME)]
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.write(folder / name, f"{top}/{name}" if top else name)
    return archive


def make_zip(
    tmp: Path, archive_name: str = "package.zip", *, top: str | None = None, **kwargs: object
) -> Path:
    """Build a package folder under ``tmp`` and zip it; kwargs go to :func:`make_package`."""
    folder = tmp / f"src-{archive_name}"
    make_package(folder, **kwargs)  # type: ignore[arg-type]
    return zip_folder(folder, tmp / archive_name, top=top)
