"""Writing a Terjman model package (DESIGN.md, format 1) from a Hugging Face checkpoint.

The package is written to a temporary sibling folder and renamed into place only once its
manifest lists every file with its hash and the folder loads as a package, so a failed export
never leaves a half-written model behind.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from terjman_desktop.core.models.convert import convert_checkpoint
from terjman_desktop.core.translate.manifest import Direction, Manifest, TokenizerFiles
from terjman_desktop.core.translate.package import (
    ModelPackage,
    describe_files,
    load_package,
    write_manifest,
)
from trainer.errors import TrainerError
from trainer.families import family_of_checkpoint

logger = logging.getLogger(__name__)

# The CTranslate2 weight types a package may have (the converter's QUANTIZATIONS).
Quantization = Literal["int8", "int8_float16", "int8_float32", "int8_bfloat16", "float16",
                       "bfloat16", "float32"]


@dataclass
class PackageInfo:
    """What the manifest says about the model besides its files."""

    model_id: str
    name: str
    version: str = "0.0"
    directions: Sequence[tuple[str, str]] | None = None
    base_model: str = ""
    license: str = "cc-by-nc-4.0"
    attribution: str = "AtlasIA (Terjman models); converted with CTranslate2"
    metrics: Mapping[str, Any] = field(default_factory=dict)
    source_prefix: Sequence[str] = ()
    target_prefix: Sequence[str] = ()
    training_data: str = ""


def _model_card(info: PackageInfo, family: str, quantization: str) -> str:
    directions = ", ".join(f"{s}→{t}" for s, t in info.directions or ())
    metrics = json.dumps(dict(info.metrics), indent=2, ensure_ascii=False) if info.metrics else ""
    lines = [
        f"# {info.name}",
        "",
        f"Terjman model package `{info.model_id}` (version {info.version}) for Terjman Desktop.",
        "",
        f"- Family: {family}",
        f"- Directions: {directions}",
        f"- Base model: {info.base_model or 'unknown'}",
        f"- Quantization: {quantization} (CTranslate2)",
        f"- License: {info.license}",
        f"- Attribution: {info.attribution}",
    ]
    if info.training_data:
        lines.append(f"- Training data: {info.training_data}")
    if metrics:
        lines += ["", "## Metrics", "", "```json", metrics, "```"]
    lines += [
        "",
        "Use it offline with `terjman translate --model <this folder>` or import it in the app.",
        "",
    ]
    return "\n".join(lines)


def export_package(
    checkpoint: Path | str,
    output_dir: Path | str,
    info: PackageInfo,
    *,
    quantization: str = "int8",
    overwrite: bool = False,
) -> ModelPackage:
    """Convert ``checkpoint`` and write a complete, verified package at ``output_dir``.

    Raises:
        TrainerError: ``output_dir`` exists (and not ``overwrite``), or the checkpoint lacks
            its SentencePiece files.
        ConversionError: the converter cannot convert the checkpoint.
    """
    checkpoint = Path(checkpoint)
    output_dir = Path(output_dir)
    if output_dir.exists() and not overwrite:
        raise TrainerError(f"{output_dir} exists.",
                           hint="Pass overwrite=True (--overwrite) to replace it.")
    model_family = family_of_checkpoint(checkpoint)
    family = model_family.name
    if info.directions is None:
        info.directions = list(model_family.default_directions)
    tokenizer_files = model_family.package_tokenizer
    for name in dict.fromkeys(tokenizer_files):
        if not (checkpoint / name).is_file():
            raise TrainerError(
                f"{checkpoint} has no {name}: export needs the checkpoint's SentencePiece files.",
                hint="Export a folder that `trainer train` wrote (its checkpoints carry them), "
                "or copy source.spm and target.spm (Marian) or sentencepiece.bpe.model (NLLB) "
                "from the base model.",
            )
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}-", dir=output_dir.parent))
    try:
        converted = convert_checkpoint(checkpoint, work / "model", quantization=quantization)
        staged = converted.output_dir
        (staged / "README.md").write_text(_model_card(info, family, quantization), "utf-8")
        manifest = Manifest(
            id=info.model_id,
            name=info.name,
            version=info.version,
            family=family,
            directions=tuple(Direction(s, t) for s, t in info.directions),
            language_tokens=dict(model_family.default_language_tokens),
            source_prefix=tuple(info.source_prefix),
            target_prefix=tuple(info.target_prefix),
            tokenizer=TokenizerFiles(*tokenizer_files),
            quantization=quantization,
            base_model=info.base_model,
            license=info.license,
            metrics=dict(info.metrics),
            max_input_tokens=converted.max_input_tokens,
            forced_eos=converted.forced_eos,
            files=describe_files(staged),
            extra={"attribution": info.attribution},
        )
        write_manifest(staged, manifest)
        load_package(staged, verify_hashes=True)
        if output_dir.exists():
            shutil.rmtree(output_dir)
        staged.rename(output_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    logger.info("Exported %s to %s", info.model_id, output_dir)
    return load_package(output_dir)
