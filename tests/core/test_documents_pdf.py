"""PDF text with pypdf: paragraphs rebuilt from line positions, and encrypted files.

The line positions below are the ones pypdf reports for PDFs LibreOffice Writer exported
(12 pt text, 15.9 pt line spacing, 22.8 pt between spaced paragraphs, a 1 cm first-line
indent, right-aligned Arabic whose lines start where they end on the left). The PDFs
themselves are made by ``make_pdf`` (tests/core/test_documents_formats.py) and pypdf's
writer; ``aes128_owner_only.pdf`` is ``make_pdf([[["I want the tea."]]])`` encrypted by
pypdf with AES-128, an owner password and an empty user password.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from terjman_desktop.core.documents.pdf import extract_paragraphs
from terjman_desktop.core.documents.pdf_lines import Line, paragraphs_of
from terjman_desktop.core.errors import InputError
from tests.core.test_documents_formats import make_pdf

AES_PDF = Path(__file__).resolve().parents[1] / "data" / "pdf" / "aes128_owner_only.pdf"


def lines(*rows: tuple[float, float, str], size: float = 12.0) -> list[Line]:
    return [Line(text, x, y, size) for x, y, text in rows]


def test_spaced_paragraphs_and_a_heading() -> None:
    page = [
        Line("A lesson about tea", 56.8, 779.1, 24.0),
        *lines(
            (56.8, 756.7, "I want the tea now and she likes the oranges. He wants the"),
            (56.8, 740.8, "water tomorrow and they drink the coffee."),
            (56.8, 717.9, "Second paragraph: the students read the text to-"),
            (56.8, 702.0, "gether, then each one writes three sentences."),
        ),
    ]
    assert paragraphs_of(page) == [
        "A lesson about tea",
        "I want the tea now and she likes the oranges. He wants the water tomorrow and they "
        "drink the coffee.",
        "Second paragraph: the students read the text together, then each one writes three "
        "sentences.",
    ]


def test_first_line_indents_without_gaps_and_bullets() -> None:
    page = lines(
        (85.2, 802.3, "0: The students read the text together in the classroom,"),
        (56.8, 786.5, "about the market and the bread."),
        (85.2, 770.6, "1: The students read the text."),
        (78.1, 754.8, "• First item in a list"),
        (78.1, 738.9, "• Second item, which wraps onto"),
        (92.3, 723.1, "a second line."),
        (56.8, 707.2, "After the list, not indented."),
    )
    assert paragraphs_of(page) == [
        "0: The students read the text together in the classroom, about the market and the bread.",
        "1: The students read the text.",
        "• First item in a list",
        "• Second item, which wraps onto a second line.",
        "After the list, not indented.",
    ]


def test_right_aligned_arabic_keeps_its_short_last_line() -> None:
    page = lines(
        (80.9, 802.4, "التلاميذ كيقراو النص مجموعين فالقسم، من بعد كل واحد"),
        (306.1, 786.3, "والخبز والحوت. سالينا."),
        (80.9, 761.7, "التلاميذ كيقراو النص مجموعين فالقسم، من بعد كل واحد"),
        (59.5, 745.6, "والخبز والحوت والخضرة اللي شافو فالطريق، من بعد كل"),
        (98.7, 729.5, "فيهم كيكتب تلاتة ديال الجمل. سالينا."),
    )
    assert [p[-7:] for p in paragraphs_of(page)] == ["سالينا.", "سالينا."]
    assert len(paragraphs_of(page)) == 2


def test_hyphens_columns_and_pieces_of_one_line() -> None:
    page = lines(
        (72, 700, "the Anglo-"),
        (72, 686, "Saxon words, state-of-the-"),
        (72, 672, "art ones and a soft hyphen\u00ad"),
        (72, 658, "ated word; 2024-"),
        (72, 644, "2025 and"),
        (150, 644, "a piece on the same line."),
        (320, 700, "The next column."),  # back up the page
    )
    assert paragraphs_of(page) == [
        "the Anglo-Saxon words, state-of-the-art ones and a soft hyphenated word; 2024-2025 "
        "and a piece on the same line.",
        "The next column.",
    ]


def test_double_spaced_text_and_a_lone_gap() -> None:
    double = lines(
        (72, 700, "Double spaced text goes"),
        (72, 676, "on over lines."),
        (72, 640, "A new paragraph."),
        (72, 616, "Still it."),
    )
    assert paragraphs_of(double) == [
        "Double spaced text goes on over lines.",
        "A new paragraph. Still it.",
    ]
    assert paragraphs_of(lines((72, 700, "I like the bread."), (72, 658, "2024"))) == [
        "I like the bread.",
        "2024",
    ]
    assert paragraphs_of([]) == [] and paragraphs_of(lines((72, 700, "  "))) == []


def encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[["I want the tea."]]]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    path = tmp_path / f"locked-{bool(user_password)}.pdf"
    with path.open("wb") as out:
        writer.write(out)
    return path


def test_encrypted_pdfs(tmp_path: Path) -> None:
    # Encrypted only against printing/copying (empty user password): read as usual.
    assert [p.text for p in extract_paragraphs(encrypted(tmp_path, ""))] == ["I want the tea."]
    with pytest.raises(InputError, match="protected by a password") as info:
        extract_paragraphs(encrypted(tmp_path, "secret"))
    assert info.value.hint
    # Certificate or DRM encryption: pypdf has only the standard (password) handler.
    other = tmp_path / "certificate.pdf"
    other.write_bytes(encrypted(tmp_path, "").read_bytes().replace(b"/Standard", b"/PubSec12", 1))
    with pytest.raises(InputError, match="encrypted in a way Terjman cannot open") as info:
        extract_paragraphs(other)
    assert info.value.hint
    # A compression pypdf does not know: refused as unreadable, not a crash.
    odd = tmp_path / "odd-filter.pdf"
    odd.write_bytes(
        make_pdf([[["I want the tea."]]]).replace(b"<< /Length", b"<< /Filter /Zip /Length", 1)
    )
    with pytest.raises(InputError, match="not a readable PDF"):
        extract_paragraphs(odd)


def test_aes_without_cryptography_is_refused_clearly() -> None:
    # The frozen app leaves the optional cryptography package out (packaging/terjman.spec).
    script = (
        "import sys; sys.modules['cryptography'] = sys.modules['Crypto'] = None\n"
        "from pathlib import Path\n"
        "from terjman_desktop.core.documents.pdf import extract_paragraphs\n"
        "from terjman_desktop.core.errors import InputError\n"
        "try:\n"
        f"    extract_paragraphs(Path({str(AES_PDF)!r}))\n"
        "except InputError as error:\n"
        "    print(error.message, '|', error.hint)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert "encrypted (AES)" in done.stdout and "unencrypted copy" in done.stdout, done.stderr
