"""`trainer train` on CPU: logging, dev-only checkpoint selection, resume, early stopping,
NLLB language tokens, and the checks that stop a bad configuration before training."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from trainer.checkpoints import SUMMARY_NAME
from trainer.config import from_mapping
from trainer.corpus import Example
from trainer.errors import ConfigError, TrainerError
from trainer.features import select_directions, tokenize_examples
from trainer.train import TrainArgs, training_arguments


def train_args(tmp_path: Path, **overrides: Any) -> TrainArgs:
    values = {"model_name_or_path": "x", "data_dir": str(tmp_path), "output_dir": str(tmp_path)}
    return from_mapping(TrainArgs, {**values, **overrides})


# ----------------------------------------------------------------------------- a real run


@pytest.mark.slow
def test_a_run_logs_throughput_and_selects_the_best_dev_checkpoint(trained_marian: Any) -> None:
    history = trained_marian.log_history()
    train_logs = [h for h in history if "loss" in h]
    evals = [h for h in history if "eval_chrf" in h]
    assert train_logs[-1]["loss"] < train_logs[0]["loss"] / 10
    for log in train_logs:
        assert log["tokens_per_second"] > 0 and log["target_tokens_per_second"] > 0
        # MFU is achieved FLOP/s over the configured peak (0.05 TFLOP/s in TINY_TRAINING),
        # whatever this machine's speed: both figures are rounded to 4 decimals.
        assert log["tflops_per_device"] >= 0 and log["mfu"] >= 0
        assert log["mfu"] == pytest.approx(log["tflops_per_device"] / 0.05, abs=2e-3)
    # Dev scores per direction and averaged; the checkpoint kept is the first best on dev.
    assert all("eval_en-ary_chrf" in h and "eval_loss" in h for h in evals)
    best = max(h["eval_chrf"] for h in evals)
    first_best_step = next(h["step"] for h in evals if h["eval_chrf"] == best)
    summary = json.loads((trained_marian.best / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert summary["best_checkpoint"].endswith(f"checkpoint-{first_best_step}")
    assert summary["best_metric"] == {"chrf": best}
    assert summary["directions"] == ["en-ary"] and summary["family"] == "marian"
    # Early stopping ended the run once dev chrF++ stopped improving.
    assert summary["global_step"] == evals[-1]["step"] <= 500
    # The selected model is complete for export, SentencePiece files included.
    for name in ("config.json", "model.safetensors", "source.spm", "target.spm"):
        assert (trained_marian.best / name).is_file(), name


@pytest.mark.slow
def test_nllb_trains_both_directions(trained_nllb: Any) -> None:
    summary = json.loads((trained_nllb.best / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert summary["directions"] == ["ary-en", "en-ary"]
    evals = [h for h in trained_nllb.log_history() if "eval_chrf" in h]
    assert {"eval_en-ary_chrf", "eval_ary-en_chrf"} <= set(evals[-1])
    assert (trained_nllb.best / "sentencepiece.bpe.model").is_file()


def short_run(root: Path, corpus: Path, yaml_file: Any, **train: Any) -> Path:
    """Config for a few steps on a slice of the corpus, evaluating every 2 steps."""
    data_dir, run_dir = root / "data", root / "run"
    path: Path = yaml_file(root / "config.yaml", {
        "data": {"output_dir": str(data_dir), "dev_size": 20, "test_size": 20,
                 "sources": [{"path": str(corpus), "source_column": "en",
                              "target_column": "ary", "limit": 300}]},
        "train": {"from_scratch": "tiny", "scratch_vocab_size": 300,
                  "data_dir": str(data_dir), "output_dir": str(run_dir), "learning_rate": 3e-3,
                  "per_device_batch_size": 16, "eval_steps": 2, "logging_steps": 1,
                  "save_total_limit": 10, "eval_max_sentences": 10, "eval_max_new_tokens": 8,
                  "dataloader_num_workers": 0, "cpu_threads": 1, **train},
    })
    return path


def trainer_state(checkpoint: Path) -> dict[str, Any]:
    state: dict[str, Any] = json.loads((checkpoint / "trainer_state.json").read_text("utf-8"))
    return state


@pytest.mark.slow
def test_resume_continues_from_the_last_checkpoint(
    tmp_path: Path, corpus_csv: Path, cli: Any, yaml_file: Any,
    capfd: pytest.CaptureFixture[str],
) -> None:
    config = short_run(tmp_path, corpus_csv, yaml_file, max_steps=4, early_stopping_patience=0)
    assert cli(["data", "--config", str(config)]) == 0
    (tmp_path / "data" / "test.jsonl").unlink()  # training never reads the test split
    assert cli(["train", "--config", str(config)]) == 0
    first = trainer_state(tmp_path / "run" / "checkpoint-4")
    capfd.readouterr()
    assert cli(["train", "--config", str(config), "--max-steps", "8"]) == 0
    # The weights the checkpoint does not store (tied embeddings, sinusoidal positions) are
    # rebuilt: no "missing keys" warning on resume or when loading the best checkpoint.
    assert "missing keys" not in capfd.readouterr().err
    resumed = trainer_state(tmp_path / "run" / "checkpoint-8")
    assert resumed["global_step"] == 8
    train_steps = [h["step"] for h in resumed["log_history"] if "loss" in h]
    assert train_steps == list(range(1, 9))  # 1-4 carried over, 5-8 new: no step repeated
    assert resumed["log_history"][: len(first["log_history"])] == first["log_history"]
    # --resume no starts over.
    assert cli(["train", "--config", str(config), "--resume", "no", "--max-steps", "2",
                "--output-dir", str(tmp_path / "again")]) == 0
    assert trainer_state(tmp_path / "again" / "checkpoint-2")["global_step"] == 2


@pytest.mark.slow
def test_early_stopping_ends_a_run_without_dev_progress(
    tmp_path: Path, corpus_csv: Path, cli: Any, yaml_file: Any
) -> None:
    # No improvement can reach the threshold: the second evaluation stops the run. (Also
    # exercises Adafactor and gradient checkpointing on CPU.)
    config = short_run(tmp_path, corpus_csv, yaml_file, max_steps=40,
                       early_stopping_patience=1, early_stopping_threshold=1000.0,
                       optimizer="adafactor", gradient_checkpointing=True)
    assert cli(["data", "--config", str(config)]) == 0
    assert cli(["train", "--config", str(config)]) == 0
    summary = json.loads((tmp_path / "run" / "best" / SUMMARY_NAME).read_text("utf-8"))
    assert summary["global_step"] == 4


# ----------------------------------------------------------------------------- NLLB tokens


def examples() -> list[Example]:
    return [
        Example("1f", "I eat the bread.", "كناكل الخبز.", "en", "ary"),
        Example("1r", "كناكل الخبز.", "I eat the bread.", "ary", "en"),
    ]


def test_nllb_examples_start_with_their_language_codes(nllb_checkpoint: Path) -> None:
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(nllb_checkpoint)
    features = tokenize_examples(examples(), tokenizer, "nllb", max_source_length=64,
                                 max_target_length=64)
    codes = {c: tokenizer.convert_tokens_to_ids(c) for c in ("eng_Latn", "ary_Arab")}
    forward, reverse = features
    assert forward["input_ids"][0] == codes["eng_Latn"]
    assert forward["labels"][0] == codes["ary_Arab"]  # forced as the first generated token
    assert reverse["input_ids"][0] == codes["ary_Arab"]
    assert reverse["labels"][0] == codes["eng_Latn"]
    assert forward["labels"][-1] == tokenizer.eos_token_id
    assert forward["length"] == max(len(forward["input_ids"]), len(forward["labels"]))


def test_a_legacy_nllb_tokenizer_is_refused(nllb_checkpoint: Path) -> None:
    import transformers

    legacy = transformers.AutoTokenizer.from_pretrained(nllb_checkpoint, legacy_behaviour=True)
    with pytest.raises(TrainerError, match="legacy_behaviour"):
        tokenize_examples(examples(), legacy, "nllb", max_source_length=64,
                          max_target_length=64)


def test_marian_source_prefix_must_be_a_vocabulary_token(marian_checkpoint: Path) -> None:
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(marian_checkpoint)
    with pytest.raises(TrainerError, match=r">>ary<<.*not in the model's vocabulary"):
        tokenize_examples(examples()[:1], tokenizer, "marian", max_source_length=64,
                          max_target_length=64, source_prefix=[">>ary<<"])


def test_direction_selection() -> None:
    both = examples()
    assert [e.direction for e in select_directions(both, "marian", [])] == ["en-ary"]
    assert len(select_directions(both, "nllb", [])) == 2
    with pytest.raises(TrainerError, match="one direction"):
        select_directions(both, "marian", ["en-ary", "ary-en"])
    with pytest.raises(TrainerError, match="no examples for en-fr"):
        select_directions(both, "nllb", ["en-fr"])


# ----------------------------------------------------------------------------- arguments


def test_training_arguments_on_cpu(tmp_path: Path) -> None:
    args = training_arguments(train_args(tmp_path, optimizer="adamw", best_metric="loss"))
    assert args.optim == "adamw_torch"  # fused AdamW is for CUDA
    assert not args.bf16 and not args.fp16
    assert args.load_best_model_at_end and args.metric_for_best_model == "loss"
    assert not args.greater_is_better
    assert args.train_sampling_strategy == "group_by_length"
    assert training_arguments(train_args(tmp_path, optimizer="adafactor")).optim == "adafactor"


def test_training_arguments_refuse_gpu_precision_on_cpu(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs a CUDA GPU"):
        training_arguments(train_args(tmp_path, precision="bf16"))


def test_train_arguments_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="multiple of logging_steps"):
        train_args(tmp_path, eval_steps=150, logging_steps=100)
    with pytest.raises(ConfigError, match="warmup"):
        train_args(tmp_path, warmup=2.5)
    with pytest.raises(ConfigError, match="use one of: adamw, adafactor"):
        train_args(tmp_path, optimizer="sgd")
    with pytest.raises(ConfigError, match=r"Set model_name_or_path .* or from_scratch"):
        from_mapping(TrainArgs, {"data_dir": "d", "output_dir": "o"})


def test_fsdp_words_become_fsdp2_config_entries(tmp_path: Path) -> None:
    fsdp_yaml = Path(__file__).resolve().parents[2] / "trainer" / "configs" / "fsdp.yaml"
    args = training_arguments(train_args(tmp_path, fsdp="full_shard auto_wrap",
                                         fsdp_config=str(fsdp_yaml)))
    assert args.fsdp is True  # not the Trainer's deprecated string form
    assert args.fsdp_config["version"] == 2 and args.fsdp_config["reshard_after_forward"] is True
    offload = training_arguments(train_args(tmp_path, fsdp="shard_grad_op offload"))
    assert offload.fsdp_config["reshard_after_forward"] is False
    assert offload.fsdp_config["cpu_offload"] is True
    with pytest.raises(ConfigError, match=r"fsdp .* has 'hybrid_shard'"):
        training_arguments(train_args(tmp_path, fsdp="hybrid_shard"))
