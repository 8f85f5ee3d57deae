"""``trainer export``: checkpoint → verified model package → quality check.

Defaults come from the checkpoint's ``terjman_training.json`` when ``trainer train`` wrote
it (base model, directions, Marian source prefix, the dev file of its data), so after
training ``python -m trainer export runs/nano/best packages/terjman-nano-v2.1-int8`` is
enough. The check report is written beside the package (``<package>.check.json``/``.md``):
the package folder holds exactly the files its manifest lists. A vocabulary map
(``vmap.txt``, trainer/vocabulary_map.py) is built from the training split and checked on
dev unless ``--no-vmap``.
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trainer.checkpoints import training_summary
from trainer.config import option
from trainer.corpus import read_examples
from trainer.errors import ConfigError, TrainerError
from trainer.package import Quantization

logger = logging.getLogger(__name__)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


@dataclass
class ExportArgs:
    """Arguments of ``trainer export``."""

    checkpoint: str = option(help="Hugging Face checkpoint folder (model + tokenizer files)",
                             positional=True)
    output_dir: str = option(help="package folder to write; its name is the default model id",
                             positional=True)
    quantization: Quantization = option("int8", "CTranslate2 weight type of the package")
    model_id: str | None = option(None, "package id (default: the output folder's name)")
    name: str | None = option(None, "display name (default: from the id)")
    version: str = option("1.0", "model version")
    base_model: str | None = option(None, "Hub id of the model it was fine-tuned from")
    license: str = option("cc-by-nc-4.0", "license of the weights")
    attribution: str = option("Terjman models by AtlasIA (huggingface.co/atlasia); "
                              "converted with CTranslate2", "credit line for the model card")
    training_data: str | None = option(None, "training data, for the model card")
    directions: list[str] = option(factory=list, help="directions, e.g. en-ary ary-en "
                                   "(default: from training, else Marian en-ary, NLLB both)")
    source_prefix: list[str] | None = option(None, "extra source tokens (default: training's)")
    target_prefix: list[str] = option(factory=list, help="extra target tokens (Marian)")
    metrics_file: list[str] = option(factory=list, help="eval.json reports whose scores go "
                                     "into the manifest and model card")
    overwrite: bool = option(False, "replace an existing package folder")
    check: bool = option(True, "compare the package with the checkpoint on dev sentences")
    dev_file: str | None = option(None, "dev.jsonl for the check (default: training's data)")
    check_sentences: int = option(200, "dev sentences per direction for the check")
    check_metric: Literal["chrf", "bleu"] = option("chrf", "score the check compares")
    max_quality_drop: float = option(1.0, "largest allowed score drop (points) of the package")
    device: str = option("cpu", "device for the check (cpu runs what most users run)")
    vmap: bool = option(True, "add a vocabulary map (vmap.txt) built from the training split")
    vmap_file: str | None = option(None, "train.jsonl the map is built from (default: "
                                   "training's data; never the dev or test split)")
    vmap_sentences: int = option(10000, "training sentences per direction the map is built from")
    vmap_min_count: int = option(2, "sentences a source token and a target piece must share")
    vmap_max_per_token: int = option(100, "most candidates of one source token")
    vmap_always_keep: int = option(500, "most frequent written pieces kept for every sentence")
    vmap_max_drop: float = option(0.2, "largest allowed chrF++ drop (points) of the map on dev")
    decoding_search: bool = option(True, "search beam size and length penalty on dev and "
                                   "record the choice in the manifest (decoding)")
    decoding_beams: list[int] = option(factory=lambda: [1, 2, 4, 5],
                                       help="beam sizes the decoding search tries")
    decoding_length_penalties: list[float] = option(
        factory=lambda: [0.8, 1.0, 1.2], help="length penalties the decoding search tries")
    decoding_sentences: int = option(200, "dev sentences per direction for the decoding search")
    decoding_tolerance: float = option(0.1, "keep the cheapest setting within this many "
                                       "chrF++ points of the best")

    def resolved_id(self) -> str:
        model_id = self.model_id or Path(self.output_dir).name.lower()
        if not _ID.match(model_id):
            raise ConfigError(
                f"The model id '{model_id}' is not valid: use lowercase letters, digits, '.', "
                "'_' and '-' (e.g. terjman-nano-v2.1-int8); set --model-id."
            )
        return model_id


def training_data_label(summary: dict[str, Any]) -> str:
    """The training data's sources, as ``trainer data`` recorded them (no local paths)."""
    args_path = Path(summary.get("data_dir", "")) / "data_args.json"
    if not summary.get("data_dir") or not args_path.is_file():
        return ""
    settings = json.loads(args_path.read_text(encoding="utf-8"))
    names = [
        source.get("name") or source.get("dataset") or Path(source.get("path") or "").name
        for source in settings.get("sources", [])
    ]
    return ", ".join(n for n in names if n)


def _split_direction(direction: str) -> tuple[str, str]:
    parts = direction.split("-")
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"The direction '{direction}' is not like en-ary.")
    return parts[0], parts[1]


def _add_map(args: ExportArgs, package: Path, summary: dict[str, Any]) -> dict[str, Any] | None:
    """Build the package's vocabulary map from the training split; its figures, or None."""
    from terjman_desktop.core.translate.vocabulary_map import VocabularyMapParameters
    from trainer.vocabulary_map import add_package_map

    train_file = args.vmap_file or (
        str(Path(summary["data_dir"]) / "train.jsonl") if summary.get("data_dir") else None)
    if train_file is None:
        logger.warning("No vocabulary map: there is no training data to build it from (pass "
                       "--vmap-file DATA/train.jsonl, or --no-vmap).")
        return None
    parameters = VocabularyMapParameters(
        min_count=args.vmap_min_count, max_per_token=args.vmap_max_per_token,
        always_keep=args.vmap_always_keep)
    return add_package_map(package, read_examples(train_file), parameters=parameters,
                           max_sentences=args.vmap_sentences, device=args.device)


def run_export(args: ExportArgs) -> dict[str, Any]:
    """Export, then check; returns ``{"package": path, "check": report or None}``.

    Raises:
        QualityCheckError: the package scores worse than allowed (the report is written).
    """
    from trainer.metrics import metrics_from_reports
    from trainer.package import PackageInfo, export_package
    from trainer.quality import check_package, raise_if_failed, write_check_report

    checkpoint = Path(args.checkpoint)
    if not (checkpoint / "config.json").is_file():
        raise TrainerError(f"{checkpoint} is not a Hugging Face checkpoint folder (no "
                           "config.json); pass the folder `trainer train` wrote (…/best).")
    summary = training_summary(checkpoint)
    model_id = args.resolved_id()
    directions = args.directions or summary.get("directions") or []
    prefix = args.source_prefix if args.source_prefix is not None else summary.get(
        "source_prefix", [])
    info = PackageInfo(
        model_id=model_id,
        name=args.name or model_id.replace("-", " ").title(),
        version=args.version,
        directions=[_split_direction(d) for d in directions] or None,
        base_model=args.base_model or summary.get("base_model") or checkpoint.name,
        license=args.license,
        attribution=args.attribution,
        metrics=metrics_from_reports(args.metrics_file),
        source_prefix=prefix,
        target_prefix=args.target_prefix,
        training_data=args.training_data or training_data_label(summary),
    )
    output = Path(args.output_dir)
    export_package(checkpoint, output, info, quantization=args.quantization,
                   overwrite=args.overwrite)
    logger.info("Wrote package %s (%s)", output, args.quantization)
    vmap_stats = _add_map(args, output, summary) if args.vmap else None
    dev_file = args.dev_file or (
        str(Path(summary["data_dir"]) / "dev.jsonl") if summary.get("data_dir") else None)
    if not args.check:
        logger.warning("Skipping the quality check (--no-check): the package is unverified.")
        return {"package": str(output), "check": None,
                "decoding": _search_decoding(args, output, dev_file)}
    if dev_file is None:
        raise TrainerError(
            f"The package was written to {output} but not checked: there is no dev file.",
            hint="Pass --dev-file DATA/dev.jsonl (from `trainer data`), or --no-check to skip "
            "the check.",
        )
    report = check_package(
        checkpoint, output, read_examples(dev_file), max_drop=args.max_quality_drop,
        metric=args.check_metric, max_sentences=args.check_sentences, source_prefix=prefix,
        device=args.device,
    )
    if vmap_stats is not None:
        from trainer.vocabulary_map import check_vocabulary_map

        section = check_vocabulary_map(
            output, read_examples(dev_file), max_drop=args.vmap_max_drop,
            max_sentences=args.check_sentences, device=args.device)
        report["vocabulary_map"] = {"stats": vmap_stats, **section}
        report["passed"] = report["passed"] and section["passed"]
    report_path = output.with_name(output.name + ".check.json")
    write_check_report(report, report_path)
    raise_if_failed(report, report_path)
    return {"package": str(output), "check": report,
            "decoding": _search_decoding(args, output, dev_file)}


def _search_decoding(args: ExportArgs, package: Path, dev_file: str | None
                     ) -> dict[str, Any] | None:
    """The decoding search on dev, recorded in the manifest; its chosen settings, or None."""
    from trainer.decoding_search import record_decoding, search_decoding, write_report

    if not args.decoding_search:
        return None
    if dev_file is None:
        logger.warning("No decoding search: there is no dev file (pass --dev-file); the "
                       "package keeps the app's default search settings.")
        return None
    report = search_decoding(
        package, read_examples(dev_file), beams=args.decoding_beams,
        length_penalties=args.decoding_length_penalties, max_sentences=args.decoding_sentences,
        tolerance=args.decoding_tolerance, device=args.device)
    record_decoding(package, report["chosen"])
    path = write_report(report, package)
    logger.info("Decoding defaults %s (dev chrF++ %.2f, best %.2f), report %s",
                report["chosen"], report["chosen_chrf"], report["best_chrf"], path)
    chosen: dict[str, Any] = report["chosen"]
    return chosen
