"""``Seq2SeqTrainer`` with dev-set translation scores and throughput/MFU logging.

Two small extensions, through the hooks the Trainer documents for subclassing:

* ``evaluation_loop`` adds chrF++ and BLEU of greedy translations of the dev examples to the
  dev loss, per direction and averaged (``eval_chrf``, ``eval_en-ary_chrf``…), so checkpoint
  selection and early stopping can use translation quality. Only the dev split is ever
  passed in; the test split is not read by training. Under several processes each one
  translates an equal share of every direction and the hypotheses are gathered, so all
  processes compute the same metrics (and make the same best-checkpoint decision).
* ``training_step``/``log`` count source and target tokens and the attention sums of every
  micro-batch on the device, and each training log gets tokens/s, model TFLOP/s per device
  and MFU (see ``trainer/flops.py``) over the time spent in training steps since the last log.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from typing import Any

from transformers import Seq2SeqTrainer

from trainer.corpus import Example
from trainer.flops import Seq2SeqShape, batch_stats
from trainer.generation import Decoding, HFTranslator
from trainer.launch import full_parameters, is_sharded
from trainer.metrics import corpus_scores, group_by_direction

logger = logging.getLogger(__name__)


class TranslationTrainer(Seq2SeqTrainer):
    """A Seq2SeqTrainer that scores dev translations and logs tokens/s and MFU."""

    def __init__(
        self,
        *args: Any,
        dev_examples: Sequence[Example] = (),
        decoding: Decoding | None = None,
        source_prefix: Sequence[str] = (),
        shape: Seq2SeqShape | None = None,
        peak_flops: float | None = None,
        max_source_length: int = 256,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.dev_examples = list(dev_examples)
        self.decoding = decoding or Decoding()
        self.source_prefix = list(source_prefix)
        self.shape = shape
        self.peak_flops = peak_flops
        self.max_source_length = max_source_length
        self._window_start: float | None = None
        self._window_stats: Any = None

    # ------------------------------------------------------------------ throughput

    def training_step(self, model: Any, inputs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        if self._window_start is None:
            self._window_start = time.perf_counter()
        stats = batch_stats(inputs)
        self._window_stats = stats if self._window_stats is None else self._window_stats + stats
        return super().training_step(model, inputs, *args, **kwargs)

    def log(self, logs: dict[str, float], *args: Any, **kwargs: Any) -> None:
        if "loss" in logs and self._window_stats is not None and self._window_start is not None:
            logs.update(self._throughput())
        super().log(logs, *args, **kwargs)

    def _throughput(self) -> dict[str, float]:
        stats = self._window_stats
        if self.args.world_size > 1:
            stats = self.accelerator.reduce(stats, reduction="sum")
        source, target, source_sq, target_sq, cross = (float(v) for v in stats.tolist())
        elapsed = max(time.perf_counter() - (self._window_start or 0.0), 1e-9)
        self._window_start, self._window_stats = None, None
        result = {
            "tokens_per_second": round((source + target) / elapsed, 1),
            "target_tokens_per_second": round(target / elapsed, 1),
        }
        if self.shape is not None:
            flops = self.shape.training_flops(source, target, source_sq, target_sq, cross)
            per_device = flops / elapsed / self.args.world_size
            result["tflops_per_device"] = round(per_device / 1e12, 4)
            if self.peak_flops:
                result["mfu"] = round(per_device / self.peak_flops, 4)
        return result

    # ------------------------------------------------------------------ dev scores

    def evaluation_loop(self, *args: Any, **kwargs: Any) -> Any:
        output = super().evaluation_loop(*args, **kwargs)
        prefix = kwargs.get("metric_key_prefix", args[4] if len(args) > 4 else "eval")
        if self.dev_examples and prefix == "eval" and output.metrics is not None:
            output.metrics.update(self.dev_scores(prefix))
        return output

    def _translator(self) -> HFTranslator:
        model = self.accelerator.unwrap_model(self.model)
        return HFTranslator(model, self.processing_class, self.source_prefix)

    def dev_scores(self, prefix: str = "eval") -> dict[str, float]:
        """chrF++ and BLEU of the dev translations, per direction and averaged."""
        from accelerate.utils import gather_object

        started = time.perf_counter()
        world, rank = self.args.world_size, self.args.process_index
        synced = world > 1 and is_sharded(self.model)
        translator = self._translator()
        metrics: dict[str, float] = {}
        for direction, indices in group_by_direction(self.dev_examples).items():
            examples = [self.dev_examples[i] for i in indices]
            # Equal shares per process (padded by repeating the last example): under
            # FSDP/ZeRO-3 every process must call generate the same number of times.
            share = math.ceil(len(examples) / world)
            padded = examples + [examples[-1]] * (share * world - len(examples))
            mine = padded[rank * share:(rank + 1) * share]
            with full_parameters(self.model):
                hyps = translator.translate(
                    [e.source for e in mine], mine[0].src_lang, mine[0].tgt_lang,
                    self.decoding, synced_gpus=synced, max_source_length=self.max_source_length,
                )
            if world > 1:
                hyps = gather_object(hyps)
            scores = corpus_scores(hyps[:len(examples)], [e.target for e in examples])
            for name in ("chrf", "bleu"):
                metrics[f"{prefix}_{direction}_{name}"] = scores[name]
        for name in ("chrf", "bleu"):
            values = [v for k, v in metrics.items() if k.endswith(f"_{name}")]
            metrics[f"{prefix}_{name}"] = round(sum(values) / len(values), 2)
        metrics[f"{prefix}_generation_seconds"] = round(time.perf_counter() - started, 2)
        return metrics

    # ------------------------------------------------------------------ loading checkpoints

    def _issue_warnings_after_load(self, load_result: Any) -> None:
        """Warn about missing weights only when they are really missing.

        A checkpoint does not store what the model rebuilds itself: the tied copies of the
        shared embeddings (``lm_head``, the encoder's and decoder's ``embed_tokens``) and the
        sinusoidal position tables. The Trainer reports them as "missing keys" when it
        resumes or loads the best checkpoint, although they are restored by tying (done here)
        and by the model's own initialization. Anything else missing is still a warning.
        """
        model: Any = self.accelerator.unwrap_model(self.model)
        rebuilt = set(getattr(model, "all_tied_weights_keys", None) or {}) | set(
            getattr(model, "_keys_to_ignore_on_save", None) or ())
        missing = list(getattr(load_result, "missing_keys", []))
        expected = [k for k in missing if k in rebuilt]
        if expected:
            model.tie_weights()
            logger.info("Checkpoint loaded; %d weights rebuilt by the model (tied embeddings, "
                        "sinusoidal positions), not read: %s", len(expected), ", ".join(expected))
        remaining = [k for k in missing if k not in rebuilt]
        if hasattr(load_result, "_replace"):  # torch's _IncompatibleKeys is a named tuple
            load_result = load_result._replace(missing_keys=remaining)
        else:
            load_result.missing_keys = remaining
        super()._issue_warnings_after_load(load_result)
