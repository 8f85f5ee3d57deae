"""Cleaning parallel pairs: normalize, then drop what would teach the model something wrong.

Rules are checked in the order of :data:`REASONS` and a dropped pair is counted under the
first rule it breaks, so the report adds up to the number of pairs read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from trainer.corpus import RawPair
from trainer.normalization import (
    ArabicNormalization,
    match_key,
    near_duplicate_key,
    normalize_text,
    script_share,
)

REASONS = {
    "empty": "one side is empty",
    "no_letters": "one side has no letters (only numbers or punctuation)",
    "wrong_script": "one side is not mostly written in its language's script",
    "too_long": "one side is longer than max_chars characters or max_words words",
    "length_ratio": "one side is more than max_length_ratio times as long as the other",
    "repeated_ngram": "a word or phrase repeats max_ngram_repeats times in a row (a decoding "
    "loop)",
    "identical": "the target is a copy of the source",
    "duplicate": "the same pair (ignoring case, punctuation and spacing) was seen before",
    "near_duplicate": "the source sentence, up to case, punctuation, digits and Arabic "
    "spelling variants, came already from an earlier source",
}
SAMPLES_PER_REASON = 5


class CleaningRules(Protocol):
    """The settings the rules read (the data command's ``DataArgs`` has them all)."""

    source_lang: str
    target_lang: str
    arabic: ArabicNormalization
    scripts: dict[str, str]
    min_script_share: float
    max_chars: int
    max_words: int
    max_length_ratio: float
    ratio_min_chars: int
    max_ngram_repeats: int
    drop_identical: bool
    near_duplicates: bool


@dataclass
class CleanResult:
    """Pairs kept (normalized) and what was dropped, by rule and by source."""

    kept: list[RawPair] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    dropped_by_source: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    samples: dict[str, list[dict[str, str]]] = field(default_factory=lambda: defaultdict(list))
    read: int = 0


def _script_problem(text: str, lang: str, rules: CleaningRules) -> str | None:
    script = rules.scripts.get(lang)
    share = script_share(text, script or "latin")
    if share is None:
        return "no_letters"
    if script is not None and share < rules.min_script_share:
        return "wrong_script"
    return None


def check_pair(source: str, target: str, rules: CleaningRules) -> str | None:
    """The first rule a normalized pair breaks, or None when it is kept."""
    if not source or not target:
        return "empty"
    for text, lang in ((source, rules.source_lang), (target, rules.target_lang)):
        problem = _script_problem(text, lang, rules)
        if problem is not None:
            return problem
    for text in (source, target):
        if len(text) > rules.max_chars or len(text.split()) > rules.max_words:
            return "too_long"
    longer, shorter = max(len(source), len(target)), min(len(source), len(target))
    if longer >= rules.ratio_min_chars and longer > rules.max_length_ratio * shorter:
        return "length_ratio"
    if rules.max_ngram_repeats and any(
        repeated_ngram(text.split(), rules.max_ngram_repeats) for text in (source, target)
    ):
        return "repeated_ngram"
    if rules.drop_identical and match_key(source) == match_key(target):
        return "identical"
    return None


def repeated_ngram(words: list[str], limit: int, longest: int = 4) -> bool:
    """Whether some run of 1 to ``longest`` words repeats ``limit`` times in a row.

    "the the the the" and "I go I go I go I go" are what a teacher writes when its search
    loops; Darija's own doubling ("شوية شوية") repeats twice, well under the default 4.
    """
    casefolded = [w.casefold() for w in words]
    for size in range(1, longest + 1):
        for start in range(len(casefolded) - size * limit + 1):
            gram = casefolded[start:start + size]
            if all(casefolded[start + k * size:start + (k + 1) * size] == gram
                   for k in range(1, limit)):
                return True
    return False


def clean_pairs(
    pairs: Iterable[RawPair],
    rules: CleaningRules,
    seen: set[tuple[str, str]] | None = None,
    sources_seen: dict[str, str] | None = None,
) -> CleanResult:
    """Normalize and filter ``pairs``.

    ``seen`` carries duplicate keys across sources; ``sources_seen`` maps the near-duplicate
    key of every source sentence kept so far to the source it came from, so a sentence that
    an earlier source gave is not taken again from a later one (real corpora first, then
    synthetic ones: the real translation wins).
    """
    seen = set() if seen is None else seen
    sources_seen = {} if sources_seen is None else sources_seen
    result = CleanResult()
    for pair in pairs:
        result.read += 1
        source = normalize_text(pair.source, rules.arabic)
        target = normalize_text(pair.target, rules.arabic)
        reason = check_pair(source, target, rules)
        if reason is None:
            key = (match_key(source), match_key(target))
            near = near_duplicate_key(source)
            label = pair.origin.rsplit(":", 1)[0]
            if key in seen:
                reason = "duplicate"
            elif rules.near_duplicates and sources_seen.get(near, label) != label:
                reason = "near_duplicate"
            else:
                seen.add(key)
                sources_seen.setdefault(near, label)
                result.kept.append(RawPair(source, target, pair.topic, pair.origin))
                continue
        result.dropped[reason] += 1
        result.dropped_by_source[pair.origin.rsplit(":", 1)[0]][reason] += 1
        if len(result.samples[reason]) < SAMPLES_PER_REASON:
            result.samples[reason].append(
                {"origin": pair.origin, "source": pair.source, "target": pair.target}
            )
    return result


def merge(results: Iterable[CleanResult]) -> CleanResult:
    """One result for several sources."""
    total = CleanResult()
    for result in results:
        total.read += result.read
        total.kept.extend(result.kept)
        total.dropped.update(result.dropped)
        for name, counts in result.dropped_by_source.items():
            total.dropped_by_source[name].update(counts)
        for reason, samples in result.samples.items():
            room = SAMPLES_PER_REASON - len(total.samples[reason])
            total.samples[reason].extend(samples[:room])
    return total
