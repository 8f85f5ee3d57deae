"""`trainer distill`: a teacher package translates monolingual corpora through the app's path,
on several replicas, sharded by rank; the shards merge into what one process writes; the
synthetic pairs are filtered and mixed with the real data; a student trains on them.

End to end on CPU with the tiny test packages: teacher package → synthetic corpus → shards
(world size 2: rank 0 and rank 1, one of them from the launcher's environment) → merge
identical to a single process → data → student."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.trainer.conftest import TINY_TRAINING
from trainer.cleaning import clean_pairs
from trainer.config import from_mapping
from trainer.corpus import RawPair, read_examples
from trainer.data import DataArgs
from trainer.errors import ConfigError, DataError
from trainer.mixing import apply_weights
from trainer.sharding import Shard, ShardWriter, merge_shards, shard_path
from trainer.synthetic_corpus import parallel_pairs

pytestmark = pytest.mark.slow  # loads the tiny packages, trains a tiny student


def _options(beams: int = 2) -> Any:
    from terjman_desktop.core.translate.options import TranslationOptions

    return TranslationOptions(beam_size=beams, max_length=64, max_length_ratio=3.0,
                              max_batch_tokens=512, use_vmap=False)


# ----------------------------------------------------------------------------- the teacher


@pytest.mark.parametrize("family", ["marian", "nllb"])
def test_the_teacher_translates_as_the_app_does_on_two_replicas(
    family: str, marian_package: Path, nllb_package: Path
) -> None:
    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.sentence_cache import SentenceCache
    from trainer.teacher import Teacher

    package = marian_package if family == "marian" else nllb_package
    sentences = [en for en, _ in parallel_pairs(limit=120, seed=11)]
    sentences += ["", sentences[0], "  " + sentences[1] + "\u200b "]  # empty, repeated, unclean
    teacher = Teacher(package, device="cpu", replicas_per_device=2, threads=1)
    assert teacher.replicas == 2
    seen: list[tuple[int, int]] = []
    ours = teacher.translate(sentences, "en", "ary", _options(),
                             lambda done, total: seen.append((done, total)))
    app = Translator(package, device="cpu", threads=1, cache=SentenceCache(0))
    theirs = [h[0].text for h in app.translate_sentences(sentences, Direction("en", "ary"),
                                                          _options())]
    assert ours == theirs  # the same batches, limits and decoding as the app's engine
    assert ours[120] == "" and ours[121] == ours[0] and ours[122] == ours[1]
    assert all(ours[:120]) and seen[0] == (0, 120) and seen[-1] == (120, 120)
    if family == "marian":
        with pytest.raises(Exception, match="does not translate ary-en; it translates en-ary"):
            teacher.translate(["سلام"], "ary", "en", _options())
    teacher.unload()


def test_the_teacher_follows_the_decoding_a_package_records(
    marian_package: Path, tmp_path: Path
) -> None:
    import shutil

    from terjman_desktop.core.translate.engine import Translator
    from terjman_desktop.core.translate.manifest import Direction
    from terjman_desktop.core.translate.sentence_cache import SentenceCache
    from trainer.teacher import Teacher

    package = tmp_path / "pkg"
    shutil.copytree(marian_package, package)
    manifest = json.loads((package / "terjman-model.json").read_text(encoding="utf-8"))
    manifest["decoding"] = {"beam_size": 4, "length_penalty": 0.2}
    (package / "terjman-model.json").write_text(json.dumps(manifest), encoding="utf-8")
    sentences = [en for en, _ in parallel_pairs(limit=40, seed=12)]
    teacher = Teacher(package, device="cpu", threads=1)
    assert teacher.length_penalty(_options(4)) == 0.2
    app = Translator(package, device="cpu", threads=1, cache=SentenceCache(0))
    assert teacher.translate(sentences, "en", "ary", _options(4)) == [
        h[0].text for h in app.translate_sentences(sentences, Direction("en", "ary"),
                                                   _options(4))]


# ----------------------------------------------------------------------------- shards


def test_shards_come_from_the_launcher_and_are_checked() -> None:
    assert Shard.from_env(environ={}) == Shard(0, 1)
    assert Shard.from_env(environ={"RANK": "3", "WORLD_SIZE": "4"}) == Shard(3, 4)
    assert Shard.from_env(1, 2, environ={"RANK": "0", "WORLD_SIZE": "8"}) == Shard(1, 2)
    assert [b for b in range(6) if Shard(1, 3).owns(b)] == [1, 4]
    with pytest.raises(ConfigError, match="Rank 2 of world size 2"):
        Shard(2, 2)
    with pytest.raises(ConfigError, match="RANK='x'"):
        Shard.from_env(environ={"RANK": "x"})


def test_a_merge_refuses_missing_changed_or_mismatched_shards(tmp_path: Path) -> None:
    def write(rank: int, rows: list[int], **settings: Any) -> Path:
        writer = ShardWriter(shard_path(tmp_path, "c", Shard(rank, 2)), settings or {"b": 1})
        writer.write({"index": i, "en": f"s{i}", "ary": f"t{i}"} for i in rows)
        writer.finish()
        return writer.path

    write(0, [0, 1, 4])
    with pytest.raises(DataError, match="1 of 2 shards are missing or incomplete "
                                        r"\(rank00001-of-00002\)"):
        merge_shards(tmp_path, "c", 2, tmp_path / "out.jsonl")
    second = write(1, [2, 3, 5])
    record = merge_shards(tmp_path, "c", 2, tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["index"] for r in rows] == list(range(6)) and record["rows"] == 6
    second.write_text(second.read_text().replace("t5", "tampered"))
    with pytest.raises(DataError, match="changed after it was written"):
        merge_shards(tmp_path, "c", 2, tmp_path / "out.jsonl")
    write(1, [2, 3, 5], b=2)
    with pytest.raises(DataError, match="different settings"):
        merge_shards(tmp_path, "c", 2, tmp_path / "out.jsonl")
    write(1, [2, 5], b=1)
    with pytest.raises(DataError, match="sentence 3 is missing"):
        merge_shards(tmp_path, "c", 2, tmp_path / "out.jsonl")
    writer = ShardWriter(tmp_path / "x.jsonl", {})
    with pytest.raises(ValueError, match="increasing index"):
        writer.write([{"index": 2}, {"index": 1}])
    writer.abort()
    assert not list(tmp_path.glob("x.jsonl*"))


# ----------------------------------------------------------------------------- filters, mixing


def test_synthetic_pairs_are_filtered_and_real_sentences_win(tmp_path: Path) -> None:
    args = from_mapping(DataArgs, {"output_dir": str(tmp_path)})
    real = [RawPair("I have 3 cats.", "عندي 3 د المشاش.", None, "real:0")]
    synthetic = [
        RawPair("i have 4 cats", "عندي ربعة د المشاش", None, "synthetic:0"),   # near-duplicate
        RawPair("I see the car.", "كنشوف كنشوف كنشوف كنشوف", None, "synthetic:1"),  # a loop
        RawPair("I eat the bread.", "", None, "synthetic:2"),                   # empty
        RawPair("Hello there, how are you doing today my friend?", "سلام", None,
                "synthetic:3"),                                                 # length ratio
        RawPair("Go slowly.", "شوية شوية", None, "synthetic:4"),                 # kept: doubling
        RawPair("I have 3 cats!", "عندي 3 د المشاش", None, "synthetic:5"),       # duplicate
    ]
    seen: set[tuple[str, str]] = set()
    sources: dict[str, str] = {}
    assert len(clean_pairs(real, args, seen, sources).kept) == 1
    result = clean_pairs(synthetic, args, seen, sources)
    assert [p.origin for p in result.kept] == ["synthetic:4"]
    assert result.dropped == {"near_duplicate": 1, "repeated_ngram": 1, "empty": 1,
                              "length_ratio": 1, "duplicate": 1}
    copies = from_mapping(DataArgs, {"output_dir": str(tmp_path), "scripts": {}})
    assert clean_pairs([RawPair("OK then", "ok then", None, "s:0")], copies).dropped == {
        "identical": 1}


def test_weights_scale_each_source_of_the_training_split_the_same_way_every_time() -> None:
    pairs = [RawPair(f"a{i}", f"x{i}", None, f"a:{i}") for i in range(10)]
    pairs += [RawPair(f"b{i}", f"y{i}", None, f"b:{i}") for i in range(8)]
    mixed, report = apply_weights(pairs, {"a": 2.5, "b": 0.5}, seed=7)
    assert report["a"] == {"weight": 2.5, "pairs": 10, "weighted_pairs": 25, "share": 0.8621}
    assert report["b"]["weighted_pairs"] == 4 and len(mixed) == 29
    assert mixed == apply_weights(pairs, {"a": 2.5, "b": 0.5}, seed=7)[0]
    assert mixed != apply_weights(pairs, {"a": 2.5, "b": 0.5}, seed=8)[0]
    with pytest.raises(ConfigError, match="weight of the source s is 0"):
        from_mapping(DataArgs, {"output_dir": "o", "sources": [
            {"path": "s.csv", "source_column": "a", "target_column": "b", "weight": 0}]})


# ----------------------------------------------------------------------------- end to end


def _write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def distill_config(tmp_path: Path, yaml_file: Any, nllb_package: Path) -> Path:
    pairs = parallel_pairs(seed=5)
    real = _write_csv(tmp_path / "real.csv", ["en", "ary"], pairs[:500])
    english = [en for en, _ in pairs[500:560]]
    # Blank lines, a repeat and an over-long line are not sentences to translate.
    (tmp_path / "en.txt").write_text(
        "\n".join([english[0], "", *english, "  ", "word " * 120]) + "\n", encoding="utf-8")
    _write_csv(tmp_path / "ary.csv", ["id", "darija"],
               [(str(i), ary) for i, (_, ary) in enumerate(pairs[600:630])])
    config = tmp_path / "distill.yaml"
    return yaml_file(config, {
        "data": {"sources": [{"path": str(real), "source_column": "en",
                              "target_column": "ary", "name": "real"}],
                 "dev_size": 40, "test_size": 40},
        "train": {**TINY_TRAINING, "scratch_family": "marian", "learning_rate": 3e-3,
                  "max_steps": 40, "eval_steps": 40, "logging_steps": 20,
                  "eval_max_sentences": 20},
        "distill": {
            "teacher": str(nllb_package), "student_config": str(config),
            "monolingual": [
                {"path": str(tmp_path / "en.txt"), "lang": "en", "name": "en"},
                {"path": str(tmp_path / "ary.csv"), "column": "darija", "lang": "ary",
                 "name": "ary"},
            ],
            "block_size": 8, "num_beams": 2, "threads": 1, "replicas_per_device": 2,
            "synthetic_weight": 2.0, "progress_seconds": 0,
        },
    })


def test_distill_end_to_end_sharded_like_one_process(
    cli: Any, distill_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    sharded, single = tmp_path / "sharded", tmp_path / "single"
    base = ["distill", "--config", str(distill_config)]
    # World size 2: only the translate stage runs by default.
    assert cli([*base, "--output-dir", str(sharded), "--rank", "0", "--world-size", "2"]) == 0
    assert not (sharded / "synthetic").exists()
    assert cli([*base, "--output-dir", str(sharded), "--stages", "merge",
                "--world-size", "2"]) == 2
    assert "rank00001-of-00002" in capsys.readouterr().err
    monkeypatch.setenv("RANK", "1")  # as torchrun / accelerate launch set them
    monkeypatch.setenv("WORLD_SIZE", "2")
    with caplog.at_level("INFO", logger="trainer.progress"):
        assert cli([*base, "--output-dir", str(sharded)]) == 0
    assert any("sentences/s, ETA" in r.getMessage() for r in caplog.records)
    monkeypatch.delenv("RANK")
    monkeypatch.delenv("WORLD_SIZE")
    assert cli([*base, "--output-dir", str(sharded), "--stages", "merge",
                "--world-size", "2"]) == 0
    assert cli([*base, "--output-dir", str(single), "--stages", "translate", "merge"]) == 0

    for corpus, count, written in (("en", 60, "ary"), ("ary", 30, "en")):
        merged = (sharded / "synthetic" / f"{corpus}.jsonl").read_bytes()
        assert merged == (single / "synthetic" / f"{corpus}.jsonl").read_bytes()
        rows = [json.loads(line) for line in merged.decode().splitlines()]
        assert [r["index"] for r in rows] == list(range(count))
        assert all(r["synthetic"] == written and r["en"] and r["ary"] for r in rows)
        ranks = [[json.loads(line)["index"] for line in
                  shard_path(sharded / "shards", corpus, Shard(rank, 2)).read_text()
                  .splitlines()] for rank in (0, 1)]
        assert ranks[0][:8] == list(range(8)) and ranks[1][:8] == list(range(8, 16))
        assert sorted(ranks[0] + ranks[1]) == list(range(count))

    # Running the translate stage again finds the finished shard and keeps it.
    before = (single / "shards").stat().st_mtime_ns
    capsys.readouterr()
    assert cli([*base, "--output-dir", str(single), "--stages", "translate"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["translate"]["en"] == {"rows": 60, "resumed": True}
    assert (single / "shards").stat().st_mtime_ns == before

    assert cli([*base, "--output-dir", str(sharded), "--stages", "data", "train",
                "--world-size", "2"]) == 0
    report = json.loads((sharded / "data" / "report.json").read_text(encoding="utf-8"))
    mixing = report["mixing"]
    assert mixing["synthetic-en"]["weight"] == 2.0
    assert mixing["synthetic-en"]["weighted_pairs"] == 2 * mixing["synthetic-en"]["pairs"] > 0
    assert mixing["synthetic-ary"]["pairs"] > 0 and mixing["real"]["weight"] == 1.0
    synthetic = {json.loads(line)["en"] for corpus in ("en", "ary") for line in
                 (sharded / "synthetic" / f"{corpus}.jsonl").read_text().splitlines()}
    for split in ("dev", "test"):  # synthetic pairs never reach the held-out splits
        assert not {e.source for e in read_examples(sharded / "data" / f"{split}.jsonl")} \
            & synthetic
    assert (sharded / "student" / "best" / "config.json").is_file()
    capsys.readouterr()
    assert cli(["train", "--config", str(sharded / "student.yaml"), "--print-config"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["data_dir"] == str(sharded / "data")


def test_distill_mistakes_are_reported(
    cli: Any, distill_config: Path, marian_package: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["distill", "--config", str(distill_config), "--output-dir", str(tmp_path / "o")]
    assert cli([*base, "--teacher", str(marian_package), "--stages", "translate"]) == 2
    assert "does not translate ary-en, which the corpus ary needs" in capsys.readouterr().err
    assert cli([*base, "--stages", "data"]) == 2
    assert "run the translate and merge stages first" in capsys.readouterr().err
    assert cli([*base, "--stages", "distil"]) == 2
    assert "Unknown stage 'distil'" in capsys.readouterr().err
    assert cli([*base, "--monolingual", "[{path: x.csv, lang: en}]"]) == 2
    assert "needs 'column'" in capsys.readouterr().err


def test_the_shipped_distillation_recipe_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    from trainer.config import load_config
    from trainer.distill import DistillArgs, student_train_args

    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)  # the recipe names nano.yaml relative to the repository
    args = load_config(DistillArgs, "distill", root / "trainer/configs/nano-distill.yaml", {})
    assert [m.lang for m in args.monolingual] == ["en", "ary"]
    assert args.student_config == "trainer/configs/nano.yaml" and args.num_beams == 4
    train = student_train_args(args)
    assert train.model_name_or_path == "Helsinki-NLP/opus-mt-en-ar"
    assert train.data_dir == "runs/nano-distill/data"


def test_an_interrupted_shard_continues_after_its_last_finished_block(
    cli: Any, distill_config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from trainer.teacher import Teacher

    translate = Teacher.translate
    calls: list[int] = []

    def dies_on_the_third_block(self: Teacher, sentences: Any, *rest: Any) -> list[str]:
        calls.append(len(sentences))
        if len(calls) == 3:
            raise KeyboardInterrupt  # the machine goes away mid-block
        return translate(self, sentences, *rest)

    base = ["distill", "--config", str(distill_config), "--stages", "translate", "merge"]
    monkeypatch.setattr(Teacher, "translate", dies_on_the_third_block)
    assert cli([*base, "--output-dir", str(tmp_path / "a")]) == 130
    state = json.loads((tmp_path / "a" / "shards" / "en.rank00000-of-00001.jsonl.partial.json")
                       .read_text(encoding="utf-8"))
    assert state["blocks"] == [0, 1] and state["rows"] == 16
    monkeypatch.setattr(Teacher, "translate", translate)
    capsys.readouterr()
    assert cli([*base, "--output-dir", str(tmp_path / "a")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["translate"]["en"]["continued_after_blocks"] == 2
    assert cli([*base, "--output-dir", str(tmp_path / "b")]) == 0
    for corpus in ("en", "ary"):
        assert (tmp_path / "a" / "synthetic" / f"{corpus}.jsonl").read_bytes() == (
            tmp_path / "b" / "synthetic" / f"{corpus}.jsonl").read_bytes()
    assert not list((tmp_path / "a" / "shards").glob("*.partial*"))
