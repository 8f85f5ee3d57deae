"""A Hugging Face checkpoint folder: its JSON files, its tensors across shards, row reads.

Weights are found the way ``from_pretrained`` looks for them (``model.safetensors``, its
sharded index, ``pytorch_model.bin``, its sharded index). Only headers are parsed up front;
tensor bytes are read later, a block of rows at a time, with ``readinto`` into a fresh buffer
on an unbuffered file: the bytes pass through the page cache (which the system may drop) and
never stay in this process, so converting a 3 GB checkpoint never holds 3 GB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert.safetensors import read_header
from terjman_desktop.core.models.convert.stored import ITEMSIZES, StoredTensor
from terjman_desktop.core.models.convert.torch_pickle import read_torch_checkpoint

# (weights file, sharded index) in the order from_pretrained prefers them.
WEIGHT_FILES = (
    ("model.safetensors", "model.safetensors.index.json"),
    ("pytorch_model.bin", "pytorch_model.bin.index.json"),
)
MAX_JSON_BYTES = 16 * 1024 * 1024
# tokenizer.json holds the vocabulary and the merges: 17 MB for NLLB's 256k pieces. Parsed
# JSON takes several times its size in memory, so a hostile file is stopped at the door.
MAX_TOKENIZER_JSON_BYTES = 64 * 1024 * 1024


def read_json(path: Path, *, limit: int = MAX_JSON_BYTES) -> Any:
    """A JSON file of the checkpoint, or ConversionError saying why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ConversionError(
                f"'{path}' is {size} bytes, far more than such a file holds.",
                hint="Re-download it.",
            )
        return json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ConversionError(f"'{path}' cannot be read ({error}).") from error
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ConversionError(
            f"'{path}' is damaged: it is not valid JSON ({type(error).__name__}).",
            hint="Re-download it.",
        ) from error


def read_json_object(path: Path, *, required: bool = True) -> dict[str, Any] | None:
    """A JSON object file; None when it is absent and not ``required``."""
    try:
        data = read_json(path)
    except FileNotFoundError:
        if required:
            raise ConversionError(
                f"'{path.parent}' has no {path.name}: it is not a Hugging Face checkpoint "
                "folder.",
                hint="Download the whole model repository.",
            ) from None
        return None
    if not isinstance(data, dict):
        raise ConversionError(f"'{path}' is damaged: it is not a JSON object.",
                              hint="Re-download it.")
    return data


def _shard_names(folder: Path, index_name: str) -> dict[str, str]:
    """The ``weight_map`` of a sharded index: tensor name → shard file name (checked)."""
    index = read_json_object(folder / index_name)
    assert index is not None
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in weight_map.items()
    ):
        raise ConversionError(f"'{folder / index_name}' is damaged: it has no weight_map.",
                              hint="Re-download it.")
    for shard in set(weight_map.values()):
        # Shards are files beside the index; a path elsewhere is never followed.
        if Path(shard).name != shard or shard in (".", "..") or "\\" in shard:
            raise ConversionError(
                f"'{folder / index_name}' names '{shard}', which is not a file of the "
                "checkpoint.", hint="Re-download it.")
        if not (folder / shard).is_file():
            raise ConversionError(
                f"'{folder}' is incomplete: its {index_name} lists '{shard}', which is "
                "missing.", hint="Download every file of the model repository.")
    return weight_map


class Checkpoint:
    """The files of one checkpoint folder, read lazily; close it (or use ``with``) after."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ConversionError(f"'{self.folder}' is not a folder.")
        config = read_json_object(self.folder / "config.json")
        assert config is not None
        self.config: dict[str, Any] = config
        self.generation_config = read_json_object(
            self.folder / "generation_config.json", required=False)
        self.tokenizer_config = read_json_object(
            self.folder / "tokenizer_config.json", required=False) or {}
        self.special_tokens_map = read_json_object(
            self.folder / "special_tokens_map.json", required=False) or {}
        self.weight_files, self.tensors = self._index()
        self._handles: dict[Path, IO[bytes]] = {}

    def _index(self) -> tuple[list[Path], dict[str, StoredTensor]]:
        for single, index in WEIGHT_FILES:
            reader = read_header if single.endswith(".safetensors") else read_torch_checkpoint
            if (self.folder / single).is_file():
                return [self.folder / single], reader(self.folder / single)
            if (self.folder / index).is_file():
                weight_map = _shard_names(self.folder, index)
                tensors: dict[str, StoredTensor] = {}
                shards = sorted(set(weight_map.values()))
                for shard in shards:
                    found = reader(self.folder / shard)
                    for name, tensor in found.items():
                        if weight_map.get(name) == shard:
                            tensors[name] = tensor
                missing = sorted(set(weight_map) - set(tensors))
                if missing:
                    raise ConversionError(
                        f"'{self.folder}' is damaged: {index} places '{missing[0]}' in "
                        f"'{weight_map[missing[0]]}', which does not hold it.",
                        hint="Re-download the model repository.")
                return [self.folder / s for s in shards], tensors
        raise ConversionError(
            f"'{self.folder}' has no weights (model.safetensors or pytorch_model.bin).",
            hint="Download every file of the model repository.")

    def file(self, name: str) -> Path:
        return self.folder / name

    def tensor(self, name: str) -> StoredTensor | None:
        return self.tensors.get(name)

    def read_elements(self, tensor: StoredTensor, start: int, count: int) -> npt.NDArray[Any]:
        """Elements ``start:start+count`` (row-major order) of ``tensor``, in its stored type.

        float32/float16 come as such; bfloat16 comes as its ``uint16`` bits (numpy has no
        bfloat16; :mod:`.dtypes` converts them).
        """
        itemsize = ITEMSIZES[tensor.dtype]
        size = count * itemsize
        buffer = np.empty(size, dtype=np.uint8)
        handle = self._handle(tensor.path)
        view = memoryview(buffer.data)
        done = 0
        try:
            handle.seek(tensor.offset + start * itemsize)
            while done < size:
                got = handle.readinto(view[done:])  # type: ignore[attr-defined]
                if not got:
                    raise ConversionError(
                        f"'{tensor.path}' ended while '{tensor.name}' was read: it is "
                        "truncated.", hint="Re-download it.")
                done += got
        except OSError as error:  # a read error is the checkpoint's, not the output's
            raise ConversionError(f"'{tensor.path}' cannot be read ({error}).") from error
        numpy_type = np.uint16 if tensor.dtype == "bfloat16" else np.dtype(tensor.dtype)
        return buffer.view(numpy_type)

    def _handle(self, path: Path) -> IO[bytes]:
        if path not in self._handles:
            try:
                self._handles[path] = open(path, "rb", buffering=0)  # noqa: SIM115
            except OSError as error:
                raise ConversionError(f"'{path}' cannot be read ({error}).") from error
        return self._handles[path]

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
