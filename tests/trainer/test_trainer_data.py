"""`trainer data`: reading, normalization, cleaning rules, split leakage, both directions,
the report — on crafted pairs, on Hugging Face datasets read from local folders, and on DODa."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from trainer.cleaning import REASONS, clean_pairs
from trainer.config import from_mapping
from trainer.corpus import RawPair, SourceSpec, load_pairs, read_examples
from trainer.data import DataArgs, check_no_leakage, prepare, remove_leaks
from trainer.errors import DataError
from trainer.normalization import ArabicNormalization, match_key, normalize_text, script_share

DODA = Path(__file__).resolve().parents[3] / "shared" / "data" / "doda" / "sentences.csv"


def data_args(tmp_path: Path, **values: Any) -> DataArgs:
    return from_mapping(DataArgs, {"output_dir": str(tmp_path / "out"), **values})


def write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


# ----------------------------------------------------------------------------- normalization


def test_unicode_and_invisible_characters() -> None:
    decomposed = "cafe\u0301"  # e + combining acute
    assert normalize_text(f"  {decomposed}\u200b  au\u00a0lait\n") == "café au lait"
    assert normalize_text("\u200fسلام\u200e") == "سلام"


def test_arabic_rules_are_switches() -> None:
    text = "أنا كنبغـــي الْقَهْوَة ى ی ک ٣"
    default = normalize_text(text, ArabicNormalization())
    assert default == "أنا كنبغي القهوة ى ي ك ٣"  # tatweel, diacritics, keyboard variants
    everything = ArabicNormalization(alef=True, taa_marbuta=True, alef_maqsura=True,
                                     western_digits=True)
    assert normalize_text(text, everything) == "انا كنبغي القهوه ي ي ك 3"
    nothing = ArabicNormalization(keyboard_variants=False, tatweel=False, diacritics=False)
    assert normalize_text(text, nothing) == text
    assert normalize_text("Hello, World", everything) == "Hello, World"


def test_script_share_and_match_key() -> None:
    assert script_share("كناكل الخبز", "arabic") == 1.0
    assert script_share("I eat", "latin") == 1.0
    assert script_share("Salam كيداير", "arabic") == pytest.approx(6 / 11)
    assert script_share("123 !", "latin") is None
    assert match_key("Hello,  WORLD!") == match_key("hello world") == "hello world"


# ----------------------------------------------------------------------------- cleaning


def test_every_rule_is_counted_with_examples(tmp_path: Path) -> None:
    args = data_args(tmp_path)
    pairs = [
        ("I eat the bread.", "كناكل الخبز."),                  # kept
        ("I eat the bread!", "كناكل الخبز"),                   # duplicate (punctuation only)
        ("", "كناكل"),                                          # empty
        ("2024", "2024"),                                       # no_letters
        ("I eat the bread.", "kanakol lkhobz."),                # wrong_script (Arabizi)
        ("كناكل الخبز", "كناكل الخبز"),                        # wrong_script (source side)
        ("word " * 120, "كلمة " * 120),                         # too_long
        ("Hello there, how are you doing today my friend?", "سلام"),  # length_ratio
    ]
    raw = [RawPair(s, t, None, f"crafted:{i}") for i, (s, t) in enumerate(pairs)]
    result = clean_pairs(raw, args)
    assert [p.origin for p in result.kept] == ["crafted:0"]
    assert result.dropped == {"duplicate": 1, "empty": 1, "no_letters": 1, "wrong_script": 2,
                              "too_long": 1, "length_ratio": 1}
    assert sum(result.dropped.values()) + len(result.kept) == result.read == len(pairs)
    assert result.samples["wrong_script"][0]["target"] == "kanakol lkhobz."
    assert result.dropped_by_source["crafted"]["wrong_script"] == 2


def test_identical_pairs_are_dropped_when_scripts_allow_it(tmp_path: Path) -> None:
    args = data_args(tmp_path, scripts={})
    result = clean_pairs([RawPair("OK", "ok", None, "s:0")], args)
    assert result.dropped == {"identical": 1}


# ----------------------------------------------------------------------------- splits


def test_leaks_are_removed_and_the_final_check_catches_any(tmp_path: Path) -> None:
    test = [RawPair("Thank you!", "شكرا!", None, "t:0")]
    train = [
        RawPair("thank you", "شكرا بزاف", None, "a:0"),  # same source as a test pair
        RawPair("Thanks a lot", "شكرا", None, "a:1"),    # same target as a test pair
        RawPair("Good night", "تصبح على خير", None, "a:2"),
    ]
    kept, removed = remove_leaks(train, test)
    assert removed == 2 and [p.origin for p in kept] == ["a:2"]
    with pytest.raises(DataError, match="train and test splits share 1 sentence"):
        check_no_leakage({"train": train[:1], "test": test})


def test_prepare_writes_splits_in_both_directions_and_a_report(
    tmp_path: Path, corpus_csv: Path
) -> None:
    # A duplicated source with two translations: wherever it lands, it must not leak.
    extra = write_csv(tmp_path / "extra.csv", ["english", "darija", "topic"], [
        ("Hello, how are you?", "لاباس عليك؟", "greetings"),
        ("Where is the market?", "فين السوق؟", "places"),
    ])
    args = data_args(
        tmp_path, bidirectional=True, dev_size=0.1, test_size=150,
        sources=[{"path": str(corpus_csv), "source_column": "en", "target_column": "ary"},
                 {"path": str(extra), "source_column": "english", "target_column": "darija",
                  "topic_column": "topic", "name": "extra"}],
    )
    report = prepare(args)
    out = Path(args.output_dir)
    splits = {name: read_examples(out / f"{name}.jsonl") for name in ("train", "dev", "test")}
    assert len(splits["test"]) == 2 * 150
    for examples in splits.values():
        forward = [e for e in examples if e.direction == "en-ary"]
        reverse = [e for e in examples if e.direction == "ary-en"]
        assert len(forward) == len(reverse)
        assert {(e.source, e.target) for e in forward} == {(e.target, e.source) for e in reverse}
    for held in ("dev", "test"):
        held_sentences = {match_key(e.source) for e in splits[held]}
        assert not held_sentences & {match_key(e.source) for e in splits["train"]}
    assert report["splits"]["train"]["examples"] == len(splits["train"])
    assert report["directions"] == ["en-ary", "ary-en"]
    saved = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(saved["dropped"]) == set(REASONS)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "## Dropped pairs" in markdown and "Leakage check" in markdown
    assert (out / "data_args.json").is_file()
    with pytest.raises(DataError, match="--overwrite"):
        prepare(args)


def test_a_fixed_test_set_keeps_its_topics_and_is_removed_from_training(
    tmp_path: Path, corpus_csv: Path
) -> None:
    from trainer.synthetic_corpus import parallel_pairs

    bench_pairs = parallel_pairs(limit=30, seed=5)
    bench = write_csv(tmp_path / "bench.csv", ["English", "Darija", "topic"],
                      [(en, ary, "food" if i % 2 else "phrases")
                       for i, (en, ary) in enumerate(bench_pairs)])
    args = data_args(
        tmp_path, dev_size=50,
        sources=[{"path": str(corpus_csv), "source_column": "en", "target_column": "ary"}],
        test_sources=[{"path": str(bench), "source_column": "English",
                       "target_column": "Darija", "topic_column": "topic"}],
    )
    report = prepare(args)
    test = read_examples(Path(args.output_dir) / "test.jsonl")
    assert len(test) == 30 and {e.topic for e in test} == {"food", "phrases"}
    train = read_examples(Path(args.output_dir) / "train.jsonl")
    assert not {e.source for e in train} & {en for en, _ in bench_pairs}
    assert report["test_set"]["kind"].startswith("fixed (test_sources), verbatim")
    assert (report["test_set"]["rows"], report["test_set"]["skipped_empty"]) == (30, 0)


# ----------------------------------------------------------------------------- reading


def test_jsonl_with_nested_columns_and_tsv(tmp_path: Path) -> None:
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text(json.dumps({"translation": {"en": "Hi", "ary": "سلام"}}) + "\n\n",
                     encoding="utf-8")
    spec = SourceSpec(path=str(jsonl), source_column="translation.en",
                      target_column="translation.ary")
    assert load_pairs(spec) == [RawPair("Hi", "سلام", None, "pairs:0")]
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text('en\tary\nHe said "hi\tقال "سلام\n', encoding="utf-8")  # stray quotes
    pairs = load_pairs(SourceSpec(path=str(tsv), source_column="en", target_column="ary"))
    assert pairs[0].source == 'He said "hi'


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        (b'{"en": 1' + b"0" * 5000 + b"}", "integer of 5001 digits"),
        (b'{"en": "a", "en": "b"}', "twice"),
        (b'["en", "ary"]', "is not a JSON object"),
    ],
    ids=["deep nesting", "a 5000-digit integer", "a duplicate key", "a list"],
)
def test_hostile_jsonl_lines_are_data_errors(tmp_path: Path, line: bytes, message: str) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_bytes(b'{"en": "Hi", "ary": "x"}\n' + line + b"\n")
    with pytest.raises(DataError, match=rf"pairs\.jsonl:2 .*{message}"):
        load_pairs(SourceSpec(path=str(path), source_column="en", target_column="ary"))


def test_a_wrong_column_lists_the_real_ones(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", ["eng", "darija_ar"], [("Hi", "سلام")])
    with pytest.raises(DataError, match="no column 'english'; its columns are eng, darija_ar"):
        load_pairs(SourceSpec(path=str(path), source_column="english",
                              target_column="darija_ar"))
    (tmp_path / "d.xlsx").write_bytes(b"PK")
    with pytest.raises(DataError, match=r"unknown file type '\.xlsx'"):
        load_pairs(SourceSpec(path=str(tmp_path / "d.xlsx"), source_column="a",
                              target_column="b"))
    with pytest.raises(DataError, match="does not exist"):
        load_pairs(SourceSpec(path=str(tmp_path / "nope.csv"), source_column="a",
                              target_column="b"))


def test_hugging_face_datasets_from_a_local_dataset_folder(tmp_path: Path) -> None:
    """`dataset:` goes through datasets.load_dataset, here on a local dataset repository."""
    repo = tmp_path / "darija_english"
    repo.mkdir()
    write_csv(repo / "train.csv", ["english", "darija"],
              [("I eat the bread.", "كناكل الخبز."), ("See you tomorrow.", "نتلاقاو غدا.")])
    write_csv(repo / "test.csv", ["english", "darija"], [("Good night.", "تصبح على خير.")])
    spec = SourceSpec(dataset=str(repo), split="test", source_column="english",
                      target_column="darija", limit=10)
    assert [p.source for p in load_pairs(spec)] == ["Good night."]
    with pytest.raises(DataError, match="cannot be read"):
        load_pairs(SourceSpec(dataset=str(repo), split="validation", source_column="english",
                              target_column="darija"))


# ----------------------------------------------------------------------------- DODa


@pytest.mark.skipif(not DODA.is_file(), reason="DODa is not in ../shared/data/doda")
def test_doda_prepares_cleanly(tmp_path: Path) -> None:
    args = data_args(
        tmp_path, bidirectional=True, dev_size=300, test_size=500,
        sources=[{"path": str(DODA), "source_column": "eng", "target_column": "darija_ar",
                  "name": "doda"}],
    )
    report = prepare(args)
    assert report["read"] >= 11_000
    assert report["kept"] >= 0.95 * report["read"]
    assert report["splits"]["test"]["pairs"] == 500
    assert report["dropped"]["wrong_script"] == 0  # eng is Latin, darija_ar Arabic
    out = Path(args.output_dir)
    train, test = (read_examples(out / f"{n}.jsonl") for n in ("train", "test"))
    held = {match_key(e.target) for e in test if e.direction == "en-ary"}
    assert not held & {match_key(e.target) for e in train if e.direction == "en-ary"}
    # The Arabizi column is the wrong script for Darija in Arabic script: all dropped.
    arabizi = data_args(tmp_path / "arabizi", sources=[
        {"path": str(DODA), "source_column": "eng", "target_column": "darija", "limit": 200}])
    with pytest.raises(DataError, match="No training pairs"):
        prepare(arabizi)


# ----------------------------------------------------------------------------- ATAM


def _atam_entry(config: str) -> dict[str, Any]:
    from trainer.config import config_section, read_config_file

    path = Path(__file__).resolve().parents[2] / "trainer" / "configs" / config
    data = config_section(read_config_file(path), "data", str(path))
    (entry,) = [s for s in data["sources"] if s.get("name") == "atam"]
    return dict(entry)


@pytest.mark.parametrize("config", ["nano.yaml", "large.yaml", "ultra.yaml", "supreme.yaml"])
def test_the_recipes_read_atam_with_an_explicit_mapping(tmp_path: Path, config: str) -> None:
    """ATAM's schema is assumed (english/darija): a local dataset of that schema reads."""
    entry = _atam_entry(config)
    assert entry["dataset"] == "atlasia/ATAM" and entry["split"] == "train"
    assert {"source_column", "target_column"} <= set(entry)
    folder = tmp_path / "ATAM"
    folder.mkdir()
    write_csv(folder / "train.csv", [entry["source_column"], entry["target_column"], "id"],
              [("Good morning.", "صباح الخير.", "1"), ("Thank you.", "شكرا.", "2")])
    pairs = load_pairs(SourceSpec(**{**entry, "dataset": str(folder)}))
    assert [(p.source, p.target, p.origin) for p in pairs] == [
        ("Good morning.", "صباح الخير.", "atam:0"), ("Thank you.", "شكرا.", "atam:1")]


def test_a_missing_atam_column_stops_with_the_columns_it_has(tmp_path: Path) -> None:
    entry = _atam_entry("nano.yaml")
    folder = tmp_path / "ATAM"
    folder.mkdir()
    # Another schema: the dataset's columns are checked before any row is read.
    write_csv(folder / "train.csv", ["en", "ary_Arab", "source"], [("Hi", "سلام", "web")])
    with pytest.raises(DataError, match="atam: there is no column 'english'; its columns are "
                                        "en, ary_Arab, source") as error:
        load_pairs(SourceSpec(**{**entry, "dataset": str(folder)}))
    assert error.value.hint and "source_column/target_column" in error.value.hint
    args = data_args(tmp_path, sources=[{**entry, "dataset": str(folder)}])
    with pytest.raises(DataError, match="its columns are en, ary_Arab, source"):
        prepare(args)
    assert not (tmp_path / "out").exists()  # nothing written
