"""CTranslate2's alias rule (``LayerSpec._alias_variables``) without holding the variables.

CTranslate2 writes a variable once when others are element-wise equal to it, of the same
shape, type and kind (see :data:`.sources.TENSOR`), keeping the name that sorts first and
recording the rest as aliases. Tied embeddings and the output projection are the usual
case; in an untrained checkpoint every LayerNorm weight (all ones) and bias (all zeros) is
another. Comparing arrays pairwise would need them all in memory, so values are compared by
digest instead: sources reading the same stored bytes are equal without a read; the others
are fingerprinted by their first rows, and only fingerprints that collide are hashed whole
(BLAKE2b-256 over the values with -0.0 made +0.0, since ``torch.equal(-0.0, 0.0)`` holds).
A variable holding NaN equals nothing, as under ``torch.equal`` — except that names reading
one stored tensor (tied weights) are always one variable: a checkpoint with NaN weights is
broken anyway.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from terjman_desktop.core.models.convert.sources import Source, row_count, row_items

FINGERPRINT_BYTES = 64 * 1024
BLOCK_BYTES = 16 * 1024 * 1024


def _canonical(block: npt.NDArray[Any], dtype: str) -> npt.NDArray[Any] | None:
    """The block with -0.0 as +0.0, or None when it holds a NaN."""
    if dtype == "bfloat16":  # uint16 bits
        if ((block & 0x7FFF) > 0x7F80).any():
            return None
        return np.where(block == 0x8000, np.uint16(0), block)
    if np.isnan(block).any():
        return None
    return np.where(block == 0, block.dtype.type(0), block)


def _digest(source: Source, rows: int, check: Callable[[], None]) -> bytes | None:
    """Digest of the first ``rows`` rows (None: holds NaN, so equal to nothing)."""
    digest = hashlib.blake2b(digest_size=32)
    per_block = max(1, BLOCK_BYTES // max(1, row_items(source.shape) * 4))
    for start in range(0, rows, per_block):
        check()
        block = _canonical(source.rows(start, min(rows, start + per_block)), source.dtype)
        if block is None:
            return None
        digest.update(np.ascontiguousarray(block).tobytes())
    return digest.digest()


def find_aliases(
    variables: Mapping[str, Source], check: Callable[[], None] = lambda: None
) -> dict[str, str]:
    """``{alias: target}`` for the non-scalar ``variables`` (name → source).

    ``check`` runs between reads (it raises to cancel).
    """
    groups: dict[Hashable, list[str]] = defaultdict(list)
    for name in sorted(variables):
        source = variables[name]
        groups[(source.shape, source.dtype, source.origin)].append(name)
    aliases: dict[str, str] = {}
    for names in groups.values():
        if len(names) > 1:
            aliases.update(_group_aliases(names, variables, check))
    return aliases


def _group_aliases(
    names: list[str], variables: Mapping[str, Source], check: Callable[[], None]
) -> dict[str, str]:
    """Aliases among same-shaped variables, each to the first name (sorted) equal to it."""
    # Units of names known equal without reading: the same stored bytes (tied weights).
    units: dict[Hashable, list[str]] = defaultdict(list)
    for name in names:
        identity = variables[name].identity
        units[("identity", identity) if identity is not None else ("name", name)].append(name)
    if len(units) == 1:
        return dict.fromkeys(names[1:], names[0])
    sample = variables[names[0]]
    total = row_count(sample.shape)
    sample_rows = min(total, max(1, FINGERPRINT_BYTES // max(1, row_items(sample.shape) * 4)))
    fingerprints = {
        unit: _digest(variables[members[0]], sample_rows, check)
        for unit, members in units.items()
    }
    seen: dict[bytes, int] = defaultdict(int)
    for fingerprint in fingerprints.values():
        if fingerprint is not None:
            seen[fingerprint] += 1
    classes: dict[Hashable, Hashable] = {}
    for unit, members in units.items():
        fingerprint = fingerprints[unit]
        if fingerprint is None or seen[fingerprint] == 1:
            classes[unit] = unit  # holds NaN, or differs from all others in its first rows
        elif sample_rows == total:
            classes[unit] = fingerprint  # the fingerprint covered every row
        else:
            digest = _digest(variables[members[0]], total, check)
            classes[unit] = digest if digest is not None else unit
    first: dict[Hashable, str] = {}
    aliases: dict[str, str] = {}
    for unit, members in units.items():
        for name in members:
            key = classes[unit]
            if key in first:
                aliases[name] = first[key]
            else:
                first[key] = name
    return {name: aliases[name] for name in names if name in aliases}
