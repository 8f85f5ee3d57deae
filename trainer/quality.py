"""The post-export check: does the package translate as well as its checkpoint?

Quantization (int8 above all) changes a model's numbers, and conversion could change its
behaviour outright (the Marian ``<pad>`` start trap, see convert.py). The check translates
dev sentences greedily with the checkpoint (``generate``) and with the package (the app's
engine), under the same length limit, and compares corpus scores per direction. The
difference is the cost of the export; when it exceeds the threshold the export fails. The
package translates without its vocabulary map here: what the map changes is measured
apart, against the package itself (trainer/vocabulary_map.py).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trainer.corpus import Example
from trainer.errors import QualityCheckError
from trainer.generation import Decoding, HFTranslator, package_translate
from trainer.metrics import corpus_scores, group_by_direction
from trainer.report import quality_markdown

logger = logging.getLogger(__name__)


def check_package(
    checkpoint: Path | str,
    package: Path | str,
    examples: Sequence[Example],
    *,
    max_drop: float = 1.0,
    metric: str = "chrf",
    max_sentences: int = 200,
    source_prefix: Sequence[str] = (),
    decoding: Decoding | None = None,
    device: str = "cpu",
) -> dict[str, Any]:
    """Compare checkpoint and package on ``examples``; returns the report.

    Args:
        checkpoint: The Hugging Face checkpoint folder the package was exported from.
        package: The package folder.
        examples: Dev examples (never the test set: the test set is for final figures).
        max_drop: Largest allowed drop of ``metric`` (points) in any direction.
        metric: ``chrf`` (chrF++) or ``bleu``.
        max_sentences: Sentences per direction.
        source_prefix: Extra source tokens of a Marian checkpoint (``>>ary<<``).
        decoding: Greedy, 128 new tokens unless given.
        device: Where both models run.
    """
    from terjman_desktop.core.translate.package import load_package

    decoding = decoding or Decoding(num_beams=1, max_new_tokens=128)
    manifest = load_package(package).manifest
    supported = {f"{d.source}-{d.target}" for d in manifest.directions}
    translator = HFTranslator.from_pretrained(checkpoint, source_prefix, device)
    directions: dict[str, Any] = {}
    for direction, indices in group_by_direction(examples).items():
        if direction not in supported:
            continue
        chosen = [examples[i] for i in indices[:max_sentences]]
        sources = [e.source for e in chosen]
        references = [e.target for e in chosen]
        src, tgt = chosen[0].src_lang, chosen[0].tgt_lang
        reference_hyps = translator.translate(sources, src, tgt, decoding)
        package_hyps = package_translate(package, sources, src, tgt, decoding, device,
                                         use_vmap=False)
        ours = corpus_scores(reference_hyps, references)
        theirs = corpus_scores(package_hyps, references)
        same = sum(a == b for a, b in zip(reference_hyps, package_hyps, strict=True))
        directions[direction] = {
            "n": len(chosen),
            "checkpoint": {k: ours[k] for k in ("bleu", "chrf", "ter")},
            "package": {k: theirs[k] for k in ("bleu", "chrf", "ter")},
            "drop": round(ours[metric] - theirs[metric], 2),
            "same_output": round(same / len(chosen), 4),
        }
    if not directions:
        raise QualityCheckError(
            f"No dev example is in a direction the package translates "
            f"({', '.join(sorted(supported))}); give a dev file with those directions."
        )
    return {
        "package": str(package),
        "checkpoint": str(checkpoint),
        "quantization": manifest.quantization,
        "metric": metric,
        "max_drop": max_drop,
        "passed": all(d["drop"] <= max_drop for d in directions.values()),
        "directions": directions,
    }


def write_check_report(report: dict[str, Any], path: Path) -> None:
    """``path`` (.json) and the same name with .md."""
    path.write_text(json.dumps(report, indent=2), "utf-8")
    path.with_suffix(".md").write_text(quality_markdown(report), "utf-8")


def raise_if_failed(report: dict[str, Any], report_path: Path) -> None:
    """Raise QualityCheckError with the worst direction and what to do."""
    if report["passed"]:
        return
    if all(d["drop"] <= report["max_drop"] for d in report["directions"].values()):
        from trainer.vocabulary_map import raise_if_map_failed

        raise_if_map_failed(report["vocabulary_map"], report_path)
    worst, scores = max(report["directions"].items(), key=lambda item: item[1]["drop"])
    raise QualityCheckError(
        f"The {report['quantization']} package loses {scores['drop']} {report['metric']} "
        f"points on {worst} dev sentences (checkpoint {scores['checkpoint'][report['metric']]}"
        f", package {scores['package'][report['metric']]}), more than the "
        f"{report['max_drop']} allowed.",
        hint="Try a gentler quantization (--quantization int8_float16, float16 or float32), "
        "or raise --max-quality-drop if the loss is acceptable. The package was left at "
        f"{report['package']} for inspection; do not release it. Details: {report_path}.",
    )
