"""Office documents as zips of XML parts (.docx, .pptx, .odt), read safely and written back.

The translated parts are parsed with lxml, changed in place and serialized; every other
part (pictures, styles, settings, anything this app does not understand) is copied over as
it was, under its own name, in its own order and compression. So a document keeps
everything but the text that was translated.

Sizes are checked on what the zip *declares*, before anything is decompressed: a document
that would unpack to 600 MB used 1.27 GB of memory before being refused. Reading never
yields more than was declared — zipfile cuts a deflated entry at its declared size and
checks its CRC — but only for the two methods office programs write (stored, deflated):
bzip2 or LZMA entries are decompressed in one piece, whatever their header says, so they
are refused. XML is parsed without entities, DTDs or network access, and a part that
declares a document type (which office programs never write: it is how an XML file asks
for a file or a URL to be read into it) is refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terjman_desktop.core.errors import InputError
from terjman_desktop.core.readfile import read_input_file

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_XML_PART_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 10_000
# Office's older binary files, and encrypted new ones, are OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
SPLIT_HINT = "Split the document into smaller files."


@dataclass(frozen=True)
class Kind:
    """What a person calls the file and the program that saves it again."""

    noun: str  # "Word document"
    program: str  # "Word"
    suffix: str  # ".docx"

    @property
    def resave_hint(self) -> str:
        return f"Open it in {self.program} or LibreOffice and save it again as {self.suffix}."

    def unreadable(self, name: str, why: str) -> InputError:
        return InputError(f"'{name}' is not a readable {self.noun} ({why}).", hint=self.resave_hint)


def read_file(path: Path, kind: Kind) -> bytes:
    """The bytes of a document: a regular file of at most :data:`MAX_FILE_BYTES`."""
    return read_input_file(path, max_bytes=MAX_FILE_BYTES, noun=f"a {kind.noun}",
                           split_hint=SPLIT_HINT)


def check_unpacked_sizes(archive: zipfile.ZipFile, name: str, kind: Kind) -> None:
    """Refuse a document whose parts would not fit in memory, before any is read.

    Raises:
        InputError: too many parts, a part compressed in a way office programs never use,
            an XML part or a total unpacked size over the caps.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InputError(
            f"'{name}' holds {len(infos)} parts; a {kind.noun} has far fewer.",
            hint=kind.resave_hint,
        )
    total = 0
    for info in infos:
        if info.compress_type not in _METHODS:
            raise InputError(
                f"'{name}' holds a part compressed in a way {kind.program} does not use "
                f"({info.filename!r}).",
                hint=kind.resave_hint,
            )
        if info.filename.endswith((".xml", ".rels")) and info.file_size > MAX_XML_PART_BYTES:
            raise InputError(
                f"'{name}' has a part of {info.file_size / 1e6:.0f} MB of text to read "
                f"({info.filename!r}; at most {MAX_XML_PART_BYTES / 1e6:.0f} MB).",
                hint=SPLIT_HINT,
            )
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            f"'{name}' unpacks to {total / 1e6:.0f} MB (at most "
            f"{MAX_UNPACKED_BYTES / 1e6:.0f} MB).",
            hint=SPLIT_HINT,
        )


def new_child(
    parent: Any, tag: str, index: int | None = None, nsmap: dict[str, str] | None = None
) -> Any:
    """A new element in ``parent`` (at ``index``; default: last) using the file's prefixes.

    Made with ``SubElement`` so it reuses the prefixes declared above it (``w:bidi``, not
    ``ns0:bidi``), then moved into place.
    """
    from lxml import etree

    in_scope = parent.nsmap
    wanted = {k: v for k, v in (nsmap or {}).items() if in_scope.get(k) != v and k not in in_scope}
    element = etree.SubElement(parent, tag, nsmap=wanted or None)
    if index is not None:
        parent.insert(index, element)
    return element


def remove_keeping_tail(element: Any) -> None:
    """Remove ``element``; the text that followed it (mixed content) stays where it was."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


class ZipDocument:
    """A zip of XML parts held in memory: parts to parse and change, the rest kept as is."""

    def __init__(self, path: Path, kind: Kind) -> None:
        self.name = path.name
        self.kind = kind
        raw = read_file(path, kind)
        if raw.startswith(_OLE_MAGIC):
            raise InputError(
                f"'{path.name}' is password-protected or in an older binary format, not a "
                f"{kind.noun} Terjman can read.",
                hint=f"Remove its password, or open it in {kind.program} or LibreOffice and "
                f"save it again as {kind.suffix}.",
            )
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                check_unpacked_sizes(archive, path.name, kind)
                self.infos = archive.infolist()
                self.data = {info.filename: archive.read(info) for info in self.infos}
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError, OSError) as error:
            raise kind.unreadable(path.name, type(error).__name__) from None
        self._parsed: dict[str, Any] = {}
        self._as_read: dict[str, bytes] = {}  # each parsed part serialized as it was read

    def __contains__(self, name: str) -> bool:
        return name in self.data

    def names(self) -> list[str]:
        return [info.filename for info in self.infos]

    def xml(self, name: str) -> Any:
        """The parsed root of part ``name`` (parsed once; changes are saved by :meth:`save`).

        Raises:
            InputError: The part is missing or is not well-formed XML.
        """
        if name not in self._parsed:
            from lxml import etree

            if name not in self.data:
                raise self.kind.unreadable(self.name, f"no {name}")
            try:
                root = etree.fromstring(self.data[name], _parser())
            except etree.XMLSyntaxError as error:
                raise self.kind.unreadable(self.name, f"{name}: {error.msg}") from None
            if root.getroottree().docinfo.doctype:
                # Office programs never write one; its entities could point outside the file.
                raise InputError(
                    f"'{self.name}' declares a document type in {name}, which "
                    f"{self.kind.program} never writes; it is not translated.",
                    hint=self.kind.resave_hint,
                )
            self._parsed[name] = root
            self._as_read[name] = etree.tostring(root)
        return self._parsed[name]

    def save(self, *, standalone: bool | None = True) -> bytes:
        """The document's bytes: changed parts serialized, every other part as it was.

        ``standalone``: the XML declaration's (Office parts say ``standalone="yes"``,
        OpenDocument parts say nothing).
        """
        from lxml import etree

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for info in self.infos:
                data = self.data[info.filename]
                root = self._parsed.get(info.filename)
                if root is not None and etree.tostring(root) != self._as_read[info.filename]:
                    data = etree.tostring(
                        root,
                        xml_declaration=True,
                        encoding="UTF-8",
                        standalone=standalone,
                    )
                out.writestr(info, data, compress_type=info.compress_type)
        return buffer.getvalue()
