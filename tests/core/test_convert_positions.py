"""Sinusoidal position tables against the transformers code that computes them at load time."""

from __future__ import annotations

import numpy as np
import pytest

from terjman_desktop.core.models.convert.positions import m2m100_positions, marian_positions

pytest.importorskip("torch")
transformers_marian = pytest.importorskip("transformers.models.marian.modeling_marian")
transformers_m2m100 = pytest.importorskip("transformers.models.m2m_100.modeling_m2m_100")


@pytest.mark.parametrize(("positions", "dim"), [(512, 64), (512, 512), (1024, 1024), (40, 7)])
def test_marian_table_is_bit_identical(positions: int, dim: int) -> None:
    module = transformers_marian.MarianSinusoidalPositionalEmbedding(positions, dim)
    expected = module.create_weight().numpy()
    assert np.array_equal(marian_positions(positions, dim).view(np.uint32),
                          expected.view(np.uint32))


@pytest.mark.parametrize(("positions", "dim", "pad"),
                         [(512, 64, 1), (1024, 1024, 1), (1024, 2048, 1), (40, 9, None)])
def test_m2m100_table_is_within_a_few_ulps(positions: int, dim: int, pad: int | None) -> None:
    # Not bit-identical: torch's float32 exp/sin/cos are not correctly rounded (module doc).
    full = transformers_m2m100.M2M100SinusoidalPositionalEmbedding.get_embedding(
        positions + 2, dim, pad)
    expected = full[2:].numpy()
    ours = m2m100_positions(positions, dim, pad)
    assert ours.shape == expected.shape
    assert np.abs(ours - expected).max() < 1e-4
    assert np.mean(ours == expected) > 0.85


def test_m2m100_padding_row_inside_the_kept_rows_is_zero() -> None:
    # A padding id past the offset zeroes a kept row, as transformers does.
    table = m2m100_positions(16, 8, padding_idx=5)
    assert not table[3].any()
    assert table[2].any() and table[4].any()
