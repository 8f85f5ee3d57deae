"""Reading a vocabulary map's sentences: a spread, seeded sample of a Hub dataset's rows.

:func:`sample_corpus` reads the rows of a :class:`~terjman_desktop.core.models.hub.map_corpus.
MapCorpus` through the dataset viewer (:mod:`~terjman_desktop.core.models.hub.dataset_viewer`)
and splits them into the sentences the map is built from and held-out sentences it is judged
on. Without ``columns`` they are found by name and checked by script
(:func:`detect_columns`): an English column is written in Latin letters, a Darija column in
Arabic script, and a column named for something else (Arabizi, Arabic) is never taken for
either.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.errors import DatasetViewerError
from terjman_desktop.core.models.hub.dataset_viewer import MAX_PAGE_ROWS, DatasetViewer, Split
from terjman_desktop.core.models.hub.map_corpus import MapCorpus

MAX_SENTENCE_CHARS = 1_000
# Column names that say a language (compared lower-case, with '-'/' ' read as '_').
_COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("english", "en", "eng", "eng_latn", "en_text", "english_text"),
    "ary": ("darija", "ary", "ary_arab", "darija_arabic", "darija_arab", "moroccan",
            "moroccan_darija", "darija_text"),
}
# Columns named for something else, never taken for English or Darija by their script alone
# (Arabizi is Latin like English; Arabic and Darija share a script).
_OTHER_NAMES = ("arabizi", "ary_latn", "darija_latin", "darija_latn", "latin", "romanized",
                "transliteration", "arabic", "ar", "arb", "arb_arab", "msa", "fr", "french",
                "fra_latn", "es", "spanish", "id", "topic", "subtopic", "source", "url")
# The share of a column's letters that must be in the language's script.
_SCRIPT_SHARE = 0.7

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


def flatten_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with each object cell's text fields as columns of their own.

    Hugging Face translation datasets keep a pair in one ``translation`` cell, ``{"en": …,
    "ary": …}``: it reads as the columns ``translation.en`` and ``translation.ary``.
    """
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            for inner, text in value.items():
                if isinstance(inner, str) and isinstance(text, str):
                    flat[f"{key}.{inner}"] = text
        else:
            flat[key] = value
    return flat


def _names_of(column: str) -> set[str]:
    """The names a column answers to: its own, and its last part (``translation.en``)."""
    name = _normal(column)
    return {name, name.rsplit(".", 1)[-1]}


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
                     if _names_of(c) & set(_COLUMN_NAMES.get(language, (language,)))]
            if not named:
                named = [c for c in text_columns
                         if _looks_like(language, texts[c]) and c not in chosen.values()
                         and not _names_of(c) & set(_OTHER_NAMES)
                         and not any(_names_of(c) & set(names)
                                     for names in _COLUMN_NAMES.values())]
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
    last = max(0, total - MAX_PAGE_ROWS)
    if pages <= 1 or last == 0:
        return [0]
    if pages * MAX_PAGE_ROWS >= total:
        return list(range(0, total, MAX_PAGE_ROWS))
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
    flat_first = [flatten_row(row) for row in first.rows]
    names = list(dict.fromkeys([*(c for c in first.columns
                                  if not any(isinstance(r.get(c), dict) for r in first.rows)),
                                *(c for row in flat_first for c in row if "." in c)]))
    columns = detect_columns(names, flat_first, languages, corpus.columns, corpus.dataset)
    wanted = corpus.rows + corpus.held_out
    # A fifth more than needed: some rows are empty, too long or repeated.
    offsets = _offsets(first.total, math.ceil(1.2 * wanted / MAX_PAGE_ROWS))
    usable: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for done, offset in enumerate(offsets, start=1):
        page = first if offset == 0 else viewer.rows(corpus.dataset, split, offset,
                                                     control=control)
        for row in map(flatten_row, page.rows):
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
