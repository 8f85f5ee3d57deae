"""Build the optional transliteration tables from your own DODa copy, into the app's data folder.

The app ships rules only: DODa is CC BY-NC 4.0 and the app Apache-2.0, so no table derived
from it is part of the repository or of a release. Whoever has a DODa copy can build the
tables locally; the converters pick them up from the app's data folder
(``<data>/arabizi``, see ``terjman_desktop.core.translate.arabizi_lexicon.tables_dir``;
``TERJMAN_HOME`` moves it) on their next conversion, and fall back to the rules when they
are absent. The files carry DODa's licence in their header: keep them for yourself.

Words are paired from the aligned rows of the chosen splits (default ``train`` and ``dev``;
never ``test``): word lists and short phrases pair whole entries, sentences pair their words
when both sides have as many.

* ``arabizi_lexicon.tsv`` (Arabizi → Arabic script): a Latin word's most frequent Arabic
  spelling, from every kind of row, seen at least ``--min-count`` times (3) and winning at
  least half of them;
* ``arabizi_pronunciation.tsv`` (the reading aid): an Arabic word's most frequent Latin
  spelling, from sentences only (the short phrases and word lists follow other conventions,
  ``8`` for ه, and made sentences worse), seen at least ``--min-pronunciation`` times (2).

Either keeps a word only where the letter rules spell it differently, so the files hold what
the rules cannot know. The thresholds were chosen on the dev split (see the README figures).

    python -m benchmarks.arabizi_build --doda ~/doda          # into the app's data folder
    python -m benchmarks.arabizi_build --splits train --out /tmp/tables
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks.arabizi_data import SPLIT_SEED, AlignedRow, load_doda, strip_diacritics
from benchmarks.common import DODA_DIR
from terjman_desktop.core.errors import LocationError
from terjman_desktop.core.paths import ensure_dir
from terjman_desktop.core.translate.arabizi import arabizi_to_arabic, lexicon_key
from terjman_desktop.core.translate.arabizi_lexicon import (
    LEXICON_FILE,
    PRONUNCIATION_FILE,
    tables_dir,
)
from terjman_desktop.core.translate.transliterate import to_arabizi

_LATIN_WORD = re.compile(r"^[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z0-9\u00c0-\u024f]+)*$")
_ARABIC_WORD = re.compile("^[\u0621-\u0652\u0670\u0671-\u06d3\u06fa-\u06ff]+$")  # DODa has slips
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}«»…-–—؟،؛"
HEADER = """\
# {title} of Terjman Desktop: {columns}, one word a line.
# Derived from the Darija Open Dataset (DODa), https://github.com/darija-open-dataset/dataset,
# © 2024 aissam & hamza, licensed under CC BY-NC 4.0
# (https://creativecommons.org/licenses/by-nc/4.0/); this file is under the same license:
# built locally for your own use, never to be committed to Terjman Desktop or shipped with it.
# Changes: words paired from DODa's {splits} split(s) (seed {seed}), the most frequent
# spelling kept where the letter rules spell the word differently.
# Built by `python -m benchmarks.arabizi_build`.
"""


def word_pairs(
    rows: Iterable[AlignedRow], kinds: Sequence[str] | None = None
) -> Iterable[tuple[str, str]]:
    """(Latin word, Arabic word) pairs from aligned rows (of the given kinds only)."""
    for row in rows:
        if kinds is not None and row.kind not in kinds:
            continue
        arabic_words = [w.strip(_EDGE_PUNCTUATION) for w in row.arabic.split()]
        for latin in row.latin:
            latin_words = [w.strip(_EDGE_PUNCTUATION) for w in latin.split()]
            if len(latin_words) != len(arabic_words):
                continue
            for lat, ara in zip(latin_words, arabic_words, strict=True):
                # DODa's Arabic column spells sh as س+ه (shno → سهنو); people mean ش.
                if _LATIN_WORD.match(lat) and _ARABIC_WORD.match(ara) and "sh" not in lat.lower():
                    yield lexicon_key(lat), ara


def most_frequent(
    pairs: Iterable[tuple[str, str]], min_count: int, min_share: float
) -> dict[str, str]:
    """For each key, its most frequent value, when frequent enough and winning enough."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for key, value in pairs:
        counts[key][value] += 1
    table = {}
    for key, values in counts.items():
        best, n = values.most_common(1)[0]
        if n >= min_count and n / sum(values.values()) >= min_share:
            table[key] = best
    return table


def build_lexicon(rows: Sequence[AlignedRow], min_count: int) -> dict[str, str]:
    """Latin word → Arabic spelling, where the letter rules get it wrong."""
    # Spellings that differ only by diacritics count together; the most written one is kept.
    pairs = list(word_pairs(rows))
    plain = most_frequent(((lat, strip_diacritics(ar)) for lat, ar in pairs), min_count, 0.5)
    written = most_frequent(
        ((lat, ar) for lat, ar in pairs if plain.get(lat) == strip_diacritics(ar)), 1, 0.0
    )
    return {
        latin: written[latin]
        for latin, arabic in plain.items()
        if strip_diacritics(arabizi_to_arabic(latin, lexicon=False)) != arabic
    }


def build_pronunciation(rows: Sequence[AlignedRow], min_count: int) -> dict[str, str]:
    """Arabic word (no marks) → Latin spelling, from sentences, where the rules differ."""
    pairs = ((strip_diacritics(ar), lat) for lat, ar in word_pairs(rows, kinds=("sentences",)))
    table = most_frequent(pairs, min_count, 0.5)
    kept = {}
    for arabic, latin in table.items():
        rules = to_arabizi(arabic, pronunciation=False).lower()
        # Only vowels and doubling, what the script does not write: never other consonants
        # (no 8 for h or 5 for kh, no English reading of a loanword: جو is not "jew").
        if rules != latin and skeleton(rules) == skeleton(latin):
            kept[arabic] = latin
    return kept


def skeleton(latin: str) -> str:
    """The consonants of a Latin spelling, doubles once: what vowels and gemination leave."""
    consonants = re.sub(r"[aeiouyw]", "", latin)
    return re.sub(r"(.)\1+", r"\1", consonants)


def write_table(path: Path, title: str, columns: str, splits: str, table: dict[str, str]) -> None:
    lines = [HEADER.format(title=title, columns=columns, splits=splits, seed=SPLIT_SEED)]
    lines += [f"{key}\t{value}\n" for key, value in sorted(table.items())]
    path.write_text("".join(lines), encoding="utf-8")
    print(f"{len(table)} entries → {path}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--doda", type=Path, default=DODA_DIR)
    parser.add_argument("--splits", default="train,dev", help="comma-separated, never test")
    parser.add_argument("--min-count", type=int, default=3, help="for the lexicon")
    parser.add_argument(
        "--min-pronunciation", type=int, default=2, help="for the pronunciation table"
    )
    parser.add_argument(
        "--out",
        "--output-dir",
        dest="output_dir",
        type=Path,
        help="folder to write the tables in (default: the app's data folder, <data>/arabizi)",
    )
    args = parser.parse_args(argv)
    splits = set(args.splits.split(","))
    if "test" in splits:
        parser.error("the test split is held out: build from train and dev only")
    if not splits <= {"train", "dev"}:
        parser.error(f"--splits: train and/or dev, not {args.splits!r}")
    rows = [r for r in load_doda(args.doda) if r.split in splits]
    if not rows:
        parser.error(f"no DODa rows at {args.doda}")
    names = "+".join(sorted(splits))
    try:
        output_dir = ensure_dir(args.output_dir or tables_dir())
    except LocationError as error:
        parser.error(str(error))
    write_table(
        output_dir / LEXICON_FILE,
        "Arabizi lexicon",
        "latin<TAB>arabic",
        names,
        build_lexicon(rows, args.min_count),
    )
    write_table(
        output_dir / PRONUNCIATION_FILE,
        "Arabizi pronunciation table",
        "arabic<TAB>latin",
        names,
        build_pronunciation(rows, args.min_pronunciation),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
