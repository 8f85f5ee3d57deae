"""``pytorch_model.bin`` read without torch, and a malicious pickle refused without running.

The malicious files are complete torch-looking archives (``archive/data.pkl``,
``archive/byteorder``, a storage under ``archive/data/``) whose pickle calls ``os.system``,
``builtins.eval`` or ``subprocess.call`` to create a marker file. Each test first proves the
payload is live (plain ``pickle.loads`` creates the marker), then that our reader refuses
the archive, names the global, and leaves no marker.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from terjman_desktop.core.errors import ConversionError
from terjman_desktop.core.models.convert.checkpoint import Checkpoint
from terjman_desktop.core.models.convert.torch_pickle import read_torch_checkpoint


def touch_command(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').close()"


class _System:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return os.system, (f'"{sys.executable}" -c "{touch_command(self.marker)}"',)


class _Eval(_System):
    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        import builtins

        return builtins.eval, (touch_command(self.marker),)


class _Subprocess(_System):
    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return subprocess.call, ([sys.executable, "-c", touch_command(self.marker)],)


# What the refusal names: protocol 2 (torch's) writes Python 2 module names
# (__builtin__.eval, commands.call), protocol 4 the real ones; os.system is posix/nt.system.
PAYLOADS = {"os.system": (_System, ".system'"), "builtins.eval": (_Eval, ".eval'"),
            "subprocess": (_Subprocess, ".call'")}


def torch_like_zip(path: Path, pickled: bytes, *, byteorder: bytes = b"little",
                   compression: int = zipfile.ZIP_STORED) -> Path:
    """An archive laid out like torch.save's, holding ``pickled`` as its data.pkl."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("archive/data.pkl", pickled)
        archive.writestr("archive/.format_version", "1")
        archive.writestr("archive/byteorder", byteorder)
        archive.writestr("archive/data/0", np.zeros(4, np.float32).tobytes())
        archive.writestr("archive/version", "3\n")
    return path


@pytest.mark.parametrize("protocol", [2, 4])
@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_malicious_pickle_is_refused_and_never_runs(
    tmp_path: Path, payload: tuple[type[_System], str], protocol: int
) -> None:
    kind, named = payload
    # The payload is live: plain pickle runs it.
    control = tmp_path / "control-marker"
    pickle.loads(pickle.dumps(OrderedDict(weight=kind(control)), protocol=protocol))
    assert control.exists()

    marker = tmp_path / "marker"
    state = OrderedDict([("model.shared.weight", kind(marker))])
    path = torch_like_zip(tmp_path / "pytorch_model.bin", pickle.dumps(state, protocol=protocol))
    with pytest.raises(ConversionError) as caught:
        read_torch_checkpoint(path)
    assert named in str(caught.value)
    assert "a PyTorch state dict never contains; it was not loaded" in str(caught.value)
    assert not marker.exists()


def test_a_pickle_that_is_not_a_state_dict_is_refused(tmp_path: Path) -> None:
    path = torch_like_zip(tmp_path / "pytorch_model.bin", pickle.dumps([1, 2, 3]))
    with pytest.raises(ConversionError, match="damaged or not a PyTorch checkpoint"):
        read_torch_checkpoint(path)


def test_garbage_and_pickles_that_are_not_legacy_checkpoints_are_refused(
    tmp_path: Path
) -> None:
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"GIF89a" + os.urandom(64))
    with pytest.raises(ConversionError, match="not a zip archive"):
        read_torch_checkpoint(garbage)
    not_legacy = tmp_path / "legacy.bin"
    not_legacy.write_bytes(pickle.dumps({"a": 1}, protocol=2))
    with pytest.raises(ConversionError, match="damaged or not a PyTorch checkpoint"):
        read_torch_checkpoint(not_legacy)
    tar = tmp_path / "tar.bin"
    tar.write_bytes(b"\x1f\x8b" + os.urandom(64))
    with pytest.raises(ConversionError, match="oldest"):
        read_torch_checkpoint(tar)


LEGACY_HEADER = (pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
                 + pickle.dumps(1001, protocol=2)
                 + pickle.dumps({"protocol_version": 1001, "little_endian": True,
                                 "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2))


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_a_malicious_legacy_pickle_is_refused_and_never_runs(
    payload: tuple[Any, str], tmp_path: Path
) -> None:
    kind, _named = payload
    marker = tmp_path / "ran"
    path = tmp_path / "pytorch_model.bin"
    path.write_bytes(LEGACY_HEADER + pickle.dumps({"w": kind(marker)}, protocol=2))
    with pytest.raises(ConversionError, match="never contains"):
        read_torch_checkpoint(path)
    assert not marker.exists()


def test_a_legacy_checkpoint_reads_as_torch_load_reads_it(torch: Any, tmp_path: Path) -> None:
    """PyTorch before 1.6 wrote pickles then raw storages (early OPUS-MT uploads)."""
    generator = torch.Generator().manual_seed(1)
    base = torch.randn(6, 5, generator=generator)
    state = OrderedDict([("w", base), ("tied", base), ("tail", base[2:]),
                         ("half", torch.randn(4, 3, generator=generator).half()),
                         ("bias", torch.nn.Parameter(torch.randn(5, generator=generator)))])
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "config.json").write_text("{}", "utf-8")
    torch.save(state, folder / "pytorch_model.bin", _use_new_zipfile_serialization=False)
    assert not zipfile.is_zipfile(folder / "pytorch_model.bin")
    with Checkpoint(folder) as checkpoint:
        assert set(checkpoint.tensors) == set(state)
        for name, tensor in state.items():
            stored = checkpoint.tensor(name)
            assert stored is not None and stored.shape == tuple(tensor.shape)
            values = checkpoint.read_elements(stored, 0, stored.numel)
            assert np.array_equal(values, tensor.detach().numpy().ravel()), name
    truncated = tmp_path / "cut" / "pytorch_model.bin"
    truncated.parent.mkdir()
    truncated.write_bytes((folder / "pytorch_model.bin").read_bytes()[:-10])
    with pytest.raises(ConversionError, match="outside the file"):
        read_torch_checkpoint(truncated)


@pytest.fixture
def torch() -> Any:
    return pytest.importorskip("torch")


def test_state_dicts_read_as_torch_load_reads_them(torch: Any, tmp_path: Path) -> None:
    generator = torch.Generator().manual_seed(0)
    base = torch.randn(10, 4, generator=generator)
    state = OrderedDict([
        ("f32", base),
        ("tied", base),  # the same storage under two names
        ("view", base[3:]),  # a storage offset
        ("f16", torch.randn(5, 3, generator=generator).half()),
        ("bf16", torch.randn(2, 7, generator=generator).to(torch.bfloat16)),
        ("parameter", torch.nn.Parameter(torch.randn(3, generator=generator))),
        ("ids", torch.arange(6)),
    ])
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "config.json").write_text("{}", "utf-8")
    torch.save(state, folder / "pytorch_model.bin")
    from terjman_desktop.core.models.convert.dtypes import to_float32

    with Checkpoint(folder) as checkpoint:
        assert set(checkpoint.tensors) == set(state)
        for name, tensor in state.items():
            stored = checkpoint.tensor(name)
            assert stored is not None
            assert stored.shape == tuple(tensor.shape)
            values = checkpoint.read_elements(stored, 0, stored.numel)
            if stored.dtype == "bfloat16":
                values = to_float32(values, "bfloat16")
                expected = tensor.float().detach().numpy().ravel()
            else:
                expected = tensor.detach().numpy().ravel()
            assert np.array_equal(values, expected), name
        assert checkpoint.tensors["tied"].key == checkpoint.tensors["f32"].key


def test_transposed_tensors_compressed_archives_and_big_endian_are_refused(
    torch: Any, tmp_path: Path
) -> None:
    transposed = tmp_path / "t.bin"
    torch.save({"w": torch.randn(3, 4).t()}, transposed)
    with pytest.raises(ConversionError, match="transposed or sliced"):
        read_torch_checkpoint(transposed)

    original = tmp_path / "o.bin"
    torch.save({"w": torch.randn(3, 4)}, original)
    recompressed = tmp_path / "r.bin"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(
        recompressed, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
    with pytest.raises(ConversionError, match="re-compressed"):
        read_torch_checkpoint(recompressed)

    big = tmp_path / "b.bin"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(big, "w") as target:
        for info in source.infolist():
            data = b"big" if info.filename.endswith("/byteorder") else source.read(info)
            target.writestr(info.filename, data)
    with pytest.raises(ConversionError, match="big-endian machine"):
        read_torch_checkpoint(big)


def test_missing_or_short_storages_are_refused(torch: Any, tmp_path: Path) -> None:
    original = tmp_path / "o.bin"
    torch.save({"w": torch.randn(3, 4)}, original)
    for name, change in (("missing", lambda n, d: None),
                         ("short", lambda n, d: d[:-4])):
        damaged = tmp_path / f"{name}.bin"
        with zipfile.ZipFile(original) as source, zipfile.ZipFile(damaged, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                if "/data/" in info.filename:
                    data = change(info.filename, data)
                if data is not None:
                    target.writestr(info.filename, data)
        with pytest.raises(ConversionError, match="damaged or not a PyTorch checkpoint"):
            read_torch_checkpoint(damaged)


def test_torch_is_never_imported(tmp_path: Path, torch: Any) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    torch.save({"w": torch.randn(3, 4)}, folder / "w.bin")
    shutil.copy(folder / "w.bin", folder / "pytorch_model.bin")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from terjman_desktop.core.models.convert.torch_pickle import read_torch_checkpoint\n"
        f"print(sorted(read_torch_checkpoint(Path({str(folder / 'w.bin')!r}))))\n"
        "print('torch' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=root)
    assert result.stdout.split() == ["['w']", "False"]
