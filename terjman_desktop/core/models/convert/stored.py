"""Where a tensor's bytes are in a checkpoint file, whatever the file's format.

Both readers (:mod:`.safetensors`, :mod:`.torch_pickle`) describe every tensor this way, so
the rest of the converter reads rows of a tensor without knowing which format holds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

# Element sizes of the tensor types the readers may meet. Only float32, float16 and bfloat16
# tensors can be converted; the others are listed so a file holding some (an int64 buffer)
# can still be checked and read.
ITEMSIZES = {
    "bool": 1, "uint8": 1, "int8": 1, "float8_e5m2": 1, "float8_e4m3fn": 1,
    "int16": 2, "uint16": 2, "float16": 2, "bfloat16": 2,
    "int32": 4, "uint32": 4, "float32": 4,
    "int64": 8, "uint64": 8, "float64": 8,
}


@dataclass(frozen=True)
class StoredTensor:
    """A row-major tensor stored as one contiguous byte range of a file.

    Attributes:
        name: The state-dict key (``model.shared.weight``).
        path: The file holding it.
        dtype: ``float32``, ``float16``, ``bfloat16`` or another name of :data:`ITEMSIZES`.
        shape: Its dimensions.
        offset: Absolute position of its first byte in ``path``.
    """

    name: str
    path: Path
    dtype: str
    shape: tuple[int, ...]
    offset: int

    @property
    def numel(self) -> int:
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        return self.numel * ITEMSIZES[self.dtype]

    @property
    def key(self) -> tuple[str, int, str, tuple[int, ...]]:
        """Identity of the stored bytes: two names sharing storage (tied weights) share it."""
        return (str(self.path), self.offset, self.dtype, self.shape)
