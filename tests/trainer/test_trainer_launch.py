"""One recipe whatever the launcher, and launch options that cannot take effect stop the run.

The optimizer, its parameter groups and the learning-rate schedule are built the way the
Trainer builds them for each set-up (trainer/optimization.py): one process, FSDP2, DeepSpeed
ZeRO-2/3 from the train config, and DeepSpeed from ``accelerate launch`` (accelerate's own
launcher code turns ``accelerate_deepspeed.yaml`` into the environment the Trainer reads);
then they are compared. No GPU is needed, nor DeepSpeed itself: DeepSpeed's side is the
Trainer's translation of the DeepSpeed config (``HfTrainerDeepSpeedConfig`` filled from the
arguments, then ``deepspeed_optim_sched``), which decides whether DeepSpeed's optimizer and
scheduler replace ours. DDP builds them like one process; ``test_trainer_distributed.py``
compares a real two-process run's recorded recipe with a single-process run's.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from trainer.config import load_config, read_config_file
from trainer.errors import ConfigError
from trainer.launch import check_deepspeed_config, check_launch
from trainer.train import TrainArgs

CONFIGS = Path(__file__).resolve().parents[2] / "trainer" / "configs"
STEPS = 100
SAMPLES = [0, 1, 2, 3, 10, 50, 99]


def recipe(size: str, **overrides: Any) -> TrainArgs:
    return load_config(
        TrainArgs,
        "train",
        CONFIGS / f"{size}.yaml",
        {"model_name_or_path": "m", "deepspeed": None, **overrides},
    )


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """TrainingArguments and accelerate write ACCELERATE_*/FSDP_* variables: undo them.

    Without DeepSpeed installed (a GPU machine's package), accelerate does not export the
    placeholders (``DummyOptim``, ``DummyScheduler``) that transformers' DeepSpeed code
    returns for a config's own optimizer and scheduler; they are accelerate's own classes,
    which need nothing of DeepSpeed, so they are exported for the test.
    """
    import accelerate.utils
    from accelerate.utils import deepspeed as accelerate_deepspeed
    from transformers.integrations import deepspeed

    unset_hf_deepspeed_config: Any = deepspeed.unset_hf_deepspeed_config  # untyped
    for name in ("DummyOptim", "DummyScheduler"):
        if not hasattr(accelerate.utils, name):
            monkeypatch.setattr(
                accelerate.utils, name, getattr(accelerate_deepspeed, name), raising=False
            )
    saved = dict(os.environ)
    yield
    unset_hf_deepspeed_config()
    os.environ.clear()
    os.environ.update(saved)


def accelerate_deepspeed_env(config_file: Path) -> dict[str, str]:
    """The environment ``accelerate launch --config_file …`` gives the training processes."""
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser
    from accelerate.utils.launch import prepare_deepspeed_cmd_env

    parser = launch_command_parser()
    args = parser.parse_args(["--config_file", str(config_file), "-m", "trainer", "train"])
    args, defaults, _ = _validate_launch_command(args)
    args.deepspeed_fields_from_accelerate_config = ",".join(defaults.deepspeed_config)
    _, env = prepare_deepspeed_cmd_env(args)
    return {k: v for k, v in env.items() if k.startswith("ACCELERATE_")}


def effective(
    size: str,
    base: Any,
    tmp_path: Path,
    *,
    accelerate_env: dict[str, str] | None = None,
    **launcher: Any,
) -> dict[str, Any]:
    """The optimizer, groups and schedule the Trainer builds for a recipe and a set-up."""
    from transformers.integrations import deepspeed

    unset_hf_deepspeed_config: Any = deepspeed.unset_hf_deepspeed_config  # untyped

    from trainer.optimization import describe, trainer_optimization
    from trainer.seq2seq import TranslationTrainer
    from trainer.train import training_arguments

    where = {"data_dir": str(tmp_path), "output_dir": str(tmp_path / "out")}
    plain_args = training_arguments(recipe(size, **where))
    model = copy.deepcopy(base)
    trainer = TranslationTrainer(
        model=model, args=plain_args, train_dataset=[{}], eval_dataset=[{}]
    )
    # The set-up's own arguments (the FSDP plugin). Its DeepSpeed config goes through
    # transformers' translation (filled from the recipe, then deepspeed_optim_sched) as
    # deepspeed_init does; TrainingArguments(deepspeed=…) itself needs deepspeed installed.
    deepspeed_file = launcher.pop("deepspeed", None)
    trainer.args = training_arguments(recipe(size, **where, **launcher))
    deepspeed_config = read_config_file(deepspeed_file) if deepspeed_file else None
    if accelerate_env is not None:
        from accelerate.utils import DeepSpeedPlugin

        os.environ.update(accelerate_env)
        deepspeed_config = DeepSpeedPlugin().hf_ds_config.config
    try:
        optimizer, scheduler = trainer_optimization(trainer, STEPS, deepspeed_config)
    finally:
        unset_hf_deepspeed_config()
    return describe(optimizer, scheduler, model, SAMPLES)


@pytest.mark.parametrize(("size", "optimizer"), [("nano", "adamw"), ("ultra", "adafactor")])
def test_every_launcher_trains_the_same_recipe(
    size: str,
    optimizer: str,
    marian_checkpoint: Path,
    nllb_checkpoint: Path,
    tmp_path: Path,
    clean_environ: None,
) -> None:
    import transformers

    folder = marian_checkpoint if size == "nano" else nllb_checkpoint
    base = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder)
    choice: dict[str, Any] = {"optimizer": optimizer}
    plain = effective(size, base, tmp_path, **choice)
    setups = {
        "fsdp2": effective(
            size,
            base,
            tmp_path,
            fsdp="full_shard auto_wrap",
            fsdp_config=str(CONFIGS / "fsdp.yaml"),
            **choice,
        ),
        "zero2": effective(
            size, base, tmp_path, deepspeed=str(CONFIGS / "deepspeed_zero2.yaml"), **choice
        ),
        "zero3": effective(
            size, base, tmp_path, deepspeed=str(CONFIGS / "deepspeed_zero3.yaml"), **choice
        ),
        "accelerate-deepspeed": effective(
            size,
            base,
            tmp_path,
            **choice,
            accelerate_env=accelerate_deepspeed_env(CONFIGS / "accelerate_deepspeed.yaml"),
        ),
    }
    for name, got in setups.items():
        assert got == plain, name
    # What they all share is the recipe: its optimizer, no decay on biases and norms, warmup.
    assert plain["optimizer"] == {"adamw": "AdamW", "adafactor": "Adafactor"}[optimizer]
    no_decay, decay = plain["groups"]
    assert no_decay["weight_decay"] == 0.0 and decay["weight_decay"] == 0.01
    assert any("layer_norm" in n for n in no_decay["parameters"])
    peak = recipe(size).learning_rate
    warmup = round(recipe(size).warmup * STEPS)
    assert plain["learning_rates"][0] == 0.0
    assert plain["learning_rates"][SAMPLES.index(warmup if warmup in SAMPLES else 10)] <= peak


def test_a_deepspeed_optimizer_would_change_the_recipe_and_is_refused(
    nllb_checkpoint: Path,
    tmp_path: Path,
    clean_environ: None,
) -> None:
    """The shipped ZeRO configs used to carry DeepSpeed's AdamW and WarmupDecayLR."""
    import transformers

    base = transformers.AutoModelForSeq2SeqLM.from_pretrained(nllb_checkpoint)
    own = read_config_file(CONFIGS / "deepspeed_zero3.yaml")
    own["optimizer"] = {"type": "AdamW", "params": {"lr": "auto", "weight_decay": "auto"}}
    own["scheduler"] = {"type": "WarmupDecayLR", "params": {"warmup_num_steps": "auto"}}
    path = tmp_path / "zero3-own.yaml"
    import yaml

    path.write_text(yaml.safe_dump(own), encoding="utf-8")
    plain = effective("ultra", base, tmp_path)
    replaced = effective("ultra", base, tmp_path, deepspeed=str(path))
    # DeepSpeed's optimizer: one group for every weight, and its own schedule.
    assert replaced["optimizer"] == "DummyOptim" and len(replaced["groups"]) == 1
    assert replaced["learning_rates"] == "DummyScheduler" != plain["learning_rates"]
    with pytest.raises(ConfigError, match=r"has its own optimizer and scheduler"):
        check_launch(recipe("ultra", deepspeed=str(path)), cuda=True, environ={})


# ----------------------------------------------------------------------------- stopping


@pytest.mark.parametrize(
    ("option", "value"),
    [("fsdp", "full_shard auto_wrap"), ("deepspeed", str(CONFIGS / "deepspeed_zero3.yaml"))],
)
def test_sharding_under_accelerate_use_cpu_stops_with_a_message(option: str, value: str) -> None:
    args = recipe("ultra", **{option: value})
    with pytest.raises(ConfigError, match="cannot take effect with ACCELERATE_USE_CPU") as caught:
        check_launch(args, cuda=True, environ={"ACCELERATE_USE_CPU": "true"})
    assert "Unset ACCELERATE_USE_CPU" in str(caught.value)
    with pytest.raises(ConfigError, match="needs CUDA GPUs and this machine has none"):
        check_launch(args, cuda=False, environ={})
    check_launch(args, cuda=True, environ={})  # on GPUs it runs


def test_launcher_conflicts_stop_with_a_message() -> None:
    zero3 = str(CONFIGS / "deepspeed_zero3.yaml")
    with pytest.raises(ConfigError, match="Both FSDP and DeepSpeed"):
        check_launch(recipe("ultra", fsdp="full_shard", deepspeed=zero3), cuda=True, environ={})
    with pytest.raises(ConfigError, match="DeepSpeed is set twice"):
        check_launch(
            recipe("ultra", deepspeed=zero3),
            cuda=True,
            environ={"ACCELERATE_USE_DEEPSPEED": "true"},
        )
    with pytest.raises(ConfigError, match="gradient accumulation to 8 and the recipe to 4"):
        check_launch(
            recipe("large"),
            cuda=True,
            environ={
                "ACCELERATE_USE_DEEPSPEED": "true",
                "ACCELERATE_GRADIENT_ACCUMULATION_STEPS": "8",
            },
        )
    with pytest.raises(ConfigError, match="sets gradient_accumulation_steps 8 and the recipe 2"):
        check_deepspeed_config({"gradient_accumulation_steps": 8}, "ds.yaml", 2)
    check_launch(recipe("nano"), cuda=False, environ={"ACCELERATE_USE_CPU": "1"})  # plain: fine


def test_accelerate_deepspeed_config_takes_the_recipe_accumulation() -> None:
    env = accelerate_deepspeed_env(CONFIGS / "accelerate_deepspeed.yaml")
    assert env["ACCELERATE_USE_DEEPSPEED"] == "true"
    assert "ACCELERATE_GRADIENT_ACCUMULATION_STEPS" not in env
    for size in ("nano", "large", "ultra", "supreme"):
        check_launch(recipe(size), cuda=True, environ=env)


@pytest.mark.skipif(torch.cuda.is_available(), reason="the case of a machine without CUDA")
def test_supreme_on_a_cpu_stops_before_training(
    cli: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Supreme's ZeRO-3 cannot run here: the run says so instead of dropping it."""
    code = cli(
        [
            "train",
            "--config",
            str(CONFIGS / "supreme.yaml"),
            "--data-dir",
            str(tmp_path),
            "--output-dir",
            str(tmp_path / "run"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "deepspeed (trainer/configs/deepspeed_zero3.yaml) needs CUDA GPUs" in err
    assert not (tmp_path / "run").exists()
