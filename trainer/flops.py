"""Model FLOPs of an encoder-decoder training step, for tokens/s and MFU logging.

The count follows the usual convention (Kaplan et al. 2020; PaLM's MFU, Chowdhery et al.
2022): a matrix multiply with a weight of N parameters costs 2·N FLOPs per token forward and
4·N backward, so training costs **6·N per token** over the weights a token goes through, plus
**12·d per pair of positions** for attention (QKᵀ and A·V: 2·d each forward, times 3). For a
sentence pair with ``s`` source and ``t`` target tokens (padding excluded):

    encoder tokens:  6·s·(L_enc·(4d² + 2·d·f_enc) + L_dec·2d²)   (+ cross-attention K,V)
    decoder tokens:  6·t·(L_dec·(4d² + 2d² + 2·d·f_dec) + d·V)   (self, cross Q,O, FFN, LM head)
    attention:       12·d·(L_enc·s² + L_dec·t² + L_dec·t·s)       (encoder, decoder, cross)

Embedding look-ups, layer norms, softmax and biases are left out (under 1% here). The
decoder's causal mask is not halved, as in PaLM's formula. Gradient checkpointing recomputes
the forward pass (8·N instead of 6·N of hardware work) but model FLOPs do not count it: MFU
is useful work over peak, whatever the recomputation.

MFU = (model FLOPs per second per device) / (the device's peak dense bf16 FLOPs). Peak values
are known for common data-centre GPUs; for others pass ``peak_tflops``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Dense (no sparsity) bf16 tensor-core peaks from the vendors' data sheets, in TFLOP/s.
PEAK_BF16_TFLOPS = {
    "H200": 989.0,
    "H100 PCIe": 756.0,
    "H100": 989.0,
    "A100": 312.0,
    "L40S": 362.0,
    "L4": 121.0,
}


@dataclass(frozen=True)
class Seq2SeqShape:
    """What the FLOPs count needs of a Marian or M2M100/NLLB config."""

    d_model: int
    encoder_layers: int
    decoder_layers: int
    encoder_ffn_dim: int
    decoder_ffn_dim: int
    vocab_size: int

    @classmethod
    def from_config(cls, config: Any) -> Seq2SeqShape:
        return cls(config.d_model, config.encoder_layers, config.decoder_layers,
                   config.encoder_ffn_dim, config.decoder_ffn_dim, config.vocab_size)

    @property
    def encoder_token_params(self) -> int:
        """Weights one source token goes through (incl. every decoder layer's cross K,V)."""
        d = self.d_model
        return self.encoder_layers * (4 * d * d + 2 * d * self.encoder_ffn_dim) + (
            self.decoder_layers * 2 * d * d
        )

    @property
    def decoder_token_params(self) -> int:
        """Weights one target token goes through (incl. the output projection)."""
        d = self.d_model
        per_layer = 6 * d * d + 2 * d * self.decoder_ffn_dim
        return self.decoder_layers * per_layer + d * self.vocab_size

    def training_flops(self, source_tokens: float, target_tokens: float,
                       source_sq: float, target_sq: float, cross: float) -> float:
        """FLOPs of a training step from token counts and attention sums.

        Args:
            source_tokens: Σ s over the batch's sentences.
            target_tokens: Σ t.
            source_sq: Σ s².
            target_sq: Σ t².
            cross: Σ s·t.
        """
        weights = 6.0 * (source_tokens * self.encoder_token_params
                         + target_tokens * self.decoder_token_params)
        attention = 12.0 * self.d_model * (
            self.encoder_layers * source_sq + self.decoder_layers * (target_sq + cross)
        )
        return weights + attention


def batch_stats(batch: Mapping[str, Any]) -> Any:
    """Token counts and attention sums of a collated batch, as one tensor (no host sync).

    Returns:
        A float tensor ``[Σs, Σt, Σs², Σt², Σs·t]`` on the batch's device.
    """
    import torch

    source = batch["attention_mask"].sum(dim=-1).double()
    target = (batch["labels"] != -100).sum(dim=-1).double()
    return torch.stack([source.sum(), target.sum(), (source * source).sum(),
                        (target * target).sum(), (source * target).sum()])


def peak_flops(device_name: str, override_tflops: float | None = None) -> float | None:
    """Peak dense bf16 FLOP/s of a device, or None when unknown (MFU is then not logged)."""
    if override_tflops:
        return override_tflops * 1e12
    for name, tflops in PEAK_BF16_TFLOPS.items():  # "H100 PCIe" is checked before "H100"
        if name in device_name:
            return tflops * 1e12
    return None
