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

from benchmarks.arabizi import (
    LEXICON_AR,
    LEXICON_LAT,
    RULES_AR,
    RULES_LAT,
    main,
    normalize_arabic,
    score_to_arabic,
    score_to_latin,
)
from benchmarks.arabizi_build import main as build_main
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
    # No DODa: the app as shipped (rules only) is measured, no table can be built.
    assert set(record["results"]["to_arabic"]) == {RULES_AR}
    assert record["tables"] is None
    ours = record["results"]["to_arabic"][RULES_AR]["terjamabench"]
    assert ours["items"] == 2
    assert 0 <= ours["cer"] < 0.5
    assert record["results"]["to_latin"][RULES_LAT]["terjamabench"]["items"] == 2
    classifier = record["results"]["script_classifier"]["terjamabench"]
    assert classifier["items_en"] == classifier["items_ary"] == 2


def test_scores() -> None:
    row = AlignedRow("words", "زرناب", ("zrnab", "zirnab"), "test")  # a made-up word
    perfect = score_to_arabic(lambda latin: "زرناب", [row])
    assert perfect == {"items": 2, "cer": 0.0, "cer_loose": 0.0, "word_accuracy": 1.0, "exact": 1.0}
    # The closest of a word's spellings is the reference for the reading aid.
    assert score_to_latin(lambda arabic: "zirnab", [row])["cer"] == 0.0
    half = score_to_latin(lambda arabic: "zrn", [row])
    assert half["cer"] == 0.4  # 2 of zrnab's 5 letters missing
    assert half["exact"] == 0.0
    # Diacritics and Arabic punctuation do not count; hamza seats count, except when loose.
    assert normalize_arabic("زِرَّناب؟") == "زرناب?"
    loose = score_to_arabic(lambda latin: "أزل", [AlignedRow("words", "ازل", ("azl",), "test")])
    assert loose["cer"] > 0
    assert loose["cer_loose"] == 0


def write_made_up_doda(doda: Path, copies: int = 1) -> Path:
    """A folder of DODa's schema with invented rows (never DODa's own)."""
    doda.mkdir()
    sentence = {"eng": "a made-up sentence", "darija_ar": "زوربي فلانطة", "darija": "zorbi flanta"}
    write_csv(doda / "sentences.csv", [sentence] * copies)
    write_csv(doda / "shorts.csv", [{"darija": "ktablo", "english": "x", "darija_ar": "كطابلو"}])
    write_csv(
        doda / "words_food.csv",
        [{"n1": "lfrnoj", "n2": "frnoj", "n3": "", "n4": "", "darija_ar": "فرنوج", "eng": "y"}],
    )
    write_csv(doda / "words_malenames.csv", [{"name": "korbin", "darija_name": "كوربين"}])
    write_csv(doda / "words_femalenames.csv", [{"name": "zalmira", "name_darija": "زالميرا"}])
    return doda


def test_split_is_fixed_and_grouped(tmp_path: Path) -> None:
    # The same Arabic text (with or without marks) always lands on the same side.
    assert split_of("زرناب") == split_of("زِرْنَاب") == split_of(" زرناب ")
    sides = [split_of(f"كلمة{i}") for i in range(2000)]
    assert 0.6 < sides.count("train") / 2000 < 0.8
    assert 0.15 < sides.count("test") / 2000 < 0.25
    # A DODa-shaped folder of made-up rows (invented words) loads every kind, each row
    # split by its Arabic.
    doda = write_made_up_doda(tmp_path / "doda")
    rows = load_doda(doda)
    assert [(r.kind, r.latin) for r in rows] == [
        ("sentences", ("zorbi flanta",)),
        ("shorts", ("ktablo",)),
        ("names", ("zalmira",)),
        ("words", ("lfrnoj", "frnoj")),
        ("names", ("korbin",)),
    ]
    assert all(r.split == split_of(r.arabic) for r in rows)


def test_tables_are_built_into_the_data_folder_and_used(
    tmp_path: Path, terjman_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``arabizi_build`` writes the optional tables where the app reads them (made-up rows)."""
    doda = tmp_path / "doda"
    doda.mkdir()
    # Made-up sentences whose words the rules spell otherwise, in the train and dev splits.
    rows = [
        {"eng": "x", "darija_ar": f"زوربي فلانطة {tag}", "darija": f"zorbi flanta {latin}"}
        for tag, latin in [("ب", "b"), ("بب", "bb"), ("ببب", "bbb"), ("ك", "k"), ("كك", "kk")]
    ]
    rows = [r for r in rows if split_of(r["darija_ar"]) != "test"]
    assert len(rows) >= 3
    write_csv(doda / "sentences.csv", rows)
    assert build_main(["--doda", str(doda)]) == 0
    folder = terjman_home / "data" / "arabizi"
    lexicon = (folder / "arabizi_lexicon.tsv").read_text(encoding="utf-8")
    assert "CC BY-NC 4.0" in lexicon and "never to be committed" in lexicon
    assert "flanta\tفلانطة\n" in lexicon
    from terjman_desktop.core.translate import arabizi_to_arabic, to_arabizi

    assert arabizi_to_arabic("flanta") == "فلانطة"  # the rules alone: فلانتا
    assert arabizi_to_arabic("flanta", lexicon=False) == "فلانتا"
    assert to_arabizi("زوربي") == "zorbi"  # rules alone: zorbi too, so not in the table
    assert "زوربي" not in (folder / "arabizi_pronunciation.tsv").read_text(encoding="utf-8")
    # The held-out split is refused; a folder that cannot be made is a clear error.
    with pytest.raises(SystemExit):
        build_main(["--doda", str(doda), "--splits", "train,test"])
    assert "held out" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit):
        build_main(["--doda", str(doda), "--out", str(blocker / "tables")])
    assert "is a file" in capsys.readouterr().err


def test_benchmark_measures_the_shipped_rules_and_a_local_lexicon(tmp_path: Path) -> None:
    doda = write_made_up_doda(tmp_path / "doda", copies=3)
    output = tmp_path / "arabizi.json"
    # Every made-up row lands in one split; measure that split so the run has data.
    split = split_of("زوربي فلانطة")
    args = ["--doda", str(doda), "--no-peers", "--split", split, "--output", str(output)]
    assert main(args) == 0
    record = json.loads(output.read_text(encoding="utf-8"))
    assert list(record["results"]["to_arabic"]) == [RULES_AR, LEXICON_AR]
    assert list(record["results"]["to_latin"]) == [RULES_LAT, LEXICON_LAT]
    assert record["tables"]["from"] == "train+dev"
    assert main([*args, "--no-lexicon"]) == 0
    record = json.loads(output.read_text(encoding="utf-8"))
    assert list(record["results"]["to_arabic"]) == [RULES_AR]
