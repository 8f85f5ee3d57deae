"""The document dialog with office files: .pptx and .odt end to end, what was left said."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from pptx import Presentation

from terjman_desktop.gui.document_dialog import DocumentDialog

WAIT = 15_000


def arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def open_dialog(make_window: Any) -> DocumentDialog:
    window = make_window()
    window.open_document_dialog()
    dialog = window.findChild(DocumentDialog)
    assert isinstance(dialog, DocumentDialog) and dialog.model is not None
    return dialog


def _core_tests() -> Any:
    """The core tests' document builders (python-pptx and odfpy)."""
    from tests.core import test_documents_odt, test_documents_pptx

    return test_documents_pptx, test_documents_odt


def test_a_presentation_interleaved_with_its_chart_data_reported(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path
) -> None:
    pptx_tests, _ = _core_tests()
    source = tmp_path / "lesson.pptx"
    pptx_tests.make_deck(source)
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
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    assert dialog.output_edit.text() == str(tmp_path / "lesson.ary.pptx")
    dialog.bilingual_combo.setCurrentIndex(dialog.bilingual_combo.findData("interleaved"))
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    assert "Not translated: data labels and categories of 1 chart." in dialog.estimate.text()
    deck = Presentation(str(tmp_path / "lesson.ary.pptx"))
    title = deck.slides[0].shapes.title.text_frame.paragraphs
    assert title[0].text == "I want the tea." and arabic(title[1].text)


def test_an_opendocument_text(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path
) -> None:
    _, odt_tests = _core_tests()
    source = tmp_path / "lesson.odt"
    odt_tests.make_odt(source)
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    with zipfile.ZipFile(tmp_path / "lesson.ary.odt") as archive:
        content = archive.read("content.xml").decode()
    assert arabic(content) and "I want the tea." not in content
    assert "Not translated" not in dialog.estimate.text()
