"""Corpus scores with sacrebleu: BLEU, chrF++ (``word_order=2``) and TER, with signatures.

The signatures say exactly how a score was computed (tokenizer, smoothing, casing, version),
so a figure in a report or the catalog can be reproduced and compared honestly. The scores
of ``trainer evaluate`` reports (``eval.json``) become the ``metrics`` of a package's manifest
(``trainer export``) and of its catalog entry (``trainer release``) through
:func:`metrics_from_reports`, with their source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trainer.corpus import Example
from trainer.errors import TrainerError

BLEU_TOKENIZERS = ("13a", "intl", "char", "none")


def corpus_scores(
    hypotheses: Sequence[str], references: Sequence[str], bleu_tokenize: str = "13a"
) -> dict[str, Any]:
    """BLEU, chrF++ and TER of a corpus, with their sacrebleu signatures."""
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    if len(hypotheses) != len(references):
        raise ValueError("hypotheses and references differ in length")
    if not references:
        raise TrainerError("There is nothing to score: the test set is empty for this direction.")
    bleu = BLEU(tokenize=bleu_tokenize)
    chrf = CHRF(word_order=2)
    ter = TER()
    refs = [list(references)]
    return {
        "n": len(references),
        "bleu": round(bleu.corpus_score(list(hypotheses), refs).score, 2),
        "chrf": round(chrf.corpus_score(list(hypotheses), refs).score, 2),
        "ter": round(ter.corpus_score(list(hypotheses), refs).score, 2),
        "signatures": {
            "bleu": str(bleu.get_signature()),
            "chrf": str(chrf.get_signature()),
            "ter": str(ter.get_signature()),
        },
    }


def group_by_direction(examples: Sequence[Example]) -> dict[str, list[int]]:
    """Indices of the examples of each direction (``en-ary``), in order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        groups[example.direction].append(index)
    return dict(groups)


def score_examples(
    examples: Sequence[Example], hypotheses: Sequence[str], bleu_tokenize: str = "13a"
) -> dict[str, dict[str, Any]]:
    """Scores per direction, with a per-topic table when the examples have topics."""
    results: dict[str, dict[str, Any]] = {}
    for direction, indices in group_by_direction(examples).items():
        hyps = [hypotheses[i] for i in indices]
        refs = [examples[i].target for i in indices]
        scores = corpus_scores(hyps, refs, bleu_tokenize)
        topics: dict[str, list[int]] = defaultdict(list)
        for i in indices:
            if examples[i].topic:
                topics[str(examples[i].topic)].append(i)
        if topics:
            scores["topics"] = {}
            for topic, members in sorted(topics.items()):
                scores["topics"][topic] = corpus_scores(
                    [hypotheses[i] for i in members], [examples[i].target for i in members],
                    bleu_tokenize,
                )
        results[direction] = scores
    return results


def _read_report(path: str) -> dict[str, Any]:
    from terjman_desktop.core import jsonio

    try:
        report = jsonio.load_file(path)
        report["directions"].items()
    except (jsonio.JsonReadError, KeyError, TypeError, AttributeError) as error:
        raise TrainerError(
            f"{path} is not an eval.json of `trainer evaluate` ({error})."
        ) from None
    if not isinstance(report, dict):
        raise TrainerError(f"{path} is not an eval.json of `trainer evaluate`.")
    return report


def metrics_from_reports(
    paths: Sequence[str], model_names: Sequence[str] = ()
) -> dict[str, dict[str, Any]]:
    """Catalog/manifest metrics from ``trainer evaluate`` reports, with their source.

    With ``model_names``, only reports of a model folder of one of those names are used.
    """
    metrics: dict[str, dict[str, Any]] = {}
    for path in paths:
        report = _read_report(path)
        if model_names and Path(report["model"]).name not in model_names:
            continue
        for direction, scores in report["directions"].items():
            key = report["benchmark"] if direction == "en-ary" else (
                f"{report['benchmark']}-{direction}")
            metrics[key] = {
                "bleu": scores["bleu"], "chrf": scores["chrf"], "ter": scores["ter"],
                "direction": direction, "sentences": scores["n"],
                "source": f"trainer evaluate of {Path(report['model']).name} on "
                f"{report['test']} ({report['kind']}, beam {report['decoding']['num_beams']}); "
                f"{scores['signatures']['bleu']}; {scores['signatures']['chrf']}",
            }
    return metrics


# How AtlasIA scored TerjamaBench (Terjman_v2/terjamabench.ipynb of the Terjman training
# repository): ASCII punctuation removed from both sides, then the *mean of sentence-level*
# BLEU (effective order), chrF (not chrF++) and TER. Corpus scores are not comparable with
# those figures, so the benchmark preset also computes these.
ATLASIA_PROTOCOL = (
    "AtlasIA's protocol: ASCII punctuation removed, mean of sentence-level BLEU "
    "(effective order), chrF and TER (Terjman_v2/terjamabench.ipynb)"
)


def atlasia_scores(hypotheses: Sequence[str], references: Sequence[str]) -> dict[str, Any]:
    """Mean sentence-level BLEU, chrF and TER after removing ASCII punctuation."""
    import statistics
    import string

    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF
    from sacrebleu.metrics.ter import TER

    if len(hypotheses) != len(references):
        raise ValueError("hypotheses and references differ in length")
    if not references:
        raise TrainerError("There is nothing to score: the test set is empty for this direction.")
    table = str.maketrans("", "", string.punctuation)
    pairs = [(h.translate(table).strip(), r.translate(table).strip())
             for h, r in zip(hypotheses, references, strict=True)]
    metrics = {"bleu": BLEU(effective_order=True), "chrf": CHRF(), "ter": TER()}
    scores: dict[str, Any] = {
        name: round(statistics.fmean(metric.sentence_score(h, [r]).score for h, r in pairs), 2)
        for name, metric in metrics.items()
    }
    scores["n"] = len(pairs)
    scores["protocol"] = ATLASIA_PROTOCOL
    scores["signatures"] = {name: str(metric.get_signature()) for name, metric in metrics.items()}
    return scores
