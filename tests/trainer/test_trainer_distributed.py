"""``torchrun --nproc_per_node=2`` on the CPU (gloo): two processes train one model.

The real command line under the real launcher: the ranks connect (the effective batch
doubles, the step count is the same), hold identical weights at every evaluation (the
replica check gathers a digest of each rank's weights), translate the dev set once between
them, and the scores they log equal a single process's scores of the same checkpoint. The
recorded optimizer, parameter groups and schedule equal what one process builds.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from trainer.checkpoints import SUMMARY_NAME
from trainer.corpus import Example, read_examples, write_examples

pytestmark = pytest.mark.slow
STEPS = 2


def config(root: Path, data_dir: Path, model: Path, yaml_file: Any) -> Path:
    path: Path = yaml_file(
        root / "config.yaml",
        {
            "train": {
                "model_name_or_path": str(model),
                "data_dir": str(data_dir),
                "output_dir": str(root / "run"),
                "learning_rate": 3e-3,
                "per_device_batch_size": 8,
                "max_steps": STEPS,
                "eval_steps": 1,
                "logging_steps": 1,
                "eval_max_sentences": 5,
                "eval_max_new_tokens": 8,
                "eval_batch_size": 4,
                "save_total_limit": 5,
                "dataloader_num_workers": 0,
                "cpu_threads": 1,
            }
        },
    )
    return path


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainer.synthetic_corpus import parallel_pairs

    folder = tmp_path_factory.mktemp("ddp-data")
    pairs = parallel_pairs()

    def both(rows: list[tuple[str, str]]) -> list[Example]:
        return [
            Example(
                f"{i}{d}",
                *(p if d == "f" else p[::-1]),
                *(("en", "ary") if d == "f" else ("ary", "en")),
            )
            for i, p in enumerate(rows)
            for d in "fr"
        ]

    write_examples(folder / "train.jsonl", both(pairs[:300]))
    write_examples(folder / "dev.jsonl", both(pairs[-5:]))  # 5 per direction: odd, padded
    return folder


def history(run: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((run / "log_history.json").read_text("utf-8"))
    return rows


def test_two_processes_train_one_model(
    tmp_path: Path, data_dir: Path, nllb_checkpoint: Path, yaml_file: Any
) -> None:
    from trainer.generation import Decoding, HFTranslator
    from trainer.metrics import corpus_scores

    ddp = tmp_path / "ddp"
    ddp.mkdir()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(Path.cwd())}
    env.pop("ACCELERATE_USE_CPU", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
            "-m",
            "trainer",
            "train",
            "--config",
            str(config(ddp, data_dir, nllb_checkpoint, yaml_file)),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads((ddp / "run" / "best" / SUMMARY_NAME).read_text("utf-8"))
    assert summary["world_size"] == 2 and summary["global_step"] == STEPS
    # Identical weights on both ranks after every step (evaluated at each one).
    checks = summary["replica_checks"]
    assert [c["step"] for c in checks] == [1, 2]
    assert all(len(c["digests"]) == 2 and len(set(c["digests"])) == 1 for c in checks)
    # One evaluation per step in the log (not one per process); 2 × 8 sentences per step.
    logs = history(ddp / "run")
    evals = [h for h in logs if "eval_chrf" in h]
    assert [h["step"] for h in evals] == [1, 2]
    train_epochs = [h["epoch"] for h in logs if "loss" in h]
    assert train_epochs[0] == pytest.approx(1 / math.ceil(600 / 16))  # each rank: half the data

    # The dev scores the two processes logged are a single process's scores of the same weights.
    dev = read_examples(data_dir / "dev.jsonl")
    translator = HFTranslator.from_pretrained(ddp / "run" / f"checkpoint-{STEPS}", device="cpu")
    for direction in ("en-ary", "ary-en"):
        rows = [e for e in dev if e.direction == direction]
        hyps = translator.translate(
            [e.source for e in rows], rows[0].src_lang, rows[0].tgt_lang, Decoding(1, 8, 4)
        )
        scores = corpus_scores(hyps, [e.target for e in rows])
        assert evals[-1][f"eval_{direction}_chrf"] == scores["chrf"]
        assert evals[-1][f"eval_{direction}_bleu"] == scores["bleu"]

    # The same recipe as one process: the optimizer, parameter groups and schedule a single
    # process's Trainer builds for the same config.
    import transformers

    from trainer.config import load_config
    from trainer.optimization import describe, trainer_optimization
    from trainer.seq2seq import TranslationTrainer
    from trainer.train import TrainArgs, training_arguments

    single = load_config(TrainArgs, "train", ddp / "config.yaml", {})
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(nllb_checkpoint)
    trainer = TranslationTrainer(
        model=model, args=training_arguments(single), train_dataset=[{}], eval_dataset=[{}]
    )
    optimizer, scheduler = trainer_optimization(trainer, STEPS)
    recorded = summary["optimization"]
    assert recorded == {
        "steps": recorded["steps"],
        **describe(optimizer, scheduler, model, recorded["steps"]),
    }
    assert recorded["optimizer"] == "AdamW" and len(recorded["groups"]) == 2
