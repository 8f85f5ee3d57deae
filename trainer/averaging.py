"""``trainer average``: the mean of the last N checkpoints of a run, kept only if dev agrees.

Averaging the weights of the last few checkpoints (Vaswani et al. 2017; Marian's and
fairseq's ``average_checkpoints``) smooths out the noise of the last updates and usually
gains a little BLEU/chrF++ for free. It is a choice made on dev like any other: the averaged
model and the run's selected checkpoint (``best/``) translate the same dev sentences, and the
report says which scores higher; ``--require-gain`` (on by default) refuses an average that
does not beat ``best/``. The averaged folder is an ordinary checkpoint (tokenizer files and
``terjman_training.json`` included) that ``evaluate`` and ``export`` take like ``best/``::

    python -m trainer average runs/nano --last 5 --output-dir runs/nano/averaged
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.checkpoints import SUMMARY_NAME, TOKENIZER_FILES
from trainer.config import option
from trainer.corpus import Example, read_examples
from trainer.errors import TrainerError

logger = logging.getLogger(__name__)
_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")
REPORT_NAME = "averaging.json"


@dataclass
class AverageArgs:
    """Arguments of ``trainer average``."""

    run_dir: str = option(
        help="the output_dir of `trainer train` (checkpoint-*/ and best/)", positional=True
    )
    output_dir: str = option("", "folder for the averaged checkpoint (default: RUN/averaged)")
    last: int = option(
        5, "how many of the last checkpoints to average (needs save_total_limit ≥ this in training)"
    )
    dev_file: str | None = option(
        None, "dev.jsonl to compare the average with best/ on (default: the training data's)"
    )
    dev_sentences: int = option(200, "dev sentences per direction for the comparison")
    num_beams: int = option(1, "beam size of the comparison's translations")
    require_gain: bool = option(True, "fail unless the average scores higher than best/")
    overwrite: bool = option(False, "replace an existing output folder")


def run_checkpoints(run_dir: Path) -> list[Path]:
    """The ``checkpoint-<step>`` folders of a run, oldest first."""
    found = []
    for child in run_dir.iterdir() if run_dir.is_dir() else ():
        match = _CHECKPOINT.match(child.name)
        if match and (child / "config.json").is_file():
            found.append((int(match.group(1)), child))
    return [path for _, path in sorted(found)]


def average_weights(checkpoints: Sequence[Path]) -> Any:
    """A model whose floating-point weights are the mean of ``checkpoints``'.

    A running sum in float32, so only two copies are in memory; the config and the tensors
    that are not floating point come from the newest checkpoint.
    """
    import torch
    import transformers

    if not checkpoints:
        raise TrainerError("No checkpoints to average.")
    averaged: Any = None
    sums: dict[str, Any] = {}
    for index, folder in enumerate(checkpoints):
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(str(folder))
        state = model.state_dict()
        if averaged is None:
            averaged = model
            sums = {
                k: v.detach().to(torch.float32).clone()
                for k, v in state.items()
                if v.is_floating_point()
            }
            continue
        if set(state) != set(averaged.state_dict()):
            raise TrainerError(
                f"{folder} does not have the same weights as {checkpoints[0]}: "
                "only checkpoints of one run can be averaged."
            )
        for key, total in sums.items():
            total.add_(state[key].detach().to(torch.float32))
        if index == len(checkpoints) - 1:
            averaged = model  # the newest: config and non-float buffers
    final = averaged.state_dict()
    with torch.no_grad():
        for key, total in sums.items():
            final[key].copy_((total / len(checkpoints)).to(final[key].dtype))
    averaged.tie_weights()
    return averaged


def run_average(args: AverageArgs) -> dict[str, Any]:
    """Average the last ``args.last`` checkpoints, compare with ``best/`` on dev, save."""
    import transformers

    from trainer.checkpoints import copy_tokenizer_files, training_summary

    run_dir = Path(args.run_dir)
    checkpoints = run_checkpoints(run_dir)
    if args.last < 2:
        raise TrainerError("--last must be at least 2: averaging one checkpoint changes nothing.")
    if len(checkpoints) < args.last:
        raise TrainerError(
            f"{run_dir} has {len(checkpoints)} checkpoint(s), fewer than the {args.last} to "
            "average.",
            hint="Lower --last, or train with save_total_limit of at least that.",
        )
    chosen = checkpoints[-args.last :]
    output = Path(args.output_dir) if args.output_dir else run_dir / "averaged"
    if output.exists() and not args.overwrite:
        raise TrainerError(f"{output} exists.", hint="Pass --overwrite to replace it.")
    best = run_dir / "best"
    summary = training_summary(best if best.is_dir() else chosen[-1])
    logger.info("Averaging %s", ", ".join(c.name for c in chosen))
    model = average_weights(chosen)
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(chosen[-1]))

    dev_file = args.dev_file or (
        str(Path(summary["data_dir"]) / "dev.jsonl") if summary.get("data_dir") else None
    )
    if dev_file is None:
        raise TrainerError(
            "There is no dev file to compare the average with.",
            hint="Pass --dev-file DATA/dev.jsonl.",
        )
    dev = _dev_subset(read_examples(dev_file), summary.get("directions") or [], args.dev_sentences)
    prefix = summary.get("source_prefix") or []
    scores = {"averaged": _dev_chrf(model, tokenizer, dev, prefix, args.num_beams)}
    if best.is_dir():
        best_model = transformers.AutoModelForSeq2SeqLM.from_pretrained(str(best))
        scores["best"] = _dev_chrf(best_model, tokenizer, dev, prefix, args.num_beams)
    gain = round(scores["averaged"]["chrf"] - scores.get("best", {"chrf": 0.0})["chrf"], 2)
    report = {
        "checkpoints": [c.name for c in chosen],
        "dev_file": dev_file,
        "dev_sentences": len(dev),
        "num_beams": args.num_beams,
        "scores": scores,
        "chrf_gain_over_best": gain if "best" in scores else None,
    }
    logger.info(
        "Dev chrF++: averaged %.2f%s",
        scores["averaged"]["chrf"],
        f", best/ {scores['best']['chrf']:.2f}" if "best" in scores else "",
    )
    if args.require_gain and "best" in scores and gain <= 0:
        raise TrainerError(
            f"The average of {', '.join(c.name for c in chosen)} scores {gain:+.2f} chrF++ "
            "against best/ on dev: export best/ instead.",
            hint="Or average other checkpoints (--last), or pass --no-require-gain.",
        )
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    model.save_pretrained(str(output))
    tokenizer.save_pretrained(str(output))
    for name in TOKENIZER_FILES:
        if (chosen[-1] / name).is_file() and not (output / name).exists():
            shutil.copy2(chosen[-1] / name, output / name)
    copy_tokenizer_files(str(chosen[-1]), output)
    summary = {**summary, "averaged_from": [str(c.resolve()) for c in chosen], "averaging": report}
    (output / SUMMARY_NAME).write_text(json.dumps(summary, indent=2), "utf-8")
    (output / REPORT_NAME).write_text(json.dumps(report, indent=2), "utf-8")
    return {"checkpoint": str(output), **report}


def _dev_subset(
    examples: Sequence[Example], directions: Sequence[str], limit: int
) -> list[Example]:
    counts: dict[str, int] = {}
    chosen = []
    for example in examples:
        if directions and example.direction not in directions:
            continue
        if counts.get(example.direction, 0) < limit:
            counts[example.direction] = counts.get(example.direction, 0) + 1
            chosen.append(example)
    if not chosen:
        raise TrainerError("The dev file has no sentences of the model's directions.")
    return chosen


def _dev_chrf(
    model: Any, tokenizer: Any, dev: Sequence[Example], prefix: Sequence[str], num_beams: int
) -> dict[str, float]:
    """chrF++ per direction and their mean (``chrf``), as training's dev scores."""
    from trainer.generation import Decoding, HFTranslator
    from trainer.metrics import corpus_scores, group_by_direction

    translator = HFTranslator(model.eval(), tokenizer, prefix)
    result: dict[str, float] = {}
    for direction, indices in sorted(group_by_direction(dev).items()):
        rows = [dev[i] for i in indices]
        hyps = translator.translate(
            [e.source for e in rows],
            rows[0].src_lang,
            rows[0].tgt_lang,
            Decoding(num_beams, 256, 32, 3.0),
        )
        result[direction] = corpus_scores(hyps, [e.target for e in rows])["chrf"]
    result["chrf"] = round(sum(result.values()) / len(result), 2)
    return result
