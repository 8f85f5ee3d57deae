"""The formats issue 17 added — Excel, web pages, PDF — end to end with the tiny Marian model,
and the registry every format goes through."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from terjman_desktop.core.cancel import CancelToken
from terjman_desktop.core.documents import registry
from terjman_desktop.core.documents.pdf import LAYOUT_NOTE
from terjman_desktop.core.documents.registry import (
    FORMATS,
    SUPPORTED_EXTENSIONS,
    DocumentProgress,
    default_output_path,
    table_columns,
    translate_file,
)
from terjman_desktop.core.errors import CancelledError, InputError, OutputExistsError
from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
from terjman_desktop.core.translate.options import TranslationOptions

EN_ARY = Direction("en", "ary")
FAST = TranslationOptions.for_quality("fast")


@pytest.fixture(scope="module")
def marian(marian_package: Path) -> Translator:
    return Translator(marian_package, device="cpu", threads=1)


def arabic(text: object) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in str(text))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ----------------------------------------------------------------------------- registry


def test_one_registry_lists_every_format_once() -> None:
    suffixes = [f.suffix for f in FORMATS]
    assert len(suffixes) == len(set(suffixes)) == len(SUPPORTED_EXTENSIONS)
    for suffix in (".txt", ".srt", ".docx", ".csv", ".xlsx", ".html", ".htm", ".pdf"):
        assert suffix in SUPPORTED_EXTENSIONS
    for found in FORMATS:  # what the dialog and the CLI read from each
        assert found.description and callable(found.prepare)
        assert set(found.bilingual) <= {"interleaved", "side_by_side"}
        assert found.outputs[0].startswith(".")


def test_a_new_format_is_one_module_and_one_line(
    marian: Translator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terjman_desktop.core.documents.prepared import DocumentFormat, Prepared, PrepareOptions

    def prepare(path: Path, options: PrepareOptions) -> Prepared:
        words = path.read_text(encoding="utf-8").split("|")
        return Prepared(words, lambda t: "|".join(t).encode("utf-8"), notes=["A test format."])

    monkeypatch.setattr(
        registry, "FORMATS", (*registry.FORMATS, DocumentFormat(".pipe", "Pipes", prepare))
    )
    source = tmp_path / "a.pipe"
    source.write_text("I want the tea.|2024", encoding="utf-8")
    result = translate_file(source, None, marian, EN_ARY, FAST)
    assert result.path == tmp_path / "a.ary.pipe" and result.notes == ("A test format.",)
    first, number = result.path.read_text(encoding="utf-8").split("|")
    assert arabic(first) and number == "2024"


def test_unsupported_and_convertible_files_say_what_to_do(
    marian: Translator, tmp_path: Path
) -> None:
    for name, hint in (
        ("old.xls", "Save it as .xlsx"),
        ("old.ppt", "Save it as .pptx"),
        ("a.zip", "Supported files"),
    ):
        (tmp_path / name).write_bytes(b"x")
        with pytest.raises(InputError, match="not a file Terjman can translate") as info:
            translate_file(tmp_path / name, None, marian, EN_ARY, FAST)
        assert hint in (info.value.hint or "")


# ----------------------------------------------------------------------------- Excel


def make_workbook(path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Words"
    sheet.append(["id", "english", "level", "total"])
    sheet.append([1, "I want the tea.", "A1", "=A2*2"])
    sheet.append([2, "She likes the oranges.", "A2", "=SUM(A2:A3)"])
    sheet.append([3, None, "2024", 42])
    sheet["B2"].font = openpyxl.styles.Font(bold=True)
    sheet.merge_cells("C5:D5")
    sheet["C5"] = "I like the bread."
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "He wants the water tomorrow."
    notes["B1"] = "=Words!B2"
    notes["A1"].comment = openpyxl.comments.Comment("Check this.", "Teacher")
    workbook.save(path)


def test_xlsx_every_text_cell_formulas_untouched(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.xlsx"
    make_workbook(source)
    result = translate_file(source, None, marian, EN_ARY, FAST)
    assert result.path.name == "lesson.ary.xlsx"
    book = openpyxl.load_workbook(result.path)
    words, notes = book["Words"], book["Notes"]
    assert arabic(words["B2"].value) and words["B2"].font.bold  # style kept
    assert arabic(words["B3"].value) and arabic(words["C5"].value)
    assert arabic(words["A1"].value) or words["A1"].value == "id"  # headers are text too
    assert words["D2"].value == "=A2*2" and words["D3"].value == "=SUM(A2:A3)"
    assert notes["B1"].value == "=Words!B2" and words["D4"].value == 42
    assert words["C4"].value == "2024" and words["A2"].value == 1
    assert [str(r) for r in words.merged_cells.ranges] == ["C5:D5"]
    assert arabic(notes["A1"].value) and notes["A1"].comment.text == "Check this."
    assert result.untranslated == ("1 cell comment",)  # said, in the summary too
    assert "Not translated: 1 cell comment." in result.summary()


def test_xlsx_chosen_column_goes_beside_or_in_place(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.xlsx"
    make_workbook(source)
    # The first row of every sheet (a formula is no column name).
    assert table_columns(source) == [
        "id",
        "english",
        "level",
        "total",
        "He wants the water tomorrow.",
    ]
    beside = translate_file(
        source, tmp_path / "beside.xlsx", marian, EN_ARY, FAST, columns=("English",)
    )
    sheet = openpyxl.load_workbook(beside.path)["Words"]
    assert sheet["E1"].value == "english (ary)"  # after the last column: nothing moves
    assert sheet["B2"].value == "I want the tea." and arabic(sheet["E2"].value)
    assert arabic(sheet["E3"].value) and sheet["E4"].value is None
    assert sheet["C2"].value == "A1" and sheet["D2"].value == "=A2*2"
    assert openpyxl.load_workbook(beside.path)["Notes"]["A1"].value == (
        "He wants the water tomorrow."
    )  # only the chosen column of the sheets that have it
    in_place = translate_file(
        source,
        tmp_path / "in_place.xlsx",
        marian,
        EN_ARY,
        FAST,
        columns=("B",),
        column_mode="replace",
    )
    sheet = openpyxl.load_workbook(in_place.path)["Words"]
    assert sheet["B1"].value == "english" and arabic(sheet["B2"].value)
    assert sheet["E1"].value is None
    with pytest.raises(InputError, match="No sheet has a column 'french'"):
        translate_file(source, tmp_path / "x.xlsx", marian, EN_ARY, FAST, columns=("french",))


def test_xlsx_bilingual(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.xlsx"
    make_workbook(source)
    mixed = translate_file(source, None, marian, EN_ARY, FAST, bilingual="interleaved")
    cell = openpyxl.load_workbook(mixed.path)["Words"]["B2"]
    first, second = cell.value.split("\n")
    assert first == "I want the tea." and arabic(second) and cell.alignment.wrap_text
    side = translate_file(
        source,
        tmp_path / "side.xlsx",
        marian,
        EN_ARY,
        FAST,
        columns=("english",),
        bilingual="side_by_side",
        column_mode="replace",
    )
    sheet = openpyxl.load_workbook(side.path)["Words"]
    assert sheet["B2"].value == "I want the tea." and arabic(sheet["E2"].value)
    with pytest.raises(InputError, match="Side by side needs the columns"):
        translate_file(source, tmp_path / "y.xlsx", marian, EN_ARY, FAST, bilingual="side_by_side")


def test_xlsx_that_is_not_a_workbook(marian: Translator, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="not a readable Excel workbook") as info:
        translate_file(fake, None, marian, EN_ARY, FAST)
    assert "save it again" in (info.value.hint or "")
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        translate_file(other, None, marian, EN_ARY, FAST)
    assert listing(tmp_path) == ["fake.xlsx", "other.xlsx"]


def test_xlsx_drawings_are_said_to_be_lost(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "chart.xlsx"
    make_workbook(source)
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.load_workbook(source)
    chart = BarChart()
    chart.add_data(Reference(book["Words"], min_col=1, min_row=2, max_row=3))
    book["Words"].add_chart(chart, "F2")
    book.save(source)
    result = translate_file(source, None, marian, EN_ARY, FAST)
    assert any("charts" in note and "not in the translated copy" in note for note in result.notes)


# ----------------------------------------------------------------------------- HTML

PAGE = (
    "<!DOCTYPE html>\n"
    '<html lang="en"><head><meta charset="windows-1252">'
    "<title>I like the bread.</title>"
    '<script>var s = "I want the tea."; if (a < b && c) {}</script>'
    "<style>p { color: red; } /* I want the tea. */</style></head>\n"
    "<body>\n<!-- She likes the oranges. -->\n"
    '<p class="x">I drink the tea <b>now</b> &amp; she likes the oranges.</p>\n'
    '<p>Go to <a href="next.html" title="He wants the water tomorrow.">the next page</a>.</p>\n'
    '<img src="tea.png" alt="I want the tea.">\n'
    "<pre>I want the tea.</pre><code>I want the tea.</code>\n"
    '<p translate="no">They drink the coffee now.</p>\n'
    '<div class="notranslate">They drink the coffee now.</div>\n'
    "<ul><li>I want the tea.<li>2024</ul>\n"
    "<p>Caf\xe9 au lait.</p>\n"
    "</body></html>\n"
)


def test_html_text_and_attributes_translated_markup_kept(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "page.html"
    source.write_bytes(PAGE.encode("cp1252"))  # as its <meta charset> says
    result = translate_file(source, None, marian, EN_ARY, FAST)
    assert result.encoding is not None and result.encoding.codec == "cp1252"
    out = result.path.read_text(encoding="utf-8")
    # Untouched: scripts, styles, comments, code, what says translate="no", numbers.
    for kept in (
        '<script>var s = "I want the tea."; if (a < b && c) {}</script>',
        "<style>p { color: red; } /* I want the tea. */</style>",
        "<!-- She likes the oranges. -->",
        "<pre>I want the tea.</pre>",
        "<code>I want the tea.</code>",
        '<p translate="no">They drink the coffee now.</p>',
        '<div class="notranslate">They drink the coffee now.</div>',
        "<li>2024</ul>",
        '<p class="x">',
        '<a href="next.html" title="',
        "<b>",
    ):
        assert kept in out, kept
    assert '<meta charset="utf-8">' in out  # written as UTF-8, and it says so
    assert '<html lang="ary" dir="rtl">' in out
    title = out.split("<title>")[1].split("</title>")[0]
    assert arabic(title)
    link = out.split('<a href="next.html"')[1].split("</a>")[0]
    assert arabic(link.split('title="')[1].split('"')[0])  # the title attribute
    assert arabic(link.split(">", 1)[1])  # the link keeps its own words
    assert arabic(out.split('alt="')[1].split('"')[0])
    assert "I drink the tea" not in out and "oranges" not in out.split("<body>")[1].split("-->")[1]
    assert "Caf" not in out.split("</ul>")[1]


def test_html_in_its_own_encoding_and_bilingual(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "page.htm"
    source.write_bytes(PAGE.encode("cp1252"))
    same = translate_file(source, None, marian, EN_ARY, FAST, output_encoding="same")
    raw = same.path.read_bytes()
    text = raw.decode("cp1252")  # Darija as character references in a Windows-1252 page
    assert "&#" in text and '<meta charset="windows-1252">' in text
    mixed = translate_file(
        source, tmp_path / "mixed.htm", marian, EN_ARY, FAST, bilingual="interleaved"
    )
    out = mixed.path.read_text(encoding="utf-8")
    assert "I drink the tea <b>now</b> &amp; she likes the oranges." in out
    assert out.count('class="terjman-translation" lang="ary" dir="rtl"') == 4
    assert 'alt="I want the tea. / ' in out and '<html lang="en">' in out


def test_html_bogus_charset_and_undecodable(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "odd.html"
    source.write_bytes(b'<meta charset="klingon"><p>I want the tea.</p>')
    out = translate_file(source, None, marian, EN_ARY, FAST).path.read_text(encoding="utf-8")
    assert arabic(out) and '<meta charset="utf-8">' in out


# ----------------------------------------------------------------------------- PDF


def make_pdf(pages: list[list[list[str]]]) -> bytes:
    """A small PDF in Helvetica: pages of paragraphs, each a list of lines."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for paragraphs in pages:
        ops = [b"BT /F1 12 Tf 14 TL 72 760 Td"]
        for paragraph in paragraphs:
            for line in paragraph:
                escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
            ops.append(b"T* T*")  # a gap between paragraphs
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, content)
            )
        )
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))) == pages_id
    root = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


LESSON_PDF = [
    [["I want the tea now and she", "likes the oranges."], ["He wants the water tomor-", "row."]],
    [["I like the bread."], ["2024"]],
]


def test_pdf_to_docx_says_the_layout_is_not_kept(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.pdf"
    source.write_bytes(make_pdf(LESSON_PDF))
    assert default_output_path(source, "ary") == tmp_path / "lesson.ary.docx"
    reports: list[DocumentProgress] = []
    result = translate_file(source, None, marian, EN_ARY, FAST, progress=reports.append)
    assert result.path.name == "lesson.ary.docx" and LAYOUT_NOTE in result.notes
    assert LAYOUT_NOTE in result.summary()
    assert reports[-1].done_units == reports[-1].total_units == 3  # "2024" is kept as is
    paragraphs = [p.text for p in docx.Document(str(result.path)).paragraphs if p.text]
    assert "layout" in paragraphs[0] and "lesson.pdf" in paragraphs[0]
    # A sentence over two lines and a hyphenated word were translated whole.
    assert len(paragraphs) == 5 and all(arabic(p) for p in paragraphs[1:4])
    assert paragraphs[4] == "2024"


def test_pdf_to_txt_and_bilingual(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.pdf"
    source.write_bytes(make_pdf(LESSON_PDF))
    text = translate_file(
        source, tmp_path / "lesson.txt", marian, EN_ARY, FAST, bilingual="interleaved"
    ).path.read_text(encoding="utf-8")
    blocks = text.strip().split("\n\n")
    assert "layout" in blocks[0]
    assert blocks[1].split("\n")[0] == "I want the tea now and she likes the oranges."
    assert arabic(blocks[1].split("\n")[1])
    side = translate_file(
        source, tmp_path / "side.docx", marian, EN_ARY, FAST, bilingual="side_by_side"
    )
    tables = docx.Document(str(side.path)).tables
    assert len(tables) == 2  # one per page
    first = tables[0].rows[1].cells
    assert first[0].text == "He wants the water tomorrow." and arabic(first[1].text)
    with pytest.raises(InputError, match="side by side"):
        translate_file(source, tmp_path / "x.txt", marian, EN_ARY, FAST, bilingual="side_by_side")
    with pytest.raises(InputError, match=r"\(\.docx or \.txt\)"):
        translate_file(source, tmp_path / "x.pdf", marian, EN_ARY, FAST)


def test_pdf_problems(marian: Translator, tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(make_pdf([[["2024"]]]))
    with pytest.raises(InputError, match="no text to extract"):
        translate_file(scan, None, marian, EN_ARY, FAST)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(InputError, match=r"not a readable PDF|no text to extract"):
        translate_file(broken, None, marian, EN_ARY, FAST)
    assert listing(tmp_path) == ["broken.pdf", "scan.pdf"]


# ----------------------------------------------------------------------------- all formats


@pytest.mark.parametrize("suffix", [".xlsx", ".html", ".pdf"])
def test_cancel_and_overwrite_for_new_formats(
    marian: Translator, tmp_path: Path, suffix: str
) -> None:
    source = tmp_path / f"lesson{suffix}"
    if suffix == ".xlsx":
        make_workbook(source)
    elif suffix == ".html":
        source.write_text("<p>I want the tea.</p>", encoding="utf-8")
    else:
        source.write_bytes(make_pdf(LESSON_PDF))
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(CancelledError):
        translate_file(source, None, marian, EN_ARY, FAST, cancel=cancel)
    assert listing(tmp_path) == [source.name]  # nothing written, no temporary file
    written = translate_file(source, None, marian, EN_ARY, FAST).path
    before = written.read_bytes()
    with pytest.raises(OutputExistsError):
        translate_file(source, None, marian, EN_ARY, FAST)
    assert written.read_bytes() == before
    assert translate_file(source, None, marian, EN_ARY, FAST, overwrite=True).path == written


def test_docx_output_of_pdf_opens(tmp_path: Path, marian: Translator) -> None:
    source = tmp_path / "one.pdf"
    source.write_bytes(make_pdf([[["I want the tea."]]]))
    data = translate_file(source, None, marian, EN_ARY, FAST).path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


def test_html_that_tries_to_fool_the_reader(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "odd.html"
    source.write_text(
        '<html data-x="a>b" lang="en"><body dir=ltr class=x>'
        '<img src="x.png" data-note="x title=I want the tea." alt="2024">'
        "<p>I want the tea.<script>document.write('<p>I like the bread.</p>')"
        "<p>She likes the oranges.</p>",  # a script never closed: the rest is script
        encoding="utf-8",
    )
    out = translate_file(source, None, marian, EN_ARY, FAST).path.read_text(encoding="utf-8")
    # A <body> that sets its own direction gets the target's too (LibreOffice writes one).
    assert out.startswith(
        '<html lang="ary" dir="rtl" data-x="a&gt;b"><body lang="ary" dir="rtl" class="x">'
    )
    assert 'data-note="x title=I want the tea." alt="2024">' in out  # not an attribute
    assert "document.write('<p>I like the bread.</p>')<p>She likes the oranges.</p>" in out
    assert arabic(out.split("<p>")[1].split("<script>")[0])


def test_broken_pdfs_are_refused_clearly_or_read_as_far_as_they_go(
    marian: Translator, tmp_path: Path
) -> None:
    good = make_pdf(LESSON_PDF)
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good[: len(good) // 2])
    with pytest.raises(InputError, match="not a readable PDF") as info:
        translate_file(truncated, None, marian, EN_ARY, FAST)
    assert info.value.hint
    damaged = {
        "garbage": good[: len(good) // 3] + b"\x00garbage" + good[len(good) // 3 + 30 :],
        "wrong_length": good.replace(b"/Length ", b"/Length 9999", 1),
        "wrong_filter": good.replace(b"<< /Length", b"<< /Filter /FlateDecode /Length", 1),
    }
    for name, raw in damaged.items():  # pypdf reads around the damage
        source = tmp_path / f"{name}.pdf"
        source.write_bytes(raw)
        result = translate_file(source, None, marian, EN_ARY, FAST)
        paragraphs = [p.text for p in docx.Document(str(result.path)).paragraphs]
        assert any(arabic(p) for p in paragraphs), name


def test_html_links_and_formatting_keep_their_own_words(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "inline.html"
    source.write_text(
        "<p>They drink the <b>coffee</b> now and he wants the water tomorrow.</p>\n"
        '<p>I want the tea, <a href="shop.html">she likes the oranges</a> and the bread.</p>\n'
        '<p><a href="x.html">→</a> I like the bread.</p>\n',
        encoding="utf-8",
    )
    out = translate_file(source, None, marian, EN_ARY, FAST).path.read_text(encoding="utf-8")
    lines = out.splitlines()
    assert out.startswith("<p>")  # no <html> tag: nothing added
    bold = lines[0].split("<b>")[1].split("</b>")[0]
    assert arabic(bold) and arabic(lines[0].split("</b>")[1])  # neither empty nor everything
    link = lines[1].split('<a href="shop.html">')[1].split("</a>")[0]
    assert arabic(link) and arabic(lines[1].split("<p>")[1].split("<a")[0])
    assert '<a href="x.html">→</a>' in lines[2]  # a link without words keeps its symbol
