"""``trainer evaluate``: BLEU, chrF++ and TER of a checkpoint or an exported package.

A Hugging Face checkpoint folder is translated with ``generate``; a package folder (one with
``terjman-model.json``) is translated through ``terjman_desktop.core.translate.engine.Translator``,
the code the app runs, so what is measured is what users get. The test set is a JSONL file
written by ``trainer data`` (``test.jsonl``) or any CSV/TSV/JSONL file or Hugging Face dataset
with a column mapping, such as TerjamaBench with its topic column; both routes read the test
set verbatim (:mod:`trainer.testset`), so they score the same sentences, and the report says
exactly how many. ``--benchmark terjamabench`` is a preset (:mod:`trainer.benchmarks`): the
published benchmark at a pinned revision, its shape checked, our figures beside AtlasIA's.

Progress (sentences/s, time left) is logged while translating, and a translation stops at
``max_length_ratio`` × its source length + 10 tokens (the app's rule), under the
``max_new_tokens`` cap, so a weak model's runaway outputs do not stretch a run to many
minutes. Writes ``eval.json``, ``eval.md`` and ``hypotheses.jsonl``.
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trainer import benchmarks
from trainer.checkpoints import SUMMARY_NAME
from trainer.config import option
from trainer.corpus import Example, SourceSpec, load_pairs, read_examples
from trainer.errors import ConfigError, TrainerError
from trainer.families import family_of_checkpoint
from trainer.generation import Decoding, HFTranslator, package_translate
from trainer.metrics import (
    ATLASIA_PROTOCOL,
    BLEU_TOKENIZERS,
    atlasia_scores,
    group_by_direction,
    score_examples,
)
from trainer.progress import Progress
from trainer.report import scores_markdown
from trainer.testset import TestSet, examples_from_pairs

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
    test_revision: str | None = option(None, "revision (commit) of test_dataset; a benchmark "
                                       "preset's pinned revision by default")
    source_column: str | None = option(None, "source column of a raw test file or dataset")
    target_column: str | None = option(None, "target column of a raw test file or dataset")
    topic_column: str | None = option(None, "topic column, for per-topic scores")
    source_lang: str = option("en", "language of source_column")
    target_lang: str = option("ary", "language of target_column")
    directions: list[str] = option(factory=list, help="directions to score (default: every "
                                   "direction of the test set the model translates)")
    max_sentences: int | None = option(None, "score at most this many sentences per direction")
    num_beams: int = option(4, "beam size")
    max_new_tokens: int = option(256, "hard cap on the length of a translation, in tokens")
    max_length_ratio: float = option(
        3.0, "stop a translation at this many times its source's tokens + 10 (the app's "
        "rule), under max_new_tokens: runaway outputs of weak models stop early"
    )
    batch_size: int = option(32, "sentences per batch (Hugging Face side)")
    engine: Literal["auto", "generate", "ctranslate2"] = option(
        "auto", "how to translate: auto = a package through the app's CTranslate2 engine, a "
        "checkpoint with generate; ctranslate2 = also a checkpoint, converted to a temporary "
        "float32 package first (many times faster than generate, same greedy output)"
    )
    bleu_tokenize: str = option("13a", f"sacrebleu BLEU tokenizer: {', '.join(BLEU_TOKENIZERS)}")
    device: str = option("auto", "auto, cpu or cuda")
    benchmark: str | None = option(
        None, "name of the test set in reports and the catalog; 'terjamabench' is a preset: "
        "atlasia/TerjamaBench at a pinned revision, its 850 sentences in 12 topics checked, "
        "compared with AtlasIA's published figures"
    )
    published_model: str | None = option(
        None, "the published model whose figures to print beside ours (default: the "
        "package's base_model)"
    )
    published_figures: str | None = option(
        None, "YAML/JSON file of published figures (default: "
        "trainer/configs/terjamabench_published.yaml)"
    )
    progress_seconds: float = option(5.0, "seconds between two progress lines")
    output_dir: str | None = option(None, "where to write the report (default: <model>.eval)")

    def __post_init__(self) -> None:
        bench = benchmarks.preset(self.benchmark)
        if bench is not None:  # the preset's dataset, unless a local copy is given
            self.benchmark = bench.name
            if self.test_file is None and self.test_dataset is None:
                self.test_dataset, self.test_split = bench.dataset, bench.split
        if (self.test_file is None) == (self.test_dataset is None):
            raise ConfigError("Give exactly one of --test-file or --test-dataset (or "
                              "--benchmark terjamabench).")
        if self.bleu_tokenize not in BLEU_TOKENIZERS:
            raise ConfigError(
                f"bleu_tokenize '{self.bleu_tokenize}' is not one of {', '.join(BLEU_TOKENIZERS)}."
            )
        if not self.max_length_ratio > 0 or self.max_new_tokens < 1 or self.num_beams < 1:
            raise ConfigError("max_length_ratio, max_new_tokens and num_beams must be positive.")


def is_package(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def is_examples_file(path: Path) -> bool:
    """Whether ``path`` is a JSONL file of examples as ``trainer data`` writes them."""
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        return False
    with path.open(encoding="utf-8-sig") as handle:
        first = next((line for line in handle if line.strip()), "")
    try:
        row = json.loads(first)
    except ValueError:
        return False
    return isinstance(row, dict) and {"source", "target", "src_lang", "tgt_lang"} <= set(row)


def load_test_set(args: EvalArgs) -> tuple[TestSet, dict[str, Any] | None]:
    """The test examples, verbatim, and the benchmark check when a preset is used.

    A ``test.jsonl`` of ``trainer data`` is read as written; a raw file or dataset gives
    both directions of every row (:func:`trainer.testset.examples_from_pairs`), the same
    examples ``trainer data`` writes for it.
    """
    bench = benchmarks.preset(args.benchmark)
    if args.test_file is not None and args.source_column is None and (
        bench is None or is_examples_file(Path(args.test_file))
    ):
        examples = read_examples(args.test_file)
        return TestSet(examples, len(examples), 0), None
    source_column, target_column, topic_column = (
        args.source_column, args.target_column, args.topic_column)
    if bench is not None:  # the preset's column mapping, for what was not given
        source_column = source_column or bench.source_column
        target_column = target_column or bench.target_column
        topic_column = topic_column or bench.topic_column
    if source_column is None or target_column is None:
        raise ConfigError("A test dataset needs --source-column and --target-column.")
    revision = args.test_revision
    if bench is not None and args.test_dataset == bench.dataset:
        revision = benchmarks.hub_revision(bench, revision)
    spec = SourceSpec(
        source_column=source_column, target_column=target_column,
        path=args.test_file, dataset=args.test_dataset, split=args.test_split,
        revision=revision, topic_column=topic_column,
    )
    rows = load_pairs(spec)
    check = None
    if bench is not None:
        check = {**benchmarks.check_shape(bench, rows), "dataset": args.test_dataset,
                 "file": args.test_file, "revision": revision}
    return examples_from_pairs(rows, args.source_lang, args.target_lang), check


def _base_model(folder: Path) -> str | None:
    """The model a package or checkpoint was made from, to find its published figures."""
    if is_package(folder):
        from terjman_desktop.core.translate.package import load_package

        return load_package(folder).manifest.base_model or None
    summary_path = folder / SUMMARY_NAME
    if summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        return str(summary.get("base_model") or "") or None
    return None


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
    source_prefix: list[str], progress_seconds: float = 5.0,
) -> list[str]:
    """Hypotheses for ``examples``, direction by direction, in order, logging progress."""
    hypotheses = [""] * len(examples)
    groups: dict[tuple[str, str], list[int]] = {}
    for index, example in enumerate(examples):
        groups.setdefault((example.src_lang, example.tgt_lang), []).append(index)
    translator = None if is_package(folder) else HFTranslator.from_pretrained(
        folder, source_prefix, device)
    for (src, tgt), indices in groups.items():
        sources = [examples[i].source for i in indices]
        progress = Progress(f"{src}-{tgt}", len(sources), every=progress_seconds)
        if translator is None:
            outputs = package_translate(folder, sources, src, tgt, decoding, device,
                                        progress=progress)
        else:
            outputs = translator.translate(sources, src, tgt, decoding, progress=progress)
        for index, output in zip(indices, outputs, strict=True):
            hypotheses[index] = output
    return hypotheses


def _evaluate_converted(checkpoint: Path, args: EvalArgs) -> dict[str, Any]:
    """Evaluate a checkpoint through the app's engine: a temporary float32 package of it."""
    import dataclasses
    import tempfile

    from trainer.package import PackageInfo, export_package

    directions, prefix = model_directions(checkpoint)
    with tempfile.TemporaryDirectory(prefix="terjman-eval-") as temporary:
        package = Path(temporary) / checkpoint.name
        logger.info("Converting %s to a float32 package to evaluate it with CTranslate2",
                    checkpoint)
        info = PackageInfo(
            model_id="evaluated-checkpoint", name=f"{checkpoint.name} (evaluation)",
            directions=[tuple(d.split("-", 1)) for d in directions],  # type: ignore[misc]
            base_model=_base_model(checkpoint) or checkpoint.name, source_prefix=prefix,
        )
        export_package(checkpoint, package, info, quantization="float32")
        out = args.output_dir or str(checkpoint.with_name(checkpoint.name + ".eval"))
        report = run_evaluation(dataclasses.replace(
            args, model=str(package), engine="auto", output_dir=out))
    report["model"] = str(checkpoint)
    report["kind"] = "huggingface checkpoint, converted to float32 (terjman engine)"
    Path(out, "eval.json").write_text(json.dumps(report, indent=2, ensure_ascii=False),
                                      "utf-8")
    Path(out, "eval.md").write_text(scores_markdown(report), "utf-8")
    return report


def run_evaluation(args: EvalArgs) -> dict[str, Any]:
    """Translate the test set, score it and write the reports; returns the JSON report."""
    folder = Path(args.model)
    if not folder.is_dir() or not ((folder / "config.json").is_file() or is_package(folder)):
        raise TrainerError(
            f"{folder} is neither a Hugging Face checkpoint folder (config.json) nor a model "
            "package (terjman-model.json)."
        )
    if is_package(folder) and args.engine == "generate":
        raise ConfigError(f"{folder} is a package: it translates with CTranslate2 only "
                          "(--engine auto or ctranslate2).")
    if args.engine == "ctranslate2" and not is_package(folder):
        return _evaluate_converted(folder, args)
    supported, prefix = model_directions(folder)
    wanted = args.directions or supported
    unsupported = [d for d in wanted if d not in supported]
    if unsupported:
        raise TrainerError(f"{folder} does not translate {', '.join(unsupported)}; it "
                           f"translates {', '.join(supported)}.")
    test_set, benchmark_check = load_test_set(args)
    examples = [e for e in test_set.examples if e.direction in wanted]
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
    decoding = Decoding(args.num_beams, args.max_new_tokens, args.batch_size,
                        args.max_length_ratio)
    started = time.perf_counter()
    hypotheses = translate_examples(folder, examples, decoding, args.device, prefix,
                                    args.progress_seconds)
    seconds = time.perf_counter() - started
    test_label = args.test_file or f"{args.test_dataset}:{args.test_split}"
    directions = score_examples(examples, hypotheses, args.bleu_tokenize)
    report: dict[str, Any] = {
        "model": str(folder),
        "kind": "ctranslate2 package (terjman engine)" if is_package(folder) else "huggingface",
        "test": test_label,
        "benchmark": args.benchmark or Path(str(test_label)).stem.split(":")[0],
        "decoding": {"num_beams": args.num_beams, "max_new_tokens": args.max_new_tokens,
                     "max_length_ratio": args.max_length_ratio},
        # Exactly what was scored: every sentence of the test set in each direction scored,
        # rows with an empty side (which cannot be scored) counted apart.
        "sentences_scored": len(examples),
        "test_rows": test_set.rows,
        "skipped_empty_rows": test_set.skipped_empty,
        "seconds": round(seconds, 2),
        "sentences_per_second": round(len(examples) / seconds, 1) if seconds > 0 else None,
        "directions": directions,
    }
    if benchmarks.preset(args.benchmark) is not None:
        report["benchmark_check"] = benchmark_check or {
            "note": "a prepared test.jsonl: the shape is checked on the raw benchmark only"}
        published = benchmarks.load_published(
            args.published_figures or benchmarks.PUBLISHED_FIGURES)
        model_name = args.published_model or _base_model(folder)
        protocol = {  # the published figures were computed this way, not as corpus scores
            direction: atlasia_scores([hypotheses[i] for i in indices],
                                      [examples[i].target for i in indices])
            for direction, indices in group_by_direction(examples).items()
        }
        report["published"] = benchmarks.compare(protocol, published, model_name)
        report["published"]["protocol"] = ATLASIA_PROTOCOL
        report["published"]["signatures"] = {
            d: scores["signatures"] for d, scores in protocol.items()}
        if args.max_sentences is not None:
            report["published"]["note"] = (
                f"only {args.max_sentences} sentences per direction were scored: not "
                "comparable with figures on the whole benchmark")
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
