"""Aligned Arabizi / Arabic-script Darija for the transliteration benchmark and lexicon build.

Two sources, read at run time and never copied into the repository:

* DODa (CC BY-NC 4.0) in ``../shared/data/doda``: ``sentences.csv`` (``darija_ar``,
  ``darija``), ``shorts.csv`` (``darija_ar``, ``darija``) and the word lists
  ``words_*.csv`` (``darija_ar`` and up to four Latin spellings ``n1``…``n4``; the name lists
  ``words_malenames.csv``/``words_femalenames.csv`` are kept apart as ``names``).
* TerjamaBench (``atlasia/TerjamaBench``, split ``test``), when a copy is given: its ``Darija``
  (Arabic script) and ``Arabizi`` columns, as CSV, JSON lines or Parquet.

The split is fixed: a row goes to ``train`` (70%), ``dev`` (10%) or ``test`` (20%) by the
SHA-256 of ``SPLIT_SEED`` and its Arabic text with diacritics removed, so every row with the
same Arabic word or sentence lands on the same side (a held-out word is never also a training
word) and the split does not depend on the order of the files. The lexicon and every rule
were drawn from ``train`` and ``dev`` only; figures are reported on ``test``.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPLIT_SEED = "terjman-arabizi-split-1"
SPLITS = ("train", "dev", "test")
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")


@dataclass(frozen=True)
class AlignedRow:
    """One Darija text in both scripts. ``latin`` holds every Latin spelling given (≥ 1)."""

    kind: str  # sentences | shorts | words | names | terjamabench
    arabic: str
    latin: tuple[str, ...]
    split: str
    english: str = ""


def strip_diacritics(text: str) -> str:
    """Without harakat, shadda, superscript alef and tatweel."""
    return _DIACRITICS.sub("", text)


def split_of(arabic: str) -> str:
    """``train``, ``dev`` or ``test`` for this Arabic text (stable, seeded, order-free)."""
    key = f"{SPLIT_SEED}\n{strip_diacritics(arabic).strip()}".encode()
    bucket = int.from_bytes(hashlib.sha256(key).digest()[:4], "big") % 100
    return "train" if bucket < 70 else "dev" if bucket < 80 else "test"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _row(kind: str, arabic: str, latin: list[str], english: str = "") -> AlignedRow | None:
    arabic = arabic.strip()
    spellings = tuple(s.strip() for s in latin if s and s.strip())
    if not arabic or not spellings:
        return None
    return AlignedRow(kind, arabic, spellings, split_of(arabic), (english or "").strip())


def load_doda(directory: Path) -> list[AlignedRow]:
    """Every aligned row of DODa's sentences, short phrases and word lists in ``directory``."""
    rows: list[AlignedRow | None] = []
    for name in ("sentences", "shorts"):
        path = directory / f"{name}.csv"
        if path.is_file():
            rows += [
                _row(name, r["darija_ar"], [r["darija"]], r.get("eng") or r.get("english", ""))
                for r in _rows(path)
            ]
    for path in sorted(directory.glob("words_*.csv")):
        if path.stem in ("words_malenames", "words_femalenames"):
            rows += [
                _row("names", r.get("darija_name") or r.get("name_darija") or "", [r["name"]])
                for r in _rows(path)
            ]
        else:
            rows += [
                _row("words", r["darija_ar"], [r.get(f"n{i}", "") for i in range(1, 5)], r["eng"])
                for r in _rows(path)
            ]
    return [r for r in rows if r is not None]


def load_terjamabench(path: Path) -> list[AlignedRow]:
    """TerjamaBench's ``Darija``/``Arabizi`` pairs from a local copy (.csv, .jsonl, .parquet).

    All of them are held out (``split`` is ``test``): nothing was built from TerjamaBench.
    """
    suffix = path.suffix.lower()
    records: list[dict[str, Any]]
    if suffix == ".csv":
        records = [dict(r) for r in _rows(path)]
    elif suffix in (".jsonl", ".json"):
        text = path.read_text(encoding="utf-8")
        records = (
            json.loads(text)
            if text.lstrip().startswith("[")
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
    elif suffix == ".parquet":
        pq = importlib.import_module("pyarrow.parquet")  # only for this format (with `datasets`)

        records = pq.read_table(path).to_pylist()
    else:
        raise ValueError(f"{path}: expected a .csv, .jsonl or .parquet copy of TerjamaBench")
    missing = {"Darija", "Arabizi"} - set(records[0] if records else {})
    if missing:
        raise ValueError(f"{path}: TerjamaBench columns missing: {', '.join(sorted(missing))}")
    rows = []
    for record in records:
        row = _row(
            "terjamabench",
            str(record.get("Darija") or ""),
            [str(record.get("Arabizi") or "")],
            str(record.get("English") or ""),
        )
        if row is not None:
            rows.append(AlignedRow(row.kind, row.arabic, row.latin, "test", row.english))
    return rows
