"""A validating reader of safetensors headers (the tensors themselves are read in rows later).

The ``safetensors`` package cannot hand bfloat16 to numpy, and loading a whole file defeats
reading in chunks, so the format is parsed here: an 8-byte little-endian header length, a
JSON object mapping tensor names to ``{"dtype", "shape", "data_offsets"}`` (offsets relative
to the end of the header), then the data. The file comes from the network, so everything is
checked before it is trusted: lengths against the file size (no allocation is ever sized by
the file's say-so beyond a fixed cap), byte spans against shapes, overlaps, nesting.
"""

from __future__ import annotations

import itertools
import json
import math
import struct
from pathlib import Path
from typing import Any

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert.stored import ITEMSIZES, StoredTensor

# Real headers are a few hundred bytes per tensor (under 1 MB for a 3.3B model); the format's
# own limit is 100 MB. A hostile file cannot make us read or parse more than this.
MAX_HEADER_BYTES = 16 * 1024 * 1024
MAX_RANK = 16

DTYPES = {
    "BOOL": "bool", "U8": "uint8", "I8": "int8", "F8_E5M2": "float8_e5m2",
    "F8_E4M3": "float8_e4m3fn", "I16": "int16", "U16": "uint16", "F16": "float16",
    "BF16": "bfloat16", "I32": "int32", "U32": "uint32", "F32": "float32", "I64": "int64",
    "U64": "uint64", "F64": "float64",
}


def damaged(path: Path, detail: str, kind: str = "a safetensors file") -> ConversionError:
    return ConversionError(
        f"'{path}' is damaged or not {kind}: {detail}.", hint="Re-download it."
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_header(path: Path) -> dict[str, StoredTensor]:
    """The tensors of a safetensors file, checked against the file's size.

    Raises:
        ConversionError: The file is not a well-formed safetensors file.
    """
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(0)
            if size < 8:
                raise damaged(path, f"it is {size} bytes long")
            (length,) = struct.unpack("<Q", handle.read(8))
            if length > size - 8:
                raise damaged(path, f"its header length ({length}) is beyond the end of the file")
            if length > MAX_HEADER_BYTES:
                raise damaged(path, f"its header is {length} bytes, more than any model's")
            raw = handle.read(length)
    except OSError as error:
        raise ConversionError(f"'{path}' cannot be read ({error}).") from error
    if len(raw) != length:
        raise damaged(path, "it ended while its header was read")
    return parse_header(path, raw, data_start=8 + length, data_length=size - 8 - length)


def parse_header(
    path: Path, raw: bytes, *, data_start: int, data_length: int
) -> dict[str, StoredTensor]:
    """Check the JSON header ``raw`` of ``path`` and describe its tensors."""
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise damaged(path, f"its header is not JSON ({error})") from error
    except RecursionError as error:  # "[[[[…" deeper than Python's stack
        raise damaged(path, "its header is nested too deeply") from error
    if not isinstance(header, dict):
        raise damaged(path, "its header is not a JSON object")
    metadata = header.pop("__metadata__", {})
    if not isinstance(metadata, dict):
        raise damaged(path, "its __metadata__ is not a JSON object")
    tensors: dict[str, StoredTensor] = {}
    spans: list[tuple[int, int, str]] = []
    for name, entry in header.items():
        tensor, begin, end = _tensor(path, name, entry, data_start, data_length)
        tensors[name] = tensor
        if end > begin:
            spans.append((begin, end, name))
    spans.sort()
    for (_, end, first), (begin, _, second) in itertools.pairwise(spans):
        if begin < end:
            raise damaged(path, f"tensors '{first}' and '{second}' overlap")
    return tensors


def _tensor(
    path: Path, name: str, entry: Any, data_start: int, data_length: int
) -> tuple[StoredTensor, int, int]:
    if not isinstance(entry, dict):
        raise damaged(path, f"the entry of '{name}' is not a JSON object")
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(dtype, str):
        raise damaged(path, f"'{name}' has no dtype")
    if dtype not in DTYPES:
        raise ConversionError(
            f"'{path}' stores '{name}' as '{dtype[:40]}', a tensor type this converter does "
            "not know.",
            hint="Terjman converts float32, float16 and bfloat16 checkpoints.",
        )
    if (
        not isinstance(shape, list) or len(shape) > MAX_RANK
        or not all(_is_int(d) and d >= 0 for d in shape)
    ):
        raise damaged(path, f"the shape of '{name}' is not a list of sizes")
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(map(_is_int, offsets))):
        raise damaged(path, f"the data offsets of '{name}' are not two integers")
    begin, end = offsets
    if not 0 <= begin <= end <= data_length:
        raise damaged(path, f"the bytes of '{name}' ({begin}–{end}) are outside the file")
    kind = DTYPES[dtype]
    if end - begin != math.prod(shape) * ITEMSIZES[kind]:
        raise damaged(
            path, f"'{name}' has {end - begin} bytes for shape {shape} of {kind}"
        )
    stored = StoredTensor(name, path, kind, tuple(shape), data_start + begin)
    return stored, begin, end
