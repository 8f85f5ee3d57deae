"""`trainer evaluate`: sacrebleu scores with signatures, for a checkpoint and for a package
through the app's engine, per direction and per topic, as JSON and markdown."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from trainer.errors import TrainerError
from trainer.metrics import corpus_scores
from trainer.synthetic_corpus import parallel_pairs

pytestmark = pytest.mark.slow  # loads and runs the tiny models


def test_corpus_scores_carry_their_signatures() -> None:
    scores = corpus_scores(["the cat sat on the mat", "hello there my friend"],
                           ["the cat sat on a mat", "hello there my dear friend"])
    assert (scores["n"], scores["bleu"], scores["chrf"], scores["ter"]) == (2, 46.59, 69.95, 18.18)
    assert scores["signatures"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert "nw:2" in scores["signatures"]["chrf"]  # chrF++: word bigrams
    assert scores["signatures"]["ter"].startswith("nrefs:1|case:lc")
    with pytest.raises(TrainerError, match="nothing to score"):
        corpus_scores([], [])


@pytest.fixture
def topic_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bench.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["English", "Darija", "topic"])
        for i, (en, ary) in enumerate(parallel_pairs(limit=24, seed=3)):
            writer.writerow([en, ary, ("Food", "Common Phrases", "Idioms")[i % 3]])
    return path


def evaluate(cli: Any, model: Path, bench: Path, out: Path, *extra: str) -> dict[str, Any]:
    code = cli(["evaluate", str(model), "--test-file", str(bench), "--source-column",
                "English", "--target-column", "Darija", "--topic-column", "topic",
                "--benchmark", "bench", "--num-beams", "1", "--max-new-tokens", "40",
                "--output-dir", str(out), *extra])
    assert code == 0
    report: dict[str, Any] = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    return report


def test_package_and_checkpoint_measure_the_same_thing(
    cli: Any, marian_checkpoint: Path, marian_package: Path, topic_csv: Path, tmp_path: Path
) -> None:
    package = evaluate(cli, marian_package, topic_csv, tmp_path / "pkg")
    checkpoint = evaluate(cli, marian_checkpoint, topic_csv, tmp_path / "ckpt")
    # A Marian model translates en→ary only, though the raw test set gives both directions.
    assert list(package["directions"]) == list(checkpoint["directions"]) == ["en-ary"]
    assert package["kind"].startswith("ctranslate2") and checkpoint["kind"] == "huggingface"
    ours, theirs = package["directions"]["en-ary"], checkpoint["directions"]["en-ary"]
    # float32 + greedy: the engine's output equals generate's, so the scores are equal.
    assert ours["n"] == 24 and (ours["bleu"], ours["chrf"], ours["ter"]) == (
        theirs["bleu"], theirs["chrf"], theirs["ter"])
    assert set(ours["topics"]) == {"Food", "Common Phrases", "Idioms"}
    assert sum(t["n"] for t in ours["topics"].values()) == 24
    markdown = (tmp_path / "pkg" / "eval.md").read_text(encoding="utf-8")
    assert "## en-ary by topic" in markdown and "| Idioms | 8 |" in markdown
    assert "tok:13a" in markdown
    hypotheses = (tmp_path / "pkg" / "hypotheses.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(hypotheses) == 24 and json.loads(hypotheses[0])["reference"]


def test_nllb_package_both_directions_from_prepared_data(
    cli: Any, nllb_package: Path, topic_csv: Path, tmp_path: Path
) -> None:
    report = evaluate(cli, nllb_package, topic_csv, tmp_path / "out", "--max-sentences", "10")
    assert sorted(report["directions"]) == ["ary-en", "en-ary"]
    assert all(d["n"] == 10 for d in report["directions"].values())


def test_bad_model_folders_and_directions_are_reported(
    cli: Any, marian_package: Path, topic_csv: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--test-file", str(topic_csv), "--source-column", "English", "--target-column",
            "Darija"]
    assert cli(["evaluate", str(tmp_path), *args]) == 2
    assert "neither a Hugging Face checkpoint folder" in capsys.readouterr().err
    assert cli(["evaluate", str(marian_package), *args, "--directions", "ary-en"]) == 2
    assert "does not translate ary-en; it translates en-ary" in capsys.readouterr().err
