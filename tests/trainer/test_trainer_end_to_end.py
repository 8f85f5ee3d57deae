"""End to end on CPU: train tiny models from scratch, export int8, translate with the app.

A tiny Marian (en→ary) and a tiny NLLB-style model (en⇄ary) are trained by `trainer train`
until their translations of held-out test sentences score high, exported to int8 packages
by `trainer export` (with its post-export check), and evaluated by `trainer evaluate`
through ``terjman_desktop.core.translate.engine`` — what users get must score within a few points of
the checkpoint.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

MIN_BLEU = 60.0
MAX_PACKAGE_GAP = 3.0


def evaluate(cli: Any, model: Path, test_file: Path, out: Path) -> dict[str, Any]:
    code = cli(["evaluate", str(model), "--test-file", str(test_file), "--output-dir", str(out),
                "--num-beams", "1", "--max-new-tokens", "40"])
    assert code == 0
    report: dict[str, Any] = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    return report


def export_and_compare(cli: Any, run: Any, tmp_path: Path, directions: list[str]) -> None:
    test_file = run.data_dir / "test.jsonl"
    checkpoint = evaluate(cli, run.best, test_file, tmp_path / "ckpt.eval")
    package = tmp_path / "tiny-int8"
    assert cli(["export", str(run.best), str(package), "--max-quality-drop", "3"]) == 0
    check = json.loads((tmp_path / "tiny-int8.check.json").read_text(encoding="utf-8"))
    assert check["passed"] and check["quantization"] == "int8"
    packaged = evaluate(cli, package, test_file, tmp_path / "pkg.eval")
    assert packaged["kind"].startswith("ctranslate2")
    assert sorted(checkpoint["directions"]) == sorted(directions)
    for direction in directions:
        ours, theirs = checkpoint["directions"][direction], packaged["directions"][direction]
        assert ours["n"] == theirs["n"] == 100
        assert ours["bleu"] >= MIN_BLEU, (direction, ours)
        assert abs(ours["bleu"] - theirs["bleu"]) <= MAX_PACKAGE_GAP, (direction, ours, theirs)
        assert "nrefs:1|case:mixed|eff:no|tok:13a" in ours["signatures"]["bleu"]
        assert "nc:6|nw:2" in ours["signatures"]["chrf"]  # chrF++


def test_marian_trains_exports_and_translates_in_the_app(
    cli: Any, trained_marian: Any, tmp_path: Path
) -> None:
    export_and_compare(cli, trained_marian, tmp_path, ["en-ary"])


def test_nllb_trains_both_directions_and_translates_in_the_app(
    cli: Any, trained_nllb: Any, tmp_path: Path
) -> None:
    export_and_compare(cli, trained_nllb, tmp_path, ["en-ary", "ary-en"])
