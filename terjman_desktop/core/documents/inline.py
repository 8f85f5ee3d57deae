"""Links and inline formatting carried through translation, for every rich-text format.

A paragraph's text lives in *runs* (Word ``w:r``, PowerPoint ``a:r``, OpenDocument spans),
each with its own formatting, some inside a link. Word order changes in translation, so a
translation cannot be cut back into the source's runs word by word. This module does it for
any format that can hand it its text as :class:`Slot` s (a place in the XML that holds text)
grouped into :class:`Piece` s (consecutive text with one look):

* A *unit* is a stretch of a paragraph translated as one text. The pieces whose look differs
  from the unit's main look, and every link, are *marked*: each must get its own words of
  the translation, never nothing (a link is never lost) and never everything (bold does not
  spread over the sentence).
* **Alignment** (the default): the unit's plain text is translated — the model sees exactly
  the sentence a person would type — and each marked piece's text is also translated alone,
  as an *anchor*. The translation is then cut, in source order, so that each marked piece
  gets the window of words most like its anchor (character-bigram overlap, which survives
  Arabic prefixes such as ``ال``), near where it stood in the source (relative position and
  length); a word copied as is (a name, a number, a URL) is found exactly. With no anchor
  the position alone decides. Every marked piece gets at least one word.
* **Markers** (opt-in): the unit is sent with numbered tags around its marked pieces,
  ``They drink the <1>coffee</1> now.``; when the model gives every tag back once, in order
  and around some text, the tags place the pieces exactly. Otherwise the tags are removed
  and the translation is aligned as above. Models that never saw such tags translate tagged
  text worse (the tiny test models turn "coffee" into "house" around a tag), which is why
  this is not the default.

The cut respects source order because each piece is written back into its own runs, which
stay where they are in the file (so bookmarks, comment anchors and fields stay valid): the
translation's first words go into the first piece and so on.

Stdlib only; nothing here knows an XML dialect.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Where a unit may be cut between two pieces: after the end of a sentence or a label.
SENTENCE_END = tuple(".!?:;…؟؛")
_MARKER = re.compile(r"<\s*(/?)\s*(\d{1,3})\s*>")
_STRAY_MARKER = re.compile(r"<\s*/?\s*\d{0,3}\s*>|</?|/?>")
_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = ".,!?:;…؟؛،\"'”’»)]}"
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_MAX_WINDOW = 12
# Characters XML 1.0 cannot hold (controls other than tab and line breaks, surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Slot:
    """A place in a document that holds text.

    An element's ``text`` or ``tail`` (mixed content, as in OpenDocument), or one of its
    attributes (``attr="@descr"``).
    """

    node: Any
    attr: str = "text"
    preserve_space: bool = False  # WordprocessingML: mark edge spaces with xml:space

    def read(self) -> str:
        if self.attr.startswith("@"):
            return str(self.node.get(self.attr[1:]) or "")
        return str(getattr(self.node, self.attr) or "")

    def write(self, text: str) -> None:
        value = _NOT_XML.sub("", text)  # a control character would make the part unreadable
        if self.attr.startswith("@"):
            self.node.set(self.attr[1:], value)
            return
        setattr(self.node, self.attr, value)
        if self.preserve_space and value != value.strip():
            self.node.set(XML_SPACE, "preserve")


@dataclass
class Piece:
    """Consecutive text of one look (formatting and link) in a line of a paragraph."""

    key: str
    link: bool = False
    slots: list[Slot] = field(default_factory=list)
    runs: list[Any] = field(default_factory=list)  # the format's run elements, for direction

    @property
    def text(self) -> str:
        return "".join(slot.read() for slot in self.slots)


Line = list[Piece]


def add_text(line: Line, slot: Slot, key: str, *, link: bool = False, run: Any = None) -> None:
    """Append ``slot`` to ``line``, in the last piece when it has the same look."""
    if not line or line[-1].key != key:
        line.append(Piece(key, link))
    piece = line[-1]
    piece.slots.append(slot)
    if run is not None and (not piece.runs or piece.runs[-1] is not run):
        piece.runs.append(run)


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


@dataclass
class Unit:
    """Pieces translated together; ``owner`` is the paragraph they belong to."""

    owner: Any
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def marked(self) -> list[int]:
        """The pieces that must get their own words: links, and text of another look."""
        if len(self.pieces) < 2:
            return []
        weight: Counter[str] = Counter()
        for piece in self.pieces:
            weight[piece.key] += len(piece.text.strip())
        base = weight.most_common(1)[0][0]
        return [
            i
            for i, piece in enumerate(self.pieces)
            if _has_word(piece.text) and (piece.link or piece.key != base)
        ]


def attribute_units(root: Any, tags: tuple[str, ...], names: tuple[str, ...]) -> list[Unit]:
    """One unit per attribute with words (a picture's description, its title).

    Their owner is None: they are not paragraphs, so nothing sets their direction and no
    bilingual copy is made of them.
    """
    units = []
    for element in root.iter(*tags):
        for name in names:
            if _has_word(element.get(name) or ""):
                units.append(Unit(None, [Piece("", slots=[Slot(element, "@" + name)])]))
    return units


def units_of_line(owner: Any, line: Line) -> list[Unit]:
    """Cut a line into units after sentence or label ends between pieces ("**Note:** …")."""
    units: list[Unit] = []
    group: list[Piece] = []
    last = ""  # the group's last character that is not a space
    for piece in line:
        text = piece.text
        if group and last in SENTENCE_END and text.strip():
            units.append(Unit(owner, group))
            group, last = [], ""
        group.append(piece)
        last = text.rstrip()[-1:] or last
    if group and any(p.text for p in group):
        units.append(Unit(owner, group))
    return units


# ----------------------------------------------------------------------------- similarity


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    text = _ARABIC_MARKS.sub("", text)
    return "".join(c if c.isalnum() else " " for c in text)


def _bigrams(word: str) -> Counter[str]:
    padded = f" {word} "
    return Counter(padded[i : i + 2] for i in range(len(padded) - 1))


def _dice(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 3:  # short words ("كل", "of") only count when identical
        return 0.0
    ga, gb = _bigrams(a), _bigrams(b)
    return 2 * sum((ga & gb).values()) / (sum(ga.values()) + sum(gb.values()))


def similarity(anchor: str, window: str) -> float:
    """How much ``window`` looks like ``anchor``, from 0 to 1.

    Each word of the window is matched to its closest anchor word (character bigrams, so
    ``القهوة`` matches ``قهوة``); the score is mostly how well the window's words match
    (extra words lower it) and partly how many anchor words are found. The search in
    :func:`align` computes the same score word by word.
    """
    anchor_words, window_words = _normal(anchor).split(), _normal(window).split()
    if not anchor_words or not window_words:
        return 0.0
    scores = [[_dice(w, a) for a in anchor_words] for w in window_words]
    kept = [max(row) if max(row) >= 0.5 else 0.0 for row in scores]
    precision = sum(kept) / len(window_words)
    found = sum(1 for j in range(len(anchor_words)) if any(row[j] >= 0.5 for row in scores))
    return 0.7 * precision + 0.3 * found / len(anchor_words)


# ----------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Placement:
    """How a unit's translation was cut over its pieces, and how the cut was found."""

    texts: list[str]
    method: str  # "single", "markers", "aligned", "source" (kept as it was)


# Above this many (piece, word) pairs a paragraph is placed by position alone: the search
# below is quadratic, and a paragraph of thousands of runs (coloured code) must stay fast.
_MAX_SEARCH = 100_000


@dataclass
class _Anchor:
    """How each word of the translation matches one anchor (its piece translated alone)."""

    size: int  # words in the anchor
    score: list[float]  # per translation word: its best match (0 under 0.5)
    found: list[frozenset[int]]  # per translation word: the anchor words it matches


def _anchor(anchor: str | None, target_words: list[list[str]]) -> _Anchor | None:
    anchor_words = _normal(anchor).split() if anchor else []
    if not anchor_words:
        return None
    score, found = [], []
    for words in target_words:
        best, matched = 0.0, set()
        for word in words:
            for position, other in enumerate(anchor_words):
                value = _dice(word, other)
                if value >= 0.5:
                    matched.add(position)
                    best = max(best, value)
        score.append(best)
        found.append(frozenset(matched))
    return _Anchor(len(anchor_words), score, found)


def _by_position(
    count: int, starts: list[int], pieces: Sequence[str], marked: list[int], length: int
) -> list[tuple[int, int]]:
    """Windows where the pieces stood in the source, in order, one word at least each."""
    k, windows, floor = len(marked), [], 0
    for j, index in enumerate(marked):
        begin = max(floor, starts[index] * count // length)
        end = max(begin + 1, round((starts[index] + len(pieces[index])) * count / length))
        end = min(end, count - (k - j - 1))
        begin = min(begin, end - 1)
        windows.append((begin, end))
        floor = end
    return windows


def _windows(
    words: list[tuple[int, int]],
    target: str,
    unit_text: str,
    pieces: Sequence[str],
    marked: list[int],
    anchors: Sequence[str | None],
) -> list[tuple[int, int]] | None:
    """The best monotonic choice of one word window per marked piece (DP over positions)."""
    count, k = len(words), len(marked)
    if count < k:
        return None
    length = max(1, len(unit_text))
    starts, offset = [], 0
    for text in pieces:
        starts.append(offset)
        offset += len(text)
    if k * count * 4 > _MAX_SEARCH:
        return _by_position(count, starts, pieces, marked, length)
    target_words = [_normal(target[a:b]).split() for a, b in words]
    neg = float("-inf")
    # best[j][e]: best score with the first j marked pieces placed within words[:e].
    best = [[0.0] * (count + 1)] + [[neg] * (count + 1) for _ in range(k)]
    back: list[list[tuple[int, int] | None]] = [[None] * (count + 1) for _ in range(k + 1)]
    for j, index in enumerate(marked, start=1):
        text = pieces[index]
        center = (starts[index] + len(text) / 2) / length
        share = len(text.strip()) / length
        anchor = _anchor(anchors[j - 1], target_words)
        expected = max(1, round(share * count))
        cap = min(
            count - (k - j) - (j - 1),
            max(2 * (anchor.size if anchor else 0), 2 * expected, 1) + 2,
            _MAX_WINDOW,
        )
        exact = text.strip()
        exact_size = len(exact.split())
        exact_words = _normal(exact).split()
        for end in range(1, count + 1):
            best[j][end], back[j][end] = best[j][end - 1], back[j][end - 1]
            kept, found, inside = 0.0, frozenset[int](), 0
            for size in range(1, max(1, cap) + 1):
                begin = end - size
                if begin < 0 or best[j - 1][begin] == neg:
                    break
                inside += max(1, len(target_words[begin]))
                score = -abs((begin + end) / 2 / count - center) - 0.5 * abs(size / count - share)
                if anchor is not None:
                    kept += anchor.score[begin]
                    found = found | anchor.found[begin]
                if (
                    size == exact_size
                    and exact
                    and (
                        exact
                        == target[words[begin][0] : words[end - 1][1]].strip(_EDGE_PUNCTUATION)
                        or exact_words == [w for t in target_words[begin:end] for w in t]
                    )
                ):
                    score += 3.0  # a name, a number or a URL copied as is
                elif anchor is not None:
                    score += 2.0 * (0.7 * kept / inside + 0.3 * len(found) / anchor.size)
                total = best[j - 1][begin] + score
                if total > best[j][end]:
                    best[j][end], back[j][end] = total, (begin, end)
    if best[k][count] == neg:
        return None
    chosen: list[tuple[int, int]] = []
    end = count
    for j in range(k, 0, -1):
        step = back[j][end]
        if step is None:
            return None
        chosen.append(step)
        end = step[0]
    return chosen[::-1]


def _cut(
    target: str, pieces: Sequence[str], marked: list[int], spans: list[tuple[int, int]]
) -> list[str]:
    """Texts per piece from the character span of each marked piece in ``target``.

    The text between two marked pieces goes to the unmarked piece between them with the
    most source text (or, when there is none, to the marked piece before it).
    """
    texts = [""] * len(pieces)
    # Trailing punctuation the source piece did not have moves out of it ("website." → ".").
    fixed: list[tuple[int, int]] = []
    for index, (start, stop) in zip(marked, spans, strict=True):
        end = stop
        if index < len(pieces) - 1 and not pieces[index].rstrip().endswith(
            tuple(_EDGE_PUNCTUATION)
        ):
            while end - 1 > start and target[end - 1] in _EDGE_PUNCTUATION:
                end -= 1
        fixed.append((start, end))
    k = len(marked)
    for g in range(k + 1):  # gap g comes before marked piece g (the last one after all)
        start = fixed[g - 1][1] if g else 0
        end = fixed[g][0] if g < k else len(target)
        between = range(marked[g - 1] + 1 if g else 0, marked[g] if g < k else len(pieces))
        receiver = max(between, key=lambda i: len(pieces[i].strip()), default=None)
        if receiver is None:  # two marked pieces side by side: the space goes where it was
            after_space = g < k and pieces[marked[g]][:1].isspace()
            before_space = g > 0 and pieces[marked[g - 1]][-1:].isspace()
            receiver = (
                marked[g] if g == 0 or (after_space and not before_space) else (marked[g - 1])
            )
        texts[receiver] += target[start:end]
        if g < k:
            texts[marked[g]] += target[fixed[g][0] : fixed[g][1]]
    return texts


def align(
    pieces: Sequence[str], marked: list[int], target: str, anchors: Sequence[str | None]
) -> list[str] | None:
    """Cut ``target`` over the pieces so each marked piece gets its own words, in order.

    Args:
        pieces: The source text of each piece, in order.
        marked: Indices of the pieces that must get words of their own.
        target: The translation of the whole unit.
        anchors: The translation of each marked piece alone (None where there is none).

    Returns:
        One text per piece (unmarked ones may be empty), joining to ``target``; None when
        ``target`` has fewer characters than marked pieces.
    """
    if not marked:
        return [target] + [""] * (len(pieces) - 1) if pieces else []
    words = [(m.start(), m.end()) for m in _WORD.finditer(target)]
    if len(words) < len(marked):  # fewer words than links: cut at characters instead
        words = [(i, i + 1) for i, c in enumerate(target) if not c.isspace()]
    windows = _windows(words, target, "".join(pieces), pieces, marked, anchors)
    if windows is None:
        return None
    spans = [(words[a][0], words[b - 1][1]) for a, b in windows]
    return _cut(target, pieces, marked, spans)


# ----------------------------------------------------------------------------- markers


def with_markers(pieces: Sequence[str], marked: list[int]) -> str:
    """The unit's text with ``<n>…</n>`` around each marked piece's words (n from 1)."""
    out = []
    for index, text in enumerate(pieces):
        if index in marked:
            number = marked.index(index) + 1
            body = text.strip()
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f"{lead}<{number}>{body}</{number}>{trail}")
        else:
            out.append(text)
    return "".join(out)


def without_markers(text: str) -> str:
    """``text`` with every tag-like marker removed and the spaces it leaves tidied."""
    cleaned = _STRAY_MARKER.sub(" ", _MARKER.sub(" ", text))
    return re.sub(r"[ \t]{2,}", " ", cleaned).strip()


def from_markers(pieces: Sequence[str], marked: list[int], target: str) -> list[str] | None:
    """Pieces' texts from a translation that kept every marker once, in order, around words.

    Returns:
        One text per piece, or None when a marker is missing, repeated, out of order,
        empty, or when there is text outside the markers that looks like a broken one.
    """
    found = list(_MARKER.finditer(target))
    expected = [(slash, str(n)) for n in range(1, len(marked) + 1) for slash in ("", "/")]
    if [(m.group(1), m.group(2)) for m in found] != expected:
        return None
    spans = []
    for n in range(len(marked)):
        opening, closing = found[2 * n], found[2 * n + 1]
        if not target[opening.end() : closing.start()].strip():
            return None
        spans.append((opening.end(), closing.start()))
    plain_parts, mapped, cursor, shift = [], [], 0, 0
    for n, (start, end) in enumerate(spans):
        opening, closing = found[2 * n], found[2 * n + 1]
        plain_parts.append(target[cursor : opening.start()])
        shift += opening.end() - opening.start()
        inner = target[start:end]
        body_start = len(inner) - len(inner.lstrip())
        body_end = len(inner.rstrip())
        begin = sum(len(p) for p in plain_parts)
        mapped.append((begin + body_start, begin + body_end))
        plain_parts.append(inner)
        cursor = closing.end()
    plain_parts.append(target[cursor:])
    plain = "".join(plain_parts)
    if "<" in plain or ">" in plain:
        return None
    return _cut(plain, pieces, marked, mapped)


# ----------------------------------------------------------------------------- units


@dataclass
class InlineBatch:
    """The units of a document and the texts to translate for them.

    ``texts`` lists, for each unit, its text (with markers in marker mode) followed by the
    anchors of its marked pieces; :meth:`place` takes the translations back in that order.
    """

    units: list[Unit]
    markers: bool = False
    texts: list[str] = field(default_factory=list)
    _layout: list[tuple[int, list[int]]] = field(default_factory=list)  # start, marked

    def __post_init__(self) -> None:
        for unit in self.units:
            pieces = [p.text for p in unit.pieces]
            marked = unit.marked
            self._layout.append((len(self.texts), marked))
            self.texts.append(
                with_markers(pieces, marked) if self.markers and marked else unit.text
            )
            self.texts.extend(pieces[i].strip() for i in marked)

    def place(self, translations: Sequence[str]) -> list[Placement]:
        """How each unit's translation is cut over its pieces (nothing is written)."""
        if len(translations) != len(self.texts):
            raise ValueError(f"expected {len(self.texts)} translations, got {len(translations)}")
        placements = []
        for unit, (start, marked) in zip(self.units, self._layout, strict=True):
            pieces = [p.text for p in unit.pieces]
            target = translations[start]
            anchors = list(translations[start + 1 : start + 1 + len(marked)])
            placement = place_unit(pieces, marked, target, anchors, self.markers)
            symbols = [i for i, p in enumerate(unit.pieces) if p.link and not _has_word(p.text)]
            placements.append(_keep_symbol_links(placement, pieces, symbols))
        return placements

    def write(
        self,
        translations: Sequence[str],
        on_unit: Callable[[Unit, Placement], None] | None = None,
    ) -> list[Placement]:
        """Write the translations into the slots; ``on_unit`` is told of each changed unit."""
        placements = self.place(translations)
        for unit, placement in zip(self.units, placements, strict=True):
            if placement.method == "source":
                continue
            write_unit(unit, placement.texts)
            if on_unit is not None:
                on_unit(unit, placement)
        return placements


def place_unit(
    pieces: Sequence[str],
    marked: list[int],
    target: str,
    anchors: Sequence[str],
    markers: bool = False,
) -> Placement:
    """Cut one unit's translation over its pieces (see the module's docstring).

    When the translation has words enough, every piece with words gets some (so a long
    run of the main look keeps its place too); otherwise only the marked pieces do.
    """
    source = "".join(pieces)
    if (
        target == source
        or not target.strip()  # the model gave nothing: the source stays, never a blank
        or (markers and marked and target == with_markers(pieces, marked))
    ):
        return Placement(list(pieces), "source")
    if not marked:
        plain = without_markers(target) if markers else target
        return Placement([plain] + [""] * (len(pieces) - 1), "single")
    if markers:
        texts = from_markers(pieces, marked, target)
        if texts is not None:
            return Placement(texts, "markers")
        target = without_markers(target)
    worded = [i for i, text in enumerate(pieces) if _has_word(text)]
    by_piece = dict(zip(marked, anchors, strict=True))
    texts = None
    if len(_WORD.findall(target)) >= len(worded):
        texts = align(pieces, worded, target, [by_piece.get(i) for i in worded])
    if texts is None:
        texts = align(pieces, marked, target, anchors)
    if texts is None:
        return Placement(list(pieces), "source")
    return Placement(texts, "aligned")


def _keep_symbol_links(placement: Placement, pieces: list[str], symbols: list[int]) -> Placement:
    """A link without words ("→", "[1]"…) keeps its text, so it is never lost.

    Its text is not translated; where the translation copied it elsewhere, that copy goes.
    """
    if placement.method == "source":
        return placement
    texts = list(placement.texts)
    for index in symbols:
        symbol = pieces[index].strip()
        if not symbol or texts[index].strip():
            continue
        for other, text in enumerate(texts):
            if other != index and symbol in text:
                texts[other] = text.replace(symbol, "", 1)
                break
        texts[index] = pieces[index]
    return Placement(texts, placement.method)


class SourceCopies:
    """Bilingual copies, interleaved: each translated paragraph follows its source.

    The copies are taken when the document is read (before anything is written), cleaned of
    what must stay unique in a document (``clean``: bookmarks, note references, pictures,
    ids), and put before their paragraph once it is translated; the translated paragraph is
    the original element, so links, notes and comments stay attached to it.
    """

    def __init__(self, units: Sequence[Unit], clean: Callable[[Any], None]) -> None:
        import copy

        self._copies: dict[int, Any] = {}
        for unit in units:
            if unit.owner is not None and id(unit.owner) not in self._copies:
                duplicate = copy.deepcopy(unit.owner)
                duplicate.tail = unit.owner.tail
                clean(duplicate)
                self._copies[id(unit.owner)] = duplicate

    def place(self, paragraph: Any) -> None:
        """Put the source copy of ``paragraph`` before it (once)."""
        duplicate = self._copies.pop(id(paragraph), None)
        if duplicate is not None:
            paragraph.addprevious(duplicate)


def write_unit(unit: Unit, texts: Sequence[str]) -> None:
    """Each piece's text into its first slot; its other slots are emptied (not removed)."""
    for piece, text in zip(unit.pieces, texts, strict=True):
        for position, slot in enumerate(piece.slots):
            slot.write(text if position == 0 else "")
