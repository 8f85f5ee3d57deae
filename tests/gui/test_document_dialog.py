"""The document dialog: progress, output next to the input, overwrite question, cancel."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QFileDialog, QMessageBox

from terjman_desktop.core.translate.engine import Translator
from terjman_desktop.core.translate.manifest import Direction
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


def test_translates_a_text_file_next_to_it(
    make_window: Any,
    qtbot: Any,
    marian_installed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "lesson.txt"
    source.write_text("I want water.\n\nHello my friend.\n", encoding="utf-8")
    dialog = open_dialog(make_window)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(source), ""))
    )
    dialog.browse_button.click()
    assert dialog.output_edit.text() == str(tmp_path / "lesson.ary.txt")
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    translator = Translator(marian_installed, device="cpu")
    lines = [
        translator.translate(t, Direction("en", "ary")).text
        for t in ("I want water.", "Hello my friend.")
    ]
    assert (tmp_path / "lesson.ary.txt").read_text(encoding="utf-8") == (
        f"{lines[0]}\n\n{lines[1]}\n"
    )
    assert dialog.progress.value() == 1000
    assert not dialog.open_button.isHidden()
    assert dialog.translate_button.isEnabled()


def test_csv_offers_its_columns(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path
) -> None:
    source = tmp_path / "words.csv"
    source.write_text("id,english\n1,I want water.\n", encoding="utf-8")
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    assert not dialog.column_combo.isHidden()
    assert not dialog.translate_button.isEnabled()  # until the header is read, on a worker
    qtbot.waitUntil(lambda: dialog.column_combo.count() == 2, timeout=WAIT)
    assert [dialog.column_combo.itemText(i) for i in range(dialog.column_combo.count())] == [
        "id",
        "english",
    ]
    assert dialog.translate_button.isEnabled()
    dialog.column_combo.setCurrentIndex(1)
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    rows = (tmp_path / "words.ary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "id,english,english (ary)"  # beside the source, by default
    assert rows[1].startswith("1,I want water.,") and arabic(rows[1])
    dialog.mode_combo.setCurrentIndex(dialog.mode_combo.findData("replace"))
    dialog.output_edit.setText(str(tmp_path / "replaced.csv"))
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written == tmp_path / "replaced.csv", timeout=WAIT)
    rows = (tmp_path / "replaced.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "id,english" and "I want water." not in rows[1] and arabic(rows[1])


def test_never_overwrites_without_asking(
    make_window: Any,
    qtbot: Any,
    marian_installed: Path,
    tmp_path: Path,
    message_boxes: Any,
) -> None:
    source = tmp_path / "lesson.txt"
    source.write_text("I want water.\n", encoding="utf-8")
    existing = tmp_path / "lesson.ary.txt"
    existing.write_text("keep me", encoding="utf-8")
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    message_boxes.answer = QMessageBox.StandardButton.No
    dialog.translate_button.click()
    assert "already exists" in message_boxes.texts("question")[-1]
    assert dialog.task is None
    assert existing.read_text(encoding="utf-8") == "keep me"
    message_boxes.answer = QMessageBox.StandardButton.Yes
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    assert existing.read_text(encoding="utf-8") != "keep me"


def test_cancel_writes_nothing(
    make_window: Any,
    qtbot: Any,
    marian_installed: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = Translator.translate_many

    def slow(
        self: Translator,
        texts: Any,
        direction: Any,
        options: Any = None,
        progress: Any = None,
        cancel: Any = None,
    ) -> Any:
        deadline = time.monotonic() + 10
        while cancel is not None and not cancel.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        return original(self, texts, direction, options, progress, cancel)

    monkeypatch.setattr(Translator, "translate_many", slow)
    source = tmp_path / "lesson.txt"
    source.write_text("I want water.\n", encoding="utf-8")
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    dialog.translate_button.click()
    assert dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=WAIT)
    assert dialog.estimate.text() == "Cancelled."
    assert not (tmp_path / "lesson.ary.txt").exists()


def test_unsupported_file_shows_what_to_do(
    make_window: Any,
    qtbot: Any,
    marian_installed: Path,
    tmp_path: Path,
    message_boxes: Any,
) -> None:
    source = tmp_path / "old.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: bool(message_boxes.shown), timeout=WAIT)
    assert "Save it as .docx" in message_boxes.shown[-1][2]


def test_options_follow_the_chosen_format(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path
) -> None:
    dialog = open_dialog(make_window)
    layouts = {dialog.bilingual_combo.itemData(i): i for i in range(dialog.bilingual_combo.count())}

    def enabled(layout: str) -> bool:
        model = dialog.bilingual_combo.model()
        assert isinstance(model, QStandardItemModel)
        return model.item(layouts[layout]).isEnabled()

    subtitles = tmp_path / "film.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,000\nI want water.\n", encoding="utf-8")
    dialog.set_input(subtitles)
    assert enabled("interleaved") and not enabled("side_by_side")
    assert not dialog.encoding_combo.isHidden() and dialog.column_combo.isHidden()
    assert dialog.format_note.isHidden()
    pdf = tmp_path / "lesson.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    dialog.set_input(pdf)
    assert dialog.output_edit.text() == str(tmp_path / "lesson.ary.docx")
    assert not dialog.format_note.isHidden() and "layout" in dialog.format_note.text()
    assert enabled("interleaved") and enabled("side_by_side")
    assert dialog.encoding_combo.isHidden()


def test_a_detected_encoding_and_a_bilingual_copy(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path
) -> None:
    source = tmp_path / "notes.txt"
    source.write_bytes("I want water at the café.\n".encode("cp1252"))  # Notepad's Western
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    dialog.bilingual_combo.setCurrentIndex(dialog.bilingual_combo.findData("interleaved"))
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    assert "Windows-1252 (detected)" in dialog.estimate.text()  # said, not guessed silently
    lines = (tmp_path / "notes.ary.txt").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "I want water at the café." and arabic(lines[1])
    # The same encoding as the input cannot hold Darija: a clear error, nothing written.
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("same"))
    dialog.output_edit.setText(str(tmp_path / "same.txt"))
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=WAIT)
    assert not (tmp_path / "same.txt").exists()


def test_excel_all_cells_or_one_column(
    make_window: Any, qtbot: Any, marian_installed: Path, tmp_path: Path
) -> None:
    import openpyxl

    source = tmp_path / "words.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "english"])
    book.active.append([1, "I want water."])
    book.active["B2"].comment = openpyxl.comments.Comment("A note.", "Teacher")
    book.save(source)
    dialog = open_dialog(make_window)
    dialog.set_input(source)
    qtbot.waitUntil(lambda: dialog.column_combo.count() == 3, timeout=WAIT)
    assert dialog.column_combo.itemText(0) == "All text cells"
    dialog.column_combo.setCurrentIndex(2)  # english
    dialog.translate_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=WAIT)
    sheet = openpyxl.load_workbook(tmp_path / "words.ary.xlsx").active
    assert sheet["B2"].value == "I want water." and arabic(sheet["C2"].value)
    assert "Not translated: 1 cell comment." in dialog.estimate.text()
