"""``trainer release``: zips, catalog entries, release notes, and the upload.

For each package folder the release folder gets:

* ``<id>/`` — the package's files, as the app downloads them one by one from a mirror
  (``<mirror>/<file>``) and verifies each against the catalog's size and SHA-256;
* ``<id>.zip`` — the same package as one file, for ``terjman models import`` (written by the
  store's own exporter, which re-hashes every file against the manifest);
* ``catalog-entries.json`` — a catalog document (``terjman_desktop.core.models.catalog`` validates
  it before it is written) whose entries are ready to merge into ``resources/catalog.json``;
* ``RELEASE_NOTES.md`` and ``SHA256SUMS``.

``--from-hub REPO`` releases a published checkpoint in one go: download → export each
quantization → post-export check on dev sentences → evaluation of each package through the
app's engine → the release folder above.

``--upload`` sends the folder to a Hugging Face model repository with ``huggingface_hub``;
``--dry-run`` lists what would be uploaded and where, and sends nothing.
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from trainer.config import option
from trainer.errors import ConfigError, TrainerError
from trainer.families import NLLB
from trainer.metrics import metrics_from_reports
from trainer.package import Quantization

logger = logging.getLogger(__name__)

TIER_PARAMETERS = {"nano": 77_000_000, "large": 240_000_000, "ultra": 1_300_000_000,
                   "supreme": 3_300_000_000}
APP_MEMORY = 256 * 1024 * 1024  # the app itself, as in the bundled catalog's estimates
CATALOG_ENTRIES = "catalog-entries.json"


@dataclass
class ReleaseArgs:
    """Arguments of ``trainer release``."""

    packages: list[str] = option(factory=list, help="package folders to release",
                                 positional=True)
    output_dir: str = option("release", "release folder to write")
    tier: Literal["", "nano", "large", "ultra", "supreme", "nllb"] = option(
        "", "catalog tier (default: from the model id)")
    parameters: int | None = option(None, "parameter count (default: the tier's)")
    hub_repo: str | None = option(None, "Hugging Face repository to upload to; also the "
                                  "default mirror")
    revision: str = option("main", "branch of hub_repo the mirror URLs point at")
    mirrors: list[str] = option(factory=list, help="base URLs of the files; '{id}' is "
                                "replaced by the model id")
    gated: bool = option(False, "downloads need a Hugging Face token")
    metrics_file: list[str] = option(factory=list, help="eval.json reports (of the packages) "
                                     "whose scores go into the catalog entries")
    notes: str = option("", "a note for the catalog entries and the release notes")
    upload: bool = option(False, "upload the release folder to hub_repo")
    dry_run: bool = option(False, "with --upload: list what would be uploaded, upload nothing")
    private: bool = option(False, "create hub_repo as a private repository")
    overwrite: bool = option(False, "replace an existing release folder")
    from_hub: str | None = option(None, "release a published checkpoint: download → export "
                                  "→ check → evaluate → package (e.g. atlasia/Terjman-Nano-v2.0)")
    hub_revision: str | None = option(None, "revision of the from_hub checkpoint")
    quantizations: list[Quantization] = option(factory=lambda: ["int8"],
                                               help="from_hub: quantizations to export")
    dev_file: str | None = option(None, "from_hub: dev.jsonl for the post-export check")
    eval_file: str | None = option(None, "from_hub: test.jsonl to evaluate the packages on")
    max_quality_drop: float = option(1.0, "from_hub: largest allowed score drop of a package")

    def __post_init__(self) -> None:
        if self.dry_run and not self.upload:
            raise ConfigError("--dry-run lists an upload: use it together with --upload.")
        if self.upload and not self.hub_repo:
            raise ConfigError("--upload needs --hub-repo (the repository to upload to).")
        if not self.packages and not self.from_hub:
            raise ConfigError("Give package folders to release, or --from-hub REPO.")


def _tier(model_id: str, family: str) -> str:
    for tier in TIER_PARAMETERS:
        if tier in model_id:
            return tier
    # A general model of a family (NLLB) is its own tier; an unnamed Marian model has none.
    return family if family == NLLB.name else ""


def catalog_entry(package: Any, args: ReleaseArgs, metrics: dict[str, Any]) -> dict[str, Any]:
    """A catalog entry (DESIGN.md "The catalog") for a verified package."""
    from terjman_desktop.core.translate.manifest import MANIFEST_NAME
    from terjman_desktop.core.translate.package import describe_files

    manifest = package.manifest
    tier = args.tier or _tier(manifest.id, manifest.family)
    if not tier:
        raise ConfigError(f"Cannot tell the tier of '{manifest.id}': pass --tier.")
    parameters = args.parameters or TIER_PARAMETERS.get(tier)
    if parameters is None:
        raise ConfigError(f"Pass --parameters for the '{tier}' model '{manifest.id}'.")
    files = [*describe_files(package.path, [MANIFEST_NAME]), *manifest.files]
    mirrors = [m.replace("{id}", manifest.id) for m in args.mirrors]
    if args.hub_repo:
        mirrors.append(f"https://huggingface.co/{args.hub_repo}/resolve/{args.revision}/"
                       f"{manifest.id}")
    if not mirrors:
        raise ConfigError("A released model needs a mirror: pass --hub-repo or --mirror URL.")
    weights = sum(f.size for f in manifest.files if f.path == "model.bin")
    return {
        "id": manifest.id, "name": manifest.name, "version": manifest.version,
        "family": manifest.family, "tier": tier,
        "directions": [{"source": d.source, "target": d.target} for d in manifest.directions],
        "parameters": parameters, "base_model": manifest.base_model,
        "hf_repo": args.hub_repo or args.from_hub or manifest.base_model,
        "gated": args.gated, "quantization": manifest.quantization,
        "download_size": sum(f.size for f in files),
        "ram_required": int(weights * 1.3) + APP_MEMORY, "sizes_estimated": False,
        "metrics": metrics, "license": manifest.license,
        "attribution": str(manifest.extra.get("attribution", "")),
        "status": "available",
        "notes": (args.notes + " " if args.notes else "") + "RAM is estimated as the weights "
        "plus 30% working memory plus 256 MiB for the app.",
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in files],
        "mirrors": mirrors,
        "released": date.today().isoformat(),
    }


def build_release(args: ReleaseArgs, packages: Sequence[Path]) -> dict[str, Any]:
    """Write the release folder for ``packages``; returns the catalog document."""
    from terjman_desktop.core.models.archive.export import export_folder
    from terjman_desktop.core.models.catalog_schema import parse_catalog
    from terjman_desktop.core.translate.package import load_package, sha256_file

    out = Path(args.output_dir)
    if out.exists() and any(out.iterdir()) and not args.overwrite:
        raise TrainerError(f"{out} is not empty; pass --overwrite or another --output-dir.")
    out.mkdir(parents=True, exist_ok=True)
    entries, notes = [], ["# Release notes", ""]
    for folder in packages:
        package = load_package(folder, verify_hashes=True)
        model_id = package.manifest.id
        shutil.rmtree(out / model_id, ignore_errors=True)
        shutil.copytree(folder, out / model_id)
        zip_path = out / f"{model_id}.zip"
        export_folder(package.path, package.manifest, zip_path, None, None)
        names = () if len(packages) == 1 else (folder.name, model_id)
        metrics = metrics_from_reports(args.metrics_file, names)
        entry = catalog_entry(package, args, metrics or dict(package.manifest.metrics))
        entry["zip"] = {"path": zip_path.name, "size": zip_path.stat().st_size,
                        "sha256": sha256_file(zip_path)}
        entries.append(entry)
        notes += _notes_for(entry)
    document = {"catalog_format": 1, "updated": date.today().isoformat(), "models": entries}
    parse_catalog(json.loads(json.dumps(document)), CATALOG_ENTRIES)  # what the app will read
    (out / CATALOG_ENTRIES).write_text(json.dumps(document, indent=2, ensure_ascii=False),
                                       "utf-8")
    (out / "RELEASE_NOTES.md").write_text("\n".join(notes) + "\n", "utf-8")
    sums = [f"{sha256_file(p)}  {p.relative_to(out).as_posix()}"
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != "SHA256SUMS"]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n", "utf-8")
    logger.info("Release of %s written to %s", ", ".join(e["id"] for e in entries), out)
    return document


def _notes_for(entry: dict[str, Any]) -> list[str]:
    directions = ", ".join(f"{d['source']}→{d['target']}" for d in entry["directions"])
    lines = [
        f"## {entry['name']} (`{entry['id']}`)", "",
        f"- Version {entry['version']}, {entry['family']} ({entry['tier']}), {directions}",
        f"- Base model: {entry['base_model']}; quantization: {entry['quantization']}",
        f"- Download: {entry['download_size']:,} bytes in {len(entry['files'])} files, or "
        f"`{entry['zip']['path']}` (sha256 `{entry['zip']['sha256']}`)",
        f"- License: {entry['license']}. {entry['attribution']}",
        f"- Install: `terjman models import {entry['zip']['path']}`, or merge "
        f"`{CATALOG_ENTRIES}` into the catalog.", "",
    ]
    if entry["metrics"]:
        lines += ["| benchmark | direction | BLEU | chrF++ | TER |",
                  "| --- | --- | --- | --- | --- |"]
        lines += [f"| {name} | {m.get('direction', '')} | {m['bleu']} | {m['chrf']} | "
                  f"{m['ter']} |" for name, m in entry["metrics"].items()]
        lines += [""]
    return lines


def release_from_hub(args: ReleaseArgs) -> dict[str, Any]:
    """The whole chain for ``args.from_hub``; returns the catalog document."""
    from trainer.evaluate import EvalArgs, run_evaluation
    from trainer.export import ExportArgs, run_export
    from trainer.hub import download_checkpoint, package_id, version_of

    repo = str(args.from_hub)
    if args.dev_file is None:
        raise TrainerError(
            "--from-hub needs --dev-file (a dev.jsonl from `trainer data`) for the "
            "post-export check; add --eval-file test.jsonl for catalog figures."
        )
    checkpoint = download_checkpoint(repo, args.hub_revision)
    work = Path(args.output_dir).with_name(Path(args.output_dir).name + ".work")
    packages, reports = [], []
    for quantization in args.quantizations:
        model_id = package_id(repo, quantization)
        output = work / model_id
        run_export(ExportArgs(
            checkpoint=str(checkpoint), output_dir=str(output), quantization=quantization,
            model_id=model_id, name=repo.rsplit("/", maxsplit=1)[-1].replace("-", " "),
            version=version_of(repo), base_model=repo, overwrite=True,
            dev_file=args.dev_file, max_quality_drop=args.max_quality_drop,
        ))
        packages.append(output)
        if args.eval_file:
            eval_dir = work / f"{model_id}.eval"
            run_evaluation(EvalArgs(model=str(output), test_file=args.eval_file,
                                    output_dir=str(eval_dir)))
            reports.append(str(eval_dir / "eval.json"))
    args.metrics_file = [*args.metrics_file, *reports]
    document = build_release(args, packages)
    if args.upload:
        for line in upload(args):
            logger.info("%s %s", "would upload" if args.dry_run else "uploaded", line)
    return document


def upload(args: ReleaseArgs) -> list[str]:
    """Upload the release folder to ``hub_repo`` (or list it, with --dry-run)."""
    out = Path(args.output_dir)
    listing = [f"{p.relative_to(out).as_posix()} ({p.stat().st_size:,} bytes) → "
               f"hf://{args.hub_repo}/{p.relative_to(out).as_posix()}"
               for p in sorted(out.rglob("*")) if p.is_file()]
    if args.dry_run:
        return listing
    from huggingface_hub import HfApi

    api = HfApi(token=os.environ.get("HF_TOKEN") or None)
    api.create_repo(str(args.hub_repo), private=args.private, exist_ok=True)
    api.upload_folder(repo_id=str(args.hub_repo), folder_path=str(out),
                      revision=args.revision, commit_message="Terjman release")
    return listing
