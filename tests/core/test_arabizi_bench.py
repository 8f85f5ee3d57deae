"""The transliteration benchmark's data side: TerjamaBench's schema, DODa's split, the run.

TerjamaBench (``atlasia/TerjamaBench``) cannot be downloaded here: the tests write small files
of its schema (``topic``, ``subtopic``, ``Arabizi``, ``English``, ``Darija``,
``annotator_dialect``) with made-up rows, as CSV, JSON lines and Parquet, and run the
benchmark on them.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from benchmarks.arabizi import main, normalize_arabic, score_to_arabic, score_to_latin
from benchmarks.arabizi_data import AlignedRow, load_doda, load_terjamabench, split_of

ROWS = [
    {
        "topic": "daily_life",
        "subtopic": "market",
        "Arabizi": "bghit nchri lkhodra mn souk lhad",
        "English": "I want to buy vegetables at the Sunday market",
        "Darija": "بغيت نشري لخضرة من سوق لحد",
        "annotator_dialect": "casablanca",
    },
    {
        "topic": "dialect_variation",
        "subtopic": "marrakech",
        "Arabizi": "fin ghadi a sahbi?",
        "English": "Where are you going, my friend?",
        "Darija": "فين غادي أ صاحبي؟",
        "annotator_dialect": "marrakech",
    },
    {  # a row with a side missing is left out
        "topic": "x",
        "subtopic": "y",
        "Arabizi": "",
        "English": "nothing",
        "Darija": "والو",
        "annotator_dialect": "",
    },
]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".json", ".parquet"])
def test_load_terjamabench(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"terjamabench{suffix}"
    if suffix == ".csv":
        write_csv(path, ROWS)
    elif suffix == ".jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), "utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(ROWS, ensure_ascii=False), "utf-8")
    else:
        pa = pytest.importorskip("pyarrow")
        parquet = pytest.importorskip("pyarrow.parquet")
        parquet.write_table(pa.Table.from_pylist(ROWS), path)
    rows = load_terjamabench(path)
    assert rows == [
        AlignedRow("terjamabench", r["Darija"], (r["Arabizi"],), "test", r["English"])
        for r in ROWS[:2]
    ]


def test_load_terjamabench_refuses_other_schemas(tmp_path: Path) -> None:
    wrong = write_csv(tmp_path / "other.csv", [{"english": "hi", "ary_Arab": "سلام"}])
    with pytest.raises(ValueError, match="columns missing: Arabizi, Darija"):
        load_terjamabench(wrong)
    with pytest.raises(ValueError, match=r"expected a \.csv"):
        load_terjamabench(tmp_path / "terjamabench.xlsx")


def test_benchmark_runs_on_terjamabench_alone(tmp_path: Path) -> None:
    bench = write_csv(tmp_path / "terjamabench.csv", ROWS)
    output = tmp_path / "arabizi.json"
    assert (
        main(
            [
                "--doda",
                str(tmp_path / "no-doda"),
                "--terjamabench",
                str(bench),
                "--no-peers",
                "--output",
                str(output),
            ]
        )
        == 0
    )
    record = json.loads(output.read_text(encoding="utf-8"))
    assert record["rows"] == {"terjamabench": 2}
    ours = record["results"]["to_arabic"]["terjman (rules + lexicon)"]["terjamabench"]
    assert ours["items"] == 2
    assert 0 <= ours["cer"] < 0.5
    assert record["results"]["to_latin"]["terjman reading aid"]["terjamabench"]["items"] == 2
    classifier = record["results"]["script_classifier"]["terjamabench"]
    assert classifier["items_en"] == classifier["items_ary"] == 2


def test_scores() -> None:
    row = AlignedRow("words", "كتاب", ("ktab", "kitab"), "test")
    perfect = score_to_arabic(lambda latin: "كتاب", [row])
    assert perfect == {"items": 2, "cer": 0.0, "cer_loose": 0.0, "word_accuracy": 1.0, "exact": 1.0}
    # The closest of a word's spellings is the reference for the reading aid.
    assert score_to_latin(lambda arabic: "kitab", [row])["cer"] == 0.0
    half = score_to_latin(lambda arabic: "kt", [row])
    assert half["cer"] == 0.5
    assert half["exact"] == 0.0
    # Diacritics and Arabic punctuation do not count; hamza seats count, except when loose.
    assert normalize_arabic("كِتَّاب؟") == "كتاب?"
    loose = score_to_arabic(lambda latin: "أكل", [AlignedRow("words", "اكل", ("akl",), "test")])
    assert loose["cer"] > 0
    assert loose["cer_loose"] == 0


def test_split_is_fixed_and_grouped(tmp_path: Path) -> None:
    # The same Arabic text (with or without marks) always lands on the same side.
    assert split_of("كتاب") == split_of("كِتَاب") == split_of(" كتاب ")
    sides = [split_of(f"كلمة{i}") for i in range(2000)]
    assert 0.6 < sides.count("train") / 2000 < 0.8
    assert 0.15 < sides.count("test") / 2000 < 0.25
    # A DODa-shaped folder of made-up rows loads every kind, each row split by its Arabic.
    doda = tmp_path / "doda"
    doda.mkdir()
    write_csv(doda / "sentences.csv", [{"eng": "hi", "darija_ar": "سلام", "darija": "slam"}])
    write_csv(doda / "shorts.csv", [{"darija": "ktbt", "english": "I wrote", "darija_ar": "كتبت"}])
    write_csv(
        doda / "words_food.csv",
        [{"n1": "lkhobz", "n2": "khobz", "n3": "", "n4": "", "darija_ar": "خبز", "eng": "bread"}],
    )
    write_csv(doda / "words_malenames.csv", [{"name": "karim", "darija_name": "كريم"}])
    write_csv(doda / "words_femalenames.csv", [{"name": "salma", "name_darija": "سلمى"}])
    rows = load_doda(doda)
    assert [(r.kind, r.latin) for r in rows] == [
        ("sentences", ("slam",)),
        ("shorts", ("ktbt",)),
        ("names", ("salma",)),
        ("words", ("lkhobz", "khobz")),
        ("names", ("karim",)),
    ]
    assert all(r.split == split_of(r.arabic) for r in rows)
