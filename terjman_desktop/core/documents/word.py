"""Word documents for :mod:`documents`, with python-docx.

Every paragraph is translated where it is: the body, tables (nested ones too), text boxes,
headers and footers. Comments, footnotes and endnotes are left as they are.

How formatting maps onto a translation. A paragraph's text lives in runs, each with its own
formatting. Word order changes in translation, so a translation cannot be cut back into
the source's runs word by word. Instead:

* A paragraph is split into *lines* at tabs, line breaks, pictures and fields; these stay
  exactly where they are and each line is translated on its own.
* Within a line, consecutive runs with the same formatting form a *span*. Two spans stay
  apart — translated separately, each keeping its formatting — when the first ends a
  sentence or a label (``.``, ``!``, ``?``, ``:``, ``;``…), as in "**Note:** bring your
  book." Otherwise (emphasis inside a sentence, "I like **green** tea") they are translated
  together, and the translation takes the formatting of the span with the most text.
* The translated text goes into the first text element of that span; the other text
  elements of the group are emptied (not removed), so run properties, bookmarks, comments
  anchors and fields stay valid.

Right-to-left. For Darija (and Arabic) output, each translated paragraph gets ``w:bidi``
(right-to-left paragraph), left or unset alignment becomes right alignment (centred and
justified stay), and the runs that receive text get ``w:rtl`` plus the complex-script twins
of their bold, italic and size (``w:bCs``, ``w:iCs``, ``w:szCs``) — Word formats Arabic
characters with those, so without them bold Darija would not be bold. For English output
from a right-to-left source the reverse is done.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from terjman_desktop.core.documents.prepared import DocumentFormat, Prepared
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.languages import is_right_to_left
from terjman_desktop.core.readfile import FileReadError, read_regular_file

# python-docx holds every part of a document in memory and parses every XML part, so the
# sizes a .docx *declares* are checked before it is opened: a document that would unpack
# to 600 MB used 1.27 GB of memory before being refused. Reading can never yield more than
# was declared — zipfile cuts a deflated entry at its declared size and checks its CRC —
# but only for the two methods Word writes (stored, deflated): bzip2 or LZMA entries are
# decompressed in one piece, whatever their header says, so they are refused.
MAX_DOCX_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_XML_PART_BYTES = 64 * 1024 * 1024
MAX_DOCX_ENTRIES = 10_000
_WORD_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_SPLIT_HINT = "Split the document into smaller files."
_SENTENCE_END = tuple(".!?:;…؟؛")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RUN_PATHS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
# Run content that ends a line of text: it stays where it is, and the text either side of
# it is translated separately.
_BREAKS = frozenset(
    _W + name for name in ("tab", "ptab", "br", "cr", "drawing", "pict", "object", "fldChar")
)
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
    "rPr", "sectPr", "pPrChange",
)
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr",
    "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
    "oMath",
)


@dataclass
class _Span:
    """Consecutive text elements (``w:t``) of runs with the same formatting."""

    key: str
    texts: list[Any] = field(default_factory=list)
    runs: list[Any] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(t.text or "" for t in self.texts)


@dataclass
class _Unit:
    """Spans translated together; the translation goes to the ``main`` span."""

    paragraph: Any
    spans: list[_Span]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def main(self) -> _Span:
        return max(self.spans, key=lambda span: len(span.text.strip()))


def _read(path: Path) -> bytes:
    """The bytes of the document (a regular file of at most :data:`MAX_DOCX_BYTES`)."""
    try:
        return read_regular_file(path, max_bytes=MAX_DOCX_BYTES)
    except FileReadError as error:
        if error.kind == "missing":
            raise InputError(f"The file '{path}' does not exist.") from None
        if error.kind == "too_large":
            raise InputError(f"'{path.name}' is too large ({error.size / 1e6:.0f} MB).",
                             hint=_SPLIT_HINT) from None
        if error.kind == "not_a_file":
            raise InputError(f"'{path}' is {error.what}, not a Word document.") from None
        raise InputError(f"'{path.name}' {error.problem}.") from None


def check_unpacked_sizes(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a document whose parts would not fit in memory, before any is read.

    Raises:
        InputError: too many parts, a part compressed in a way Word never uses, an XML
            part or a total unpacked size over the caps.
    """
    infos = archive.infolist()
    if len(infos) > MAX_DOCX_ENTRIES:
        raise InputError(f"'{name}' holds {len(infos)} parts; a Word document has far fewer.",
                         hint="Open it in Word or LibreOffice and save it again as .docx.")
    total = 0
    for info in infos:
        if info.compress_type not in _WORD_METHODS:
            raise InputError(
                f"'{name}' holds a part compressed in a way Word does not use "
                f"({info.filename!r}).",
                hint="Open it in Word or LibreOffice and save it again as .docx.",
            )
        if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
            raise InputError(
                f"'{name}' has a part of {info.file_size / 1e6:.0f} MB of text to read "
                f"({info.filename!r}; at most {MAX_XML_PART_BYTES / 1e6:.0f} MB).",
                hint=_SPLIT_HINT,
            )
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"'{name}' unpacks to {total / 1e6:.0f} MB (at most "
            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB).",
            hint=_SPLIT_HINT,
        )


def _open(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    raw = _read(path)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            check_unpacked_sizes(archive, path.name)
        return docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, PackageNotFoundError, KeyError, ValueError,
            SyntaxError, EOFError) as error:  # lxml's XMLSyntaxError is a SyntaxError
        raise InputError(
            f"'{path.name}' is not a readable Word document ({type(error).__name__}).",
            hint="Open it in Word or LibreOffice and save it again as .docx.",
        ) from None


def _paragraphs(document: Any) -> Iterator[Any]:
    """Every ``w:p`` of the body and of the headers and footers, each once."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    roots = [document.element.body]
    seen_parts = set()
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            part = rel.target_part
            if id(part) not in seen_parts:
                seen_parts.add(id(part))
                roots.append(part.element)
    for root in roots:
        yield from root.iter(_W + "p")


def _lines(paragraph: Any) -> list[list[_Span]]:
    """The paragraph's text, as lines (split at breaks) of formatting spans."""
    lines: list[list[_Span]] = [[]]
    for run in paragraph.xpath(_RUN_PATHS):
        rpr = run.find(_W + "rPr")
        key = rpr.xml if rpr is not None else ""
        parent = run.getparent()
        if parent is not None and parent.tag == _W + "hyperlink":
            key += f"|link:{id(parent)}"
        for child in run:
            if child.tag in _BREAKS:
                if lines[-1]:
                    lines.append([])
            elif child.tag == _W + "t":
                line = lines[-1]
                if not line or line[-1].key != key:
                    line.append(_Span(key))
                line[-1].texts.append(child)
                if not line[-1].runs or line[-1].runs[-1] is not run:
                    line[-1].runs.append(run)
    return [line for line in lines if line]


def _units(paragraph: Any) -> list[_Unit]:
    units: list[_Unit] = []
    for line in _lines(paragraph):
        group: list[_Span] = [line[0]]
        for span in line[1:]:
            before = "".join(s.text for s in group).rstrip()
            if before and before.endswith(_SENTENCE_END) and span.text.strip():
                units.append(_Unit(paragraph, group))
                group = [span]
            else:
                group.append(span)
        units.append(_Unit(paragraph, group))
    return units


def _set(parent: Any, name: str, order: tuple[str, ...], value: str | None) -> None:
    """Add (or update, with ``value`` as ``w:val``) or remove (``value`` None) a child."""
    from docx.oxml import OxmlElement

    tag = _W + name
    existing = parent.find(tag)
    if value is None:
        if existing is not None:
            parent.remove(existing)
        return
    if existing is None:
        existing = OxmlElement(f"w:{name}")
        later = {_W + n for n in order[order.index(name) + 1:]}
        for position, child in enumerate(parent):
            if child.tag in later:
                parent.insert(position, existing)
                break
        else:
            parent.append(existing)
    if value:
        existing.set(_W + "val", value)


def _set_direction(paragraph: Any, runs: list[Any], rtl: bool) -> None:
    ppr = paragraph.get_or_add_pPr()
    jc = ppr.find(_W + "jc")
    align = jc.get(_W + "val") if jc is not None else None
    if rtl:
        _set(ppr, "bidi", _PPR_ORDER, "")
        if align in (None, "left", "start"):
            _set(ppr, "jc", _PPR_ORDER, "right")
    elif ppr.find(_W + "bidi") is not None:
        _set(ppr, "bidi", _PPR_ORDER, None)
        if align in ("right", "end"):
            _set(ppr, "jc", _PPR_ORDER, None)
    for run in runs:
        rpr = run.get_or_add_rPr()
        if not rtl:
            _set(rpr, "rtl", _RPR_ORDER, None)
            continue
        _set(rpr, "rtl", _RPR_ORDER, "")
        for latin, complex_script in (("b", "bCs"), ("i", "iCs"), ("sz", "szCs")):
            source = rpr.find(_W + latin)
            if source is not None and rpr.find(_W + complex_script) is None:
                _set(rpr, complex_script, _RPR_ORDER, source.get(_W + "val", ""))


def _write(unit: _Unit, translation: str) -> None:
    main = unit.main
    for span in unit.spans:
        for t in span.texts:
            if t is not main.texts[0]:
                t.text = ""
    target = main.texts[0]
    target.text = translation
    if translation != translation.strip():
        target.set(_XML_SPACE, "preserve")


def prepare_docx(path: Path, target_language: str) -> Prepared:
    """Read a ``.docx`` into units; rendering writes the translated document's bytes."""
    document = _open(path)
    units = [unit for p in _paragraphs(document) for unit in _units(p)]
    rtl = is_right_to_left(target_language)

    def render(translations: list[str]) -> bytes:
        changed: dict[int, tuple[Any, list[Any]]] = {}
        for unit, translation in zip(units, translations, strict=True):
            if translation == unit.text:
                continue
            _write(unit, translation)
            entry = changed.setdefault(id(unit.paragraph), (unit.paragraph, []))
            entry[1].extend(unit.main.runs)
        for paragraph, runs in changed.values():
            _set_direction(paragraph, runs, rtl)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return Prepared([unit.text for unit in units], render)


FORMAT = DocumentFormat(
    ".docx", "Word documents", lambda path, options: prepare_docx(path, options.target_language)
)
