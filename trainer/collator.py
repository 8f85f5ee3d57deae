"""Batches of translation examples, with the decoder inputs built from the labels.

A translation collator pads sources and labels and builds ``decoder_input_ids`` itself: the
labels shifted one position to the right behind the model's ``decoder_start_token_id`` (Marian:
``<pad>``; NLLB: ``</s>``), with the ``-100`` of padded label positions turned into the pad
id. Leaving it to the model does not always work: with label smoothing the Trainer takes the
labels out of the batch before the forward pass, and an M2M100/NLLB model given neither labels
nor decoder inputs fails (``You cannot specify both decoder_input_ids and
decoder_inputs_embeds``). Built here, the decoder sees the same inputs whatever the loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

IGNORE_INDEX = -100  # labels the loss skips (padding)


def shift_right(labels: Any, pad_token_id: int, decoder_start_token_id: int) -> Any:
    """Decoder inputs for ``labels`` (a ``[batch, length]`` tensor, padding as ``-100``)."""
    shifted = labels.new_full(labels.shape, pad_token_id)
    shifted[:, 1:] = labels[:, :-1]
    shifted[:, 0] = decoder_start_token_id
    return shifted.masked_fill(shifted == IGNORE_INDEX, pad_token_id)


def decoder_start_id(model: Any) -> int:
    """The token the decoder starts from, as ``generate`` uses it."""
    for config in (getattr(model, "generation_config", None), model.config):
        value = getattr(config, "decoder_start_token_id", None)
        if value is not None:
            return int(value)
    raise ValueError("The model config has no decoder_start_token_id.")  # not a Seq2Seq model


@dataclass
class TranslationCollator:
    """Pads a list of features (``input_ids``, ``attention_mask``, ``labels``) into tensors.

    Attributes:
        tokenizer: pads the sources (its pad id and padding side).
        pad_token_id: the model's pad id, for padded decoder inputs.
        decoder_start_token_id: the first decoder input of every example.
        pad_to_multiple_of: round padded lengths up (8 keeps GPU tensor cores busy).
    """

    tokenizer: Any
    pad_token_id: int
    decoder_start_token_id: int
    pad_to_multiple_of: int | None = None

    @classmethod
    def for_model(
        cls, tokenizer: Any, model: Any, pad_to_multiple_of: int | None = None
    ) -> TranslationCollator:
        return cls(
            tokenizer, int(model.config.pad_token_id), decoder_start_id(model), pad_to_multiple_of
        )

    def __call__(self, features: Sequence[dict[str, Any]]) -> dict[str, Any]:
        from transformers import DataCollatorForSeq2Seq

        # model=None: the decoder inputs are built below, the same way for every family.
        pad = DataCollatorForSeq2Seq(
            self.tokenizer,
            model=None,
            label_pad_token_id=IGNORE_INDEX,
            pad_to_multiple_of=self.pad_to_multiple_of,
        )
        batch: dict[str, Any] = dict(pad(list(features)))
        if batch.get("labels") is not None:
            batch["decoder_input_ids"] = shift_right(
                batch["labels"], self.pad_token_id, self.decoder_start_token_id
            )
        return batch
