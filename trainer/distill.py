"""``trainer distill``: a big teacher's translations teach a small, fast student.

The way Bergamot builds its fast students, for Darija:

1. **translate** — a monolingual corpus is translated by a teacher *package* (Ultra or
   Supreme, exported by ``trainer export``) through the app's CTranslate2 path
   (:mod:`trainer.teacher`: the app's tokenizer, batches and length limits, on every device
   of the machine). English sentences give English → Darija pairs whose Darija the teacher
   wrote (distillation); Darija sentences give pairs whose English the teacher wrote
   (back-translation: real Darija targets for an English → Darija student, and distillation
   for a Darija → English one). Under ``torchrun``/``accelerate launch`` each process takes
   the blocks of sentences its ``RANK`` owns (:mod:`trainer.sharding`).
2. **merge** — once every rank is done, the shards are merged in sentence order into
   ``synthetic/<corpus>.jsonl``: the same bytes whatever the number of machines.
3. **data** — the student's data step (its recipe's ``data`` section: the real corpora and
   the fixed test set) with the synthetic corpora added as ``train_only`` sources, after the
   real ones, with ``synthetic_weight``: the pairs are filtered by the same rules (empty,
   length ratio, copies, repeated n-grams, near-duplicates of a sentence an earlier source
   gave) and never reach dev or test. Writes ``data/`` and ``student.yaml``.
4. **train** — the student's recipe (``nano.yaml``/``large.yaml``) on that data, in
   ``student/``; for several GPUs run ``torchrun … -m trainer train --config
   <output_dir>/student.yaml`` instead.

By default one process runs all four; under a world size above 1 it runs only ``translate``
(then run ``--stages merge data train`` once, with ``--world-size``).
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.config import config_section, load_config, option, read_config_file, to_dict
from trainer.corpus import MonolingualSpec, numbered_sentences
from trainer.errors import ConfigError, DataError
from trainer.progress import Progress
from trainer.sharding import Shard, ShardWriter, merge_shards, read_done, shard_path

logger = logging.getLogger(__name__)

STAGES = ("translate", "merge", "data", "train")
LANGUAGES = ("en", "ary")


@dataclass
class DistillArgs:
    """Arguments of ``trainer distill``."""

    output_dir: str = option(
        help="folder for shards/, synthetic/, data/, student.yaml and student/"
    )
    teacher: str | None = option(
        None, "the teacher's package folder (an exported Ultra or Supreme package)"
    )
    monolingual: list[MonolingualSpec] = option(
        factory=list,
        help="corpora to translate: a list of {path|dataset, column, lang: "
        "en|ary, name} (usually set in the config file)",
    )
    student_config: str | None = option(
        None,
        "the student's recipe (trainer/configs/nano.yaml or large.yaml): its data "
        "section gives the real corpora and the test set, its train section the training",
    )
    data_overrides: dict[str, Any] = option(
        factory=dict, help="options replacing the student's data section's (inline YAML)"
    )
    train_overrides: dict[str, Any] = option(
        factory=dict, help="options replacing the student's train section's (inline YAML)"
    )
    synthetic_weight: float = option(
        1.0, "weight of each synthetic corpus in the training mix (see data sources' weight)"
    )
    stages: list[str] = option(
        factory=list,
        help=f"stages to run, of {', '.join(STAGES)} (default: all; only "
        "translate under a world size above 1)",
    )
    num_beams: int = option(4, "the teacher's beam size")
    max_new_tokens: int = option(256, "hard cap on a translation's length, in tokens")
    max_length_ratio: float = option(
        3.0, "stop a translation at this many times its source's tokens + 10 (the app's rule)"
    )
    max_batch_tokens: int = option(4096, "padded source tokens × beam per model call")
    max_source_chars: int = option(
        400, "leave out longer sentences (the data step would drop them)"
    )
    block_size: int = option(10000, "sentences per block: the unit shards are made of")
    device: str = option("auto", "auto, cpu or cuda")
    device_index: list[int] = option(factory=list, help="GPUs to use (default: all of them)")
    replicas_per_device: int = option(
        1, "model replicas per device (CPU: parallel translations of `threads` threads each)"
    )
    threads: int = option(0, "CPU threads per replica (0: the physical cores)")
    rank: int | None = option(None, "this process's shard (default: $RANK, else 0)")
    world_size: int | None = option(None, "number of shards (default: $WORLD_SIZE, else 1)")
    progress_seconds: float = option(10.0, "seconds between two progress lines")

    def __post_init__(self) -> None:
        unknown = [s for s in self.stages if s not in STAGES]
        if unknown:
            raise ConfigError(f"Unknown stage '{unknown[0]}'; the stages are {', '.join(STAGES)}.")
        for spec in self.monolingual:
            if spec.lang not in LANGUAGES:
                raise ConfigError(
                    f"The monolingual corpus {spec.label} has lang '{spec.lang}'; use en or ary."
                )
        labels = [spec.label for spec in self.monolingual]
        if len(set(labels)) != len(labels):
            raise ConfigError("Two monolingual corpora have the same name; give each a 'name'.")
        for name in (
            "num_beams",
            "max_new_tokens",
            "max_batch_tokens",
            "block_size",
            "max_source_chars",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1.")
        if not self.max_length_ratio > 0 or not self.synthetic_weight > 0:
            raise ConfigError("max_length_ratio and synthetic_weight must be positive.")


def _stages(args: DistillArgs, shard: Shard) -> list[str]:
    if args.stages:
        return [s for s in STAGES if s in args.stages]
    return ["translate"] if shard.world_size > 1 else list(STAGES)


def _other(lang: str) -> str:
    return "ary" if lang == "en" else "en"


Block = list[tuple[int, str]]


class _BlockProgress:
    """The teacher's per-block (done, total) as progress through the whole shard."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.base = 0

    def __call__(self, done: int, _total: int) -> None:
        self.progress(self.base + done, self.progress.total)


def _blocks(spec: MonolingualSpec, args: DistillArgs) -> Iterator[tuple[int, Block]]:
    """The corpus's numbered sentences, ``block_size`` at a time, with the block number."""
    block: Block = []
    for index, sentence in numbered_sentences(spec, args.max_source_chars):
        if block and index // args.block_size != block[0][0] // args.block_size:
            yield block[0][0] // args.block_size, block
            block = []
        block.append((index, sentence))
    if block:
        yield block[0][0] // args.block_size, block


def _settings(
    args: DistillArgs, teacher: Any, spec: MonolingualSpec, sentences: int
) -> dict[str, Any]:
    """What a shard depends on: shards made with other settings do not merge."""
    return {
        "corpus": spec.label,
        "direction": f"{spec.lang}-{_other(spec.lang)}",
        "corpus_sentences": sentences,
        "teacher": teacher.manifest.id,
        "teacher_version": teacher.manifest.version,
        "num_beams": args.num_beams,
        "max_new_tokens": args.max_new_tokens,
        "max_length_ratio": args.max_length_ratio,
        "block_size": args.block_size,
        "max_source_chars": args.max_source_chars,
    }


def translate_stage(args: DistillArgs, shard: Shard) -> dict[str, Any]:
    """Translate this shard of every monolingual corpus; returns rows written per corpus."""
    from terjman_desktop.core.translate.options import TranslationOptions
    from trainer.teacher import Teacher

    if not args.teacher:
        raise ConfigError("The translate stage needs a teacher package: --teacher FOLDER.")
    if not args.monolingual:
        raise ConfigError(
            "The translate stage needs monolingual corpora: a 'monolingual' "
            "list in the distill section, e.g. [{path: en.txt, lang: en}]."
        )
    teacher = Teacher(
        args.teacher,
        device=args.device,
        device_index=args.device_index,
        replicas_per_device=args.replicas_per_device,
        threads=args.threads,
    )
    options = TranslationOptions(
        beam_size=args.num_beams,
        max_length=args.max_new_tokens,
        max_length_ratio=args.max_length_ratio,
        max_batch_tokens=args.max_batch_tokens,
        use_vmap=False,
    )
    folder = Path(args.output_dir) / "shards"
    try:
        return {
            spec.label: _translate_corpus(args, teacher, options, spec, shard, folder)
            for spec in args.monolingual
        }
    finally:
        teacher.unload()


def _translate_corpus(
    args: DistillArgs,
    teacher: Any,
    options: Any,
    spec: MonolingualSpec,
    shard: Shard,
    folder: Path,
) -> dict[str, Any]:
    """Translate this shard's blocks of one corpus, continuing an interrupted shard."""
    src, tgt = spec.lang, _other(spec.lang)
    if not teacher.manifest.supports(src, tgt):
        raise ConfigError(
            f"The teacher {teacher.manifest.id} does not translate {src}-{tgt}, which the "
            f"corpus {spec.label} needs; it translates {', '.join(teacher.directions())}."
        )
    total = owned = 0
    for block, sentences in _blocks(spec, args):
        total += len(sentences)
        owned += len(sentences) if shard.owns(block) else 0
    path = shard_path(folder, spec.label, shard)
    settings = _settings(args, teacher, spec, total)
    done = read_done(path)
    if (
        done is not None
        and {k: v for k, v in done.items() if k not in ("rows", "sha256")} == settings
    ):
        logger.info("%s is already translated (%d sentences)", path, done["rows"])
        return {"rows": done["rows"], "resumed": True}
    writer = ShardWriter(path, settings)
    continued = len(writer.blocks_done)
    if continued:
        logger.info("%s: continuing after %d finished blocks", path, continued)
    progress = Progress(
        f"{spec.label} {src}-{tgt} {shard.name}", owned, every=args.progress_seconds
    )
    block_progress = _BlockProgress(progress)
    try:
        for block, sentences in _blocks(spec, args):
            if not shard.owns(block):
                continue
            if block not in writer.blocks_done:
                texts = [sentence for _, sentence in sentences]
                outputs = teacher.translate(texts, src, tgt, options, block_progress)
                writer.write(
                    {"index": index, src: sentence, tgt: output, "synthetic": tgt}
                    for (index, sentence), output in zip(sentences, outputs, strict=True)
                )
                writer.block_done(block)
            block_progress.base += len(sentences)
    finally:
        writer.close()  # finished blocks stay for the next run to continue from
    progress(owned, owned)
    record = writer.finish()
    result: dict[str, Any] = {"rows": record["rows"], "of": total, "file": str(path)}
    if continued:
        result["continued_after_blocks"] = continued
    return result


def merge_stage(args: DistillArgs, world_size: int) -> dict[str, Any]:
    """Merge every corpus's shards into ``synthetic/<corpus>.jsonl``."""
    out = Path(args.output_dir)
    merged: dict[str, Any] = {}
    for spec in args.monolingual:
        target = out / "synthetic" / f"{spec.label}.jsonl"
        record = merge_shards(out / "shards", spec.label, world_size, target)
        if record["rows"] != record["corpus_sentences"]:
            raise DataError(
                f"{spec.label}: the shards hold {record['rows']} of the corpus's "
                f"{record['corpus_sentences']} sentences; translate them again."
            )
        (out / "synthetic" / f"{spec.label}.merge.json").write_text(
            json.dumps(record, indent=2), encoding="utf-8"
        )
        merged[spec.label] = {
            "rows": record["rows"],
            "file": str(target),
            "sha256": record["sha256"],
        }
    return merged


def _student_section(args: DistillArgs, section: str) -> dict[str, Any]:
    if not args.student_config:
        return {}
    data = config_section(read_config_file(args.student_config), section, args.student_config)
    return {str(k).replace("-", "_"): v for k, v in data.items()}


def student_data_args(args: DistillArgs) -> Any:
    """The student's data arguments with the synthetic corpora added (train only, last)."""
    from trainer.data import DataArgs

    base = {**_student_section(args, "data"), **args.data_overrides}
    source_lang, target_lang = base.get("source_lang", "en"), base.get("target_lang", "ary")
    if {source_lang, target_lang} != set(LANGUAGES):
        raise ConfigError(
            f"The student's data is {source_lang}-{target_lang}; distillation makes en/ary pairs."
        )
    out = Path(args.output_dir)
    synthetic = []
    for spec in args.monolingual:
        path = out / "synthetic" / f"{spec.label}.jsonl"
        if not path.is_file():
            raise ConfigError(f"{path} does not exist: run the translate and merge stages first.")
        synthetic.append(
            {
                "path": str(path),
                "source_column": source_lang,
                "target_column": target_lang,
                "name": f"synthetic-{spec.label}",
                "train_only": True,
                "weight": args.synthetic_weight,
            }
        )
    overrides = {
        **args.data_overrides,
        "output_dir": str(out / "data"),
        "overwrite": True,
        "sources": list(base.get("sources", [])) + synthetic,
    }
    return load_config(DataArgs, "data", args.student_config, overrides)


def student_train_args(args: DistillArgs) -> Any:
    from trainer.train import TrainArgs

    out = Path(args.output_dir)
    overrides = {
        **args.train_overrides,
        "data_dir": str(out / "data"),
        "output_dir": str(out / "student"),
    }
    return load_config(TrainArgs, "train", args.student_config, overrides)


def data_stage(args: DistillArgs) -> dict[str, Any]:
    import yaml

    from trainer.data import prepare

    data_args = student_data_args(args)
    train_args = student_train_args(args)  # checked now, before the data is written
    report = prepare(data_args)
    (Path(args.output_dir) / "student.yaml").write_text(
        yaml.safe_dump(
            {"data": to_dict(data_args), "train": to_dict(train_args)},
            allow_unicode=True,
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    return {
        "splits": report["splits"],
        "dropped": report["dropped"],
        "mixing": report["mixing"],
        "report": f"{data_args.output_dir}/report.md",
    }


def train_stage(args: DistillArgs) -> dict[str, Any]:
    from trainer.train import run_training

    summary: dict[str, Any] = run_training(student_train_args(args))
    return summary


def run_distill(args: DistillArgs) -> dict[str, Any]:
    """Run the stages asked for (see the module's docstring); returns what each did."""
    shard = Shard.from_env(args.rank, args.world_size)
    result: dict[str, Any] = {"shard": shard.name}
    for stage in _stages(args, shard):
        logger.info("distill: %s", stage)
        if stage == "translate":
            result["translate"] = translate_stage(args, shard)
        elif stage == "merge":
            result["merge"] = merge_stage(args, shard.world_size)
        elif stage == "data":
            result["data"] = data_stage(args)
        else:
            result["train"] = train_stage(args)
    return result
