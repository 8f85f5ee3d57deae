"""DrawingML text (``a:p``): PowerPoint slides and notes, SmartArt in Word and PowerPoint.

A paragraph's runs (``a:r``) hold text (``a:t``) and properties (``a:rPr``; a link is an
``a:hlinkClick`` inside them). Line breaks (``a:br``) cut the paragraph into lines that are
translated apart; fields (``a:fld``: slide number, date) stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from terjman_desktop.core.documents.inline import Line, Slot, Unit, add_text, units_of_line
from terjman_desktop.core.documents.zipdoc import new_child

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# Run properties that do not change how text looks: spelling state, language, edit marks.
_NOT_LOOK = ("lang", "altLang", "dirty", "err", "noProof", "smtClean", "smtId", "bmk")


def _key(run: Any) -> tuple[str, bool]:
    from lxml import etree

    rpr = run.find(A + "rPr")
    if rpr is None:
        return "", False
    attributes = sorted((k, v) for k, v in rpr.attrib.items() if k not in _NOT_LOOK)
    link = rpr.find(A + "hlinkClick")
    children = b"".join(etree.tostring(child) for child in rpr if child.tag != A + "hlinkClick")
    key = f"{attributes}{children!r}"
    if link is not None:
        return f"{key}|link:{link.get(_R_ID)}:{link.get('action')}", True
    return key, False


def lines(paragraph: Any) -> list[Line]:
    """The paragraph's text as lines (cut at ``a:br``) of pieces of one look."""
    found: list[Line] = [[]]
    for child in paragraph:
        if child.tag == A + "br":
            if found[-1]:
                found.append([])
        elif child.tag == A + "r":
            text = child.find(A + "t")
            if text is not None:
                key, link = _key(child)
                add_text(found[-1], Slot(text), key, link=link, run=child)
    return [line for line in found if line]


def paragraphs(root: Any) -> Iterator[Any]:
    """Every ``a:p`` under ``root``: shapes, groups, tables, SmartArt points."""
    yield from root.iter(A + "p")


def units(root: Any) -> list[Unit]:
    return [unit for p in paragraphs(root) for line in lines(p) for unit in units_of_line(p, line)]


def clean_copy(paragraph: Any) -> None:
    """A source paragraph for a bilingual copy: DrawingML paragraphs hold nothing unique."""
    del paragraph


def set_direction(paragraph: Any, runs: list[Any], rtl: bool) -> None:
    """Right-to-left paragraph (``rtl="1"``, left alignment becomes right) or back.

    A paragraph of a title slide's title or subtitle placeholder that has no alignment of
    its own keeps the one it inherits (centred in nearly every template).
    """
    ppr = paragraph.find(A + "pPr")
    if ppr is None:
        if not rtl:
            return
        ppr = new_child(paragraph, A + "pPr", 0)
    align = ppr.get("algn")
    if rtl:
        ppr.set("rtl", "1")
        if align == "l" or (align is None and not _in_centred_placeholder(paragraph)):
            ppr.set("algn", "r")
    elif ppr.get("rtl") == "1":
        del ppr.attrib["rtl"]
        if align == "r":
            del ppr.attrib["algn"]
    del runs  # DrawingML runs need nothing: the paragraph's direction is enough


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def _in_centred_placeholder(paragraph: Any) -> bool:
    for ancestor in paragraph.iterancestors(_P + "sp"):
        placeholder = ancestor.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
        return placeholder is not None and placeholder.get("type") in ("ctrTitle", "subTitle")
    return False
