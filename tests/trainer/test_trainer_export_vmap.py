"""`trainer export` adds a vocabulary map built from the training split, and checks it on dev."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from terjman_desktop.core.translate import VMAP_NAME, Translator, read_manifest

pytestmark = pytest.mark.slow


def test_export_writes_and_checks_a_map_by_default(
    cli: Any, trained_marian: Any, tmp_path: Path
) -> None:
    package = tmp_path / "tiny-f32"
    assert cli(["export", str(trained_marian.best), str(package), "--quantization",
                "float32"]) == 0
    assert VMAP_NAME in [f.path for f in read_manifest(package).files]
    assert Translator(package, device="cpu", threads=1).has_vmap
    report = json.loads((tmp_path / "tiny-f32.check.json").read_text(encoding="utf-8"))
    section = report["vocabulary_map"]
    scores = section["directions"]["en-ary"]
    assert section["passed"] and report["passed"] and section["max_drop"] == 0.2
    assert scores["drop"] <= 0.2 and scores["identical"] >= 0.99
    # Built from train.jsonl, judged on every dev sentence.
    train = (trained_marian.data_dir / "train.jsonl").read_text("utf-8").splitlines()
    assert section["stats"]["sentences"] <= len(train)
    assert section["stats"]["mean_sentence_candidates"] <= section["stats"]["vocabulary_size"]
    # The quantization check still compares the checkpoint with the package without its map.
    assert report["directions"]["en-ary"]["same_output"] == 1.0
    assert "## Vocabulary map: passed" in (tmp_path / "tiny-f32.check.md").read_text("utf-8")


def test_no_vmap_and_config_vmap_false_skip_it(
    cli: Any, trained_marian: Any, tmp_path: Path, yaml_file: Any
) -> None:
    flag = tmp_path / "flag"
    assert cli(["export", str(trained_marian.best), str(flag), "--no-vmap", "--no-check"]) == 0
    assert not (flag / VMAP_NAME).exists()
    assert VMAP_NAME not in [f.path for f in read_manifest(flag).files]
    config = yaml_file(tmp_path / "export.yaml", {"export": {"vmap": False}})
    configured = tmp_path / "configured"
    assert cli(["export", str(trained_marian.best), str(configured), "--config", str(config),
                "--quantization", "float32"]) == 0
    assert not (configured / VMAP_NAME).exists()
    report = json.loads((tmp_path / "configured.check.json").read_text(encoding="utf-8"))
    assert "vocabulary_map" not in report and report["passed"]


def test_a_map_that_changes_translations_fails_the_export(
    cli: Any, trained_marian: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No source token reaches the count and nothing frequent is kept: only punctuation can
    # be written, so the dev translations collapse and the check must fail (status 3).
    code = cli(["export", str(trained_marian.best), str(tmp_path / "starved"),
                "--quantization", "float32", "--vmap-min-count", "100000",
                "--vmap-always-keep", "0"])
    assert code == 3
    err = capsys.readouterr().err
    assert "The vocabulary map loses" in err and "--no-vmap" in err
    report = json.loads((tmp_path / "starved.check.json").read_text(encoding="utf-8"))
    assert not report["passed"] and not report["vocabulary_map"]["passed"]
    assert report["vocabulary_map"]["directions"]["en-ary"]["identical"] < 0.5
    assert "## Vocabulary map: FAILED" in (tmp_path / "starved.check.md").read_text("utf-8")
