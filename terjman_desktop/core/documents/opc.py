"""Open Packaging Conventions (.docx, .pptx): which part of the zip holds what."""

from __future__ import annotations

from terjman_desktop.core.documents.zipdoc import ZipDocument
from terjman_desktop.core.errors import InputError

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
CONTENT_TYPES = "[Content_Types].xml"

CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DIAGRAM_DATA = "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml"
DIAGRAM_DRAWING = "application/vnd.ms-office.drawingml.diagramDrawing+xml"


def content_types(document: ZipDocument) -> dict[str, str]:
    """The content type of every part, by its name in the zip (without the leading /).

    Raises:
        InputError: there is no ``[Content_Types].xml``, so it is no Office document.
    """
    root = document.xml(CONTENT_TYPES)
    defaults = {
        (d.get("Extension") or "").lower(): d.get("ContentType") or ""
        for d in root.iter(_CT + "Default")
    }
    overrides = {
        (o.get("PartName") or "").lstrip("/").lower(): o.get("ContentType") or ""
        for o in root.iter(_CT + "Override")
    }
    types = {}
    for name in document.names():
        if name.endswith("/"):
            continue
        found = overrides.get(name.lower())
        if found is None:
            found = defaults.get(name.rpartition(".")[2].lower(), "")
        types[name] = found
    return types


STRICT = "http://purl.oclc.org/ooxml/"


def check_transitional(document: ZipDocument, main_part: str) -> None:
    """Refuse "Strict Open XML" files: their parts use other namespaces than this app reads.

    Raises:
        InputError: The main part is in a Strict namespace.
    """
    root = document.xml(main_part)
    if str(root.tag).startswith("{" + STRICT):
        raise InputError(
            f"'{document.name}' is saved as Strict Open XML, which Terjman cannot read.",
            hint=f"Open it in {document.kind.program} or LibreOffice and save it as a usual "
            f"{document.kind.noun} ({document.kind.suffix}).",
        )


def plural(count: int, noun: str) -> str:
    """``"1 chart"``, ``"2 charts"``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def count_parts(types: dict[str, str], content_type: str) -> int:
    return sum(1 for t in types.values() if t == content_type)


def embedded_objects(types: dict[str, str], folder: str) -> int:
    """Objects of other programs (a spreadsheet in a slide): their text is not translated."""
    return sum(
        1
        for name, t in types.items()
        if name.startswith(folder) and "embeddings/" in name and not t.startswith("image/")
    )
