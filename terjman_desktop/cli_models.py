"""``terjman models …``: list, install, verify, remove, import and export models."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from terjman_desktop.core.catalog import Catalog, CatalogEntry
    from terjman_desktop.core.download import DownloadProgress
    from terjman_desktop.core.store import InstalledModel


def _size(count: float) -> str:
    from terjman_desktop.core.diskspace import format_size

    return format_size(count)


def _catalog(args: argparse.Namespace) -> Catalog:
    from terjman_desktop.core import catalog

    source = args.catalog
    if source is None:
        return catalog.current()
    if source.startswith(("http://", "https://")):
        result, error = catalog.refresh_or_current(source)
        if error is not None:
            print(f"terjman: warning: {error} Using the last good catalog.", file=sys.stderr)
        return result
    return catalog.from_file(source)


def _entry_json(entry: CatalogEntry) -> dict[str, Any]:
    return {
        "id": entry.id, "name": entry.name, "version": entry.version, "tier": entry.tier,
        "family": entry.family, "status": entry.status, "gated": entry.gated,
        "directions": [f"{d.source}-{d.target}" for d in entry.directions],
        "download_size": entry.download_size, "ram_required": entry.ram_required,
        "license": entry.license, "metrics": dict(entry.metrics),
    }


def _installed_json(model: InstalledModel) -> dict[str, Any]:
    return {
        "id": model.id, "name": model.name, "version": model.version, "path": str(model.path),
        "size": model.size, "family": model.family, "quantization": model.quantization,
        "directions": [f"{d.source}-{d.target}" for d in model.directions],
        "verified": model.verified,
    }


def cmd_available(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    if args.json:
        print(json.dumps([_entry_json(e) for e in catalog], ensure_ascii=False, indent=2))
        return 0
    for entry in catalog:
        status = "available" if entry.available else "not yet available"
        directions = ", ".join(str(d) for d in entry.directions)
        gated = " (gated: needs a Hugging Face token)" if entry.gated else ""
        print(f"{entry.id:<36} {_size(entry.download_size):>9}  {directions:<14} "
              f"{status}{gated}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from terjman_desktop.core.store import Store

    models = Store().list()
    if args.json:
        print(json.dumps([_installed_json(m) for m in models], ensure_ascii=False, indent=2))
        return 0
    if not models:
        print("No model is installed. Run `terjman models available`, then "
              "`terjman models install ID` (or `terjman models import FILE`).")
    for model in models:
        state = {True: "verified", False: "DAMAGED", None: "not verified"}[model.verified]
        directions = ", ".join(str(d) for d in model.directions)
        print(f"{model.id:<36} {model.version:<8} {_size(model.size):>9}  {directions:<14} "
              f"{state}")
    return 0


def _download_bar(progress: DownloadProgress) -> None:
    if not sys.stderr.isatty():
        return
    total = max(progress.total_bytes, 1)
    width = 30
    filled = int(width * progress.downloaded_bytes / total)
    eta = f"{progress.eta_seconds:.0f}s" if progress.eta_seconds is not None else "?"
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {_size(progress.downloaded_bytes)}"
        f"/{_size(total)}  {_size(progress.bytes_per_second)}/s  ETA {eta}   "
    )
    sys.stderr.flush()


def cmd_install(args: argparse.Namespace) -> int:
    import os

    from terjman_desktop.core.install import install_from_catalog

    entry = _catalog(args).get(args.id)
    token = args.token or os.environ.get("TERJMAN_HF_TOKEN") or None
    installed = install_from_catalog(entry, token=token, progress=_download_bar)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print(f"Installed {installed.id} ({_size(installed.size)}) at {installed.path}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from terjman_desktop.core.store import Store

    Store().remove(args.id)
    print(f"Removed {args.id}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from terjman_desktop.core.store import Store

    store = Store()
    ids = [args.id] if args.id else [m.id for m in store.list()]
    failed = 0
    for model_id in ids:
        result = store.verify(model_id)
        if result.ok:
            print(f"{model_id}: OK")
        else:
            failed += 1
            print(f"{model_id}: DAMAGED — {'; '.join(result.problems)}")
    if failed:
        print(f"terjman: {failed} model(s) failed verification. Re-install or re-import them.",
              file=sys.stderr)
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from terjman_desktop.core.store import Store

    installed = Store().import_path(Path(args.path))
    print(f"Imported {installed.id} ({_size(installed.size)})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from terjman_desktop.core.store import Store

    written = Store().export(args.id, Path(args.path), overwrite=args.overwrite)
    print(f"Exported {args.id} to {written}")
    return 0


def add_parser(commands: Any) -> None:
    """Register ``terjman models`` and its subcommands."""
    models = commands.add_parser("models", help="list, install, verify, remove, share models")
    actions = models.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    def catalog_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--catalog", metavar="URL_OR_FILE",
                            help="use this catalog instead of the cached/bundled one")

    available = actions.add_parser("available", help="models in the catalog")
    catalog_option(available)
    available.add_argument("--json", action="store_true", help="print the catalog as JSON")
    available.set_defaults(handler=cmd_available)

    listing = actions.add_parser("list", help="installed models")
    listing.add_argument("--json", action="store_true", help="print the models as JSON")
    listing.set_defaults(handler=cmd_list)

    install = actions.add_parser("install", help="download, verify and install a model")
    install.add_argument("id", help="catalog id of the model (see `terjman models available`)")
    install.add_argument("--token", help="Hugging Face token for gated models "
                                         "(default: $TERJMAN_HF_TOKEN)")
    catalog_option(install)
    install.set_defaults(handler=cmd_install)

    remove = actions.add_parser("remove", help="delete an installed model")
    remove.add_argument("id", help="installed model id (see `terjman models list`)")
    remove.set_defaults(handler=cmd_remove)

    verify = actions.add_parser("verify", help="re-hash installed models against their manifest")
    verify.add_argument("id", nargs="?", help="installed model id (default: every model)")
    verify.set_defaults(handler=cmd_verify)

    importing = actions.add_parser("import", help="install a model from a .zip package or folder")
    importing.add_argument("path", help="a package .zip (from `terjman models export`) or "
                                        "an unpacked model folder")
    importing.set_defaults(handler=cmd_import)

    export = actions.add_parser("export", help="write an installed model as a .zip to share")
    export.add_argument("id", help="installed model id")
    export.add_argument("path", help="the .zip file to write (or a folder to write it in)")
    export.add_argument("--overwrite", action="store_true", help="replace an existing file")
    export.set_defaults(handler=cmd_export)
