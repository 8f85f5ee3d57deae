"""Turning examples into model inputs, with the language-token checks NLLB needs.

NLLB (M2M100) examples are ``[src_code] source </s>`` → labels ``[tgt_code] target </s>``:
the decoder starts from ``</s>`` and its first prediction is the target language code, which
``generate`` then forces with ``forced_bos_token_id``. A tokenizer in "legacy" mode puts the
codes at the end instead, which trains a model that cannot be steered; every example is
checked, and a wrong layout stops training with an explanation. Marian examples are
``[prefix…] source </s>`` → ``target </s>``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from trainer.corpus import Example
from trainer.errors import TrainerError
from trainer.families import FAMILIES
from trainer.generation import nllb_code, prefix_ids

logger = logging.getLogger(__name__)
LEGACY_HINT = "Load the tokenizer without legacy_behaviour=True."


def select_directions(
    examples: Sequence[Example], family: str, wanted: Sequence[str]
) -> list[Example]:
    """The examples of the directions to train (Marian: one direction only)."""
    present = sorted({e.direction for e in examples})
    if wanted:
        missing = [d for d in wanted if d not in present]
        if missing:
            raise TrainerError(
                f"The data has no examples for {', '.join(missing)}; it has "
                f"{', '.join(present) or 'none'}.",
                hint="Fix 'directions' or prepare the data with bidirectional: true.",
            )
        chosen = list(wanted)
    elif not FAMILIES[family].needs_language_tokens:  # one model per direction (Marian)
        chosen = ["en-ary"] if "en-ary" in present else present[:1]
        if len(present) > 1:
            logger.info("Marian translates one direction: training %s only", chosen[0])
    else:
        chosen = present
    if not FAMILIES[family].needs_language_tokens and len(chosen) > 1:
        raise TrainerError(
            f"A Marian model translates one direction, not {', '.join(chosen)}: set "
            "directions: [en-ary], or use an NLLB model for both directions."
        )
    return [e for e in examples if e.direction in chosen]


def tokenize_examples(
    examples: Sequence[Example],
    tokenizer: Any,
    family: str,
    *,
    max_source_length: int,
    max_target_length: int,
    source_prefix: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Model inputs for each example, in order, with a ``length`` for length grouping."""
    prefix = prefix_ids(tokenizer, source_prefix) if source_prefix else []
    by_direction: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        by_direction[(example.src_lang, example.tgt_lang)].append(index)
    features: list[dict[str, Any]] = [{} for _ in examples]
    for (src_lang, tgt_lang), indices in by_direction.items():
        expected: tuple[int | None, int | None] = (None, None)
        if FAMILIES[family].needs_language_tokens:
            tokenizer.src_lang = nllb_code(tokenizer, src_lang)[0]
            tokenizer.tgt_lang = nllb_code(tokenizer, tgt_lang)[0]
            expected = (nllb_code(tokenizer, src_lang)[1], nllb_code(tokenizer, tgt_lang)[1])
        sources = tokenizer(
            [examples[i].source for i in indices], truncation=True, max_length=max_source_length
        )["input_ids"]
        targets = tokenizer(
            text_target=[examples[i].target for i in indices], truncation=True,
            max_length=max_target_length,
        )["input_ids"]
        for row, index in enumerate(indices):
            input_ids = prefix + list(sources[row])
            labels = list(targets[row])
            check_layout(input_ids, labels, expected, examples[index])
            features[index] = {
                "input_ids": input_ids,
                "attention_mask": [1] * len(input_ids),
                "labels": labels,
                "length": max(len(input_ids), len(labels)),
            }
    return features


def check_layout(
    input_ids: Sequence[int], labels: Sequence[int],
    expected: tuple[int | None, int | None], example: Example,
) -> None:
    """NLLB: the source starts with its language code and the labels with the target's."""
    source_code, target_code = expected
    if source_code is not None and (not input_ids or input_ids[0] != source_code):
        raise TrainerError(
            f"Example {example.id}: the source does not start with its language token "
            f"(id {source_code}).", hint=LEGACY_HINT,
        )
    if target_code is not None and (not labels or labels[0] != target_code):
        raise TrainerError(
            f"Example {example.id}: the labels do not start with the target language token "
            f"(id {target_code}), so the model would not learn to follow "
            "forced_bos_token_id.", hint=LEGACY_HINT,
        )
