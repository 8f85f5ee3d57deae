"""benchmarks/document_fidelity.py on a folder of documents made here, with the tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import document_fidelity
from tests.core.test_documents_odt import make_odt
from tests.core.test_documents_pptx import make_deck
from tests.core.test_documents_word import make_linked


def test_counts_links_runs_and_blocks(
    marian_package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    make_linked(folder / "links.docx")
    make_deck(folder / "deck.pptx")
    make_odt(folder / "notes.odt")
    (folder / "ignored.txt").write_text("not an office file", encoding="utf-8")
    out = tmp_path / "counts.json"
    code = document_fidelity.main(
        [
            str(folder),
            "--model",
            str(marian_package),
            "--json",
            str(out),
            "--out",
            str(tmp_path / "translated"),
        ]
    )
    assert code == 0
    counts = json.loads(out.read_text(encoding="utf-8"))["counts"]
    assert counts["files .docx"] == counts["files .pptx"] == counts["files .odt"] == 1
    assert counts["links"] == counts["links kept"] == 5  # 3 in the .docx, 1 each elsewhere
    assert counts["formatted runs"] == counts["formatted runs kept"] >= 4
    blocks = [k for k in counts if k.startswith("blocks ") and k.count(" ") == 1]
    assert blocks and all(counts[f"{k} untranslated"] == 0 for k in blocks)
    assert "links kept" in capsys.readouterr().out
    assert len(list((tmp_path / "translated").iterdir())) == 3
