"""``terjman arabizi`` and Arabizi input for ``terjman translate`` (the real tiny NLLB model).

The examples are made up for these tests (none is a DODa row).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from terjman_desktop.cli import main
from terjman_desktop.core.translate import arabizi_to_arabic, to_arabizi


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: bytes | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_arabizi_text_argument(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "arabizi", "wach nta mzyan?")
    assert code == 0
    assert out == "واش نتا مزيان?\n"


def test_arabizi_one_line_out_per_line_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "sme3 had lghnya\r\n\n  3tini lma 3afak\n2024 🙂\nسلام kteb"
    code, out, _ = run(capsys, monkeypatch, "arabizi", stdin=text.encode())
    assert code == 0
    lines = out.split("\n")
    assert lines[-1] == ""  # every line ends with a line break
    assert lines[:-1] == [arabizi_to_arabic(line) for line in text.splitlines()]
    assert lines[1] == ""
    assert lines[2].startswith("  ")
    assert lines[3] == "2024 🙂"
    assert lines[4].startswith("سلام ")


def test_arabizi_reverse(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "واش نتا مزيان؟\nبغيت نمشي"
    code, out, _ = run(capsys, monkeypatch, "arabizi", "--reverse", stdin=text.encode())
    assert code == 0
    assert out == "wach nta mzyan?\nbghit nmchi\n"
    assert out.splitlines() == [to_arabizi(line) for line in text.splitlines()]


def test_arabizi_empty_and_bad_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, monkeypatch, "arabizi", stdin=b"") == (0, "", "")
    code, out, err = run(capsys, monkeypatch, "arabizi", stdin=b"\x00\x01binary\xff")
    assert code == 2
    assert out == ""
    assert err.startswith("terjman: ")
    assert err.count("\n") == 1


def test_translate_finds_arabizi_and_translates_its_arabic_form(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, nllb_package: Path
) -> None:
    typed = "wach nta mzyan?\nbghit lma 3afak a sahbi"
    arabic = arabizi_to_arabic(typed)
    model = ("--model", str(nllb_package))
    code, out, err = run(capsys, monkeypatch, "translate", typed, *model, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["source"], data["target"]) == ("ary", "en")
    assert data["arabizi_input"] == typed
    assert "Darija in Latin letters" in err
    assert "واش نتا مزيان?" in err
    # Exactly what translating the Arabic-script form gives.
    code, direct, err = run(
        capsys, monkeypatch, "translate", arabic, *model, "--from", "ary", "--to", "en", "--json"
    )
    assert code == 0, err
    assert json.loads(direct)["text"] == data["text"]
    assert "arabizi_input" not in json.loads(direct)
    # --from ary-Latn says so outright; --from ary with Latin letters converts too.
    for source in ("ary-Latn", "ary"):
        code, out, err = run(capsys, monkeypatch, "translate", typed, *model, "--from", source)
        assert code == 0, err
        assert out == data["text"] + "\n"


def test_translate_leaves_english_and_an_explicit_from_alone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, nllb_package: Path
) -> None:
    model = ("--model", str(nllb_package))
    code, out, err = run(capsys, monkeypatch, "translate", "I want the tea.", *model, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["source"], data["target"]) == ("en", "ary")
    assert "arabizi_input" not in data
    assert "Latin letters" not in err
    code, out, err = run(
        capsys, monkeypatch, "translate", "wach nta mzyan?", *model, "--from", "en", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["source"], data["text"] != "") == ("en", True)
    assert "arabizi_input" not in data


def test_translate_arabizi_errors(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    marian_package: Path,
    nllb_package: Path,
    tmp_path: Path,
) -> None:
    # The Marian model translates English → Darija only: Arabizi it cannot read.
    code, out, err = run(
        capsys,
        monkeypatch,
        "translate",
        "wach nta mzyan?",
        "--model",
        str(marian_package),
        "--from",
        "ary-Latn",
    )
    assert (code, out) == (2, "")
    assert err.startswith("terjman: ") and "ary" in err
    subtitles = tmp_path / "lesson.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,000\nwach nta mzyan?\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        monkeypatch,
        "translate",
        "--input",
        str(subtitles),
        "--model",
        str(nllb_package),
        "--from",
        "ary-Latn",
    )
    assert (code, out) == (2, "")
    assert "terjman arabizi" in err
    assert not list(tmp_path.glob("lesson.*.srt"))
