"""How a run is launched, and the checks that make every launch option take effect or stop.

The Trainer reads the distributed setup from the launcher's environment (``torchrun`` and
``accelerate launch`` set ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK`` and ``MASTER_ADDR``). Left
alone, two things go wrong quietly, and both are stopped here:

* On a machine without CUDA, accelerate treats ``torchrun`` ranks as separate single-process
  runs unless it is told to use the CPU: each rank would build and train its own model. The
  run asks for the CPU explicitly (gloo), connects the process group from the launcher's
  environment, and checks that every rank joined (:func:`connect`).
* FSDP and DeepSpeed only exist on GPUs in accelerate: on the CPU (no CUDA, or
  ``ACCELERATE_USE_CPU``) they would be dropped and every process would hold the whole model.
  :func:`check_launch` stops such a run with a message instead.

DeepSpeed must not bring a recipe of its own: a DeepSpeed config that names an optimizer or a
scheduler replaces the configured AdamW/Adafactor, its no-decay groups (biases, LayerNorm)
and the warmup/decay schedule, so :func:`check_deepspeed_config` refuses one, and a gradient
accumulation set by ``accelerate launch`` must equal the recipe's.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any

from trainer.errors import ConfigError, TrainerError

logger = logging.getLogger(__name__)

_TRUE = ("1", "true", "yes", "on")
RECIPE_KEYS = ("optimizer", "scheduler")


def _env_flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in _TRUE


def world_size_from_env(environ: Mapping[str, str] | None = None) -> int:
    """The number of processes the launcher started (1 without a launcher)."""
    value = (os.environ if environ is None else environ).get("WORLD_SIZE", "1")
    try:
        return max(int(value), 1)
    except ValueError:
        raise ConfigError(
            f"WORLD_SIZE is '{value}', not a number; launch with torchrun or "
            "accelerate launch, which set it."
        ) from None


def requested_sharding(args: Any, environ: Mapping[str, str]) -> list[str]:
    """The sharding options of a run, each named as the user wrote it."""
    found = []
    if args.fsdp:
        found.append(f"fsdp ('{args.fsdp}')")
    if _env_flag(environ, "ACCELERATE_USE_FSDP"):
        found.append("FSDP from the accelerate config (ACCELERATE_USE_FSDP)")
    if args.deepspeed:
        found.append(f"deepspeed ({args.deepspeed})")
    if _env_flag(environ, "ACCELERATE_USE_DEEPSPEED"):
        found.append("DeepSpeed from the accelerate config (ACCELERATE_USE_DEEPSPEED)")
    return found


def check_launch(
    args: Any, *, cuda: bool | None = None, environ: Mapping[str, str] | None = None
) -> None:
    """Stop a run whose launch options cannot all take effect.

    Raises:
        ConfigError: FSDP or DeepSpeed without CUDA GPUs or under ``ACCELERATE_USE_CPU``;
            FSDP and DeepSpeed together; DeepSpeed from both the train config and accelerate;
            a DeepSpeed config with its own optimizer or scheduler; a gradient accumulation
            from ``accelerate launch`` that differs from the recipe's.
    """
    environ = os.environ if environ is None else environ
    if cuda is None:
        import torch

        cuda = torch.cuda.is_available()
    sharding = requested_sharding(args, environ)
    uses_fsdp = any("fsdp" in s.lower() for s in sharding)
    uses_deepspeed = any("deepspeed" in s.lower() for s in sharding)
    if uses_fsdp and uses_deepspeed:
        raise ConfigError(
            f"Both FSDP and DeepSpeed are asked for ({'; '.join(sharding)}); choose one."
        )
    if args.deepspeed and _env_flag(environ, "ACCELERATE_USE_DEEPSPEED"):
        raise ConfigError(
            "DeepSpeed is set twice: in the train config (deepspeed) and by accelerate launch.",
            hint="Keep one route: pass --deepspeed none with accelerate_deepspeed.yaml, or "
            "launch with torchrun.",
        )
    if sharding and _env_flag(environ, "ACCELERATE_USE_CPU"):
        raise ConfigError(
            f"{sharding[0]} cannot take effect with ACCELERATE_USE_CPU set: accelerate would "
            "drop it and every process would hold the whole model.",
            hint="Unset ACCELERATE_USE_CPU and launch on CUDA GPUs, or remove the FSDP/DeepSpeed "
            "option (torchrun on CPUs trains with plain DDP over gloo).",
        )
    if sharding and not cuda:
        raise ConfigError(
            f"{sharding[0]} needs CUDA GPUs and this machine has none: accelerate would drop "
            "it and every process would hold the whole model.",
            hint="Run it on GPU machines, or remove the FSDP/DeepSpeed option (torchrun on CPUs "
            "trains with plain DDP over gloo).",
        )
    if args.deepspeed:
        check_deepspeed_config(
            read_deepspeed_config(args.deepspeed), args.deepspeed, args.gradient_accumulation_steps
        )
    config_file = environ.get("ACCELERATE_DEEPSPEED_CONFIG_FILE", "none")
    if _env_flag(environ, "ACCELERATE_USE_DEEPSPEED") and config_file != "none":
        check_deepspeed_config(
            read_deepspeed_config(config_file), config_file, args.gradient_accumulation_steps
        )
    accumulation = environ.get("ACCELERATE_GRADIENT_ACCUMULATION_STEPS", "auto")
    if accumulation.isdigit() and int(accumulation) != args.gradient_accumulation_steps:
        raise ConfigError(
            f"accelerate launch sets gradient accumulation to {accumulation} and the recipe to "
            f"{args.gradient_accumulation_steps}.",
            hint="Leave gradient_accumulation_steps out of the accelerate config (the recipe's "
            "value is used), or pass --gradient-accumulation-steps to match.",
        )


def read_deepspeed_config(path: str) -> dict[str, Any]:
    from trainer.config import read_config_file

    return read_config_file(path)


def check_deepspeed_config(config: Mapping[str, Any], where: str, accumulation: int) -> None:
    """A DeepSpeed config may shard, but not choose the optimizer, schedule or batch."""
    own = [key for key in RECIPE_KEYS if key in config]
    if own:
        raise ConfigError(
            f"The DeepSpeed config {where} has its own {' and '.join(own)}: it would replace the "
            "recipe's optimizer (AdamW/Adafactor, no weight decay on biases and LayerNorm) "
            "and its warmup and decay schedule.",
            hint=f"Remove the {' and '.join(own)} section(s); the train config sets them "
            "(trainer/configs/deepspeed_zero3.yaml shows how).",
        )
    value = config.get("gradient_accumulation_steps", "auto")
    if value not in ("auto", accumulation):
        raise ConfigError(
            f"The DeepSpeed config {where} sets gradient_accumulation_steps {value} and the "
            f"recipe {accumulation}.",
            hint="Write gradient_accumulation_steps: auto.",
        )


def connect(training_args: Any, environ: Mapping[str, str] | None = None) -> int:
    """Join the launcher's process group (before anything waits on other ranks).

    ``TrainingArguments`` sets up the distributed state lazily, the first time its device is
    asked for; asking here connects every rank before the main process builds shared files.

    Returns:
        The number of processes.

    Raises:
        TrainerError: the launcher started several processes but they are not connected.
    """
    expected = world_size_from_env(environ)
    _ = training_args.device  # initializes accelerate's PartialState and the process group
    if expected > 1:
        import torch.distributed as dist

        joined = dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1
        if joined != expected or training_args.world_size != expected:
            raise TrainerError(
                f"The launcher started {expected} processes but they are not connected "
                f"(process group of {joined}): each would train a model of its own.",
                hint="Launch with torchrun or accelerate launch on GPUs, or on CPUs where the "
                "gloo backend is available.",
            )
        logger.info(
            "Process %d of %d (%s backend)",
            training_args.process_index,
            expected,
            dist.get_backend(),
        )
    return expected


@contextlib.contextmanager
def unpartitioned_initialization(training_args: Any) -> Iterator[None]:
    """Build models whole, even under DeepSpeed ZeRO-3.

    Arguments with a ZeRO-3 config make every ``from_pretrained``/``from_config`` partition the
    weights as it builds them (``zero.Init``). The from-scratch model is built, initialized
    and saved by the main process alone, so it must be built whole; the Trainer's own loading
    of it afterwards is partitioned as usual.
    """
    from transformers.integrations import deepspeed

    config = getattr(training_args, "hf_deepspeed_config", None)
    unset: Any = deepspeed.unset_hf_deepspeed_config  # untyped in transformers
    restore: Any = deepspeed.set_hf_deepspeed_config
    if config is None:
        yield
        return
    unset()
    try:
        yield
    finally:
        restore(config)


# ----------------------------------------------------------------------------- sharded models


def fsdp2_root(model: Any) -> Any:
    """The model if FSDP2 (``fully_shard``) manages it, else None."""
    try:
        from torch.distributed.fsdp import FSDPModule
    except ImportError:  # a torch without distributed support
        return None
    return model if isinstance(model, FSDPModule) else None


def is_sharded(model: Any) -> bool:
    """Whether the weights are split across processes (FSDP1, FSDP2 or DeepSpeed ZeRO-3)."""
    from transformers.integrations.deepspeed import is_deepspeed_zero3_enabled
    from transformers.integrations.fsdp import is_fsdp_managed_module

    zero3: Any = is_deepspeed_zero3_enabled  # untyped in transformers
    return bool(zero3() or is_fsdp_managed_module(model) or fsdp2_root(model) is not None)


@contextlib.contextmanager
def full_parameters(model: Any) -> Iterator[None]:
    """The root's parameters gathered while translating with ``generate``.

    ``generate`` calls the encoder and decoder directly, not the root module, so the root's
    own parameters (embeddings, output projection) would stay sharded. FSDP1 gathers them with
    ``summon_full_params``; FSDP2 with ``unshard``/``reshard`` of the root; each wrapped layer
    still gathers its own weights in its forward (hence synced generation).
    """
    import torch

    if not torch.distributed.is_available():
        yield
        return
    from torch.distributed.fsdp import FullyShardedDataParallel

    if isinstance(model, FullyShardedDataParallel):
        with FullyShardedDataParallel.summon_full_params(model, recurse=False):
            yield
        return
    root = fsdp2_root(model)
    if root is None:
        yield
        return
    root.unshard()
    try:
        yield
    finally:
        root.reshard()


# ----------------------------------------------------------------------------- replicas


def weights_digest(model: Any) -> str:
    """A digest of the weights, to compare the replicas of a DDP run.

    Each parameter is reduced where it lives (its sum and the sum of its squares, in float64,
    and its first and last values), so a 3.3B model is not copied to the host at every
    evaluation; identical replicas give identical reductions, and drifted ones differ.
    """
    import torch

    digest = hashlib.sha256()
    with torch.no_grad():
        for name, parameter in sorted(model.named_parameters()):
            flat = parameter.detach().reshape(-1).double()
            summary = torch.stack([flat.sum(), (flat * flat).sum(), flat[0], flat[-1]])
            digest.update(name.encode())
            digest.update(summary.cpu().numpy().tobytes())
    return digest.hexdigest()[:16]


def replica_check_callback() -> Any:
    """At every evaluation of a data-parallel run, the ranks' weights must be identical.

    DDP keeps replicas equal by averaging gradients; a rank that trained alone (not
    connected, or a wrong launch) would drift. The check gathers a digest of each rank's
    weights and stops the run when they differ. Sharded runs (FSDP, ZeRO-3) hold different
    pieces by design and are not checked.
    """
    from transformers import TrainerCallback

    class ReplicaCheck(TrainerCallback):
        def __init__(self) -> None:
            self.digests: list[dict[str, Any]] = []

        def on_evaluate(
            self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any
        ) -> None:
            import torch.distributed as dist

            if model is None or args.world_size < 2 or is_sharded(model):
                return
            mine = weights_digest(model)
            everyone: list[Any] = [None] * args.world_size
            dist.all_gather_object(everyone, mine)
            self.digests.append({"step": state.global_step, "digests": everyone})
            if len(set(everyone)) > 1:
                raise TrainerError(
                    f"At step {state.global_step} the {args.world_size} processes hold "
                    f"different weights ({', '.join(everyone)}): they are not training one model."
                )

    return ReplicaCheck()
