"""OpenDocument text with the real tiny model: documents built and read back with odfpy."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from odf import teletype
from odf.dc import Creator
from odf.draw import Frame
from odf.office import Annotation
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText, load
from odf.style import (
    Footer,
    Header,
    MasterPage,
    PageLayout,
    ParagraphProperties,
    Style,
    TextProperties,
)
from odf.svg import Desc, Title
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import A, H, LineBreak, List, ListItem, Note, NoteBody, NoteCitation, P, Span

from terjman_desktop.core.documents import odt
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.translate import Translator
from tests.core.office_helpers import EN_ARY, FAST, arabic, latin, translate

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
XLINK = "http://www.w3.org/1999/xlink"


@pytest.fixture(scope="module")
def marian(marian_package: Path) -> Translator:
    return Translator(marian_package, device="cpu", threads=1)


def make_odt(path: Path) -> None:
    document = OpenDocumentText()
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    centred = Style(name="Centred", family="paragraph")
    centred.addElement(ParagraphProperties(textalign="center"))
    document.automaticstyles.addElement(centred)
    layout = PageLayout(name="Page")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header, footer = Header(), Footer()
    header.addElement(P(text="They drink the coffee now."))
    footer.addElement(P(text="I like the bread."))
    master.addElement(header)
    master.addElement(footer)
    document.masterstyles.addElement(master)

    body = document.text
    body.addElement(H(outlinelevel=1, text="I want the tea."))
    linked = P(text="They drink the ")
    link = A(href="https://example.org/coffee", type="simple")
    link.addText("coffee")
    linked.addElement(link)
    linked.addText(" now and he wants the ")
    strong = Span(stylename=bold, text="water")
    linked.addElement(strong)
    linked.addText(" tomorrow.")
    body.addElement(linked)
    body.addElement(P(stylename=centred, text="She likes the oranges."))
    broken = P(text="I want the tea.")
    broken.addElement(LineBreak())
    broken.addText("I like the bread.")
    body.addElement(broken)
    items = List()
    for text in ("I drink the tea now.", "He wants the water tomorrow."):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    body.addElement(items)
    table = Table(name="Words")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    row = TableRow()
    for text in ("She likes the oranges.", "42"):
        cell = TableCell()
        cell.addElement(P(text=text))
        row.addElement(cell)
    table.addElement(row)
    body.addElement(table)
    noted = P(text="I like the bread.")
    note = Note(id="ftn1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    note_body = NoteBody()
    note_body.addElement(P(text="I want the tea."))
    note.addElement(note_body)
    noted.addElement(note)
    commented = P(text="They drink the coffee now.")
    annotation = Annotation()
    annotation.addElement(Creator(text="Teacher"))
    annotation.addElement(P(text="She likes the oranges."))
    commented.addElement(annotation)
    body.addElement(noted)
    body.addElement(commented)
    body.addElement(P(text="2024"))
    pictured = P()
    frame = Frame(width="1cm", height="1cm", anchortype="as-char")
    frame.addElement(Title(text="I want the tea."))
    frame.addElement(Desc(text="She likes the oranges."))
    pictured.addElement(frame)
    body.addElement(pictured)
    document.save(str(path))


def test_odt_paragraphs_links_notes_comments_headers_translated(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "lesson.odt"
    make_odt(source)
    prepared = odt.prepare_odt(source, "ary")
    assert prepared.untranslated == []
    out = tmp_path / "lesson.ary.odt"
    out.write_bytes(translate(prepared, marian))

    result = load(str(out))  # odfpy reads it back
    paragraphs = [teletype.extractText(p) for p in result.getElementsByType(P)]
    headings = [teletype.extractText(h) for h in result.getElementsByType(H)]
    # A comment's author (dc:creator) is a name, not text to translate.
    texts = [t.replace("Teacher", "") for t in paragraphs + headings if t]
    assert "2024" in texts and "42" in texts and "Teacher" in "".join(paragraphs)
    words = [t for t in texts if t not in ("2024", "42")]
    assert len(words) >= 12 and all(arabic(t) and not latin(t) for t in words), words
    with zipfile.ZipFile(out) as archive, zipfile.ZipFile(source) as original:
        assert archive.namelist() == original.namelist()
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        content = etree.fromstring(archive.read("content.xml"))
        styles = etree.fromstring(archive.read("styles.xml"))
    header = [t for t in styles.itertext() if latin(t) or arabic(t)]
    assert header and all(arabic(t) for t in header)
    # The link keeps its address and its own words; the bold span keeps its own words.
    link = next(content.iter(f"{{{TEXT}}}a"))
    assert link.get(f"{{{XLINK}}}href") == "https://example.org/coffee"
    paragraph = link.getparent()
    whole = "".join(paragraph.itertext())
    assert (link.text or "").strip() and link.text.strip() != whole.strip()
    span = next(s for s in paragraph.iter(f"{{{TEXT}}}span"))
    assert (span.text or "").strip() and span.text.strip() != whole.strip()
    # The line break stays, each side translated.
    assert len(list(content.iter(f"{{{TEXT}}}line-break"))) == 1
    # Right to left: every translated paragraph's style writes rl-tb; centred stays centred.
    rtl = {
        s.get(f"{{{STYLE}}}name"): s
        for s in content.iter(f"{{{STYLE}}}style")
        if any(
            p.get(f"{{{STYLE}}}writing-mode") == "rl-tb"
            for p in s.iter(f"{{{STYLE}}}paragraph-properties")
        )
    }
    assert paragraph.get(f"{{{TEXT}}}style-name") in rtl
    centred = [
        p
        for p in content.iter(f"{{{TEXT}}}p")
        if "".join(p.itertext())
        and p.get(f"{{{TEXT}}}style-name") in rtl
        and rtl[p.get(f"{{{TEXT}}}style-name")]
        .find(f"{{{STYLE}}}paragraph-properties")
        .get("{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}text-align")
        == "center"
    ]
    assert len(centred) == 1
    svg = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
    alt = [e.text for e in content.iter(f"{{{svg}}}title", f"{{{svg}}}desc")]
    assert len(alt) == 2 and all(arabic(t) and not latin(t) for t in alt), alt
    number = [p for p in content.iter(f"{{{TEXT}}}p") if "".join(p.itertext()) == "2024"]
    assert number and number[0].get(f"{{{TEXT}}}style-name") not in rtl


def test_embedded_objects_are_reported(tmp_path: Path) -> None:
    source = tmp_path / "chart.odt"
    make_odt(source)
    with zipfile.ZipFile(source) as original:
        content = original.read("content.xml").replace(
            b"</office:text>",
            b'<text:p><draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:'
            b'1.0"><draw:object/></draw:frame></text:p></office:text>',
        )
        infos = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(source, "w") as archive:
        for info, data in infos:
            archive.writestr(info, content if info.filename == "content.xml" else data)
    assert odt.prepare_odt(source, "ary").untranslated == ["1 embedded object (charts, formulas)"]


def test_files_that_are_not_odt_are_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.odt"
    OpenDocumentSpreadsheet().save(str(sheet))
    with pytest.raises(InputError, match=r"not a readable OpenDocument text \(a present"):
        odt.prepare_odt(sheet, "ary")
    junk = tmp_path / "junk.odt"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a readable OpenDocument text") as info:
        odt.prepare_odt(junk, "ary")
    assert "save it again as .odt" in (info.value.hint or "")
    broken = tmp_path / "broken.odt"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content")
    with pytest.raises(InputError, match=r"\(content.xml"):
        odt.prepare_odt(broken, "ary")


def test_a_part_declaring_a_document_type_is_refused(tmp_path: Path) -> None:
    # odfpy's own "nasty.odt": an entity that would read a file next to the document.
    source = tmp_path / "nasty.odt"
    make_odt(source)
    with zipfile.ZipFile(source) as original:
        infos = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(source, "w") as archive:
        for info, original_data in infos:
            data = original_data
            if info.filename == "content.xml":
                data = data.replace(
                    b"?>",
                    b'?>\n<!DOCTYPE nasty [ <!ENTITY nasty SYSTEM "/etc/hostname">]>',
                    1,
                ).replace(b"2024", b"&nasty;")
            archive.writestr(info, data)
    with pytest.raises(InputError, match=r"declares a document type in content\.xml"):
        odt.prepare_odt(source, "ary")


def test_new_styles_use_the_usual_prefixes(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.odt"
    make_odt(source)
    out = tmp_path / "out.odt"
    out.write_bytes(translate(odt.prepare_odt(source, "ary"), marian))
    with zipfile.ZipFile(out) as archive:
        content = archive.read("content.xml")
    assert b"<style:style" in content and b"ns0:" not in content


def test_interleaved_odt_through_the_registry(marian: Translator, tmp_path: Path) -> None:
    from terjman_desktop.core.documents import translate_file

    source = tmp_path / "lesson.odt"
    make_odt(source)
    result = translate_file(source, None, marian, EN_ARY, FAST, bilingual="interleaved")
    assert result.path.name == "lesson.ary.odt" and result.untranslated == ()
    with zipfile.ZipFile(result.path) as archive:
        content = etree.fromstring(archive.read("content.xml"))
    paragraphs = ["".join(p.itertext()) for p in content.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h")]
    assert paragraphs[0] == "I want the tea." and arabic(paragraphs[1])
    assert len(list(content.iter(f"{{{TEXT}}}note"))) == 1  # the note is not repeated
    assert len(list(content.iter(f"{{{TEXT}}}a"))) == 2  # the link is, in both languages
    assert "2024" in paragraphs and paragraphs.count("2024") == 1
