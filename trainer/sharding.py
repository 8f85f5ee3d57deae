"""Splitting a corpus across machines, and merging the pieces back the same way every time.

A monolingual corpus of millions of sentences is translated by several machines (each with
all its GPUs). The launcher (``torchrun`` or ``accelerate launch``) tells each process its
``RANK`` and ``WORLD_SIZE``; the corpus is cut into *blocks* of consecutive sentences and
block ``b`` belongs to rank ``b % world_size``. Every sentence has a global index, so the
shards merge back in index order, and the merged file is byte for byte what one process
would have written: a block is translated alone, in the same batches, whichever rank has it.

Each shard is written to a temporary name and renamed when complete, with a ``.done.json``
beside it (sentences, SHA-256, settings). An interrupted shard continues after its last
finished block (:class:`ShardWriter`); the merge refuses missing, partial or mismatched
shards and names them.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.errors import ConfigError, DataError


@dataclass(frozen=True)
class Shard:
    """This process's part of the work: ``rank`` of ``world_size``."""

    rank: int = 0
    world_size: int = 1

    def __post_init__(self) -> None:
        if self.world_size < 1 or not 0 <= self.rank < self.world_size:
            raise ConfigError(
                f"Rank {self.rank} of world size {self.world_size} is not a shard: the rank "
                "must be at least 0 and below the world size."
            )

    @classmethod
    def from_env(
        cls,
        rank: int | None = None,
        world_size: int | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Shard:
        """The shard given, else the launcher's ``RANK``/``WORLD_SIZE``, else the whole corpus.

        Raises:
            ConfigError: the environment holds something that is not a whole number.
        """
        environ = os.environ if environ is None else environ

        def read(name: str, given: int | None, default: int) -> int:
            if given is not None:
                return given
            value = environ.get(name)
            if value is None or value == "":
                return default
            try:
                return int(value)
            except ValueError:
                raise ConfigError(f"{name}={value!r} in the environment is not a number.") from None

        return cls(read("RANK", rank, 0), read("WORLD_SIZE", world_size, 1))

    @property
    def name(self) -> str:
        return f"rank{self.rank:05d}-of-{self.world_size:05d}"

    def owns(self, block: int) -> bool:
        return block % self.world_size == self.rank


def shard_path(folder: Path, corpus: str, shard: Shard) -> Path:
    return folder / f"{corpus}.{shard.name}.jsonl"


def done_path(path: Path) -> Path:
    return path.with_name(path.name + ".done.json")


def read_done(path: Path) -> dict[str, Any] | None:
    """The completion record of a shard file, or None when it is not complete."""
    marker = done_path(path)
    if not marker.is_file() or not path.is_file():
        return None
    record: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
    return record


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ShardWriter:
    """Writes a shard's rows (JSON objects with an ``index``) and marks it complete.

    Rows are written a block at a time; after each block (:meth:`block_done`) the file is
    flushed to disk and a checkpoint (``.partial.json``: blocks done, rows, bytes, settings)
    is replaced atomically. A writer opened again on the same shard with the same settings
    continues after the last finished block, so an interrupted machine loses at most one
    block of work; with other settings it starts over.
    """

    def __init__(self, path: Path, settings: Mapping[str, Any]) -> None:
        self.path = path
        self.settings = dict(settings)
        self.partial = path.with_name(path.name + ".partial")
        self.state = path.with_name(path.name + ".partial.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        done_path(path).unlink(missing_ok=True)
        self.rows = 0
        self._last = -1
        self.blocks_done: set[int] = set()
        saved = self._saved_state()
        if saved is not None:
            with self.partial.open("r+b") as handle:  # drop what came after the checkpoint
                handle.truncate(int(saved["bytes"]))
            self.rows, self._last = int(saved["rows"]), int(saved["last"])
            self.blocks_done = {int(b) for b in saved["blocks"]}
            self._handle = self.partial.open("a", encoding="utf-8")
        else:
            self._handle = self.partial.open("w", encoding="utf-8")

    def _saved_state(self) -> dict[str, Any] | None:
        if not (self.state.is_file() and self.partial.is_file()):
            return None
        try:
            saved: dict[str, Any] = json.loads(self.state.read_text(encoding="utf-8"))
        except ValueError:
            return None
        if saved.get("settings") != self.settings:
            return None
        if self.partial.stat().st_size < int(saved.get("bytes", -1)):
            return None
        return saved

    @property
    def resumed(self) -> bool:
        return bool(self.blocks_done)

    def write(self, rows: Iterable[Mapping[str, Any]]) -> None:
        for row in rows:
            index = int(row["index"])
            if index <= self._last:
                raise ValueError("shard rows must be written in increasing index order")
            self._last = index
            self._handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.rows += 1

    def block_done(self, block: int) -> None:
        """Make the rows written so far durable and remember ``block`` as finished."""
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.blocks_done.add(block)
        state = {
            "settings": self.settings,
            "blocks": sorted(self.blocks_done),
            "rows": self.rows,
            "last": self._last,
            "bytes": self._handle.tell(),
        }
        temporary = self.state.with_name(self.state.name + ".tmp")
        temporary.write_text(json.dumps(state), encoding="utf-8")
        os.replace(temporary, self.state)

    def close(self) -> None:
        """Stop writing, keeping the finished blocks for a later writer to continue."""
        self._handle.close()

    def abort(self) -> None:
        """Close and remove the unfinished shard and its checkpoint."""
        self._handle.close()
        self.partial.unlink(missing_ok=True)
        self.state.unlink(missing_ok=True)

    def finish(self) -> dict[str, Any]:
        """Close, put the file in place and write its completion record."""
        self._handle.close()
        os.replace(self.partial, self.path)
        self.state.unlink(missing_ok=True)
        record = {"rows": self.rows, "sha256": sha256_of(self.path), **self.settings}
        done_path(self.path).write_text(json.dumps(record, indent=2), encoding="utf-8")
        return record


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row: dict[str, Any] = json.loads(line)
            yield row


def merge_shards(
    folder: Path, corpus: str, world_size: int, output: Path, expected_rows: int | None = None
) -> dict[str, Any]:
    """Merge the ``world_size`` shards of ``corpus`` into ``output``, in index order.

    The result does not depend on how many shards there were. Rows are written without
    reformatting, so a merge of one shard is a copy of it.

    Returns:
        The merge record: rows, SHA-256 of the output and the shards' settings.

    Raises:
        DataError: a shard is missing or incomplete, was changed after it was written, was
            made with other settings, or the merged indices are not 0, 1, 2, … .
    """
    shards = [Shard(rank, world_size) for rank in range(world_size)]
    paths = [shard_path(folder, corpus, shard) for shard in shards]
    records = [read_done(path) for path in paths]
    missing = [s.name for s, r in zip(shards, records, strict=True) if r is None]
    if missing:
        raise DataError(
            f"{corpus}: {len(missing)} of {world_size} shards are missing or incomplete "
            f"({', '.join(missing)}) in {folder}.",
            hint="Run the translate stage with those ranks (RANK=… WORLD_SIZE=…) first.",
        )
    complete = [r for r in records if r is not None]
    settings = [{k: v for k, v in r.items() if k not in ("rows", "sha256")} for r in complete]
    if any(s != settings[0] for s in settings[1:]):
        raise DataError(
            f"{corpus}: the shards were translated with different settings "
            f"({settings}); translate them again with one configuration."
        )
    for path, record in zip(paths, complete, strict=True):
        if sha256_of(path) != record["sha256"]:
            raise DataError(f"{path} changed after it was written; translate it again.")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    expected = 0
    with partial.open("w", encoding="utf-8") as handle:
        for row in heapq.merge(*(_rows(p) for p in paths), key=lambda r: int(r["index"])):
            if int(row["index"]) != expected:
                raise DataError(
                    f"{corpus}: sentence {expected} is missing from the shards "
                    f"(found {row['index']}); translate them again."
                )
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            expected += 1
    if expected_rows is not None and expected != expected_rows:
        raise DataError(
            f"{corpus}: the shards hold {expected} sentences, the corpus "
            f"{expected_rows}; translate them again."
        )
    os.replace(partial, output)
    return {"rows": expected, "sha256": sha256_of(output), "shards": world_size, **settings[0]}
