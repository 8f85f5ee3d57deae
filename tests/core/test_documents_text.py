"""Text documents end to end with the real tiny model: subtitles' markup, CSV tables, and
files in any encoding (issue 17, defects 3 to 5), plus their bilingual copies."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from terjman_desktop.core.documents import srt
from terjman_desktop.core.documents.prepared import PrepareOptions
from terjman_desktop.core.documents.registry import translate_file
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions

EN_ARY = Direction("en", "ary")
FAST = TranslationOptions.for_quality("fast")
TAG = re.compile(r"</?(?:[ibus]|font)(?:\s[^<>]*)?>|\{\\[^{}]*\}", re.IGNORECASE)


@pytest.fixture(scope="module")
def marian(marian_package: Path) -> Translator:
    return Translator(marian_package, device="cpu", threads=1)


def arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


# ----------------------------------------------------------------------------- subtitles

CUES = (
    "1\n00:00:01,000 --> 00:00:03,000\nThe answer is 2<3,5>1 today.\n\n"
    "2\n00:00:04,000 --> 00:00:06,000\n2<3,5>1\n\n"
    "3\n00:00:07,000 --> 00:00:09,000\nI want <i>the tea</i> now.\n\n"
    "4\n00:00:10,000 --> 00:00:12,000\n<b>I drink the tea now,</b>\nand she likes the oranges.\n\n"
    '5\n00:00:13,000 --> 00:00:15,000\n<font color="#ff0000">I like the bread</font>\n'
    "<u>and he wants the water tomorrow.</u>\n\n"
    "6\n00:00:16,000 --> 00:00:18,000\n{\\an8}<i>I want the tea.</i>\n"
)


def cue_lines(text: str) -> list[list[str]]:
    return [block.split("\n")[2:] for block in text.strip("\n").split("\n\n")]


def test_only_real_markup_is_markup_and_every_tag_is_kept(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "film.srt"
    source.write_text(CUES, encoding="utf-8")
    prepared = srt.prepare_srt(source, PrepareOptions("ary"))
    # "2<3,5>1" is text the model sees, not a tag taken out of it.
    assert prepared.units[0] == "The answer is 2<3,5>1 today."
    assert prepared.units[2] == "I want the tea now."  # tags are not sent to the model
    out = translate_file(source, None, marian, EN_ARY, FAST).path.read_text(encoding="utf-8")
    before, after = cue_lines(CUES), cue_lines(out)
    assert after[1] == ["2<3,5>1"]  # nothing to translate: byte for byte
    for old, new in zip(before, after, strict=True):
        # Every tag, in the same order (none dropped, none added), and balanced per cue.
        assert TAG.findall("\n".join(new)) == TAG.findall("\n".join(old)), (old, new)
        assert len(new) == len(old)
    # Tags that open the first line and close the last stay there.
    assert after[3][0].startswith("<b>") and arabic(after[3][1])
    assert after[5][0].startswith("{\\an8}<i>") and after[5][0].endswith("</i>")
    # A tag inside a line stays inside, around some of the translation's words.
    inner = after[2][0]
    assert not inner.startswith("<i>") and re.search(r"<i>\S.*</i>", inner), inner


def test_inner_tags_follow_their_words_when_rewrapped() -> None:
    parsed = srt._parse_group(["I want <i>the tea</i> now.", "<u>She likes it.</u>"])
    assert parsed.text == "I want the tea now. She likes it."
    # Eight words into two lines: the tags keep their relative places and their words.
    lines = srt._translated_lines(parsed, "a b c d e f g h", 2)
    assert lines == ["a b <i>c d</i>", "e <u>f g h</u>"]
    # A translation shorter than the lines: fewer lines, and still every tag in order.
    lines = srt._translated_lines(parsed, "one", 2)
    assert len(lines) == 1 and TAG.findall(lines[0]) == ["<i>", "</i>", "<u>", "</u>"]


def test_pysrt_style_capability_cue_keeps_its_markup(marian: Translator, tmp_path: Path) -> None:
    # The cue of pysrt's capability tester that lost "<3,5>" and its tags.
    cue = (
        "1\n00:00:17,501 --> 00:00:20,500\n"
        "<u>This text should be showed underlined without problems also: 2<3,5>1,4<6</u>\n"
        "This shouldn't be underlined\n"
    )
    source = tmp_path / "caps.srt"
    source.write_text(cue, encoding="utf-8")
    out = translate_file(source, None, marian, EN_ARY, FAST).path.read_text(encoding="utf-8")
    lines = out.split("\n")
    assert lines[2].startswith("<u>") and "</u>" in out
    assert TAG.findall(out) == ["<u>", "</u>"]


def test_srt_bilingual_interleaved(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "film.srt"
    source.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n<i>I want the tea.</i>\n\n"
        "2\n00:00:04,000 --> 00:00:06,000\n2024\n",
        encoding="utf-8",
    )
    out = translate_file(source, None, marian, EN_ARY, FAST, bilingual="interleaved").path
    cues = cue_lines(out.read_text(encoding="utf-8"))
    assert cues[0][0] == "<i>I want the tea.</i>"  # the source line, then its translation
    assert cues[0][1].startswith("<i>") and arabic(cues[0][1]) and len(cues[0]) == 2
    assert cues[1] == ["2024"]
    with pytest.raises(InputError, match="side_by_side") as info:
        translate_file(source, tmp_path / "x.srt", marian, EN_ARY, FAST, bilingual="side_by_side")
    assert "interleaved" in (info.value.hint or "")


# ----------------------------------------------------------------------------- CSV


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


@pytest.mark.parametrize("mark", [";", "|"])
def test_one_column_csv_with_a_separator_in_its_text(
    marian: Translator, tmp_path: Path, mark: str
) -> None:
    # Only the part before ";" or "|" was translated; the rest stayed English, silently.
    source = tmp_path / "sentences.csv"
    source.write_text(
        f"sentence\nI want the tea{mark} she likes the oranges.\n"
        "I like the bread.\nHe wants the water tomorrow.\n",
        encoding="utf-8",
    )
    out = translate_file(source, None, marian, EN_ARY, FAST, column_mode="replace").path
    rows = read_rows(out)
    assert [len(row) for row in rows] == [1, 1, 1, 1]
    assert all(arabic(row[0]) for row in rows[1:])
    assert "oranges" not in out.read_text(encoding="utf-8-sig")


def test_space_after_a_closing_quote_is_accepted_like_pythons_csv(
    marian: Translator, tmp_path: Path
) -> None:
    text = 'id,english,note\n1,"I want the tea." ,x\n2,"I like the bread."  \n'
    assert list(csv.reader(io.StringIO(text))) == [
        ["id", "english", "note"],
        ["1", "I want the tea. ", "x"],
        ["2", "I like the bread.  "],
    ]
    source = tmp_path / "spaced.csv"
    source.write_text(text, encoding="utf-8")
    rows = read_rows(translate_file(source, None, marian, EN_ARY, FAST, column="english").path)
    assert rows[0] == ["id", "english", "english (ary)", "note"]
    assert rows[1][1] == "I want the tea. " and arabic(rows[1][2]) and rows[1][3] == "x"
    assert arabic(rows[2][2])
    junk = tmp_path / "junk.csv"
    junk.write_text('text\n"closed" junk\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"Line 2 .*after a closing quote"):
        translate_file(junk, None, marian, EN_ARY, FAST, column=0)


def test_csv_translation_goes_in_a_new_column_beside_the_source(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "words.csv"
    source.write_text(
        'id,english,note\r\n1,"I want the tea, now.",a\r\n2,2024,b\r\n3\r\n4,,c\r\n',
        encoding="utf-8",
    )
    result = translate_file(source, None, marian, EN_ARY, FAST, column="english")
    raw = result.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads the Arabic as UTF-8
    rows = read_rows(result.path)
    assert rows[0] == ["id", "english", "english (ary)", "note"]
    assert rows[1][:2] == ["1", "I want the tea, now."] and arabic(rows[1][2])
    assert rows[1][3] == "a" and rows[2] == ["2", "2024", "2024", "b"]
    assert rows[3] == ["3"] and rows[4] == ["4", "", "", "c"]
    assert result.units == 1 and "\r\n" in raw.decode("utf-8-sig")


# ----------------------------------------------------------------------------- encodings

LESSON = "I want the tea.\r\nShe likes the café.\r\n"
ENCODINGS = {
    "UTF-16 LE BOM": ("utf-16-le", b"\xff\xfe"),
    "UTF-16 BE BOM": ("utf-16-be", b"\xfe\xff"),
    "UTF-32 LE BOM": ("utf-32-le", b"\xff\xfe\x00\x00"),
    "UTF-32 BE BOM": ("utf-32-be", b"\x00\x00\xfe\xff"),
    "UTF-8 BOM": ("utf-8", b"\xef\xbb\xbf"),
    "Windows-1252": ("cp1252", b""),  # what Notepad and older Excel write
}
BODIES = {
    ".txt": LESSON,
    ".srt": "1\r\n00:00:01,000 --> 00:00:02,000\r\n" + LESSON,
    ".csv": "english\r\n" + LESSON,
}


@pytest.mark.parametrize("suffix", BODIES)
@pytest.mark.parametrize(("codec", "bom"), ENCODINGS.values(), ids=ENCODINGS.keys())
def test_every_encoding_is_read_and_said(
    marian: Translator, tmp_path: Path, codec: str, bom: bytes, suffix: str
) -> None:
    # UTF-16/UTF-32 and Windows-1252 were refused, each with its own message.
    source = tmp_path / f"lesson{suffix}"
    source.write_bytes(bom + BODIES[suffix].encode(codec))
    result = translate_file(source, None, marian, EN_ARY, FAST, column_mode="replace")
    assert result.encoding is not None and result.encoding.codec == codec
    assert result.encoding.detected == (not bom)
    summary = " ".join(result.summary())
    assert result.encoding.name in summary
    assert ("detected" in summary) == (not bom)
    written = result.path.read_bytes().decode("utf-8-sig")  # UTF-8 by default
    assert written.count("\r\n") == BODIES[suffix].count("\r\n")
    assert arabic(written) and "café" not in written


def test_output_in_the_inputs_encoding_when_asked(marian: Translator, tmp_path: Path) -> None:
    utf16 = tmp_path / "notes.txt"
    utf16.write_bytes(b"\xfe\xff" + "I want the tea.\n".encode("utf-16-be"))
    result = translate_file(utf16, None, marian, EN_ARY, FAST, output_encoding="same")
    raw = result.path.read_bytes()
    assert raw.startswith(b"\xfe\xff") and arabic(raw[2:].decode("utf-16-be"))
    assert result.output_encoding == result.encoding
    # Windows-1252 cannot hold Darija: refused before any translation, UTF-8 suggested.
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("I like the café.\n".encode("cp1252"))
    with pytest.raises(InputError, match="cannot hold the translation") as info:
        translate_file(legacy, None, marian, EN_ARY, FAST, output_encoding="same")
    assert "UTF-8" in (info.value.hint or "")
    assert not (tmp_path / "legacy.ary.txt").exists()
    # The default writes UTF-8 and says the input's encoding was detected.
    done = translate_file(legacy, None, marian, EN_ARY, FAST)
    assert "Windows-1252 (detected" in " ".join(done.summary())
    assert arabic(done.path.read_text(encoding="utf-8"))


def test_windows_arabic_is_read_for_the_reverse_direction(
    nllb_package: Path, tmp_path: Path
) -> None:
    source = tmp_path / "darija.txt"
    source.write_bytes("بغيت نشرب أتاي مع صحابي.\n".encode("cp1256"))
    nllb = Translator(nllb_package, device="cpu", threads=1)
    result = translate_file(
        source, None, nllb, Direction("ary", "en"), FAST, output_encoding="same"
    )
    assert result.encoding is not None and result.encoding.codec == "cp1256"
    result.path.read_bytes().decode("cp1256")  # written back in Windows-1256


def test_subtitle_hint_never_mentions_excel(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "film.srt"
    source.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(InputError) as info:
        translate_file(source, None, marian, EN_ARY, FAST)
    assert "Excel" not in str(info.value) and "subtitle" in str(info.value)


def test_txt_bilingual_interleaved(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.txt"
    source.write_text("I want the tea.\n\n2024\nI like the bread.", encoding="utf-8")
    out = translate_file(source, None, marian, EN_ARY, FAST, bilingual="interleaved").path
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "I want the tea." and arabic(lines[1])
    assert lines[2:4] == ["", "2024"]
    assert lines[4] == "I like the bread." and arabic(lines[5]) and len(lines) == 6
