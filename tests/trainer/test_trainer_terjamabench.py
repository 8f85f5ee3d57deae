"""`trainer evaluate --benchmark terjamabench`: the published benchmark's shape is checked (850
sentences in 12 topics), scored per topic and overall with sacrebleu signatures, and printed
beside AtlasIA's published figures — on a local file and a local dataset folder of
TerjamaBench's schema written here, without the Hub."""

from __future__ import annotations

import csv
import json
import statistics
import string
from pathlib import Path
from typing import Any

import pytest

from trainer.benchmarks import TERJAMABENCH, load_published
from trainer.errors import TrainerError
from trainer.synthetic_corpus import parallel_pairs

pytestmark = pytest.mark.slow  # runs a tiny package over 850 sentences

TOPICS = ["Religion", "Idioms", "Named Entities", "Common Phrases", "Humor", "Numeric and Date",
          "Mixed Language", "Food", "Family", "Travel", "Work", "dialect_variation"]
COLUMNS = ["topic", "subtopic", "Arabizi", "English", "Darija", "annotator_dialect"]


def bench_rows(count: int = 850, topics: int = 12) -> list[dict[str, str]]:
    pairs = parallel_pairs(seed=17)[:count]
    return [{"topic": TOPICS[i % topics], "subtopic": "", "Arabizi": "", "English": en,
             "Darija": ary, "annotator_dialect": "casablanca"}
            for i, (en, ary) in enumerate(pairs)]


def write_bench(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def figures(tmp_path: Path, yaml_file: Any) -> Path:
    return yaml_file(tmp_path / "published.yaml", {"models": {
        "atlasia/Terjman-Nano-v2.0": {
            "source": "model card", "directions": {"en-ary": {"bleu": 20.5, "chrf": 40.25,
                                                               "ter": None}}},
    }})


def test_terjamabench_scored_per_topic_beside_the_published_figures(
    cli: Any, marian_package: Path, figures: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = write_bench(tmp_path / "TerjamaBench.csv", bench_rows())
    out = tmp_path / "eval"
    assert cli(["evaluate", str(marian_package), "--benchmark", "TerjamaBench",
                "--test-file", str(bench), "--published-figures", str(figures),
                "--published-model", "atlasia/Terjman-Nano-v2.0", "--num-beams", "1",
                "--output-dir", str(out)]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["sentences_scored"] == 850 and result["en-ary"]["n"] == 850
    assert "| en-ary | bleu |" in captured.err and "not published" in captured.err
    report = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    assert report["benchmark"] == "terjamabench"
    check = report["benchmark_check"]
    assert check["rows"] == 850 and len(check["topics"]) == 12
    assert sum(check["topics"].values()) == 850
    scores = report["directions"]["en-ary"]
    assert list(report["directions"]) == ["en-ary"]  # the Marian package translates en→ary
    assert set(scores["topics"]) == set(TOPICS)
    for topic in scores["topics"].values():
        assert topic["signatures"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
        assert "nw:2" in topic["signatures"]["chrf"]
    # Beside the published figures, ours are computed as AtlasIA computed theirs: the mean of
    # sentence scores with ASCII punctuation removed (checked here with sacrebleu directly).
    from sacrebleu.metrics.bleu import BLEU
    from sacrebleu.metrics.chrf import CHRF

    strip = str.maketrans("", "", string.punctuation)
    rows = [json.loads(line) for line in
            (out / "hypotheses.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [(r["hypothesis"].translate(strip).strip(), r["reference"].translate(strip).strip())
             for r in rows]
    mean_bleu = statistics.fmean(
        BLEU(effective_order=True).sentence_score(h, [r]).score for h, r in pairs)
    mean_chrf = statistics.fmean(CHRF().sentence_score(h, [r]).score for h, r in pairs)
    published = report["published"]["directions"]["en-ary"]
    assert published["bleu"] == {"ours": round(mean_bleu, 2), "published": 20.5}
    assert published["chrf"] == {"ours": round(mean_chrf, 2), "published": 40.25}
    assert published["ter"]["published"] is None
    assert "mean of sentence-level" in report["published"]["protocol"]
    markdown = (out / "eval.md").read_text(encoding="utf-8")
    assert "850 sentences in 12 topics, as published" in markdown
    assert "## Beside the published figures of atlasia/Terjman-Nano-v2.0 (model card)" in markdown
    assert f"| en-ary | bleu | {round(mean_bleu, 2):.2f} | 20.50 |" in markdown


def test_a_local_dataset_folder_of_the_same_schema_and_the_shipped_figures(
    cli: Any, nllb_package: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "TerjamaBench"
    folder.mkdir()
    write_bench(folder / "test.csv", bench_rows())
    out = tmp_path / "eval"
    assert cli(["evaluate", str(nllb_package), "--benchmark", "terjamabench", "--test-dataset",
                str(folder), "--num-beams", "1", "--max-sentences", "100",
                "--output-dir", str(out)]) == 0
    report = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    assert report["benchmark_check"]["rows"] == 850  # checked on the whole set
    assert sorted(report["directions"]) == ["ary-en", "en-ary"] and report[
        "sentences_scored"] == 200
    # The shipped figures file has no numbers yet: nothing is published for this model.
    assert report["published"]["model"] == "tests/synthetic"
    assert report["published"]["directions"]["en-ary"]["bleu"]["published"] is None
    assert "not comparable" in report["published"]["note"]
    assert "**Note: only 100 sentences per direction" in (out / "eval.md").read_text("utf-8")


@pytest.mark.parametrize(("count", "topics", "message"), [
    (849, 12, "850 sentences in 12 topics; this copy has 849 in 12"),
    (850, 11, "this copy has 850 in 11"),
])
def test_another_shape_is_not_terjamabench(
    cli: Any, marian_package: Path, tmp_path: Path, count: int, topics: int, message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = write_bench(tmp_path / "bench.csv", bench_rows(count, topics))
    assert cli(["evaluate", str(marian_package), "--benchmark", "terjamabench",
                "--test-file", str(bench), "--output-dir", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err


def test_the_hub_copy_needs_a_pinned_revision(
    cli: Any, marian_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert TERJAMABENCH.dataset == "atlasia/TerjamaBench" and TERJAMABENCH.rows == 850
    assert cli(["evaluate", str(marian_package), "--benchmark", "terjamabench",
                "--output-dir", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "no pinned revision of atlasia/TerjamaBench" in err and "--test-revision" in err


def test_published_figures_files_are_checked(tmp_path: Path, yaml_file: Any) -> None:
    shipped = load_published(Path(__file__).resolve().parents[2] / "trainer" / "configs"
                             / "terjamabench_published.yaml")
    assert "atlasia/Terjman-Nano-v2.0" in shipped
    assert shipped["BounharAbdelaziz/Terjman-Nano-v2.2"]["directions"]["en-ary"] == {
        "bleu": 18.77, "chrf": 38.41, "ter": 100.74}
    assert shipped["atlasia/Terjman-Ultra-v2.0"]["directions"] == {}  # not copied yet
    bad = yaml_file(tmp_path / "bad.yaml", {"models": {"m": {"directions": {"en-ary": 3}}}})
    with pytest.raises(TrainerError, match="m en-ary must map metrics to numbers"):
        load_published(bad)
    with pytest.raises(TrainerError, match="does not exist"):
        load_published(tmp_path / "none.yaml")


def test_atlasia_protocol_ignores_punctuation_and_averages_sentences() -> None:
    from trainer.metrics import atlasia_scores, corpus_scores

    hyps, refs = ["the cat, sat on the mat!", "good morning"], ["the cat sat on the mat", "hi"]
    ours = atlasia_scores(hyps, refs)
    assert ours["n"] == 2 and ours["chrf"] < 100
    perfect = atlasia_scores(hyps[:1], refs[:1])
    assert (perfect["bleu"], perfect["chrf"], perfect["ter"]) == (100.0, 100.0, 0.0)
    assert corpus_scores(hyps[:1], refs[:1])["bleu"] < 100  # corpus scores see the commas
    assert "effective order" in ours["protocol"] and "eff:yes" in ours["signatures"]["bleu"]
