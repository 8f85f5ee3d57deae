"""Which training sentences an installed model's vocabulary map is learned from, and reading them.

A catalog entry's Hub source may name the dataset the model was trained on
(``"vmap_corpus": {"dataset": "ORG/NAME", "split": "train", "columns": {"en": "english",
"ary": "darija"}}``); :func:`sample_corpus` reads a spread sample of its rows through the
dataset viewer (:mod:`~terjman_desktop.core.models.hub.dataset_viewer`) and splits it into the
sentences the map is built from and held-out sentences it is judged on. Without ``columns``
they are found by name and checked by script: an English column is written in Latin
letters, a Darija column in Arabic script (an Arabizi column, Latin too, is never taken for
English when a column is named so).
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import CatalogError, DatasetViewerError

if TYPE_CHECKING:  # the viewer client brings requests: only sampling needs it
    from terjman_desktop.core.models.hub.dataset_viewer import DatasetViewer, Split

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
_NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")
MAX_ROWS = 20_000
PAGE_ROWS = 100  # the dataset viewer's most rows per request
MAX_SENTENCE_CHARS = 1_000
# Column names that say a language (compared lower-case, with '-'/' ' read as '_').
_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "en", "eng", "eng_latn", "en_text", "english_text"),
    "ary": ("darija", "ary", "ary_arab", "darija_arabic", "darija_arab", "moroccan",
            "moroccan_darija", "darija_text"),
}
# The share of a column's letters that must be in the language's script.
_SCRIPT_SHARE = 0.7


@dataclass(frozen=True)
class MapCorpus:
    """A dataset to learn a vocabulary map from (a catalog entry's ``vmap_corpus``).

    Attributes:
        dataset: ``ORG/NAME`` of a dataset on the Hub.
        config: The viewer's configuration; None: the first that has ``split``.
        split: The split (training data: never the test set the model is judged on).
        columns: Per language code, the column holding it; empty: found by name and script.
        rows: Sentences the map is built from.
        held_out: Further sentences, never used to build, on which the map must leave the
            greedy translation unchanged.
    """

    dataset: str
    config: str | None = None
    split: str = "train"
    columns: Mapping[str, str] = field(default_factory=dict)
    rows: int = 2000
    held_out: int = 200

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"dataset": self.dataset, "split": self.split,
                                "rows": self.rows, "held_out": self.held_out}
        if self.config is not None:
            data["config"] = self.config
        if self.columns:
            data["columns"] = dict(self.columns)
        return data


def parse_map_corpus(raw: Any, where: str) -> MapCorpus:
    """Validate a catalog's ``vmap_corpus`` object.

    Raises:
        CatalogError: naming the field that is wrong.
    """
    where = f"{where}: 'vmap_corpus'"
    if not isinstance(raw, dict):
        raise CatalogError(f"{where} must be an object.")
    dataset = raw.get("dataset")
    if not isinstance(dataset, str) or not _DATASET.match(dataset):
        raise CatalogError(f"{where} needs a 'dataset' written ORG/NAME.")
    config, split = raw.get("config"), raw.get("split", "train")
    if config is not None and not (isinstance(config, str) and _NAME.match(config)):
        raise CatalogError(f"{where}: 'config' must be a name.")
    if not isinstance(split, str) or not _NAME.match(split):
        raise CatalogError(f"{where}: 'split' must be a name.")
    columns = raw.get("columns", {})
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and _LANGUAGE.match(k) and isinstance(v, str) and _NAME.match(v)
        for k, v in columns.items()
    ):
        raise CatalogError(f"{where}: 'columns' must map language codes to column names.")
    counts = {}
    for key, default, least in (("rows", 2000, 50), ("held_out", 200, 20)):
        value = raw.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= MAX_ROWS:
            raise CatalogError(f"{where}: '{key}' must be a whole number from {least} to "
                               f"{MAX_ROWS}.")
        counts[key] = value
    return MapCorpus(dataset, config, split, dict(columns), counts["rows"], counts["held_out"])


# --------------------------------------------------------------------------- columns


def _normal(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower())


def _script_shares(texts: Sequence[str]) -> tuple[float, float]:
    """(Latin, Arabic) shares of the letters of ``texts``."""
    latin = arabic = letters = 0
    for text in texts:
        for char in text:
            if not char.isalpha():
                continue
            letters += 1
            name = unicodedata.name(char, "")
            latin += name.startswith("LATIN")
            arabic += name.startswith("ARABIC")
    return (latin / letters, arabic / letters) if letters else (0.0, 0.0)


def _looks_like(language: str, texts: Sequence[str]) -> bool:
    latin, arabic = _script_shares(texts)
    return (arabic if language == "ary" else latin) >= _SCRIPT_SHARE


def detect_columns(columns: Sequence[str], rows: Sequence[Mapping[str, Any]],
                   languages: Sequence[str], given: Mapping[str, str],
                   dataset: str) -> dict[str, str]:
    """Per language, the column holding it: ``given``, else by name, else by script.

    Raises:
        DatasetViewerError: a language has no column, or several could be it, or the chosen
            column is not written in the language's script.
    """
    texts = {c: [r[c] for r in rows if isinstance(r.get(c), str) and r[c].strip()]
             for c in columns}
    text_columns = [c for c in columns if texts[c]]
    listed = ", ".join(repr(c) for c in columns) or "none"
    chosen: dict[str, str] = {}
    for language in languages:
        if language in given:
            column = given[language]
            if column not in columns:
                raise DatasetViewerError(
                    f"{dataset} has no column {column!r} for '{language}' (its columns: "
                    f"{listed}).", hint="The catalog's vmap_corpus is out of date.")
        else:
            named = [c for c in text_columns
                     if _normal(c) in _COLUMN_NAMES.get(language, (language,))]
            if not named:
                named = [c for c in text_columns
                         if _looks_like(language, texts[c]) and c not in chosen.values()
                         and not any(_normal(c) in names for names in _COLUMN_NAMES.values())]
            if len(named) != 1:
                problem = "no column" if not named else "several columns (" + ", ".join(
                    repr(c) for c in named) + ")"
                raise DatasetViewerError(
                    f"{dataset} has {problem} that could hold '{language}' (its columns: "
                    f"{listed}).",
                    hint="Name the columns (the catalog's vmap_corpus 'columns', or "
                    "--vmap-column LANGUAGE=COLUMN).")
            column = named[0]
        if not _looks_like(language, texts.get(column, [])):
            raise DatasetViewerError(
                f"The column {column!r} of {dataset} is not written the way '{language}' is "
                "(the wrong script, or empty).",
                hint="Name the right column (vmap_corpus 'columns', or --vmap-column).")
        chosen[language] = column
    return chosen


# --------------------------------------------------------------------------- sampling


@dataclass(frozen=True)
class CorpusSample:
    """Rows read for a map: per row, its text per language; the build and held-out parts.

    Attributes:
        build: Rows the map is learned from.
        held_out: Rows it is judged on (no source text shared with ``build``).
        columns: The column of each language.
        split: Where they came from.
        total_rows: The split's size.
    """

    build: tuple[Mapping[str, str], ...]
    held_out: tuple[Mapping[str, str], ...]
    columns: Mapping[str, str]
    split: Split
    total_rows: int

    def record(self, corpus: MapCorpus) -> dict[str, Any]:
        """What the manifest says about where the map's sentences came from."""
        return {"dataset": corpus.dataset, "config": self.split.config,
                "split": self.split.split, "columns": dict(self.columns),
                "split_rows": self.total_rows, "build_rows": len(self.build),
                "held_out_rows": len(self.held_out)}


def _choose_split(viewer: DatasetViewer, corpus: MapCorpus,
                  control: CancelToken | None) -> Split:
    splits = viewer.splits(corpus.dataset, control=control)
    wanted = [s for s in splits if s.split == corpus.split
              and (corpus.config is None or s.config == corpus.config)]
    if not wanted:
        offered = ", ".join(f"{s.config}/{s.split}" for s in splits) or "none"
        raise DatasetViewerError(
            f"{corpus.dataset} has no split '{corpus.split}'"
            + (f" in the configuration '{corpus.config}'" if corpus.config else "")
            + f" (the viewer offers: {offered}).",
            hint="The catalog's vmap_corpus is out of date.")
    return wanted[0]


def _offsets(total: int, pages: int) -> list[int]:
    """``pages`` page offsets spread over a split of ``total`` rows (0 always first)."""
    last = max(0, total - PAGE_ROWS)
    if pages <= 1 or last == 0:
        return [0]
    if pages * PAGE_ROWS >= total:
        return list(range(0, total, PAGE_ROWS))
    return sorted({round(i * last / (pages - 1)) for i in range(pages)})


def sample_corpus(
    viewer: DatasetViewer,
    corpus: MapCorpus,
    languages: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    control: CancelToken | None = None,
) -> CorpusSample:
    """Read ``corpus.rows + corpus.held_out`` rows spread over the split, and split them.

    Pages are spread over the whole split (training files are often concatenations of
    sources) and rows shuffled with a fixed seed, so the same dataset gives the same sample.
    Rows missing a language, or longer than 1,000 characters, are skipped, and so is a row
    repeating a sentence of an earlier one (so no held-out sentence is also built from).

    Raises:
        DatasetViewerError, HubError: the viewer cannot give the rows, or the columns cannot
            be told apart; too few usable rows.
        CancelledError: ``control`` was cancelled.
    """
    split = _choose_split(viewer, corpus, control)
    first = viewer.rows(corpus.dataset, split, 0, control=control)
    columns = detect_columns(first.columns, first.rows, languages, corpus.columns,
                             corpus.dataset)
    wanted = corpus.rows + corpus.held_out
    # A fifth more than needed: some rows are empty, too long or repeated.
    offsets = _offsets(first.total, math.ceil(1.2 * wanted / PAGE_ROWS))
    usable: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for done, offset in enumerate(offsets, start=1):
        page = first if offset == 0 else viewer.rows(corpus.dataset, split, offset,
                                                     control=control)
        for row in page.rows:
            texts = {language: row.get(column) for language, column in columns.items()}
            if all(isinstance(t, str) and t.strip() and len(t) <= MAX_SENTENCE_CHARS
                   for t in texts.values()):
                clean = {language: str(t).strip() for language, t in texts.items()}
                keys = set(clean.items())
                if not keys & seen:  # no sentence of either side twice
                    seen |= keys
                    usable.append(clean)
        if progress is not None:
            progress(done, len(offsets))
    rows = usable
    random.Random(0).shuffle(rows)
    least = corpus.held_out + 50
    if len(rows) < least:
        raise DatasetViewerError(
            f"{corpus.dataset} gave {len(rows)} usable rows; a map needs at least {least}.",
            hint="Name a larger dataset or split.")
    held_out = tuple(rows[:corpus.held_out])
    return CorpusSample(tuple(rows[corpus.held_out:wanted]), held_out, columns, split,
                        first.total)
