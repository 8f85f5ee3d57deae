"""``trainer evaluate``: BLEU, chrF++ and TER of a checkpoint or an exported package.

A Hugging Face checkpoint folder is translated with ``generate``; a package folder (one with
``terjman-model.json``) is translated through ``terjman_desktop.core.translate.engine.Translator``,
the code the app runs, so what is measured is what users get. The test set is a JSONL file
written by ``trainer data`` (``test.jsonl``) or any CSV/TSV/JSONL file or Hugging Face dataset
with a column mapping, such as TerjamaBench with its topic column. Writes ``eval.json``,
``eval.md`` and ``hypotheses.jsonl``.
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.checkpoints import SUMMARY_NAME
from trainer.config import option
from trainer.corpus import Example, SourceSpec, load_pairs, read_examples
from trainer.errors import ConfigError, TrainerError
from trainer.families import family_of_checkpoint
from trainer.generation import Decoding, HFTranslator, package_translate
from trainer.metrics import BLEU_TOKENIZERS, score_examples
from trainer.normalization import normalize_text
from trainer.report import scores_markdown

logger = logging.getLogger(__name__)
MANIFEST = "terjman-model.json"


@dataclass
class EvalArgs:
    """Arguments of ``trainer evaluate``."""

    model: str = option(help="a Hugging Face checkpoint folder or an exported package folder",
                        positional=True)
    test_file: str | None = option(None, "test.jsonl from `trainer data`, or a CSV/TSV/JSONL "
                                   "file with source_column/target_column")
    test_dataset: str | None = option(None, "a Hugging Face dataset, e.g. atlasia/TerjamaBench")
    test_split: str = option("test", "split of test_dataset")
    source_column: str | None = option(None, "source column of a raw test file or dataset")
    target_column: str | None = option(None, "target column of a raw test file or dataset")
    topic_column: str | None = option(None, "topic column, for per-topic scores")
    source_lang: str = option("en", "language of source_column")
    target_lang: str = option("ary", "language of target_column")
    directions: list[str] = option(factory=list, help="directions to score (default: every "
                                   "direction of the test set the model translates)")
    max_sentences: int | None = option(None, "score at most this many sentences per direction")
    num_beams: int = option(4, "beam size")
    max_new_tokens: int = option(256, "length limit of a translation, in tokens")
    batch_size: int = option(32, "sentences per batch (Hugging Face side)")
    bleu_tokenize: str = option("13a", f"sacrebleu BLEU tokenizer: {', '.join(BLEU_TOKENIZERS)}")
    device: str = option("auto", "auto, cpu or cuda")
    benchmark: str | None = option(None, "name of the test set in reports and the catalog")
    output_dir: str | None = option(None, "where to write the report (default: <model>.eval)")

    def __post_init__(self) -> None:
        if (self.test_file is None) == (self.test_dataset is None):
            raise ConfigError("Give exactly one of --test-file or --test-dataset.")
        if self.bleu_tokenize not in BLEU_TOKENIZERS:
            raise ConfigError(
                f"bleu_tokenize '{self.bleu_tokenize}' is not one of {', '.join(BLEU_TOKENIZERS)}."
            )


def is_package(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def load_test_examples(args: EvalArgs) -> list[Example]:
    """The test examples, both directions of every pair for raw sources."""
    if args.test_file is not None and args.source_column is None:
        return read_examples(args.test_file)
    if args.source_column is None or args.target_column is None:
        raise ConfigError("A test dataset needs --source-column and --target-column.")
    spec = SourceSpec(
        source_column=args.source_column, target_column=args.target_column,
        path=args.test_file, dataset=args.test_dataset, split=args.test_split,
        topic_column=args.topic_column,
    )
    examples = []
    for index, pair in enumerate(load_pairs(spec)):
        source, target = normalize_text(pair.source), normalize_text(pair.target)
        if not source or not target:
            continue
        examples.append(Example(f"test-{index}-f", source, target, args.source_lang,
                                args.target_lang, pair.topic))
        examples.append(Example(f"test-{index}-r", target, source, args.target_lang,
                                args.source_lang, pair.topic))
    return examples


def model_directions(folder: Path) -> tuple[list[str], list[str]]:
    """Directions a model translates, and the source prefix tokens it needs."""
    if is_package(folder):
        from terjman_desktop.core.translate.package import load_package

        manifest = load_package(folder).manifest
        return [f"{d.source}-{d.target}" for d in manifest.directions], []
    summary_path = folder / SUMMARY_NAME
    if summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        return list(summary["directions"]), list(summary.get("source_prefix", []))
    family = family_of_checkpoint(folder)
    return [f"{source}-{target}" for source, target in family.default_directions], []


def translate_examples(
    folder: Path, examples: list[Example], decoding: Decoding, device: str,
    source_prefix: list[str],
) -> list[str]:
    """Hypotheses for ``examples``, direction by direction, in order."""
    hypotheses = [""] * len(examples)
    groups: dict[tuple[str, str], list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault((example.src_lang, example.tgt_lang), []).append(index)
    translator = None if is_package(folder) else HFTranslator.from_pretrained(
        folder, source_prefix, device)
    for (src, tgt), indices in groups.items():
        sources = [examples[i].source for i in indices]
        if translator is None:
            outputs = package_translate(folder, sources, src, tgt, decoding, device)
        else:
            outputs = translator.translate(sources, src, tgt, decoding)
        for index, output in zip(indices, outputs, strict=True):
            hypotheses[index] = output
    return hypotheses


def run_evaluation(args: EvalArgs) -> dict[str, Any]:
    """Translate the test set, score it and write the reports; returns the JSON report."""
    folder = Path(args.model)
    if not folder.is_dir() or not ((folder / "config.json").is_file() or is_package(folder)):
        raise TrainerError(
            f"{folder} is neither a Hugging Face checkpoint folder (config.json) nor a model "
            "package (terjman-model.json)."
        )
    supported, prefix = model_directions(folder)
    wanted = args.directions or supported
    unsupported = [d for d in wanted if d not in supported]
    if unsupported:
        raise TrainerError(f"{folder} does not translate {', '.join(unsupported)}; it "
                           f"translates {', '.join(supported)}.")
    examples = [e for e in load_test_examples(args) if e.direction in wanted]
    if args.max_sentences is not None:
        counts: dict[str, int] = {}
        kept = []
        for example in examples:
            counts[example.direction] = counts.get(example.direction, 0) + 1
            if counts[example.direction] <= args.max_sentences:
                kept.append(example)
        examples = kept
    if not examples:
        raise TrainerError(f"The test set has no examples for {', '.join(wanted)}.")
    decoding = Decoding(args.num_beams, args.max_new_tokens, args.batch_size)
    started = time.perf_counter()
    hypotheses = translate_examples(folder, examples, decoding, args.device, prefix)
    seconds = time.perf_counter() - started
    test_label = args.test_file or f"{args.test_dataset}:{args.test_split}"
    report = {
        "model": str(folder),
        "kind": "ctranslate2 package (terjman engine)" if is_package(folder) else "huggingface",
        "test": test_label,
        "benchmark": args.benchmark or Path(str(test_label)).stem.split(":")[0],
        "decoding": {"num_beams": args.num_beams, "max_new_tokens": args.max_new_tokens},
        "seconds": round(seconds, 2),
        "directions": score_examples(examples, hypotheses, args.bleu_tokenize),
    }
    out = Path(args.output_dir) if args.output_dir else folder.with_name(folder.name + ".eval")
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    (out / "eval.md").write_text(scores_markdown(report), "utf-8")
    with (out / "hypotheses.jsonl").open("w", encoding="utf-8") as handle:
        for example, hypothesis in zip(examples, hypotheses, strict=True):
            handle.write(json.dumps({"id": example.id, "direction": example.direction,
                                     "source": example.source, "reference": example.target,
                                     "hypothesis": hypothesis}, ensure_ascii=False) + "\n")
    logger.info("Wrote %s", out)
    return report
