"""`trainer export` and its post-export check: the package must translate like its checkpoint.

The failing case is a real one, not a stand-in: the same trained Marian converted with
CTranslate2's stock loader, which drops the trained ``<pad>`` start embedding (the trap
trainer/convert.py avoids), translates differently and loses many points.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from trainer.corpus import read_examples
from trainer.errors import QualityCheckError
from trainer.quality import check_package, raise_if_failed

pytestmark = pytest.mark.slow


def test_float32_export_passes_with_identical_output(
    cli: Any, trained_marian: Any, tmp_path: Path
) -> None:
    package = tmp_path / "terjman-tiny-f32"
    assert cli(["export", str(trained_marian.best), str(package), "--quantization", "float32",
                "--version", "0.1"]) == 0
    report = json.loads((tmp_path / "terjman-tiny-f32.check.json").read_text(encoding="utf-8"))
    scores = report["directions"]["en-ary"]
    assert report["passed"] and scores["drop"] == 0.0
    assert scores["same_output"] == 1.0  # token for token, like tests/core/test_parity.py
    # The dev split, found through the checkpoint's terjman_training.json.
    dev = read_examples(trained_marian.data_dir / "dev.jsonl")
    assert scores["n"] == len(dev) >= 90
    manifest = json.loads((package / "terjman-model.json").read_text(encoding="utf-8"))
    assert manifest["id"] == "terjman-tiny-f32" and manifest["quantization"] == "float32"
    assert manifest["version"] == "0.1" and manifest["directions"] == [
        {"source": "en", "target": "ary"}]
    assert "Quantization: float32" in (package / "README.md").read_text(encoding="utf-8")
    # The decoding search on dev: its choice is in the manifest, its trials beside the package.
    search = json.loads((tmp_path / "terjman-tiny-f32.decoding.json").read_text("utf-8"))
    assert len(search["trials"]) == 1 + 3 * 3  # greedy once, beams 2, 4, 5 × 3 penalties
    assert manifest["decoding"] == search["chosen"]
    assert search["chosen_chrf"] >= search["best_chrf"] - 0.1
    # The report's row: the checkpoint's scores and the package's are the same numbers
    # (whatever the tiny model learned, which depends on the machine it trained on).
    markdown = (tmp_path / "terjman-tiny-f32.check.md").read_text("utf-8")
    bleu, chrf = (f"{scores['checkpoint'][k]:.2f}" for k in ("bleu", "chrf"))
    assert scores["package"] == scores["checkpoint"]
    assert f"| en-ary | {len(dev)} | {bleu} | {bleu} | {chrf} | {chrf} | 0.00 | 100.0% |" in (
        markdown)


def stock_marian_package(checkpoint: Path, like: Path, out: Path) -> Path:
    """``checkpoint`` converted by CTranslate2's stock Marian loader, packaged like ``like``."""
    import ctranslate2

    from terjman_desktop.core.translate.package import describe_files, read_manifest, write_manifest

    ctranslate2.converters.TransformersConverter(str(checkpoint)).convert(
        str(out), quantization="float32")
    for name in ("source.spm", "target.spm", "README.md"):
        shutil.copy2(like / name, out / name)
    manifest = dataclasses.replace(read_manifest(like), files=describe_files(out))
    write_manifest(out, manifest)
    return out


def test_a_package_that_translates_worse_fails_the_check(
    cli: Any, trained_marian: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good"
    assert cli(["export", str(trained_marian.best), str(good), "--model-id", "tiny-f32",
                "--quantization", "float32", "--no-check"]) == 0
    stock = stock_marian_package(trained_marian.best, good, tmp_path / "stock")
    dev = read_examples(trained_marian.data_dir / "dev.jsonl")
    report = check_package(trained_marian.best, stock, dev, max_drop=1.0)
    scores = report["directions"]["en-ary"]
    assert not report["passed"] and scores["drop"] > 1.0
    assert scores["same_output"] < 0.5
    with pytest.raises(QualityCheckError) as caught:
        raise_if_failed(report, tmp_path / "stock.check.json")
    message = str(caught.value)
    assert "loses" in message and "more than the 1.0 allowed" in message
    assert "--quantization int8_float16, float16 or float32" in message
    assert "do not release it" in message


def test_export_needs_a_dev_file_or_no_check(
    cli: Any, marian_checkpoint: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The session fixture was not trained by `trainer train`: nothing says where its dev is.
    assert cli(["export", str(marian_checkpoint), str(tmp_path / "p")]) == 2
    assert "there is no dev file. Pass --dev-file" in capsys.readouterr().err
    # The package is there now: a second export says how to replace it (no traceback).
    assert cli(["export", str(marian_checkpoint), str(tmp_path / "p"), "--no-check"]) == 2
    assert "exists. Pass overwrite=True (--overwrite)" in capsys.readouterr().err
    assert cli(["export", str(tmp_path), str(tmp_path / "q")]) == 2
    assert "not a Hugging Face checkpoint folder" in capsys.readouterr().err
    assert cli(["export", str(marian_checkpoint), str(tmp_path / "Bad Name")]) == 2
    assert "not valid" in capsys.readouterr().err


def test_a_failed_check_exits_with_status_3(
    cli: Any, trained_marian: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A threshold below zero asks the package to beat its checkpoint: a real check that
    # cannot pass, run through the command line.
    code = cli(["export", str(trained_marian.best), str(tmp_path / "tiny-int8"),
                "--max-quality-drop", "-1"])
    assert code == 3
    assert "quality check failed" in capsys.readouterr().err
    assert not json.loads((tmp_path / "tiny-int8.check.json").read_text("utf-8"))["passed"]
