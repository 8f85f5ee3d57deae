"""Split a text into translatable sentences and layout, and put translations back.

The engine calls :func:`segment`, translates :attr:`Segmented.sentences` and calls
:meth:`Segmented.join`, which also says where each translation landed, so nothing ever
searches the output for a sentence (a translation may repeat, or appear in the layout).
Everything that is not a sentence (line breaks, indentation, list
bullets and numbering, the spaces between sentences, pieces without any letter such as
"2024" or "🙂") is kept verbatim, so ``"".join(p.text for p in segment(t).pieces) == t``
holds for every string ``t``.

Stdlib only and linear-time: a 1 MB paste of prose segments in well under a second.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

# What str.splitlines() treats as a line break.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"

# Layout at the start of a line (after its indentation), possibly repeated ("> - item").
_ROMAN = r"(?=[ivx]{2})x{0,3}(?:ix|iv|v?i{0,3})|(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})"
_NUMBER = rf"[0-9]{{1,9}}(?:[.)][0-9]{{1,9}})*|[٠-٩۰-۹]{{1,9}}|[a-z]|{_ROMAN}"
_MARKER = re.compile(
    r">+\s*"  # quote; markdown allows ">text"
    r"|[•‣◦▪⁃](?=\w)"  # a bullet that is not a hyphen may touch its item: "⁃9."
    r"|(?:\#{1,6}|[-*•‣◦▪⁃+–—]"
    rf"|(?:{_NUMBER})\.\)?|(?:{_NUMBER}|[A-Z])\)|\((?:{_NUMBER}|[A-Z])\)"
    r"|[A-Z]\.(?!\s+[A-Z]\.))"  # "A." but not the initials of "J. K. Rowling"
    r"(?:\s+|$)"
)
# The counter of a list marker ("2" of "2.)", "b" of "b."), to find the next item's marker
# on the same line: "1. The first item 2. The second item".
_COUNTER = re.compile(r"[0-9]{1,9}(?=[.)]\)?\s*$)|[a-zA-Z](?=[.)]\s*$)")

_ENDERS = ".!?…؟‼⁇⁈⁉۔"
_CLOSERS = "\"'”’»)]›}"
_OPENERS = "\"'“‘„«‹([{¿¡"
# Zero-width and bidi marks: kept by segmentation, but looked through when deciding a boundary.
_INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi
)
# Whitespace that may end a sentence: only runs right after an ender, closer or invisible mark.
_GAP = re.compile(f"(?<=[{re.escape(_ENDERS + _CLOSERS + _INVISIBLE)}])\\s+")
# Words that a "." does not end, in any case ("No." is handled apart, in _is_abbreviation):
# titles and words that come before what they qualify.
_ABBREVIATION = re.compile(r"(?i:mrs?|ms|dr|prof|st|vs|mt|approx|fig|nos|vol|pp?)")
# Abbreviations that often end a sentence: like "U.S.", they end it before a starter.
_FINAL_ABBREVIATION = re.compile(r"(?i:jr|sr|etc|inc|ltd|co|corp|bros)")
# Words that start a sentence: after "U.S.", "P.M.", "Co." or a single capital ("you and
# I.") one of these means the sentence ended; any other capital word ("U.S. Government",
# "Albert I. Jones", "Acme Inc. Makes") does not.
_STARTERS = frozenset(
    {
        "I",
        "A",
        "An",
        "The",
        "It",
        "Its",
        "He",
        "She",
        "We",
        "They",
        "You",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "What",
        "Who",
        "Why",
        "How",
        "When",
        "Where",
        "Which",
        "Did",
        "Do",
        "Does",
        "Is",
        "Are",
        "Was",
        "Were",
        "Can",
        "Could",
        "Will",
        "Would",
        "Should",
        "Shall",
        "May",
        "Might",
        "Must",
        "Have",
        "Has",
        "Had",
        "But",
        "And",
        "So",
        "Yet",
        "Or",
        "If",
        "My",
        "Our",
        "His",
        "Her",
        "Their",
        "Your",
        "Let",
        "Please",
    }
)
_WORD = re.compile(r"[^\W\d_]+")
_SPACED_ELLIPSIS = re.compile(r"(?:\.\s){2,}\.?\s*(?=[A-Z])")
# A citation in brackets right after a quotation ends the sentence with its own period:
# "... stairways [...]" (Smith 55).
_CITATION = re.compile(r"\([^()]{1,60}\)[.!?]")
_DOTTED = re.compile(r"[A-Za-z](?:\.[A-Za-z])+")  # e.g, i.e, a.m, p.m, U.S, U.K
_MAX_ABBREVIATION = 12

# Where an over-long sentence may be cut, best first: after clause punctuation or a spaced
# dash, then at any whitespace; below that come character positions.
_CUT_LEVELS = (
    re.compile(r"(?<=[,;:،؛])\s+|(?<=\s[—–])\s+"),
    re.compile(r"\s+"),
)

_CLEAN_DROP = re.compile(
    # Control characters that are not whitespace, then zero-width and bidi marks.
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
    "\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]"
)
_WHITESPACE = re.compile(r"\s+")

Fits = Callable[[str], bool]
Span = tuple[int, int]


@dataclass(frozen=True)
class Piece:
    """A slice of the source text.

    Attributes:
        text: The exact source characters.
        translatable: True for a sentence (or a chunk of one) to send to the model.
        paragraph: Index of the paragraph (a run of non-blank lines) the piece belongs to;
            blank lines and line breaks count with the paragraph before them.
    """

    text: str
    translatable: bool
    paragraph: int


@dataclass(frozen=True)
class Segmented:
    """A segmented text: its pieces, in order, covering the source exactly."""

    pieces: tuple[Piece, ...]

    @property
    def sentences(self) -> list[str]:
        """The texts of the translatable pieces, in order."""
        return [p.text for p in self.pieces if p.translatable]

    @property
    def sentence_spans(self) -> list[Span]:
        """``(start, end)`` of each translatable piece in the source text, in order."""
        spans: list[Span] = []
        position = 0
        for piece in self.pieces:
            end = position + len(piece.text)
            if piece.translatable:
                spans.append((position, end))
            position = end
        return spans

    @property
    def paragraph_count(self) -> int:
        """How many paragraphs the source has (0 when it is blank)."""
        # Only non-blank lines hold non-whitespace characters, and their indices are 0..n-1.
        indices = [p.paragraph for p in self.pieces if p.text and not p.text.isspace()]
        return max(indices) + 1 if indices else 0

    def join(self, translations: Sequence[str]) -> Joined:
        """Rebuild the text with the translatable pieces replaced, in order.

        Returns:
            The text, and the span of each translation in it (``text[start:end]`` is the
            translation of the sentence with that index).

        Raises:
            ValueError: If the number of translations is not the number of sentences.
        """
        expected = sum(p.translatable for p in self.pieces)
        if len(translations) != expected:
            raise ValueError(f"expected {expected} translations, got {len(translations)}")
        replacements = iter(translations)
        parts: list[str] = []
        spans: list[Span] = []
        position = 0
        for piece in self.pieces:
            part = next(replacements) if piece.translatable else piece.text
            if piece.translatable:
                spans.append((position, position + len(part)))
            parts.append(part)
            position += len(part)
        return Joined("".join(parts), tuple(spans))


class Joined(NamedTuple):
    """A rebuilt text and where each sentence's translation sits in it."""

    text: str
    spans: tuple[Span, ...]


class _Builder:
    """Collects pieces; neighbouring layout of one paragraph becomes one piece."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self._layout: list[str] = []  # a list, not str +=, so 1 MB of blank lines stays linear
        self._paragraph = 0

    def layout(self, text: str, paragraph: int) -> None:
        if not text:
            return
        if self._layout and paragraph != self._paragraph:
            self._flush()
        self._layout.append(text)
        self._paragraph = paragraph

    def sentence(self, text: str, paragraph: int) -> None:
        if not _has_letter(text):
            self.layout(text, paragraph)
            return
        self._flush()
        self.pieces.append(Piece(text, True, paragraph))

    def _flush(self) -> None:
        if self._layout:
            self.pieces.append(Piece("".join(self._layout), False, self._paragraph))
            self._layout.clear()

    def build(self) -> Segmented:
        self._flush()
        return Segmented(tuple(self.pieces))


def segment(
    text: str,
    *,
    max_tokens: int | None = None,
    count_tokens: Callable[[str], int] | None = None,
) -> Segmented:
    """Split ``text`` into sentences to translate and layout to keep.

    Args:
        text: Any string.
        max_tokens: With ``count_tokens``, the most tokens a translatable piece may have;
            longer sentences are cut (never truncated) into chunks that fit. A single
            character that does not fit still becomes its own chunk.
        count_tokens: Counts the tokens of a string; both arguments are needed to cut.

    Returns:
        The pieces, which concatenate back to ``text`` exactly.
    """
    fits: Fits | None = None
    if max_tokens is not None and count_tokens is not None:
        limit, count = max_tokens, count_tokens

        def fits(s: str) -> bool:
            return count(s) <= limit

    builder = _Builder()
    paragraph, previous_blank = -1, True
    for chunk in text.splitlines(keepends=True):
        # A chunk is one line and its break; the line itself holds no break character.
        line = chunk.rstrip(_LINE_BREAKS)
        if not line or line.isspace():
            builder.layout(chunk, max(paragraph, 0))
            previous_blank = True
            continue
        if previous_blank:
            paragraph += 1
        previous_blank = False
        _segment_line(line, paragraph, fits, builder)
        builder.layout(chunk[len(line) :], paragraph)
    return builder.build()


def _segment_line(line: str, paragraph: int, fits: Fits | None, builder: _Builder) -> None:
    end = len(line.rstrip())
    pos = len(line) - len(line.lstrip())
    while (marker := _MARKER.match(line, pos, end)) is not None:
        pos = marker.end()
    if pos:
        builder.layout(line[:pos], paragraph)
    leader = line[len(line) - len(line.lstrip()) : pos]
    start = pos
    for item_end, marker_end in _list_items(line, leader, pos, end):
        _segment_text(line[start:item_end], paragraph, fits, builder)
        builder.layout(line[item_end:marker_end], paragraph)
        start = marker_end
    _segment_text(line[start:end], paragraph, fits, builder)
    if end < len(line):
        builder.layout(line[end:], paragraph)


def _list_items(line: str, leader: str, start: int, end: int) -> list[Span]:
    """Where the next items of a one-line list start: ``(end of item, end of marker)``.

    Only after a line that starts with a numbered or lettered marker ("1.", "2)", "a.",
    "• 9.") or a bullet that is not a hyphen ("•"): the next marker is the same with the
    next number or letter ("1. The first item 2. The second item").
    """
    counter = _COUNTER.search(leader.rstrip())
    if counter is None and not leader.strip().startswith(tuple("•‣◦▪⁃")):
        return []
    items: list[Span] = []
    while True:
        if counter is not None:
            value = counter.group()
            following = str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)
            leader = leader[: counter.start()] + following + leader[counter.end() :]
        pattern = re.compile(r"\s+" + re.escape(leader.rstrip()) + r"(?:\s+|(?=\w))")
        found = pattern.search(line, start, end)
        if found is None or found.end() >= end:
            return items
        items.append((found.start(), found.end()))
        start = found.end()
        counter = _COUNTER.search(leader.rstrip())


def _segment_text(body: str, paragraph: int, fits: Fits | None, builder: _Builder) -> None:
    """Split a stretch of a line (no markers, no outer whitespace) into sentences."""
    last = 0
    for gap in _GAP.finditer(body):
        if gap.end() < len(body) and _is_boundary(body, gap.start(), gap.end()):
            _add_sentence(body[last : gap.start()], paragraph, fits, builder)
            builder.layout(gap.group(), paragraph)
            last = gap.end()
    _add_sentence(body[last:], paragraph, fits, builder)


def _is_boundary(body: str, gap_start: int, gap_end: int) -> bool:
    """Whether the whitespace ``body[gap_start:gap_end]`` separates two sentences."""
    nxt = gap_end
    while nxt < len(body) - 1 and body[nxt] in _INVISIBLE:
        nxt += 1
    first = body[nxt]
    if (
        first == "."
        and gap_start > 0
        and body[gap_start - 1] == "."
        and (gap_start > 1 and not body[gap_start - 2].isspace() and body[gap_start - 2] != ".")
    ):
        # "compounds. . . . The practice": the sentence ended at the first period, and
        # the spaced ellipsis opens the next one (the Chicago four-dot rule).
        return _SPACED_ELLIPSIS.match(body, nxt) is not None and not _is_abbreviation(
            _word_before(body, gap_start - 1), "A"
        )
    if not (first.isdigit() or first in _OPENERS or (first.isalpha() and not first.islower())):
        return False  # lowercase words, emoji, symbols do not start a sentence
    if first == "(" and _CITATION.match(body, nxt):
        return False
    # Walk back over closing quotes/brackets, then over the sentence-final punctuation.
    i = gap_start
    while i > 0 and body[i - 1] in _CLOSERS + _INVISIBLE:
        i -= 1
    j = i
    while j > 0 and body[j - 1] in _ENDERS:
        j -= 1
    if j == i:
        return False
    if i != gap_start or i - j != 1 or body[j] != ".":
        return True  # "?", "...", "?!" or a quoted/bracketed ending: no abbreviation there
    dots = _spaced_dots(body, j)
    if dots > 1:  # a spaced ellipsis ". . ." continues; a fourth period ends the sentence,
        # unless that period was the word's own and the sentence ended there
        attached = body[j - 2 * (dots - 1) - 1 : j - 2 * (dots - 1)].strip() != ""
        return dots >= 4 and not attached  # three dots and a period
    k = j
    while k > 0 and j - k <= _MAX_ABBREVIATION and not body[k - 1].isspace():
        k -= 1
    if k > 0 and not body[k - 1].isspace():
        return True  # the word is too long to be an abbreviation
    word = body[k:j].lstrip(_OPENERS)
    if (
        (len(word) == 1 and word.isupper())
        or _DOTTED.fullmatch(word)
        or _FINAL_ABBREVIATION.fullmatch(word)
    ):
        # "U.S." and an initial end a sentence only before a word that starts one.
        following = _WORD.match(body, nxt)  # no slice: a megabyte of initials stays linear
        if following is None or body.startswith(".", following.end()):
            return False  # another initial or abbreviation follows: "J. A. Smith", "U.S. A.B."
        return following.group() in _STARTERS
    return not _is_abbreviation(word, first)


def _spaced_dots(body: str, last: int) -> int:
    """How many periods, one space apart, end at ``body[last]`` (". . ." is 3)."""
    count, position = 1, last
    while position >= 2 and body[position - 1] == " " and body[position - 2] == ".":
        count, position = count + 1, position - 2
    return count


def _word_before(body: str, end: int) -> str:
    start = end
    while start > 0 and not body[start - 1].isspace():
        start -= 1
    return body[start:end]


def _is_abbreviation(word: str, next_char: str) -> bool:
    if word.casefold() in ("no", "n°", "nº"):  # "No. 5" but not "No. It is not."
        return next_char.isdigit()
    if _ABBREVIATION.fullmatch(word):
        return True
    if len(word) == 1:  # an initial, as in "J. K. Rowling"
        return word.isupper()
    return _DOTTED.fullmatch(word) is not None


def _has_letter(text: str) -> bool:
    # str.isalpha is exactly the Unicode categories Lu, Ll, Lt, Lm, Lo.
    return any(map(str.isalpha, text))


def _add_sentence(sentence: str, paragraph: int, fits: Fits | None, builder: _Builder) -> None:
    if fits is None or not _has_letter(sentence) or fits(sentence):
        builder.sentence(sentence, paragraph)
        return
    last = 0
    for start, end in _cut(sentence, 0, len(sentence), fits, 0):
        builder.layout(sentence[last:start], paragraph)  # the whitespace between chunks
        builder.sentence(sentence[start:end], paragraph)
        last = end


def _cut(text: str, start: int, end: int, fits: Fits, level: int) -> list[Span]:
    """Cut ``text[start:end]``, which does not fit, into spans that do.

    Units of the current level (clauses, then words, then characters) are packed greedily;
    a unit that does not fit on its own is cut at the next level.
    """
    if level == len(_CUT_LEVELS):
        units = _clusters(text, start, end)
    else:
        units, last = [], start
        for gap in _CUT_LEVELS[level].finditer(text, start, end):
            units.append((last, gap.start()))
            last = gap.end()
        units.append((last, end))
        if len(units) == 1:
            return _cut(text, start, end, fits, level + 1)
    chunks: list[Span] = []
    i = 0
    while i < len(units):
        first, first_end = units[i]
        if not fits(text[first:first_end]):
            if level == len(_CUT_LEVELS):
                chunks.append(units[i])  # one character that is over the limit by itself
            else:
                chunks.extend(_cut(text, first, first_end, fits, level + 1))
            i += 1
            continue
        i = _furthest(i, len(units), lambda j: fits(text[first : units[j][1]]))  # noqa: B023
        chunks.append((first, units[i][1]))
        i += 1
    return chunks


def _clusters(text: str, start: int, end: int) -> list[Span]:
    """Character spans, keeping combining marks (Arabic harakat) and ZWJ with their base."""
    spans: list[Span] = []
    for pos in range(start, end):
        char = text[pos]
        if spans and (char == "\u200d" or unicodedata.category(char).startswith("M")):
            spans[-1] = (spans[-1][0], pos + 1)
        else:
            spans.append((pos, pos + 1))
    return spans


def _furthest(good: int, count: int, ok: Callable[[int], bool]) -> int:
    """The largest index ``j < count`` with ``ok(j)``, given ``ok(good)`` and a monotone ``ok``.

    With a counter that is not monotone the answer is still an index where ``ok`` holds.

    Gallops then bisects, so packing n units costs O(log n) counts per chunk instead of
    re-counting after every unit (quadratic on a 5,000-character run).
    """
    step = 1
    while good + step < count and ok(good + step):
        good += step
        step *= 2
    bad = min(good + step, count)
    while bad - good > 1:
        middle = (good + bad) // 2
        if ok(middle):
            good = middle
        else:
            bad = middle
    return good


def clean_for_model(sentence: str) -> str:
    """The text to give the tokenizer for ``sentence``.

    Drops control characters (tab and other whitespace controls become spaces), zero-width
    characters and bidi marks; applies NFC; turns every kind of whitespace into one plain
    space and strips the ends. Letters of any script and emoji are kept.

    Returns:
        The cleaned sentence, or "" when nothing is left.
    """
    # NFC after dropping, so a mark separated from its base by a zero-width char composes.
    text = unicodedata.normalize("NFC", _CLEAN_DROP.sub("", sentence))
    return _WHITESPACE.sub(" ", text).strip()
