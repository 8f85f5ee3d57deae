"""Importing packages: malicious and broken archives and folders are refused, nothing is left."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import struct
import zipfile
from pathlib import Path

import pytest

from terjman_desktop.core.errors import PackageError, StoreError
from terjman_desktop.core.models.archive import shared as archive
from terjman_desktop.core.models.archive.shared import ArchiveLimits, Progress
from terjman_desktop.core.models.archive.zip import check_member_name
from terjman_desktop.core.models.store.store import Store
from terjman_desktop.core.translate.manifest import MANIFEST_NAME, FileEntry
from tests.core.package_factory import DEFAULT_ID, default_files, make_package, make_zip

# --------------------------------------------------------------------------- helpers


def package_entries(tmp: Path, **kwargs: object) -> dict[str, bytes]:
    """The files of a valid package (manifest included), by archive name."""
    folder = tmp / "entries-src"
    make_package(folder, **kwargs)  # type: ignore[arg-type]
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def write_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def with_extra(tmp: Path, *extra: tuple[str | zipfile.ZipInfo, bytes]) -> Path:
    """A valid package plus the given entries."""
    entries: list[tuple[str | zipfile.ZipInfo, bytes]] = list(package_entries(tmp).items())
    return write_zip(tmp / "evil.zip", [*entries, *extra])


def assert_nothing_left(store: Store, model_id: str = DEFAULT_ID) -> None:
    assert not (store.root / model_id).exists()
    for hidden in (".incoming", ".trash", ".staging"):
        folder = store.root / hidden
        assert not folder.exists() or not any(folder.iterdir()), f"{hidden} not cleaned"
    assert store.list() == []


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "models")


# --------------------------------------------------------------------------- good packages


def test_import_zip_installs_a_verified_model(tmp_path: Path, store: Store) -> None:
    seen: list[tuple[int, int]] = []
    model = store.import_path(make_zip(tmp_path), progress=lambda d, t: seen.append((d, t)))
    assert model.id == DEFAULT_ID
    assert model.verified is True
    assert store.verify(DEFAULT_ID).ok
    assert (model.path / "model.bin").read_bytes() == default_files("1")["model.bin"]
    assert seen[-1][0] == seen[-1][1] == model.size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert_clean_work_folders(store)


def assert_clean_work_folders(store: Store) -> None:
    for hidden in (".incoming", ".trash"):
        folder = store.root / hidden
        assert not folder.exists() or not any(folder.iterdir())


def test_import_zip_with_one_top_folder(tmp_path: Path, store: Store) -> None:
    model = store.import_path(make_zip(tmp_path, top="terjman-nano"))
    assert model.id == DEFAULT_ID
    assert store.verify(DEFAULT_ID).ok


def test_import_skips_operating_system_junk(tmp_path: Path, store: Store) -> None:
    zipped = with_extra(tmp_path, ("__MACOSX/._model.bin", b"\0\5\26\7"), (".DS_Store", b"junk"))
    model = store.import_path(zipped)
    assert not (model.path / ".DS_Store").exists()
    assert not (model.path / "__MACOSX").exists()


def test_import_nested_files(tmp_path: Path, store: Store) -> None:
    files = {**default_files(), "tokenizer/extra.json": b"{}"}
    model = store.import_path(make_zip(tmp_path, files=files))
    assert (model.path / "tokenizer" / "extra.json").read_bytes() == b"{}"


def test_import_folder_and_folder_with_one_subfolder(tmp_path: Path, store: Store) -> None:
    make_package(tmp_path / "usb" / "terjman-nano")
    (tmp_path / "usb" / ".DS_Store").write_bytes(b"junk")
    model = store.import_path(tmp_path / "usb")
    assert store.verify(model.id).ok
    other = Store(tmp_path / "other")
    assert other.import_path(tmp_path / "usb" / "terjman-nano").id == DEFAULT_ID


# --------------------------------------------------------------------------- unsafe names


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.txt", "outside the package"),
        ("a/../../evil.txt", "outside the package"),
        ("/tmp/evil.txt", "absolute path"),
        ("\\evil.txt", "absolute path"),
        ("C:/evil.txt", "drive letter"),
        ("c:evil.txt", "drive letter"),
        ("..\\evil.txt", "backslashes"),
        ("a//b.txt", "not a plain relative path"),
        ("./b.txt", "not a plain relative path"),
        ("model.bin:stream", "not allowed"),
        ("CON", "not a valid file name"),
        ("aux.txt", "not a valid file name"),
        ("trailing.", "not a valid file name"),
        ("bad\x01name", "not allowed"),
    ],
)
def test_unsafe_entry_names_are_refused(
    tmp_path: Path, store: Store, name: str, message: str
) -> None:
    info = zipfile.ZipInfo("placeholder")
    info.filename = name  # bypass zipfile's own normalisation: a hostile tool would
    zipped = with_extra(tmp_path, (info, b"owned"))
    with pytest.raises(StoreError, match=message):
        store.import_path(zipped)
    assert not (tmp_path / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists() or Path("/tmp/evil.txt").read_bytes() != b"owned"
    assert_nothing_left(store)


def test_check_member_name_accepts_plain_paths() -> None:
    assert check_member_name("a/b.txt", Path("x.zip")).as_posix() == "a/b.txt"
    assert check_member_name("dir/", Path("x.zip")).as_posix() == "dir"


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        (stat.S_IFLNK | 0o777, "symbolic link"),
        (stat.S_IFIFO | 0o644, "not a regular file"),
        (stat.S_IFCHR | 0o644, "not a regular file"),
    ],
)
def test_symlink_and_special_entries_are_refused(
    tmp_path: Path, store: Store, mode: int, message: str
) -> None:
    entries = package_entries(tmp_path)
    info = zipfile.ZipInfo("model.bin")
    info.create_system = 3
    info.external_attr = mode << 16
    # A symlink entry stores its target as data: unpacked as a link it would escape.
    rest = [(n, d) for n, d in entries.items() if n != "model.bin"]
    zipped = write_zip(tmp_path / "evil.zip", [*rest, (info, b"/etc/passwd")])
    with pytest.raises(StoreError, match=message):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_encrypted_entries_are_refused(tmp_path: Path, store: Store) -> None:
    zipped = write_zip(tmp_path / "evil.zip", list(package_entries(tmp_path).items()))
    _patch_header(zipped, "README.md", local=(6, "<H", 0x1), central=(8, "<H", 0x1))
    with pytest.raises(StoreError, match="encrypted"):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_duplicate_entries_are_refused(tmp_path: Path, store: Store) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        zipped = with_extra(tmp_path, ("model.bin", b"other weights"))
    with pytest.raises(StoreError, match="appears twice"):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_case_insensitive_duplicates_are_refused(tmp_path: Path, store: Store) -> None:
    zipped = with_extra(tmp_path, ("MODEL.bin", b"other weights"))
    with pytest.raises(StoreError, match="appears twice"):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_unicode_normalization_duplicates_are_refused(tmp_path: Path, store: Store) -> None:
    # "café.bin" written NFC and NFD: one file on macOS, two entries in the zip.
    zipped = write_zip(
        tmp_path / "nfc-nfd.zip", [("caf\u00e9.bin", b"one"), ("cafe\u0301.bin", b"two")]
    )
    with pytest.raises(StoreError, match="appears twice"):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_a_file_listed_as_a_folder_of_another_is_refused(tmp_path: Path, store: Store) -> None:
    entries = package_entries(tmp_path)
    manifest = json.loads(entries[MANIFEST_NAME])
    manifest["files"].append({"path": "README.md/inner", "size": 1, "sha256": "a" * 64})
    entries[MANIFEST_NAME] = json.dumps(manifest).encode()
    with pytest.raises(PackageError, match="as a file and as the folder of"):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    assert_nothing_left(store)


@pytest.mark.parametrize(
    "bad",
    [b"[" * 100_000 + b"]" * 100_000, b'{"format": 1' + b"0" * 5000 + b"}"],
    ids=["deep nesting", "a 5000-digit integer"],
)
def test_hostile_manifest_json_is_refused(tmp_path: Path, store: Store, bad: bytes) -> None:
    entries = package_entries(tmp_path)
    entries[MANIFEST_NAME] = bad
    with pytest.raises(PackageError):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    folder = tmp_path / "folder"
    make_package(folder)
    (folder / MANIFEST_NAME).write_bytes(bad)
    with pytest.raises(PackageError):
        store.import_path(folder)
    assert_nothing_left(store)


def test_symlink_in_a_folder_is_refused(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "pkg"
    make_package(folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    os.symlink(secret, folder / "link.txt")
    with pytest.raises(PackageError, match="symbolic link"):
        store.import_path(folder)
    (folder / "link.txt").unlink()
    os.symlink(tmp_path, folder / "linked-dir")
    with pytest.raises(PackageError, match="symbolic link"):
        store.import_path(folder)
    assert_nothing_left(store)


def test_listed_file_replaced_by_symlink_is_refused(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "pkg"
    make_package(folder)
    real = tmp_path / "elsewhere.bin"
    (folder / "model.bin").rename(real)
    os.symlink(real, folder / "model.bin")
    with pytest.raises(PackageError, match="symbolic link"):
        store.import_path(folder)
    assert_nothing_left(store)


# --------------------------------------------------------------------------- size limits


def test_zip_bomb_entry_is_refused(tmp_path: Path, store: Store) -> None:
    files = {**default_files(), "model.bin": bytes(8 << 20)}  # 8 MiB of zeros: ratio ~1000
    zipped = make_zip(tmp_path, files=files)
    with pytest.raises(StoreError, match="zip bomb"):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_total_size_cap(tmp_path: Path) -> None:
    store = Store(tmp_path / "models", limits=ArchiveLimits(max_total_bytes=10_000))
    with pytest.raises(StoreError, match="more than the"):
        store.import_path(make_zip(tmp_path))
    make_package(tmp_path / "folder")
    with pytest.raises(StoreError, match="more than the"):
        store.import_path(tmp_path / "folder")
    assert_nothing_left(store)


def test_entry_count_cap(tmp_path: Path) -> None:
    store = Store(tmp_path / "models", limits=ArchiveLimits(max_entries=3))
    with pytest.raises(StoreError, match="entries"):
        store.import_path(make_zip(tmp_path))
    assert_nothing_left(store)


def _patch_header(
    path: Path, name: str, *, local: tuple[int, str, int], central: tuple[int, str, int]
) -> None:
    """Overwrite one field of the local and central headers of ``name`` (offset, format, value)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(name).header_offset
    struct.pack_into(local[1], data, offset + local[0], local[2])
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == name.encode():
            struct.pack_into(central[1], data, position + central[0], central[2])
        position = data.find(b"PK\x01\x02", position + 4)
    path.write_bytes(bytes(data))


def test_lying_header_is_refused(tmp_path: Path, store: Store) -> None:
    # The manifest and the header agree on a small size; the data behind them is larger.
    entries = package_entries(tmp_path)
    real = entries["model.bin"]
    entries["model.bin"] = real + bytes(range(256)) * 400
    zipped = write_zip(tmp_path / "liar.zip", list(entries.items()))
    size = len(real)
    _patch_header(zipped, "model.bin", local=(22, "<I", size), central=(24, "<I", size))
    with pytest.raises(StoreError, match="damaged"):
        store.import_path(zipped)
    assert_nothing_left(store)


def test_extraction_counts_actual_bytes(tmp_path: Path) -> None:
    # Whatever a header says, no more bytes than the manifest lists are ever written.
    entry = FileEntry("model.bin", 10, "0" * 64)
    with pytest.raises(PackageError, match="more than the 10 bytes"):
        archive.copy_verified(
            io.BytesIO(b"x" * 11), tmp_path / "out", entry, Progress(10, None, None), where="t"
        )
    big = FileEntry("model.bin", 4 << 20, "0" * 64)
    with pytest.raises(StoreError, match="zip bomb"):
        archive.copy_verified(
            io.BytesIO(bytes(4 << 20)),
            tmp_path / "out2",
            big,
            Progress(0, None, None),
            where="t",
            compressed=1000,
            limits=ArchiveLimits(),
        )


# --------------------------------------------------------------------------- manifests and files


def test_missing_manifest(tmp_path: Path, store: Store) -> None:
    entries = package_entries(tmp_path)
    del entries[MANIFEST_NAME]
    with pytest.raises(PackageError, match=re.escape("terjman-model.json is missing")):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    assert_nothing_left(store)


def test_manifest_in_one_of_two_top_folders_is_refused(tmp_path: Path, store: Store) -> None:
    entries = {f"a/{n}": d for n, d in package_entries(tmp_path).items()}
    entries["b/other.txt"] = b"x"
    with pytest.raises(PackageError, match="missing"):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))


def test_bad_manifest_json(tmp_path: Path, store: Store) -> None:
    entries = package_entries(tmp_path)
    entries[MANIFEST_NAME] = b'{"format": 1, "id": '
    with pytest.raises(PackageError, match="not valid JSON"):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    assert_nothing_left(store)


def test_invalid_manifest_field(tmp_path: Path, store: Store) -> None:
    entries = package_entries(tmp_path)
    manifest = json.loads(entries[MANIFEST_NAME])
    manifest["family"] = "gpt"
    entries[MANIFEST_NAME] = json.dumps(manifest).encode()
    with pytest.raises(PackageError, match="unknown model family"):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    assert_nothing_left(store)


def test_manifest_without_model_bin(tmp_path: Path, store: Store) -> None:
    files = default_files()
    del files["model.bin"]
    with pytest.raises(PackageError, match=re.escape("does not list 'model.bin'")):
        store.import_path(make_zip(tmp_path, files=files))
    assert_nothing_left(store)


def test_unlisted_file(tmp_path: Path, store: Store) -> None:
    with pytest.raises(PackageError, match=re.escape("'extra.py' is not listed")):
        store.import_path(with_extra(tmp_path, ("extra.py", b"import os")))
    assert_nothing_left(store)
    folder = tmp_path / "folder"
    make_package(folder)
    (folder / "extra.py").write_bytes(b"import os")
    with pytest.raises(PackageError, match=re.escape("'extra.py' is not listed")):
        store.import_path(folder)
    assert_nothing_left(store)


def test_missing_file(tmp_path: Path, store: Store) -> None:
    entries = package_entries(tmp_path)
    del entries["README.md"]
    with pytest.raises(
        PackageError, match=re.escape("'README.md' is listed in the manifest but missing")
    ):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    assert_nothing_left(store)


def test_tampered_byte_is_a_hash_mismatch(tmp_path: Path, store: Store) -> None:
    entries = package_entries(tmp_path)
    weights = bytearray(entries["model.bin"])
    weights[len(weights) // 2] ^= 0xFF
    entries["model.bin"] = bytes(weights)
    with pytest.raises(PackageError, match=re.escape("model.bin does not match its SHA-256")):
        store.import_path(write_zip(tmp_path / "bad.zip", list(entries.items())))
    assert_nothing_left(store)


def test_not_a_zip(tmp_path: Path, store: Store) -> None:
    bogus = tmp_path / "model.zip"
    bogus.write_bytes(b"this is not a zip archive")
    with pytest.raises(StoreError, match="not a model package"):
        store.import_path(bogus)
    with pytest.raises(StoreError, match="does not exist"):
        store.import_path(tmp_path / "nowhere.zip")
    assert_nothing_left(store)


def test_failed_import_keeps_the_installed_version(tmp_path: Path, store: Store) -> None:
    store.import_path(make_zip(tmp_path, "v1.zip", version="1"))
    entries = package_entries(tmp_path, version="2")
    entries["model.bin"] = entries["model.bin"][:-1] + b"?"
    with pytest.raises(PackageError, match="SHA-256"):
        store.import_path(write_zip(tmp_path / "v2.zip", list(entries.items())))
    assert store.get(DEFAULT_ID).version == "1"
    assert store.verify(DEFAULT_ID).ok
    assert_clean_work_folders(store)
