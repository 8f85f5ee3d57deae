"""How much of a folder of office documents survives translation (issue 17, defects 1-2).

For every ``.docx``, ``.pptx`` and ``.odt`` in the folders given, the document is translated
with a model through the document wing's own format (``FORMATS``: prepare, the model,
render), then the source and the result are compared part by part:

* **links inside a sentence**: links whose paragraph holds other text too. *Kept*: the
  link is still there with non-empty text of its own that is not the whole paragraph.
  *Lost*: it ended empty. *Spread*: it took the whole paragraph.
* **formatted runs inside a sentence**: runs (or spans) whose look differs from the
  paragraph's main look. Kept / lost / spread as for links.
* **text blocks** (paragraphs with Latin letters), per kind of part (body, headers and
  footers, comments, notes, SmartArt, slides, notes pages…): *translated* when the result
  differs from the source, *untranslated* otherwise.
* what the format *reported* as not translated (``Prepared.untranslated``).

Runs are never added or removed by the formats, so the n-th run of a paragraph in the
result is the n-th of the source. Nothing is timed.

    python -m benchmarks.document_fidelity --model PATH [--json OUT] FOLDER...

``--model``: a Terjman package folder (an installed model, or the tests' tiny model:
``.pytest_cache/d/tiny-models/*/tiny-marian-f32`` after the document tests ran).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
SUFFIXES = (".docx", ".pptx", ".odt")
_NOT_LOOK = {W + "lang", W + "noProof", W + "rtl", W + "cs", W + "bCs", W + "iCs", W + "szCs"}
_A_NOT_LOOK = ("lang", "altLang", "dirty", "err", "noProof", "smtClean", "smtId", "bmk")
_PART_KINDS = (
    ("header", "headers/footers"),
    ("footer", "headers/footers"),
    ("comments", "comments"),
    ("footnotes", "notes"),
    ("endnotes", "notes"),
    ("diagrams/", "SmartArt"),
    ("charts/", "charts"),
    ("notesSlides/", "speaker notes"),
    ("slides/", "slides"),
    ("styles.xml", "headers/footers"),
    ("document", "body"),
    ("content.xml", "body"),
)


def latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


def part_kind(name: str) -> str:
    return next((kind for key, kind in _PART_KINDS if key in name), "other")


# ----------------------------------------------------------------------------- what a run is


Group = tuple[str, str, list[str]]  # look, link identity ("" for none), texts


def _wml_groups(paragraph: Any) -> list[Group]:
    """Consecutive runs of one look (and one link) of a Word paragraph, in order."""
    runs: list[tuple[str, str, str]] = []

    def walk(element: Any, link: str) -> None:
        for child in element:
            if child.tag == W + "r":
                rpr = child.find(W + "rPr")
                look = (
                    ""
                    if rpr is None
                    else b"".join(etree.tostring(c) for c in rpr if c.tag not in _NOT_LOOK).decode()
                )
                text = "".join(t.text or "" for t in child.iter(W + "t"))
                runs.append((look, link, text))
            elif child.tag in (
                W + "hyperlink",
                W + "ins",
                W + "moveTo",
                W + "smartTag",
                W + "customXml",
                W + "sdt",
                W + "sdtContent",
                W + "fldSimple",
            ):
                inner = str(_position(child)) if child.tag == W + "hyperlink" else link
                walk(child, inner)

    walk(paragraph, "")
    return _grouped(runs)


def _position(element: Any) -> int:
    """Where an element is in its document (the same in the source and the result)."""
    return sum(1 for _ in element.itersiblings(preceding=True)) + 1000 * sum(
        1 for _ in element.iterancestors()
    )


def _grouped(runs: list[tuple[str, str, str]]) -> list[Group]:
    groups: list[Group] = []
    for look, link, text in runs:
        if groups and groups[-1][0] == look and groups[-1][1] == link:
            groups[-1][2].append(text)
        else:
            groups.append((look, link, [text]))
    return groups


def _a_groups(paragraph: Any) -> list[Group]:
    runs = []
    for run in paragraph.iter(A + "r"):
        rpr = run.find(A + "rPr")
        text = "".join(t.text or "" for t in run.iter(A + "t"))
        if rpr is None:
            runs.append(("", "", text))
            continue
        attributes = sorted((k, v) for k, v in rpr.attrib.items() if k not in _A_NOT_LOOK)
        link = rpr.find(A + "hlinkClick")
        children = b"".join(etree.tostring(c) for c in rpr if c.tag != A + "hlinkClick")
        link_id = "" if link is None else str(link.attrib)
        runs.append((f"{attributes}{children!r}", link_id, text))
    return _grouped(runs)


def _odf_groups(paragraph: Any) -> list[Group]:
    """The paragraph's own text, then each span and link, by its style."""
    runs: list[tuple[str, str, str]] = []

    def walk(element: Any, look: str, link: str) -> None:
        runs.append((look, link, element.text or ""))
        for child in element:
            if child.tag in (TEXT + "span", TEXT + "a", TEXT + "meta"):
                inner_look = (
                    look + ">" + (child.get(TEXT + "style-name") or "")
                    if (child.tag == TEXT + "span")
                    else look
                )
                inner_link = str(_position(child)) if child.tag == TEXT + "a" else link
                walk(child, inner_look, inner_link)
            runs.append((look, link, child.tail or ""))

    walk(paragraph, "", "")
    return _grouped(runs)


def _odf_text(element: Any) -> str:
    """Text of an ODF element as the format sees it: spans and links, not fields."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in (TEXT + "span", TEXT + "a", TEXT + "meta"):
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def paragraphs(root: Any) -> Iterator[tuple[Any, str]]:
    for paragraph in root.iter(W + "p"):
        yield paragraph, "wml"
    for paragraph in root.iter(A + "p"):
        yield paragraph, "a"
    for paragraph in root.iter(TEXT + "p", TEXT + "h"):
        if not any(a.tag == TEXT + "tracked-changes" for a in paragraph.iterancestors()):
            yield paragraph, "odf"


GROUPS = {"wml": _wml_groups, "a": _a_groups, "odf": _odf_groups}
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
EXAMPLES: list[str] = []  # what was lost or spread, for --show
MARKERS: Counter[str] = Counter()  # with --markers: how many came back
_TAGS = re.compile(r"</?\d+>")


def paragraph_text(paragraph: Any, dialect: str) -> str:
    if dialect == "odf":
        return _odf_text(paragraph)
    return "".join(t for group in GROUPS[dialect](paragraph) for t in group[2])


# ----------------------------------------------------------------------------- comparing


def _xml_parts(path: Path) -> dict[str, Any]:
    parsed = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if (
                name.endswith(".xml")
                and "rels" not in name
                and not name.startswith(
                    (
                        "ppt/slideLayouts",
                        "ppt/slideMasters",
                        "ppt/notesMasters",
                        "ppt/handoutMasters",
                        "ppt/theme",
                        "word/theme",
                        "docProps",
                        "META-INF",
                        "[Content_Types]",
                        "customXml/",
                        "word/glossary/",
                    )
                )
            ):
                try:
                    parsed[name] = etree.fromstring(archive.read(name), _SAFE)
                except etree.XMLSyntaxError:
                    continue
    return parsed


def compare(source: Path, result: Path | None, counts: Counter[str]) -> None:
    """Add what survived in ``result`` (None: the format is not supported) to ``counts``."""
    before = _xml_parts(source)
    after = _xml_parts(result) if result is not None else {}
    for name, root in before.items():
        kind = part_kind(name)
        out_root = after.get(name)
        out_paragraphs = list(paragraphs(out_root)) if out_root is not None else []
        for index, (paragraph, dialect) in enumerate(paragraphs(root)):
            text = paragraph_text(paragraph, dialect)
            if not latin(text):
                continue
            counterpart = out_paragraphs[index][0] if index < len(out_paragraphs) else None
            out_text = paragraph_text(counterpart, dialect) if counterpart is not None else text
            counts[f"blocks {kind}"] += 1
            counts[f"blocks {kind} translated"] += out_text != text
            counts[f"blocks {kind} untranslated"] += out_text == text
            _groups(paragraph, counterpart, dialect, text, out_text, counts)


def _groups(
    paragraph: Any, counterpart: Any, dialect: str, text: str, out_text: str, counts: Counter[str]
) -> None:
    groups = GROUPS[dialect](paragraph)
    out_groups = GROUPS[dialect](counterpart) if counterpart is not None else []
    weight: Counter[str] = Counter()
    for look, _, texts in groups:
        weight[look] += len("".join(texts).strip())
    if not weight:
        return
    main = weight.most_common(1)[0][0]
    for position, (look, link, texts) in enumerate(groups):
        own = "".join(texts).strip()
        if not any(c.isalnum() for c in own) or own == text.strip():
            continue  # nothing of its own, or the whole paragraph: no sentence around it
        if link:
            kind = "links"
        elif look != main:
            kind = "formatted runs"
        else:
            continue
        counts[kind] += 1
        if counterpart is None:
            counts[f"{kind} not supported"] += 1
            continue
        got = "".join(out_groups[position][2]).strip() if position < len(out_groups) else ""
        if not got:
            counts[f"{kind} lost"] += 1
            EXAMPLES.append(f"{kind} lost: {own!r} in {text!r} -> {out_text!r}")
        elif got == out_text.strip() and out_text.strip() != text.strip():
            counts[f"{kind} spread"] += 1
            EXAMPLES.append(f"{kind} spread: {own!r} in {text!r} -> {out_text!r}")
        else:
            counts[f"{kind} kept"] += 1


# ----------------------------------------------------------------------------- translating


def translate(path: Path, out: Path, translator: Any, markers: bool) -> list[str] | None:
    """Translate one document with its format; None when the format is not supported."""
    from terjman_desktop.core.documents import FORMATS, PrepareOptions
    from terjman_desktop.core.translate import Direction, TranslationOptions

    found = {f.suffix: f for f in FORMATS}.get(path.suffix.lower())
    if found is None:
        return None
    if markers:
        import importlib

        module = importlib.import_module(found.prepare.__module__)
        prepare = getattr(module, f"prepare_{path.suffix.lower()[1:]}")
        prepared = prepare(path, "ary", markers=True)
    else:
        prepared = found.prepare(path, PrepareOptions("ary"))
    todo = [i for i, unit in enumerate(prepared.units) if any(c.isalpha() for c in unit)]
    done = translator.translate_many(
        [prepared.units[i] for i in todo],
        Direction("en", "ary"),
        TranslationOptions.for_quality("fast"),
    )
    units = list(prepared.units)
    for index, translation in zip(todo, done, strict=True):
        units[index] = translation.text
        tags = _TAGS.findall(prepared.units[index])
        if tags:  # a unit sent with markers: did the model give them back, in order?
            MARKERS["units sent with markers"] += 1
            MARKERS["markers given back in order"] += _TAGS.findall(translation.text) == tags
    out.write_bytes(prepared.render(units))
    return list(getattr(prepared, "untranslated", []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument(
        "--markers",
        action="store_true",
        help="send links and formatted runs inside numbered markers",
    )
    parser.add_argument("--json", type=Path, help="also write the counts here")
    parser.add_argument("--out", type=Path, help="keep the translated documents here")
    parser.add_argument("--show", type=int, default=0, help="print this many losses")
    args = parser.parse_args(argv)
    import tempfile

    from terjman_desktop.core.errors import TerjmanError
    from terjman_desktop.core.translate import Translator

    translator = Translator(args.model, device="cpu", threads=1)
    counts: Counter[str] = Counter()
    reported: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        out_dir = args.out or Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        files = sorted(
            p
            for folder in args.folders
            for p in folder.rglob("*")
            if p.suffix.lower() in SUFFIXES and p.is_file()
        )
        for number, path in enumerate(files):
            out = out_dir / f"{number:03d}-{path.name}"
            counts[f"files {path.suffix.lower()}"] += 1
            try:
                untranslated = translate(path, out, translator, args.markers)
            except TerjmanError as error:
                counts[f"files {path.suffix.lower()} refused"] += 1
                print(f"refused {path.name}: {error}", file=sys.stderr)
                continue
            if untranslated is None:
                counts[f"files {path.suffix.lower()} not supported"] += 1
            for item in untranslated or []:
                reported[item.split(" ", 1)[1] if item[:1].isdigit() else item] += 1
            compare(path, out if untranslated is not None else None, counts)
    for key in sorted(counts):
        print(f"{key:45} {counts[key]}")
    for key in sorted(reported):
        print(f"reported not translated: {key:25} in {reported[key]} files")
    for key, value in MARKERS.items():
        print(f"{key:45} {value}")
    for example in EXAMPLES[: args.show]:
        print(example)
    if args.json:
        data = {"counts": counts, "reported": reported, "markers": MARKERS}
        args.json.write_text(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
