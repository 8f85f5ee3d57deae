"""``trainer train``: full fine-tuning of a Marian or NLLB checkpoint with Seq2SeqTrainer.

Read it top to bottom like a recipe: arguments → data → model → trainer → train → save.
Launch on one GPU with ``python -m trainer train``, on several with ``torchrun`` or
``accelerate launch`` (see trainer/README.md); the Trainer picks up the distributed setup.
"""
# ruff: noqa: RUF009 - option() is dataclasses.field() with help text, not a shared default

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from trainer.checkpoints import (
    SUMMARY_NAME,
    copy_tokenizer_callback,
    copy_tokenizer_files,
    scratch_model,
)
from trainer.config import option, to_dict
from trainer.corpus import read_examples
from trainer.errors import ConfigError
from trainer.families import family_of
from trainer.features import select_directions, tokenize_examples
from trainer.generation import Decoding

logger = logging.getLogger(__name__)


@dataclass
class TrainArgs:
    """Arguments of ``trainer train``."""

    data_dir: str = option(help="folder written by `trainer data` (train.jsonl, dev.jsonl)")
    output_dir: str = option(help="folder for checkpoints, logs and the selected model (best/)")
    model_name_or_path: str = option("", "base checkpoint: a Hub id (facebook/nllb-200-1.3B) "
                                     "or a local folder")
    from_scratch: Literal["", "tiny", "small", "nano", "large", "ultra", "supreme"] = option(
        "", "build a new randomly initialized model of this size, with SentencePiece models "
        "trained on train.jsonl, instead of loading weights (smoke runs and tests)")
    scratch_family: Literal["marian", "nllb"] = option("marian", "family of a from_scratch model")
    scratch_vocab_size: int = option(4000, "SentencePiece vocabulary of a from_scratch model")
    directions: list[str] = option(factory=list, help="directions to train, e.g. en-ary ary-en "
                                   "(default: Marian en-ary; NLLB every direction in the data)")
    source_prefix: list[str] = option(factory=list, help="tokens put before every source, "
                                      "e.g. >>ary<< for a multi-target Marian base model")
    max_source_length: int = option(256, "source tokens kept (longer sources are truncated)")
    max_target_length: int = option(256, "target tokens kept")
    learning_rate: float = option(5e-5, "peak learning rate")
    optimizer: Literal["adamw", "adafactor"] = option(
        "adamw", "AdamW (fused on CUDA) or Adafactor (less optimizer memory)")
    weight_decay: float = option(0.01, "AdamW weight decay (not on biases and norms)")
    adam_beta2: float = option(0.98, "AdamW second-moment decay")
    lr_scheduler: Literal["linear", "cosine", "inverse_sqrt", "constant_with_warmup"] = option(
        "linear", "decay after warmup")
    warmup: float = option(0.05, "warmup: a fraction of the steps (< 1) or a number of steps")
    label_smoothing: float = option(0.1, "label smoothing of the cross-entropy")
    max_grad_norm: float = option(1.0, "gradient clipping norm (0: off)")
    per_device_batch_size: int = option(16, "sentences per device per micro-batch")
    gradient_accumulation_steps: int = option(1, "micro-batches per optimizer step")
    num_epochs: float = option(3.0, "passes over the training data (max_steps wins if > 0)")
    max_steps: int = option(-1, "optimizer steps to run (-1: from num_epochs)")
    precision: Literal["auto", "bf16", "fp16", "fp32"] = option(
        "auto", "auto: bf16 on GPUs that support it, else fp32")
    gradient_checkpointing: bool = option(False, "recompute activations to save memory")
    group_by_length: bool = option(True, "batch sentences of similar length (less padding)")
    eval_steps: int = option(500, "evaluate on dev and save a checkpoint every this many steps")
    logging_steps: int = option(50, "log loss, learning rate, tokens/s and MFU this often")
    save_total_limit: int = option(3, "checkpoints kept (the best one is always kept)")
    best_metric: Literal["chrf", "bleu", "loss"] = option(
        "chrf", "dev metric that selects the checkpoint and drives early stopping")
    early_stopping_patience: int = option(5, "evaluations without improvement before "
                                          "stopping (0: never stop early)")
    early_stopping_threshold: float = option(0.0, "smallest improvement that counts")
    eval_max_sentences: int = option(500, "dev sentences translated per direction")
    eval_num_beams: int = option(1, "beam size of the dev translations")
    eval_max_new_tokens: int = option(128, "length limit of the dev translations")
    eval_batch_size: int = option(32, "sentences per dev generation and loss batch")
    resume: str = option("auto", "auto: continue from the last checkpoint in output_dir; "
                         "no: start over; or a checkpoint folder")
    seed: int = option(42, "seed for initialization, shuffling and dropout")
    peak_tflops: float | None = option(None, "peak TFLOP/s of one device for MFU (known "
                                       "GPUs are recognized)")
    fsdp: str = option("", "FSDP mode for the Trainer, e.g. 'full_shard auto_wrap'")
    fsdp_config: str | None = option(None, "FSDP config file (trainer/configs/fsdp.yaml)")
    deepspeed: str | None = option(None, "DeepSpeed config (trainer/configs/deepspeed_zero3.yaml)")
    report_to: list[str] = option(factory=lambda: ["none"], help="tensorboard, wandb, … or none")
    dataloader_num_workers: int = option(2, "data loading worker processes")
    cpu_threads: int = option(0, "torch CPU threads (0: torch's default; 1 is fastest for "
                              "tiny models on a busy machine)")

    def __post_init__(self) -> None:
        if not self.model_name_or_path and not self.from_scratch:
            raise ConfigError(
                "Set model_name_or_path (a Hub id such as Helsinki-NLP/opus-mt-en-ar, or a "
                "checkpoint folder), or from_scratch for a new random model."
            )
        if self.eval_steps % self.logging_steps:
            raise ConfigError(
                f"eval_steps ({self.eval_steps}) must be a multiple of logging_steps "
                f"({self.logging_steps}) so throughput windows never include evaluation; "
                "change one of them."
            )
        if self.warmup < 0 or (self.warmup >= 1 and not float(self.warmup).is_integer()):
            raise ConfigError("warmup must be a fraction in [0, 1) or a whole number of steps.")
        if self.per_device_batch_size < 1 or self.gradient_accumulation_steps < 1:
            raise ConfigError("per_device_batch_size and gradient_accumulation_steps must be ≥ 1.")


def _precision(choice: str) -> dict[str, bool]:
    import torch

    cuda = torch.cuda.is_available()
    if choice == "auto":
        choice = "bf16" if cuda and torch.cuda.is_bf16_supported() else "fp32"
    if choice != "fp32" and not cuda:
        raise ConfigError(f"precision {choice} needs a CUDA GPU; use precision: auto or fp32.")
    return {"bf16": choice == "bf16", "fp16": choice == "fp16"}


def training_arguments(args: TrainArgs) -> Any:
    """The Seq2SeqTrainingArguments of a run (also used by the tests)."""
    import dataclasses

    import torch
    from transformers import Seq2SeqTrainingArguments

    from trainer.launch import world_size_from_env

    optim = "adafactor" if args.optimizer == "adafactor" else (
        "adamw_torch_fused" if torch.cuda.is_available() else "adamw_torch")
    best = "loss" if args.best_metric == "loss" else args.best_metric
    kwargs: dict[str, Any] = dict(
        output_dir=args.output_dir, seed=args.seed, data_seed=args.seed,
        learning_rate=args.learning_rate, optim=optim, weight_decay=args.weight_decay,
        adam_beta2=args.adam_beta2, lr_scheduler_type=args.lr_scheduler,
        warmup_steps=args.warmup if args.warmup < 1 else int(args.warmup),
        label_smoothing_factor=args.label_smoothing, max_grad_norm=args.max_grad_norm,
        per_device_train_batch_size=args.per_device_batch_size,
        per_device_eval_batch_size=args.eval_batch_size,
        gradient_accumulation_steps=args.gradient_accumulation_steps,
        num_train_epochs=args.num_epochs, max_steps=args.max_steps,
        eval_strategy="steps", eval_steps=args.eval_steps, save_strategy="steps",
        save_steps=args.eval_steps, save_total_limit=args.save_total_limit,
        load_best_model_at_end=True, metric_for_best_model=best,
        greater_is_better=best != "loss", logging_steps=args.logging_steps,
        report_to=args.report_to, dataloader_num_workers=args.dataloader_num_workers,
        ddp_find_unused_parameters=False, **_fsdp(args),
        deepspeed=_structured(args.deepspeed),
        predict_with_generate=False, disable_tqdm=True,
        # Without CUDA, accelerate connects torchrun's ranks (gloo) only when told to use the
        # CPU; otherwise each rank would train a model of its own (trainer/launch.py). One
        # process keeps accelerate's own choice (e.g. Apple's MPS).
        use_cpu=not torch.cuda.is_available() and world_size_from_env() > 1,
        **_precision(args.precision),
    )
    names = {f.name for f in dataclasses.fields(Seq2SeqTrainingArguments)}
    # transformers ≥ 5.2 renamed gradient_checkpointing (the old name warns).
    checkpointing = "activation_checkpointing" if "activation_checkpointing" in names else (
        "gradient_checkpointing")
    kwargs[checkpointing] = args.gradient_checkpointing
    kwargs["dataloader_pin_memory"] = torch.cuda.is_available()
    if args.group_by_length:
        if "train_sampling_strategy" in names:  # transformers ≥ 5
            kwargs["train_sampling_strategy"] = "group_by_length"
        else:
            kwargs["group_by_length"] = True
    return Seq2SeqTrainingArguments(**kwargs)


def _fsdp(args: TrainArgs) -> dict[str, Any]:
    """FSDP as the Trainer now takes it: ``fsdp=True`` and everything in ``fsdp_config``.

    The words of ``fsdp`` (``full_shard auto_wrap``, the Trainer's older form, which it
    deprecates) become config entries the way the Trainer translates them for FSDP2:
    ``full_shard``/``shard_grad_op`` set ``reshard_after_forward``, ``offload`` sets
    ``cpu_offload``; the config file wins where it says otherwise.
    """
    config = _structured(args.fsdp_config)
    if not args.fsdp:
        return {"fsdp": None, "fsdp_config": config}
    config = dict(config or {})
    words = {"full_shard": ("reshard_after_forward", True),
             "shard_grad_op": ("reshard_after_forward", False),
             "offload": ("cpu_offload", True), "auto_wrap": None}
    for word in args.fsdp.split():
        if word not in words:
            raise ConfigError(f"fsdp (--fsdp) has '{word}'; use words of: "
                              f"{', '.join(words)} (FSDP2), e.g. 'full_shard auto_wrap'.")
        entry = words[word]
        if entry is not None:
            config.setdefault(*entry)
    return {"fsdp": True, "fsdp_config": config}


def _structured(path: str | None) -> dict[str, Any] | None:
    """An FSDP or DeepSpeed config file (YAML or JSON) as the dict the Trainer accepts."""
    if path is None:
        return None
    from trainer.config import read_config_file

    return read_config_file(path)


def _last_checkpoint(args: TrainArgs) -> str | None:
    from transformers import trainer_utils

    get_last_checkpoint: Any = trainer_utils.get_last_checkpoint  # untyped in transformers

    if args.resume == "no":
        return None
    if args.resume != "auto":
        if not Path(args.resume).is_dir():
            raise ConfigError(f"resume: {args.resume} is not a checkpoint folder.")
        return args.resume
    output = Path(args.output_dir)
    return get_last_checkpoint(str(output)) if output.is_dir() else None


def run_training(args: TrainArgs) -> dict[str, Any]:
    """Train, select the best dev checkpoint, save it to ``output_dir/best``; returns a summary."""
    import transformers
    from transformers import EarlyStoppingCallback

    from trainer.collator import TranslationCollator
    from trainer.flops import Seq2SeqShape, peak_flops
    from trainer.launch import (
        check_launch,
        connect,
        replica_check_callback,
        unpartitioned_initialization,
    )
    from trainer.seq2seq import TranslationTrainer

    check_launch(args)  # first: options that cannot take effect stop the run
    transformers.set_seed(args.seed)
    if args.cpu_threads > 0:
        import torch

        torch.set_num_threads(args.cpu_threads)
    data_dir = Path(args.data_dir)
    train_examples = read_examples(data_dir / "train.jsonl")
    dev_examples = read_examples(data_dir / "dev.jsonl")  # never test.jsonl
    training_args = training_arguments(args)
    world_size = connect(training_args)
    base = args.model_name_or_path
    if args.from_scratch:
        with training_args.main_process_first(desc="building the from-scratch model"), (
            unpartitioned_initialization(training_args)
        ):
            base = str(scratch_model(
                args.from_scratch, args.scratch_family, train_examples,
                Path(args.output_dir) / "init", vocab_size=args.scratch_vocab_size,
                seed=args.seed,
            ))
    tokenizer = transformers.AutoTokenizer.from_pretrained(base)
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(base)
    family = family_of(model.config).name
    train_examples = select_directions(train_examples, family, args.directions)
    directions = sorted({e.direction for e in train_examples})
    dev_examples = select_directions(dev_examples, family, directions)
    per_direction: dict[str, int] = {}
    dev_subset = []
    for example in dev_examples:
        if per_direction.get(example.direction, 0) < args.eval_max_sentences:
            per_direction[example.direction] = per_direction.get(example.direction, 0) + 1
            dev_subset.append(example)
    train_features, dev_features = (
        tokenize_examples(examples, tokenizer, family, max_source_length=args.max_source_length,
                          max_target_length=args.max_target_length,
                          source_prefix=args.source_prefix)
        for examples in (train_examples, dev_subset)
    )
    if args.gradient_checkpointing:
        model.config.use_cache = False
    device_name = _device_name()
    replicas = replica_check_callback()
    trainer = TranslationTrainer(
        model=model, args=training_args, train_dataset=_dataset(train_features),
        eval_dataset=_dataset(dev_features), processing_class=tokenizer,
        data_collator=TranslationCollator.for_model(
            tokenizer, model, pad_to_multiple_of=8 if device_name != "cpu" else None),
        callbacks=[copy_tokenizer_callback(base), replicas] + (
            [EarlyStoppingCallback(args.early_stopping_patience, args.early_stopping_threshold)]
            if args.early_stopping_patience > 0 else []),
        dev_examples=dev_subset,
        decoding=Decoding(args.eval_num_beams, args.eval_max_new_tokens, args.eval_batch_size),
        source_prefix=args.source_prefix, shape=Seq2SeqShape.from_config(model.config),
        peak_flops=peak_flops(device_name, args.peak_tflops),
        max_source_length=args.max_source_length,
    )
    logger.info("Training %s (%s, %s) on %d examples; dev %d; device %s", base, family,
                ", ".join(directions), len(train_features), len(dev_features), device_name)
    result = trainer.train(resume_from_checkpoint=_last_checkpoint(args))
    best_dir = Path(args.output_dir) / "best"
    trainer.save_model(str(best_dir))  # the best dev checkpoint (load_best_model_at_end)
    summary = {
        "base_model": args.model_name_or_path or f"from scratch ({args.from_scratch})",
        "family": family, "directions": directions,
        "source_prefix": args.source_prefix, "data_dir": str(data_dir.resolve()),
        "global_step": trainer.state.global_step,
        "best_checkpoint": trainer.state.best_model_checkpoint,
        "best_metric": {args.best_metric: trainer.state.best_metric},
        "train_loss": result.training_loss, "device": device_name, "args": to_dict(args),
        "world_size": world_size, "replica_checks": replicas.digests,
        "optimization": _optimization(trainer),
    }
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(str(best_dir))
        copy_tokenizer_files(base, best_dir)
        (best_dir / SUMMARY_NAME).write_text(json.dumps(summary, indent=2), "utf-8")
        (Path(args.output_dir) / "log_history.json").write_text(
            json.dumps(trainer.state.log_history, indent=1), "utf-8")
    return summary


def _optimization(trainer: Any) -> dict[str, Any]:
    """The optimizer, groups and schedule the run trained with (the same for every launcher)."""
    from trainer.optimization import describe

    if trainer.optimizer is None or trainer.lr_scheduler is None:
        return {}
    total = trainer.state.max_steps
    warmup = trainer.args.get_warmup_steps(total)
    steps = sorted({0, 1, warmup, total // 2, max(total - 1, 0)})
    model = trainer.accelerator.unwrap_model(trainer.model)
    return {"steps": steps, **describe(trainer.optimizer, trainer.lr_scheduler, model, steps)}


def _dataset(features: list[dict[str, Any]]) -> Any:
    import datasets

    return datasets.Dataset.from_list(features)


def _device_name() -> str:
    import torch

    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
