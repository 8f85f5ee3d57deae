"""The optimizer, parameter groups and learning-rate schedule a run really gets.

One recipe whatever the launcher: a single process, DDP, FSDP and DeepSpeed must all train
with the configured optimizer (AdamW or Adafactor), the same parameter groups (no weight
decay on biases and LayerNorm weights) and the same warmup and decay. The Trainer builds them
in two ways — ``create_optimizer``/``create_scheduler`` (one process, DDP, FSDP2, which creates
the optimizer before wrapping), or transformers' DeepSpeed integration, which uses DeepSpeed's
own optimizer and scheduler when its config names them. :func:`trainer_optimization` builds
them the way the Trainer would for its set-up, without a GPU, and :func:`describe` turns them
into plain data that can be compared (the tests do) and recorded in the training summary.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

OPTIMIZER_SETTINGS = (
    "lr",
    "betas",
    "eps",
    "weight_decay",
    "scale_parameter",
    "relative_step",
    "warmup_init",
    "clip_threshold",
    "decay_rate",
)


def _inner(optimizer: Any) -> Any:
    """The torch optimizer inside accelerate's or DeepSpeed's wrappers."""
    while hasattr(optimizer, "optimizer") and optimizer.optimizer is not optimizer:
        optimizer = optimizer.optimizer
    return optimizer


def describe(optimizer: Any, scheduler: Any, model: Any, steps: Sequence[int]) -> dict[str, Any]:
    """Optimizer class, settings, parameter groups by name, and the learning rate at ``steps``.

    A DeepSpeed optimizer or scheduler named in its config appears as what it is
    (``DummyOptim``/``DummyScheduler``: DeepSpeed builds them later, from its config).
    """
    inner = _inner(optimizer)
    names = {id(p): n for n, p in model.named_parameters()}
    groups = []
    # accelerate's DummyOptim (DeepSpeed's optimizer, built later) holds one flat list.
    param_groups = getattr(inner, "param_groups", None) or [
        {"params": list(inner.params), "weight_decay": getattr(inner, "weight_decay", None)}
    ]
    for group in param_groups:
        groups.append(
            {
                "weight_decay": group.get("weight_decay"),
                "parameters": sorted(names.get(id(p), "?") for p in group["params"]),
            }
        )
    groups.sort(key=lambda g: (g["weight_decay"] is None, g["weight_decay"] or 0.0))
    settings = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in getattr(inner, "defaults", {}).items()
        if k in OPTIMIZER_SETTINGS
    }
    scheduler = getattr(scheduler, "scheduler", scheduler)  # accelerate's wrapper
    lambdas = getattr(scheduler, "lr_lambdas", None)
    if lambdas:
        base = list(scheduler.base_lrs)
        rates: list[float] | str = [round(base[0] * lambdas[0](step), 12) for step in steps]
    else:
        rates = type(scheduler).__name__
    return {
        "optimizer": type(inner).__name__,
        "settings": settings,
        "groups": groups,
        "learning_rates": rates,
    }


def trainer_optimization(
    trainer: Any, num_training_steps: int, deepspeed_config: dict[str, Any] | None = None
) -> tuple[Any, Any]:
    """The optimizer and scheduler the Trainer builds for its set-up.

    Args:
        trainer: a Trainer (its arguments carry the FSDP/DeepSpeed settings).
        num_training_steps: the run's optimizer steps.
        deepspeed_config: the DeepSpeed config accelerate would hand the Trainer (the
            ``accelerate launch`` route); by default the one of the training arguments.
    """
    args = trainer.args
    hf_config: Any = getattr(args, "hf_deepspeed_config", None)
    if deepspeed_config is None and hf_config is None:
        optimizer = trainer.create_optimizer()
        return optimizer, trainer.create_scheduler(num_training_steps, optimizer)
    from transformers.integrations import deepspeed as integration

    hf_ds_config = trainer_deepspeed_config_class()
    optim_sched: Any = integration.deepspeed_optim_sched  # untyped in transformers
    # What deepspeed_init does: fill the "auto" values from the arguments, then let the
    # config's optimizer/scheduler (if any) win over the Trainer's.
    source = deepspeed_config if deepspeed_config is not None else hf_config.config
    ds = hf_ds_config(copy.deepcopy(source))
    ds.trainer_config_process(args)
    ds.trainer_config_finalize(args, trainer.model, num_training_steps)
    parameters = [p for p in trainer.model.parameters() if p.requires_grad]
    trainer.optimizer, trainer.lr_scheduler = None, None
    optimizer, scheduler = optim_sched(trainer, ds, args, num_training_steps, parameters)
    if scheduler is None:  # the Trainer then creates its own (_prepare_for_training)
        scheduler = trainer.create_scheduler(num_training_steps, optimizer)
    return optimizer, scheduler


def trainer_deepspeed_config_class() -> Any:
    """The Trainer's ``HfTrainerDeepSpeedConfig``, usable without DeepSpeed installed.

    transformers builds that class on accelerate's ``HfDeepSpeedConfig`` only when DeepSpeed
    is installed (else on ``object``, with a version check that stops), although filling a
    config's "auto" values from the arguments needs nothing of DeepSpeed. Without it, the same
    methods are put on accelerate's class, so a machine without GPUs can show what DeepSpeed
    would be given.
    """
    from transformers.integrations import deepspeed as integration

    trainer_class: Any = integration.HfTrainerDeepSpeedConfig
    available: Any = integration.is_deepspeed_available  # untyped in transformers
    if available():
        return trainer_class
    from accelerate.utils.deepspeed import HfDeepSpeedConfig

    def initialize(self: Any, config: Any) -> None:
        HfDeepSpeedConfig.__init__(self, config)
        self._dtype = None
        self.mismatches = []

    # Methods and partialmethods (fill_only): everything the class itself defines.
    members = {k: v for k, v in vars(trainer_class).items() if not k.startswith("__")}
    return type("TrainerDeepSpeedConfig", (HfDeepSpeedConfig,), {**members, "__init__": initialize})
