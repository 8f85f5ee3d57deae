"""Where each variable of the CTranslate2 model comes from, read only when it is written.

A spec built by :mod:`.marian` / :mod:`.nllb` holds these lazy sources instead of arrays:
a checkpoint tensor, several concatenated (fused query/key/value projections), or a small
array computed here (position tables, Marian's output bias). Each gives its rows on demand in
its *load type* — the type the torch conversion would hold it in — so quantizing and writing
can go a block of rows at a time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from terjman_desktop.core.models.convert import dtypes
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.stored import StoredTensor

# How CTranslate2's converter held the value: as a torch tensor (from the model) or as a
# numpy array (computed by the loader). Its alias rule only compares values of one kind.
TENSOR = "tensor"
NUMPY = "numpy"


class Source(Protocol):
    """A variable's value, produced a block of rows at a time."""

    @property
    def shape(self) -> tuple[int, ...]: ...

    @property
    def dtype(self) -> str:
        """The load type: ``float32``, ``float16`` or ``bfloat16`` (as uint16 bits)."""

    @property
    def origin(self) -> str:
        """:data:`TENSOR` or :data:`NUMPY` (see above)."""

    @property
    def identity(self) -> Hashable | None:
        """Equal identities mean equal values without reading them; None: unknown."""

    def rows(self, start: int, stop: int) -> npt.NDArray[Any]:
        """Rows ``start:stop`` of the first axis, in the load type."""


def row_count(shape: Sequence[int]) -> int:
    return shape[0] if shape else 1


def row_items(shape: Sequence[int]) -> int:
    return math.prod(shape[1:]) if shape else 1


class TensorSource:
    """A checkpoint tensor (possibly viewed with another shape), cast to the load type."""

    origin = TENSOR

    def __init__(
        self, checkpoint: Checkpoint, stored: StoredTensor, dtype: str,
        shape: tuple[int, ...] | None = None,
    ) -> None:
        self.checkpoint = checkpoint
        self.stored = stored
        self.dtype = dtype
        self.shape = stored.shape if shape is None else shape
        assert math.prod(self.shape) == stored.numel

    @property
    def identity(self) -> Hashable:
        return ("stored", self.stored.key, self.shape, self.dtype)

    def rows(self, start: int, stop: int) -> npt.NDArray[Any]:
        items = row_items(self.shape)
        flat = self.checkpoint.read_elements(self.stored, start * items, (stop - start) * items)
        array = dtypes.convert(flat, self.stored.dtype, self.dtype)
        return array.reshape((stop - start, *self.shape[1:]))


class ConcatSource:
    """Sources stacked along the first axis, like ``fuse_linear``'s ``torch.cat``."""

    origin = TENSOR

    def __init__(self, parts: Sequence[Source]) -> None:
        self.parts = list(parts)
        first = self.parts[0]
        assert all(p.shape[1:] == first.shape[1:] and p.dtype == first.dtype
                   for p in self.parts)
        self.dtype = first.dtype
        self.shape = (sum(p.shape[0] for p in self.parts), *first.shape[1:])

    @property
    def identity(self) -> Hashable | None:
        identities = tuple(p.identity for p in self.parts)
        return None if None in identities else ("concat", identities)

    def rows(self, start: int, stop: int) -> npt.NDArray[Any]:
        blocks = []
        base = 0
        for part in self.parts:
            low, high = max(start, base), min(stop, base + part.shape[0])
            if low < high:
                blocks.append(part.rows(low - base, high - base))
            base += part.shape[0]
        return blocks[0] if len(blocks) == 1 else np.concatenate(blocks)


class ArraySource:
    """A small array computed on first use (position tables, an output bias)."""

    def __init__(
        self, shape: tuple[int, ...], dtype: str, origin: str,
        make: Callable[[], npt.NDArray[Any]],
    ) -> None:
        self.shape = shape
        self.dtype = dtype
        self.origin = origin
        self._make = make
        self._array: npt.NDArray[Any] | None = None

    @property
    def identity(self) -> Hashable:
        return ("array", id(self))  # one object may fill several variables

    @property
    def array(self) -> npt.NDArray[Any]:
        if self._array is None:
            array = self._make()
            assert array.shape == self.shape
            assert array.dtype == dtypes.STORAGE[self.dtype]
            self._array = array
        return self._array

    def rows(self, start: int, stop: int) -> npt.NDArray[Any]:
        return self.array[start:stop]
