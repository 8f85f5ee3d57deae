"""Fixtures for the trainer tests: a learnable corpus, and tiny models trained by `trainer train`.

The models are trained from scratch through the real command line (``trainer data`` then
``trainer train`` from a YAML config file) on the templated English⇄Darija corpus, until
their dev translations are right. Torch runs on one thread: on a small shared CPU, tiny
models are several times faster that way than with threads fighting over cores.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("datasets")
pytest.importorskip("sacrebleu")


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread() -> Iterator[None]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def run_cli(args: list[str]) -> int:
    from trainer.cli import main

    return main(args)


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def corpus_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The templated corpus as a CSV file with an 'en' and an 'ary' column."""
    from trainer.synthetic_corpus import parallel_pairs

    path = tmp_path_factory.mktemp("corpus") / "corpus.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["en", "ary"])
        writer.writerows(parallel_pairs())
    return path


@dataclass(frozen=True)
class TrainedRun:
    config: Path
    data_dir: Path
    run_dir: Path

    @property
    def best(self) -> Path:
        return self.run_dir / "best"

    def log_history(self) -> list[dict[str, Any]]:
        history: list[dict[str, Any]] = json.loads(
            (self.run_dir / "log_history.json").read_text(encoding="utf-8"))
        return history


# Settings a tiny model needs to learn the corpus in a few hundred steps on a CPU: a high
# constant learning rate, no label smoothing, short dev generations, no worker processes.
TINY_TRAINING = {
    "from_scratch": "tiny",
    "scratch_vocab_size": 400,
    "lr_scheduler": "constant_with_warmup",
    "warmup": 50,
    "label_smoothing": 0.0,
    "per_device_batch_size": 32,
    "logging_steps": 50,
    "eval_max_sentences": 100,
    "eval_max_new_tokens": 40,
    "dataloader_num_workers": 0,
    "cpu_threads": 1,
    "peak_tflops": 0.05,  # a nominal CPU peak, so MFU is computed and logged
}


def train_tiny(root: Path, corpus: Path, family: str, **train: Any) -> TrainedRun:
    data_dir, run_dir = root / "data", root / "run"
    config = write_yaml(root / "config.yaml", {
        "data": {
            "output_dir": str(data_dir),
            "sources": [{"path": str(corpus), "source_column": "en", "target_column": "ary"}],
            "bidirectional": family == "nllb",
            "dev_size": 100,
            "test_size": 100,
        },
        "train": {**TINY_TRAINING, "scratch_family": family, "data_dir": str(data_dir),
                  "output_dir": str(run_dir), **train},
    })
    assert run_cli(["data", "--config", str(config)]) == 0
    assert run_cli(["train", "--config", str(config)]) == 0
    return TrainedRun(config, data_dir, run_dir)


@pytest.fixture(scope="session")
def trained_marian(tmp_path_factory: pytest.TempPathFactory, corpus_csv: Path) -> TrainedRun:
    """A tiny Marian trained en→ary until its dev chrF++ stops improving."""
    return train_tiny(
        tmp_path_factory.mktemp("trained-marian"), corpus_csv, "marian",
        learning_rate=3e-3, max_steps=500, eval_steps=100, early_stopping_patience=1,
    )


@pytest.fixture(scope="session")
def trained_nllb(tmp_path_factory: pytest.TempPathFactory, corpus_csv: Path) -> TrainedRun:
    """A tiny NLLB-style model trained in both directions."""
    return train_tiny(
        tmp_path_factory.mktemp("trained-nllb"), corpus_csv, "nllb",
        learning_rate=1.5e-3, max_steps=800, eval_steps=200, early_stopping_patience=1,
    )


@pytest.fixture
def cli() -> Any:
    """``cli([...])`` runs ``python -m trainer ...`` in-process and returns the exit status."""
    return run_cli


@pytest.fixture
def yaml_file() -> Any:
    """``yaml_file(path, data)`` writes a YAML config file."""
    return write_yaml
