"""GPU-only paths: bf16, fused AdamW, tokens/s and MFU, and real DDP/FSDP/DeepSpeed launches.

Skipped on machines without CUDA. On a GPU machine run them all with
``scripts/gpu_checks.sh`` (under 10 minutes on one GPU): it runs this file and writes the
figures (one JSON object per line) to ``$TERJMAN_GPU_FIGURES/gpu_figures.jsonl``.

* bf16 autocast and fused AdamW are what ``precision: auto`` and ``optimizer: adamw`` give;
  tokens/s and MFU are logged at the Nano architecture.
* Our Trainer (dev translation hooks, throughput counting, our collator) against a plain
  ``Seq2SeqTrainer`` on the same model, data, arguments and batches: the cost of what we add.
  Figures only — speed is never asserted in tests.
* ``torchrun`` over every GPU with DDP (two GPUs or more), FSDP2 (``fsdp.yaml``) and DeepSpeed
  ZeRO-2/3 (when DeepSpeed is installed): each run trains, evaluates on dev (synced
  generation under FSDP/ZeRO-3), saves an ordinary checkpoint that loads, and trains with the
  recipe's optimizer and schedule.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]
ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "trainer" / "configs"


def record(name: str, figures: dict[str, Any]) -> None:
    """Print a figure line and append it to $TERJMAN_GPU_FIGURES/gpu_figures.jsonl."""
    line = json.dumps({"check": name, "device": torch.cuda.get_device_name(0), **figures})
    print("\n" + line)
    folder = os.environ.get("TERJMAN_GPU_FIGURES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        with (Path(folder) / "gpu_figures.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


@pytest.fixture(scope="module")
def gpu_data(tmp_path_factory: pytest.TempPathFactory, corpus_csv: Path) -> Path:
    """Both directions of the templated corpus, as `trainer data` writes them."""
    from trainer.cli import main

    root = tmp_path_factory.mktemp("gpu-data")
    config = root / "data.yaml"
    config.write_text(
        json.dumps(
            {
                "data": {
                    "output_dir": str(root / "data"),
                    "dev_size": 64,
                    "test_size": 64,
                    "bidirectional": True,
                    "sources": [
                        {"path": str(corpus_csv), "source_column": "en", "target_column": "ary"}
                    ],
                }
            }
        ),
        encoding="utf-8",
    )
    assert main(["data", "--config", str(config)]) == 0
    return root / "data"


def test_bf16_fused_adamw_and_mfu_at_nano_size(
    tmp_path: Path, gpu_data: Path, cli: Any, yaml_file: Any
) -> None:
    from trainer.config import load_config
    from trainer.train import TrainArgs, training_arguments

    run_dir = tmp_path / "run"
    config = yaml_file(
        tmp_path / "gpu.yaml",
        {
            "train": {
                "from_scratch": "nano",
                "scratch_vocab_size": 2000,
                "data_dir": str(gpu_data),
                "output_dir": str(run_dir),
                "per_device_batch_size": 64,
                "max_steps": 60,
                "eval_steps": 60,
                "logging_steps": 20,
                "eval_max_sentences": 50,
                "dataloader_num_workers": 2,
            }
        },
    )
    args = training_arguments(load_config(TrainArgs, "train", config, {}))
    if torch.cuda.is_bf16_supported():
        assert args.bf16
    assert args.optim == "adamw_torch_fused"
    assert cli(["train", "--config", str(config)]) == 0
    history = json.loads((run_dir / "log_history.json").read_text(encoding="utf-8"))
    logs = [h for h in history if "loss" in h]
    steady = logs[-1]  # the first window includes CUDA warm-up
    record(
        "nano bf16 fused AdamW",
        {
            k: steady.get(k)
            for k in ("tokens_per_second", "target_tokens_per_second", "tflops_per_device", "mfu")
        },
    )
    assert steady["tokens_per_second"] > 0 and steady["tflops_per_device"] > 0
    summary = json.loads((run_dir / "best" / "terjman_training.json").read_text("utf-8"))
    assert summary["optimization"]["optimizer"] == "AdamW"


def _train_seconds(trainer: Any) -> float:
    torch.cuda.synchronize()
    started = time.perf_counter()
    trainer.train()
    torch.cuda.synchronize()
    return time.perf_counter() - started


def test_throughput_against_a_plain_seq2seq_trainer(tmp_path: Path, gpu_data: Path) -> None:
    """The same steps (same model, data, arguments, seed, so the same batches) timed with
    our Trainer and with transformers' own; figures only."""
    import dataclasses

    import datasets
    import transformers
    from transformers import DataCollatorForSeq2Seq, Seq2SeqTrainer

    from trainer.checkpoints import scratch_model
    from trainer.collator import TranslationCollator
    from trainer.config import from_mapping
    from trainer.corpus import read_examples
    from trainer.features import select_directions, tokenize_examples
    from trainer.flops import Seq2SeqShape, peak_flops
    from trainer.seq2seq import TranslationTrainer
    from trainer.train import TrainArgs, training_arguments

    examples = read_examples(gpu_data / "train.jsonl")
    base = scratch_model("nano", "marian", examples, tmp_path / "init", vocab_size=2000, seed=1)
    tokenizer = transformers.AutoTokenizer.from_pretrained(base)
    rows = select_directions(examples, "marian", ["en-ary"])
    features = tokenize_examples(
        rows, tokenizer, "marian", max_source_length=128, max_target_length=128
    )
    dataset = datasets.Dataset.from_list(features)
    batch = 64
    steps = math.ceil(len(dataset) / batch)  # one epoch
    args = training_arguments(
        from_mapping(
            TrainArgs,
            {
                "model_name_or_path": str(base),
                "data_dir": str(gpu_data),
                "output_dir": str(tmp_path / "out"),
                "per_device_batch_size": batch,
                "max_steps": steps,
                "logging_steps": 20,
                "eval_steps": 20,
                "dataloader_num_workers": 2,
            },
        )
    )
    args = dataclasses.replace(
        args,
        eval_strategy="no",
        save_strategy="no",
        load_best_model_at_end=False,
        label_smoothing_factor=0.0,
    )

    def ours() -> Any:
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(base)
        return TranslationTrainer(
            model=model,
            args=args,
            train_dataset=dataset,
            processing_class=tokenizer,
            data_collator=TranslationCollator.for_model(tokenizer, model, 8),
            shape=Seq2SeqShape.from_config(model.config),
            peak_flops=peak_flops(torch.cuda.get_device_name(0)),
        )

    def plain() -> Any:
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(base)
        return Seq2SeqTrainer(
            model=model,
            args=args,
            train_dataset=dataset,
            processing_class=tokenizer,
            data_collator=DataCollatorForSeq2Seq(tokenizer, model=model, pad_to_multiple_of=8),
        )

    _train_seconds(plain())  # CUDA and kernel warm-up, not counted
    timings: dict[str, list[float]] = {"ours": [], "plain": []}
    for _ in range(2):
        timings["ours"].append(_train_seconds(ours()))
        timings["plain"].append(_train_seconds(plain()))
    best = {name: min(values) for name, values in timings.items()}
    # One epoch: every sentence once, so the tokens and model FLOPs (padding excluded) are
    # the dataset's, whatever the batching.
    source = float(sum(len(f["input_ids"]) for f in features))
    target = float(sum(len(f["labels"]) for f in features))
    source_sq = float(sum(len(f["input_ids"]) ** 2 for f in features))
    target_sq = float(sum(len(f["labels"]) ** 2 for f in features))
    cross = float(sum(len(f["input_ids"]) * len(f["labels"]) for f in features))
    shape = Seq2SeqShape.from_config(transformers.AutoConfig.from_pretrained(base))
    flops = shape.training_flops(source, target, source_sq, target_sq, cross)
    peak = peak_flops(torch.cuda.get_device_name(0))
    figures: dict[str, Any] = {"steps": steps, "tokens": int(source + target)}
    for name, seconds in best.items():
        figures[f"seconds_{name}"] = round(seconds, 3)
        figures[f"tokens_per_second_{name}"] = round((source + target) / seconds, 1)
        figures[f"mfu_{name}"] = round(flops / seconds / peak, 4) if peak else None
    figures["overhead"] = round(best["ours"] / best["plain"] - 1, 4)
    record("ours vs plain Seq2SeqTrainer, nano, one epoch in batches of 64", figures)
    assert best["ours"] > 0 and best["plain"] > 0


SETUPS = {
    "ddp": [],
    "fsdp2": [
        "--fsdp",
        "full_shard auto_wrap",
        "--fsdp-config",
        str(CONFIGS / "fsdp.yaml"),
        "--no-gradient-checkpointing",
    ],
    "zero2": ["--deepspeed", str(CONFIGS / "deepspeed_zero2.yaml")],
    "zero3": ["--deepspeed", str(CONFIGS / "deepspeed_zero3.yaml")],
}


@pytest.mark.parametrize("setup", list(SETUPS))
def test_a_real_launch_trains_the_recipe(
    setup: str, tmp_path: Path, gpu_data: Path, yaml_file: Any
) -> None:
    gpus = torch.cuda.device_count()
    if setup == "ddp" and gpus < 2:
        pytest.skip("DDP needs two GPUs (FSDP2 and ZeRO run on one)")
    if setup.startswith("zero"):
        pytest.importorskip("deepspeed")
    run_dir = tmp_path / "run"
    config = yaml_file(
        tmp_path / "launch.yaml",
        {
            "train": {
                "from_scratch": "tiny",
                "scratch_family": "nllb",
                "scratch_vocab_size": 1000,
                "data_dir": str(gpu_data),
                "output_dir": str(run_dir),
                "learning_rate": 1.5e-3,
                "per_device_batch_size": 32,
                "max_steps": 40,
                "eval_steps": 20,
                "logging_steps": 10,
                "eval_max_sentences": 32,
                "eval_max_new_tokens": 24,
                "dataloader_num_workers": 0,
            }
        },
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc_per_node={gpus}",
            "-m",
            "trainer",
            "train",
            "--config",
            str(config),
            *SETUPS[setup],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    assert done.returncode == 0, done.stderr[-4000:]
    summary = json.loads((run_dir / "best" / "terjman_training.json").read_text("utf-8"))
    assert summary["world_size"] == gpus and summary["global_step"] == 40
    if setup == "ddp":
        assert all(len(set(c["digests"])) == 1 for c in summary["replica_checks"])
    optimization = summary["optimization"]
    assert optimization["optimizer"] == "AdamW"
    assert [g["weight_decay"] for g in optimization["groups"]] == [0.0, 0.01]
    history = json.loads((run_dir / "log_history.json").read_text("utf-8"))
    evals = [h for h in history if "eval_chrf" in h]
    assert [h["step"] for h in evals] == [20, 40]
    assert {"eval_en-ary_chrf", "eval_ary-en_chrf"} <= set(evals[-1])
    # An ordinary Hugging Face checkpoint (ZeRO-3 gathers 16-bit weights when saving).
    import transformers

    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(run_dir / "best")
    assert sum(p.numel() for p in model.parameters()) > 0
    logs = [h for h in history if "loss" in h]
    record(
        f"torchrun {setup} × {gpus}",
        {
            "tokens_per_second": logs[-1]["tokens_per_second"],
            "eval_chrf": evals[-1]["eval_chrf"],
            "eval_generation_seconds": evals[-1]["eval_generation_seconds"],
        },
    )
