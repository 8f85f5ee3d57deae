r"""Subtitles (``.srt``): cue numbers and timings kept byte for byte, a cue's text translated.

A cue's text lines are translated together (a sentence split over two lines stays one
sentence) and re-wrapped over the same number of lines. Only real subtitle markup is
markup: the tags ``<i> <b> <u> <s> <font …>`` (and their closing tags) and ASS overrides
such as ``{\an8}``; anything else in angle brackets (``2<3,5>1``) is text.

Where the markup goes: what opens the cue's first line (``<i>``, ``{\an8}``, a dialogue
dash) and what closes its last line stays there verbatim; markup inside (``I saw
<i>Titanic</i> today``, or a tag that ends one line and opens the next) is carried with
the translation's words at the same relative place in the text, attached to the word after
an opening tag and the word before a closing one, so re-wrapping never separates a tag
from its words and no tag is lost. The words of a translation are not aligned with the
source's: a tag inside a line marks about the same stretch of the translation.

Bilingual "interleaved": each cue shows its source lines, then their translation.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    PrepareOptions,
    check_can_hold,
    encode_output,
    output_encoding,
    split_line,
)
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.textfile import MAX_TEXT_BYTES, read_text_detect

_TIMING = re.compile(
    r"\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}(?:\s.*)?"
)
# Real subtitle markup only: <i> <b> <u> <s> <font …> and their closing tags, {\an8}.
_OPEN_TAG = r"<(?:[ibus]|font(?:\s[^<>]*)?)\s*>|\{\\[^{}]*\}"
_CLOSE_TAG = r"</(?:[ibus]|font)\s*>"
_TAG = re.compile(f"{_OPEN_TAG}|{_CLOSE_TAG}", re.IGNORECASE)
_CLOSING = re.compile(_CLOSE_TAG, re.IGNORECASE)
# Markup opening a line: tags, a dialogue dash, the spaces between.
_LEADING = re.compile(rf"^(?:\s*(?:{_OPEN_TAG}|{_CLOSE_TAG}|[-–—](?!\d)))*\s*", re.IGNORECASE)
_TRAILING = re.compile(rf"\s*(?:(?:{_OPEN_TAG}|{_CLOSE_TAG})\s*)*$", re.IGNORECASE)


@dataclass
class _Group:
    """Consecutive text lines of a cue spoken together (a dialogue dash starts a new one)."""

    lines: list[int] = field(default_factory=list)  # indices into the file's lines


@dataclass(frozen=True)
class _Tag:
    """Markup inside a group: where it sat in the group's words, and which way it binds."""

    text: str
    fraction: float  # words before it / the group's words: 0 (start) to 1 (end)
    closing: bool


@dataclass(frozen=True)
class _Parsed:
    """A group's text split into the verbatim head and tail, its words and inner tags."""

    head: str
    words: list[str]
    tags: list[_Tag]
    tail: str

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _parse_group(lines: list[str]) -> _Parsed:
    head_match = _LEADING.match(lines[0])
    head = head_match.group() if head_match else ""
    tail_match = _TRAILING.search(lines[-1], len(head) if len(lines) == 1 else 0)
    tail = tail_match.group() if tail_match else ""
    pieces: list[tuple[str, bool]] = []  # (text, is_tag) in order
    for n, line in enumerate(lines):
        start = len(head) if n == 0 else 0
        stop = len(line) - len(tail) if n == len(lines) - 1 else len(line)
        last = start
        for tag in _TAG.finditer(line, start, stop):
            pieces.append((line[last : tag.start()], False))
            pieces.append((tag.group(), True))
            last = tag.end()
        pieces.append((line[last:stop], False))
    words: list[str] = []
    raw_tags: list[tuple[str, int, bool]] = []
    for text, is_tag in pieces:
        if is_tag:  # its place: how many words come before it
            raw_tags.append((text, len(words), bool(_CLOSING.fullmatch(text))))
        else:
            words.extend(text.split())
    total = len(words) or 1
    tags = [_Tag(text, position / total, closing) for text, position, closing in raw_tags]
    return _Parsed(head, words, tags, tail)


def _place_tags(words: list[str], tags: list[_Tag]) -> list[str]:
    """The translation's words, with each tag glued to the word it now binds to."""
    if not words:
        return ["".join(tag.text for tag in tags)] if tags else []
    before = [""] * len(words)  # opening tags, glued to the front of a word
    after = [""] * len(words)  # closing tags, glued to the end of a word
    floor = 0
    for tag in tags:
        boundary = max(floor, round(tag.fraction * len(words)))
        floor = boundary  # tags keep their order
        if tag.closing:
            index = max(boundary - 1, 0)
            after[index] += tag.text
        elif boundary < len(words):
            before[boundary] += tag.text
        else:
            after[-1] += tag.text
    return [b + w + a for b, w, a in zip(before, words, after, strict=True)]


def _rewrap(text: str, count: int) -> list[str]:
    """Split ``text`` at spaces into at most ``count`` lines of similar length."""
    return [" ".join(line) for line in _rewrap_words(text.split(), count)]


def _rewrap_words(words: list[str], count: int) -> list[list[str]]:
    """Words over at most ``count`` lines of similar length (tags count for nothing)."""
    if count <= 1 or len(words) <= 1:
        return [words]
    starts, offset = [], 0
    for word in words:
        starts.append(offset)
        offset += len(_TAG.sub("", word)) + 1
    total = offset - 1
    cuts: list[int] = []
    for k in range(1, count):
        candidates = range(cuts[-1] + 1 if cuts else 1, len(words))
        if not candidates:
            break
        ideal = total * k / count
        cuts.append(min(candidates, key=lambda j: abs(starts[j] - ideal)))
    bounds = [0, *cuts, len(words)]
    return [words[a:b] for a, b in itertools.pairwise(bounds)]


def _translated_lines(parsed: _Parsed, translation: str, count: int) -> list[str]:
    """The translation over at most ``count`` lines, with the group's markup kept."""
    words = _place_tags(translation.split(), parsed.tags)
    lines = [" ".join(line) for line in _rewrap_words(words, count)]
    lines[0] = parsed.head + lines[0]
    lines[-1] += parsed.tail
    return lines


def _cues(path: Path, text: str) -> tuple[list[tuple[str, str]], list[_Group]]:
    """The file's lines (with their breaks) and the groups of text lines of its cues.

    Raises:
        InputError: Naming the first line that is not where an SRT file needs a cue number
            or a timing.
    """
    lines = [split_line(chunk) for chunk in text.splitlines(keepends=True)]
    groups: list[_Group] = []
    state = "number"
    cues = 0
    for i, (line, _) in enumerate(lines):
        stripped = line.strip()
        if state == "number":
            if not stripped:
                continue
            if stripped.isdigit():
                state = "timing"
                continue
            if not _TIMING.fullmatch(stripped):  # a cue without its number is accepted
                raise _srt_error(path, i, line, "a subtitle number")
        elif state == "timing" and not _TIMING.fullmatch(stripped):
            raise _srt_error(path, i, line, "a timing such as 00:00:01,000 --> 00:00:04,000")
        if state != "text":
            state, cues = "text", cues + 1
            groups.append(_Group())
        elif not stripped:
            state = "number"
        elif (
            stripped.isdigit() and i + 1 < len(lines) and _TIMING.fullmatch(lines[i + 1][0].strip())
        ):
            state = "timing"  # the next cue follows without a blank line
        else:
            if _is_dialogue(line) and groups[-1].lines:
                groups.append(_Group())
            groups[-1].lines.append(i)
    if state == "timing":
        raise _srt_error(path, len(lines), "", "a timing after the last cue number")
    if cues == 0 and text.strip():
        raise InputError(
            f"'{path.name}' has no subtitles.", hint="Check that it is an .srt subtitle file."
        )
    return lines, [g for g in groups if g.lines]


def prepare_srt(path: Path, options: PrepareOptions | None = None) -> Prepared:
    """Cue numbers, timings and blank lines are kept byte for byte; text is translated.

    Raises:
        InputError: Naming the first line that is not where an SRT file needs a cue number
            or a timing.
    """
    options = options or PrepareOptions("ary")
    text, read = read_text_detect(
        path, max_bytes=MAX_TEXT_BYTES, kind="subtitle", encoding=options.input_encoding
    )
    write = output_encoding(read, options)
    check_can_hold(write, options.target_language, path.name)
    lines, groups = _cues(path, text)
    parsed = [_parse_group([lines[i][0] for i in g.lines]) for g in groups]
    interleaved = options.bilingual == "interleaved"

    def render(translations: list[str]) -> bytes:
        out = [line + end for line, end in lines]
        for group, source, translation in zip(groups, parsed, translations, strict=True):
            if not any(c.isalpha() for c in source.text):
                continue  # nothing was translated: kept byte for byte
            count = len(group.lines)
            new = _translated_lines(source, translation, count)
            last_end = lines[group.lines[-1]][1]
            ends = [lines[i][1] for i in group.lines]
            if interleaved:  # the source lines stay; the translation follows them
                newline = next((end for end in ends if end), "\n")
                out[group.lines[-1]] = (
                    lines[group.lines[-1]][0] + newline + newline.join(new) + last_end
                )
                continue
            for n, i in enumerate(group.lines):
                if n >= len(new):
                    out[i] = ""  # the translation is shorter: fewer lines
                else:
                    out[i] = new[n] + (last_end if n == len(new) - 1 else ends[n])
        return encode_output("".join(out), write, path.name)

    return Prepared([p.text for p in parsed], render, encoding=read)


def _is_dialogue(line: str) -> bool:
    lead = _LEADING.match(line)
    return lead is not None and any(dash in lead.group() for dash in "-–—")


def _srt_error(path: Path, index: int, line: str, expected: str) -> InputError:
    found = f"'{line.strip()[:60]}'" if line.strip() else "the end of the file"
    return InputError(
        f"Line {index + 1} of '{path.name}' should be {expected}, but it is {found}.",
        hint="Fix that line in a text or subtitle editor and try again.",
    )


FORMAT = DocumentFormat(".srt", "Subtitles", prepare_srt, bilingual=("interleaved",), text=True)
