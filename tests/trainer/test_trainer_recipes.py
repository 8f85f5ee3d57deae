"""Every shipped recipe trains, with its own settings, on a tiny model of its family.

``trainer/configs/{nano,large,ultra,supreme}.yaml`` are run through the real command line
with only sizes and step counts overridden (the base model becomes a tiny one of the same
family, batches and dev generation are small, the runs are a few steps long). Label
smoothing 0.1, the optimizer, the scheduler and its warmup, weight decay, gradient
accumulation and checkpointing are the recipe's; ``precision: auto`` falls back to fp32 on
the CPU. Supreme's DeepSpeed ZeRO-3 cannot take effect on a CPU, so its run leaves it out
(``test_trainer_launch.py`` proves that keeping it stops the run with a message).
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest

from trainer.checkpoints import SUMMARY_NAME
from trainer.collator import TranslationCollator, decoder_start_id
from trainer.config import load_config
from trainer.corpus import Example, write_examples
from trainer.train import TrainArgs

CONFIGS = Path(__file__).resolve().parents[2] / "trainer" / "configs"
RECIPE_KEYS = (
    "learning_rate",
    "optimizer",
    "weight_decay",
    "adam_beta2",
    "lr_scheduler",
    "warmup",
    "label_smoothing",
    "max_grad_norm",
    "gradient_accumulation_steps",
    "gradient_checkpointing",
    "precision",
    "source_prefix",
    "best_metric",
    "group_by_length",
)
STEPS = 8


def examples(pairs: list[tuple[str, str]], both: bool) -> list[Example]:
    rows = [Example(f"{i}f", en, ary, "en", "ary") for i, (en, ary) in enumerate(pairs)]
    if both:
        rows += [Example(f"{i}r", ary, en, "ary", "en") for i, (en, ary) in enumerate(pairs)]
    return rows


@pytest.fixture(scope="module")
def recipe_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """train.jsonl/dev.jsonl in both directions, from the templated corpus."""
    from trainer.synthetic_corpus import parallel_pairs

    folder = tmp_path_factory.mktemp("recipe-data")
    pairs = parallel_pairs()
    write_examples(folder / "train.jsonl", examples(pairs[:160], both=True))
    write_examples(folder / "dev.jsonl", examples(pairs[-8:], both=True))
    return folder


@pytest.fixture(scope="module")
def marian_multi_target(tmp_path_factory: pytest.TempPathFactory, marian_checkpoint: Path) -> Path:
    """The tiny Marian with a ``>>ary<<`` target token, like the OPUS-MT en-ar bases."""
    import transformers

    folder = tmp_path_factory.mktemp("marian-multi") / "model"
    shutil.copytree(marian_checkpoint, folder)
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    vocab[">>ary<<"] = max(vocab.values()) + 1
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder)
    model.resize_token_embeddings(len(vocab))
    model.save_pretrained(folder)
    return folder


def base_for(size: str, marian: Path, nllb: Path) -> Path:
    return marian if size in ("nano", "large") else nllb


@pytest.mark.slow
@pytest.mark.parametrize("size", ["nano", "large", "ultra", "supreme"])
def test_shipped_recipe_trains_a_tiny_model_of_its_family(
    size: str,
    tmp_path: Path,
    recipe_data: Path,
    marian_multi_target: Path,
    nllb_checkpoint: Path,
    cli: Any,
    capfd: pytest.CaptureFixture[str],
) -> None:
    config = CONFIGS / f"{size}.yaml"
    recipe = load_config(TrainArgs, "train", config, {})
    sizes = {  # sizes and step counts only
        "model_name_or_path": str(base_for(size, marian_multi_target, nllb_checkpoint)),
        "data_dir": str(recipe_data),
        "output_dir": str(tmp_path / "run"),
        "per_device_batch_size": "4",
        "max_steps": str(STEPS),
        "eval_steps": str(STEPS),
        "logging_steps": "1",
        "eval_max_sentences": "4",
        "eval_max_new_tokens": "6",
        "eval_batch_size": "8",
        "max_source_length": "32",
        "max_target_length": "32",
        "dataloader_num_workers": "0",
        "cpu_threads": "1",
    }
    argv = ["train", "--config", str(config)]
    for key, value in sizes.items():
        argv += [f"--{key.replace('_', '-')}", value]
    if recipe.deepspeed:  # ZeRO-3 needs GPUs; test_trainer_launch checks it stops the run
        argv += ["--deepspeed", "none"]
    assert cli(argv) == 0
    err = capfd.readouterr().err
    # Resuming the best checkpoint reports no weights missing (tied/sinusoidal ones are rebuilt).
    assert "missing keys" not in err

    summary = json.loads((tmp_path / "run" / "best" / SUMMARY_NAME).read_text("utf-8"))
    assert summary["family"] == ("marian" if size in ("nano", "large") else "nllb")
    assert summary["directions"] == (
        ["en-ary"] if size in ("nano", "large") else ["ary-en", "en-ary"]
    )
    for key in RECIPE_KEYS:  # the recipe's own settings were trained with
        assert summary["args"][key] == getattr(recipe, key), key
    assert recipe.label_smoothing == 0.1
    assert summary["device"] == "cpu" and summary["global_step"] == STEPS

    # The optimizer and schedule are the recipe's: AdamW (unfused on CPU) with no decay on
    # biases and LayerNorm weights, linear warmup to the peak, then linear decay.
    optimization = summary["optimization"]
    assert (
        optimization["optimizer"] == {"adamw": "AdamW", "adafactor": "Adafactor"}[recipe.optimizer]
    )
    no_decay, decay = optimization["groups"]
    assert no_decay["weight_decay"] == 0.0 and decay["weight_decay"] == recipe.weight_decay
    assert all(n.endswith("bias") or "layer_norm" in n for n in no_decay["parameters"])
    assert not any(n.endswith("bias") or "layer_norm" in n for n in decay["parameters"])
    history = json.loads((tmp_path / "run" / "log_history.json").read_text("utf-8"))
    logged = [h["learning_rate"] for h in history if "loss" in h]
    warmup = math.ceil(recipe.warmup * STEPS)
    expected = [
        recipe.learning_rate * (s / warmup if s < warmup else (STEPS - s) / (STEPS - warmup))
        for s in range(STEPS)
    ]
    assert logged == pytest.approx(expected, rel=1e-4)
    evals = [h for h in history if "eval_chrf" in h]
    assert len(evals) == 1 and all(f"eval_{d}_chrf" in evals[0] for d in summary["directions"])


# ----------------------------------------------------------------------------- the collator


def test_decoder_inputs_are_the_labels_shifted_right(
    marian_checkpoint: Path, nllb_checkpoint: Path
) -> None:
    import torch
    import transformers
    from transformers.models.m2m_100.modeling_m2m_100 import shift_tokens_right

    for folder in (marian_checkpoint, nllb_checkpoint):
        model = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder)
        tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
        collate = TranslationCollator.for_model(tokenizer, model)
        features = [
            {"input_ids": [5, 6, 2], "attention_mask": [1, 1, 1], "labels": [7, 8, 9, 2]},
            {"input_ids": [5, 2], "attention_mask": [1, 1], "labels": [7, 2]},
        ]
        batch = collate(features)
        labels = batch["labels"]
        assert labels.tolist()[1] == [7, 2, -100, -100]
        start = model.config.decoder_start_token_id
        pad = model.config.pad_token_id
        # The models' own rule (the one they apply when given labels), -100 → pad.
        assert torch.equal(batch["decoder_input_ids"], shift_tokens_right(labels, pad, start))
        assert batch["decoder_input_ids"].tolist()[1] == [start, 7, 2, pad]
    not_seq2seq = type("M", (), {"config": object(), "generation_config": None})()
    with pytest.raises(ValueError, match="decoder_start_token_id"):
        decoder_start_id(not_seq2seq)


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_label_smoothed_loss_uses_the_collated_decoder_inputs(
    family: str, marian_checkpoint: Path, nllb_checkpoint: Path, tmp_path: Path
) -> None:
    """The Trainer's label-smoothed loss (labels taken out of the batch) equals the loss of
    the model's own decoder inputs: the regression of NLLB's first-step crash."""
    import torch
    import torch.nn.functional as functional
    import transformers

    from trainer.features import tokenize_examples
    from trainer.seq2seq import TranslationTrainer
    from trainer.train import training_arguments

    folder = {"marian": marian_checkpoint, "nllb": nllb_checkpoint}[family]
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    rows = [
        Example("1", "I eat the bread.", "كناكل الخبز.", "en", "ary"),
        Example("2", "We drink tea every day.", "كنشربو أتاي كل نهار.", "en", "ary"),
    ]
    features = tokenize_examples(
        rows, tokenizer, family, max_source_length=32, max_target_length=32
    )
    batch = TranslationCollator.for_model(tokenizer, model)(
        [{k: v for k, v in f.items() if k != "length"} for f in features]
    )
    args = load_config(
        TrainArgs,
        "train",
        None,
        {
            "model_name_or_path": str(folder),
            "data_dir": str(tmp_path),
            "output_dir": str(tmp_path),
            "label_smoothing": 0.1,
            "report_to": ["none"],
        },
    )
    trainer = TranslationTrainer(
        model=model,
        args=training_arguments(args),
        train_dataset=[features[0]],
        eval_dataset=[features[0]],
    )
    with torch.no_grad():
        loss: Any = trainer.compute_loss(model, dict(batch))
        reference = model(
            input_ids=batch["input_ids"],
            attention_mask=batch["attention_mask"],
            labels=batch["labels"],
        ).logits
    expected = functional.cross_entropy(
        reference.flatten(0, 1), batch["labels"].flatten(), ignore_index=-100, label_smoothing=0.1
    )
    assert float(loss) == pytest.approx(float(expected), rel=1e-5)
