"""GPU-only paths: bf16, fused AdamW, and tokens/s and MFU at the Nano architecture.

Skipped on machines without CUDA. On a GPU machine, run
``python -m pytest tests/trainer/test_trainer_gpu.py -q -s`` and read the figures it prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


def test_bf16_fused_adamw_and_mfu_at_nano_size(
    tmp_path: Path, corpus_csv: Path, cli: Any, yaml_file: Any
) -> None:
    from trainer.config import load_config
    from trainer.train import TrainArgs, training_arguments

    data_dir, run_dir = tmp_path / "data", tmp_path / "run"
    config = yaml_file(tmp_path / "gpu.yaml", {
        "data": {"output_dir": str(data_dir), "dev_size": 50, "test_size": 50,
                 "sources": [{"path": str(corpus_csv), "source_column": "en",
                              "target_column": "ary"}]},
        "train": {"from_scratch": "nano", "scratch_vocab_size": 2000, "data_dir": str(data_dir),
                  "output_dir": str(run_dir), "per_device_batch_size": 64, "max_steps": 60,
                  "eval_steps": 60, "logging_steps": 20, "eval_max_sentences": 50,
                  "dataloader_num_workers": 2},
    })
    args = training_arguments(load_config(TrainArgs, "train", config, {}))
    if torch.cuda.is_bf16_supported():
        assert args.bf16
    assert args.optim == "adamw_torch_fused"
    assert cli(["data", "--config", str(config)]) == 0
    assert cli(["train", "--config", str(config)]) == 0
    history = json.loads((run_dir / "log_history.json").read_text(encoding="utf-8"))
    logs = [h for h in history if "loss" in h]
    steady = logs[-1]  # the first window includes CUDA warm-up
    print(f"\n{torch.cuda.get_device_name(0)}: {steady['tokens_per_second']:.0f} tokens/s, "
          f"{steady['tflops_per_device']:.1f} TFLOP/s, MFU {steady.get('mfu', 'n/a')}")
    assert steady["tokens_per_second"] > 0 and steady["tflops_per_device"] > 0
