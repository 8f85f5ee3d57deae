"""Figure 6, worker side: time full fine-tuning steps of our trainer or of the baseline.

Runs in its own process (``python -m benchmarks.worker finetune SPEC``). Two sides:

* ``terjman``: what ``python -m trainer train`` runs — :func:`trainer.train.training_arguments`
  (length grouping, AdamW fused on CUDA, bf16 when the GPU has it) and
  :class:`trainer.seq2seq.TranslationTrainer` — at the recipe's batch size.
* ``baseline``: a plain ``Seq2SeqTrainer`` with the issue's reading of the public Terjman
  training scripts: no length grouping, the Trainer's defaults otherwise (same precision as
  ours, so the comparison is about the loop and the batching, not the dtype), at the batch
  size the spec gives: 4 for the headline, the recipe's for the like-for-like side (then with
  the recipe's gradient checkpointing, so it fits in the same memory as ours).

Both get the same pre-tokenized features, no evaluation and no checkpoint saving during the
timed steps (they would time the disk, not training). Every side is measured the same way:
the collator reports each batch's token counts and attention sums (``trainer.flops``), a
callback stamps the end of every optimizer step, and tokens/s and model FLOP/s are the sums
over the steps after the warm-up divided by the time those steps took (data loading
included, since length grouping's cost and benefit both live there).
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import tempfile
import time
from typing import Any


def finetune(spec: dict[str, Any]) -> dict[str, Any]:
    import torch
    import transformers
    from transformers import DataCollatorForSeq2Seq, TrainerCallback

    from trainer.corpus import Example
    from trainer.families import family_of
    from trainer.features import tokenize_examples
    from trainer.flops import Seq2SeqShape, batch_stats, peak_flops

    torch.set_num_threads(int(spec["threads"]))
    logging.getLogger("transformers").setLevel(logging.ERROR)
    transformers.set_seed(0)
    checkpoint, side = spec["checkpoint"], spec["side"]
    batch_size, warmup, steps = int(spec["batch_size"]), int(spec["warmup"]), int(spec["steps"])
    tokenizer = transformers.AutoTokenizer.from_pretrained(checkpoint)
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(checkpoint, dtype=torch.float32)
    family = family_of(model.config).name
    examples = [Example(str(i), s, t, "en", "ary") for i, (s, t) in enumerate(spec["pairs"])]
    features = tokenize_examples(examples, tokenizer, family, max_source_length=256,
                                 max_target_length=256)
    shape = Seq2SeqShape.from_config(model.config)
    cuda = torch.cuda.is_available()
    checkpointing = bool(spec.get("gradient_checkpointing", False))

    stats: list[Any] = []
    padded: list[int] = []  # positions computed, padding included
    collate = DataCollatorForSeq2Seq(tokenizer, model=model, label_pad_token_id=-100,
                                     pad_to_multiple_of=8 if cuda and side == "terjman" else None)

    def counting_collator(batch: list[dict[str, Any]]) -> Any:
        collated = collate(batch)
        stats.append(batch_stats(collated))  # batch i is consumed by optimizer step i
        padded.append(collated["input_ids"].numel() + collated["labels"].numel())
        return collated

    step_ends: list[float] = []

    class StepClock(TrainerCallback):
        def on_train_begin(self, *args: Any, **kwargs: Any) -> None:
            step_ends.append(time.perf_counter())

        def on_step_end(self, *args: Any, **kwargs: Any) -> None:
            if cuda:
                torch.cuda.synchronize()
            step_ends.append(time.perf_counter())

    output_dir = tempfile.mkdtemp(prefix="terjman-bench-train-")
    common: dict[str, Any] = {
        "max_steps": warmup + steps, "eval_strategy": "no", "save_strategy": "no",
        "load_best_model_at_end": False, "logging_steps": 10**6, "report_to": ["none"],
        "dataloader_num_workers": 0, "disable_tqdm": True,
    }
    if side == "terjman":
        from trainer.seq2seq import TranslationTrainer
        from trainer.train import TrainArgs, training_arguments

        train_args = TrainArgs(data_dir=output_dir, output_dir=output_dir,
                               model_name_or_path=checkpoint, per_device_batch_size=batch_size,
                               gradient_checkpointing=checkpointing)
        if checkpointing:
            model.config.use_cache = False
        args = dataclasses.replace(training_arguments(train_args), **common)
        trainer: Any = TranslationTrainer(
            model=model, args=args, train_dataset=_dataset(features),
            processing_class=tokenizer, data_collator=counting_collator,
            callbacks=[StepClock()], shape=shape,
        )
    elif side == "baseline":
        if checkpointing:
            model.config.use_cache = False
        args = transformers.Seq2SeqTrainingArguments(
            output_dir=output_dir, per_device_train_batch_size=batch_size, learning_rate=5e-5,
            bf16=cuda and torch.cuda.is_bf16_supported(), seed=0,
            gradient_checkpointing=checkpointing, **common,
        )
        plain = [{k: f[k] for k in ("input_ids", "attention_mask", "labels")} for f in features]
        trainer = transformers.Seq2SeqTrainer(
            model=model, args=args, train_dataset=_dataset(plain), processing_class=tokenizer,
            data_collator=counting_collator, callbacks=[StepClock()],
        )
    else:
        raise ValueError(f"unknown side {side!r}: use terjman or baseline")
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    trainer.train()

    durations = [b - a for a, b in itertools.pairwise(step_ends)]
    timed = durations[warmup:warmup + steps]
    totals = sum(stats[warmup:warmup + len(timed)])
    source, target, source_sq, target_sq, cross = (float(v) for v in totals.tolist())
    elapsed = sum(timed)
    flops = shape.training_flops(source, target, source_sq, target_sq, cross)
    device = torch.cuda.get_device_name(0) if cuda else "cpu"
    peak = peak_flops(device)
    return {
        "side": side,
        "device": device,
        "precision": "bf16" if args.bf16 else "fp16" if args.fp16 else "fp32",
        "optimizer": str(args.optim),
        "group_by_length": _groups_by_length(args),
        "gradient_checkpointing": checkpointing,
        "parameters": sum(p.numel() for p in model.parameters()),
        "batch_size": batch_size,
        "steps": len(timed),
        "step_seconds": [round(s, 4) for s in timed],
        "source_tokens": source,
        "target_tokens": target,
        "positions_computed": sum(padded[warmup:warmup + len(timed)]),
        "tokens_per_second": (source + target) / elapsed,
        "target_tokens_per_second": target / elapsed,
        "model_tflops_per_second": flops / elapsed / 1e12,
        "mfu": flops / elapsed / peak if peak else None,
        "peak_gpu_memory_bytes": torch.cuda.max_memory_allocated() if cuda else None,
    }


def _dataset(features: list[dict[str, Any]]) -> Any:
    import datasets

    return datasets.Dataset.from_list(features)


def _groups_by_length(args: Any) -> bool:
    strategy = getattr(args, "train_sampling_strategy", None)
    return bool(getattr(args, "group_by_length", False) or strategy == "group_by_length")

