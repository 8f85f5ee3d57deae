"""Word documents (.docx) for :mod:`documents`, read and written with lxml.

Translated: every paragraph of the body, tables (nested ones too), text boxes, headers and
footers, comments, footnotes and endnotes, SmartArt text (its data and the drawing Word
shows), chart titles, and the descriptions (alt text) and titles of pictures. A
paragraph's text is gathered from its runs wherever they sit: inside links, tracked
insertions and moves (``w:ins``, ``w:moveTo``), inline content controls (``w:sdt``),
``w:customXml``, smart tags and bidi overrides; deleted text (``w:del``, ``w:moveFrom``)
is left alone. Simple fields (``w:fldSimple``: a page number) keep their
computed text, except links written as fields (``HYPERLINK``), whose words are translated.

Links and inline formatting are carried by :mod:`~terjman_desktop.core.documents.inline`:
a paragraph is cut into *lines* at tabs, line breaks, pictures and complex fields (these
stay exactly where they are), then into units; runs of another look and links get their own
words of the translation, and every run keeps its properties. No run, link or bookmark is
added or removed.

Not translated, and said so in :attr:`Prepared.untranslated`: the data labels and categories
of charts (they come from the chart's own spreadsheet), equations and objects of other
programs embedded in the document.

Right-to-left. For Darija (and Arabic) output, each translated paragraph gets ``w:bidi``
(right-to-left paragraph), left or unset alignment becomes right alignment (centred and
justified stay), and the runs that receive text get ``w:rtl`` plus the complex-script twins
of their bold, italic and size (``w:bCs``, ``w:iCs``, ``w:szCs``) — Word formats Arabic
characters with those, so without them bold Darija would not be bold. For English output
from a right-to-left source the reverse is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from terjman_desktop.core.documents import drawingml, opc
from terjman_desktop.core.documents.inline import (
    InlineBatch,
    Line,
    Placement,
    Slot,
    SourceCopies,
    Unit,
    add_text,
    attribute_units,
    units_of_line,
)
from terjman_desktop.core.documents.prepared import Bilingual, DocumentFormat, Prepared
from terjman_desktop.core.documents.zipdoc import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_XML_PART_BYTES,
    Kind,
    ZipDocument,
    new_child,
    remove_keeping_tail,
)
from terjman_desktop.core.languages import is_right_to_left

# The limits (see zipdoc) under the names this module always had.
MAX_DOCX_BYTES = MAX_FILE_BYTES
MAX_DOCX_ENTRIES = MAX_ENTRIES
__all__ = [
    "FORMAT",
    "MAX_DOCX_BYTES",
    "MAX_DOCX_ENTRIES",
    "MAX_UNPACKED_BYTES",
    "MAX_XML_PART_BYTES",
    "prepare_docx",
]

KIND = Kind("Word document", "Word", ".docx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# The parts whose paragraphs are translated; a main document part is any "*.main+xml"
# (documents, templates, macro-enabled ones).
_WML_PARTS = tuple(
    _WML + name + "+xml" for name in ("header", "footer", "comments", "footnotes", "endnotes")
)
# Elements a run may sit in, inside its paragraph; anything else (w:del, w:moveFrom, math)
# is not walked into.
_CONTAINERS = frozenset(
    W + name
    for name in (
        "hyperlink",
        "ins",
        "moveTo",
        "smartTag",
        "customXml",
        "sdt",
        "sdtContent",
        "dir",
        "bdo",
    )
)
# Run content that ends a line of text: it stays where it is, and the text either side of
# it is translated separately.
_BREAKS = frozenset(
    W + name for name in ("tab", "ptab", "br", "cr", "drawing", "pict", "object", "fldChar")
)
# Run properties that do not change how text looks.
_NOT_LOOK = frozenset(W + name for name in ("lang", "noProof", "rtl", "cs", "rPrChange"))
# What a bilingual copy of a paragraph must not repeat.
_COPY_DROP = tuple(
    W + name
    for name in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "commentReference",
        "footnoteReference",
        "endnoteReference",
        "drawing",
        "pict",
        "object",
        "moveFromRangeStart",
        "moveFromRangeEnd",
        "moveToRangeStart",
        "moveToRangeEnd",
        "permStart",
        "permEnd",
        "sectPr",
    )
)
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
# Pictures and shapes: their description (alt text) and title are translated.
_ALT_TAGS = (
    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr",
    "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr",
)
_ALT_NAMES = ("descr", "title")
_COPY_IDS = (_W14 + "paraId", _W14 + "textId")
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
_RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)


def _runs(element: Any, link: str, found: list[tuple[Any, str]]) -> None:
    """The runs of a paragraph in order, each with the link it is in ("" for none)."""
    for child in element:
        if child.tag == W + "r":
            found.append((child, link))
        elif child.tag in _CONTAINERS or _is_link_field(child):
            is_link = child.tag == W + "hyperlink" or child.tag == W + "fldSimple"
            _runs(child, f"{id(child)}" if is_link else link, found)


def _is_link_field(element: Any) -> bool:
    """A simple field that is a link (``HYPERLINK "…"``): its text is the link's words."""
    if element.tag != W + "fldSimple":
        return False
    return str(element.get(W + "instr") or "").strip().upper().startswith("HYPERLINK")


def _key(run: Any) -> str:
    from lxml import etree

    rpr = run.find(W + "rPr")
    if rpr is None:
        return ""
    return b"".join(etree.tostring(c) for c in rpr if c.tag not in _NOT_LOOK).decode()


def lines(paragraph: Any) -> list[Line]:
    """The paragraph's text as lines (cut at breaks) of pieces of one look."""
    found: list[Line] = [[]]
    runs: list[tuple[Any, str]] = []
    _runs(paragraph, "", runs)
    for run, link in runs:
        key = _key(run) + (f"|link:{link}" if link else "")
        for child in run:
            if child.tag in _BREAKS:
                if found[-1]:
                    found.append([])
            elif child.tag == W + "t":
                add_text(found[-1], Slot(child, preserve_space=True), key, link=bool(link), run=run)
    return [line for line in found if line]


def _units(root: Any) -> list[Unit]:
    return [
        unit for p in root.iter(W + "p") for line in lines(p) for unit in units_of_line(p, line)
    ]


def _set(parent: Any, name: str, order: tuple[str, ...], value: str | None) -> None:
    """Add (or update, with ``value`` as ``w:val``) or remove (``value`` None) a child."""
    tag = W + name
    existing = parent.find(tag)
    if value is None:
        if existing is not None:
            parent.remove(existing)
        return
    if existing is None:
        later = {W + n for n in order[order.index(name) + 1 :]}
        position = next((i for i, child in enumerate(parent) if child.tag in later), None)
        existing = new_child(parent, tag, position)
    if value:
        existing.set(W + "val", value)
    else:  # on: no value means true (LibreOffice writes w:bidi w:val="0" for "off")
        existing.attrib.pop(W + "val", None)


def _is_on(element: Any) -> bool:
    """An on/off property (``w:bidi``, ``w:b``) that is there and not switched off."""
    return element is not None and element.get(W + "val") not in ("0", "false", "off")


def _first_child(parent: Any, name: str) -> Any:
    found = parent.find(W + name)
    if found is None:
        found = new_child(parent, W + name, 0)
    return found


def _set_direction(paragraph: Any, runs: list[Any], rtl: bool) -> None:
    ppr = _first_child(paragraph, "pPr")
    jc = ppr.find(W + "jc")
    align = jc.get(W + "val") if jc is not None else None
    if rtl:
        _set(ppr, "bidi", _PPR_ORDER, "")
        if align in (None, "left", "start"):
            _set(ppr, "jc", _PPR_ORDER, "right")
    elif _is_on(ppr.find(W + "bidi")):
        _set(ppr, "bidi", _PPR_ORDER, None)
        if align in ("right", "end"):
            _set(ppr, "jc", _PPR_ORDER, None)
    for run in runs:
        rpr = _first_child(run, "rPr")
        if not rtl:
            _set(rpr, "rtl", _RPR_ORDER, None)
            continue
        _set(rpr, "rtl", _RPR_ORDER, "")
        for latin, complex_script in (("b", "bCs"), ("i", "iCs"), ("sz", "szCs")):
            source = rpr.find(W + latin)
            if source is not None and rpr.find(W + complex_script) is None:
                _set(rpr, complex_script, _RPR_ORDER, source.get(W + "val", ""))


def _untranslated(document: ZipDocument, types: dict[str, str], parts: list[str]) -> list[str]:
    """What is left as it was, for a person: charts, equations, embedded objects."""
    notes = []
    charts = opc.count_parts(types, opc.CHART)
    if charts:
        notes.append(f"data labels and categories of {opc.plural(charts, 'chart')}")
    equations = sum(sum(1 for _ in document.xml(name).iter(_M + "oMath")) for name in parts)
    if equations:
        notes.append(opc.plural(equations, "equation"))
    objects = opc.embedded_objects(types, "word/")
    if objects:
        notes.append(opc.plural(objects, "embedded object"))
    return notes


def _clean_copy(paragraph: Any) -> None:
    """A source paragraph for a bilingual copy: nothing that must be unique in a document.

    Bookmarks, comment and note anchors, pictures and text boxes, section breaks and
    Word's paragraph ids go; its numbering is switched off, so a list item is numbered
    once (its translation keeps the number).
    """
    for element in list(paragraph.iter(*_COPY_DROP)):
        remove_keeping_tail(element)
    for element in paragraph.iter():
        for attribute in _COPY_IDS:
            element.attrib.pop(attribute, None)
    ppr = _first_child(paragraph, "pPr")
    _set(ppr, "numPr", _PPR_ORDER, None)
    _set(ppr, "numPr", _PPR_ORDER, "")
    numbering = ppr.find(W + "numPr")
    new_child(numbering, W + "numId").set(W + "val", "0")


def prepare_docx(
    path: Path, target_language: str, *, markers: bool = False, bilingual: Bilingual = "off"
) -> Prepared:
    """Read a ``.docx`` into units; rendering writes the translated document's bytes.

    Args:
        path: The document.
        target_language: Sets the paragraphs' direction.
        markers: Send links and formatted runs to the model inside numbered tags
            (see :mod:`~terjman_desktop.core.documents.inline`); off: aligned.
        bilingual: ``interleaved``: each translated paragraph follows its source.

    Raises:
        InputError: The file is not a readable Word document or is too large.
    """
    document = ZipDocument(path, KIND)
    types = opc.content_types(document)
    wml = [
        n
        for n, t in types.items()
        if (t.startswith(_WML) and t.endswith(".main+xml")) or t in _WML_PARTS
    ]
    main = [n for n in wml if types[n].endswith(".main+xml")]
    if not main:
        raise KIND.unreadable(path.name, "no document part")
    opc.check_transitional(document, main[0])
    diagrams = [
        n for n, t in types.items() if t in (opc.DIAGRAM_DATA, opc.DIAGRAM_DRAWING, opc.CHART)
    ]
    units = [u for name in wml for u in _units(document.xml(name))]
    drawing_units = [u for name in diagrams for u in drawingml.units(document.xml(name))]
    pictures = [
        u for name in wml for u in attribute_units(document.xml(name), _ALT_TAGS, _ALT_NAMES)
    ]
    batch = InlineBatch(units + drawing_units + pictures, markers=markers)
    wml_owners = {id(u.owner) for u in units}
    copies = None
    if bilingual == "interleaved":
        wml_copies = SourceCopies(units, _clean_copy)
        drawing_copies = SourceCopies(drawing_units, drawingml.clean_copy)
        copies = (wml_copies, drawing_copies)
    rtl = is_right_to_left(target_language)
    untranslated = _untranslated(document, types, wml)

    def render(translations: list[str]) -> bytes:
        changed: dict[int, tuple[Any, list[Any]]] = {}

        def record(unit: Unit, placement: Placement) -> None:
            if unit.owner is None:  # a picture's description
                return
            entry = changed.setdefault(id(unit.owner), (unit.owner, []))
            entry[1].extend(
                run
                for piece, text in zip(unit.pieces, placement.texts, strict=True)
                if text
                for run in piece.runs[:1]
            )

        batch.write(translations, record)
        for key, (paragraph, runs) in changed.items():
            if key in wml_owners:
                _set_direction(paragraph, runs, rtl)
            else:
                drawingml.set_direction(paragraph, runs, rtl)
            if copies is not None:
                copies[0 if key in wml_owners else 1].place(paragraph)
        return document.save()

    return Prepared(batch.texts, render, untranslated=untranslated)


FORMAT = DocumentFormat(
    ".docx",
    "Word documents",
    lambda path, options: prepare_docx(path, options.target_language, bilingual=options.bilingual),
    bilingual=("interleaved",),
)
