"""``terjman models …``: list, install, verify, remove, import and export models.

Everything printed from a catalog, a manifest or a Hub answer goes through
:func:`~terjman_desktop.core.text_safety.printable`: those are data from elsewhere, and escape
codes or line breaks in them must not reach the terminal.

Installs follow the app's install policy (:mod:`~terjman_desktop.core.models.policy`, the one
rule for the app and this command): ``--token``, else the token saved in the app's
Preferences, else ``HF_TOKEN`` and the Hub's other conventions; the app's mirrors first.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terjman_desktop.core.diskspace import format_size
from terjman_desktop.core.errors import TerjmanError
from terjman_desktop.core.text_safety import printable

if TYPE_CHECKING:
    from terjman_desktop.core.models import (
        Catalog,
        CatalogEntry,
        InstalledModel,
        InstallPolicy,
        InstallProgress,
        LockWait,
        MapCorpus,
        MapOutcome,
        StoredModel,
    )
    from terjman_desktop.core.settings import Settings

QUANTIZATIONS = ("int8", "int8_float16", "int8_float32", "int8_bfloat16", "float16", "bfloat16",
                 "float32")
# What `models available --refresh` asks the Hub for, besides the catalog.
HUB_SEARCHES = (("atlasia", "Terjman"),)



def _catalog(args: argparse.Namespace) -> Catalog:
    from terjman_desktop.core.models import catalog

    source = getattr(args, "catalog", None)
    if source is None:
        return catalog.current()
    if source.startswith(("http://", "https://")):
        result, error = catalog.refresh_or_current(source)
        if error is not None:
            print(f"terjman: warning: {printable(str(error))} Using the last good catalog.",
                  file=sys.stderr)
        return result
    return catalog.from_file(source)


def _app_settings() -> Settings:
    """The app's settings (its token and mirrors); the defaults when they cannot be read."""
    from terjman_desktop.core.errors import TerjmanError
    from terjman_desktop.core.settings import Settings, load_settings

    try:
        return load_settings()
    except TerjmanError:
        return Settings()


def install_policy_for(args: argparse.Namespace) -> InstallPolicy:
    """The install policy of this run: the app's settings, with this command's options."""
    from terjman_desktop.core.models import install_policy

    return install_policy(
        _app_settings(), token=getattr(args, "token", None), token_source="--token",
        quantization=getattr(args, "quantization", None),
        keep_source=getattr(args, "keep_source", False),
        learn_vmap=False if getattr(args, "no_vmap", False) else None,
    )


def _entry_json(entry: CatalogEntry) -> dict[str, Any]:
    return {
        "id": entry.id, "name": entry.name, "version": entry.version, "tier": entry.tier,
        "family": entry.family, "status": entry.status, "installable": entry.installable,
        "gated": entry.gated, "recommended": entry.recommended,
        "directions": [f"{d.source}-{d.target}" for d in entry.directions],
        "download_size": entry.download_size, "installed_size": entry.installed_size,
        "sizes_estimated": entry.sizes_estimated, "ram_required": entry.ram_required,
        "license": entry.license, "metrics": dict(entry.metrics),
        "source": entry.source.to_json() if entry.source else None,
    }


def _source_json(manifest_extra: Any) -> dict[str, Any] | None:
    record = manifest_extra.get("source") if isinstance(manifest_extra, dict) else None
    if not isinstance(record, dict):
        return None
    return {key: record[key] for key in ("kind", "repo", "revision", "commit", "format")
            if key in record}


def _stored_json(stored: StoredModel) -> dict[str, Any]:
    data: dict[str, Any] = {"id": stored.id, "path": str(stored.path), "state": stored.state,
                            "problems": list(stored.problems)}
    model = stored.model
    manifest = stored.manifest
    if manifest is not None:
        data.update({
            "name": manifest.name, "version": manifest.version, "family": manifest.family,
            "quantization": manifest.quantization,
            "directions": [f"{d.source}-{d.target}" for d in manifest.directions],
            "source": _source_json(dict(manifest.extra)),
        })
    if model is not None:
        data.update({"size": model.size, "verified": model.verified})
    return data


def _direction_text(directions: Any) -> str:
    return ", ".join(printable(str(d)) for d in directions)


def cmd_available(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    found = _hub_models(catalog, args) if args.refresh else []
    if args.json:
        entries = [_entry_json(e) for e in catalog]
        print(json.dumps({"catalog": entries, "hub": found} if args.refresh else entries,
                         ensure_ascii=False, indent=2))
        return 0
    for entry in catalog:
        if entry.available:
            status = "available"
        elif entry.source is not None:
            status = "from Hugging Face, converted here"
        else:
            status = "not yet available"
        gated = " (gated: needs a Hugging Face token)" if entry.gated else ""
        star = " (recommended)" if entry.recommended else ""
        approx = "≈" if entry.sizes_estimated else ""
        print(f"{printable(entry.id):<36} {approx + format_size(entry.download_size):>10}  "
              f"{_direction_text(entry.directions):<14} {status}{gated}{star}")
    if args.refresh:
        if not found:
            print("\nThe Hub lists no other Terjman repository.")
        else:
            print("\nOn the Hub, not in the catalog (install with `terjman models install "
                  "ORG/NAME`):")
            for model in found:
                gated = " (gated)" if model["gated"] else ""
                print(f"  {printable(model['repo'])}{gated}")
    return 0


def _hub_models(catalog: Catalog, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Terjman repositories the Hub lists that the catalog does not know."""
    from terjman_desktop.core.errors import TerjmanError

    known = {e.source.repo.lower() for e in catalog if e.source is not None}
    known |= {e.hf_repo.lower() for e in catalog}
    client = install_policy_for(args).hub_client()
    found: dict[str, dict[str, Any]] = {}
    for author, search in HUB_SEARCHES:
        try:
            models = client.search(author=author, search=search)
        except TerjmanError as error:
            print(f"terjman: warning: the Hub could not be searched: {printable(str(error))}",
                  file=sys.stderr)
            return []
        for model in models:
            if model.repo.lower() not in known:
                found.setdefault(model.repo, {"repo": model.repo, "gated": model.gated})
    return sorted(found.values(), key=lambda m: str(m["repo"]).lower())


def cmd_list(args: argparse.Namespace) -> int:
    from terjman_desktop.core.models import Store

    stored = Store().entries()
    if args.json:
        print(json.dumps([_stored_json(s) for s in stored], ensure_ascii=False, indent=2))
        return 0
    if not stored:
        print("No model is installed. Run `terjman models available`, then "
              "`terjman models install ID` (or `terjman models import FILE`).")
    for entry in stored:
        manifest = entry.manifest
        version = printable(manifest.version) if manifest else "?"
        size = format_size(entry.model.size) if entry.model else ""
        directions = _direction_text(manifest.directions) if manifest else ""
        if entry.state == "ok":
            assert entry.model is not None
            state = {True: "verified", False: "DAMAGED", None: "not verified"}[
                entry.model.verified]
        else:
            state = f"{entry.state.upper()}: {printable(entry.problems[0])}"
        print(f"{printable(entry.id):<36} {version:<8} {size:>9}  {directions:<14} {state}")
    broken = [s for s in stored if s.state != "ok"]
    if broken:
        print(f"terjman: {len(broken)} model folder(s) cannot be used. Re-install them "
              "(`terjman models install ID`) or delete them (`terjman models remove ID`).",
              file=sys.stderr)
    return 0


class _ProgressLine:
    """One status line on stderr, redrawn in place (only on a terminal)."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self.phase = ""

    def __call__(self, state: InstallProgress) -> None:
        from terjman_desktop.core.models import PHASE_CONVERT, PHASE_DOWNLOAD, map_progress_label

        if state.phase != self.phase:
            self.phase = state.phase
            label = {PHASE_DOWNLOAD: "Downloading", PHASE_CONVERT:
                     "Converting on this computer"}.get(state.phase) or map_progress_label(
                         state.phase)
            if label is not None and self.shown:  # piped stderr: errors stay one line
                self.end()
                print(f"{label}…", file=sys.stderr)
        if not self.shown or not state.total:
            return
        width = 30
        filled = int(width * state.done / state.total)
        bar = f"[{'#' * filled}{'.' * (width - filled)}]"
        download = state.download
        if download is not None:
            eta = f"{download.eta_seconds:.0f}s" if download.eta_seconds is not None else "?"
            done, total = download.downloaded_bytes, download.total_bytes
            detail = (f"{format_size(done)}/{format_size(total)}  "
                      f"{format_size(download.bytes_per_second)}/s  ETA {eta}")
        else:
            detail = f"{100 * state.done / state.total:.0f}%"
        sys.stderr.write(f"\r{bar} {detail}   ")
        sys.stderr.flush()

    def end(self) -> None:
        if self.shown and self.phase:
            sys.stderr.write("\n")


def _announce_wait(wait: LockWait) -> None:
    print(f"terjman: {printable(wait.message)} (Ctrl+C to stop waiting)", file=sys.stderr)


def install_catalog_entry(
    entry: CatalogEntry, args: argparse.Namespace,
    progress: Callable[[InstallProgress], None] | None = None,
) -> InstalledModel:
    """Install a catalog entry with the options of ``args`` (also used by ``translate``)."""
    line = _ProgressLine()
    try:
        return install_policy_for(args).install(entry, progress=progress or line,
                                                on_wait=_announce_wait)
    finally:
        line.end()


def _install_repository(args: argparse.Namespace) -> InstalledModel:
    """``terjman models install ORG/NAME[@REVISION]``: any compatible Hub repository."""
    from terjman_desktop.core.models import HubSource, PackageDetails, parse_repo_spec

    policy = install_policy_for(args)
    repo, revision = parse_repo_spec(args.id)
    quantization = policy.quantization or "int8"
    targets: dict[str, str | None] = {}
    if args.target_token is not None:
        targets["ary"] = None if args.target_token.lower() == "none" else args.target_token
    source = HubSource(repo, revision, "transformers", None, tuple(args.source_prefix),
                       targets, _map_corpus_option(args, None))
    details = PackageDetails(
        model_id=args.model_id or default_model_id(repo, quantization),
        name=repo.split("/", 1)[1].replace("-", " "),
        version=_version_of(repo, revision),
        attribution=f"Converted from huggingface.co/{repo}; see its model card for the "
        "license and the authors.",
    )
    line = _ProgressLine()
    try:
        return policy.install_repository(source, details, progress=line, on_wait=_announce_wait)
    finally:
        line.end()


def default_model_id(repo: str, quantization: str) -> str:
    """``atlasia/Terjman-Nano-v2.0`` → ``terjman-nano-v2.0-int8`` (a store folder name)."""
    import re

    name = re.sub(r"[^a-z0-9._-]+", "-", repo.split("/", 1)[1].lower()).strip("-._")
    return f"{name[:100] or 'model'}-{quantization.replace('_', '-')}"


def _version_of(repo: str, revision: str) -> str:
    import re

    found = re.search(r"-v(\d+(?:\.\d+)*)$", repo, re.IGNORECASE)
    if found:
        return found.group(1)
    return revision if re.fullmatch(r"[0-9A-Za-z._+-]{1,32}", revision) else "1"


def _map_corpus_option(args: argparse.Namespace, default: MapCorpus | None
                       ) -> MapCorpus | None:
    """The dataset to learn a vocabulary map from: ``default`` changed by the ``--vmap-*`` options.

    ``--vmap-dataset`` names another dataset (the default's columns and sizes are dropped).
    """
    from terjman_desktop.core.errors import InputError
    from terjman_desktop.core.models import parse_map_corpus

    dataset = getattr(args, "vmap_dataset", None)
    if dataset is None and default is None:
        return None
    raw: dict[str, Any] = default.to_json() if default is not None else {}
    if dataset is not None:
        raw = {"dataset": dataset}
    for option, key in (("vmap_config", "config"), ("vmap_split", "split"),
                        ("vmap_rows", "rows"), ("vmap_held_out", "held_out")):
        value = getattr(args, option, None)
        if value is not None:
            raw[key] = value
    columns = dict(raw.get("columns", {}))
    for pair in getattr(args, "vmap_column", None) or []:
        language, sep, column = pair.partition("=")
        if not sep or not language or not column:
            raise InputError(f"--vmap-column {pair!r} is not LANGUAGE=COLUMN.",
                             hint="For example --vmap-column en=english --vmap-column "
                             "ary=darija.")
        columns[language.strip()] = column.strip()
    raw["columns"] = columns
    try:
        corpus = parse_map_corpus(raw, "the options")
    except TerjmanError as error:
        raise InputError(error.message.replace("'vmap_corpus'", "--vmap-*"),
                         hint="See `terjman models vmap --help`.") from None
    return corpus


def _learn_map(policy: InstallPolicy, model_id: str, corpus: MapCorpus) -> MapOutcome:
    from terjman_desktop.core.models import describe_outcome

    line = _ProgressLine()
    try:
        outcome = policy.learn_vocabulary_map(model_id, corpus, progress=line)
    finally:
        line.end()
    print(describe_outcome(outcome))
    return outcome


def cmd_install(args: argparse.Namespace) -> int:
    from terjman_desktop.core.models import installed_map_corpus

    policy = install_policy_for(args)
    if "/" in args.id:
        installed = _install_repository(args)
        corpus = installed_map_corpus(installed) if policy.learn_vmap else None
    else:
        if args.target_token is not None or args.source_prefix or args.model_id:
            from terjman_desktop.core.errors import InputError

            raise InputError(
                "--target-token, --source-prefix and --model-id are for ORG/NAME "
                "repositories; a catalog model brings its own.",
            )
        entry = _catalog(args).get(args.id)
        installed = install_catalog_entry(entry, args)
        corpus = _map_corpus_option(args, policy.map_corpus_of(entry))
        if entry.available or not policy.learn_vmap:
            corpus = None
    print(f"Installed {printable(installed.id)} ({format_size(installed.size)}) "
          f"at {installed.path}")
    source = _source_json(dict(installed.manifest.extra))
    if source is not None:
        print(f"From {printable(str(source.get('repo')))} at commit "
              f"{printable(str(source.get('commit')))}")
    if corpus is not None:
        try:
            _learn_map(policy, installed.id, corpus)
        except (TerjmanError, KeyboardInterrupt) as error:
            why = "stopped" if isinstance(error, KeyboardInterrupt) else printable(str(error))
            print(f"terjman: no vocabulary map was added ({why}). The model is installed "
                  "and translates without it, only slower; `terjman models vmap "
                  f"{printable(installed.id)}` tries again.", file=sys.stderr)
    return 0


def cmd_vmap(args: argparse.Namespace) -> int:
    """``terjman models vmap ID``: learn (again) an installed model's vocabulary map."""
    from terjman_desktop.core.errors import InputError
    from terjman_desktop.core.models import Store, installed_map_corpus

    installed = Store().get(args.id)
    corpus = _map_corpus_option(args, installed_map_corpus(installed))
    if corpus is None:
        raise InputError(
            f"{printable(args.id)} names no training dataset to learn a vocabulary map from.",
            hint="Name one with --vmap-dataset ORG/NAME (a Hub dataset of English and Darija "
            "sentences the model was trained on).")
    policy = install_policy_for(args)
    _learn_map(policy, installed.id, corpus)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from terjman_desktop.core.models import Store

    Store().remove(args.id)
    print(f"Removed {printable(args.id)}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from terjman_desktop.core.models import Store

    store = Store()
    ids = [args.id] if args.id else [s.id for s in store.entries()]
    if not ids:
        print("No model is installed: nothing to verify.")
        return 0
    failed = 0
    for model_id in ids:
        result = store.verify(model_id)
        if result.ok:
            print(f"{printable(model_id)}: OK")
        else:
            failed += 1
            problems = "; ".join(printable(p) for p in result.problems)
            print(f"{printable(model_id)}: DAMAGED — {problems}")
    if failed:
        print(f"terjman: {failed} model(s) failed verification. Re-install or re-import them, "
              "or remove them.", file=sys.stderr)
        return 1
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from terjman_desktop.core.models import Store

    installed = Store().import_path(Path(args.path))
    print(f"Imported {printable(installed.id)} ({format_size(installed.size)})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from terjman_desktop.core.models import Store

    written = Store().export(args.id, Path(args.path), overwrite=args.overwrite)
    print(f"Exported {printable(args.id)} to {written}")
    return 0


def add_token_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", help="Hugging Face access token for gated models (default: "
                                        "the token saved in the app's Preferences, else "
                                        "$HF_TOKEN, $TERJMAN_HF_TOKEN or the token saved by "
                                        "`hf auth login`); sent to the Hub only (and to its "
                                        "dataset viewer when a vocabulary map is learned)")


def add_map_corpus_options(parser: argparse.ArgumentParser, *, prefix_help: bool = True) -> None:
    """The options that name the dataset a vocabulary map is learned from."""
    note = " (after a conversion)" if prefix_help else ""
    parser.add_argument("--vmap-dataset", metavar="ORG/NAME",
                        help=f"Hub dataset the model was trained on, to learn its map from{note} "
                             "(default: the catalog's)")
    parser.add_argument("--vmap-config", metavar="NAME", help="the dataset's configuration")
    parser.add_argument("--vmap-split", metavar="NAME", help="its split (default: train)")
    parser.add_argument("--vmap-column", metavar="LANGUAGE=COLUMN", action="append",
                        help="the column of a language, e.g. en=english (default: found by "
                             "name and script); repeat for each language")
    parser.add_argument("--vmap-rows", metavar="N", type=int,
                        help="sentences to learn from (default 2000)")
    parser.add_argument("--vmap-held-out", metavar="N", type=int,
                        help="further sentences the map is checked on (default 200)")


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
    available.add_argument("--refresh", action="store_true",
                           help="also list Terjman repositories the Hugging Face Hub has that "
                                "the catalog does not know")
    add_token_option(available)
    available.set_defaults(handler=cmd_available)

    listing = actions.add_parser("list", help="installed models (damaged ones too)")
    listing.add_argument("--json", action="store_true",
                         help="print the models as JSON, with where each came from")
    listing.set_defaults(handler=cmd_list)

    install = actions.add_parser(
        "install", help="download, verify and install a model",
        description="Install a catalog model (ID) or any Marian/NLLB translation model on the "
                    "Hugging Face Hub (ORG/NAME[@REVISION]), converted on this computer.")
    install.add_argument("id", metavar="ID|ORG/NAME[@REVISION]",
                         help="catalog id (see `terjman models available`) or a Hugging Face "
                              "repository, optionally at a branch, tag or commit")
    add_token_option(install)
    install.add_argument("--quantization", choices=QUANTIZATIONS,
                         help="weights of the converted model (default: int8, the smallest "
                              "and fastest on a CPU; float32 gives generate's exact output)")
    install.add_argument("--keep-source", action="store_true",
                         help="keep the downloaded checkpoint after converting it")
    install.add_argument("--model-id", help="installed id for an ORG/NAME model (default: from "
                                            "its name and quantization)")
    install.add_argument("--target-token", metavar="TOKEN|none",
                         help="NLLB: token forced first when translating into Darija "
                              "(e.g. ary_Arab), or 'none' to let the model choose (default: "
                              "the checkpoint's forced_bos_token_id, else none)")
    install.add_argument("--source-prefix", metavar="TOKEN", action="append", default=[],
                         help="Marian: token put before every sentence (e.g. >>ary<< for a "
                              "multi-target OPUS-MT model); repeat for several")
    install.add_argument("--no-vmap", action="store_true",
                         help="do not learn a vocabulary map after converting (translation "
                              "is then about 1.5x slower; `terjman models vmap` can add it "
                              "later)")
    add_map_corpus_options(install)
    catalog_option(install)
    install.set_defaults(handler=cmd_install)

    vmap = actions.add_parser(
        "vmap", help="learn an installed model's vocabulary map (faster translation)",
        description="Learn a vocabulary map for an installed model on this computer, from "
                    "sentences of the dataset it was trained on (read through the Hub's "
                    "dataset viewer): the model translates them, the map keeps what it "
                    "wrote, and it is kept only when held-out translations stay the same "
                    "(99%). The model's source names its dataset when the catalog knows it.")
    vmap.add_argument("id", help="installed model id")
    add_map_corpus_options(vmap, prefix_help=False)
    add_token_option(vmap)
    vmap.set_defaults(handler=cmd_vmap)

    remove = actions.add_parser("remove", help="delete an installed model (a damaged one too)")
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
