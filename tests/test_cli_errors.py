"""The ``terjman`` command's answers to mistakes: one line and status 2, never a traceback.

Each case was a traceback or a misleading message once (the hardening issue): a negative
thread count, text that is not UTF-8, CUDA without a GPU, a model named by a file, and
``--model`` required though only one model was installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from terjman_desktop.cli import build_parser
from terjman_desktop.core.models.store.store import Store


def terjman(
    *args: str | bytes, stdin: bytes | None = None, home: Path
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TERJMAN_HOME": str(home), "PYTHONIOENCODING": "utf-8",
           "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "terjman_desktop.cli", *args],
        input=stdin, capture_output=True, env=env, timeout=120, check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("threads", ["-3", "two"])
def test_a_bad_thread_count_is_a_usage_error(threads: str, terjman_home: Path) -> None:
    err = one_line_error(terjman("translate", "Hi", "--threads", threads, home=terjman_home))
    assert "--threads" in err


def test_text_that_is_not_utf8_is_refused(marian_package: Path, terjman_home: Path) -> None:
    # An argument with invalid UTF-8 bytes reaches Python as lone surrogates.
    err = one_line_error(terjman("translate", b"caf\xe9 \xff", "--model", str(marian_package),
                                 home=terjman_home))
    assert "not UTF-8 text" in err


def test_cuda_without_a_gpu_says_so(marian_package: Path, terjman_home: Path) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has a CUDA device")
    err = one_line_error(terjman("translate", "Hi", "--model", str(marian_package),
                                 "--device", "cuda", home=terjman_home))
    assert "No CUDA device" in err and "--device cpu" in err
    assert "re-install" not in err


def test_a_file_given_as_model_is_explained(tmp_path: Path, terjman_home: Path) -> None:
    package = tmp_path / "model.zip"
    package.write_bytes(b"PK")
    err = one_line_error(terjman("translate", "Hi", "--model", str(package), home=terjman_home))
    assert "is a file, not a model folder" in err and "models import" in err


def test_without_model_the_only_installed_one_is_used(
    marian_package: Path, terjman_home: Path
) -> None:
    Store().import_path(marian_package)
    result = terjman("translate", "I eat the bread.", home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert any("\u0600" <= c <= "\u06ff" for c in result.stdout.decode("utf-8"))
    assert "using the only installed model, tiny-marian-f32" in result.stderr.decode("utf-8")


def test_without_model_and_several_installed_the_ids_are_listed(
    marian_package: Path, nllb_package: Path, terjman_home: Path
) -> None:
    for package in (marian_package, nllb_package):
        Store().import_path(package)
    err = one_line_error(terjman("translate", "Hi", home=terjman_home))
    assert "--model" in err and "tiny-marian-f32" in err and "tiny-nllb-f32" in err


def test_every_option_has_help_text() -> None:
    import argparse

    def walk(parser: argparse.ArgumentParser, where: str) -> list[str]:
        missing = []
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    missing += walk(sub, f"{where} {name}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{where} {'/'.join(action.option_strings) or action.dest}")
        return missing

    assert walk(build_parser(), "terjman") == []


def desktop(*args: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TERJMAN_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "terjman_desktop", *args],
                          capture_output=True, env=env, timeout=120, check=False)


def test_self_test_with_a_bad_path_is_one_line(tmp_path: Path, terjman_home: Path) -> None:
    err = one_line_error(desktop("--self-test", str(tmp_path / "nowhere"), home=terjman_home))
    assert "--self-test" in err and "No model folder or installed model" in err


def test_self_test_accepts_an_installed_model_id(
    marian_package: Path, terjman_home: Path
) -> None:
    Store().import_path(marian_package)
    result = desktop("--self-test", "tiny-marian-f32", home=terjman_home)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert b'"gui": "ok"' in result.stdout


def test_binary_standard_input_is_refused(marian_package: Path, terjman_home: Path) -> None:
    err = one_line_error(terjman("translate", "--model", str(marian_package),
                                 stdin=b"\xff\xfe\x00\x00binary\x00\x01", home=terjman_home))
    assert "UTF-8" in err


@pytest.mark.parametrize("with_output", [False, True])
def test_an_input_file_is_read_the_same_with_and_without_output(
    marian_package: Path, terjman_home: Path, tmp_path: Path, with_output: bool
) -> None:
    """UTF-16 with a BOM is text on both paths; NUL bytes are binary on both."""
    utf16 = tmp_path / "lesson.txt"
    utf16.write_bytes("\ufeffI eat the bread.\n".encode("utf-16-le"))
    binary = tmp_path / "zeros.txt"
    binary.write_bytes(b"\x00" * 5_000)
    output = ["--output", str(tmp_path / "out.txt"), "--overwrite"] if with_output else []
    ok = terjman("translate", "--model", str(marian_package), "--input", str(utf16), *output,
                 home=terjman_home)
    assert ok.returncode == 0, ok.stderr
    refused = one_line_error(terjman("translate", "--model", str(marian_package), "--input",
                                     str(binary), *output, home=terjman_home))
    assert "binary" in refused or "UTF-8" in refused
    assert b"\x00" not in refused.encode()
