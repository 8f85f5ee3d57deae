"""`terjman translate --input` with the formats and options of issue 17, through the real
command and the tiny Marian model."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.test_cli import is_arabic, terjman


def test_excel_columns_bilingual_and_the_summary(
    marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    book.active.append(["id", "english", "total"])
    book.active.append([1, "I eat the bread.", "=A2*2"])
    book.active["B2"].comment = openpyxl.comments.Comment("A note.", "Teacher")
    source = tmp_path / "words.xlsx"
    book.save(source)
    done = terjman(
        "translate",
        "--model",
        str(marian_package),
        "--input",
        str(source),
        "--column",
        "english",
        "--bilingual",
        "side-by-side",
        home=terjman_home,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Wrote {tmp_path / 'words.ary.xlsx'} (1 parts translated)"
    assert "  Not translated: 1 cell comment." in lines
    sheet = openpyxl.load_workbook(tmp_path / "words.ary.xlsx").active
    assert sheet["B2"].value == "I eat the bread." and is_arabic(sheet["D2"].value)
    assert sheet["C2"].value == "=A2*2"
    subtitles = tmp_path / "x.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,000\nI eat the bread.\n", "utf-8")
    bad = terjman(
        "translate",
        "--model",
        str(marian_package),
        "--input",
        str(subtitles),
        "--bilingual",
        "side-by-side",
        home=terjman_home,
    )
    assert bad.returncode == 2 and "interleaved" in bad.stderr  # what .srt can do


def test_pdf_to_text_says_the_layout_is_lost(
    marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    from tests.core.test_documents_formats import LESSON_PDF, make_pdf

    source = tmp_path / "lesson.pdf"
    source.write_bytes(make_pdf(LESSON_PDF))
    done = terjman(
        "translate",
        "--model",
        str(marian_package),
        "--input",
        str(source),
        "--output",
        str(tmp_path / "lesson.txt"),
        home=terjman_home,
    )
    assert done.returncode == 0, done.stderr
    assert "layout" in done.stdout and "not kept" in done.stdout
    assert is_arabic((tmp_path / "lesson.txt").read_text(encoding="utf-8"))


def test_encodings_are_said_and_kept_when_asked(
    marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    legacy = tmp_path / "notes.txt"
    legacy.write_bytes("I eat the bread at the café.\n".encode("cp1252"))
    # Plain text to standard output: read, and the encoding said on stderr.
    shown = terjman(
        "translate", "--model", str(marian_package), "--input", str(legacy), home=terjman_home
    )
    assert shown.returncode == 0, shown.stderr
    assert "Windows-1252 (detected" in shown.stderr and is_arabic(shown.stdout)
    # As a document: the summary says it; --encoding same cannot hold Darija.
    same = terjman(
        "translate",
        "--model",
        str(marian_package),
        "--input",
        str(legacy),
        "--output",
        str(tmp_path / "out.txt"),
        "--encoding",
        "same",
        home=terjman_home,
    )
    assert same.returncode == 2 and "UTF-8" in same.stderr
    assert not (tmp_path / "out.txt").exists()
    utf16 = tmp_path / "film.srt"
    utf16.write_bytes(
        b"\xff\xfe" + "1\n00:00:01,000 --> 00:00:02,000\nI eat the bread.\n".encode("utf-16-le")
    )
    kept = terjman(
        "translate",
        "--model",
        str(marian_package),
        "--input",
        str(utf16),
        "--encoding",
        "same",
        home=terjman_home,
    )
    assert kept.returncode == 0, kept.stderr
    assert "UTF-16 LE with a byte-order mark (kept)" in kept.stdout
    raw = (tmp_path / "film.ary.srt").read_bytes()
    assert raw.startswith(b"\xff\xfe") and is_arabic(raw[2:].decode("utf-16-le"))
