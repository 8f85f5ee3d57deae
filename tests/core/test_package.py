"""Reading and validating model packages: every broken folder names what is wrong."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.errors import PackageError
from terjman_desktop.core.translate.manifest import MANIFEST_NAME
from terjman_desktop.core.translate.manifest_rules import parse_manifest
from terjman_desktop.core.translate.package import (
    check_files,
    load_package,
    read_manifest,
    write_manifest,
)

VALID: dict[str, Any] = {
    "format": 1,
    "id": "terjman-nano-v2.0-int8",
    "name": "Terjman Nano v2.0",
    "version": "2.0",
    "family": "marian",
    "directions": [{"source": "en", "target": "ary"}],
    "language_tokens": {},
    "source_prefix": [],
    "target_prefix": [],
    "tokenizer": {"source": "source.spm", "target": "target.spm"},
    "quantization": "int8",
    "base_model": "atlasia/Terjman-Nano-v2.0",
    "license": "cc-by-nc-4.0",
    "metrics": {"terjamabench": {"bleu": 18.77, "chrf": 38.41}},
    "files": [{"path": "model.bin", "size": 78, "sha256": "a" * 64}],
}


def with_changes(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is ...:
            del data[key]
        else:
            data[key] = value
    return data


def test_valid_manifest_round_trips() -> None:
    manifest = parse_manifest(VALID)
    assert manifest.supports("en", "ary")
    assert not manifest.supports("ary", "en")
    assert parse_manifest(manifest.to_json()) == manifest


def test_unknown_fields_are_kept() -> None:
    manifest = parse_manifest(with_changes(attribution="AtlasIA", future={"x": 1}))
    assert manifest.extra == {"attribution": "AtlasIA", "future": {"x": 1}}
    assert manifest.to_json()["future"] == {"x": 1}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": ...}, "'id' is missing"),
        ({"id": "Bad Id!"}, "is not valid"),
        ({"format": 2}, "newer than this app"),
        ({"format": "1"}, "'format' must be an integer, not a string"),
        ({"family": "gpt"}, "unknown model family"),
        ({"directions": []}, "no translation direction"),
        ({"directions": ["en-ary"]}, "each direction"),
        ({"quantization": "int3"}, "unknown quantization"),
        ({"files": []}, "'files' must be a non-empty list"),
        ({"files": [{"path": "../evil", "size": 1, "sha256": "a" * 64}]}, "plain relative"),
        ({"files": [{"path": "/etc/passwd", "size": 1, "sha256": "a" * 64}]}, "plain relative"),
        ({"files": [{"path": "C:/x", "size": 1, "sha256": "a" * 64}]}, "plain relative"),
        ({"files": [{"path": "a\\b", "size": 1, "sha256": "a" * 64}]}, "plain relative"),
        ({"files": [{"path": "m", "size": -1, "sha256": "a" * 64}]}, "negative"),
        ({"files": [{"path": "m", "size": True, "sha256": "a" * 64}]},
         "'size' must be an integer, not true or false"),
        ({"files": [{"path": "m", "size": 1, "sha256": "xyz"}]}, "64 hexadecimal"),
        ({"files": [{"path": "m", "size": 1, "sha256": "a" * 64}] * 2}, "listed twice"),
        ({"files": [{"path": MANIFEST_NAME, "size": 1, "sha256": "a" * 64}]}, "list itself"),
        ({"family": "nllb", "language_tokens": {"en": "eng_Latn"}}, "no language token for 'ary'"),
        ({"max_input_tokens": 2}, "at least 8"),
        ({"source_prefix": [""]}, "list of tokens"),
    ],
)
def test_invalid_manifests_name_the_problem(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PackageError, match=message):
        parse_manifest(with_changes(**changes))


def test_newer_format_says_to_update_the_app() -> None:
    with pytest.raises(PackageError) as caught:
        parse_manifest(with_changes(format=7))
    assert caught.value.hint == "Update Terjman Desktop to use this model."


def test_folder_problems(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="is not a folder"):
        read_manifest(tmp_path / "missing")
    with pytest.raises(PackageError, match=r"terjman-model\.json is missing"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text("{not json", "utf-8")
    with pytest.raises(PackageError, match="is not valid JSON"):
        read_manifest(tmp_path)
    (tmp_path / MANIFEST_NAME).write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PackageError, match="is not UTF-8 text"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(
    "bad",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": 1' + b"0" * 5000 + b"}",
        b'{"format": 1, "format": 1}',
        b'{"format": NaN}',
        b" " * (2 * 1024 * 1024),
    ],
    ids=["deep nesting", "a 5000-digit integer", "a duplicate key", "NaN", "2 MiB"],
)
def test_hostile_manifest_json_is_a_package_error(tmp_path: Path, bad: bytes) -> None:
    (tmp_path / MANIFEST_NAME).write_bytes(bad)
    with pytest.raises(PackageError) as caught:
        read_manifest(tmp_path)
    assert caught.value.hint


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_manifest_that_is_a_named_pipe(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / MANIFEST_NAME)
    with pytest.raises(PackageError, match="named pipe"):
        read_manifest(tmp_path)


_FILE = {"size": 1, "sha256": "a" * 64}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"files": [{"path": "README.md", **_FILE}, {"path": "README.md/inner", **_FILE}]},
            "'README.md' is listed as a file and as the folder of 'README.md/inner'",
        ),
        (
            {"files": [{"path": "a/b/c", **_FILE}, {"path": "a/b", **_FILE}]},
            "'a/b' is listed as a file and as the folder of 'a/b/c'",
        ),
        (
            {"files": [{"path": "Model.bin", **_FILE}, {"path": "model.bin", **_FILE}]},
            "are the same file on some systems",
        ),
        (
            {"files": [{"path": "caf\u00e9.bin", **_FILE}, {"path": "cafe\u0301.bin", **_FILE}]},
            "are the same file on some systems",
        ),
        ({"files": [{"path": "model\x1b[2J.bin", **_FILE}]}, "plain relative"),
        ({"directions": [{"source": "en\x1b[31m", "target": "ary"}]}, "language code"),
        ({"directions": [{"source": "en", "target": "ary\nok"}]}, "language code"),
        ({"version": "2.0\x1b[2J"}, "version"),
        ({"version": "2.0\n"}, "version"),
        ({"version": "x" * 33}, "version"),
        ({"language_tokens": {"en\n": "eng_Latn"}}, "language_tokens"),
        ({"language_tokens": {"en": "eng Latn"}}, "language_tokens"),
        ({"target_prefix": [">>ary<<\x1b"]}, "list of tokens"),
        ({"id": "x\x1b[2J"}, "is not valid"),
    ],
)
def test_codes_and_paths_are_checked(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PackageError, match=re.escape(message)) as caught:
        parse_manifest(with_changes(**changes))
    assert caught.value.message.isprintable()  # the value is quoted, its escapes are not


def test_prose_fields_are_made_printable() -> None:
    manifest = parse_manifest(
        with_changes(name="Nano\x1b[2J\u202e", license="cc\nby", base_model="a/b\x07")
    )
    assert manifest.name == "Nano\\x1b[2J\\u202e"
    assert manifest.license == "cc by"
    assert manifest.base_model == "a/b\\x07"


@pytest.fixture
def package_copy(marian_package: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(marian_package, folder)
    return folder


def test_real_package_loads_and_verifies(package_copy: Path) -> None:
    package = load_package(package_copy, verify_hashes=True)
    assert package.id == "tiny-marian-f32"
    assert package.manifest.family == "marian"
    assert check_files(package_copy, package.manifest) == []


def test_missing_and_truncated_files_are_named(package_copy: Path) -> None:
    (package_copy / "target.spm").unlink()
    with open(package_copy / "model.bin", "r+b") as handle:
        handle.truncate(10)
    with pytest.raises(PackageError, match=r"'model\.bin' has 10 bytes") as caught:
        load_package(package_copy)
    assert "1 more problems" in str(caught.value)


def test_flipped_byte_is_found_only_when_hashing(package_copy: Path) -> None:
    path = package_copy / "model.bin"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    load_package(package_copy)  # sizes still match
    with pytest.raises(PackageError, match="does not match its SHA-256"):
        load_package(package_copy, verify_hashes=True)


def test_manifest_must_list_the_runtime_files(package_copy: Path) -> None:
    manifest = read_manifest(package_copy)
    kept = tuple(f for f in manifest.files if f.path != "config.json")
    write_manifest(package_copy, type(manifest)(**{**manifest.__dict__, "files": kept}))
    with pytest.raises(PackageError, match=r"does not list 'config\.json'"):
        load_package(package_copy)


def test_symlinked_file_counts_as_missing(package_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.bin"
    shutil.move(package_copy / "model.bin", outside)
    (package_copy / "model.bin").symlink_to(outside)
    with pytest.raises(PackageError, match=r"'model\.bin' is missing"):
        load_package(package_copy)


def test_write_manifest_refuses_invalid_data(tmp_path: Path) -> None:
    manifest = parse_manifest(VALID)
    broken = type(manifest)(**{**manifest.__dict__, "id": "NOT VALID"})
    with pytest.raises(PackageError):
        write_manifest(tmp_path, broken)
    assert not (tmp_path / MANIFEST_NAME).exists()
    write_manifest(tmp_path, manifest)
    assert json.loads((tmp_path / MANIFEST_NAME).read_text("utf-8"))["id"] == manifest.id
