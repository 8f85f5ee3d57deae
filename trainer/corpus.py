"""Reading parallel data: CSV, TSV and JSONL files, and Hugging Face datasets.

Every source is described by a :class:`SourceSpec` that maps its columns onto the two
languages (``source_column`` holds the source language of the corpus, English for Terjman,
``target_column`` the target, Darija in Arabic script) and optionally a topic column. Column
names may be dotted to reach into nested fields, like the ``translation.en`` of Hugging Face
translation datasets. Examples (one translation direction each) are stored as JSONL with the
fields of :class:`Example`; that is what ``data`` writes and ``train``/``evaluate`` read.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from terjman_desktop.core import jsonio
from trainer.config import option
from trainer.errors import DataError

logger = logging.getLogger(__name__)


@dataclass
class SourceSpec:
    """One parallel corpus and how its columns map onto the languages."""

    source_column: str = option(help="column holding the source-language text (e.g. 'eng')")
    target_column: str = option(help="column holding the target-language text (e.g. 'darija_ar')")
    path: str | None = option(None, "a local .csv, .tsv or .jsonl file (with a header row)")
    dataset: str | None = option(
        None, "a Hugging Face dataset (e.g. 'atlasia/darija_english') or a local dataset folder"
    )
    config: str | None = option(None, "the dataset's configuration name, if it has several")
    split: str = option("train", "the dataset split to read")
    revision: str | None = option(None, "a dataset revision (tag, branch or commit)")
    topic_column: str | None = option(None, "column holding a topic label (for per-topic scores)")
    name: str | None = option(None, "a short name for reports (default: the file or dataset name)")
    limit: int | None = option(None, "read at most this many rows (for smoke runs)")
    weight: float = option(
        1.0, "share of this source in the training split: 2 repeats each of its training "
        "pairs twice, 0.5 keeps a seeded half (dev and test are never weighted)"
    )
    train_only: bool = option(
        False, "never put this source in dev or test (synthetic pairs from `trainer distill`)"
    )

    def __post_init__(self) -> None:
        from trainer.errors import ConfigError

        if (self.path is None) == (self.dataset is None):
            raise ConfigError(
                "Each data source needs exactly one of 'path' (a local file) or 'dataset' "
                f"(a Hugging Face dataset); got path={self.path!r}, dataset={self.dataset!r}."
            )
        if not self.weight > 0:
            raise ConfigError(
                f"The weight of the source {self.label} is {self.weight}; use a positive "
                "number (1 keeps it as it is), or remove the source."
            )

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return Path(self.path).stem if self.path else str(self.dataset)


@dataclass(frozen=True)
class RawPair:
    """A pair as read, before cleaning; ``origin`` is ``source-name:row``."""

    source: str
    target: str
    topic: str | None
    origin: str


@dataclass(frozen=True)
class Example:
    """One training or evaluation example in one direction."""

    id: str
    source: str
    target: str
    src_lang: str
    tgt_lang: str
    topic: str | None = None

    @property
    def direction(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"


def _field(row: Mapping[str, Any], column: str) -> Any:
    value: Any = row
    for part in column.split("."):
        if not isinstance(value, Mapping) or part not in value:
            raise KeyError(column)
        value = value[part]
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


# One example per line: a line is a small object (an English and a Darija sentence).
_LINE_LIMITS = jsonio.JsonLimits(max_bytes=1024 * 1024, max_depth=8)


def _file_rows(path: Path) -> Iterator[Mapping[str, Any]]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        with path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = jsonio.loads(line, f"{path}:{number}", limits=_LINE_LIMITS)
                except jsonio.JsonReadError as error:
                    raise DataError(f"{error.where} {error.problem}.") from None
                if not isinstance(row, dict):
                    raise DataError(f"{path}:{number} is not a JSON object.")
                yield row
    elif suffix in (".csv", ".tsv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if suffix == ".tsv":  # MT corpora put stray quotes in TSV cells: no quoting
                yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            else:
                yield from csv.DictReader(handle)
    else:
        raise DataError(
            f"{path}: unknown file type '{suffix}'; use .csv, .tsv or .jsonl, or load it "
            "with 'dataset' (any format datasets.load_dataset reads)."
        )


def _file_columns(path: Path) -> list[str] | None:
    """The header of a CSV/TSV file (None for JSONL, whose rows name their own fields)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tsv"):
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if suffix == ".tsv":
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            reader = csv.reader(handle)
        return next(reader, [])


def check_columns(spec: SourceSpec, available: Iterable[str]) -> None:
    """Stop before reading when a mapped column is not among ``available``.

    A dotted column (``translation.en``) is checked on its first part; its inner field is
    checked on each row.

    Raises:
        DataError: naming the missing column and listing the columns that exist.
    """
    names = [str(name) for name in available]
    for column in spec_columns(spec):
        if column.split(".")[0] not in names:
            raise DataError(
                f"{spec.label}: there is no column '{column}'; its columns are "
                f"{', '.join(names) or '(none)'}.",
                hint="Set source_column/target_column/topic_column in this source's entry.",
            )


def spec_columns(spec: SourceSpec) -> list[str]:
    """The columns a source maps: source, target and, when set, topic."""
    columns = [spec.source_column, spec.target_column]
    if spec.topic_column:
        columns.append(spec.topic_column)
    return columns


def _dataset_rows(spec: SourceSpec) -> Iterator[Mapping[str, Any]]:
    import datasets

    try:
        loaded = datasets.load_dataset(
            spec.dataset, spec.config, split=spec.split, revision=spec.revision,
            token=os.environ.get("HF_TOKEN") or None,
        )
    except FileNotFoundError as error:
        raise DataError(
            f"The dataset '{spec.dataset}' was not found ({error}).",
            hint="Check the name; gated datasets need `hf auth login` (or HF_TOKEN) and "
            "accepting their terms.",
        ) from None
    except ValueError as error:  # unknown split or config
        raise DataError(f"The dataset '{spec.dataset}' cannot be read: {error}") from None
    check_columns(spec, loaded.column_names)
    yield from loaded


def load_pairs(spec: SourceSpec) -> list[RawPair]:
    """Read every row of a source as a :class:`RawPair` (texts not yet cleaned).

    Raises:
        DataError: the file or dataset cannot be read, or a mapped column is missing.
    """
    if spec.path is not None:
        path = Path(spec.path)
        if not path.is_file():
            raise DataError(f"The data file {path} does not exist; check 'path' in the sources.")
        header = _file_columns(path)
        if header is not None:
            check_columns(spec, header)
        rows: Iterable[Mapping[str, Any]] = _file_rows(path)
    else:
        rows = _dataset_rows(spec)
    pairs: list[RawPair] = []
    columns = spec_columns(spec)
    for index, row in enumerate(rows):
        if spec.limit is not None and index >= spec.limit:
            break
        try:
            values = [_field(row, column) for column in columns]
        except KeyError as missing:
            raise DataError(
                f"{spec.label}: row {index + 1} has no column {missing}; its columns are "
                f"{', '.join(map(str, row))}.",
                hint="Set source_column/target_column/topic_column in this source's entry.",
            ) from None
        topic = (_text(values[2]).strip() or None) if spec.topic_column else None
        pairs.append(RawPair(_text(values[0]), _text(values[1]), topic, f"{spec.label}:{index}"))
    logger.info("Read %d pairs from %s", len(pairs), spec.label)
    return pairs


def write_examples(path: Path, examples: Iterable[Example]) -> int:
    """Write examples as JSONL; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps(asdict(example), ensure_ascii=False) + "\n")
            count += 1
    return count


def read_examples(path: Path | str) -> list[Example]:
    """Read a JSONL file written by ``trainer data``.

    Raises:
        DataError: the file is missing or a line lacks a field.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"{path} does not exist; run `python -m trainer data` first, or point to the "
            "folder it wrote."
        )
    examples = []
    for number, row in enumerate(_file_rows(path), 1):
        try:
            examples.append(
                Example(
                    id=str(row.get("id", f"{path.stem}:{number}")),
                    source=str(row["source"]), target=str(row["target"]),
                    src_lang=str(row["src_lang"]), tgt_lang=str(row["tgt_lang"]),
                    topic=row.get("topic"),
                )
            )
        except KeyError as missing:
            raise DataError(
                f"{path}:{number} has no field {missing}; examples need source, target, "
                "src_lang and tgt_lang (the format `trainer data` writes)."
            ) from None
    return examples


@dataclass
class MonolingualSpec:
    """A monolingual corpus to translate (``trainer distill``): one sentence per row."""

    lang: str = option(help="language of the sentences: en (forward translation) or ary "
                       "(back-translation)")
    path: str | None = option(None, "a local .txt (one sentence a line), .csv, .tsv or .jsonl")
    dataset: str | None = option(None, "a Hugging Face dataset or a local dataset folder")
    column: str | None = option(None, "column holding the sentences (not for .txt files)")
    config: str | None = option(None, "the dataset's configuration name")
    split: str = option("train", "the dataset split to read")
    revision: str | None = option(None, "a dataset revision (tag, branch or commit)")
    name: str | None = option(None, "a short name for files and reports")
    limit: int | None = option(None, "read at most this many rows")

    def __post_init__(self) -> None:
        from trainer.errors import ConfigError

        if (self.path is None) == (self.dataset is None):
            raise ConfigError(
                "Each monolingual corpus needs exactly one of 'path' or 'dataset'; got "
                f"path={self.path!r}, dataset={self.dataset!r}."
            )
        is_text = self.path is not None and Path(self.path).suffix.lower() == ".txt"
        if self.column is None and not is_text:
            raise ConfigError(f"The monolingual corpus {self.label} needs 'column' (the one "
                              "holding the sentences); only .txt files have none.")

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        return Path(self.path).stem if self.path else str(self.dataset).replace("/", "_")


def _monolingual_rows(spec: MonolingualSpec) -> Iterator[str]:
    if spec.path is not None and Path(spec.path).suffix.lower() == ".txt":
        path = Path(spec.path)
        if not path.is_file():
            raise DataError(f"The corpus file {path} does not exist; check 'path'.")
        with path.open(encoding="utf-8-sig") as handle:
            for line in handle:
                yield line.rstrip("\n")
        return
    assert spec.column is not None  # checked by MonolingualSpec
    as_pairs = SourceSpec(source_column=spec.column, target_column=spec.column,
                          path=spec.path, dataset=spec.dataset, config=spec.config,
                          split=spec.split, revision=spec.revision, name=spec.label)
    if spec.path is not None:
        path = Path(spec.path)
        if not path.is_file():
            raise DataError(f"The corpus file {path} does not exist; check 'path'.")
        header = _file_columns(path)
        if header is not None:
            check_columns(as_pairs, header)
        rows: Iterable[Mapping[str, Any]] = _file_rows(path)
    else:
        rows = _dataset_rows(as_pairs)
    for index, row in enumerate(rows):
        try:
            yield _text(_field(row, spec.column))
        except KeyError:
            raise DataError(
                f"{spec.label}: row {index + 1} has no column '{spec.column}'; its columns "
                f"are {', '.join(map(str, row))}."
            ) from None


def numbered_sentences(
    spec: MonolingualSpec, max_chars: int | None = None
) -> Iterator[tuple[int, str]]:
    """The corpus's distinct, non-empty sentences (normalized), numbered 0, 1, 2, ….

    Every process reading the same corpus numbers it the same way, which is what lets
    shards merge back in order. Sentences longer than ``max_chars`` are left out (a teacher
    spends most of its time on them, and the data step would drop them anyway).
    """
    import hashlib

    from trainer.normalization import normalize_text

    seen: set[bytes] = set()
    number = 0
    for row, text in enumerate(_monolingual_rows(spec)):
        if spec.limit is not None and row >= spec.limit:
            break
        sentence = normalize_text(text)
        if not sentence or (max_chars is not None and len(sentence) > max_chars):
            continue
        key = hashlib.blake2b(sentence.encode("utf-8"), digest_size=12).digest()
        if key in seen:
            continue
        seen.add(key)
        yield number, sentence
        number += 1
