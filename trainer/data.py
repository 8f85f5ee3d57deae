"""``trainer data``: read, clean, split and write parallel data, with a report.

The split is made on *pairs*, before directions are expanded, so a pair and its reverse
always land in the same split. Then the leakage check removes from train (and from dev) any
pair whose source or target also appears, up to case, punctuation, spacing and the
normalization training data gets, in a held-out split: a test sentence seen in training, in
either language, would make the test score a memory test. A final check proves the written
splits share no sentence.

A fixed test set (``test_sources``, e.g. TerjamaBench) is written as published: never
normalized, cleaned or filtered (:mod:`trainer.testset`), so ``trainer evaluate`` on
``test.jsonl`` and on the raw benchmark score the same sentences. Sources marked
``train_only`` (synthetic pairs) never reach dev or test, and each source's ``weight``
scales its share of the training split (:mod:`trainer.mixing`).

Output folder: ``train.jsonl``, ``dev.jsonl``, ``test.jsonl`` (one :class:`Example` per
line, both directions when ``bidirectional``), ``report.json``, ``report.md`` and
``data_args.json`` (the resolved arguments).
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
import random
from dataclasses import dataclass
from pathlib import Path

from trainer.cleaning import REASONS, CleanResult, clean_pairs, merge
from trainer.config import option, to_dict
from trainer.corpus import Example, RawPair, SourceSpec, load_pairs, write_examples
from trainer.errors import ConfigError, DataError
from trainer.mixing import apply_weights, source_label
from trainer.normalization import ArabicNormalization, match_key, normalize_text
from trainer.report import data_report_markdown
from trainer.testset import examples_from_pairs, is_scorable

logger = logging.getLogger(__name__)


@dataclass
class DataArgs:
    """Arguments of ``trainer data``."""

    output_dir: str = option(help="folder to write train/dev/test JSONL files and the report to")
    sources: list[SourceSpec] = option(
        factory=list, help="parallel corpora: a list of {path|dataset, source_column, "
        "target_column, topic_column, ...} (usually set in the config file)"
    )
    test_sources: list[SourceSpec] = option(
        factory=list, help="a fixed test set (e.g. atlasia/TerjamaBench) used instead of a "
        "random test split; training data overlapping it is removed"
    )
    source_lang: str = option("en", "language code of the sources' source_column")
    target_lang: str = option("ary", "language code of the sources' target_column")
    bidirectional: bool = option(False, "also write target→source examples (NLLB models)")
    arabic: ArabicNormalization = option(
        factory=ArabicNormalization, help="Arabic-script normalization rules"
    )
    scripts: dict[str, str] = option(
        factory=lambda: {"en": "latin", "ary": "arabic"},
        help="script each language must mostly be written in (latin or arabic)",
    )
    min_script_share: float = option(0.5, "least share of a side's letters in its script")
    max_chars: int = option(400, "drop pairs with a side longer than this many characters")
    max_words: int = option(100, "drop pairs with a side longer than this many words")
    max_length_ratio: float = option(3.5, "drop pairs whose longer side is this many times longer")
    ratio_min_chars: int = option(20, "apply the length ratio rule only from this many characters")
    max_ngram_repeats: int = option(
        4, "drop pairs where a word or phrase (up to 4 words) repeats this many times in a "
        "row, a decoding loop (0: off)"
    )
    drop_identical: bool = option(True, "drop pairs whose target is a copy of the source")
    near_duplicates: bool = option(
        True, "drop a pair whose source sentence (up to case, punctuation, digits and Arabic "
        "spelling) an earlier source already gave"
    )
    dev_size: float = option(0.05, "dev split: a fraction (< 1) or a number of pairs")
    test_size: float = option(0.05, "test split: a fraction (< 1) or a number of pairs")
    seed: int = option(13, "seed of the shuffle before splitting")
    overwrite: bool = option(False, "replace the files of an existing output folder")

    def __post_init__(self) -> None:
        for name in ("dev_size", "test_size"):
            value = getattr(self, name)
            if value < 0 or (value >= 1 and not float(value).is_integer()):
                raise ConfigError(
                    f"{name} is {value}: use a fraction between 0 and 1 (0.05) or a whole "
                    "number of pairs (500)."
                )
        for lang, script in self.scripts.items():
            if script not in ("latin", "arabic"):
                raise ConfigError(f"scripts.{lang} is '{script}'; use 'latin' or 'arabic'.")
        if self.source_lang == self.target_lang:
            raise ConfigError("source_lang and target_lang must differ (e.g. en and ary).")


def _count(size: float, total: int) -> int:
    return int(size) if size >= 1 else round(size * total)


def leak_key(text: str, arabic: ArabicNormalization | None = None) -> str:
    """The key under which a sentence counts as the same in two splits.

    Training text is normalized and test text is not, so both are normalized the same way
    (idempotent on training text) before :func:`match_key`.
    """
    return match_key(normalize_text(text, arabic))


def _keys(
    pairs: list[RawPair], arabic: ArabicNormalization | None = None
) -> tuple[set[str], set[str]]:
    return ({leak_key(p.source, arabic) for p in pairs},
            {leak_key(p.target, arabic) for p in pairs})


def remove_leaks(
    pairs: list[RawPair], held: list[RawPair], arabic: ArabicNormalization | None = None
) -> tuple[list[RawPair], int]:
    """``pairs`` without those sharing a source or a target with ``held``."""
    sources, targets = _keys(held, arabic)
    kept = [p for p in pairs if leak_key(p.source, arabic) not in sources
            and leak_key(p.target, arabic) not in targets]
    return kept, len(pairs) - len(kept)


def check_no_leakage(
    splits: dict[str, list[RawPair]], arabic: ArabicNormalization | None = None
) -> None:
    """Raise when two splits share a sentence (on the same side).

    Raises:
        DataError: naming the splits and one shared sentence.
    """
    names = list(splits)
    keys = {name: _keys(pairs, arabic) for name, pairs in splits.items()}
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            for side in (0, 1):
                shared = keys[first][side] & keys[second][side]
                if shared:
                    raise DataError(
                        f"The {first} and {second} splits share "
                        f"{len(shared)} sentence(s), e.g. '{sorted(shared)[0]}'."
                    )


def _examples(pairs: list[RawPair], args: DataArgs, split: str) -> list[Example]:
    examples = []
    for index, pair in enumerate(pairs):
        pair_id = f"{split}-{index:06d}"
        examples.append(Example(f"{pair_id}-f", pair.source, pair.target, args.source_lang,
                                args.target_lang, pair.topic))
        if args.bidirectional:
            examples.append(Example(f"{pair_id}-r", pair.target, pair.source, args.target_lang,
                                    args.source_lang, pair.topic))
    return examples


def split_pairs(
    cleaned: CleanResult, test: list[RawPair] | None, args: DataArgs
) -> tuple[dict[str, list[RawPair]], dict[str, int]]:
    """Shuffle, split and remove leaks; returns the splits and the leak counts.

    ``test``: the pairs of a fixed test set, as read; None for a random test split.
    """
    train_only = {spec.label for spec in args.sources if spec.train_only}
    pairs = [p for p in cleaned.kept if source_label(p) not in train_only]
    extra = [p for p in cleaned.kept if source_label(p) in train_only]
    random.Random(args.seed).shuffle(pairs)
    if test is not None:
        test_pairs = test
    else:
        count = _count(args.test_size, len(pairs))
        test_pairs, pairs = pairs[:count], pairs[count:]
    dev_count = _count(args.dev_size, len(pairs))
    dev, train = pairs[:dev_count], pairs[dev_count:] + extra
    dev, dev_leaks = remove_leaks(dev, test_pairs, args.arabic)
    train, train_leaks = remove_leaks(train, test_pairs + dev, args.arabic)
    splits = {"train": train, "dev": dev, "test": test_pairs}
    check_no_leakage(splits, args.arabic)
    if not train:
        raise DataError(
            "No training pairs are left after cleaning and splitting; see the report, and "
            "relax the rules or lower dev_size/test_size."
        )
    return splits, {"train": train_leaks, "dev": dev_leaks}


def prepare(args: DataArgs) -> dict[str, object]:
    """Run the whole data step; returns the report (also written as JSON and markdown)."""
    if not args.sources:
        raise ConfigError(
            "No data sources: add a 'sources' list to the data section of the config, e.g. "
            "[{path: sentences.csv, source_column: eng, target_column: darija_ar}]."
        )
    out = Path(args.output_dir)
    if (out / "train.jsonl").exists() and not args.overwrite:
        raise DataError(f"{out} already holds prepared data; pass --overwrite to replace it.")
    test_rows: list[RawPair] | None = None
    if args.test_sources:  # read as published: no normalization, no rule (trainer/testset.py)
        test_rows = [pair for spec in args.test_sources for pair in load_pairs(spec)]
    seen: set[tuple[str, str]] = set()
    sources_seen: dict[str, str] = {}
    cleaned = merge(clean_pairs(load_pairs(spec), args, seen, sources_seen)
                    for spec in args.sources)
    test = None if test_rows is None else [p for p in test_rows if is_scorable(p)]
    splits, leaks = split_pairs(cleaned, test, args)
    weighted, mixing = apply_weights(
        splits["train"], {spec.label: spec.weight for spec in args.sources}, args.seed)
    splits["train"] = weighted
    out.mkdir(parents=True, exist_ok=True)
    split_counts = {}
    for name, pairs in splits.items():
        if name == "test" and test_rows is not None:
            examples = examples_from_pairs(test_rows, args.source_lang, args.target_lang,
                                           both_directions=args.bidirectional).examples
        else:
            examples = _examples(pairs, args, name)
        write_examples(out / f"{name}.jsonl", examples)
        split_counts[name] = {"pairs": len(pairs), "examples": len(examples)}
    directions = [f"{args.source_lang}-{args.target_lang}"]
    if args.bidirectional:
        directions.append(f"{args.target_lang}-{args.source_lang}")
    if test_rows is not None:
        test_set: dict[str, object] = {
            "kind": "fixed (test_sources), verbatim: not normalized, cleaned or filtered",
            "rows": len(test_rows), "pairs": len(test or []),
            "skipped_empty": len(test_rows) - len(test or []),
        }
    else:
        test_set = {"kind": "random split of the cleaned sources",
                    "pairs": len(splits["test"])}
    report: dict[str, object] = {
        "read": cleaned.read,
        "kept": len(cleaned.kept),
        "dropped": {reason: cleaned.dropped.get(reason, 0) for reason in REASONS},
        "reasons": REASONS,
        "dropped_by_source": {k: dict(v) for k, v in cleaned.dropped_by_source.items()},
        "samples": dict(cleaned.samples),
        "leakage_removed": leaks,
        "splits": split_counts,
        "mixing": mixing,
        "directions": directions,
        "test_set": test_set,
        "settings": to_dict(args),
    }
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), "utf-8")
    (out / "report.md").write_text(data_report_markdown(report), "utf-8")
    (out / "data_args.json").write_text(json.dumps(to_dict(args), indent=2), "utf-8")
    logger.info("Wrote %s: %s", out, split_counts)
    return report
