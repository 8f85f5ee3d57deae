"""Office files written by LibreOffice (tests/data/office), translated with the tiny model.

Counted as benchmarks/document_fidelity.py counts (issue 17): every link and formatted run
inside a sentence keeps words of its own, every text block is translated, and the result
opens again in the library that reads its format.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from lxml import etree
from odf.opendocument import load
from pptx import Presentation

from benchmarks.document_fidelity import compare
from terjman_desktop.core.documents import translate_file
from terjman_desktop.core.translate import Direction, TranslationOptions, Translator

DATA = Path(__file__).resolve().parents[1] / "data" / "office"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EN_ARY = Direction("en", "ary")
FAST = TranslationOptions.for_quality("fast")


@pytest.fixture(scope="module")
def marian(marian_package: Path) -> Translator:
    return Translator(marian_package, device="cpu", threads=1)


@pytest.mark.parametrize(
    ("name", "links", "runs"),
    [("lesson.docx", 5, 9), ("lesson.odt", 5, 9), ("notes.docx", 1, 1), ("deck.pptx", 1, 1)],
)
def test_libreoffice_files_keep_links_and_formatting(
    marian: Translator, tmp_path: Path, name: str, links: int, runs: int
) -> None:
    source = DATA / name
    result = translate_file(source, tmp_path / name, marian, EN_ARY, FAST)
    assert result.untranslated == ()
    counts: Counter[str] = Counter()
    compare(source, result.path, counts)
    assert counts["links"] == counts["links kept"] == links, counts
    assert counts["formatted runs"] == counts["formatted runs kept"] == runs, counts
    kinds = [k for k in counts if k.startswith("blocks ") and not k.endswith("translated")]
    assert kinds and all(counts[f"{k} translated"] == counts[k] for k in kinds), counts
    if name.endswith(".docx"):
        docx.Document(str(result.path))
    elif name.endswith(".odt"):
        load(str(result.path))
    else:
        Presentation(str(result.path))


def test_libreoffice_bidi_off_is_switched_on(marian: Translator, tmp_path: Path) -> None:
    # LibreOffice writes <w:bidi w:val="0"/> on every paragraph: it must become right to
    # left, not stay "off" beside Darija text.
    result = translate_file(DATA / "lesson.docx", tmp_path / "out.docx", marian, EN_ARY, FAST)
    with zipfile.ZipFile(result.path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    translated = [
        p
        for p in body.iter(W + "p")
        if any("\u0600" <= c <= "\u06ff" for t in p.iter(W + "t") for c in t.text or "")
    ]
    assert translated
    for paragraph in translated:
        bidi = paragraph.find(f"{W}pPr/{W}bidi")
        assert bidi is not None and bidi.get(W + "val") is None
