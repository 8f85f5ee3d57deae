"""Sinusoidal position tables, computed as transformers computes them when loading a model.

Neither Marian nor M2M100 checkpoints store these tables (transformers builds them at load
time), yet CTranslate2's converter writes them into ``model.bin``, so they are rebuilt here.

- Marian (``MarianSinusoidalPositionalEmbedding.create_weight``) computes in float64 numpy
  and rounds to float32. The same numpy calls in the same order give the same bits, so the
  table equals the torch conversion's exactly.
- M2M100 (``M2M100SinusoidalPositionalEmbedding.get_embedding``) computes in float32 torch,
  whose ``exp``/``sin``/``cos`` come from MKL or SLEEF and are not correctly rounded; numpy
  cannot reproduce those bits. This table follows the same float32 steps but evaluates the
  transcendental functions in float64 and rounds once, so each value is the float32 nearest
  to the exact formula — within a few units in the last place of torch's (≤ 1e-4 absolute
  at position 1024), far below what changes a translation.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt


def marian_positions(positions: int, dim: int) -> npt.NDArray[np.float32]:
    """``MarianSinusoidalPositionalEmbedding.create_weight`` in numpy, bit for bit."""
    # transformers evaluates np.power on Python scalars, one (pos, j) at a time. np.power on
    # an array may take another (SIMD) code path, so the scalar calls are kept; only the
    # divisions are vectorized, and IEEE division rounds the same everywhere.
    denominators = np.array([np.power(10000, 2 * (j // 2) / dim) for j in range(dim)])
    position_enc = np.arange(positions, dtype=np.float64)[:, None] / denominators[None, :]
    out = np.empty((positions, dim), dtype=np.float32)
    sentinel = dim // 2 if dim % 2 == 0 else (dim // 2) + 1
    out[:, 0:sentinel] = np.sin(position_enc[:, 0::2]).astype(np.float32)
    out[:, sentinel:] = np.cos(position_enc[:, 1::2]).astype(np.float32)
    return out


def m2m100_positions(
    positions: int, dim: int, padding_idx: int | None, offset: int = 2
) -> npt.NDArray[np.float32]:
    """The rows CTranslate2 keeps of ``M2M100SinusoidalPositionalEmbedding.get_embedding``.

    transformers builds ``positions + offset`` rows, zeroes the padding row and CTranslate2's
    loader drops the first ``offset`` rows.
    """
    half = dim // 2
    step = math.log(10000) / (half - 1)
    # torch: arange(half).float() * -step is a float32 product (the scalar is cast first).
    exponents = np.arange(half, dtype=np.float32) * np.float32(-step)
    frequencies = np.exp(exponents.astype(np.float64)).astype(np.float32)
    angles = np.arange(positions + offset, dtype=np.float32)[:, None] * frequencies[None, :]
    wide = angles.astype(np.float64)
    table = np.concatenate([np.sin(wide), np.cos(wide)], axis=1).astype(np.float32)
    if dim % 2 == 1:
        table = np.concatenate([table, np.zeros((positions + offset, 1), np.float32)], axis=1)
    if padding_idx is not None:
        table[padding_idx, :] = 0
    return np.ascontiguousarray(table[offset:])
