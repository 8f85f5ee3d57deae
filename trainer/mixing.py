"""Weighted mixing of data sources in the training split.

A source's ``weight`` scales how many of its pairs the training split holds: 2 repeats each
pair twice, 2.5 repeats each twice and half of them (a seeded sample) a third time, 0.5 keeps
a seeded half. That is how a small, clean corpus is kept from drowning in millions of
synthetic pairs (or how a synthetic corpus is held to a share of the mix). Only the training
split is weighted: dev and test measure the real data as it is. The sample depends on the
seed and the source's name only, so the same data and config give the same mix.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

from trainer.corpus import RawPair


def source_label(pair: RawPair) -> str:
    """The name of the source a pair was read from (its ``origin`` is ``name:row``)."""
    return pair.origin.rsplit(":", 1)[0]


def weighted(pairs: Sequence[RawPair], weight: float, rng: random.Random) -> list[RawPair]:
    """``pairs`` repeated ``int(weight)`` times plus a sample of the fractional part."""
    whole = int(weight)
    extra = round((weight - whole) * len(pairs))
    sample = sorted(rng.sample(range(len(pairs)), extra)) if extra else []
    return list(pairs) * whole + [pairs[i] for i in sample]


def apply_weights(
    pairs: Sequence[RawPair], weights: Mapping[str, float], seed: int
) -> tuple[list[RawPair], dict[str, dict[str, float]]]:
    """The training pairs with each source weighted, in source order, and a report.

    Sources without a weight keep weight 1. The report gives, per source, its weight, its
    pairs before and after, and its share of the weighted split.
    """
    by_source: dict[str, list[RawPair]] = defaultdict(list)
    for pair in pairs:
        by_source[source_label(pair)].append(pair)
    mixed: list[RawPair] = []
    counts: dict[str, tuple[float, int, int]] = {}
    for label, members in by_source.items():
        weight = weights.get(label, 1.0)
        taken = weighted(members, weight, random.Random(f"{seed}:{label}"))
        mixed.extend(taken)
        counts[label] = (weight, len(members), len(taken))
    total = max(1, len(mixed))
    report = {
        label: {
            "weight": weight,
            "pairs": before,
            "weighted_pairs": after,
            "share": round(after / total, 4),
        }
        for label, (weight, before, after) in counts.items()
    }
    return mixed, report
