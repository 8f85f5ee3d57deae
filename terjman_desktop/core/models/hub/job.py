"""The Hub install's filler: download a checkpoint into the store, convert it into staging.

:class:`HubJob` runs inside :meth:`Store.install
<terjman_desktop.core.models.store.store.Store.install>` (see
:mod:`terjman_desktop.core.models.hub.install` for the whole install): it downloads what the
conversion needs into the model's sources folder — the config first, so an architecture that
cannot be converted is refused before gigabytes arrive — then converts (or copies, for a
CTranslate2 repository) into the staging folder and writes the manifest: every file with its
hash, the decoding choices (:mod:`~terjman_desktop.core.models.hub.decoding`) and where the
model came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terjman_desktop import __version__
from terjman_desktop.core import diskspace
from terjman_desktop.core.cancel import PauseToken
from terjman_desktop.core.errors import ConversionError, PackageError
from terjman_desktop.core.families import FAMILIES, MARIAN
from terjman_desktop.core.models.hub.decoding import decoding_choices
from terjman_desktop.core.models.hub.details import (
    PHASE_CONVERT,
    PHASE_DOWNLOAD,
    PHASE_INSTALL,
    InstallProgress,
    PackageDetails,
    ProgressCallback,
)
from terjman_desktop.core.models.hub.source import (
    CONFIG,
    HubSource,
    RepoFiles,
    ctranslate2_files,
    read_json_file,
    shards_of,
    transformers_files,
    weight_plan,
)
from terjman_desktop.core.translate import (
    MANIFEST_NAME,
    Manifest,
    TokenizerFiles,
    describe_files,
    write_manifest,
)

if TYPE_CHECKING:
    from terjman_desktop.core.models.convert import ConvertedModel
    from terjman_desktop.core.models.download import DownloadProgress
    from terjman_desktop.core.models.hub.client import HubClient, HubSnapshot
    from terjman_desktop.core.models.store.store import Workspace

# Bytes per weight of a converted model, by quantization (scales and biases are noise).
_BYTES_PER_WEIGHT = {"int8": 1, "int8_float16": 1, "int8_float32": 1, "int8_bfloat16": 1,
                     "float16": 2, "bfloat16": 2, "float32": 4}


def estimated_converted_size(config: Mapping[str, Any], quantization: str) -> int:
    """About how many bytes a converted model takes, from its config alone.

    The config comes from the Hub: a size that is not a sensible whole number counts as the
    default (the conversion itself refuses such a config with a clear message).
    """

    def size(key: str, default: int) -> int:
        value = config.get(key, default)
        sensible = isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**7
        return value if sensible else default

    d = size("d_model", 512)
    vocab = size("vocab_size", 1)
    ffn = size("encoder_ffn_dim", 4 * d), size("decoder_ffn_dim", 4 * d)
    layers = size("encoder_layers", 6), size("decoder_layers", 6)
    # Attention (4 d²) and feed-forward (2 d·ffn) per layer, plus cross-attention in the
    # decoder, plus one shared embedding matrix.
    weights = (layers[0] * (4 * d * d + 2 * d * ffn[0])
               + layers[1] * (8 * d * d + 2 * d * ffn[1]) + vocab * d)
    return weights * _BYTES_PER_WEIGHT.get(quantization, 4)


class HubJob:
    """One install's filler: download into the store's sources folder, convert into staging.

    It runs inside ``Store.install``, which holds the model's lock and gives the folders
    (``work``); the store then checks the staged package and puts it in place.
    """

    def __init__(
        self, source: HubSource, details: PackageDetails, client: HubClient,
        snapshot: HubSnapshot, quantization: str, report: ProgressCallback,
        control: PauseToken | None, work: Workspace,
    ) -> None:
        self.source = source
        self.details = details
        self.client = client
        self.snapshot = snapshot
        self.quantization = quantization
        self.report = report
        self.control = control
        self.work = work
        self.source_dir = work.sources / snapshot.commit
        self.files = RepoFiles({f.path: f.size for f in snapshot.files},
                               f"{source.repo} (commit {snapshot.commit[:10]})")

    # ------------------------------------------------------------------ steps

    def run(self, *, keep_source: bool) -> None:
        """Fill ``work.staging`` with the package; what is downloaded goes to ``work.sources``.

        A checkpoint that cannot be converted is deleted unless ``keep_source``.
        """
        self._forget_other_commits()
        try:
            if self.source.format == "ctranslate2":
                self._stage_ctranslate2()
            else:
                self._convert_transformers()
        except ConversionError:
            # The same files would fail the same way: keeping them only fills the disk.
            if not keep_source:
                self.work.forget_sources()
            raise
        self.report(InstallProgress(PHASE_INSTALL, 0, 1))

    def _convert_transformers(self) -> None:
        staging = self.work.staging
        config = read_json_file(self._fetch_small(CONFIG), f"{self.source.repo}/{CONFIG}")
        family = self._family(config)
        wanted = transformers_files(self.files, family)
        index, weights = weight_plan(self.files)
        if index is not None:
            weights = [index, *shards_of(self._fetch_small(index), self.files, index)]
        names = list(dict.fromkeys([*wanted, *weights]))
        self._check_space(names, estimated_converted_size(config, self.quantization))
        self._download(names)
        converted = self._convert(staging)
        manifest = self._manifest(converted, names)
        self._write_card(staging, manifest)
        write_manifest(staging, replace(manifest, files=describe_files(staging)))

    # ------------------------------------------------------------------ download

    def _forget_other_commits(self) -> None:
        """Partial files of an older commit of this model can never be used: delete them."""
        self.work.forget_sources(keep=self.snapshot.commit)

    def _fetch_small(self, name: str) -> bytes:
        """Download one small file (a config, an index) now and return its bytes."""
        self._download([name], report=False)
        return (self.source_dir / name).read_bytes()

    def _download(self, names: Sequence[str], *, report: bool = True) -> None:
        def on_progress(state: DownloadProgress) -> None:
            self.report(InstallProgress(PHASE_DOWNLOAD, state.downloaded_bytes,
                                        state.total_bytes, state))

        self.source_dir.mkdir(parents=True, exist_ok=True)
        self.client.download(self.snapshot, names, self.source_dir,
                             progress=on_progress if report else None, control=self.control)

    def _check_space(self, names: Sequence[str], converted: int) -> None:
        from terjman_desktop.core.models.download_state import bytes_present

        remaining = sum(
            remote.size - bytes_present(remote, self.source_dir)
            for remote in (self.snapshot.file(n).remote_file() for n in names)
        )
        diskspace.ensure_free_space(
            self.work.staging, max(0, remaining) + converted,
            f"download and convert {self.details.name}",
            hint="Free some disk space (the download and the converted model need it at "
            "the same time), then try again; what was downloaded is kept.",
        )

    # ------------------------------------------------------------------ conversion

    def _family(self, config: Any) -> str:
        from terjman_desktop.core.models.convert import inspect_config

        family = inspect_config(config)
        if self.source.family and family != self.source.family:
            raise PackageError(
                f"{self.source.repo} holds a {family} model, not the {self.source.family} "
                "model the catalog expects.",
                hint="The catalog is out of date: refresh it, or install the repository by "
                "name with `terjman models install ORG/NAME`.",
            )
        return family

    def _convert(self, staging: Path) -> ConvertedModel:
        from terjman_desktop.core.models.convert import convert_checkpoint

        def on_progress(done: int, total: int) -> None:
            self.report(InstallProgress(PHASE_CONVERT, done, total))

        self.report(InstallProgress(PHASE_CONVERT, 0, 1))
        return convert_checkpoint(self.source_dir, staging, quantization=self.quantization,
                                  progress=on_progress, cancel=self.control)

    # ------------------------------------------------------------------ the package

    def _manifest(self, converted: ConvertedModel, names: Sequence[str]) -> Manifest:
        """The manifest, its file list still to be filled in once the folder is complete."""
        family = converted.family
        directions, language_tokens, target_tokens = decoding_choices(
            self.source, self.details, converted)
        for token in self.source.source_prefix:
            if not converted.has_token(token):
                raise PackageError(
                    f"{self.source.repo}: the source prefix token '{token}' is not in the "
                    "model's vocabulary.",
                    hint="The catalog's source_prefix is wrong for this model; refresh it.",
                )
        tokenizer = TokenizerFiles(*FAMILIES[family].package_tokenizer)
        return Manifest(
            id=self.details.model_id,
            name=self.details.name,
            version=self.details.version,
            family=family,
            directions=directions,
            tokenizer=tokenizer,
            quantization=self.quantization,
            files=(),
            language_tokens=language_tokens,
            target_language_tokens=target_tokens,
            source_prefix=tuple(self.source.source_prefix),
            base_model=self.details.base_model or self.source.repo,
            license=self.details.license,
            metrics=dict(self.details.metrics),
            max_input_tokens=converted.max_input_tokens,
            forced_eos=converted.forced_eos,
            extra={
                "attribution": self.details.attribution,
                "source": self._source_record(names),
            },
        )

    def _source_record(self, names: Sequence[str]) -> dict[str, Any]:
        files = []
        for name in names:
            hub_file = self.snapshot.file(name)
            record: dict[str, Any] = {"path": name, "size": hub_file.size}
            if hub_file.sha256:
                record["sha256"] = hub_file.sha256
            else:
                record["git_sha1"] = hub_file.blob_id
            files.append(record)
        return {
            **self.source.to_json(),
            "commit": self.snapshot.commit,
            "files": files,
            "converter": {"program": "terjman-desktop", "version": __version__,
                          "quantization": self.quantization},
        }

    def _write_card(self, staging: Path, manifest: Manifest) -> None:
        directions = ", ".join(str(d) for d in manifest.directions)
        lines = [
            f"# {manifest.name}",
            "",
            f"Converted on this computer by Terjman Desktop {__version__} from the Hugging "
            f"Face repository `{self.source.repo}` at commit `{self.snapshot.commit}`.",
            "",
            f"- Family: {manifest.family}",
            f"- Directions: {directions}",
            f"- Quantization: {manifest.quantization} (CTranslate2)",
            f"- License: {manifest.license or 'see the repository'}",
        ]
        if self.details.attribution:
            lines.append(f"- Attribution: {self.details.attribution}")
        lines += ["", f"Source: {self.client.repo_url(self.source.repo)}", ""]
        (staging / "README.md").write_text("\n".join(lines), encoding="utf-8")

    # ------------------------------------------------------------------ ctranslate2 repos

    def _stage_ctranslate2(self) -> None:
        from terjman_desktop.core.translate import read_manifest

        family = self.source.family or MARIAN.name
        names = ctranslate2_files(self.files, family)
        if names == [MANIFEST_NAME]:
            self._download(names, report=False)
            listed = read_manifest(self.source_dir)
            if listed.id != self.details.model_id:
                raise PackageError(
                    f"{self.source.repo} holds the package '{listed.id}', not "
                    f"'{self.details.model_id}'.",
                    hint="The catalog and the repository disagree: refresh the catalog.",
                )
            names = [MANIFEST_NAME, *(entry.path for entry in listed.files)]
            self.files.require(names, "its manifest lists it")
        self._check_space(names, 0)
        self._download(names)
        staging = self.work.staging
        import shutil

        for name in names:
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.source_dir / name, target)
        if not (staging / MANIFEST_NAME).exists():
            raise PackageError(
                f"{self.source.repo} has no {MANIFEST_NAME}.",
                hint="Only CTranslate2 repositories that hold a Terjman package (made by "
                "`trainer release`) can be installed without conversion.",
            )
