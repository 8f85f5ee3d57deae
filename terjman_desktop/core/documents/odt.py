"""OpenDocument text (.odt, LibreOffice Writer) for :mod:`documents`, with lxml.

An .odt is a zip of XML like a .docx, so it is read and written the same way
(:mod:`~terjman_desktop.core.documents.zipdoc`): ``content.xml`` and the headers and footers
of ``styles.xml`` are changed, every other part is copied as it was. lxml rather than odfpy:
odfpy rebuilds the whole document from its own object tree when it saves, while changing
the XML in place keeps every attribute, style and part the app does not know; odfpy builds
and reads the test documents.

Translated: paragraphs and headings (``text:p``, ``text:h``) anywhere — lists, tables,
frames and text boxes, footnotes and endnotes, comments (``office:annotation``), headers
and footers, and the titles and descriptions (alt text) of pictures. ODF text is *mixed
content*: a paragraph's words sit in its text and in the tails of its children, inside
spans (``text:span``, a look) and links (``text:a``); these become the
:class:`~terjman_desktop.core.documents.inline.Slot` s that carry links and formatting
through translation. Tabs and line breaks cut a paragraph into lines; fields
(page numbers, dates), note citations and bookmarks stay where they are, with their text.
Deleted text of tracked changes is left alone.

For Darija, each translated paragraph gets an automatic style derived from its own that
writes right to left (``style:writing-mode="rl-tb"``), aligned to the start of the line.

Not translated, and said so in :attr:`Prepared.untranslated`: embedded objects (charts,
formulas: ``draw:object``). Fields keep the text LibreOffice computed for them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from terjman_desktop.core.documents.inline import (
    InlineBatch,
    Line,
    Piece,
    Placement,
    Slot,
    SourceCopies,
    Unit,
    add_text,
    units_of_line,
)
from terjman_desktop.core.documents.prepared import Bilingual, DocumentFormat, Prepared
from terjman_desktop.core.documents.zipdoc import (
    Kind,
    ZipDocument,
    new_child,
    remove_keeping_tail,
)
from terjman_desktop.core.languages import is_right_to_left

KIND = Kind("OpenDocument text", "LibreOffice Writer", ".odt")
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_SVG = "{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}"
_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_PARAGRAPHS = (TEXT + "p", TEXT + "h")
# Inline elements walked into: their text is the paragraph's (a span is a look, a link a link).
_CONTAINERS = frozenset((TEXT + "span", TEXT + "a", TEXT + "meta"))
_BREAKS = frozenset((TEXT + "tab", TEXT + "line-break"))
_RTL_PREFIX = "Terjman_RTL_"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_COPY_IDS = (_XML_ID, TEXT + "id")
_COPY_DROP = (
    TEXT + "note",
    OFFICE + "annotation",
    OFFICE + "annotation-end",
    TEXT + "bookmark",
    TEXT + "bookmark-start",
    TEXT + "bookmark-end",
    TEXT + "reference-mark",
    TEXT + "reference-mark-start",
    TEXT + "reference-mark-end",
    DRAW + "frame",
    DRAW + "a",
    TEXT + "toc-mark",
    TEXT + "toc-mark-start",
    TEXT + "toc-mark-end",
    TEXT + "alphabetical-index-mark",
    TEXT + "alphabetical-index-mark-start",
    TEXT + "alphabetical-index-mark-end",
    TEXT + "change-start",
    TEXT + "change-end",
    TEXT + "change",
)
# The usual prefixes, for new styles in a file that does not declare them.
_NSMAP = {"style": STYLE[1:-1], "fo": FO[1:-1]}


def _walk(element: Any, key: str, link: str, found: list[Line]) -> None:
    """Add ``element``'s text and its children's (with their tails) to the lines."""
    if element.text:
        add_text(found[-1], Slot(element, "text"), key + link, link=bool(link))
    for child in element:
        tag = child.tag
        if tag in _CONTAINERS:
            style = child.get(TEXT + "style-name") or ""
            inner_key = f"{key}>{style}" if tag == TEXT + "span" else key
            inner_link = f"|link:{id(child)}" if tag == TEXT + "a" else link
            _walk(child, inner_key, inner_link, found)
        elif tag in _BREAKS and found[-1]:
            found.append([])
        # Anything else (fields, notes, frames, bookmarks, spaces) keeps its own content.
        if child.tail:
            add_text(found[-1], Slot(child, "tail"), key + link, link=bool(link))


def lines(paragraph: Any) -> list[Line]:
    """The paragraph's text as lines (cut at tabs and line breaks) of pieces of one look."""
    found: list[Line] = [[]]
    _walk(paragraph, "", "", found)
    return [line for line in found if line]


def _paragraphs(root: Any) -> Iterator[Any]:
    """Every paragraph and heading, except the deleted text kept by tracked changes."""
    for paragraph in root.iter(*_PARAGRAPHS):
        if not any(a.tag == TEXT + "tracked-changes" for a in paragraph.iterancestors()):
            yield paragraph


def _units(root: Any) -> list[Unit]:
    return [u for p in _paragraphs(root) for line in lines(p) for u in units_of_line(p, line)]


def _picture_units(root: Any) -> list[Unit]:
    """A frame's title and description (``svg:title``, ``svg:desc``: alt text), as units."""
    found = []
    for element in root.iter(_SVG + "title", _SVG + "desc"):
        if element.text and any(c.isalnum() for c in element.text) and len(element) == 0:
            found.append(Unit(None, [Piece("", slots=[Slot(element, "text")])]))
    return found


class _Directions:
    """Right-to-left automatic paragraph styles, one per style a paragraph had."""

    def __init__(self, root: Any, rtl: bool) -> None:
        self.rtl = rtl
        self.root = root
        self.made: dict[str, str] = {}

    def _styles(self) -> Any:
        styles = self.root.find(OFFICE + "automatic-styles")
        if styles is None:  # it goes before the body (content.xml) or the master pages
            later = [
                i
                for i, c in enumerate(self.root)
                if c.tag in (OFFICE + "body", OFFICE + "master-styles")
            ]
            styles = new_child(self.root, OFFICE + "automatic-styles", later[0] if later else None)
        return styles

    def apply(self, paragraph: Any) -> None:
        attribute = TEXT + "style-name"
        name = paragraph.get(attribute) or ""
        if name.startswith(_RTL_PREFIX) or not self.rtl:
            return  # English output: a source's right-to-left styles are left as they were
        if name not in self.made:
            self.made[name] = self._make(name)
        paragraph.set(attribute, self.made[name])

    def _make(self, name: str) -> str:
        new_name = f"{_RTL_PREFIX}{len(self.made) + 1}"
        styles = self._styles()
        source = next(
            (s for s in styles if s.tag == STYLE + "style" and s.get(STYLE + "name") == name), None
        )
        if source is not None:  # an automatic style cannot be a parent: copy it
            style = copy.deepcopy(source)
            style.set(STYLE + "name", new_name)
            styles.append(style)
        else:
            style = new_child(styles, STYLE + "style", nsmap=_NSMAP)
            style.set(STYLE + "name", new_name)
            style.set(STYLE + "family", "paragraph")
            if name:
                style.set(STYLE + "parent-style-name", name)
        properties = style.find(STYLE + "paragraph-properties")
        if properties is None:
            properties = new_child(style, STYLE + "paragraph-properties", 0, nsmap=_NSMAP)
        properties.set(STYLE + "writing-mode", "rl-tb")
        if properties.get(FO + "text-align") in (None, "start", "left"):
            properties.set(FO + "text-align", "start")
        return new_name


def _clean_copy(paragraph: Any) -> None:
    """A source paragraph for a bilingual copy: no notes, comments, frames, marks or ids."""
    for element in list(paragraph.iter(*_COPY_DROP)):
        remove_keeping_tail(element)
    for element in paragraph.iter():
        for attribute in _COPY_IDS:
            element.attrib.pop(attribute, None)


def prepare_odt(
    path: Path, target_language: str, *, markers: bool = False, bilingual: Bilingual = "off"
) -> Prepared:
    """Read an ``.odt`` into units; rendering writes the translated document's bytes.

    ``bilingual="interleaved"``: each translated paragraph follows its source.

    Raises:
        InputError: The file is not a readable OpenDocument text or is too large.
    """
    document = ZipDocument(path, KIND)
    mimetype = document.data.get("mimetype", b"").strip()
    if mimetype != _MIMETYPE:
        why = (
            "a presentation or spreadsheet"
            if mimetype.startswith(b"application/vnd.oasis.opendocument")
            else "no OpenDocument mimetype"
        )
        raise KIND.unreadable(path.name, why)
    parts = ["content.xml"]
    roots = {"content.xml": document.xml("content.xml")}
    if "styles.xml" in document:
        roots["styles.xml"] = document.xml("styles.xml")
        parts.append("styles.xml")
    units: list[Unit] = []
    owners: dict[int, str] = {}
    for name in parts:
        root = roots[name]
        scope = root if name == "content.xml" else root.find(OFFICE + "master-styles")
        if scope is None:
            continue
        found = _units(scope)
        owners.update((id(u.owner), name) for u in found)
        units += found
        units += _picture_units(scope)
    batch = InlineBatch(units, markers=markers)
    copies = SourceCopies(units, _clean_copy) if bilingual == "interleaved" else None
    objects = sum(1 for _ in roots["content.xml"].iter(DRAW + "object"))
    untranslated = (
        [f"{objects} embedded object{'s' if objects != 1 else ''} (charts, formulas)"]
        if objects
        else []
    )
    rtl = is_right_to_left(target_language)

    def render(translations: list[str]) -> bytes:
        directions = {name: _Directions(root, rtl) for name, root in roots.items()}

        def direct(unit: Unit, placement: Placement) -> None:
            if unit.owner is None:  # a picture's title or description
                return
            directions[owners[id(unit.owner)]].apply(unit.owner)
            if copies is not None:
                copies.place(unit.owner)
            del placement

        batch.write(translations, direct)
        return document.save(standalone=None)

    return Prepared(batch.texts, render, untranslated=untranslated)


FORMAT = DocumentFormat(
    ".odt",
    "OpenDocument text",
    lambda path, options: prepare_odt(path, options.target_language, bilingual=options.bilingual),
    bilingual=("interleaved",),
)
