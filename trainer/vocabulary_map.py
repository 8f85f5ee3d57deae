"""The package's vocabulary map at export: built from the training split, checked on dev.

``trainer export`` adds ``vmap.txt`` to the package (``--no-vmap`` skips it): the package
translates source sentences of the training split (never dev or test, on which the map is
judged) and the map keeps, per source token, the target pieces it wrote
(:mod:`terjman_desktop.core.translate.vocabulary_map`). The check then translates dev
sentences greedily with and without the map, one sentence per model call as a person
typing gets them, and reports the share of identical outputs and the chrF++ of both; a drop
above ``max_drop`` (0.2 points) fails the export.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.vocabulary_map import VocabularyMapParameters
from trainer.corpus import Example
from trainer.errors import QualityCheckError
from trainer.metrics import corpus_scores, group_by_direction

logger = logging.getLogger(__name__)


def map_corpus(
    examples: Sequence[Example], directions: Sequence[Direction], max_sentences: int
) -> tuple[dict[Direction, list[str]], dict[str, list[str]]]:
    """Source sentences per direction and target-language text per language.

    At most ``max_sentences`` of each direction, in file order (``trainer data`` shuffled
    the split).
    """
    wanted = {f"{d.source}-{d.target}": d for d in directions}
    corpus: dict[Direction, list[str]] = {}
    references: dict[str, list[str]] = {}
    for name, indices in group_by_direction(examples).items():
        if name not in wanted:
            continue
        chosen = [examples[i] for i in indices[:max_sentences]]
        corpus[wanted[name]] = [e.source for e in chosen]
        references.setdefault(wanted[name].target, []).extend(e.target for e in chosen)
    return corpus, references


def add_package_map(
    package: Path | str,
    train_examples: Sequence[Example],
    *,
    parameters: VocabularyMapParameters,
    max_sentences: int,
    device: str = "cpu",
) -> dict[str, Any] | None:
    """Build the package's map from training examples; its figures, or None (no examples)."""
    from terjman_desktop.core.translate.package import load_package
    from terjman_desktop.core.translate.vocabulary_map import add_vocabulary_map

    directions = load_package(package).manifest.directions
    corpus, references = map_corpus(train_examples, directions, max_sentences)
    if not corpus:
        logger.warning("No training example is in a direction of the package: no vocabulary "
                       "map was written.")
        return None
    stats = add_vocabulary_map(package, corpus, references=references, parameters=parameters,
                               device=device)
    logger.info("Vocabulary map: %d source tokens, %.1f candidates each, %d always kept; "
                "%.0f of %d pieces per sentence", stats.source_tokens, stats.mean_candidates,
                stats.always_kept, stats.mean_sentence_candidates, stats.vocabulary_size)
    return stats.to_json()


def check_vocabulary_map(
    package: Path | str,
    examples: Sequence[Example],
    *,
    max_drop: float = 0.2,
    max_sentences: int = 200,
    max_new_tokens: int = 128,
    device: str = "cpu",
) -> dict[str, Any]:
    """Greedy dev translations without and with the package's map; the report section.

    Args:
        package: A package folder whose manifest lists ``vmap.txt``.
        examples: Dev examples (never the training data the map was built from).
        max_drop: Largest allowed chrF++ drop (points) in any direction.
        max_sentences: Sentences per direction.
        max_new_tokens: The length limit, as in the export check.
        device: Where the package runs.
    """
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.options import TranslationOptions
    from terjman_desktop.core.translate.sentence_cache import SentenceCache
    from terjman_desktop.core.translate.vocabulary_map_check import compare_vocabulary_map

    translator = Translator(package, device=device, cache=SentenceCache(0))
    supported = {f"{d.source}-{d.target}" for d in translator.manifest.directions}
    options = TranslationOptions(beam_size=1, min_length=0, max_length=max_new_tokens,
                                 max_length_ratio=1000.0)
    directions: dict[str, Any] = {}
    try:
        for name, indices in group_by_direction(examples).items():
            if name not in supported:
                continue
            chosen = [examples[i] for i in indices[:max_sentences]]
            direction = Direction(chosen[0].src_lang, chosen[0].tgt_lang)
            comparison = compare_vocabulary_map(
                translator, [e.source for e in chosen], direction, options=options)
            references = [e.target for e in chosen]
            without = corpus_scores(comparison.without_map, references)["chrf"]
            with_map = corpus_scores(comparison.with_map, references)["chrf"]
            directions[name] = {
                "n": len(chosen),
                "identical": round(comparison.identical, 4),
                "chrf_without_map": without,
                "chrf_with_map": with_map,
                "drop": round(without - with_map, 2),
            }
    finally:
        translator.unload()
    return {
        "max_drop": max_drop,
        "passed": all(d["drop"] <= max_drop for d in directions.values()),
        "directions": directions,
    }


def raise_if_map_failed(section: dict[str, Any], report_path: Path) -> None:
    """Raise QualityCheckError naming the direction the map hurts most and what to do."""
    if section.get("passed", True):
        return
    worst, scores = max(section["directions"].items(), key=lambda item: item[1]["drop"])
    raise QualityCheckError(
        f"The vocabulary map loses {scores['drop']} chrF++ points on {worst} dev sentences "
        f"({scores['chrf_without_map']} without it, {scores['chrf_with_map']} with it; "
        f"{100 * scores['identical']:.1f}% identical), more than the {section['max_drop']} "
        "allowed.",
        hint="Build it from more training sentences (--vmap-sentences), keep more candidates "
        "(--vmap-max-per-token, --vmap-always-keep, a lower --vmap-min-count), or export "
        f"without it (--no-vmap). Details: {report_path}.",
    )

