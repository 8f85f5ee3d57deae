"""Floating-point types in numpy, bfloat16 included, converted the way torch converts them.

numpy has no bfloat16, so a bfloat16 array is carried as ``uint16`` bits with the name
``"bfloat16"`` beside it. Every conversion here rounds like torch's ``Tensor.to`` (round to
nearest, ties to even), because CTranslate2's own converter converts with torch and our
``model.bin`` must be byte-identical to its output.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

FLOAT_TYPES: Final = ("float32", "float16", "bfloat16")

# How each type is stored in numpy, and its size in bytes.
STORAGE: Final[dict[str, np.dtype[np.generic]]] = {
    "float32": np.dtype(np.float32),
    "float16": np.dtype(np.float16),
    "bfloat16": np.dtype(np.uint16),
    "int8": np.dtype(np.int8),
    "int16": np.dtype(np.int16),
    "int32": np.dtype(np.int32),
}


def itemsize(dtype: str) -> int:
    return STORAGE[dtype].itemsize


def to_float32(array: npt.NDArray[np.generic], dtype: str) -> npt.NDArray[np.float32]:
    """``array`` (of ``dtype``) as float32; exact for every float type (a widening)."""
    if dtype == "float32":
        return np.asarray(array, dtype=np.float32)
    if dtype == "float16":
        return array.astype(np.float32)
    if dtype == "bfloat16":
        # bfloat16 is the upper half of a float32: shifting its bits up is the exact value.
        return (array.astype(np.uint32) << 16).view(np.float32)
    raise ValueError(f"not a float type: {dtype}")


def float32_to_bfloat16(array: npt.NDArray[np.float32]) -> npt.NDArray[np.uint16]:
    """Round float32 to bfloat16 bits, to nearest with ties to even, like torch.

    NaN becomes the quiet NaN 0x7FC0 as in c10's ``round_to_nearest_even``; a model with NaN
    weights is broken anyway, so the vectorized kernels' other NaN pattern does not matter.
    """
    bits = np.ascontiguousarray(array, dtype=np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + np.uint32(0x7FFF)
    rounded = ((bits + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(array)
    if nan.any():
        rounded[nan] = 0x7FC0
    result: npt.NDArray[np.uint16] = rounded
    return result


def convert(array: npt.NDArray[np.generic], source: str, target: str) -> npt.NDArray[np.generic]:
    """``array`` of float type ``source`` converted to float type ``target``.

    Narrowing goes through float32, as torch does for half types: float32 holds every
    float16 and bfloat16 value exactly, so rounding happens once, at the end.
    """
    if source == target:
        return array
    wide = to_float32(array, source)
    if target == "float32":
        return wide
    if target == "float16":
        return wide.astype(np.float16)
    if target == "bfloat16":
        return float32_to_bfloat16(wide)
    raise ValueError(f"not a float type: {target}")
