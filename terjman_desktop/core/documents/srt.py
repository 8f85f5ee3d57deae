r"""Subtitles (``.srt``): cue numbers and timings kept byte for byte, a cue's text translated.

A cue's text lines are translated together (a sentence split over two lines stays one
sentence) and re-wrapped over the same number of lines; markup around a line (``<i>``,
``{\an8}``, a dialogue dash) is kept where it was.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from terjman_desktop.core.documents.prepared import (
    DocumentFormat,
    Prepared,
    encode,
    split_line,
)
from terjman_desktop.core.errors import InputError
from terjman_desktop.core.textfile import MAX_TEXT_BYTES, read_text_file

_TIMING = re.compile(
    r"\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}\s*-->\s*\d+:\d{1,2}:\d{1,2}[,.]\d{1,3}(?:\s.*)?"
)
# Markup around a subtitle line: <i>, </font>, {\an8}, and a dialogue dash.
_LEADING = re.compile(r"^(?:\s*(?:<[^<>]*>|\{[^{}]*\}|[-–—](?!\d)))*\s*")
_TRAILING = re.compile(r"\s*(?:(?:<[^<>]*>|\{[^{}]*\})\s*)*$")
_INNER_TAG = re.compile(r"<[^<>]*>|\{[^{}]*\}")


@dataclass
class _Group:
    """Consecutive text lines of a cue spoken together (a dialogue dash starts a new one)."""

    lines: list[int] = field(default_factory=list)  # indices into the file's lines


def _rewrap(text: str, count: int) -> list[str]:
    """Split ``text`` at spaces into at most ``count`` lines of similar length."""
    words = text.split()
    if count <= 1 or len(words) <= 1:
        return [" ".join(words)]
    starts, offset = [], 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    total = offset - 1
    cuts: list[int] = []
    for k in range(1, count):
        candidates = range(cuts[-1] + 1 if cuts else 1, len(words))
        if not candidates:
            break
        ideal = total * k / count
        cuts.append(min(candidates, key=lambda j: abs(starts[j] - ideal)))
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]


def prepare_srt(path: Path) -> Prepared:
    """Cue numbers, timings and blank lines are kept byte for byte; text is translated.

    Raises:
        InputError: Naming the first line that is not where an SRT file needs a cue number
            or a timing.
    """
    text, bom = read_text_file(path, max_bytes=MAX_TEXT_BYTES, kind="subtitle")
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
        elif (stripped.isdigit() and i + 1 < len(lines)
              and _TIMING.fullmatch(lines[i + 1][0].strip())):
            state = "timing"  # the next cue follows without a blank line
        else:
            if _is_dialogue(line) and groups[-1].lines:
                groups.append(_Group())
            groups[-1].lines.append(i)
    if state == "timing":
        raise _srt_error(path, len(lines), "", "a timing after the last cue number")
    if cues == 0 and text.strip():
        raise InputError(f"'{path.name}' has no subtitles.",
                         hint="Check that it is an .srt subtitle file.")
    groups = [g for g in groups if g.lines]
    units = [_group_text([lines[i][0] for i in g.lines]) for g in groups]

    def render(translations: list[str]) -> bytes:
        out = [line + end for line, end in lines]
        for group, translation in zip(groups, translations, strict=True):
            originals = [lines[i][0] for i in group.lines]
            if not any(c.isalpha() for c in _group_text(originals)):
                continue
            parts = _rewrap(translation, len(group.lines))
            for n, i in enumerate(group.lines):
                if n >= len(parts):
                    out[i] = ""  # the translation is shorter: fewer lines
                    continue
                line, end = lines[i]
                lead = _LEADING.match(line)
                head = lead.group() if lead else ""
                tail_match = _TRAILING.search(line, len(head))
                tail = tail_match.group() if tail_match else ""
                last_end = lines[group.lines[-1]][1]
                out[i] = head + parts[n] + tail + (last_end if n == len(parts) - 1 else end)
        return encode("".join(out), bom)

    return Prepared(units, render)


def _is_dialogue(line: str) -> bool:
    lead = _LEADING.match(line)
    return lead is not None and any(dash in lead.group() for dash in "-–—")


def _group_text(lines: list[str]) -> str:
    """The words of subtitle lines, without markup, as one line of text."""
    words = []
    for line in lines:
        lead = _LEADING.match(line)
        words.append(_INNER_TAG.sub("", line[lead.end() if lead else 0:]).strip())
    return " ".join(w for w in words if w)


def _srt_error(path: Path, index: int, line: str, expected: str) -> InputError:
    found = f"'{line.strip()[:60]}'" if line.strip() else "the end of the file"
    return InputError(
        f"Line {index + 1} of '{path.name}' should be {expected}, but it is {found}.",
        hint="Fix that line in a text or subtitle editor and try again.",
    )


FORMAT = DocumentFormat(".srt", "Subtitles", lambda path, options: prepare_srt(path))
