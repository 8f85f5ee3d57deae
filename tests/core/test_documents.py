"""Document translation end to end with the real tiny models: txt, srt, docx, csv."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.documents import csv_table, srt
from terjman_desktop.core.documents import word as documents_docx
from terjman_desktop.core.documents.registry import (
    SUPPORTED_EXTENSIONS,
    DocumentProgress,
    csv_columns,
    default_output_path,
    translate_document,
    translate_file,
)
from terjman_desktop.core.errors import (
    CancelledError,
    InputError,
    OutputExistsError,
    TerjmanError,
    UnsupportedDirectionError,
)
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions

EN_ARY = Direction("en", "ary")
ARY_EN = Direction("ary", "en")
FAST = TranslationOptions.for_quality("fast")
SENTENCES = [
    "I drink the tea now.", "She likes the oranges.", "He wants the water tomorrow.",
    "They drink the coffee now.", "I want the tea.", "I like the bread.",
]


@pytest.fixture(scope="module")
def marian(marian_package: Path) -> Translator:
    return Translator(marian_package, device="cpu", threads=1)


@pytest.fixture(scope="module")
def nllb(nllb_package: Path) -> Translator:
    return Translator(nllb_package, device="cpu", threads=1)


def arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----------------------------------------------------------------------------- paths


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lesson.txt", "lesson.ary.txt"),
        ("lesson.en.srt", "lesson.ary.srt"),
        ("my.notes.docx", "my.notes.ary.docx"),
        (".hidden.csv", ".hidden.ary.csv"),
        ("en.txt", "en.ary.txt"),
    ],
)
def test_default_output_path(name: str, expected: str, tmp_path: Path) -> None:
    assert default_output_path(tmp_path / name, "ary") == tmp_path / expected
    assert SUPPORTED_EXTENSIONS[:4] == (".txt", ".srt", ".docx", ".csv")


def test_bad_requests_are_refused_before_any_work(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("I want the tea.\n", encoding="utf-8")
    with pytest.raises(InputError, match="output file is the input"):
        translate_document(source, source, marian, EN_ARY, FAST, overwrite=True)
    with pytest.raises(InputError, match=r"extension \(\.txt\)"):
        translate_document(source, tmp_path / "a.docx", marian, EN_ARY, FAST)
    for name in ("a.xls", "a.doc"):
        (tmp_path / name).write_bytes(b"x")
        with pytest.raises(InputError, match="not a file Terjman can translate") as info:
            translate_document(tmp_path / name, None, marian, EN_ARY, FAST)
        assert info.value.hint
    with pytest.raises(InputError, match="does not exist"):
        translate_document(tmp_path / "missing.txt", None, marian, EN_ARY, FAST)
    with pytest.raises(UnsupportedDirectionError):
        translate_document(source, None, marian, ARY_EN, FAST)
    assert listing(tmp_path) == ["a.doc", "a.txt", "a.xls"]


# ----------------------------------------------------------------------------- .txt


def test_txt_keeps_layout_and_bom(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.txt"
    lines = ["I drink the tea now.", "", "    She likes the oranges.", "2024", "I want the tea."]
    source.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    out = translate_document(source, None, marian, EN_ARY, FAST)
    assert out == tmp_path / "lesson.ary.txt"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 5 and b"\n\n" not in raw
    result = raw[3:].decode("utf-8").split("\r\n")
    assert result[1] == "" and result[3] == "2024" and result[5] == ""
    assert result[2].startswith("    ")
    assert all(arabic(result[i]) for i in (0, 2, 4))
    assert listing(tmp_path) == ["lesson.ary.txt", "lesson.txt"]


def test_txt_reverse_direction_with_nllb(nllb: Translator, tmp_path: Path) -> None:
    source = tmp_path / "darija.txt"
    source.write_text("كنشرب أتاي دابا.\nبغيت أتاي.\n", encoding="utf-16")  # UTF-16 with BOM
    out = translate_document(source, tmp_path / "english.txt", nllb, ARY_EN, FAST)
    text = out.read_text(encoding="utf-8-sig")
    assert text.count("\n") == 2 and text.strip()


def test_progress_in_chunks_and_cancel_leaves_nothing(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "long.txt"
    source.write_text("\n".join(SENTENCES[i % 6] for i in range(100)) + "\n", encoding="utf-8")
    reports: list[DocumentProgress] = []
    out = translate_document(source, None, marian, EN_ARY, FAST, progress=reports.append)
    assert reports[0] == DocumentProgress(0, 100, 0.0, None)
    assert len(reports) >= 5  # 100 lines in chunks of at most 32
    assert [r.done_units for r in reports] == sorted(r.done_units for r in reports)
    assert reports[-1].done_units == reports[-1].total_units == 100
    assert reports[-1].eta_seconds == 0.0 and reports[-1].fraction == 1.0
    assert all(r.eta_seconds is not None and r.eta_seconds >= 0 for r in reports[1:])
    out.unlink()

    cancel = CancelToken()

    def cancel_after_first_chunk(report: DocumentProgress) -> None:
        if report.done_units > 0:
            cancel.cancel()

    with pytest.raises(CancelledError):
        translate_document(source, None, marian, EN_ARY, FAST, progress=cancel_after_first_chunk,
                           cancel=cancel)
    assert listing(tmp_path) == ["long.txt"]  # no output, no temporary file


def test_existing_output_is_not_overwritten_unless_asked(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "a.txt"
    source.write_text("I want the tea.\n", encoding="utf-8")
    existing = tmp_path / "a.ary.txt"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError) as info:
        translate_document(source, None, marian, EN_ARY, FAST)
    assert info.value.path == existing and isinstance(info.value, TerjmanError)
    assert existing.read_text(encoding="utf-8") == "keep me"
    translate_document(source, None, marian, EN_ARY, FAST, overwrite=True)
    assert arabic(existing.read_text(encoding="utf-8"))


def test_unreadable_text_files(
    marian: Translator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(bytes(range(128, 256)) * 4)  # bytes no encoding fits
    with pytest.raises(InputError, match="not text in an encoding") as info:
        translate_document(legacy, None, marian, EN_ARY, FAST)
    assert "UTF-8" in (info.value.hint or "")
    binary = tmp_path / "binary.srt"
    binary.write_bytes(b"1\n\x00\x00\x00")
    with pytest.raises(InputError, match="binary"):
        translate_document(binary, None, marian, EN_ARY, FAST)
    monkeypatch.setattr(csv_table, "MAX_TEXT_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_text("text\n" + "I want the tea.\n" * 20, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        translate_document(big, None, marian, EN_ARY, FAST)
    assert listing(tmp_path) == ["big.csv", "binary.srt", "legacy.txt"]


# ----------------------------------------------------------------------------- .srt

SRT = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>I drink the tea now.</i>\r\n"
    "She likes the oranges.\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000 X1:10 X2:20\r\n- I want the tea.\r\n"
    "- He wants the water tomorrow.\r\n\r\n"
    "3\r\n00:01:00,000 --> 00:01:02,000\r\n♪ 2024 ♪\r\n\r\n"
    "4\r\n01:00:00,000 --> 01:00:01,000\r\n{\\an8}I like the bread."
)


def test_srt_keeps_numbers_timings_and_markup(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "film.en.srt"
    source.write_bytes(SRT.encode("utf-8"))
    out = translate_document(source, None, marian, EN_ARY, FAST)
    assert out.name == "film.ary.srt"
    before = SRT.split("\r\n")
    after = out.read_bytes().decode("utf-8").split("\r\n")
    assert len(after) == len(before)
    for i, line in enumerate(before):
        if line == "" or line.isdigit() or "-->" in line or line == "♪ 2024 ♪":
            assert after[i] == line, i  # byte for byte
    assert after[2].startswith("<i>") and after[2].endswith("</i>") and arabic(after[2])
    assert arabic(after[3])  # the cue's two lines were translated together, still two lines
    assert after[7].startswith("- ") and after[8].startswith("- ")
    assert arabic(after[7]) and arabic(after[8])
    assert after[-1].startswith("{\\an8}") and arabic(after[-1])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Hello there\n", "Line 1 .* subtitle number"),
        ("1\n00:00:01,000 -> 00:00:02,000\nHi\n", "Line 2 .* timing"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n", "Line 6 .* timing"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHi\n\nNot a number\n", "Line 5 .*'Not a number'"),
    ],
)
def test_malformed_srt_names_the_line(
    marian: Translator, tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "bad.srt"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        translate_document(source, None, marian, EN_ARY, FAST)
    assert listing(tmp_path) == ["bad.srt"]


def test_srt_without_blank_lines_between_cues(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "tight.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nI want the tea.\n"
                      "2\n00:00:03,000 --> 00:00:04,000\nI like the bread.\n", encoding="utf-8")
    lines = translate_document(source, None, marian, EN_ARY, FAST).read_text(encoding="utf-8")
    result = lines.split("\n")
    assert result[0] == "1" and result[3] == "2" and result[4].startswith("00:00:03")
    assert arabic(result[2]) and arabic(result[5])


def test_rewrap_balances_lines() -> None:
    rewrap = srt._rewrap
    assert rewrap("one two three four", 2) == ["one two", "three four"]
    assert rewrap("single", 2) == ["single"]
    assert rewrap("a b c", 1) == ["a b c"]
    assert len(rewrap("a b c d e f g h", 3)) == 3


# ----------------------------------------------------------------------------- .csv

CSV = (
    'id,english,note\r\n'
    '1,"I want the tea, now.","quoted, with comma"\r\n'
    '2,I like the bread.,ملاحظة بالعربية\r\n'
    '3,,empty cell\r\n'
    '4,"She likes the ""oranges"".",x\r\n'
    '5\r\n'
    '6,"He wants the water\ntomorrow.",multi-line\r\n'
)


def test_csv_translates_one_column_and_keeps_every_other_byte(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "words.csv"
    source.write_bytes(CSV.encode("utf-8"))
    assert csv_columns(source) == ["id", "english", "note"]
    out = translate_file(source, None, marian, EN_ARY, FAST, column="English",
                         column_mode="replace").path
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    original = list(csv.reader(io.StringIO(CSV, newline="")))
    assert len(rows) == len(original)
    for new, old in zip(rows, original, strict=True):
        assert len(new) == len(old)
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            if i == 1 and new is not rows[0] and b:
                assert arabic(a), (a, b)
            else:
                assert a == b
    # Cells that were quoted stay quoted; the other columns are byte for byte the same.
    assert ',"quoted, with comma"\r\n' in text and ",ملاحظة بالعربية\r\n" in text
    assert text.startswith("id,english,note\r\n1,\"")
    assert "\r\n3,,empty cell\r\n" in text and "\r\n5\r\n" in text
    by_index = translate_file(source, tmp_path / "by_index.csv", marian, EN_ARY, FAST, column=1,
                              column_mode="replace").path
    assert by_index.read_bytes() == raw


def test_csv_semicolon_dialect(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_text("text;level\nI want the tea.;A1\nI like the bread.;A2\n", encoding="utf-8")
    out = translate_document(source, None, marian, EN_ARY, FAST, column="text")
    lines = out.read_text(encoding="utf-8-sig").split("\n")
    assert lines[0] == "text;text (ary);level"  # the translation beside its source
    cells = lines[1].split(";")
    assert cells[0] == "I want the tea." and arabic(cells[1]) and cells[2] == "A1"


def test_csv_column_problems(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "words.csv"
    source.write_bytes(CSV.encode("utf-8"))
    with pytest.raises(InputError, match="no column 'french'") as info:
        translate_document(source, None, marian, EN_ARY, FAST, column="french")
    assert "0: 'id', 1: 'english', 2: 'note'" in (info.value.hint or "")
    with pytest.raises(InputError, match="no column 7"):
        translate_document(source, None, marian, EN_ARY, FAST, column=7)
    with pytest.raises(InputError, match="Choose the column"):
        translate_document(source, None, marian, EN_ARY, FAST)
    single = tmp_path / "single.csv"
    single.write_text("text\nI want the tea.\n", encoding="utf-8")
    out = translate_document(single, None, marian, EN_ARY, FAST)
    assert arabic(out.read_text(encoding="utf-8"))
    broken = tmp_path / "broken.csv"
    broken.write_text('text\nok\n"never closed\nmore\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"Line 3 .*never closed"):
        translate_document(broken, None, marian, EN_ARY, FAST, column=0)
    junk = tmp_path / "junk.csv"
    junk.write_text('text\n"closed"junk\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"Line 2 .*after a closing quote"):
        translate_document(junk, None, marian, EN_ARY, FAST, column=0)
    assert [p.name for p in tmp_path.glob("*.ary.csv")] == ["single.ary.csv"]


# ----------------------------------------------------------------------------- .docx


def make_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("I like the bread.", level=1)
    bold = document.add_paragraph().add_run("I drink the tea now.")
    bold.bold = True
    bold.font.size = docx.shared.Pt(14)
    labelled = document.add_paragraph()
    labelled.add_run("Note:").bold = True
    labelled.add_run(" She likes the oranges.").italic = True
    emphasis = document.add_paragraph()
    emphasis.add_run("They drink the ")
    emphasis.add_run("coffee").underline = True
    emphasis.add_run(" now and he wants the water tomorrow.")
    centered = document.add_paragraph("I want the tea.")
    centered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    broken = document.add_paragraph()
    first = broken.add_run("I want the tea.")
    first.add_break()
    first.add_text("I like the bread.")
    document.add_paragraph("2024")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "She likes the oranges."
    table.cell(0, 1).text = "42"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "He wants the water tomorrow."
    section = document.sections[0]
    section.header.paragraphs[0].text = "They drink the coffee now."
    section.footer.paragraphs[0].text = "I like the bread."
    document.save(str(path))


def rtl(paragraph: docx.text.paragraph.Paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(qn("w:bidi")) is not None


def test_docx_keeps_structure_formatting_and_sets_rtl(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.docx"
    make_docx(source)
    out = translate_document(source, None, marian, EN_ARY, FAST)
    original, result = docx.Document(str(source)), docx.Document(str(out))
    assert len(result.paragraphs) == len(original.paragraphs) == 7
    heading, bold, labelled, emphasis, centered, broken, number = result.paragraphs

    assert heading.style.name == "Heading 1" and arabic(heading.text) and rtl(heading)
    assert heading.alignment == WD_ALIGN_PARAGRAPH.RIGHT

    run = bold.runs[0]
    assert arabic(run.text) and run.bold and run.font.size == docx.shared.Pt(14)
    rpr = run._r.rPr
    assert rpr.find(qn("w:rtl")) is not None and rpr.find(qn("w:bCs")) is not None
    assert rpr.find(qn("w:szCs")).get(qn("w:val")) == "28"

    # "Note:" ends a label: both spans are translated separately and keep their formatting.
    label, rest = labelled.runs
    assert label.bold and not label.italic and label.text.strip()
    assert rest.italic and not rest.bold and arabic(rest.text)

    # Emphasis inside a sentence: one translation, the underlined run gets its own words
    # (never nothing, never the whole sentence); every run is kept (more in
    # test_documents_word.py).
    texts = [(r.text, r.underline) for r in emphasis.runs]
    assert len(texts) == 3 and texts[1][1] and arabic(texts[1][0])
    assert texts[1][0].strip() != emphasis.text.strip()

    assert centered.alignment == WD_ALIGN_PARAGRAPH.CENTER and rtl(centered)

    # A line break stays, with each side translated.
    br = broken.runs[0]._r.findall(qn("w:br"))
    assert len(br) == 1
    parts = [t.text for t in broken.runs[0]._r.findall(qn("w:t"))]
    assert len(parts) == 2 and all(arabic(p) for p in parts)

    assert number.text == "2024" and not rtl(number)

    table = result.tables[0]
    assert len(table.rows) == 2 and len(table.columns) == 2
    assert arabic(table.cell(0, 0).text) and table.cell(0, 1).text == "42"
    assert arabic(table.cell(1, 0).text) and table.cell(1, 0)._tc is table.cell(1, 1)._tc
    section = result.sections[0]
    assert arabic(section.header.paragraphs[0].text) and rtl(section.header.paragraphs[0])
    assert arabic(section.footer.paragraphs[0].text)


def test_docx_to_english_clears_rtl(nllb: Translator, tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("كنشرب أتاي دابا.")
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(ppr.makeelement(qn("w:bidi"), {}))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    source = tmp_path / "darija.docx"
    document.save(str(source))
    out = translate_document(source, None, nllb, ARY_EN, FAST)
    assert out.name == "darija.en.docx"
    result = docx.Document(str(out)).paragraphs[0]
    assert not rtl(result) and result.alignment is None
    assert result.text and result.text != "كنشرب أتاي دابا."


def test_malformed_docx(marian: Translator, tmp_path: Path) -> None:
    not_zip = tmp_path / "fake.docx"
    not_zip.write_bytes(b"this is not a word document")
    with pytest.raises(InputError, match="not a readable Word document") as info:
        translate_document(not_zip, None, marian, EN_ARY, FAST)
    assert "save it again" in (info.value.hint or "")
    other_zip = tmp_path / "other.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable Word document"):
        translate_document(other_zip, None, marian, EN_ARY, FAST)
    assert listing(tmp_path) == ["fake.docx", "other.docx"]


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("I want the tea.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_declaring(path: Path, sizes: dict[str, int], extra: dict[str, int]) -> Path:
    """A real .docx whose central directory declares other sizes than it holds.

    ``sizes`` changes the declared size of existing parts, ``extra`` adds small parts that
    declare the given sizes: what a document that unpacks to hundreds of MB looks like to
    the checks, without writing hundreds of MB.
    """
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        for name in extra:
            out.writestr(name, b"small")
        for info in out.infolist():  # the central directory is written from these, at close
            info.file_size = sizes.get(info.filename, extra.get(info.filename, info.file_size))
    return path


@pytest.mark.parametrize(
    ("sizes", "extra", "message"),
    [
        ({}, {"word/media/big.bin": 600_000_000}, r"unpacks to 60\d MB"),
        ({"word/document.xml": 100_000_000}, {}, "part of 100 MB of text"),
    ],
    ids=["600 MB of parts", "a 100 MB XML part"],
)
def test_docx_declaring_too_much_is_refused_before_reading(
    tmp_path: Path, sizes: dict[str, int], extra: dict[str, int], message: str
) -> None:
    # A .docx that unpacked to 600 MB used 1.27 GB of memory before it was refused.
    path = _docx_declaring(tmp_path / "big.docx", sizes, extra)
    with pytest.raises(InputError, match=message):
        documents_docx.prepare_docx(path, "ary")


def test_docx_with_a_compression_word_never_writes_is_refused(tmp_path: Path) -> None:
    # bzip2 and LZMA entries are decompressed in one piece, whatever their header declares.
    path = tmp_path / "bzip.docx"
    source = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
    with pytest.raises(InputError, match="compressed in a way Word does not use"):
        documents_docx.prepare_docx(path, "ary")


def test_docx_whose_part_holds_more_than_declared_is_refused(tmp_path: Path) -> None:
    # Reading never yields more than a part declares: zipfile cuts it there, then the
    # checksum of what it read does not match.
    path = _docx_declaring(tmp_path / "lying.docx", {"word/document.xml": 100}, {})
    with pytest.raises(InputError, match="not a readable Word document"):
        documents_docx.prepare_docx(path, "ary")


def test_docx_that_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a Word document"):
        documents_docx.prepare_docx(tmp_path, "ary")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.docx")
        with pytest.raises(InputError, match="is a named pipe, not a Word document"):
            documents_docx.prepare_docx(tmp_path / "pipe.docx", "ary")
