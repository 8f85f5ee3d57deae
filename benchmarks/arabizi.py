"""Transliteration quality, both directions, on held-out data, side by side with PyPI peers.

* Arabizi → Arabic script (``arabizi_to_arabic``, the input path of Darija → English);
* Arabic script → Arabizi (``to_arabizi``, the reading aid under Darija output).

Data: DODa's sentences, short phrases, word lists and name lists, split by
``benchmarks.arabizi_data`` (fixed seed; figures on ``test``, which no rule, lexicon entry or
test example was drawn from), and TerjamaBench's ``Arabizi``/``Darija`` columns when a local
copy is given (``--terjamabench FILE``, .csv/.jsonl/.parquet of split ``test``).

Ours is measured twice: as the app ships it (letter rules only) and with the optional tables
a user can build from their own DODa copy (``benchmarks/arabizi_build.py``), built here in
memory from DODa's train and dev splits (``--no-lexicon`` leaves that out). Nothing derived
from DODa is written anywhere but the results' figures.

Measures, per source kind:

* CER: character edit distance / reference length, summed over the corpus. Arabic is
  compared without harakat, shadda and tatweel (DODa writes shadda only sometimes) and with
  ، ؛ ؟ read as , ; ?; Latin is compared lower-cased. For a word with several Latin
  spellings in DODa (``n1``…``n4``) the closest one is the reference. ``cer_loose``
  also reads أ إ آ as ا and ى as ي (hamza seats vary between writers).
* word accuracy: words of the reference matched in the best word alignment / reference words.
* exact: share of items that come out exactly as the reference.

Peers are the PyPI packages that claim this conversion, measured when importable:
``arabizi``, ``arabizikit``, ``cadar``, ``darija-tools``, ``aaransia``. They are not
project dependencies: install them into a separate virtual environment and run this module
there with the project on ``PYTHONPATH``::

    python -m venv /tmp/peers && /tmp/peers/bin/pip install arabizi arabizikit cadar \
        darija-tools aaransia platformdirs
    PYTHONPATH=. /tmp/peers/bin/python -m benchmarks.arabizi

Results go to ``benchmarks/results/arabizi.json`` (``--output``) and a markdown table on
standard output.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import re
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.arabizi_data import AlignedRow, load_doda, load_terjamabench, strip_diacritics
from benchmarks.common import DODA_DIR, RESULTS

Converter = Callable[[str], str]
KINDS = ("sentences", "shorts", "words", "names", "terjamabench")
_SPACES = re.compile(r"\s+")
_AR_PUNCT = str.maketrans({"،": ",", "؛": ";", "؟": "?"})
_LOOSE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})


# ----------------------------------------------------------------------------- metrics


def edit_distance(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Levenshtein distance between two strings or two word lists."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def matched_words(hypothesis: list[str], reference: list[str]) -> int:
    """Reference words matched in the best alignment (longest common subsequence)."""
    if hypothesis == reference:
        return len(reference)
    previous = [0] * (len(reference) + 1)
    for h in hypothesis:
        current = [0]
        for j, r in enumerate(reference, 1):
            current.append(previous[j - 1] + 1 if h == r else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def normalize_arabic(text: str, loose: bool = False) -> str:
    text = strip_diacritics(text).translate(_AR_PUNCT)
    if loose:
        text = text.translate(_LOOSE)
    return _SPACES.sub(" ", text).strip()


def normalize_latin(text: str) -> str:
    return _SPACES.sub(" ", text.lower()).strip()


class Score:
    """Running CER / word accuracy / exact-match totals."""

    def __init__(self) -> None:
        self.items = self.exact = self.errors = self.chars = 0
        self.loose_errors = self.words = self.words_right = 0

    def add(self, hypothesis: str, references: Sequence[str], loose: Sequence[str] = ()) -> None:
        best = min(references, key=lambda r: (edit_distance(hypothesis, r), len(r)))
        distance = edit_distance(hypothesis, best)
        self.items += 1
        self.errors += distance
        self.chars += len(best)
        self.exact += distance == 0
        self.loose_errors += (
            min(edit_distance(loose[0], r) for r in loose[1:]) if loose else distance
        )
        words = best.split()
        self.words += len(words)
        self.words_right += matched_words(hypothesis.split(), words)

    def summary(self) -> dict[str, float | int]:
        return {
            "items": self.items,
            "cer": round(self.errors / max(self.chars, 1), 4),
            "cer_loose": round(self.loose_errors / max(self.chars, 1), 4),
            "word_accuracy": round(self.words_right / max(self.words, 1), 4),
            "exact": round(self.exact / max(self.items, 1), 4),
        }


def score_to_arabic(convert: Converter, rows: Sequence[AlignedRow]) -> dict[str, float | int]:
    """Arabizi → Arabic: each Latin spelling of a row is one item, the Arabic its reference."""
    score = Score()
    for row in rows:
        reference = normalize_arabic(row.arabic)
        for latin in row.latin:
            hypothesis = normalize_arabic(convert(latin))
            score.add(
                hypothesis,
                [reference],
                [normalize_arabic(hypothesis, True), normalize_arabic(reference, True)],
            )
    return score.summary()


def score_to_latin(convert: Converter, rows: Sequence[AlignedRow]) -> dict[str, float | int]:
    """Arabic → Arabizi: one item per row, the closest of its Latin spellings the reference."""
    score = Score()
    for row in rows:
        score.add(normalize_latin(convert(row.arabic)), [normalize_latin(x) for x in row.latin])
    return score.summary()


# ----------------------------------------------------------------------------- systems


# The shipped app has rules only; the tables come from the user's own DODa copy (CC BY-NC).
RULES_AR = "terjman (as shipped: rules only)"
LEXICON_AR = "terjman + lexicon built from your own DODa copy"
RULES_LAT = "terjman reading aid (as shipped: rules only)"
LEXICON_LAT = "terjman reading aid + table built from your own DODa copy"


def ours_rules_only() -> Converter:
    """Our letter rules, as the app ships (no table, even one in this machine's data folder)."""
    from terjman_desktop.core.translate import arabizi_to_arabic

    return lambda text: arabizi_to_arabic(text, lexicon=False)


def ours_with_lexicon(table: dict[str, str]) -> Converter:
    """The rules with a lexicon built from DODa's train+dev (what a user can build)."""
    from terjman_desktop.core.translate import arabizi_to_arabic

    return lambda text: arabizi_to_arabic(text, lexicon=table)


def ours_to_latin_rules() -> Converter:
    """The reading aid as the app ships it (rules only)."""
    from terjman_desktop.core.translate import to_arabizi

    return lambda text: to_arabizi(text, pronunciation=False)


def ours_to_latin_with_table(table: dict[str, str]) -> Converter:
    """The reading aid with a pronunciation table built from DODa's train+dev."""
    from terjman_desktop.core.translate import to_arabizi

    return lambda text: to_arabizi(text, pronunciation=table)


def local_tables(doda: Path) -> tuple[dict[str, str], dict[str, str]] | None:
    """The lexicon and pronunciation table a user builds from DODa (train+dev), in memory.

    Built as ``benchmarks/arabizi_build.py`` builds them, never from the test split; ``None``
    when there is no DODa copy at ``doda``.
    """
    from benchmarks.arabizi_build import build_lexicon, build_pronunciation

    rows = [r for r in load_doda(doda) if r.split in ("train", "dev")] if doda.is_dir() else []
    if not rows:
        return None
    return build_lexicon(rows, min_count=3), build_pronunciation(rows, min_count=2)


def score_classifier(rows: Sequence[AlignedRow]) -> dict[str, float | int]:
    """How often ``classify_script`` names each column's script: English, Arabizi, Arabic.

    Every Latin spelling and the English of each row (when the source has it) is one item;
    ``arabizi_as_english`` and ``english_as_arabizi`` are the two confusions that matter.
    """
    from terjman_desktop.core.translate import Script, classify_script

    right: dict[str, int] = {"en": 0, "ary-Latn": 0, "ary": 0}
    total: dict[str, int] = {"en": 0, "ary-Latn": 0, "ary": 0}
    confused = {"arabizi_as_english": 0, "english_as_arabizi": 0}
    for row in rows:
        items = [(row.arabic, Script.ARABIC)] + [(latin, Script.ARABIZI) for latin in row.latin]
        if row.english:
            items.append((row.english, Script.ENGLISH))
        for text, expected in items:
            got = classify_script(text).script
            total[expected.value] += 1
            right[expected.value] += got is expected
            if expected is Script.ARABIZI and got is Script.ENGLISH:
                confused["arabizi_as_english"] += 1
            if expected is Script.ENGLISH and got is Script.ARABIZI:
                confused["english_as_arabizi"] += 1
    figures: dict[str, float | int] = {
        f"accuracy_{code}": round(right[code] / total[code], 4) for code in total if total[code]
    }
    figures.update({f"items_{code}": n for code, n in total.items()})
    figures.update(confused)
    return figures


class Guarded:
    """A peer's converter that counts the inputs it raised on (scored as an empty output)."""

    def __init__(self, convert: Converter) -> None:
        self.convert = convert
        self.failures = 0

    def __call__(self, text: str) -> str:
        try:
            return self.convert(text)
        except Exception:  # a peer's own error on one input: scored as no output
            self.failures += 1
            return ""


def _peer(name: str, build: Callable[[], Converter]) -> tuple[str, Converter] | None:
    try:
        converter = build()
        converter("salam")
    except Exception:  # a peer that is not installed, or breaks at once, is left out
        return None
    return f"{name} {metadata.version(name)}", Guarded(converter)


# Imported by name: the peers are not dependencies of the project (nor known to mypy).
def _arabizi_peer() -> Converter:
    function = importlib.import_module("arabizi").transliterate
    return lambda text: str(function(text))


def _arabizikit_peer() -> Converter:
    function = importlib.import_module("arabizikit").transliterate
    return lambda text: str(function(text).text)


def _cadar(direction: str) -> Converter:
    function = getattr(importlib.import_module("cadar"), direction)
    return lambda text: str(function(text, darija="Ma"))


def _darija_tools(direction: str) -> Converter:
    function = getattr(importlib.import_module("darija_tools"), direction)
    return lambda text: str(function(text))


def _aaransia(source: str, target: str) -> Converter:
    function = importlib.import_module("aaransia").transliterate
    return lambda text: str(function(text, source=source, target=target))


def peers_to_arabic() -> list[tuple[str, Converter]]:
    found = [
        _peer("arabizi", _arabizi_peer),
        _peer("arabizikit", _arabizikit_peer),
        _peer("cadar", lambda: _cadar("bizi2ara")),
        _peer("darija-tools", lambda: _darija_tools("to_arabic")),
        _peer("aaransia", lambda: _aaransia("ma", "ar")),
    ]
    return [p for p in found if p is not None]


def peers_to_latin() -> list[tuple[str, Converter]]:
    found = [
        _peer("cadar", lambda: _cadar("ara2bizi")),
        _peer("darija-tools", lambda: _darija_tools("to_arabizi")),
        _peer("aaransia", lambda: _aaransia("ar", "ma")),
    ]
    return [p for p in found if p is not None]


# ----------------------------------------------------------------------------- run


def run(
    rows: Sequence[AlignedRow],
    systems_ar: list[tuple[str, Converter]],
    systems_lat: list[tuple[str, Converter]],
) -> dict[str, Any]:
    by_kind = {k: [r for r in rows if r.kind == k] for k in KINDS}
    results: dict[str, Any] = {"to_arabic": {}, "to_latin": {}}
    for direction, systems, scorer in (
        ("to_arabic", systems_ar, score_to_arabic),
        ("to_latin", systems_lat, score_to_latin),
    ):
        for name, convert in systems:
            started = time.perf_counter()
            figures: dict[str, Any] = {}
            for kind, kind_rows in by_kind.items():
                if kind_rows:
                    failed_before = getattr(convert, "failures", 0)
                    figures[kind] = scorer(convert, kind_rows)
                    figures[kind]["failures"] = getattr(convert, "failures", 0) - failed_before
            results[direction][name] = figures
            print(f"{direction} {name}: {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return results


def markdown(results: dict[str, Any]) -> str:
    lines = []
    titles = {"to_arabic": "Arabizi → Arabic script", "to_latin": "Arabic script → Arabizi"}
    for direction, systems in results.items():
        if not systems or direction not in titles:
            continue
        kinds = [k for k in KINDS if any(k in s for s in systems.values())]
        lines.append(f"\n{titles[direction]} — CER % (word accuracy %)\n")
        lines.append("| system | " + " | ".join(kinds) + " |")
        lines.append("| --- |" + " --- |" * len(kinds))
        for name, figures in systems.items():
            cells = [
                f"{100 * figures[k]['cer']:.1f} ({100 * figures[k]['word_accuracy']:.0f})"
                if k in figures
                else "–"
                for k in kinds
            ]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    classifier = results.get("script_classifier", {})
    if classifier:
        lines.append("\nScript classifier — share named right (English / Arabizi / Arabic), %\n")
        lines.append("| rows | English | Arabizi | Arabic |")
        lines.append("| --- | --- | --- | --- |")
        for kind, figures in classifier.items():
            cells = [
                f"{100 * figures[f'accuracy_{code}']:.1f}" if f"accuracy_{code}" in figures else "–"
                for code in ("en", "ary-Latn", "ary")
            ]
            lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--doda", type=Path, default=DODA_DIR, help="DODa folder")
    parser.add_argument(
        "--split",
        choices=("train", "dev", "test"),
        default="test",
        help="DODa split to measure (default: test, the held-out one)",
    )
    parser.add_argument("--terjamabench", type=Path, help="local copy of TerjamaBench (test)")
    parser.add_argument("--no-peers", action="store_true", help="measure our code only")
    parser.add_argument(
        "--no-lexicon",
        action="store_true",
        help="do not build and measure the optional tables (from DODa's train+dev)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="results JSON (default: results/arabizi.json; nothing is written for other splits)",
    )
    args = parser.parse_args(argv)
    rows = [r for r in load_doda(args.doda) if r.split == args.split] if args.doda.is_dir() else []
    if args.terjamabench is not None:
        rows += load_terjamabench(args.terjamabench)
    if not rows:
        parser.error(f"no data: DODa is not at {args.doda} and no --terjamabench was given")
    systems_ar = [(RULES_AR, ours_rules_only())]
    systems_lat = [(RULES_LAT, ours_to_latin_rules())]
    tables = None if args.no_lexicon else local_tables(args.doda)
    if tables is not None:
        systems_ar.append((LEXICON_AR, ours_with_lexicon(tables[0])))
        systems_lat.append((LEXICON_LAT, ours_to_latin_with_table(tables[1])))
    if not args.no_peers:
        systems_ar += peers_to_arabic()
        systems_lat += peers_to_latin()
    results = run(rows, systems_ar, systems_lat)
    results["script_classifier"] = {
        kind: score_classifier([r for r in rows if r.kind == kind])
        for kind in KINDS
        if any(r.kind == kind for r in rows)
    }
    counts = {k: sum(r.kind == k for r in rows) for k in KINDS}
    record = {
        "figure": "arabizi",
        "split": args.split,
        "shipped": "rules only; the tables are built by each user from their own DODa copy",
        "tables": (
            {"lexicon": len(tables[0]), "pronunciation": len(tables[1]), "from": "train+dev"}
            if tables is not None
            else None
        ),
        "rows": {k: n for k, n in counts.items() if n},
        "python": platform.python_version(),
        "results": results,
    }
    print(markdown(results))
    output = args.output or (RESULTS / "arabizi.json" if args.split == "test" else None)
    if output is not None:
        output.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
