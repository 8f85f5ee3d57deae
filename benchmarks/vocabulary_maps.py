"""Vocabulary maps for the random-weight benchmark models (issue 14).

A real map is learned from what a trained model writes (``core/translate/vocabulary_map.py``);
a random-weight model writes noise, so a map learned from it would mean nothing. What the
speed of a map depends on is how many target tokens it leaves for a sentence or a batch, so
the benchmark packages get a map counted the builder's way (the same thresholds and
:func:`~terjman_desktop.core.translate.vocabulary_map.vocabulary_map_from_counts`) from the
benchmark corpus's **reference translations** instead of the model's: for every English
sentence, the target pieces of its Darija translation (DODa; the synthetic corpus without
it). That gives the map the size and overlap of a map learned from real translations.

Random weights generate a fixed number of tokens whatever they score (``min_decoding_length
= max_decoding_length``), so the map changes which tokens are written, not how many: the
work per step is what it is with a real model's map.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from benchmarks.common import log
from benchmarks.models import BuiltModel, _atomic
from terjman_desktop.core.atomic import link_or_copy

VMAP_SUFFIX = "+vmap"


def build_map_package(package: Path, out: Path, pairs: Iterable[tuple[str, str]]) -> None:
    """Copy ``package`` to ``out`` (hard links) and add a map counted from ``pairs``."""
    from collections import Counter, defaultdict

    from terjman_desktop.core.translate.manifest import VMAP_NAME
    from terjman_desktop.core.translate.package import load_package
    from terjman_desktop.core.translate.segment import clean_for_model
    from terjman_desktop.core.translate.tokenize import load_tokenizer, target_sentencepiece
    from terjman_desktop.core.translate.vocabulary_map import (
        VocabularyMapParameters,
        target_vocabulary,
        vocabulary_map_from_counts,
        write_vocabulary_map,
    )

    out.mkdir(parents=True)
    for path in package.iterdir():
        if path.is_file() and path.name != VMAP_NAME:
            link_or_copy(path, out / path.name)
    loaded = load_package(out)
    tokenizer, spm = load_tokenizer(loaded), target_sentencepiece(loaded)
    vocabulary = target_vocabulary(loaded)
    pair_counts: dict[str, Counter[str]] = defaultdict(Counter)
    written: Counter[str] = Counter()
    sentence_tokens: list[set[str]] = []
    for english, darija in pairs:
        source = set(tokenizer.encode(clean_for_model(english), "en", "ary"))
        pieces = spm.pieces(clean_for_model(darija))
        written.update(pieces)
        sentence_tokens.append(source)
        for token in source:
            pair_counts[token].update(set(pieces))
    built = vocabulary_map_from_counts(
        pair_counts, written, keep=set(vocabulary) & set(written),
        forced=set(tokenizer.target_prefix("en", "ary")) & set(vocabulary),
        sentence_tokens=sentence_tokens, vocabulary_size=len(vocabulary),
        parameters=VocabularyMapParameters(),
    )
    write_vocabulary_map(out, built)
    stats = built.stats
    log(f"vocabulary map for {package.parent.name}/{package.name}: {stats.source_tokens} "
        f"source tokens, {stats.mean_candidates:.1f} candidates each, {stats.always_kept} "
        f"always kept; a sentence allows {stats.mean_sentence_candidates:.0f} of "
        f"{stats.vocabulary_size} pieces")


def with_vocabulary_maps(model: BuiltModel,
                         quantizations: Iterable[str] = ("int8",)) -> BuiltModel:
    """``model`` with extra packages ``<quantization>+vmap`` (built once, cached beside).

    The map is counted over the whole benchmark corpus, so one cached map serves every plan.
    """
    from benchmarks.common import corpus

    pairs = corpus()[1]
    packages = dict(model.packages)
    for quantization in quantizations:
        if quantization not in model.packages:
            continue
        source = model.packages[quantization]
        final = source.parent / f"{source.name}-vmap"

        def make(out: Path, source: Path = source) -> None:
            build_map_package(source, out, pairs)

        packages[quantization + VMAP_SUFFIX] = _atomic(final, make)
    return replace(model, packages=packages)
