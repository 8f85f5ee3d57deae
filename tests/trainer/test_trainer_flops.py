"""The FLOPs formula behind tokens/s and MFU, checked against PyTorch's own FLOP counter."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.flops import Seq2SeqShape, batch_stats, peak_flops

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")


@pytest.mark.parametrize("which", ["marian", "nllb"])
def test_formula_matches_the_flop_counter(
    which: str, marian_checkpoint: Path, nllb_checkpoint: Path
) -> None:
    from torch.utils.flop_counter import FlopCounterMode

    checkpoint = marian_checkpoint if which == "marian" else nllb_checkpoint
    # Eager attention: its matmuls are what the counter sees (the formula counts the same).
    model = transformers.AutoModelForSeq2SeqLM.from_pretrained(
        checkpoint, attn_implementation="eager")
    batch = {
        "input_ids": torch.randint(5, 100, (4, 19)),
        "attention_mask": torch.ones(4, 19, dtype=torch.long),
        "labels": torch.randint(5, 100, (4, 13)),
    }
    counter = FlopCounterMode(display=False)
    with counter:
        model(**batch).loss.backward()
    ours = Seq2SeqShape.from_config(model.config).training_flops(*batch_stats(batch).tolist())
    assert ours == pytest.approx(counter.get_total_flops(), rel=0.01)


def test_batch_stats_ignore_padding() -> None:
    batch = {
        "attention_mask": torch.tensor([[1, 1, 1], [1, 0, 0]]),
        "labels": torch.tensor([[5, 6, -100], [7, -100, -100]]),
    }
    assert batch_stats(batch).tolist() == [4.0, 3.0, 10.0, 5.0, 7.0]  # Σs Σt Σs² Σt² Σst


def test_real_architectures_and_peaks() -> None:
    from trainer.synthetic import NANO, ULTRA, Architecture

    def shape(arch: Architecture) -> Seq2SeqShape:
        return Seq2SeqShape(arch.d_model, arch.encoder_layers, arch.decoder_layers,
                            arch.ffn_dim, arch.ffn_dim, arch.vocab_size or 0)

    nano = shape(NANO)
    # 6·N per token dominates: Nano's decoder token goes through ~51M weights (incl. LM head).
    assert nano.decoder_token_params == 6 * (6 * 512**2 + 2 * 512 * 2048) + 512 * 62_802
    ultra = shape(ULTRA)
    per_pair = ultra.training_flops(30, 30, 900, 900, 900) / 30
    assert 6 * 1.0e9 < per_pair < 6 * 1.6e9  # ~6 × 1.3B per (source + target) token pair
    assert peak_flops("NVIDIA H100 80GB HBM3") == 989e12
    assert peak_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_flops("NVIDIA L40S") == 362e12
    assert peak_flops("cpu") is None
    assert peak_flops("cpu", 2.0) == 2e12
