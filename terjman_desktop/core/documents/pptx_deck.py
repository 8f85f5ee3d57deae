"""PowerPoint presentations (.pptx) for :mod:`documents`, read and written with lxml.

Translated: every text paragraph (``a:p``) of the slides — in shapes and placeholders,
grouped shapes at any depth, tables, SmartArt (its data and the drawing PowerPoint shows)
— and of the speaker notes, plus chart titles written as text and the descriptions (alt
text) and titles of shapes and pictures. Layouts and masters are
not: their text ("Click to edit the title") never shows in a presentation. Links and
inline formatting are carried as in Word documents (see
:mod:`~terjman_desktop.core.documents.inline`); for Darija, translated paragraphs are set
right to left (``rtl="1"``, left alignment becomes right).

The file is rewritten part by part: slides stay in their order with their layouts,
pictures, animations and transitions untouched.

Not translated, and said so in :attr:`Prepared.untranslated`: chart data labels and
categories (they come from the chart's embedded spreadsheet) and objects of other programs
embedded in slides.

python-pptx reads the same parts the same way; it is used by the tests to build decks and
to read the results independently, not here: walking every ``a:p`` of a part also reaches
the SmartArt and chart text that python-pptx's shape tree does not.
"""

from __future__ import annotations

from pathlib import Path

from terjman_desktop.core.documents import drawingml, opc
from terjman_desktop.core.documents.inline import (
    InlineBatch,
    Placement,
    SourceCopies,
    Unit,
    attribute_units,
)
from terjman_desktop.core.documents.prepared import Bilingual, DocumentFormat, Prepared
from terjman_desktop.core.documents.zipdoc import Kind, ZipDocument
from terjman_desktop.core.languages import is_right_to_left

KIND = Kind("PowerPoint presentation", "PowerPoint", ".pptx")
_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_SLIDE_TYPES = (
    _PML + "slide+xml",
    _PML + "notesSlide+xml",
    "application/vnd.ms-powerpoint.slide.macroEnabled+xml",
)
_MAIN_SUFFIX = ".main+xml"
# Shapes and pictures: their description (alt text) and title are translated.
_ALT_TAGS = (
    "{http://schemas.openxmlformats.org/presentationml/2006/main}cNvPr",
    "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr",
)


def prepare_pptx(
    path: Path, target_language: str, *, markers: bool = False, bilingual: Bilingual = "off"
) -> Prepared:
    """Read a ``.pptx`` into units; rendering writes the translated presentation's bytes.

    ``bilingual="interleaved"``: each translated paragraph follows its source, in the same
    text box (which may then need a smaller font to fit).

    Raises:
        InputError: The file is not a readable presentation or is too large.
    """
    document = ZipDocument(path, KIND)
    types = opc.content_types(document)
    main = [n for n, t in types.items() if t.startswith(_PML[:-1]) and t.endswith(_MAIN_SUFFIX)]
    if not main:
        raise KIND.unreadable(path.name, "no presentation part")
    opc.check_transitional(document, main[0])
    parts = sorted((n for n, t in types.items() if t in _SLIDE_TYPES), key=_slide_order)
    parts += [
        n for n, t in types.items() if t in (opc.DIAGRAM_DATA, opc.DIAGRAM_DRAWING, opc.CHART)
    ]
    units = [u for name in parts for u in drawingml.units(document.xml(name))]
    pictures = [
        u
        for name in parts
        for u in attribute_units(document.xml(name), _ALT_TAGS, ("descr", "title"))
    ]
    batch = InlineBatch(units + pictures, markers=markers)
    copies = SourceCopies(units, drawingml.clean_copy) if bilingual == "interleaved" else None
    rtl = is_right_to_left(target_language)
    untranslated = []
    charts = opc.count_parts(types, opc.CHART)
    if charts:
        untranslated.append(f"data labels and categories of {opc.plural(charts, 'chart')}")
    objects = opc.embedded_objects(types, "ppt/")
    if objects:
        untranslated.append(opc.plural(objects, "embedded object"))

    def render(translations: list[str]) -> bytes:
        def direct(unit: Unit, placement: Placement) -> None:
            if unit.owner is None:  # a picture's description
                return
            drawingml.set_direction(unit.owner, [], rtl)
            if copies is not None:
                copies.place(unit.owner)
            del placement

        batch.write(translations, direct)
        return document.save()

    return Prepared(batch.texts, render, untranslated=untranslated)


def _slide_order(name: str) -> tuple[str, int, str]:
    """``slides/slide2.xml`` before ``slides/slide10.xml``; notes after the slides."""
    folder, _, file = name.rpartition("/")
    digits = "".join(c for c in file if c.isdigit())
    return folder, int(digits) if digits else 0, file


FORMAT = DocumentFormat(
    ".pptx",
    "PowerPoint presentations",
    lambda path, options: prepare_pptx(path, options.target_language, bilingual=options.bilingual),
    bilingual=("interleaved",),
)
