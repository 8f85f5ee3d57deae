"""Build ``terjman_desktop/core/translate/arabizi_lexicon.tsv`` from DODa's training part.

For each Latin word of the aligned rows of the chosen splits (default ``train`` and ``dev``;
never ``test``) the Arabic word it stands for is counted: word lists and short phrases pair
whole entries, sentences pair their words when both sides have as many. The lexicon keeps a
Latin word's most frequent Arabic spelling when it was seen at least ``--min-count`` times and
won at least ``--min-share`` of them, and only where the letter rules would write it
differently (without diacritics), so the file holds what the rules cannot know.

    python -m benchmarks.arabizi_build            # rewrite the packaged lexicon
    python -m benchmarks.arabizi_build --splits train --output /tmp/lexicon.tsv
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks.arabizi_data import SPLIT_SEED, AlignedRow, load_doda, strip_diacritics
from benchmarks.common import DODA_DIR, REPO
from terjman_desktop.core.translate.arabizi import arabizi_to_arabic, lexicon_key

LEXICON = REPO / "terjman_desktop" / "core" / "translate" / "arabizi_lexicon.tsv"
_LATIN_WORD = re.compile(r"^[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z0-9\u00c0-\u024f]+)*$")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}«»…-–—؟،؛"
HEADER = """\
# Arabizi lexicon of Terjman Desktop: latin<TAB>arabic, one word a line.
# Derived from the Darija Open Dataset (DODa), https://github.com/darija-open-dataset/dataset,
# © 2024 aissam & hamza, licensed under CC BY-NC 4.0
# (https://creativecommons.org/licenses/by-nc/4.0/); this file is under the same license.
# Changes: words paired from DODa's {splits} split(s) (seed {seed}), most frequent spelling kept
# where the letter rules of arabizi.py spell the word differently. Built by
# `python -m benchmarks.arabizi_build`.
"""


def word_pairs(rows: Iterable[AlignedRow]) -> Iterable[tuple[str, str]]:
    """(Latin word, Arabic word) pairs from aligned rows."""
    for row in rows:
        arabic_words = [w.strip(_EDGE_PUNCTUATION) for w in row.arabic.split()]
        for latin in row.latin:
            latin_words = [w.strip(_EDGE_PUNCTUATION) for w in latin.split()]
            if len(latin_words) != len(arabic_words):
                continue
            for lat, ara in zip(latin_words, arabic_words, strict=True):
                if lat and ara and _LATIN_WORD.match(lat):
                    yield lexicon_key(lat), ara


def build(rows: Sequence[AlignedRow], min_count: int, min_share: float) -> dict[str, str]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for latin, arabic in word_pairs(rows):
        counts[latin][arabic] += 1
    lexicon = {}
    for latin, spellings in counts.items():
        # Spellings that differ only by diacritics count together; the most written one wins.
        plain: Counter[str] = Counter()
        for spelling, n in spellings.items():
            plain[strip_diacritics(spelling)] += n
        best_plain, n = plain.most_common(1)[0]
        total = sum(plain.values())
        if n < min_count or n / total < min_share:
            continue
        best = max(
            (s for s in spellings if strip_diacritics(s) == best_plain), key=spellings.__getitem__
        )
        rules = arabizi_to_arabic(latin, lexicon=False)
        if strip_diacritics(rules) != best_plain:
            lexicon[latin] = best
    return lexicon


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--doda", type=Path, default=DODA_DIR)
    parser.add_argument("--splits", default="train,dev", help="comma-separated, never test")
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--min-share", type=float, default=0.5)
    parser.add_argument("--output", type=Path, default=LEXICON)
    args = parser.parse_args(argv)
    splits = set(args.splits.split(","))
    if "test" in splits:
        parser.error("the test split is held out: build from train and dev only")
    rows = [r for r in load_doda(args.doda) if r.split in splits]
    if not rows:
        parser.error(f"no DODa rows at {args.doda}")
    lexicon = build(rows, args.min_count, args.min_share)
    lines = [HEADER.format(splits="+".join(sorted(splits)), seed=SPLIT_SEED)]
    lines += [f"{latin}\t{arabic}\n" for latin, arabic in sorted(lexicon.items())]
    args.output.write_text("".join(lines), encoding="utf-8")
    print(f"{len(lexicon)} entries from {len(rows)} rows → {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
