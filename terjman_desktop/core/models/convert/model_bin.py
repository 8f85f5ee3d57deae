"""A streaming writer of CTranslate2's ``model.bin``, byte-identical to ``spec.save``.

CTranslate2's ``ModelSpec.optimize()`` then ``save()`` quantize every variable up front and
keep them all in memory (about 1.3 GB for NLLB 1.3B at int8, plus the float weights they
came from). This writer produces the same file from a spec whose variables are lazy
:mod:`.sources`: it finds aliases first (:mod:`.aliases`), then computes and writes one
variable at a time, large ones a block of rows at a time.

The format (``ModelSpec._serialize``, binary version 6): the version, the spec's name and
revision, the number of variables, then for each variable in name order its name, rank,
dimensions, type id, byte count and bytes, then the aliases (name, target) in name order.
Integers are little-endian; strings are a 16-bit length (characters + 1), UTF-8, a NUL.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from terjman_desktop.core.models.convert import dtypes
from terjman_desktop.core.models.convert.aliases import find_aliases
from terjman_desktop.core.models.convert.ct2 import spec_module_attribute, specs
from terjman_desktop.core.models.convert.quantize import int8_rows, output_type
from terjman_desktop.core.models.convert.sources import Source, row_count, row_items

# A block of rows holds about this many float32 bytes (a few such buffers are alive at once).
BLOCK_BYTES = 16 * 1024 * 1024
# Order of the DataType enum in CTranslate2's include/ctranslate2/types.h.
TYPE_IDS = {"float32": 0, "int8": 1, "int16": 2, "int32": 3, "float16": 4, "bfloat16": 5}


@dataclass
class Entry:
    """One variable as written: a scalar, a source (maybe quantized), or a row scale."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    scalar: Any = None
    source: Source | None = None
    scale_of: Entry | None = None  # for ``*_scale``: the quantized weight it belongs to
    scales: list[npt.NDArray[np.float32]] = field(default_factory=list)

    @property
    def nbytes(self) -> int:
        count = 1
        for dim in self.shape:
            count *= dim
        return count * dtypes.itemsize(self.dtype)


def _scalar(name: str, value: Any) -> Any:
    """A non-source spec value as ``LayerSpec.validate`` turns it into a numpy value."""
    if isinstance(value, bool):
        return np.int8(value)
    if isinstance(value, float):
        return np.float32(value)
    if isinstance(value, np.generic):
        return value
    raise TypeError(f"{name}: unexpected spec value {value!r}")


@dataclass
class Layout:
    """What ``model.bin`` will hold: entries in file order and the aliases."""

    name: str
    revision: int
    entries: list[Entry]
    aliases: dict[str, str]

    @property
    def data_bytes(self) -> int:
        return sum(e.nbytes for e in self.entries)


def spec_variables(spec: Any) -> Iterator[tuple[str, Any, bool]]:
    """(name, value, quantizable) of every set variable of ``spec`` (OPTIONAL ones skipped)."""
    model_spec = specs().model_spec
    found: list[tuple[str, Any, bool]] = []

    def visit(layer: Any, name: str, value: Any) -> None:
        if isinstance(value, str) and value == model_spec.OPTIONAL:
            return
        if value is None:
            raise ValueError(f"the spec variable {name} was not set")
        key = name.rsplit("/", 1)[-1]
        found.append((name, value, hasattr(layer, f"{key}_scale")))

    model_spec.visit_spec(spec, visit)
    return iter(found)


def plan_layout(
    spec: Any, quantization: str, check: Callable[[], None] = lambda: None
) -> Layout:
    """Decide every variable's type, the aliases and the file order, reading only to alias."""
    values = {name: (value, quantizable) for name, value, quantizable in spec_variables(spec)}
    sources = {n: v for n, (v, _) in values.items() if not _is_scalar(v)}
    aliases = find_aliases(sources, check)
    entries: list[Entry] = []
    for name, (value, quantizable) in values.items():
        if name in aliases:
            continue
        if _is_scalar(value):
            scalar = _scalar(name, value)
            entries.append(Entry(name, (), scalar.dtype.name, scalar=scalar))
            continue
        out = output_type(value.dtype, quantizable, quantization)
        entry = Entry(name, tuple(value.shape), out, source=value)
        entries.append(entry)
        if out == "int8":
            entries.append(Entry(f"{name}_scale", (row_count(value.shape),), "float32",
                                 scale_of=entry))
    entries.sort(key=lambda e: e.name)
    return Layout(spec.name, spec.revision, entries, aliases)


def _is_scalar(value: Any) -> bool:
    return not hasattr(value, "rows")


class _Writer:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def u8(self, value: int) -> None:
        self.handle.write(struct.pack("<B", value))

    def u16(self, value: int) -> None:
        self.handle.write(struct.pack("<H", value))

    def u32(self, value: int) -> None:
        self.handle.write(struct.pack("<I", value))

    def string(self, text: str) -> None:
        self.u16(len(text) + 1)  # characters, as CTranslate2 counts them (names are ASCII)
        self.handle.write(text.encode("utf-8"))
        self.u8(0)


def write_model_bin(
    handle: IO[bytes], layout: Layout, *, on_bytes: Callable[[int], None] = lambda n: None,
    check: Callable[[], None] = lambda: None,
) -> None:
    """Write ``layout`` to ``handle``.

    ``on_bytes`` is called after each block of variable bytes; ``check`` (which raises to
    cancel) before each.
    """
    out = _Writer(handle)
    out.u32(spec_module_attribute("CURRENT_BINARY_VERSION"))
    out.string(layout.name)
    out.u32(layout.revision)
    out.u32(len(layout.entries))
    for entry in layout.entries:
        check()
        out.string(entry.name)
        out.u8(len(entry.shape))
        for dim in entry.shape:
            out.u32(dim)
        out.u8(TYPE_IDS[entry.dtype])
        out.u32(entry.nbytes)
        for block in _entry_bytes(entry, check):
            data = np.ascontiguousarray(block).reshape(-1).data.cast("B")
            handle.write(data)
            on_bytes(len(data))
    out.u32(len(layout.aliases))
    for alias in sorted(layout.aliases):
        out.string(alias)
        out.string(layout.aliases[alias])


def _entry_bytes(entry: Entry, check: Callable[[], None]) -> Iterator[npt.NDArray[Any]]:
    """The values of ``entry`` as arrays of its output type, in file order."""
    if entry.source is None and entry.scale_of is None:
        yield np.asarray(entry.scalar)
        return
    if entry.scale_of is not None:
        weight = entry.scale_of
        if not weight.scales:  # not written yet (never happens in name order): compute them
            for _ in _blocks(weight, check):
                pass
        yield np.concatenate(weight.scales)
        weight.scales.clear()
        return
    yield from _blocks(entry, check)


def _blocks(entry: Entry, check: Callable[[], None]) -> Iterator[npt.NDArray[Any]]:
    """The values of a source entry, a block of rows at a time."""
    source = entry.source
    assert source is not None
    rows = row_count(source.shape)
    per_block = max(1, BLOCK_BYTES // max(1, row_items(source.shape) * 4))
    entry.scales.clear()
    for start in range(0, rows, per_block):
        check()
        block = source.rows(start, min(rows, start + per_block))
        if entry.dtype == "int8":
            wide = np.array(dtypes.to_float32(block, source.dtype), dtype=np.float32)
            quantized, scale = int8_rows(wide)
            entry.scales.append(scale)
            yield quantized
        else:
            yield dtypes.convert(block, source.dtype, entry.dtype)
