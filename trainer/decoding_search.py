"""A small search of beam size and length penalty on dev, recorded as the package's defaults.

The package translates dev sentences through the app's own engine (what users get: the
quantized model, the vocabulary map, the app's length limits) with each beam size and length
penalty of a small grid; the scores (chrF++ averaged over directions, BLEU beside it) go to
``<package>.decoding.json``. The setting kept is the cheapest one within ``tolerance`` points
of the best score — the smallest beam, then the length penalty nearest 1.0 — since a bigger
beam costs time on every translation for a gain below the noise of a dev set. It is written
into the manifest as ``decoding: {beam_size, length_penalty}``; the app's engine then uses that
length penalty, and that beam size when its caller chose none
(``TranslationOptions.model_decoding``). Dev only: the test set stays for final figures.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trainer.corpus import Example
from trainer.errors import TrainerError

logger = logging.getLogger(__name__)
BEAMS = (1, 2, 4, 5)
LENGTH_PENALTIES = (0.8, 1.0, 1.2)


def _choose(trials: Sequence[dict[str, Any]], tolerance: float) -> dict[str, Any]:
    best = max(t["chrf"] for t in trials)
    close = [t for t in trials if t["chrf"] >= best - tolerance]
    return min(close, key=lambda t: (t["beam_size"], abs(t["length_penalty"] - 1.0), -t["chrf"]))


def search_decoding(
    package: Path | str,
    examples: Sequence[Example],
    *,
    beams: Sequence[int] = BEAMS,
    length_penalties: Sequence[float] = LENGTH_PENALTIES,
    max_sentences: int = 200,
    tolerance: float = 0.1,
    device: str = "cpu",
) -> dict[str, Any]:
    """Score every (beam, length penalty) of the grid on dev; returns the report.

    The length penalty does not change greedy search, so beam 1 is tried once (at 1.0).

    Raises:
        TrainerError: no dev sentence of the package's directions, or an empty grid.
    """
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.options import TranslationOptions
    from terjman_desktop.core.translate.sentence_cache import SentenceCache
    from trainer.metrics import corpus_scores, group_by_direction

    if not beams or not length_penalties:
        raise TrainerError(
            "The decoding search needs at least one beam size and one length penalty."
        )
    translator = Translator(package, device=device, cache=SentenceCache(0))
    try:
        supported = {f"{d.source}-{d.target}" for d in translator.manifest.directions}
        sets = {
            direction: [examples[i] for i in indices[:max_sentences]]
            for direction, indices in sorted(group_by_direction(examples).items())
            if direction in supported
        }
        if not sets:
            raise TrainerError(
                "The dev file has no sentences of the package's directions "
                f"({', '.join(sorted(supported))})."
            )
        trials = []
        for beam in sorted(set(beams)):
            for penalty in sorted(set(length_penalties)) if beam > 1 else [1.0]:
                options = TranslationOptions(
                    beam_size=beam, length_penalty=penalty, model_decoding=False
                )
                trial: dict[str, Any] = {"beam_size": beam, "length_penalty": penalty}
                for direction, rows in sets.items():
                    src, tgt = direction.split("-")
                    found = translator.translate_sentences(
                        [e.source for e in rows], Direction(src, tgt), options
                    )
                    hyps = [h[0].text if h else "" for h in found]
                    scores = corpus_scores(hyps, [e.target for e in rows])
                    trial[direction] = {"chrf": scores["chrf"], "bleu": scores["bleu"]}
                trial["chrf"] = round(sum(trial[d]["chrf"] for d in sets) / len(sets), 2)
                trial["bleu"] = round(sum(trial[d]["bleu"] for d in sets) / len(sets), 2)
                logger.info(
                    "beam %d, length penalty %.1f: chrF++ %.2f", beam, penalty, trial["chrf"]
                )
                trials.append(trial)
    finally:
        translator.unload()
    chosen = _choose(trials, tolerance)
    return {
        "metric": "chrf",
        "tolerance": tolerance,
        "sentences": {d: len(rows) for d, rows in sets.items()},
        "chosen": {"beam_size": chosen["beam_size"], "length_penalty": chosen["length_penalty"]},
        "best_chrf": max(t["chrf"] for t in trials),
        "chosen_chrf": chosen["chrf"],
        "trials": trials,
    }


def record_decoding(package: Path | str, chosen: dict[str, Any]) -> None:
    """Write the chosen settings into the package's manifest (``decoding``)."""
    from terjman_desktop.core.translate.package import load_package, write_manifest

    folder = Path(package)
    manifest = load_package(folder).manifest
    decoding = {
        "beam_size": int(chosen["beam_size"]),
        "length_penalty": float(chosen["length_penalty"]),
    }
    write_manifest(folder, dataclasses.replace(manifest, decoding=decoding))


def write_report(report: dict[str, Any], package: Path | str) -> Path:
    folder = Path(package)
    path = folder.with_name(folder.name + ".decoding.json")
    path.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return path
