"""A fixed test set is scored as published: `trainer data` writes it verbatim (no normalization,
no cleaning rule), and both documented routes — `evaluate` on the prepared test.jsonl and on
the raw benchmark file — score exactly the same sentences, with the same scores."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from trainer.corpus import RawPair, read_examples
from trainer.synthetic_corpus import parallel_pairs
from trainer.testset import examples_from_pairs

# Benchmark-like rows that the training rules would drop or change, each correct as written.
HARD_ROWS = [
    ("Rush things and you'll get delayed, as the saying goes", "زرب تعطل", "Idioms"),  # ratio
    ("I'll call you as soon as I get home", "Une fois nwessl l dar نعيط ليك", "Mixed"),  # script
    ("We laughed our heads off", "شبعنا تكركيـــر", "Humor"),                      # tatweel
    ("May God forgive us", "اللّه يسمحلينا", "Religion"),                          # shadda
    ("Do you have two hundred dirhams", "عندك شي ٢٠٠ درهم؟", "Numbers"),           # digits
    ("OK", "OK", "Mixed"),                                                         # identical
    ("Leave me alone", "عطيلي  التساع", "Common Phrases"),                         # spaces
    ("Go get an Inwi SIM card", "سير خود شي كارط ديال إنوي", "Named Entities"),    # hamza
]


def write_bench(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["topic", "English", "Darija"])
        writer.writerows((topic, en, ary) for en, ary, topic in rows)
    return path


def test_examples_keep_every_row_verbatim_and_count_the_empty_ones() -> None:
    pairs = [RawPair(en, ary, topic, f"b:{i}") for i, (en, ary, topic) in enumerate(HARD_ROWS)]
    pairs.append(RawPair("  ", "شي حاجة", "Mixed", "b:8"))
    test = examples_from_pairs(pairs, "en", "ary")
    assert (test.rows, test.pairs, test.skipped_empty, len(test.examples)) == (9, 8, 1, 16)
    forward = [e for e in test.examples if e.direction == "en-ary"]
    assert [(e.source, e.target, e.topic) for e in forward] == HARD_ROWS
    assert forward[0].id == "test-000000-f" and test.examples[1].id == "test-000000-r"


def test_both_routes_score_the_same_sentences(
    cli: Any, marian_package: Path, corpus_csv: Path, tmp_path: Path
) -> None:
    bench_rows = [(en, ary, "Templates") for en, ary in parallel_pairs(limit=16, seed=9)]
    bench_rows += [*HARD_ROWS, ("", "خاوي", "Mixed")]  # the last row cannot be scored
    bench = write_bench(tmp_path / "bench.csv", bench_rows)
    # A training pair equal to a test row once normalized (tatweel) is still a leak.
    extra = tmp_path / "extra.csv"
    extra.write_text("en,ary\nWe laughed a lot,شبعنا تكركير\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    assert cli(["data", "--output-dir", str(data_dir), "--dev-size", "50",
                "--sources", json.dumps([
                    {"path": str(corpus_csv), "source_column": "en", "target_column": "ary"},
                    {"path": str(extra), "source_column": "en", "target_column": "ary"}]),
                "--test-sources", json.dumps([
                    {"path": str(bench), "source_column": "English", "target_column": "Darija",
                     "topic_column": "topic"}])]) == 0
    report = json.loads((data_dir / "report.json").read_text(encoding="utf-8"))
    assert report["test_set"]["rows"] == 25 and report["test_set"]["skipped_empty"] == 1
    assert report["leakage_removed"]["train"] >= 1
    assert "شبعنا تكركير" not in {e.target for e in read_examples(data_dir / "train.jsonl")}
    test = read_examples(data_dir / "test.jsonl")
    assert [(e.source, e.target, e.topic) for e in test] == bench_rows[:-1]  # verbatim

    common = ["--num-beams", "1", "--max-new-tokens", "40", "--benchmark", "bench"]
    prepared, raw = tmp_path / "prepared", tmp_path / "raw"
    assert cli(["evaluate", str(marian_package), "--test-file", str(data_dir / "test.jsonl"),
                "--output-dir", str(prepared), *common]) == 0
    assert cli(["evaluate", str(marian_package), "--test-file", str(bench),
                "--source-column", "English", "--target-column", "Darija",
                "--topic-column", "topic", "--output-dir", str(raw), *common]) == 0
    first, second = (json.loads((d / "eval.json").read_text(encoding="utf-8"))
                     for d in (prepared, raw))
    assert first["sentences_scored"] == second["sentences_scored"] == 24
    assert second["skipped_empty_rows"] == 1 and second["test_rows"] == 25
    ours, theirs = first["directions"]["en-ary"], second["directions"]["en-ary"]
    assert ours["n"] == 24 and {k: ours[k] for k in ("bleu", "chrf", "ter")} == {
        k: theirs[k] for k in ("bleu", "chrf", "ter")}
    assert ours["topics"] == theirs["topics"]

    def hypotheses(folder: Path) -> list[tuple[str, str, str]]:
        lines = (folder / "hypotheses.jsonl").read_text(encoding="utf-8").splitlines()
        return [(r["source"], r["reference"], r["hypothesis"]) for r in map(json.loads, lines)]

    assert hypotheses(prepared) == hypotheses(raw)
    markdown = (raw / "eval.md").read_text(encoding="utf-8")
    assert "Scored 24 sentences (all directions) from 25 test rows, verbatim; 1 rows" in markdown


@pytest.mark.parametrize("rows", [[], [("", "")]], ids=["no rows", "only an empty row"])
def test_a_test_set_with_nothing_to_score_says_so(
    cli: Any, marian_package: Path, tmp_path: Path, rows: list[tuple[str, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = write_bench(tmp_path / "b.csv", [(en, ary, "t") for en, ary in rows])
    assert cli(["evaluate", str(marian_package), "--test-file", str(bench), "--source-column",
                "English", "--target-column", "Darija", "--output-dir",
                str(tmp_path / "o")]) == 2
    assert "The test set has no examples for en-ary" in capsys.readouterr().err
