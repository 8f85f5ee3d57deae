"""Reading ``pytorch_model.bin`` without torch, and without trusting its pickle.

Since PyTorch 1.6, ``torch.save`` writes a zip: ``<archive>/data.pkl`` (a pickle of the state
dict whose tensors point at storages by persistent id) and one uncompressed member
``<archive>/data/<key>`` per storage. Before that (the "legacy" format, still found in
checkpoints uploaded in 2020, such as early OPUS-MT models) the file is a row of pickles — a
magic number, a protocol version, facts about the saving machine, the state dict, the list of
storage keys — followed by each storage as an 8-byte element count and its raw bytes.

A pickle can call any importable function, so ``pickle.load`` on a downloaded file runs
whatever its author wanted. Here a restricted unpickler resolves only the globals
``torch.save`` writes for a state dict — to stand-ins that record shapes and offsets, never
to torch — and refuses every other global, naming it. The tensors' bytes are then read
straight from the file, in rows, like safetensors.
"""

from __future__ import annotations

import collections
import io
import math
import pickle
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert.stored import ITEMSIZES, StoredTensor

# A state dict's pickle is a few hundred bytes per tensor.
MAX_PICKLE_BYTES = 64 * 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then name and extra field lengths


def damaged(path: Path, detail: str) -> ConversionError:
    return ConversionError(
        f"'{path}' is damaged or not a PyTorch checkpoint: {detail}.", hint="Re-download it."
    )


@dataclass(frozen=True)
class _StorageType:
    dtype: str


@dataclass(frozen=True)
class _Storage:
    dtype: str
    key: str
    numel: int


@dataclass(frozen=True)
class _Tensor:
    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_tuple(value: Any) -> tuple[int, ...]:
    if not isinstance(value, tuple) or not all(_is_int(v) and v >= 0 for v in value):
        raise pickle.UnpicklingError(f"expected a tuple of sizes, got {type(value).__name__}")
    return value


def _rebuild_tensor_v2(
    storage: Any, storage_offset: Any, size: Any, stride: Any, *_ignored: Any
) -> _Tensor:
    """Stand-in for ``torch._utils._rebuild_tensor_v2``: records where the tensor is."""
    if not isinstance(storage, _Storage) or not _is_int(storage_offset) or storage_offset < 0:
        raise pickle.UnpicklingError("a tensor without a storage")
    return _Tensor(storage, storage_offset, _int_tuple(size), _int_tuple(stride))


def _rebuild_parameter(data: Any, *_ignored: Any) -> Any:
    """Stand-in for ``torch._utils._rebuild_parameter``: a parameter is its data."""
    if not isinstance(data, _Tensor):
        raise pickle.UnpicklingError("a parameter without a tensor")
    return data


def _storage_types() -> dict[tuple[str, str], Any]:
    names = {
        "FloatStorage": "float32", "HalfStorage": "float16", "BFloat16Storage": "bfloat16",
        "DoubleStorage": "float64", "LongStorage": "int64", "IntStorage": "int32",
        "ShortStorage": "int16", "CharStorage": "int8", "ByteStorage": "uint8",
        "BoolStorage": "bool",
    }
    return {("torch", name): _StorageType(dtype) for name, dtype in names.items()}


# Everything a state dict saved by torch.save may name, and what it becomes here.
ALLOWED_GLOBALS: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    ("torch._utils", "_rebuild_parameter_with_state"): _rebuild_parameter,
    **_storage_types(),
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that knows only :data:`ALLOWED_GLOBALS` and storage persistent ids."""

    def find_class(self, module: str, name: str) -> Any:
        # Every way a pickle can reach a callable (GLOBAL, STACK_GLOBAL, INST, OBJ, EXT*) goes
        # through find_class, so refusing here refuses them all.
        try:
            return ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise ConversionError(
                f"The checkpoint's pickle asks for '{module}.{name}', which a PyTorch state "
                "dict never contains; it was not loaded.",
                hint="Use a checkpoint in safetensors format, or one saved by torch.save "
                "from a trusted source.",
            ) from None

    def persistent_load(self, pid: Any) -> Any:
        # Zip format: ("storage", type, key, location, numel). Legacy format: the same and a
        # sixth field, the view of another storage (None for every tensor of a state dict
        # saved since PyTorch 0.4; views are refused).
        if not (
            isinstance(pid, tuple) and len(pid) in (5, 6) and pid[0] == "storage"
            and isinstance(pid[1], _StorageType) and isinstance(pid[2], str)
            and _is_int(pid[4]) and pid[4] >= 0 and (len(pid) == 5 or pid[5] is None)
        ):
            raise pickle.UnpicklingError("an unknown persistent id")
        return _Storage(pid[1].dtype, pid[2], pid[4])


def unpickle_state_dict(data: bytes | BinaryIO) -> dict[str, _Tensor]:
    """The state dict pickled in ``data``, as stand-ins (raises pickle or ConversionError).

    A stream is read up to the end of the one pickle, as ``pickle.load`` does.
    """
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    result = RestrictedUnpickler(stream).load()
    if not isinstance(result, dict):
        raise pickle.UnpicklingError("the pickle is not a state dict")
    tensors: dict[str, _Tensor] = {}
    for name, value in result.items():
        if isinstance(name, str) and isinstance(value, _Tensor):
            tensors[name] = value
    return tensors


def read_torch_checkpoint(path: Path) -> dict[str, StoredTensor]:
    """The tensors of a ``pytorch_model.bin`` (zip format), checked against the archive.

    Raises:
        ConversionError: The file is damaged, in the legacy format, or its pickle asks for
            anything but a state dict.
    """
    try:
        if not zipfile.is_zipfile(path):
            with open(path, "rb") as handle:
                start = handle.read(2)
            if start[:1] == b"\x80":  # a pickle's PROTO opcode: the legacy format
                return _read_legacy(path)
            if start == b"\x1f\x8b":
                raise ConversionError(
                    f"'{path}' is in PyTorch's oldest (tar) format, which cannot be read "
                    "safely without PyTorch.",
                    hint="Re-save it with a recent PyTorch (torch.save) or as safetensors.",
                )
            raise damaged(path, "it is not a zip archive")
        with zipfile.ZipFile(path) as archive:
            return _read_archive(path, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise damaged(path, str(error)) from error
    except OSError as error:
        raise ConversionError(f"'{path}' cannot be read ({error}).") from error


def _read_archive(path: Path, archive: zipfile.ZipFile) -> dict[str, StoredTensor]:
    pickles = [i for i in archive.infolist() if i.filename.count("/") == 1
               and i.filename.endswith("/data.pkl")]
    if len(pickles) != 1:
        raise damaged(path, "it has no single data.pkl")
    prefix = pickles[0].filename[: -len("data.pkl")]
    if pickles[0].file_size > MAX_PICKLE_BYTES:
        raise damaged(path, f"its data.pkl is {pickles[0].file_size} bytes")
    names = set(archive.namelist())
    if f"{prefix}byteorder" in names:
        order = archive.read(f"{prefix}byteorder").strip()
        if order != b"little":
            raise ConversionError(
                f"'{path}' was saved on a {order.decode('ascii', 'replace')}-endian machine; "
                "only little-endian checkpoints can be converted.",
                hint="Re-save it as safetensors.",
            )
    try:
        state = unpickle_state_dict(archive.read(pickles[0]))
    except ConversionError:
        raise
    except Exception as error:  # any malformed pickle: the file is not what it claims
        detail = f"its pickle cannot be read ({type(error).__name__}: {error})"
        raise damaged(path, detail) from error
    size = path.stat().st_size
    locate = _member_locator(path, archive, prefix, size)
    return {name: _stored(path, name, tensor, locate) for name, tensor in state.items()}


# What torch's legacy serialization writes first; anything else is not such a file.
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001
_COUNT = struct.Struct("<q")


def _read_legacy(path: Path) -> dict[str, StoredTensor]:
    """The tensors of a legacy-format ``pytorch_model.bin`` (PyTorch before 1.6)."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        try:
            header = [RestrictedUnpickler(handle).load() for _ in range(3)]
        except ConversionError:
            raise
        except Exception as error:
            raise damaged(path, f"its header cannot be read ({type(error).__name__})") from error
        magic, protocol, system = header
        if magic != LEGACY_MAGIC or protocol != LEGACY_PROTOCOL or not isinstance(system, dict):
            raise damaged(path, "it is neither a zip archive nor a legacy PyTorch file")
        if system.get("little_endian") is not True:
            raise ConversionError(
                f"'{path}' was saved on a big-endian machine; only little-endian checkpoints "
                "can be converted.", hint="Re-save it as safetensors.")
        if handle.tell() > MAX_PICKLE_BYTES:
            raise damaged(path, "its header is too large")
        try:
            state = unpickle_state_dict(handle)
            keys = RestrictedUnpickler(handle).load()
        except ConversionError:
            raise
        except Exception as error:  # any malformed pickle: the file is not what it claims
            detail = f"its pickle cannot be read ({type(error).__name__}: {error})"
            raise damaged(path, detail) from error
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise damaged(path, "its list of storages is not a list of names")
        storages = {t.storage.key: t.storage for t in state.values()}
        starts: dict[str, int] = {}
        for key in keys:  # each storage: its element count, then its bytes, in this order
            count_bytes = handle.read(_COUNT.size)
            if len(count_bytes) != _COUNT.size:
                raise damaged(path, f"the storage '{key}' is outside the file")
            (count,) = _COUNT.unpack(count_bytes)
            storage = storages.get(key)
            itemsize = ITEMSIZES[storage.dtype] if storage is not None else 1
            if storage is not None and count != storage.numel:
                raise damaged(path, f"the storage '{key}' has the wrong size")
            start = handle.tell()
            if count < 0 or start + count * itemsize > size:
                raise damaged(path, f"the storage '{key}' is outside the file")
            starts[key] = start
            handle.seek(count * itemsize, io.SEEK_CUR)

    def locate(storage: _Storage) -> int:
        if storage.key not in starts:
            raise damaged(path, f"the storage '{storage.key}' is missing")
        return starts[storage.key]

    return {name: _stored(path, name, tensor, locate) for name, tensor in state.items()}


def _member_locator(
    path: Path, archive: zipfile.ZipFile, prefix: str, size: int
) -> Callable[[_Storage], int]:
    """A function giving the absolute offset of a storage's bytes, checked against its size."""
    cache: dict[str, int] = {}

    def locate(storage: _Storage) -> int:
        if storage.key in cache:
            return cache[storage.key]
        member = f"{prefix}data/{storage.key}"
        try:
            info = archive.getinfo(member)
        except KeyError:
            raise damaged(path, f"the storage '{storage.key}' is missing") from None
        if info.compress_type != zipfile.ZIP_STORED:
            raise ConversionError(
                f"'{path}' was re-compressed after torch.save (storage '{storage.key}'), so "
                "it cannot be read in place.",
                hint="Re-download the original file, or use its safetensors version.",
            )
        if info.file_size != storage.numel * ITEMSIZES[storage.dtype]:
            raise damaged(path, f"the storage '{storage.key}' has the wrong size")
        with open(path, "rb") as handle:
            handle.seek(info.header_offset)
            header = handle.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size:
            raise damaged(path, f"the storage '{storage.key}' is outside the file")
        signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        start: int = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        if signature != b"PK\x03\x04" or start + info.file_size > size:
            raise damaged(path, f"the storage '{storage.key}' is outside the file")
        cache[storage.key] = start
        return start

    return locate


def _stored(
    path: Path, name: str, tensor: _Tensor, locate: Callable[[_Storage], int]
) -> StoredTensor:
    if len(tensor.shape) != len(tensor.stride):
        raise damaged(path, f"'{name}' has {len(tensor.shape)} sizes and "
                            f"{len(tensor.stride)} strides")
    expected = 1
    for size, stride in zip(reversed(tensor.shape), reversed(tensor.stride), strict=True):
        if size > 1 and stride != expected:
            raise ConversionError(
                f"'{path}' stores '{name}' transposed or sliced (not row-major), which this "
                "converter does not read.",
                hint="Re-save the checkpoint as safetensors.",
            )
        expected *= size
    numel = math.prod(tensor.shape)
    storage = tensor.storage
    if tensor.offset + numel > storage.numel:
        raise damaged(path, f"'{name}' reaches beyond its storage")
    start = locate(storage) + tensor.offset * ITEMSIZES[storage.dtype]
    return StoredTensor(name, path, storage.dtype, tensor.shape, start)
