"""Web pages (``.html``, ``.htm``): text and ``alt``/``title`` attributes translated in place.

The page is tokenized with Python's own ``html.parser`` (the WHATWG-tolerant tokenizer
CPython maintains), which reports where every tag, text run and character reference
starts; only the text runs and the values of ``alt``, ``title``, ``placeholder`` and
``aria-label`` are rewritten, so every other byte — markup, attributes, comments,
scripts, styles — stays exactly as it was. Not translated: ``<script>``, ``<style>``,
``<template>``, code (``<code> <pre> <kbd> <samp> <var>``), ``<svg>``, ``<math>``, and
anything marked ``translate="no"`` or ``class="notranslate"`` (HTML's own switch).

A *block* (a paragraph, a list item, a table cell, a heading… up to the next tag that is
not inline markup or a ``<br>``) is translated as one text, so inline markup does not cut a
sentence. Its pieces of another look — a link, ``<b>``, ``<em>``, a ``<span>``… — get their
own words of the translation, as in Word documents: each is also translated alone and found
in the block's translation by :mod:`~terjman_desktop.core.documents.inline` (never nothing, so
a link is never lost, and never the whole sentence); the tags stay where they are. The
``<html>`` element gets the target's ``lang`` and ``dir``; a ``<meta charset>`` is updated
when the encoding changes.

Bilingual "interleaved": each translated block keeps its source and shows the translation
after it (``<br><span class="terjman-translation" lang=… dir=…>``); in a title and in
attributes, "source / translation".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from terjman_desktop.core.documents.inline import (
    InlineBatch,
    Line,
    Placement,
    Slot,
    add_text,
    units_of_line,
)
from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    PrepareOptions,
)
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.languages import is_right_to_left
from terjman_desktop.core.readfile import read_input_file
from terjman_desktop.core.textfile import (
    MAX_TEXT_BYTES,
    TextEncoding,
    decode_detect,
    save_as_utf8_hint,
)

_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "cite",
        "data",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "label",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "wbr",
    }
)
_SKIP = frozenset(
    {"script", "style", "template", "code", "pre", "kbd", "samp", "var", "svg", "math", "noscript"}
)
_SPACES = re.compile(r"\s+")
_PLAIN = frozenset({"title", "option", "textarea"})  # no markup may be added inside
_ATTRIBUTE = re.compile(
    r"""(?<=\s)(?:alt|title|placeholder|aria-label)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_META_CHARSET_TEXT = re.compile(
    r"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)


@dataclass
class _Event:
    kind: str  # start, startend, end, data, ref, other
    start: int
    tag: str = ""
    attrs: list[tuple[str, str | None]] = field(default_factory=list)


class _Scanner(HTMLParser):
    """Every token of the page with the offset where it starts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._lines = [0] + [m.end() for m in re.finditer("\n", text)]
        self.events: list[_Event] = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(_Event("start", self._at(), tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(_Event("startend", self._at(), tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(_Event("end", self._at(), tag))

    def handle_data(self, data: str) -> None:
        self.events.append(_Event("data", self._at()))

    def handle_entityref(self, name: str) -> None:
        self.events.append(_Event("ref", self._at()))

    def handle_charref(self, name: str) -> None:
        self.events.append(_Event("ref", self._at()))

    def handle_comment(self, data: str) -> None:
        self.events.append(_Event("other", self._at()))

    def handle_decl(self, decl: str) -> None:
        self.events.append(_Event("other", self._at()))

    def handle_pi(self, data: str) -> None:
        self.events.append(_Event("other", self._at()))

    def unknown_decl(self, data: str) -> None:
        self.events.append(_Event("other", self._at()))


@dataclass
class _Run:
    """A stretch of text between two tags: its span in the page and where it sits."""

    start: int
    end: int
    link: int | None  # the index of the <a> it is in
    look: str  # the inline elements around it (their indices): runs of one look share it
    plain: bool  # in a <title>, <option> or <textarea>: no markup may be added
    text: str = ""  # its characters, references decoded, whitespace as single spaces


@dataclass
class _Unit:
    """A block's text (its pieces placed by :mod:`inline`), or an attribute's value."""

    text: str
    runs: list[_Run] = field(default_factory=list)
    span: tuple[int, int] | None = None  # an attribute value (with its quotes)
    block_end: int = 0  # where the block ends (a bilingual copy's translation goes there)
    batch: InlineBatch | None = None  # the unit's pieces: links and other looks
    piece_runs: list[list[_Run]] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """What the model translates for this unit: its text, then its anchors."""
        return self.batch.texts if self.batch is not None else [self.text]


def _decode(path: Path, options: PrepareOptions) -> tuple[str, TextEncoding]:
    raw = read_input_file(path, max_bytes=MAX_TEXT_BYTES, noun="a web page",
                          split_hint="Split it into smaller pages.")
    encoding = options.input_encoding
    declared = _META_CHARSET.search(raw[:4096])
    if (
        encoding is None
        and declared is not None
        and not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
    ):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:  # not UTF-8: the page's own declaration says what it is
            encoding = declared.group(1).decode("ascii")
    try:
        return decode_detect(raw, path.name, kind="HTML", encoding=encoding)
    except InputError as error:
        if error.message.endswith("is not an encoding Terjman knows."):
            return decode_detect(raw, path.name, kind="HTML")  # a bogus declaration
        raise InputError(error.message, hint=error.hint or save_as_utf8_hint("HTML")) from None


def _units(text: str, events: list[_Event], inline: bool) -> list[_Unit]:
    """The blocks and attribute values to translate.

    With ``inline``, a block is cut into pieces of one look (a link, a ``<b>``…) whose
    translations are placed by :mod:`~terjman_desktop.core.documents.inline`; else (a
    bilingual copy, which keeps the source) a block is one text.
    """
    units: list[_Unit] = []
    stack: list[tuple[str, int]] = []  # open elements: (tag, event index)
    skip = 0  # open elements whose content is not translated
    block: list[_Run] = []

    def flush(at: int) -> None:
        if inline:
            units.extend(_inline_units(block, at))
        else:
            words = " ".join("".join(run.text for run in block).split())
            if any(c.isalpha() for c in words):
                units.append(_Unit(words, list(block), block_end=at))
        block.clear()

    for index, event in enumerate(events):
        end = events[index + 1].start if index + 1 < len(events) else len(text)
        if event.kind in ("data", "ref"):
            if not skip:
                look = ",".join(str(i) for t, i in stack if t in _INLINE)
                link = next((i for t, i in reversed(stack) if t == "a"), None)
                plain = any(t in _PLAIN for t, _ in stack)
                words = _SPACES.sub(" ", html.unescape(text[event.start : end]))
                block.append(_Run(event.start, end, link, look, plain, words))
            continue
        if event.kind not in ("start", "startend", "end"):
            continue
        tag = event.tag
        if tag not in _INLINE:
            flush(event.start)
        if event.kind == "end":
            if any(t == tag for t, _ in stack):
                while stack:
                    t, i = stack.pop()
                    if events[i].kind == "start" and _skips(events[i]):
                        skip -= 1
                    if t == tag:
                        break
            continue
        if skip or _skips(event):
            if event.kind == "start" and tag not in _VOID:
                stack.append((tag, index))
                skip += 1
            continue
        units += _attribute_units(text, event, end)
        if event.kind == "start" and tag not in _VOID:
            stack.append((tag, index))
    flush(len(text))
    return units


def _attribute_units(text: str, event: _Event, end: int) -> list[_Unit]:
    """The ``alt``, ``title``… values of the tag at ``text[event.start:end]`` with words.

    Each value found in the tag's text must be one the parser read for that attribute,
    so ``title=`` written inside another attribute's value is never taken for one.
    """
    parsed = {(name.lower(), value) for name, value in event.attrs}
    units = []
    for match in _ATTRIBUTE.finditer(text, event.start, end):
        value = next(g for g in match.groups() if g is not None)
        name = match.group().split("=", 1)[0].strip().lower()
        if (name, html.unescape(value)) not in parsed:
            continue
        words = " ".join(html.unescape(value).split())
        if any(c.isalpha() for c in words):  # the span includes the value's quotes
            begin = (
                match.start(3)
                if match.group(3) is not None
                else match.start(1 if match.group(1) is not None else 2) - 1
            )
            units.append(_Unit(words, span=(begin, match.end())))
    return units


class _RunText:
    """What :class:`~terjman_desktop.core.documents.inline.Slot` reads: a run's text."""

    def __init__(self, run: _Run) -> None:
        self.text = run.text


def _inline_units(block: list[_Run], at: int) -> list[_Unit]:
    """A block's units, each with its pieces of one look, as Word paragraphs have."""
    line: Line = []
    runs_of: dict[int, list[_Run]] = {}  # id of a piece → its runs
    for run in block:
        add_text(line, Slot(_RunText(run)), run.look, link=run.link is not None)
        runs_of.setdefault(id(line[-1]), []).append(run)
    units = []
    for unit in units_of_line(at, line):
        words = " ".join(unit.text.split())
        if not any(c.isalpha() for c in words):
            continue
        piece_runs = [runs_of[id(piece)] for piece in unit.pieces]
        runs = [run for group in piece_runs for run in group]
        units.append(
            _Unit(words, runs, block_end=at, batch=InlineBatch([unit]), piece_runs=piece_runs)
        )
    return units


def _skips(event: _Event) -> bool:
    attrs = {name.lower(): (value or "") for name, value in event.attrs}
    return (
        event.tag in _SKIP
        or attrs.get("translate", "").lower() == "no"
        or "notranslate" in attrs.get("class", "").split()
    )


def prepare_html(path: Path, options: PrepareOptions) -> Prepared:
    """Read a page into its blocks and attribute values; rendering rewrites only those."""
    text, read = _decode(path, options)
    scanner = _Scanner(text)
    try:
        scanner.feed(text)
        scanner.close()
    except (AssertionError, ValueError) as error:  # the tokenizer gives up on very odd input
        raise InputError(
            f"'{path.name}' is not a readable web page ({error}).",
            hint="Open it in a browser and save it again.",
        ) from None
    interleaved = options.bilingual == "interleaved"
    units = _units(text, scanner.events, inline=not interleaved)
    rtl = is_right_to_left(options.target_language)
    language = html.escape(options.target_language)
    direction = "rtl" if rtl else "ltr"

    def render(translations: list[str]) -> bytes:
        edits: list[tuple[int, int, str]] = []
        position = 0
        for unit in units:
            chunk = translations[position : position + len(unit.texts)]
            position += len(unit.texts)
            translation = chunk[0]
            if unit.batch is not None:
                edits += _placed_edits(unit, unit.batch.place(chunk)[0], text)
            elif unit.span is not None:
                value = f"{unit.text} / {translation}" if interleaved else translation
                edits.append((*unit.span, '"' + html.escape(value, quote=True) + '"'))
            else:
                edits += _interleaved_edits(unit, translation, text, language, direction)
        if not interleaved:
            edits += _language_edits(scanner.events, text, language, direction)
        out: list[str] = []
        last = 0
        for start, end, replacement in sorted(edits):
            out += [text[last:start], replacement]
            last = end
        out.append(text[last:])
        page = "".join(out)
        write = (
            read
            if options.output_encoding == "same"
            else TextEncoding("utf-8", bom=read.bom and read.codec == "utf-8")
        )
        declared = _META_CHARSET_TEXT.search(page[:4096])
        if declared is not None and declared.group(1).lower().replace("_", "-") != (
            "utf-8" if write.codec == "utf-8" else write.name.lower()
        ):
            page = page[: declared.start(1)] + write.name.lower() + page[declared.end(1) :]
        bom = {
            "utf-8": b"\xef\xbb\xbf",
            "utf-16-le": b"\xff\xfe",
            "utf-16-be": b"\xfe\xff",
            "utf-32-le": b"\xff\xfe\x00\x00",
            "utf-32-be": b"\x00\x00\xfe\xff",
        }
        prefix = bom.get(write.codec, b"") if write.bom else b""
        return prefix + page.encode(write.codec, errors="xmlcharrefreplace")

    return Prepared([t for u in units for t in u.texts], render, encoding=read)


def _placed_edits(unit: _Unit, placement: Placement, text: str) -> list[tuple[int, int, str]]:
    """A block unit's runs rewritten: each piece's words in its first run, the rest empty.

    The spaces that opened and closed the unit in the page stay around it.
    """
    if placement.method == "source":
        return []  # nothing to change (the model gave nothing, or the same text)
    first, last = unit.runs[0], unit.runs[-1]
    lead_raw, trail_raw = text[first.start : first.end], text[last.start : last.end]
    lead = lead_raw[: len(lead_raw) - len(lead_raw.lstrip())]
    trail = trail_raw[len(trail_raw.rstrip()) :]
    texts = list(placement.texts)
    pieces = unit.batch.units[0].pieces if unit.batch is not None else []
    if placement.method == "single" and pieces and pieces[0].link:
        # One piece takes it all: the block's own text, not a link that has no words
        # ("→ I like the bread."), which keeps its symbol.
        main = next((i for i, p in enumerate(pieces) if not p.link), 0)
        texts = [p.text.strip() if p.link else "" for p in pieces]
        texts[main] = placement.texts[0]
    new = {id(run): "" for run in unit.runs}
    for runs, words in zip(unit.piece_runs, texts, strict=True):
        new[id(runs[0])] = html.escape(words, quote=False)
    new[id(first)] = lead + new[id(first)].lstrip()
    new[id(last)] = new[id(last)].rstrip() + trail
    return [(run.start, run.end, new[id(run)]) for run in unit.runs]


def _language_edits(
    events: list[_Event], text: str, language: str, direction: str
) -> list[tuple[int, int, str]]:
    """``<html>`` (and a ``<body>`` that sets its own) rewritten with the target's language.

    Each tag is written from its parsed attributes, so a ">" inside a quoted value cannot
    fool it.
    """
    edits = []
    for index, event in enumerate(events):
        if event.kind not in ("start", "startend") or event.tag not in ("html", "body"):
            continue
        names = {name.lower() for name, _ in event.attrs}
        if event.tag == "body" and not names & {"lang", "dir"}:
            continue  # the <html> element's language applies
        kept = "".join(
            f' {name}="{html.escape(value, quote=True)}"' if value is not None else f" {name}"
            for name, value in event.attrs
            if name.lower() not in ("lang", "dir")
        )
        end = events[index + 1].start if index + 1 < len(events) else len(text)
        edits.append((event.start, end, f'<{event.tag} lang="{language}" dir="{direction}"{kept}>'))
    return edits


def _interleaved_edits(
    unit: _Unit, translation: str, text: str, language: str, direction: str
) -> list[tuple[int, int, str]]:
    """A bilingual copy: the source stays; its translation follows the block."""
    escaped = html.escape(translation, quote=False)
    last = unit.runs[-1]
    if last.plain:  # a title: no markup may be added, the text follows
        raw = text[last.start : last.end]
        body = raw.rstrip()
        return [(last.start, last.end, f"{body} / {escaped}{raw[len(body) :]}")]
    span = (
        f'<br><span class="terjman-translation" lang="{language}" '
        f'dir="{direction}">{escaped}</span>'
    )
    return [(unit.block_end, unit.block_end, span)]


FORMAT = DocumentFormat(".html", "Web pages", prepare_html, bilingual=("interleaved",), text=True)
FORMAT_HTM = DocumentFormat(
    ".htm", "Web pages", prepare_html, bilingual=("interleaved",), text=True
)
