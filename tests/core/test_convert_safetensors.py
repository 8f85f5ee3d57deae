"""The safetensors reader: every float type read right, every damaged header refused clearly."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert import safetensors
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from tests.core.checkpoint_variants import safetensors_bytes


def folder_with(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "checkpoint"
    folder.mkdir()
    (folder / "config.json").write_text("{}", "utf-8")
    (folder / "model.safetensors").write_bytes(content)
    return folder


def test_float32_and_float16_read_as_the_safetensors_package_writes_them(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    rng = np.random.default_rng(0)
    arrays = {"a": rng.standard_normal((7, 5)).astype(np.float32),
              "b": rng.standard_normal((3, 4, 2)).astype(np.float16),
              "empty": np.zeros((0, 4), np.float32), "scalar": np.array(2.5, np.float32)}
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "config.json").write_text("{}", "utf-8")
    save_file(arrays, str(folder / "model.safetensors"))
    with Checkpoint(folder) as checkpoint:
        for name, array in arrays.items():
            stored = checkpoint.tensor(name)
            assert stored is not None
            assert stored.shape == array.shape
            assert stored.dtype == array.dtype.name
            values = checkpoint.read_elements(stored, 0, array.size).reshape(array.shape)
            assert np.array_equal(values, array)
        # Rows from the middle: offsets are counted in elements of the stored type.
        stored = checkpoint.tensor("a")
        assert stored is not None
        assert np.array_equal(checkpoint.read_elements(stored, 10, 10), arrays["a"].ravel()[10:20])


def test_bfloat16_becomes_the_float32_torch_gives(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from safetensors.torch import save_file

    from terjman_desktop.core.models.convert.dtypes import float32_to_bfloat16, to_float32

    tensor = torch.randn(6, 9, generator=torch.Generator().manual_seed(1)).to(torch.bfloat16)
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "config.json").write_text("{}", "utf-8")
    save_file({"w": tensor}, str(folder / "model.safetensors"))
    with Checkpoint(folder) as checkpoint:
        stored = checkpoint.tensor("w")
        assert stored is not None
        assert stored.dtype == "bfloat16"
        bits = checkpoint.read_elements(stored, 0, stored.numel)
    assert np.array_equal(to_float32(bits, "bfloat16").reshape(6, 9), tensor.float().numpy())
    # And back: float32 → bfloat16 rounds like torch (ties to even), ties included.
    wide = torch.randn(10_000, generator=torch.Generator().manual_seed(2))
    ties = torch.tensor([1.0 + 2**-8, 1.0 + 3 * 2**-8, -(1.0 + 2**-8), 3.0e38, 1e-40])
    for values in (wide, ties):
        expected = values.to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
        assert np.array_equal(float32_to_bfloat16(values.numpy()), expected)


def entry(dtype: str = "F32", shape: list[int] | None = None,
          offsets: list[int] | None = None) -> dict[str, object]:
    return {"dtype": dtype, "shape": [2] if shape is None else shape,
            "data_offsets": [0, 8] if offsets is None else offsets}


DAMAGED = {
    "empty file": b"",
    "shorter than a header length": b"\x05\x00\x00",
    "absurd header length": safetensors_bytes({}, b"", length=2**63),
    "header beyond the file": safetensors_bytes({"a": entry()}, b"\x00" * 8, length=4096),
    "garbage": b"\x10\x00\x00\x00\x00\x00\x00\x00this is not json!!" + b"\x00" * 8,
    "not UTF-8": safetensors_bytes(b"\xff\xfe{}"),
    "not an object": safetensors_bytes([1, 2, 3]),
    "nested too deeply": safetensors_bytes(b"[" * 100_000 + b"]" * 100_000),
    "entry not an object": safetensors_bytes({"a": 5}),
    "no dtype": safetensors_bytes({"a": {"shape": [2], "data_offsets": [0, 8]}}, b"\x00" * 8),
    "shape not sizes": safetensors_bytes({"a": entry(shape=[2, -1])}, b"\x00" * 8),
    "boolean shape": safetensors_bytes({"a": entry(shape=[True])}, b"\x00" * 8),
    "offsets not integers": safetensors_bytes({"a": entry(offsets=[0, "8"])}, b"\x00" * 8),
    "offsets out of range": safetensors_bytes({"a": entry(offsets=[0, 8])}, b"\x00" * 4),
    "offsets reversed": safetensors_bytes({"a": entry(offsets=[8, 0])}, b"\x00" * 8),
    "span is not shape × itemsize": safetensors_bytes(
        {"a": entry(shape=[3], offsets=[0, 8])}, b"\x00" * 12),
    "overlapping tensors": safetensors_bytes(
        {"a": entry(offsets=[0, 8]), "b": entry(offsets=[4, 12])}, b"\x00" * 12),
    "metadata not an object": safetensors_bytes({"__metadata__": [1]}),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_files_are_refused_with_a_clear_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "model.safetensors"
    path.write_bytes(content)
    with pytest.raises(ConversionError) as caught:
        safetensors.read_header(path)
    message = str(caught.value)
    assert "is damaged or not a safetensors file" in message
    assert message.endswith("Re-download it.")
    assert str(path) in message


def test_an_unknown_tensor_type_is_named(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    path.write_bytes(safetensors_bytes({"a": entry(dtype="Q7")}, b"\x00" * 8))
    with pytest.raises(ConversionError, match="as 'Q7', a tensor type this converter does not"):
        safetensors.read_header(path)


def test_a_header_larger_than_any_models_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safetensors, "MAX_HEADER_BYTES", 1024)
    path = tmp_path / "model.safetensors"
    path.write_bytes(safetensors_bytes(json.dumps({"x": "y" * 2000}).encode()))
    with pytest.raises(ConversionError, match="more than any model's"):
        safetensors.read_header(path)


def test_a_lying_header_length_allocates_nothing(tmp_path: Path) -> None:
    # 2**62 bytes promised by a 20-byte file: refused from the file size, never allocated.
    path = tmp_path / "model.safetensors"
    path.write_bytes(safetensors_bytes(b"{}" + b" " * 10, length=2**62))
    tracemalloc.start()
    try:
        with pytest.raises(ConversionError):
            safetensors.read_header(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_tensors_are_placed_after_the_header(tmp_path: Path) -> None:
    data = np.arange(6, dtype=np.float32).tobytes()
    header = {"__metadata__": {"format": "pt"}, "w": entry(shape=[2, 3], offsets=[0, 24])}
    folder = folder_with(tmp_path, safetensors_bytes(header, data))
    with Checkpoint(folder) as checkpoint:
        stored = checkpoint.tensor("w")
        assert stored is not None
        assert stored.offset == 8 + len(json.dumps(header))
        assert checkpoint.read_elements(stored, 3, 3).tolist() == [3.0, 4.0, 5.0]
