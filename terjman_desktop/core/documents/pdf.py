"""PDF (``.pdf``): the text is extracted and translated into a ``.docx`` or ``.txt``.

A PDF is a page description, not a document to edit: Terjman extracts its text with
``pypdf`` (pure Python, so the frozen app carries no native PDF library and no
``cryptography``), then rebuilds paragraphs from where each line is drawn (see
:mod:`terjman_desktop.core.documents.pdf_lines`): a sentence broken over lines is
translated whole and a word hyphenated at a line end is joined. The translation is
written as a Word document (one paragraph per paragraph found, a page break between
pages) or plain text. **The PDF's layout — columns, fonts, pictures, positions — is not
kept**: the result says so, and the document's first line too. A scanned PDF has no text
to extract and is refused; so is an encrypted PDF that cannot be opened without a
password (or, for AES, without the optional ``cryptography`` package).

Bilingual: "interleaved" puts each source paragraph before its translation; with a
``.docx`` output "side_by_side" puts them in a two-column table.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from terjman_desktop.core.documents.pdf_lines import Line, paragraphs_of
from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    PrepareOptions,
    encode_output,
)
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.languages import is_right_to_left
from terjman_desktop.core.readfile import read_input_file
from terjman_desktop.core.textfile import UTF8

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

MAX_PDF_BYTES = 100 * 1024 * 1024
LAYOUT_NOTE = (
    "Only the text of the PDF was translated: its layout (columns, fonts, "
    "pictures, positions) is not kept."
)
# What a damaged file can raise from inside pypdf besides its own errors.
_BROKEN = (
    ArithmeticError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
    AssertionError,
    RecursionError,
    EOFError,
    NotImplementedError,  # a filter or an encryption handler pypdf does not have
    zlib.error,
    struct.error,
)


@dataclass(frozen=True)
class _Paragraph:
    page: int
    text: str


def _read(path: Path) -> bytes:
    return read_input_file(path, max_bytes=MAX_PDF_BYTES, noun="a PDF",
                           split_hint="Split it into smaller PDF files.")


def _unreadable(path: Path, error: BaseException) -> InputError:
    return InputError(
        f"'{path.name}' is not a readable PDF ({type(error).__name__}).",
        hint="Open it in a PDF reader and print it to a new PDF.",
    )


def _protected(path: Path) -> InputError:
    return InputError(
        f"'{path.name}' is protected by a password.",
        hint="Save an unprotected copy and translate that.",
    )


def _needs_aes(path: Path) -> InputError:
    # pypdf decrypts AES with the optional cryptography package, which the app leaves out.
    return InputError(
        f"'{path.name}' is encrypted (AES), which Terjman cannot open.",
        hint="Save an unencrypted copy (print it to a new PDF) and translate that.",
    )


def _open(path: Path, raw: bytes) -> PdfReader:
    """A reader for ``raw``, decrypted when that needs no password."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        # pypdf tries the empty password itself: many PDFs are encrypted only to restrict
        # printing or copying, and open without one.
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _protected(path)
        return reader
    except InputError:
        raise
    except DependencyError:
        raise _needs_aes(path) from None
    except NotImplementedError as error:
        if b"/Encrypt" in raw:  # certificate or DRM encryption: not the standard handler
            raise InputError(
                f"'{path.name}' is encrypted in a way Terjman cannot open.",
                hint="Save an unencrypted copy (print it to a new PDF) and translate that.",
            ) from None
        raise _unreadable(path, error) from None
    except (PyPdfError, *_BROKEN) as error:
        raise _unreadable(path, error) from None


def _lines(page: PageObject) -> list[Line]:
    """The page's lines of text, each with where its baseline starts and its font size."""
    lines: list[Line] = []
    parts: list[str] = []
    where: list[tuple[float, float, float]] = []

    def finish() -> None:
        text = "".join(parts)
        if text.strip() and where:
            x, y, size = where[0]
            lines.append(Line(text, x, y, size))
        parts.clear()
        where.clear()

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        # pypdf hands over what it writes to the text, a line end as its own "\n".
        for number, piece in enumerate(text.split("\n")):
            if number:
                finish()
            if not piece:
                continue
            if not where and piece.strip():
                # The text matrix in page space (tm × cm): where the line starts.
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[3] * cm[3] + tm[2] * cm[1]) or abs(tm[0] * cm[0]) or 1.0
                where.append((x, y, abs(size) * scale))
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    finish()
    return lines


def extract_paragraphs(path: Path) -> list[_Paragraph]:
    """The paragraphs of every page, in the order they are drawn.

    Raises:
        InputError: not a PDF, encrypted with a password, or without any text (a scan).
    """
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    reader = _open(path, _read(path))
    paragraphs: list[_Paragraph] = []
    try:
        for number, page in enumerate(reader.pages):
            for text in paragraphs_of(_lines(page)):
                paragraphs.append(_Paragraph(number, text))
    except FileNotDecryptedError:
        raise _protected(path) from None
    except DependencyError:  # objects are decrypted as they are read
        raise _needs_aes(path) from None
    except (PyPdfError, *_BROKEN) as error:  # a broken file reaches pypdf's code in many ways
        raise _unreadable(path, error) from None
    if not any(any(c.isalpha() for c in p.text) for p in paragraphs):
        raise InputError(
            f"'{path.name}' has no text to extract (is it a scan?).",
            hint="Terjman translates text, not pictures of text; use a PDF with selectable text.",
        )
    return paragraphs


def _docx(
    paragraphs: list[_Paragraph], translations: list[str], options: PrepareOptions, name: str
) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement

    document = docx.Document()
    note = document.add_paragraph().add_run(f"{name}: {LAYOUT_NOTE}")
    note.italic = True
    rtl = is_right_to_left(options.target_language)

    def translated(paragraph: Any) -> Any:
        if rtl:
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return paragraph

    page = 0
    table = None
    for source, translation in zip(paragraphs, translations, strict=True):
        if source.page != page:
            page, table = source.page, None
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if options.bilingual == "side_by_side":
            if table is None:
                table = document.add_table(rows=0, cols=2)
                table.style = "Table Grid"
            cells = table.add_row().cells
            cells[0].text = source.text
            cells[1].text = translation
            translated(cells[1].paragraphs[0])
            continue
        if options.bilingual == "interleaved":
            document.add_paragraph(source.text)
        translated(document.add_paragraph(translation))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _txt(
    paragraphs: list[_Paragraph], translations: list[str], options: PrepareOptions, name: str
) -> bytes:
    blocks = [f"{name}: {LAYOUT_NOTE}"]
    for source, translation in zip(paragraphs, translations, strict=True):
        blocks.append(
            f"{source.text}\n{translation}" if options.bilingual == "interleaved" else translation
        )
    return encode_output("\n\n".join(blocks) + "\n", UTF8, name)


def prepare_pdf(path: Path, options: PrepareOptions) -> Prepared:
    """Extract the PDF's paragraphs; rendering writes them translated as .docx or .txt."""
    as_text = options.output_suffix == ".txt"
    if as_text and options.bilingual == "side_by_side":
        raise InputError(
            "A text file cannot show the source and translation side by side.",
            hint="Choose interleaved, or a .docx output.",
        )
    paragraphs = extract_paragraphs(path)

    def render(translations: list[str]) -> bytes:
        write = _txt if as_text else _docx
        return write(paragraphs, translations, options, path.name)

    return Prepared([p.text for p in paragraphs], render, notes=[LAYOUT_NOTE])


FORMAT = DocumentFormat(
    ".pdf",
    "PDF documents (text only)",
    prepare_pdf,
    bilingual=("interleaved", "side_by_side"),
    output_suffixes=(".docx", ".txt"),
)
