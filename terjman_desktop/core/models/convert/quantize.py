"""CTranslate2's quantization rules (``LayerSpec._quantize``), applied a block of rows at a time.

A variable is *quantizable* when its layer spec has a ``<name>_scale`` slot (linear and
embedding weights). With an ``int8*`` quantization those become int8 with one float32 scale
per row — a row's scale depends on that row alone, which is what lets the writer stream
them. Other float variables are converted to the quantization's float type, except that
plain ``int8`` leaves them in the type they were loaded in.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

INT8_TYPES = ("int8", "int8_float32", "int8_float16", "int8_bfloat16")

# _quantize's "is_convertible" branch: what unquantized float variables become.
_CONVERTED = {
    "float16": "float16", "int8_float16": "float16",
    "bfloat16": "bfloat16", "int8_bfloat16": "bfloat16",
    "float32": "float32", "int8_float32": "float32",
}

# Keep a scale representable in float32 for tiny nonzero rows (CTranslate2's guard).
_AMAX_FLOOR = np.float32(127) / np.finfo(np.float32).max


def output_type(load_type: str, quantizable: bool, quantization: str) -> str:
    """The type a non-scalar float variable is written in."""
    if quantizable:
        return "int8" if quantization in INT8_TYPES else quantization
    return _CONVERTED.get(quantization, load_type)


def int8_rows(
    block: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]]:
    """Quantize a float32 block row by row: CTranslate2's expressions, in its order.

    A zero row gets the scale 127/127 = 1; ``block`` is scaled in place.
    """
    amax = np.amax(np.absolute(block), axis=1)
    amax[amax == 0] = 127.0
    amax = np.maximum(amax, _AMAX_FLOOR)
    scale = 127.0 / amax
    block *= np.expand_dims(scale, 1)
    block = np.rint(block)
    return block.astype(np.int8), scale
