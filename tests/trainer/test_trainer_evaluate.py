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


def test_progress_lines_give_the_rate_and_the_time_left(caplog: pytest.LogCaptureFixture) -> None:
    from trainer.progress import Progress, format_duration

    now = [100.0]
    progress = Progress("en-ary", 500, every=5.0, clock=lambda: now[0])
    with caplog.at_level("INFO", logger="trainer.progress"):
        progress(0, 500)  # nothing done yet: no line
        now[0] = 102.0
        progress(100)     # the first line comes at once
        now[0] = 104.0
        progress(200)     # 2 s later: too soon
        now[0] = 110.0
        progress(400)
        now[0] = 111.0
        progress(500)     # the end is always logged
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "en-ary: 100/500 sentences (20%), 50.0 sentences/s, ETA 0:08",
        "en-ary: 400/500 sentences (80%), 40.0 sentences/s, ETA 0:02",
        "en-ary: 500/500 sentences (100%), 45.5 sentences/s, ETA 0:00",
    ]
    assert (format_duration(75), format_duration(3725)) == ("1:15", "1:02:05")


def test_evaluate_logs_progress_and_counts_what_it_scored(
    cli: Any, marian_package: Path, topic_csv: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("INFO", logger="trainer.progress"):
        report = evaluate(cli, marian_package, topic_csv, tmp_path / "out",
                          "--progress-seconds", "0")
    lines = [r.getMessage() for r in caplog.records if r.name == "trainer.progress"]
    assert lines[-1].startswith("en-ary: 24/24 sentences (100%), ")
    assert "sentences/s, ETA 0:00" in lines[-1]
    assert report["sentences_scored"] == 24 and report["skipped_empty_rows"] == 0
    assert report["sentences_per_second"] > 0
    assert report["decoding"]["max_length_ratio"] == 3.0


def test_the_length_limit_follows_the_source_like_the_app() -> None:
    from trainer.generation import Decoding, relative_limit

    ratio = Decoding(num_beams=4, max_new_tokens=256, max_length_ratio=3.0)
    assert relative_limit(ratio, 12, 0) == 46   # 3 × 12 + 10 (Marian)
    assert relative_limit(ratio, 12, 1) == 47   # + the forced language token (NLLB)
    assert relative_limit(ratio, 200, 0) == 256  # the cap still holds
    assert relative_limit(Decoding(max_new_tokens=256), 12, 0) == 256  # no ratio: the cap


def test_runaway_outputs_stop_near_the_source_length(
    untrained_marian_checkpoint: Path, tmp_path: Path
) -> None:
    """A random model never writes </s>: without the ratio it runs to the cap."""
    from trainer.generation import Decoding, HFTranslator

    translator = HFTranslator.from_pretrained(untrained_marian_checkpoint, device="cpu")
    sentences = [en for en, _ in parallel_pairs(limit=4, seed=4)]
    longest = max(len(translator.tokenizer(s).input_ids) for s in sentences)

    def lengths(decoding: Decoding) -> list[int]:
        outputs = translator.translate(sentences, "en", "ary", decoding)
        return [len(translator.tokenizer(text_target=o).input_ids) for o in outputs]

    capped = lengths(Decoding(num_beams=1, max_new_tokens=48, batch_size=4))
    relative = lengths(Decoding(num_beams=1, max_new_tokens=48, batch_size=4,
                                max_length_ratio=1.0))
    assert max(capped) > longest + 20  # ran away
    assert max(relative) <= longest + 10 + 2  # stopped at 1 × the source + 10 (± re-tokenizing)


def test_a_checkpoint_through_the_engine_scores_as_with_generate(
    cli: Any, marian_checkpoint: Path, marian_package: Path, topic_csv: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = evaluate(cli, marian_checkpoint, topic_csv, tmp_path / "ct2", "--engine",
                      "ctranslate2")
    # The float32 package of the same checkpoint, whose greedy output equals generate's
    # (test_package_and_checkpoint_measure_the_same_thing).
    package = evaluate(cli, marian_package, topic_csv, tmp_path / "pkg")
    assert engine["kind"].endswith("(terjman engine)")
    assert engine["model"] == str(marian_checkpoint)
    assert engine["directions"]["en-ary"] == package["directions"]["en-ary"]
    assert (tmp_path / "ct2" / "hypotheses.jsonl").read_text(encoding="utf-8") == (
        tmp_path / "pkg" / "hypotheses.jsonl").read_text(encoding="utf-8")
    assert cli(["evaluate", str(marian_package), "--test-file", str(topic_csv),
                "--source-column", "English", "--target-column", "Darija",
                "--engine", "generate"]) == 2
    assert "is a package: it translates with CTranslate2 only" in capsys.readouterr().err
