"""Test sets are scored as published: never normalized, cleaned or filtered.

A benchmark such as TerjamaBench is the yardstick, not training data: its idioms are short
beside long English glosses (the length-ratio rule), it quotes French and Arabizi (the script
rule), and its references are written the way the annotators wrote them (Arabic
normalization would change them). Cleaning it would drop the hard rows and score an easier
set. So a test set keeps every row verbatim; the one exception is a row with an empty source
or reference, which cannot be scored, and it is counted, never dropped silently.

Both routes to a score go through :func:`examples_from_pairs` — ``trainer data`` writing
``test.jsonl`` from ``test_sources`` and ``trainer evaluate`` reading a raw file or dataset
with a column mapping — so they score the same sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer.corpus import Example, RawPair


@dataclass(frozen=True)
class TestSet:
    """The examples of a test set and what was read to make them."""

    examples: list[Example]
    rows: int
    skipped_empty: int

    @property
    def pairs(self) -> int:
        return self.rows - self.skipped_empty


def is_scorable(pair: RawPair) -> bool:
    """A row can be scored when both its source and its reference hold some text."""
    return bool(pair.source.strip()) and bool(pair.target.strip())


def examples_from_pairs(
    pairs: Sequence[RawPair],
    source_lang: str,
    target_lang: str,
    *,
    both_directions: bool = True,
    split: str = "test",
) -> TestSet:
    """Examples for every scorable row, texts untouched, ids numbered by row.

    Args:
        pairs: The rows as read (:func:`trainer.corpus.load_pairs`).
        source_lang: Language of the pairs' source side (``en``).
        target_lang: Language of the target side (``ary``).
        both_directions: Also write the reverse example (target → source) of each row.
        split: The id prefix (``test-000012-f``).
    """
    examples: list[Example] = []
    skipped = 0
    for index, pair in enumerate(pairs):
        if not is_scorable(pair):
            skipped += 1
            continue
        pair_id = f"{split}-{index:06d}"
        examples.append(
            Example(f"{pair_id}-f", pair.source, pair.target, source_lang, target_lang, pair.topic)
        )
        if both_directions:
            examples.append(
                Example(
                    f"{pair_id}-r", pair.target, pair.source, target_lang, source_lang, pair.topic
                )
            )
    return TestSet(examples, len(pairs), skipped)
