"""PowerPoint presentations with the real tiny model, read back with python-pptx."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from pptx import Presentation
from pptx.util import Inches

from terjman_desktop.core.documents import pptx_deck
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.translate import Translator
from tests.core.office_helpers import arabic, latin, translate

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def marian(marian_package: Path) -> Translator:
    return Translator(marian_package, device="cpu", threads=1)


def make_deck(path: Path) -> None:
    deck = Presentation()
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = "I want the tea."
    title.placeholders[1].text = "She likes the oranges."
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "I like the bread."
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1)).text_frame
    paragraph = box.paragraphs[0]
    paragraph.add_run().text = "They drink the "
    link = paragraph.add_run()
    link.text = "coffee"
    link.hyperlink.address = "https://example.org/coffee"
    paragraph.add_run().text = " now and he wants the "
    bold = paragraph.add_run()
    bold.text = "water"
    bold.font.bold = True
    paragraph.add_run().text = " tomorrow."
    table = slide.shapes.add_table(2, 2, Inches(1), Inches(3), Inches(4), Inches(1)).table
    table.cell(0, 0).text = "I drink the tea now."
    table.cell(0, 1).text = "42"
    table.cell(1, 0).text = "She likes the oranges."
    group = slide.shapes.add_group_shape()
    inner = group.shapes.add_group_shape()
    inner.shapes.add_textbox(Inches(1), Inches(5), Inches(3), Inches(1)).text = "I want the tea."
    slide.notes_slide.notes_text_frame.text = "They drink the coffee now."
    deck.save(str(path))


def texts_of(shape: object) -> list[str]:
    found = []
    shapes = getattr(shape, "shapes", None)
    if shapes is not None:
        for child in shapes:
            found += texts_of(child)
    if getattr(shape, "has_text_frame", False):
        found += [p.text for p in shape.text_frame.paragraphs if p.text]  # type: ignore[attr-defined]
    if getattr(shape, "has_table", False):
        found += [c.text for row in shape.table.rows for c in row.cells if c.text]  # type: ignore[attr-defined]
    return found


def test_slides_tables_groups_and_notes_are_translated(marian: Translator, tmp_path: Path) -> None:
    source = tmp_path / "lesson.pptx"
    make_deck(source)
    prepared = pptx_deck.prepare_pptx(source, "ary")
    assert prepared.untranslated == []
    out = tmp_path / "lesson.ary.pptx"
    out.write_bytes(translate(prepared, marian))
    deck = Presentation(str(out))
    assert len(deck.slides) == 2
    texts = [t for slide in deck.slides for shape in slide.shapes for t in texts_of(shape)]
    assert "42" in texts
    words = [t for t in texts if t != "42"]
    assert len(words) == 7 and all(arabic(t) and not latin(t) for t in words), words
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert arabic(notes) and not latin(notes)
    # Layouts and masters are never shown as such: their prompts stay.
    layout_text = [t for shape in deck.slide_layouts[0].placeholders for t in texts_of(shape)]
    assert any(latin(t) for t in layout_text)
    # The link keeps its address and its own words; bold stays on its words.
    runs = deck.slides[1].shapes[1].text_frame.paragraphs[0].runs
    assert len(runs) == 5
    linked = [r for r in runs if r.hyperlink.address]
    assert [r.hyperlink.address for r in linked] == ["https://example.org/coffee"]
    whole = "".join(r.text for r in runs)
    assert linked[0].text.strip() and linked[0].text.strip() != whole.strip()
    bold = [r for r in runs if r.font.bold]
    assert len(bold) == 1 and bold[0].text.strip() and bold[0].text.strip() != whole.strip()
    # Right to left, aligned right.
    ppr = deck.slides[1].shapes[1].text_frame.paragraphs[0]._p.find(A + "pPr")
    assert ppr is not None and ppr.get("rtl") == "1" and ppr.get("algn") == "r"
    # A title slide's title keeps the centring it inherits from its layout.
    title_ppr = deck.slides[0].shapes.title.text_frame.paragraphs[0]._p.find(A + "pPr")
    assert title_ppr.get("rtl") == "1" and title_ppr.get("algn") is None


def test_smartart_and_chart_titles_translated_chart_data_reported(
    marian: Translator, tmp_path: Path
) -> None:
    source = tmp_path / "lesson.pptx"
    make_deck(source)
    chart = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title>'
        "<c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>I like the bread.</a:t></a:r></a:p></c:rich>"
        "</c:tx></c:title></c:chart></c:chartSpace>"
    )
    data = (
        '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt '
        'modelId="1"><dgm:t><a:bodyPr/><a:p><a:r><a:t>I want the tea.</a:t></a:r></a:p>'
        "</dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"
    )
    parts = {
        "ppt/charts/chart1.xml": ("drawingml.chart+xml", chart),
        "ppt/diagrams/data1.xml": ("drawingml.diagramData+xml", data),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as archive:
        for info in original.infolist():
            body = original.read(info)
            if info.filename == "[Content_Types].xml":
                extra = "".join(
                    f'<Override PartName="/{name}" ContentType="application/vnd.'
                    f'openxmlformats-officedocument.{kind}"/>'
                    for name, (kind, _) in parts.items()
                )
                body = body.replace(b"</Types>", extra.encode() + b"</Types>")
            archive.writestr(info, body)
        for name, (_, xml) in parts.items():
            archive.writestr(name, xml)
    source.write_bytes(buffer.getvalue())
    prepared = pptx_deck.prepare_pptx(source, "ary")
    assert prepared.untranslated == ["data labels and categories of 1 chart"]
    out = tmp_path / "out.pptx"
    out.write_bytes(translate(prepared, marian))
    with zipfile.ZipFile(out) as archive:
        for name in parts:
            root = __import__("lxml.etree").etree.fromstring(archive.read(name))
            texts = [t.text for t in root.iter(A + "t")]
            assert texts and all(arabic(t) and not latin(t) for t in texts), name


def test_files_that_are_not_presentations_are_refused(tmp_path: Path) -> None:
    word_file = tmp_path / "letter.pptx"
    docx.Document().save(str(word_file))
    with pytest.raises(InputError, match="not a readable PowerPoint presentation") as info:
        pptx_deck.prepare_pptx(word_file, "ary")
    assert "save it again as .pptx" in (info.value.hint or "")
    junk = tmp_path / "junk.pptx"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputError, match="not a readable PowerPoint presentation"):
        pptx_deck.prepare_pptx(junk, "ary")
    with pytest.raises(InputError, match="is a folder, not a PowerPoint presentation"):
        pptx_deck.prepare_pptx(tmp_path, "ary")


def test_cli_translates_a_deck_interleaved_and_says_what_it_left(
    marian_package: Path, tmp_path: Path, terjman_home: Path
) -> None:
    import os
    import subprocess
    import sys

    source = tmp_path / "lesson.pptx"
    make_deck(source)
    with zipfile.ZipFile(source) as original:
        infos = [(info, original.read(info)) for info in original.infolist()]
    with zipfile.ZipFile(source, "w") as archive:
        for info, data in infos:
            if info.filename == "[Content_Types].xml":
                data = data.replace(  # noqa: PLW2901 - the one part that changes
                    b"</Types>",
                    b'<Override PartName="/ppt/charts/chart1.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>',
                )
            archive.writestr(info, data)
        archive.writestr("ppt/charts/chart1.xml", "<c:chartSpace xmlns:c='urn:c'/>")
    env = {**os.environ, "TERJMAN_HOME": str(terjman_home), "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "terjman_desktop.cli",
            "translate",
            "--model",
            str(marian_package),
            "--input",
            str(source),
            "--bilingual",
            "interleaved",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Not translated: data labels and categories of 1 chart" in run.stdout + run.stderr
    deck = Presentation(str(tmp_path / "lesson.ary.pptx"))
    paragraphs = deck.slides[0].shapes.title.text_frame.paragraphs
    assert len(paragraphs) == 2 and paragraphs[0].text == "I want the tea."
    assert arabic(paragraphs[1].text)


def test_a_password_protected_presentation_says_what_to_do(tmp_path: Path) -> None:
    protected = tmp_path / "protected.pptx"
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(InputError, match="password-protected") as info:
        pptx_deck.prepare_pptx(protected, "ary")
    assert "PowerPoint" in (info.value.hint or "")


def test_a_pictures_description_is_translated(marian: Translator, tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "tea.png"
    Image.new("RGB", (4, 4), "white").save(image)
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    picture = slide.shapes.add_picture(str(image), Inches(1), Inches(1))
    picture._element.nvPicPr.cNvPr.set("descr", "I drink the tea now.")
    source = tmp_path / "picture.pptx"
    deck.save(str(source))
    out = tmp_path / "out.pptx"
    out.write_bytes(translate(pptx_deck.prepare_pptx(source, "ary"), marian))
    described = Presentation(str(out)).slides[0].shapes[0]._element.nvPicPr.cNvPr.get("descr")
    assert arabic(described) and not latin(described)
