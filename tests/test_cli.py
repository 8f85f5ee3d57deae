"""The ``terjman`` command, run as a real subprocess like a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def terjman(*args: str, stdin: str | None = None, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TERJMAN_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "terjman_desktop.cli", *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
        check=False,
    )


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def test_version_and_help(terjman_home: Path) -> None:
    from terjman_desktop import __version__

    result = terjman("--version", home=terjman_home)
    assert result.returncode == 0
    assert result.stdout.strip() == f"terjman {__version__}"
    helped = terjman("translate", "--help", home=terjman_home)
    assert helped.returncode == 0
    assert "--alternatives" in helped.stdout


def test_translate_text_argument(marian_package: Path, terjman_home: Path) -> None:
    result = terjman("translate", "I eat the bread.", "--model", str(marian_package),
                     home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert is_arabic(result.stdout)
    assert result.stdout.count("\n") == 1


def test_translate_standard_input_keeps_paragraphs(nllb_package: Path, terjman_home: Path) -> None:
    text = "كناكل الخبز.\n\nشكرا بزاف!\n"
    result = terjman("translate", "--model", str(nllb_package), "--from", "ary", "--to", "en",
                     stdin=text, home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n\n") == 1
    assert not is_arabic(result.stdout)


def test_translate_json_with_alternatives(nllb_package: Path, terjman_home: Path) -> None:
    result = terjman("translate", "I want the tea. She eats the bread.", "--model",
                     str(nllb_package), "--json", "--alternatives", "2", "--beam", "4",
                     home=terjman_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["model"] == "tiny-nllb-f32"
    assert (data["source"], data["target"]) == ("en", "ary")
    assert len(data["sentences"]) == 2
    for sentence in data["sentences"]:
        assert 1 <= len(sentence["alternatives"]) <= 2
        assert all(isinstance(a["score"], float) for a in sentence["alternatives"])
    assert data["text"] == " ".join(s["alternatives"][0]["text"] for s in data["sentences"])


def test_translate_file_to_file(marian_package: Path, terjman_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "lesson.txt"
    source.write_text("\ufeffI eat the bread.\n\n- We want the car.\n", encoding="utf-8")
    output = tmp_path / "lesson.ary.txt"
    result = terjman("translate", "--model", str(marian_package), "--input", str(source),
                     "--output", str(output), home=terjman_home)
    assert result.returncode == 0, result.stderr
    translated = output.read_text(encoding="utf-8")
    lines = translated.split("\n")
    assert is_arabic(lines[0]) and lines[1] == "" and lines[2].startswith("- ")
    again = terjman("translate", "--model", str(marian_package), "--input", str(source),
                    "--output", str(output), home=terjman_home)
    assert again.returncode == 2
    assert "--overwrite" in again.stderr
    assert output.read_text(encoding="utf-8") == translated


def test_installed_model_by_id(marian_package: Path, terjman_home: Path) -> None:
    import shutil

    shutil.copytree(marian_package, terjman_home / "data" / "models" / "tiny-marian-f32")
    result = terjman("translate", "I eat the bread.", "--model", "tiny-marian-f32",
                     home=terjman_home)
    assert result.returncode == 0, result.stderr
    assert is_arabic(result.stdout)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["translate", "hi", "--model", "no-such-model"], "No model folder or installed model"),
        (["translate", "hi", "--model", "{pkg}", "--from", "ary"], "cannot translate"),
        (["translate", "--model", "{pkg}", "--input", "{missing}"], "does not exist"),
        (["translate", "--model", "{pkg}", "--input", "{binary}"], "looks like a binary file"),
        (["translate", "--model", "{pkg}", "--input", "{folder}"], "is a folder"),
        (["translate", "hi", "--model", "{folder}"], "terjman-model.json is missing"),
        (["translate", "hi", "--model", "{pkg}", "--input", "{binary}"], "not both"),
    ],
)
def test_user_errors_exit_2_with_one_line(
    args: list[str], message: str, marian_package: Path, terjman_home: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)))
    names = {"pkg": str(marian_package), "missing": str(tmp_path / "nope.txt"),
             "binary": str(binary), "folder": str(tmp_path)}
    result = terjman(*(a.format(**names) for a in args), home=terjman_home)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("terjman: ")
    assert result.stderr.count("\n") == 1
    assert message in result.stderr


def test_bad_arguments_are_usage_errors(terjman_home: Path) -> None:
    result = terjman("translate", "hi", "--model", "x", "--beam", "0", home=terjman_home)
    assert result.returncode == 2
    assert "must be at least 1" in result.stderr


def test_translate_documents(marian_package: Path, terjman_home: Path, tmp_path: Path) -> None:
    subtitles = tmp_path / "film.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,500\nI eat the bread.\n\n"
                         "2\n00:00:03,000 --> 00:00:04,000\nShe wants the tea!\n", "utf-8")
    result = terjman("translate", "--model", str(marian_package), "--input", str(subtitles),
                     home=terjman_home)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "film.ary.srt"
    assert result.stdout.splitlines()[0] == f"Wrote {written} (2 parts translated)"
    assert "Encoding: UTF-8 (kept)." in result.stdout  # the summary says how it was read
    lines = written.read_text("utf-8").splitlines()
    assert lines[:2] == ["1", "00:00:01,000 --> 00:00:02,500"]
    assert is_arabic(lines[2])
    again = terjman("translate", "--model", str(marian_package), "--input", str(subtitles),
                    home=terjman_home)
    assert again.returncode == 2
    assert "exists" in again.stderr

    table = tmp_path / "words.csv"
    table.write_text("id,english\n1,I eat the bread.\n2,\"We want the car, now.\"\n", "utf-8")
    done = terjman("translate", "--model", str(marian_package), "--input", str(table),
                   "--column", "1", "--output", str(tmp_path / "out.csv"), home=terjman_home)
    assert done.returncode == 0, done.stderr
    rows = (tmp_path / "out.csv").read_text("utf-8-sig").splitlines()
    assert rows[0] == "id,english,english (ary)"  # the translation beside its source
    assert rows[1].startswith("1,I eat the bread.,") and is_arabic(rows[1])
    bad = terjman("translate", "--model", str(marian_package), "--input", str(table),
                  "--column", "nope", "--output", str(tmp_path / "x.csv"), home=terjman_home)
    assert bad.returncode == 2
    assert "english" in bad.stderr  # lists the columns there are
    json_doc = terjman("translate", "--model", str(marian_package), "--input", str(table),
                       "--json", home=terjman_home)
    assert json_doc.returncode == 2
