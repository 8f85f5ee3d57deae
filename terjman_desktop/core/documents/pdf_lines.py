"""Paragraphs rebuilt from the lines of a PDF page.

A PDF draws lines of text at positions; it has no paragraphs. pypdf gives each line and
where its baseline starts; this module joins lines into paragraphs the way a reader sees
them, with no PDF code of its own (so it is tested on plain :class:`Line` values):

- a vertical gap clearly larger than the page's usual line spacing ends a paragraph (the
  rule pdfminer's layout analysis uses too: a gap over half a line's height);
- so does a change of font size (a heading above its text), a line that goes back up the
  page (the next column or a text box), a line that starts with a bullet, and a line of
  left-to-right text that starts further right than the body of the paragraph above it
  (a first-line indent) or further left (the end of a list item's hanging indent);
- a word hyphenated at a line end is joined when the next line goes on in lower case
  ("tomor-" + "row." → "tomorrow."); a compound keeps its hyphen ("state-of-the-" +
  "art", "Anglo-" + "Saxon", "2024-" + "2025"); a soft hyphen is always joined; other
  lines are joined with one space.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Over this many times the font size between two baselines, a gap is more than line spacing
# (pdfminer's default line_margin 0.5: a gap over half a line's height).
PARAGRAPH_GAP = 1.5
# ...and over this many times the page's usual spacing, when its lines are spaced wider.
SPACING_FACTOR = 1.25
# Font sizes this far apart are not the same kind of text (a heading and its body).
SIZE_RATIO = 1.15
_BULLET = re.compile(r"\s*(?:[•◦▪▫‣⁃●○■□–—*·]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s")
_HYPHEN_END = re.compile(r"(?<=\w)-$")
_SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Line:
    """One line of text as drawn: where its baseline starts (PDF points, y upwards)."""

    text: str
    x: float
    y: float
    size: float


def _usual_spacing(lines: list[Line]) -> float:
    """The page's line spacing, or 0 when it has none.

    The smallest distance between consecutive baselines of same-size text that comes back
    at least twice: one gap alone is not the spacing.
    """
    steps = sorted(
        above.y - below.y
        for above, below in itertools.pairwise(lines)
        if above.y - below.y > 0.5 * max(above.size, 1.0) and _same_size(above, below)
    )
    for step in steps:
        if sum(1 for other in steps if abs(other - step) <= max(0.5, 0.03 * step)) >= 2:
            return step
    return 0.0


def _same_size(a: Line, b: Line) -> bool:
    small, large = sorted((max(a.size, 0.1), max(b.size, 0.1)))
    return large / small <= SIZE_RATIO


def _starts_paragraph(previous: Line, line: Line, body_x: float | None, spacing: float) -> bool:
    step = previous.y - line.y
    size = max(previous.size, line.size, 1.0)
    if step < -0.5 * size:  # back up the page: another column or box
        return True
    if abs(step) <= 0.5 * size:  # drawn on the same line (pypdf split it): go on
        return False
    if not _same_size(previous, line):
        return True
    if step > PARAGRAPH_GAP * size and (not spacing or step > SPACING_FACTOR * spacing):
        return True
    if _BULLET.match(line.text):
        return True
    # A first-line indent (the body of the paragraph above is to the left of this line) or
    # the end of a hanging indent (a list item's body is to its right). Not for right-to-left
    # text, whose lines start on the right: a short last line of Arabic starts further right
    # on the page without being a new paragraph.
    return body_x is not None and abs(line.x - body_x) > size and not _right_to_left(line.text)


def _right_to_left(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if unicodedata.bidirectional(c) in ("R", "AL")) * 2 > len(letters)


def _join(text: str, line: str) -> str:
    line = line.strip()
    if text.endswith(_SOFT_HYPHEN):  # hyphenation by the program that made the PDF
        return text[:-1] + line
    if _HYPHEN_END.search(text):
        word = text.rsplit(" ", 1)[-1]
        if line[:1].islower() and word[-2:-1].isalpha() and "-" not in word[:-1]:
            return text[:-1] + line  # "tomor-" + "row." → "tomorrow."
        return text + line  # "state-of-the-" + "art", "Anglo-" + "Saxon", "2024-" + "2025"
    return f"{text} {line}"


def paragraphs_of(lines: Iterable[Line]) -> list[str]:
    """The lines of one page, in drawing order, joined into paragraphs."""
    drawn = [line for line in lines if line.text.strip()]
    spacing = _usual_spacing(drawn)
    paragraphs: list[str] = []
    text = ""
    previous: Line | None = None
    body_x: float | None = None  # where the paragraph's second and later lines start
    for line in drawn:
        if previous is None or _starts_paragraph(previous, line, body_x, spacing):
            if text:
                paragraphs.append(text)
            text, body_x = " ".join(line.text.split()), None
        else:
            if abs(previous.y - line.y) > 0.5 * max(line.size, 1.0):
                body_x = line.x if body_x is None else min(body_x, line.x)
            text = _join(text, " ".join(line.text.split()))
        previous = line
    if text:
        paragraphs.append(text)
    return [" ".join(p.split()) for p in paragraphs]
